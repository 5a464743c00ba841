"""The committed templates in doc_templates/ are exactly what tools/build_templates.py generates.

Otherwise the next person who runs ``make templates`` silently changes documents.
"""
from __future__ import annotations

import io
import sys
import zipfile

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from build_templates import BUILDERS  # noqa: E402


def part(docx: bytes | str, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx) if isinstance(docx, bytes) else docx) as archive:
        return archive.read(name)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_committed_template_matches_its_generator(name):
    generated = io.BytesIO()
    BUILDERS[name]().save(generated)
    committed = str(ROOT / "doc_templates" / f"{name}.docx")
    for xml in ("word/document.xml", "word/styles.xml"):
        assert part(generated.getvalue(), xml) == part(committed, xml), f"{name}.docx: run `make templates`"
