"""Bringing an existing roadmap in: a school's DOCX read back into roadmap JSON, or into a filled docgen form.

``read_roadmap(path)`` opens the DOCX with python-docx and finds:
- the plan table (the table with the most rows): its header row(s) — one, or two when the first has cells
  merged down or across (the titles of a column are joined), a row that only numbers the columns is
  skipped; each column by its title (known columns by their titles and synonyms, the rest as own columns
  under their title, width from the table grid);
- stage rows in every shape docgen knows: a row across the table («Этап 1. …», «Раздел 2. …», «3. …»), the
  number in the № column beside a title spanning the rest (with «Задача этапа: …» in the same cell or not),
  a number alone in the № column over nested item numbers (1 | Title, then 1.1, 1.2), a stage column merged
  down; «Задача этапа: …» and «Результат: …» rows before or after the stage's items;
- items with their numbers as printed (in the № column, or leading the first text column: «1.1. …»), their
  lines, and cells merged down (the column then continues the cell above);
- the grifs: docgen's own two-cell grif table, or paragraphs (and small tables) above the plan table that
  start with УТВЕРЖДАЮ / УТВЕРЖДЕН… / СОГЛАСОВАН…, kept as lines in their order; none found — no grif;
- the title (bold paragraphs just above the table) and, in docgen's layout, the author lines above it.
``write_import(data, target, doc_type, closed_lists)`` writes the JSON, or the blank form filled in.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell

from docgen.api import DocgenError, find_item, title_lookup

from .heading import GRIF_START, grif_date, grif_groups, split_grifs
from .plan import KNOWN_COLUMNS, TYPE_ID
from .sheet import SHEET_COLUMNS

EMU_PER_CM = 360000
STAGE_TEXT = re.compile(r"^(?:(?P<label>[А-ЯЁA-Zа-яёa-z]+)\s+)?(?P<number>\d+|[IVXLC]+)\s*[.):]\s*(?P<title>.*)$",
                        re.DOTALL)
NUMBER_TEXT = re.compile(r"^(\d+(?:\.\d+)*\.?|[IVXLC]+\.?)$")
NUMBER_PREFIX = re.compile(r"^(\d+(?:\.\d+)*)\.\s+(.*)$", re.DOTALL)
TASK_TEXT = re.compile(r"^\s*Задач[аи]\s+этапа\s*:\s*", re.IGNORECASE)
RESULT_TEXT = re.compile(r"^\s*Результат(?:ы)?(?:\s+этапа)?\s*:\s*", re.IGNORECASE)
LOOKUP = title_lookup(SHEET_COLUMNS)
TABLE_KEYS = set(KNOWN_COLUMNS)


# --- the table as a grid ------------------------------------------------------------------------------

@dataclass
class GridCell:
    """One cell of the source table: its lines, the grid columns it covers, whether it continues the cell above."""

    lines: list[str]
    start: int
    span: int
    continues: bool = False
    shaded: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def cell_lines(tc, table) -> list[str]:
    lines = []
    for paragraph in _Cell(tc, table).paragraphs:
        lines += [" ".join(line.split()) for line in paragraph.text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def grid_rows(table: Table) -> list[list[GridCell]]:
    rows = []
    for tr in table._tbl.tr_lst:
        cells, start = [], 0
        skipped = tr.trPr.find(qn("w:gridBefore")) if tr.trPr is not None else None
        if skipped is not None:
            start = int(skipped.get(qn("w:val")))
        for tc in tr.tc_lst:
            shading = tc.tcPr.find(qn("w:shd")) if tc.tcPr is not None else None
            shaded = shading is not None and (shading.get(qn("w:fill")) or "auto").lower() not in ("auto", "ffffff")
            cells.append(GridCell(cell_lines(tc, table), start, tc.grid_span, tc.vMerge == "continue", shaded))
            start += tc.grid_span
        rows.append(cells)
    return rows


def width_of(table: Table) -> int:
    return len(table._tbl.tblGrid.gridCol_lst) or max((sum(c.span for c in r) for r in grid_rows(table)), default=0)


# --- header -----------------------------------------------------------------------------------------------

def is_header_row(tr) -> bool:
    return tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None


def numbers_columns(row: list[GridCell]) -> bool:
    """A row «1 | 2 | 3 | 4» under a header that only numbers the columns."""
    texts = [c.text for c in row]
    return len(texts) > 2 and texts == [str(i) for i in range(1, len(texts) + 1)]


def header_size(table: Table, rows: list[list[GridCell]]) -> int:
    marked = 0
    for tr in table._tbl.tr_lst:
        if not is_header_row(tr):
            break
        marked += 1
    if marked:
        return marked
    first = rows[0]
    two_lines = len(rows) > 1 and (any(c.span > 1 for c in first) and len(first) > 1
                                   or any(c.continues for c in rows[1]))
    return 2 if two_lines else 1


def column_titles(rows: list[list[GridCell]], size: int, width: int) -> list[str]:
    """Each grid column's title: the header rows' texts above it joined («Сроки (начало)» for a group)."""
    titles = [[] for _ in range(width)]
    for row in rows[:size]:
        for cell in row:
            if cell.continues or not cell.text:
                continue
            for column in range(cell.start, min(cell.start + cell.span, width)):
                titles[column].append("\n".join(cell.lines))
    result = []
    for parts in titles:
        result.append(parts[0] if len(parts) == 1 else (f"{parts[0]} ({' '.join(parts[1:])})" if parts else ""))
    return result


@dataclass
class Layout:
    keys: list[str]
    titles: list[str]
    widths: list[float]
    merged: set[str] = field(default_factory=set)

    def index(self, key: str) -> int | None:
        return self.keys.index(key) if key in self.keys else None


def column_keys(titles: list[str]) -> list[str]:
    keys, taken = [], set()
    for index, title in enumerate(titles):
        item = find_item(title, LOOKUP) if title else None
        key = item.key if item is not None and item.key in TABLE_KEYS else None
        if key is None or key in taken:
            key = f"column{index + 1}"
        taken.add(key)
        keys.append(key)
    return keys


def grid_widths(table: Table, width: int) -> list[float]:
    cols = table._tbl.tblGrid.gridCol_lst
    values = [round((col.w or 0) / EMU_PER_CM, 1) for col in cols][:width]
    return values if len(values) == width and all(values) else [0.0] * width


# --- body rows ----------------------------------------------------------------------------------------------

def row_texts(row: list[GridCell], width: int) -> list[GridCell | None]:
    """The cell covering each grid column (a spanned cell repeated)."""
    covered: list[GridCell | None] = [None] * width
    for cell in row:
        for column in range(cell.start, min(cell.start + cell.span, width)):
            covered[column] = cell
    return covered


def spanning(row: list[GridCell], width: int, lead: int) -> GridCell | None:
    """The one cell covering every column from ``lead`` on (a line across the table), if the row is one."""
    rest = [c for c in row if c.start >= lead]
    if len(rest) == 1 and rest[0].start == lead and rest[0].start + rest[0].span >= width and width - lead > 1:
        return rest[0]
    texts = {c.text for c in rest}
    if len(rest) > 1 and len(texts) == 1 and texts != {""} and rest[0].start == lead:  # merged by copying the text
        return rest[0]
    return None


def stage_from_text(lines: list[str]) -> tuple[dict, str | None]:
    """(stage, label) from «Этап 1. Title» / «1. Title» / «Title»."""
    text = " ".join(lines).strip()
    match = STAGE_TEXT.match(text)
    if match and (match["label"] is None or match["label"][0].isupper()):
        stage = {"number": match["number"], "title": match["title"].strip()}
        return stage, match["label"] or ""
    return {"number": "", "title": text}, None


def note(lines: list[str]) -> tuple[str, list[str]] | None:
    """(«task» | «result», its lines) for «Задача этапа: …» / «Результат: …»."""
    if not lines:
        return None
    for what, pattern in (("task", TASK_TEXT), ("result", RESULT_TEXT)):
        if pattern.match(lines[0]):
            first = pattern.sub("", lines[0], count=1)
            return what, [line for line in [first, *lines[1:]] if line]
    return None


def lines_value(lines: list[str]):
    return lines[0] if len(lines) == 1 else ("" if not lines else "\n".join(lines))


class PlanReader:
    """Folds the body rows of the plan table into stages (or plain items) in the JSON shape."""

    def __init__(self, layout: Layout, width: int):
        self.layout, self.width = layout, width
        self.stages: list[dict] = []
        self.loose: list[dict] = []
        self.options: dict = {}
        self.number_at = layout.index("number")
        self.stage_at = layout.index("stage")
        self.numbers_missing = False
        self.prefix_numbers = self.number_at is None
        self.next_row: list[GridCell] | None = None

    # stage rows
    def stage(self, stage: dict) -> None:
        stage["items"] = []
        self.stages.append(stage)

    def note(self, what: str, lines: list[str]) -> bool:
        if not self.stages:
            return False
        stage = self.stages[-1]
        if what in stage:
            return False
        stage[what] = lines_value(lines)
        self.options.setdefault(f"{what}_position", "after" if stage["items"] else "before")
        return True

    def read_rows(self, rows: list[list[GridCell]]) -> None:
        for index, row in enumerate(rows):
            self.next_row = rows[index + 1] if index + 1 < len(rows) else None
            self.read_row(row)

    def read_row(self, row: list[GridCell]) -> None:
        if self.stage_at is None:
            if self.span_row(row) or self.lead_row(row):
                return
        self.item_row(row)

    def span_row(self, row: list[GridCell]) -> bool:
        cell = spanning(row, self.width, 0)
        if cell is None:
            return False
        found = note(cell.lines)
        if found and self.note(*found):
            return True
        stage, label = stage_from_text(cell.lines)
        if label is not None:
            self.options.setdefault("stage_label", label)
        self.options.setdefault("stage_shading", cell.shaded)
        self.stage(stage)
        return True

    def lead_row(self, row: list[GridCell]) -> bool:
        """The stage number in the № column and its title beside it (spanning, or alone in the next column)."""
        if self.number_at != 0:
            return False
        covered = row_texts(row, self.width)
        lead = covered[0]
        cell = spanning(row, self.width, 1)
        if lead is None:
            return False
        if cell is not None:
            found = note(cell.lines)
            if not lead.text and found and self.note(*found):
                return True
            if not NUMBER_TEXT.match(lead.text or "-"):
                return False
            paragraphs = cell.lines
            stage = {"number": lead.text.rstrip("."), "title": paragraphs[0] if paragraphs else ""}
            task = note(paragraphs[1:]) if len(paragraphs) > 1 else None
            layout = "number_cell"
            if task and task[0] == "task":
                stage["task"] = lines_value(task[1])
                layout = "title_with_task"
            self.options.setdefault("stage_layout", layout)
            self.options.setdefault("stage_shading", cell.shaded)
            self.options.setdefault("number_dot", lead.text.endswith("."))
            self.stage(stage)
            return True
        # «1 | Нормативно-правовое …» with the other cells empty, over items numbered 1.1, 1.2
        others = [c for c in covered[2:] if c is not None and c.text]
        if (re.fullmatch(r"\d+\.?", lead.text or "") and covered[1] is not None and covered[1].text
                and not others and self.layout.keys[1] != "content" and self.next_number_under(lead.text)):
            self.options.setdefault("stage_layout", "number_cell")
            self.options.setdefault("number_dot", lead.text.endswith("."))
            self.options.setdefault("stage_shading", covered[1].shaded)
            self.stage({"number": lead.text.rstrip("."), "title": " ".join(covered[1].lines)})
            return True
        return False

    def next_number_under(self, number: str) -> bool:
        """The row after this one is numbered under it (1 → 1.1): this one is a stage, not an activity."""
        if self.next_row is None:
            return False
        cell = row_texts(self.next_row, self.width)[0]
        return cell is not None and cell.text.startswith(number.rstrip(".") + ".") and len(cell.text) > len(number)

    def item_row(self, row: list[GridCell]) -> None:
        covered = row_texts(row, self.width)
        item: dict = {}
        stage_cell = covered[self.stage_at] if self.stage_at is not None else None
        if stage_cell is not None and not stage_cell.continues and (stage_cell.text or not self.stages):
            self.stage_column_stage(stage_cell, covered)
        for key, cell in zip(self.layout.keys, covered):
            if key == "stage" or (key == "number" and self.stage_at is not None):
                continue
            if cell is None:
                continue
            if cell.continues:
                self.layout.merged.add(key)
                continue
            if key in self.layout.merged and self.repeats_merged(key, cell):
                continue  # a merged cell started again after a page end, its text repeated
            if key == "number":
                if cell.text:
                    item["number"] = cell.text
                else:
                    self.numbers_missing = True
                continue
            item[key] = lines_value(cell.lines)
        if self.prefix_numbers:
            self.take_prefix_number(item)
        if not any(v for k, v in item.items() if k != "number"):
            return
        (self.stages[-1]["items"] if self.stages else self.loose).append(item)

    def repeats_merged(self, key: str, cell: GridCell) -> bool:
        items = self.stages[-1]["items"] if self.stages else self.loose
        above = next((item[key] for item in reversed(items) if key in item), None)
        return bool(cell.lines) and above == lines_value(cell.lines)

    def stage_column_stage(self, cell: GridCell, covered: list) -> None:
        """In the stage-column layout a stage cell (not continuing the one above) starts a stage."""
        number_cell = covered[self.number_at] if self.number_at is not None else None
        lines = list(cell.lines)
        stage: dict = {}
        if number_cell is not None and number_cell.text:
            stage["number"] = number_cell.text.rstrip(".")
            self.options.setdefault("number_dot", number_cell.text.endswith("."))
        for position, line in enumerate(lines):
            found = note([line] + lines[position + 1:])
            if found:
                stage[found[0]] = lines_value(found[1])
                lines = lines[:position]
                break
        if lines:
            stage["title"] = "\n".join(lines)
        if self.stages and {k: v for k, v in self.stages[-1].items() if k != "items"} == stage:
            return  # the stage cell started again after a page end (docgen repeats it on every page)
        self.stage(stage)

    def take_prefix_number(self, item: dict) -> None:
        """«1.1. Обеспечить …» in the first text column: the number goes to the item, the text stays."""
        first = next((k for k in self.layout.keys if k not in ("number", "stage")), None)
        text = item.get(first)
        match = NUMBER_PREFIX.match(text) if isinstance(text, str) else None
        if match:
            item["number"], item[first] = match[1], match[2]
        else:
            self.numbers_missing = True

    def result(self) -> dict:
        data: dict = {}
        if self.numbers_missing or self.stage_at is not None:
            data["numbering"] = "none"
        if self.stages:
            if self.loose:
                self.stages[0]["items"][:0] = self.loose
            for index, stage in enumerate(self.stages, 1):
                stage.setdefault("number", str(index))
            data["stages"] = self.stages
        else:
            data["items"] = self.loose
        return data


# --- grifs, title, author -----------------------------------------------------------------------------------

def paragraph_lines(paragraph) -> list[str]:
    return [" ".join(line.split()) for line in paragraph.text.split("\n")]


def body_blocks(document) -> list:
    """The body's paragraphs and tables, in order, up to the plan table."""
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    blocks = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            blocks.append(Paragraph(child, document))
        elif child.tag == qn("w:tbl"):
            blocks.append(DocxTable(child, document))
    return blocks


def block_lines(paragraph) -> list[tuple[str, bool]]:
    bold = bool(paragraph.runs) and all(run.bold for run in paragraph.runs if run.text.strip())
    return [(line, bold and bool(line)) for line in paragraph_lines(paragraph)]


def docgen_grif_table(table) -> tuple[list[str], list[str]] | None:
    if len(table.rows) != 1 or len(table.rows[0].cells) != 2:
        return None
    left, right = ([line for p in cell.paragraphs for line in paragraph_lines(p)] for cell in table.rows[0].cells)
    if not any(GRIF_START.match(line) for line in left + right if line) and any(left + right):
        return None
    return [line for line in left if line], [line for line in right if line]


def read_heading(blocks: list, plan_index: int) -> dict:
    """Grifs, author and title from what stands above the plan table."""
    data: dict = {}
    approval, agreement = None, None
    free_lines: list[tuple[str, bool]] = []
    title: list[str] = []
    author: list[str] = []
    after_grifs = 0
    for position, block in enumerate(blocks[:plan_index]):
        if hasattr(block, "rows"):
            found = docgen_grif_table(block)
            if found is not None:
                agreement = agreement if not found[0] else found[0]
                approval = approval if not found[1] else found[1]
                after_grifs = position + 1
                continue
            for row in block.rows:
                for cell in row.cells:
                    free_lines += [line for p in cell.paragraphs for line in block_lines(p)] + [("", False)] * 2
            continue
        free_lines += block_lines(block)
    found_approval, found_agreement = split_grifs(grif_groups(free_lines))
    approval, agreement = approval or found_approval, agreement or found_agreement
    paragraphs = [b for b in blocks[after_grifs:plan_index] if not hasattr(b, "rows")]
    grif_text = set((approval or []) + (agreement or []))
    for paragraph in reversed(paragraphs):
        text = paragraph.text.strip()
        if not text:
            if title:
                break
            continue
        bold = all(run.bold for run in paragraph.runs if run.text.strip())
        if bold and not author and text not in grif_text:
            title[:0] = paragraph_lines(paragraph)
        elif title and after_grifs and paragraph.alignment is not None and text not in grif_text:
            author[:0] = paragraph_lines(paragraph)
        else:
            break
    if title:
        data["title"] = "\n".join(title)
    if author:
        data["author"] = author if len(author) > 1 else author[0]
    data["approval"] = {"lines": approval} if approval else False
    if agreement:
        data["agreement"] = {"lines": agreement}
    if grif_date(approval):
        data["date"] = grif_date(approval)
    return data


# --- the whole file ---------------------------------------------------------------------------------------------

def open_docx(path: Path):
    try:
        return Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a file that is not a DOCX
        raise DocgenError(f"Файл «{Path(path).name}» не открывается как документ Word (.docx): {type(exc).__name__}. "
                          "Сохраните его в Word или LibreOffice как «Документ Word (.docx)».") from None


def read_roadmap(path: Path) -> dict:
    """Roadmap JSON data from an existing roadmap DOCX."""
    document = open_docx(path)
    blocks = body_blocks(document)
    tables = [(i, b) for i, b in enumerate(blocks) if hasattr(b, "rows")]
    if not tables:
        raise DocgenError(f"В файле «{Path(path).name}» нет таблицы: план мероприятий должен быть таблицей.")
    plan_index, table = max(tables, key=lambda pair: len(pair[1].rows))
    rows = grid_rows(table)
    width = width_of(table)
    if len(rows) < 2 or width < 2:
        raise DocgenError(f"В файле «{Path(path).name}» таблица плана слишком мала: нужны строка заголовков и хотя бы "
                          "одна строка мероприятий.")
    caption = []
    while len(rows) > 2 and len(rows[0]) == 1 and rows[0][0].span >= width:  # a title typed into the table
        caption += rows.pop(0)[0].lines
    size = header_size(table, rows) if not caption else 1
    titles = column_titles(rows, size, width)
    body = rows[size:]
    if body and numbers_columns(body[0]):
        body = body[1:]
    layout = Layout(column_keys(titles), titles, grid_widths(table, width))
    if "activity" not in layout.keys:
        first_text = next((i for i, k in enumerate(layout.keys) if k.startswith("column")), None)
        if first_text is not None:
            layout.keys[first_text] = "activity"
    reader = PlanReader(layout, width)
    reader.read_rows(body)
    data = {"type": TYPE_ID, **read_heading(blocks, plan_index)}
    if caption and "title" not in data:
        data["title"] = "\n".join(caption)
    options = {k: v for k, v in reader.options.items() if not default_option(k, v)}
    data.update(options)
    data["columns"] = columns_json(layout)
    data.update(reader.result())
    return data


DEFAULT_OPTIONS = {"stage_label": "Этап", "stage_shading": True, "number_dot": False, "task_position": "before",
                   "result_position": "after", "stage_layout": "row"}


def default_option(key: str, value) -> bool:
    return DEFAULT_OPTIONS.get(key, object()) == value


def columns_json(layout: Layout) -> list:
    columns = []
    for key, title, width in zip(layout.keys, layout.titles, layout.widths):
        spec: dict = {"key": key, "title": title or " "}
        if width:
            spec["width"] = width
        if key in layout.merged:
            spec["merge"] = True
        columns.append(spec)
    return columns


# --- writing the result -------------------------------------------------------------------------------------

def write_import(data: dict, target: Path, doc_type, closed_lists: dict) -> Path:
    """The imported roadmap as JSON, or as the docgen form filled in (.xlsx); never over an existing file."""
    if target.exists():
        raise DocgenError(f"Файл «{target}» уже есть; ничего не записано. Укажите другое имя (-o).")
    target.parent.mkdir(parents=True, exist_ok=True)
    suffix = target.suffix.lower()
    if suffix == ".json":
        target.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    elif suffix == ".xlsx":
        from .importform import filled_form

        filled_form(data, doc_type, closed_lists).save(target)
    else:
        raise DocgenError(f"Куда записать: «{target.name}» — укажите файл .json или .xlsx.")
    return target


def import_roadmap(source: Path, target: Path, doc_type, closed_lists: dict) -> Path:
    """``docgen import roadmap``: the DOCX read, the JSON or filled form written."""
    return write_import(read_roadmap(Path(source)), Path(target), doc_type, closed_lists)
