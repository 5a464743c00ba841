"""Long tables cut into several after rendering (docgen.longtables): every row kept, in order, headers repeated."""
from __future__ import annotations

import copy
from dataclasses import replace

import pytest
from docx import Document

import docgen.longtables
from helpers import drop, load_example
from docgen.pipeline import Pipeline


def big_order(pairs: int) -> dict:
    order = load_example("pair_order.json")
    order["pairs"] = [copy.deepcopy(order["pairs"][i % len(order["pairs"])]) for i in range(pairs)]
    for i, pair in enumerate(order["pairs"]):
        first = pair["mentees"][0] if "mentees" in pair else pair["mentee"]  # groups of one and of several
        first["name"] = f"Наставляемый{i} Пётр Сергеевич"
    return order


def rendered_tables(root, order: dict) -> list:
    """The tables of ``order`` rendered in a fresh demo workspace at ``root`` (no PDF)."""
    from docgen.settings import Workspace
    from docgen.workspace_init import init_workspace

    init_workspace(root, demo=True)
    workspace = Workspace(root)
    settings = workspace.load_settings()
    settings.conversion = replace(settings.conversion, enabled=False)
    pipeline = Pipeline(workspace, settings)
    try:
        outcome = pipeline.process(drop(workspace, "order.json", order))
    finally:
        pipeline.close()
    assert outcome.ok, outcome.message
    return Document(outcome.documents[0]["docx"]).tables


def texts(table) -> list[tuple[str, ...]]:
    return [tuple(cell.text for cell in row.cells) for row in table.rows]


def header_rows(table) -> list[tuple[str, ...]]:
    return [tuple(cell.text for cell in row.cells) for row in table.rows if docgen.longtables.is_header(row._tr)]


def follows_a_table(table) -> bool:
    """A part of a cut table: a table right after the separator paragraph that follows another table."""
    before = table._tbl.getprevious()
    return docgen.longtables.is_separator(before) and before.getprevious().tag == table._tbl.tag


@pytest.mark.slow
def test_long_annex_is_cut_into_tables_with_headers_and_every_row_in_order(tmp_path, monkeypatch):
    order = big_order(700)
    cut = rendered_tables(tmp_path / "cut", order)
    monkeypatch.setattr(docgen.longtables, "WHOLE_UP_TO", 10**6)
    whole = rendered_tables(tmp_path / "whole", order)
    assert len(cut) > len(whole) and not any(follows_a_table(t) for t in whole)
    parts = [t for t in cut if follows_a_table(t)]
    assert len(parts) == len(cut) - len(whole)
    assert all(len(t.rows) - len(header_rows(t)) <= docgen.longtables.ROWS + 10 for t in cut)  # a cut waits for a merge to end
    for part in parts:
        header = header_rows(part)
        assert header and texts(part)[:len(header)] == header  # the header repeated at the top
        assert not docgen.longtables.continues_merge(part.rows[len(header)]._tr)

    def body_rows(tables):
        return [row for t in tables for row in texts(t)[len(header_rows(t)) if follows_a_table(t) else 0:]]

    assert body_rows(cut) == body_rows(whole)  # every row, in order, numbering running on


def test_tables_of_ordinary_documents_stay_whole(tmp_path):
    """An order of a few hundred pairs keeps one annex table: no header row in the middle of its pages."""
    assert not any(follows_a_table(t) for t in rendered_tables(tmp_path / "small", big_order(20)))
    assert not any(follows_a_table(t) for t in rendered_tables(tmp_path / "usual", big_order(250)))
