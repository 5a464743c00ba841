"""The roadmap's plan as rows: its columns, its numbering, stage rows or a stage column, vertical merges.

``PlanBuilder`` turns the validated data (stages with items, or plain items) into ``SpanRow``
(a line across the table: a stage, its task, its result) and ``CellsRow`` (one activity, one
``Cell`` per column) objects; ``wordtable`` draws them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

TYPE_ID = "roadmap"
DEFAULT_TITLE = "План мероприятий (дорожная карта) реализации программы наставничества"

# key: (title, width in cm, alignment)
KNOWN_COLUMNS = {
    "number": ("№ п/п", 1.4, "center"),
    "stage": ("Этап", 5.0, "left"),
    "activity": ("Мероприятие", 8.0, "left"),
    "content": ("Содержание деятельности", 8.0, "left"),
    "deadline": ("Сроки", 3.4, "center"),
    "responsible": ("Ответственные", 5.0, "left"),
    "result": ("Результат", 7.0, "left"),
}
DEFAULT_COLUMNS = ("number", "activity", "deadline", "responsible", "result")
OTHER_COLUMN_WIDTH = 5.0
NUMBERING = {"by_stage": "by_stage", "по этапам": "by_stage", "continuous": "continuous",
             "сквозная": "continuous", "none": "none", "без номеров": "none"}
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# How a stage is drawn when there is no stage column (Russian spellings accepted from spreadsheets):
# "row" — one shaded row across the table, «Этап 1. Title»;
# "number_cell" — the stage number in the № column, the title spanning the other columns;
# "title_with_task" — as number_cell, with «Задача этапа: …» in the same cell under the title.
STAGE_LAYOUTS = {"row": "row", "строка": "row", "строка через всю таблицу": "row",
                 "number_cell": "number_cell", "номер и название": "number_cell",
                 "title_with_task": "title_with_task", "название с задачей": "title_with_task"}
# Where a stage's «Задача этапа» / «Результат» rows stand: before or after its items.
POSITIONS = {"before": "before", "до мероприятий": "before", "перед мероприятиями": "before",
             "after": "after", "после мероприятий": "after"}
DEFAULT_POSITIONS = {"task": "before", "result": "after"}  # a result sums the stage up, as in real plans


@dataclass(frozen=True)
class PlanColumn:
    key: str
    title: str
    width: float
    align: str = "left"
    merge: bool = False


def plan_columns(data: dict) -> list[PlanColumn]:
    """The table's columns as the school chose them (known keys get their title, width, alignment)."""
    columns = []
    for spec in data.get("columns") or DEFAULT_COLUMNS:
        spec = {"key": spec} if isinstance(spec, str) else spec
        title, width, align = KNOWN_COLUMNS.get(spec["key"], ("", OTHER_COLUMN_WIDTH, "left"))
        columns.append(PlanColumn(spec["key"], spec.get("title") or title, spec.get("width") or width,
                                  spec.get("align") or align, bool(spec.get("merge"))))
    return columns


def lines_of(value) -> list[str]:
    """A cell value as printed lines: lists and newlines give lines; numbers print without «.0»."""
    if value is None:
        return []
    if isinstance(value, list):
        return [line for item in value for line in lines_of(item)]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = CONTROL_CHARS.sub(" ", str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    lines = [line.strip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


@dataclass
class Cell:
    lines: list[str] = field(default_factory=list)
    merge: str | None = None  # "restart" | "continue" (vertical merge) | None
    bold_first: bool = False


@dataclass
class SpanRow:
    """A line across the table (stage title, its task, its result): (text, bold) runs per paragraph.

    With ``lead`` the first column (№) holds ``lead`` and the span covers the other columns."""

    paragraphs: list[list[tuple[str, bool]]]
    lead: list[str] | None = None
    shaded: bool = True
    keep_next: bool = True  # kept on one page with the next row
    splittable: bool = False  # too tall to keep on one page: may break across pages (``pagination``)


@dataclass
class CellsRow:
    cells: list[Cell]
    keep_next: bool = False  # the next row continues one of this row's merged cells
    splittable: bool = False  # too tall to keep on one page: may break across pages (``pagination``)


def numbering_of(data: dict) -> str:
    if data.get("numbering"):
        return NUMBERING[data["numbering"]]
    return "by_stage" if data.get("stages") else "continuous"


def stages_of(data: dict) -> list[dict]:
    """The stages, or the plain item list as one untitled stage without a stage row."""
    return data.get("stages") or [{"items": data.get("items", []), "_plain": True}]


def stage_number(stage: dict, index: int) -> str:
    """The stage's number; ``"number": ""`` prints a stage row with its title alone."""
    if stage.get("number") == "":
        return ""
    return str(stage.get("number") if stage.get("number") is not None else index).strip().rstrip(".")


def labelled(label: str, value) -> list[list[tuple[str, bool]]]:
    lines = lines_of(value)
    return [[(f"{label}: ", True), (lines[0], False)]] + [[(line, False)] for line in lines[1:]]


def option(data: dict, key: str, table: dict, default: str) -> str:
    value = data.get(key)
    return table[str(value).strip().lower()] if value not in (None, "") else default


def stage_layout(data: dict) -> str:
    return option(data, "stage_layout", STAGE_LAYOUTS, "row")


def position(data: dict, what: str) -> str:
    return option(data, f"{what}_position", POSITIONS, DEFAULT_POSITIONS[what])


def without_heading(title: str, label: str, number: str) -> str:
    """The title without a heading typed into it that the row prints anyway: «Этап 1. Подготовка» (or
    «1. Подготовка», «Этап 1») in stage 1 → «Подготовка», so the row never reads «Этап 1. Этап 1. …»."""
    if not number:
        return title
    words = rf"(?:{re.escape(label)}\s+)?" if label else ""
    typed = re.match(rf"{words}{re.escape(number)}(?:\s*[.:)]\s*|\s*$)", title, re.IGNORECASE)
    return title[typed.end():].strip() if typed else title


def stage_title_row(stage: dict, number: str, label: str, layout: str, shaded: bool, dot: bool) -> SpanRow:
    title = " ".join(lines_of(stage.get("title")))
    if layout == "row":
        title = without_heading(title, label, number)
        heading = "" if not number else (f"{label} {number}" if label else number)
        heading = f"{heading}. {title}" if heading and title else heading or title
        return SpanRow([[(heading.strip(), True)]], shaded=shaded)
    paragraphs = [[(title, True)]] if title else []
    if layout == "title_with_task" and lines_of(stage.get("task")):
        paragraphs += labelled("Задача этапа", stage["task"])
    return SpanRow(paragraphs, lead=[with_dot(number, dot)], shaded=shaded)


def stage_note_rows(stage: dict, what: str, layout: str, lead: bool, shaded: bool) -> list[SpanRow]:
    """The «Задача этапа: …» or «Результат: …» row of a stage, if it has one and it is not in the title cell."""
    if not lines_of(stage.get(what)) or (what == "task" and layout == "title_with_task"):
        return []
    label = "Задача этапа" if what == "task" else "Результат"
    return [SpanRow(labelled(label, stage[what]), lead=[""] if lead else None, shaded=shaded and not lead)]


def stage_cell_lines(stage: dict) -> list[str]:
    lines = lines_of(stage.get("title"))
    if lines_of(stage.get("task")):
        lines += ["Задача этапа: " + " ".join(lines_of(stage["task"]))]
    if lines_of(stage.get("result")):
        lines += ["Результат: " + " ".join(lines_of(stage["result"]))]
    return lines


def with_dot(number: str, dot: bool) -> str:
    return f"{number}." if dot and not number.endswith(".") else number


class PlanBuilder:
    """Turns stages and items into table rows: numbers, stage rows or a stage column, vertical merges."""

    def __init__(self, data: dict, columns: list[PlanColumn]):
        self.data, self.columns = data, columns
        self.keys = [c.key for c in columns]
        self.numbering = numbering_of(data)
        self.stage_column = "stage" in self.keys
        self.number_column = "number" in self.keys and not self.stage_column
        text_keys = [k for k in self.keys if k not in ("number", "stage")]
        self.prefix_key = text_keys[0] if text_keys and not self.number_column else None
        self.label = data.get("stage_label", "Этап")
        self.layout = stage_layout(data)
        self.shaded = data.get("stage_shading", True) is not False
        self.counter = 0

    def rows(self) -> list:
        rows: list = []
        titled = 0
        for stage in stages_of(self.data):
            titled += 0 if stage.get("_plain") else 1
            number = stage_number(stage, titled)
            if stage.get("_plain") or self.stage_column:
                rows += self.stage_rows(stage, number)
                continue
            rows.append(stage_title_row(stage, number, self.label, self.layout, self.shaded,
                                        bool(self.data.get("number_dot"))))
            rows += self.notes(stage, "before")
            rows += self.stage_rows(stage, number)
            after = self.notes(stage, "after")
            if after:  # a summing-up row stays with the stage's last row, not with the next stage
                rows[-1].keep_next = True
                after[-1].keep_next = False
            rows += after
        return rows

    def notes(self, stage: dict, where: str) -> list[SpanRow]:
        lead = self.layout != "row"
        return [note for what in ("task", "result") if position(self.data, what) == where
                for note in stage_note_rows(stage, what, self.layout, lead, self.shaded)]

    def item_number(self, item: dict, stage_no: str, index: int, plain: bool) -> str:
        self.counter += 1
        if item.get("number") not in (None, ""):
            return str(item["number"]).strip()
        if self.numbering == "none":
            return ""
        if self.numbering == "by_stage" and not plain and stage_no:
            return f"{stage_no}.{index}"
        return str(self.counter)

    def stage_rows(self, stage: dict, stage_no: str) -> list[CellsRow]:
        rows: list[CellsRow] = []
        above: dict[str, Cell] = {}
        index = 0
        for item in stage.get("items", []):
            if self.continues_activity(item, above):
                number = str(item.get("number") or "").strip()  # a further line of the activity above: no number
            else:
                index += 1
                number = self.item_number(item, stage_no, index, bool(stage.get("_plain")))
            cells = []
            for column in self.columns:
                cell = self.item_cell(column, item, number, above.get(column.key))
                if cell.merge == "continue":
                    above[column.key].merge = above[column.key].merge or "restart"
                else:
                    above[column.key] = cell
                cells.append(cell)
            rows.append(CellsRow(cells))
        for row, below in zip(rows, rows[1:]):
            row.keep_next = any(c.merge and cell.merge == "continue" for c, cell in zip(self.columns, below.cells))
        if self.stage_column and rows:
            self.fill_stage_cells(rows, stage, stage_no)
        return rows

    def continues_activity(self, item: dict, above: dict) -> bool:
        """The item only carries further lines («Содержание деятельности») of a merged activity above."""
        return any(c.key == "activity" and c.merge for c in self.columns) and "activity" in above \
            and item.get("activity") is None and self.number_column

    def item_cell(self, column: PlanColumn, item: dict, number: str, above: Cell | None) -> Cell:
        if column.key == "stage" or (column.key == "number" and self.stage_column):
            return Cell()  # filled for the whole stage by fill_stage_cells
        if column.key == "number":
            return Cell([with_dot(number, bool(self.data.get("number_dot")))] if number else [])
        if column.merge and above is not None and item.get(column.key) is None:
            return Cell(merge="continue")
        lines = lines_of(item.get(column.key))
        if column.key == self.prefix_key and number:
            prefix = with_dot(number, True)
            lines = [f"{prefix} {lines[0]}" if lines else prefix] + lines[1:]
        return Cell(lines)

    def fill_stage_cells(self, rows: list[CellsRow], stage: dict, stage_no: str) -> None:
        """In the stage-column layout the stage (and its number) is one cell merged down its rows."""
        for key in ("number", "stage"):
            if key not in self.keys:
                continue
            at = self.keys.index(key)
            if key == "number":
                first = Cell([with_dot(stage_no, bool(self.data.get("number_dot")))])
            else:
                first = Cell(stage_cell_lines(stage), bold_first=True)
            rows[0].cells[at] = first
            if len(rows) > 1:
                first.merge = "restart"
                for row in rows[1:]:
                    row.cells[at] = Cell(merge="continue")
        for row in rows[:-1]:  # the stage cell's rows are one kept group (cut by ``pagination`` when tall)
            row.keep_next = True
