"""docgen.testing's DOCX-only tier: under ``docgen_docx_pipeline`` and the LibreOffice guard no LibreOffice starts."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from docgen.pdf.converter import Converter
from docgen.errors import ConversionError
from docgen.settings import ConversionOptions
from docgen.testing import docx_text, drop_input, libreoffice_forbidden
from helpers import load_example


def soffice_children() -> list[str]:
    """Command lines of this process's descendants that run LibreOffice (read from /proc)."""
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            commands[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])

    def descends(pid: int) -> bool:
        while pid > 1:
            pid = parents.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    return [cmd for pid, cmd in commands.items() if descends(pid) and ("soffice" in cmd or "lobridge" in cmd)]


def test_docx_pipeline_makes_the_docx_and_starts_no_libreoffice(docgen_workspace, docgen_docx_pipeline):
    outcome = docgen_docx_pipeline.process(drop_input(docgen_workspace, "pairs.json", load_example("pair_order.json")))
    assert outcome.ok, outcome.message
    [document] = outcome.documents
    assert "ПРИКАЗ" in docx_text(document["docx"]) and document["pdf"] is None
    assert docgen_docx_pipeline.converter.pool is None  # the warm pool was never even made
    assert soffice_children() == []


def test_a_start_of_libreoffice_under_the_guard_is_refused_and_noted(tmp_path):
    fake_soffice = tmp_path / "soffice"
    fake_soffice.write_text("#!/bin/sh\nexit 0\n")
    fake_soffice.chmod(0o755)
    converter = Converter(ConversionOptions(soffice=str(fake_soffice), workers=1), tmp_path / "state")
    (tmp_path / "a.docx").write_bytes(b"PK")
    with libreoffice_forbidden([]) as started:
        with pytest.raises(ConversionError, match="LibreOffice started"):
            converter.convert(tmp_path / "a.docx", tmp_path / "a.pdf")
        converter.close()
    assert started and set(started) <= {"warm bridge", "cold soffice"}
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.slow
def test_the_ini_guard_fails_an_unmarked_test_that_starts_libreoffice_and_spares_a_marked_one(pytester):
    pytester.makeini("[pytest]\ndocgen_guard_libreoffice = true\n")
    pytester.makepyfile(test_inner='''
        import pytest
        from docgen.pdf.converter import cold_convert
        from docgen.settings import ConversionOptions

        def start(tmp_path):
            soffice = tmp_path / "soffice"
            soffice.write_text("#!/bin/sh\\nexit 0\\n")
            soffice.chmod(0o755)
            try:
                cold_convert([tmp_path / "a.docx"], tmp_path, ConversionOptions(soffice=str(soffice)), tmp_path / "p")
            except Exception:
                pass

        def test_unmarked(tmp_path):
            start(tmp_path)

        @pytest.mark.libreoffice
        def test_marked(tmp_path):
            start(tmp_path)  # a fake soffice: nothing is converted, the guard just stays out of the way
    ''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist", "-rA")
    outcomes = result.parseoutcomes()
    assert outcomes.get("errors") == 1 and outcomes.get("failed") is None
    result.stdout.fnmatch_lines(["*started LibreOffice (cold soffice)*not marked*",
                                 "ERROR test_inner.py::test_unmarked*"])
    assert not [line for line in result.outlines if line.startswith("ERROR") and "test_marked" in line]


def test_tests_using_the_postgresql_server_are_marked_so_a_tier_can_leave_them_out(pytester):
    pytester.makepyfile(test_inner='''
        import pytest

        @pytest.fixture
        def journal(docgen_pg_url):
            return docgen_pg_url

        def test_direct(docgen_pg_server):
            pass

        def test_through_a_fixture(journal):
            pass

        def test_without():
            pass
    ''')
    marked = pytester.runpytest_inprocess("--collect-only", "-q", "-m", "postgresql", "-p", "no:xdist")
    assert sorted(line for line in marked.outlines if "::" in line) == [
        "test_inner.py::test_direct", "test_inner.py::test_through_a_fixture"]
    unmarked = pytester.runpytest_inprocess("--collect-only", "-q", "-m", "not postgresql", "-p", "no:xdist")
    assert [line for line in unmarked.outlines if "::" in line] == ["test_inner.py::test_without"]
