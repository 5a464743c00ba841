"""The lint is clean: ruff, configured in pyproject.toml ([tool.ruff]), finds nothing in docgen's own code."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("docgen", "plugins", "tests", "tools", "examples/docgen-region-example")


def ruff() -> str:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if not found:
        pytest.fail("ruff is missing: it comes with the test extra (pip install -e '.[test]')", pytrace=False)
    return found


def test_ruff_finds_nothing():
    result = subprocess.run([ruff(), "check", "--no-cache", "--output-format", "concise", *CHECKED], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_ruff_reads_the_projects_configuration(tmp_path):
    """The configuration is the one in pyproject.toml: a finding it selects is reported, one it ignores is not."""
    sample = tmp_path / "sample.py"
    sample.write_text("import os\n\nMESSAGE = '" + "я" * 130 + "'\n", encoding="utf-8")
    result = subprocess.run([ruff(), "check", "--no-cache", "--output-format", "concise",
                             "--config", str(ROOT / "pyproject.toml"), str(sample)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "F401" in result.stdout and "E501" not in result.stdout
