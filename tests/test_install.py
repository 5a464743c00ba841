"""A new machine: what the tests need is installed by the repository's scripts, and a missing tool says which package."""
from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from helpers import ROOT
from docgen import testing


def fake_soffice(folder: Path, *libraries: str, script: str = "exit 0") -> Path:
    """A stand-in soffice in ``folder`` with the given component libraries beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    soffice = folder / "soffice"
    soffice.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    soffice.chmod(soffice.stat().st_mode | stat.S_IXUSR)
    for library in libraries:
        (folder / library).write_bytes(b"")
    return soffice


@pytest.fixture
def in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")


def test_missing_calc_fails_in_ci_naming_its_debian_package(tmp_path, monkeypatch, in_ci):
    soffice = fake_soffice(tmp_path / "program", "libswlo.so")
    monkeypatch.setattr(testing, "find_soffice", lambda: str(soffice))
    assert testing.require_soffice() == str(soffice)  # Writer is there
    with pytest.raises(pytest.fail.Exception, match="apt-get install libreoffice-calc-nogui"):
        testing.require_soffice("calc")


def test_missing_libreoffice_is_a_skip_naming_the_package_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(testing, "find_soffice", lambda: None)
    with pytest.raises(pytest.skip.Exception, match="apt-get install libreoffice-writer-nogui"):
        testing.require_soffice()


def test_missing_command_names_its_package(monkeypatch, in_ci):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(pytest.fail.Exception, match="apt-get install poppler-utils"):
        testing.require_command("pdftoppm", "poppler-utils")


def test_a_conversion_soffice_could_not_load_fails_with_its_output_not_file_not_found(tmp_path, monkeypatch, in_ci):
    # soffice without Calc prints this and still exits 0
    soffice = fake_soffice(tmp_path / "program", "libswlo.so", "libsclo.so",
                           script="echo 'Error: source file could not be loaded'; exit 0")
    monkeypatch.setattr(testing, "find_soffice", lambda: str(soffice))
    source = tmp_path / "filled.xlsx"
    source.write_bytes(b"PK")
    with pytest.raises(pytest.fail.Exception, match="made no filled.ods.*source file could not be loaded"):
        testing.soffice_convert(source, "ods", tmp_path, "calc")


def test_install_script_installs_every_component_the_tests_check():
    script = (ROOT / "tools" / "install_system.sh").read_text(encoding="utf-8")
    for library, package in testing.SOFFICE_COMPONENTS.values():
        assert re.search(rf"{re.escape(library)}.*\|\| need\+=\({re.escape(package)}\)", script), package


def test_install_script_installs_postgresql_and_ci_starts_a_cluster():
    script = (ROOT / "tools" / "install_system.sh").read_text(encoding="utf-8")
    assert re.search(r"postgresql/\*/bin/initdb.*\|\| need\+=\(postgresql\)", script)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "runuser -u postgres" in ci and "export DOCGEN_TEST_PG_URL=" in ci
    assert ci.index("export DOCGEN_TEST_PG_URL=") < re.search(r"^make test\b", ci, re.M).start()


def test_without_postgresql_a_test_fails_in_ci_naming_the_package(tmp_path, monkeypatch):
    from docgen import pgcluster

    monkeypatch.setattr(pgcluster, "SERVER_ROOT", tmp_path)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="«postgresql».*apt-get install postgresql"):
        testing.start_test_cluster()
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="postgresql"):
        testing.start_test_cluster()


def test_ci_runs_the_readme_test_command():
    readme_commands = (ROOT / "README.md").read_text(encoding="utf-8").split("```")[1]
    assert "make test" in readme_commands
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test\b", ci, re.M)
