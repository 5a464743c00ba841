"""docs/plugins.md's reference (the API, template variables, filters) is what the code says.

tools/plugin_reference.py generates it from ``docgen.api.__all__``, the contexts the pipeline builds for
the example inputs and the built-in Jinja filters; here it must find the committed guide up to date.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "plugin_reference.py"
GUIDE = ROOT / "docs" / "plugins.md"


def check(guide: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TOOL), "--check", "--guide", str(guide)], capture_output=True,
                          text=True, timeout=300)


@pytest.mark.slow
def test_the_guide_lists_what_the_code_has():
    result = check(GUIDE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_guide_names_every_filter_variable_and_api_name():
    from docgen.api import __all__ as api_names
    from docgen.plugins import get_plugin_manager
    from docgen.rendering import COMMON_VARIABLES

    guide = GUIDE.read_text(encoding="utf-8")
    filters = get_plugin_manager(None, entry_points=False).jinja_filters()
    assert {"accusative", "position_accusative", "agree", "org_name"} <= set(filters)
    assert [name for name in filters if f"| `{name}` |" not in guide] == []
    assert [name for name in COMMON_VARIABLES if f"| `{name}` |" not in guide] == []
    assert "| `org.short_name` |" in guide and "| `signer.position` |" in guide
    assert [name for name in api_names if f"| `{name}` |" not in guide] == []


@pytest.mark.slow
def test_a_guide_edited_by_hand_is_caught(tmp_path):
    edited = tmp_path / "plugins.md"
    edited.write_text(GUIDE.read_text(encoding="utf-8").replace("| `position_accusative` |", "| `position_acc` |"),
                      encoding="utf-8")
    result = check(edited)
    assert result.returncode == 1 and "out of date" in result.stdout
