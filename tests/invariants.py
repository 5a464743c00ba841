"""The invariants of RELIABILITY.md, checked on a workspace after anything happened to it.

"Nothing lost": every input in exactly one of inbox/, processed/, failed/;
every number in the register has its documents (files in outbox/) or is void
with a reason and its files out of outbox/ (or is a reserved or imported one); no number twice; no partial file under a final name; the
SQLite file passes ``PRAGMA integrity_check``.
"""
from __future__ import annotations

import zipfile
from collections import Counter

from pypdf import PdfReader

from docgen.publishing import TMP_PREFIX
from docgen.register import Register

PACK_MARK = "Комплект для печати"


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
    recorded = {name for e in entries if e.status == "published" for name in e.outputs}
    orphans = [p.name for p in outbox_files if p.name not in recorded and PACK_MARK not in p.name]
    assert not orphans, f"files in outbox that no published number owns: {orphans}"
    for path in outbox_files:
        assert_complete_file(path)

    for name in input_names:
        assert len(places_of(workspace, name)) == 1, f"{name} is in {places_of(workspace, name)}"
    leftovers = list(workspace.processing.iterdir()) if workspace.processing.is_dir() else []
    assert not leftovers, f"claims left in .processing: {leftovers}"
    return register
