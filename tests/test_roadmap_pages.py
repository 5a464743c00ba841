"""Roadmap pages are full: a kept group that does not fit is cut where the page ends, merged cells restarted.

The height estimate (``plugins/roadmap/measure.py``) against LibreOffice's real layout: on the reference
plans and two 150-row plans built from their cells (a stage column; stage rows over activities merged down
their lines of content), every page but the last is filled, every page where a merged stage or activity
has rows shows its text, and no stage row ends a page. Without LibreOffice: where the cuts fall.
"""
from __future__ import annotations

import copy
import re

import pytest
from docx import Document
from docx.oxml.ns import qn

from helpers import drop, load_example
from plugins.roadmap.measure import PT_PER_CM, header_height, row_heights, wrapped_lines
from plugins.roadmap.pagination import FULL_SHARE, PAGE_PT, SAFETY_PT, Heights, chains, limit_kept_groups
from plugins.roadmap.plan import CellsRow, PlanBuilder, SpanRow, plan_columns
from plugins.roadmap.wordtable import fitted_widths

MARGIN_PT = 1134 / 20  # the template's top and bottom page margins
MIN_FILL = 0.80  # no page but the last less full (a row or a stage with its first row that does not fit)
MEAN_FILL = 0.86


def squeeze(text: str) -> str:
    return " ".join(text.split())


def repeated_stages(data: dict, rows: int) -> list[dict]:
    """The plan's stages again and again, numbered on, until they hold ``rows`` items."""
    stages, count = [], 0
    while count < rows:
        stage = copy.deepcopy(data["stages"][len(stages) % len(data["stages"])])
        stage["number"] = str(len(stages) + 1)
        stage["title"] = f"{(stage.get('title') or 'Подготовка условий').rstrip('.')} (часть {len(stages) + 1})"
        stages.append(stage)
        count += len(stage["items"])
    return stages


def long_stage_column_plan() -> dict:
    data = load_example("roadmap_progymnasium.json")
    return {**data, "title": "Дорожная карта, 150 строк", "stages": repeated_stages(data, 150)}


def long_merged_activity_plan() -> dict:
    """Stage rows over activities merged down their lines of content (the progymnasium's cells)."""
    stages = repeated_stages(load_example("roadmap_progymnasium.json"), 130)
    for stage in stages:
        stage.pop("number")
        stage["items"][0]["activity"] = stage["items"][0].get("activity") or "Организационные мероприятия."
    return {"type": "roadmap", "date": "2023-08-31", "title": "Дорожная карта, 150 строк с этапами",
            "columns": ["number", {"key": "activity", "title": "Мероприятия", "width": 5, "merge": True},
                        {"key": "content", "title": "Содержание деятельности", "width": 9}, "deadline",
                        "responsible"],
            "stages": stages}


PLANS = {"progymnasium": lambda: load_example("roadmap_progymnasium.json"),
         "kerch": lambda: load_example("roadmap_kerch.json"),
         "school4": lambda: load_example("roadmap_school4.json"),
         "example": lambda: load_example("roadmap.json"),
         "stage-column-150": long_stage_column_plan,
         "merged-activity-150": long_merged_activity_plan}


# --- the PDF: full pages, merged cells with their text on every page ------------------------------------


def page_fill(page) -> float:
    """How far down its text area the page's lowest line of text stands (0 — top, 1 — bottom margin)."""
    baselines = []
    page.extract_text(visitor_text=lambda text, cm, tm, *_: baselines.append(tm[5]) if text.strip() else None)
    height = float(page.mediabox.height)
    return (height - MARGIN_PT - min(baselines)) / (height - 2 * MARGIN_PT)


def cell_text(tc) -> str:
    return squeeze("".join(t.text or "" for t in tc.iter(qn("w:t"))))


def merged_cells(docx_path) -> list[tuple[str, list[str]]]:
    """(text, rows) of every cell merged down in the plan table: each row by its longest own cell."""
    table = max(Document(str(docx_path)).tables, key=lambda t: len(t.rows))
    merges, open_at = [], {}
    for tr in table._tbl.tr_lst[1:]:
        own = [cell_text(tc) for tc in tr.tc_lst if tc.vMerge is None]
        row = max(own, key=len) if own else ""
        for column, tc in enumerate(tr.tc_lst):
            if tc.vMerge == "restart":
                open_at[column] = (cell_text(tc), [])
                merges.append(open_at[column])
            if tc.vMerge in ("restart", "continue") and column in open_at:
                open_at[column][1].append(row)
            else:
                open_at.pop(column, None)
    return merges


def pages_without_their_merged_text(docx_path, pages: list[str]) -> list[tuple[int, str]]:
    """(page, merged text) wherever a row under a merged cell is printed and the cell's text is not."""
    merges = merged_cells(docx_path)
    found = []
    for text, rows in merges:
        for row in rows:
            mark = row[:40]
            places = [number for number, page in enumerate(pages, 1) if mark in page]
            if len(text) < 3 or len(mark) < 10 or len(places) != 1:
                continue  # a number alone, or a row text that is not unique in the plan
            if text[:30] not in pages[places[0] - 1]:
                found.append((places[0], text[:30]))
    return found


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", PLANS)
def test_pages_are_full_and_a_merged_stage_or_activity_shows_its_text_on_every_page(
        docgen_workspace, docgen_pipeline, name):
    from pypdf import PdfReader

    data = PLANS[name]()
    outcome = docgen_pipeline.process(drop(docgen_workspace, f"{name}.json", data))
    assert outcome.ok, outcome.message
    reader = PdfReader(outcome.documents[0]["pdf"])
    fills = [page_fill(page) for page in reader.pages[:-1]]
    assert fills, "the plan fits one page"
    assert min(fills) >= MIN_FILL, [f"{fill:.0%}" for fill in fills]
    assert sum(fills) / len(fills) >= MEAN_FILL, [f"{fill:.0%}" for fill in fills]
    pages = [squeeze(page.extract_text()) for page in reader.pages]
    docx_path = outcome.documents[0]["docx"]
    assert pages_without_their_merged_text(docx_path, pages) == []
    if name in ("progymnasium", "stage-column-150"):
        assert len(merged_cells(docx_path)) > 10  # the check above had merged cells to look at
    for stage in data.get("stages", []) if not any("stage" == c or isinstance(c, dict) and c["key"] == "stage"
                                                   for c in data.get("columns", [])) else []:
        title = squeeze(stage["title"])[:30]
        first = squeeze(re.sub(r"^\d+\.\s*", "", stage["items"][0].get("activity") or ""))[:20]
        on = [page for page in pages if title in page]
        assert on and first in on[0], (title, first)  # a stage row never ends a page


# --- the estimate and the cuts, without LibreOffice ----------------------------------------------------


def plan_rows(data: dict):
    columns = plan_columns(data)
    widths = [width.cm * PT_PER_CM for width in fitted_widths(columns)]
    return PlanBuilder(data, columns).rows(), widths, header_height(columns, widths)


def test_lines_wrap_by_the_fonts_widths():
    assert wrapped_lines("Август", 100) == 1
    text = "Проведение мониторинга по выявлению предварительных запросов от потенциальных наставляемых"
    assert wrapped_lines(text, 150) > wrapped_lines(text, 300) > 1
    assert wrapped_lines("наставнических пар/групп", 90) == 2  # a line breaks after a slash


def test_a_stage_that_does_not_fit_is_cut_where_the_page_ends_not_moved_whole():
    data = load_example("roadmap_progymnasium.json")
    rows, widths, header = plan_rows(data)
    starts = limit_kept_groups(rows, widths, PAGE_PT - 150, header)
    heights = row_heights(rows, widths)
    assert len(starts) <= 5  # was six pages, one three-quarters empty
    for page, (start, end) in enumerate(zip(starts, starts[1:])):
        free = PAGE_PT - header - (150 if page == 0 else 0)
        used = Heights(rows, widths).of(start, end)
        assert used <= free - SAFETY_PT  # before the real end of the page
        assert used + heights[end] > free - SAFETY_PT or isinstance(rows[end - 1], SpanRow)
        assert not rows[end - 1].keep_next  # the page's last row is the end of a kept piece
        first = rows[end]
        if isinstance(first, CellsRow):  # the next page begins with the merged cells' text again
            assert all(cell.merge != "continue" for cell in first.cells)


@pytest.mark.parametrize("plan", [long_merged_activity_plan, long_stage_column_plan])
def test_a_stage_row_stays_with_its_first_activity_and_a_last_short_row_is_not_left_alone(plan):
    rows, widths, header = plan_rows(plan())
    last_of_group = {chain[-1] for chain in chains(rows) if len(chain) > 1}
    starts = limit_kept_groups(rows, widths, PAGE_PT, header)
    heights = Heights(rows, widths)
    for before, start in zip(starts, starts[1:]):
        assert not isinstance(rows[start - 1], SpanRow)  # no page ends with a stage row
        if start in last_of_group:  # a group's last row alone: only where the page would be too empty without
            assert PAGE_PT - header - heights.of(before, start - 1) > PAGE_PT * (1 - FULL_SHARE)


def test_without_the_font_files_widths_are_a_guess_and_pages_keep_more_in_reserve(monkeypatch):
    import plugins.roadmap.measure as measure
    import plugins.roadmap.pagination as pagination

    data = load_example("roadmap_progymnasium.json")
    rows, widths, header = plan_rows(data)
    exact = limit_kept_groups(rows, widths, PAGE_PT, header)
    monkeypatch.setattr(measure, "serif_available", lambda: False)
    monkeypatch.setattr(pagination, "serif_available", lambda: False)
    rows, widths, header = plan_rows(data)
    rough = limit_kept_groups(rows, widths, PAGE_PT, header)
    assert len(rough) >= len(exact)
    heights = Heights(rows, widths)
    for start, end in zip(rough, rough[1:]):
        assert heights.of(start, end) <= PAGE_PT - header - PAGE_PT * pagination.ROUGH_SHARE
