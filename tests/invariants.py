"""The invariants of RELIABILITY.md, checked on a workspace after anything happened to it.

"Nothing lost": every input in exactly one of inbox/, processed/, failed/;
every number in the register has its documents (files in outbox/) or is void
with a reason and its files out of outbox/ (or is a reserved or imported one);
no number twice; no partial file under a final name; the SQLite file passes
``PRAGMA integrity_check``. And (issue 22): no file in outbox/ the journal does
not know (a print pack is known by its reserved name), no two files in outbox/
for one number and kind, no file of a voided number left in outbox/, every
input in failed/ with its report.
"""
from __future__ import annotations

import re
import zipfile
from collections import Counter

from pypdf import PdfReader

from docgen.publishing import TMP_PREFIX
from docgen.register import Register
from docgen.reports import REPORT_SUFFIX, report_path

PACK_MARK = "Комплект для печати"
DOCUMENT_SUFFIXES = (".docx", ".pdf")
MARKED = "(подписан ЭП)"  # the marked copy of a signed PDF: a file of its own kind  # what docgen writes; Thumbs.db and the like are not its business
NUMBER_IN_NAME = re.compile(r"^(\S+) (.+?) № (\S+)")  # «2023-08-31 Приказ № 53-од …»: date, kind, number


def places_of(workspace, name: str) -> list[str]:
    folders = {"inbox": workspace.inbox, "processed": workspace.processed, "failed": workspace.failed}
    return [label for label, folder in folders.items() if (folder / name).is_file()]


def assert_complete_file(path) -> None:
    """A file under a final name is whole: a DOCX is a valid zip with its body, a PDF parses to its end."""
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None, path.name
            assert "word/document.xml" in archive.namelist(), path.name
    elif path.suffix == ".pdf":
        assert len(PdfReader(str(path), strict=True).pages) >= 1, path.name


def assert_nothing_lost(workspace, input_names: list[str]) -> Register:
    register = Register(workspace.register)
    assert register.integrity_ok()
    entries = register.entries()
    for entry in entries:
        if entry.status == "void":
            assert entry.void_reason and entry.void_reason.strip(), entry
            on_desk = [n for n in entry.outputs if (workspace.outbox / n).is_file()]
            assert not on_desk, f"voided {entry.number} still in outbox/: {on_desk}"
        elif entry.status in ("reserved", "imported"):
            assert entry.origin in ("reserved", "imported"), entry  # a number without documents of docgen's own
        else:
            assert entry.status == "published", f"number {entry.number} has neither documents nor a void mark"
            assert entry.outputs, entry
            for name in entry.outputs:
                assert (workspace.outbox / name).is_file(), f"{entry.number}: {name} missing"
    numbered = [(e.series, e.year, e.number) for e in entries if e.number]
    assert len(numbered) == len(set(numbered)), "a number issued twice"
    live_keys = Counter((e.input_sha256, e.doc_index) for e in entries
                        if e.status != "void" and e.origin in ("auto", "given"))
    assert all(count == 1 for count in live_keys.values()), "a second live number for the same document"

    outbox_files = sorted(p for p in workspace.outbox.iterdir() if p.is_file())
    assert not [p for p in outbox_files if p.name.startswith(TMP_PREFIX)], "temporary files left in outbox"
    recorded = {name for e in entries if e.status == "published" for name in e.outputs} | other_outputs(workspace)
    documents = [p for p in outbox_files if p.suffix in DOCUMENT_SUFFIXES and not p.name.startswith(".")]
    orphans = [p.name for p in documents if p.name not in recorded]
    assert not orphans, f"files in outbox that the journal does not know: {orphans}"
    voided = [name for e in entries if e.status == "void" for name in e.outputs if (workspace.outbox / name).exists()]
    assert not voided, f"files of voided numbers left in outbox: {voided}"
    per_number = Counter((match[1], match[2], match[3], p.suffix, MARKED in p.name) for p in outbox_files
                         if PACK_MARK not in p.name
                         for match in [NUMBER_IN_NAME.search(p.stem)] if match)
    twice = [key for key, count in per_number.items() if count > 1]
    assert not twice, f"two files in outbox for one number and kind: {twice}"
    for entry in entries:
        kinds = Counter(name.rsplit(".", 1)[-1] for name in entry.outputs)
        assert all(count == 1 for count in kinds.values()), f"{entry.number}: two files of one kind {entry.outputs}"
    for path in outbox_files:
        assert_complete_file(path)

    for name in input_names:
        assert len(places_of(workspace, name)) == 1, f"{name} is in {places_of(workspace, name)}"
    leftovers = list(workspace.processing.iterdir()) if workspace.processing.is_dir() else []
    assert not leftovers, f"claims left in .processing: {leftovers}"
    failed = [p for p in workspace.failed.iterdir() if p.is_file()] if workspace.failed.is_dir() else []
    for path in failed:
        assert not path.name.startswith(TMP_PREFIX), f"temporary file left in failed/: {path.name}"
        if not path.name.endswith(REPORT_SUFFIX):
            assert report_path(path).is_file(), f"{path.name} in failed/ without its report"
    return register


def other_outputs(workspace) -> set[str]:
    """Names the register reserved for files that are not a document's own: print packs, signature and
    marked copies."""
    register = Register(workspace.register)  # the SQLite file or the school's PostgreSQL journal, by docgen.toml
    with register.journal.reading() as conn:
        return {row[0] for row in conn.execute("SELECT name FROM outbox_files WHERE entry_id IS NULL")}
