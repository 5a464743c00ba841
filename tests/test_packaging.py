"""docgen as real software: a wheel holds the built-in types, templates and examples, and works outside the clone.

The slow test builds the wheel, installs it into a new virtual environment
outside the repository (dependencies come from the package index), makes a
workspace with ``docgen init`` and turns an example into a PDF; then a region's
plugin package that depends on ``docgen`` is installed beside it and works.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from helpers import ROOT, run_docgen
from docgen import __version__
from docgen.plugins import BUILTIN_PLUGINS_DIR, BUILTIN_TEMPLATES_DIR, EXAMPLES_DIR

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
WARNING = re.compile(r"Warning|deprecat", re.I)


def test_every_plugin_package_folder_is_listed_for_the_wheel():
    packages = set(PYPROJECT["tool"]["setuptools"]["packages"])
    mapped = PYPROJECT["tool"]["setuptools"]["package-dir"]
    assert mapped["docgen._builtin"] == "plugins" and mapped["docgen._templates"] == "doc_templates"
    for init in (ROOT / "docgen").rglob("__init__.py"):
        name = ".".join(init.parent.relative_to(ROOT).parts)
        assert name in packages, f"{init.parent} is missing from [tool.setuptools] packages"
    for init in (ROOT / "plugins").rglob("__init__.py"):
        folder = init.parent.relative_to(ROOT / "plugins")
        name = ".".join(("docgen._builtin", *folder.parts))
        assert name in packages, f"{init.parent} is missing from [tool.setuptools] packages as {name}"


def test_the_license_is_an_spdx_expression_and_the_version_is_one():
    assert PYPROJECT["project"]["license"] == "MIT"
    assert PYPROJECT["project"]["version"] == __version__
    result = run_docgen("--version")
    assert result.stdout.strip() == f"docgen {__version__}"


def test_the_installed_folders_are_found_through_the_package():
    assert (BUILTIN_PLUGINS_DIR / "pair_order.py").is_file()
    assert (BUILTIN_TEMPLATES_DIR / "pair_order.docx").is_file()
    assert (EXAMPLES_DIR / "pair_order.json").is_file()


def run(*args, cwd: Path, env: dict | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                            env={**os.environ, **(env or {})})
    assert result.returncode == 0, f"{' '.join(map(str, args))}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def own_warnings(output: str) -> list[str]:
    """Warning lines of a build, less the machine's own pip configuration notes."""
    return [line for line in output.splitlines() if WARNING.search(line) and "Location 'file:" not in line
            and "byte-compiling is disabled" not in line]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    source = out / "source"  # a copy, so the build leaves nothing (build/, *.egg-info) in the clone
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", ".pytest_cache", "inbox", "outbox", ".docgen",
        "register.sqlite*"))
    result = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir", "-w", out, source, cwd=out)
    assert not own_warnings(result.stdout + result.stderr), own_warnings(result.stdout + result.stderr)
    [built] = out.glob("docgen-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_holds_the_builtin_types_templates_and_examples(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for plugin in ("pair_order.py", "consent.py", "reward_order.py", "thank_you_letter.py", "roadmap/__init__.py"):
        assert f"docgen/_builtin/{plugin}" in names
    for template in BUILTIN_TEMPLATES_DIR.glob("*.docx"):
        assert f"docgen/_templates/{template.name}" in names
    assert "docgen/_examples/pair_order.json" in names and "docgen/docgen.example.toml" in names
    assert not [n for n in names if n.startswith(("tests/", "plugins/", "doc_templates/", "examples/"))]
    metadata = zipfile.ZipFile(wheel).read(f"docgen-{__version__}.dist-info/METADATA").decode()
    assert "License-Expression: MIT" in metadata


@pytest.mark.slow
@pytest.mark.libreoffice
def test_a_wheel_in_a_new_venv_outside_the_clone_makes_a_pdf_and_takes_a_regions_plugin(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)
    clean = {"PYTHONPATH": "", "DOCGEN_WORKSPACE": ""}
    version = run(bin_dir / "docgen", "--version", cwd=tmp_path, env=clean)
    assert version.stdout.strip() == f"docgen {__version__}"
    where = run(bin_dir / "python", "-c", "import docgen.plugins as p; print(p.BUILTIN_PLUGINS_DIR)", cwd=tmp_path, env=clean)
    assert Path(where.stdout.strip()).is_relative_to(env_dir.resolve()), where.stdout  # not the clone's plugins/

    school = tmp_path / "школа"
    run(bin_dir / "docgen", "init", "--demo", school, cwd=tmp_path, env=clean)
    types = run(bin_dir / "docgen", "types", "-w", school, cwd=tmp_path, env=clean)
    assert {"pair_order", "reward_order", "consent", "roadmap", "thank_you_letter"} <= {
        line.split()[0] for line in types.stdout.splitlines()}
    result = run(bin_dir / "docgen", "process", school / "examples" / "pair_order.json", "-w", school, cwd=tmp_path,
                 env=clean)
    assert "1-од" in result.stdout
    [pdf] = (school / "outbox").glob("*.pdf")
    from docgen.testing import pdf_text

    assert "О закреплении наставнических пар" in pdf_text(pdf)

    # a region's plugin package declares `docgen` as its dependency and is installed from its own source
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", ROOT / "examples" / "docgen-region-example",
        cwd=tmp_path)
    plugins = run(bin_dir / "docgen", "plugins", "-w", school, cwd=tmp_path, env=clean)
    assert re.search(r"^region_example\s+entry point\s+загружен", plugins.stdout, re.M), plugins.stdout
    report = run(bin_dir / "docgen", "process", ROOT / "examples" / "docgen-region-example" / "example.json",
                 "-w", school, cwd=tmp_path, env=clean)
    assert "Готово" in report.stdout
    assert any("Отчёт" in p.name for p in (school / "outbox").glob("*.pdf")), list((school / "outbox").iterdir())
