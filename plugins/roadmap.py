"""Built-in type «Дорожная карта (план мероприятий) реализации программы наставничества» (roadmap).

Owns the roadmap's data shape and its plan table:
- the JSON Schema: a title; the approval grif (УТВЕРЖДАЮ block, or «УТВЕРЖДЕНА приказом от … № …»
  whose date comes from the register when the order is there); an optional agreement grif
  (СОГЛАСОВАНО); the columns the school chose (known ones by key, any others as {key, title, width});
  stages (number, title, «Задача этапа», «Результат», items) or plain items;
- the spreadsheet shape (one row per activity with an «Этап» column) and ``assemble``, which
  folds such rows into stages;
- the plan table. Its columns differ from school to school, so it is generated for each document
  with python-docx (widths, spans, vertical merges, a header row repeated on every page, rows kept
  whole, stage rows kept with the next row) and put into the template's ``{{p plan_table }}``
  paragraph as WordprocessingML.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt
from docx.table import _Cell
from lxml import etree
from markupsafe import Markup

from docgen import Column, DocumentType, Field, RenderInfo, SheetSpec, hookimpl
from docgen.russian import format_date_short, initials_before
from docgen.schemas import DATE, document_schema, parse_date

TYPE_ID = "roadmap"
TITLE = "Дорожная карта (план мероприятий) реализации программы наставничества"
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
STAGE_KEYS = ("number", "title", "task", "result", "items")
NUMBERING = {"by_stage": "by_stage", "по этапам": "by_stage", "continuous": "continuous",
             "сквозная": "continuous", "none": "none", "без номеров": "none"}

TEXT_WIDTH_CM = 26.2  # landscape A4 (29.7 cm) less the template's margins (2.0 cm + 1.5 cm)
TABLE_PT = 12
STAGE_FILL = "E8E8E8"
SIGN_BLANK = "____________"
DATE_BLANK = "«___» ____________ 20___ г."
NBSP = "\u00a0"

# --- schema --------------------------------------------------------------------------------------

TEXT = {"type": "string"}
CELL = {"type": ["string", "number", "array", "null"], "items": {"type": ["string", "number"]},
        "title": "ячейка (текст или список строк)"}
COLUMN = {
    "type": ["string", "object"], "title": "столбец",
    "properties": {
        "key": {"type": "string", "minLength": 1, "pattern": r"\S", "title": "ключ столбца"},
        "title": {**TEXT, "title": "заголовок столбца"},
        "width": {"type": "number", "exclusiveMinimum": 0, "title": "ширина столбца, см"},
        "merge": {"type": "boolean", "title": "объединять ячейку с верхней, если она не заполнена"},
        "align": {"enum": ["left", "center", "right"], "title": "выравнивание"},
    },
    "required": ["key"],
}
ITEM = {"type": "object", "title": "мероприятие", "additionalProperties": CELL,
        "properties": {"number": {"type": ["string", "integer"], "title": "номер мероприятия"}}}
STAGE = {
    "type": "object", "title": "этап",
    "properties": {
        "number": {"type": ["string", "integer"], "title": "номер этапа"},
        "title": {**TEXT, "title": "название этапа"},
        "task": {**CELL, "title": "задача этапа"},
        "result": {**CELL, "title": "результат этапа"},
        "items": {"type": "array", "items": ITEM, "title": "мероприятия этапа"},
    },
}
ORDER = {
    "type": ["string", "integer", "object"], "title": "приказ об утверждении",
    "properties": {"number": {"type": ["string", "integer"], "minLength": 1, "title": "номер приказа"},
                   "date": {**DATE, "title": "дата приказа"}},
    "required": ["number"],
}
APPROVAL = {
    "type": "object", "title": "гриф утверждения",
    "properties": {
        "word": {**TEXT, "title": "слово грифа (УТВЕРЖДАЮ, УТВЕРЖДЕНА)"},
        "position": {**TEXT, "title": "должность утверждающего"},
        "name": {**TEXT, "title": "ФИО утверждающего"},
        "date": {**DATE, "title": "дата утверждения"},
        "order": ORDER,
        "issuer": {**TEXT, "title": "чей приказ (например, «МБОУ «СОШ № 7»»)"},
    },
}
AGREEMENT = {
    "type": "object", "title": "гриф согласования",
    "properties": {
        "word": {**TEXT, "title": "слово грифа (СОГЛАСОВАНО)"},
        "position": {**TEXT, "minLength": 1, "title": "должность согласующего"},
        "organization": {**TEXT, "title": "организация согласующего"},
        "name": {**TEXT, "title": "ФИО согласующего"},
        "date": {**DATE, "title": "дата согласования"},
    },
    "required": ["position"],
}

SCHEMA = document_schema(
    TYPE_ID, TITLE,
    {
        "title": {**TEXT, "title": "заголовок"},
        "approval": APPROVAL,
        "agreement": AGREEMENT,
        "columns": {"type": "array", "minItems": 1, "items": COLUMN, "title": "столбцы таблицы"},
        "numbering": {"enum": list(NUMBERING), "title": "нумерация мероприятий"},
        "number_dot": {"type": "boolean", "title": "точка после номера"},
        "stage_label": {**TEXT, "title": "слово перед номером этапа"},
        "stages": {"type": "array", "minItems": 1, "items": STAGE, "title": "этапы"},
        "items": {"type": "array", "minItems": 1, "items": ITEM, "title": "мероприятия"},
    },
    [],
)


# --- columns ---------------------------------------------------------------------------------------

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


# --- text helpers ----------------------------------------------------------------------------------

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


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


INITIALS_FIRST = re.compile(r"^((?:[А-ЯЁA-Z]\.\s*){1,2})([А-ЯЁA-Z][\w-]+)$")
INITIALS_LAST = re.compile(r"^([А-ЯЁA-Z][\w-]+)\s+((?:[А-ЯЁA-Z]\.\s*){1,2})$")


def signature_name(name: str) -> str:
    """«З.А. Сарахова» for a signature, from a full name or one already written with initials."""
    name = " ".join(str(name).split())
    match = INITIALS_FIRST.match(name)
    if match:
        return f"{match[1].replace(' ', '')}{NBSP}{match[2]}"
    match = INITIALS_LAST.match(name)
    if match:
        return f"{match[2].replace(' ', '')}{NBSP}{match[1]}"
    return initials_before(name)


# --- grifs -------------------------------------------------------------------------------------------

def order_reference(order, info: RenderInfo) -> tuple[str, object] | None:
    """(number, date or None) of the approving order; the register's date wins when it knows the order."""
    if order in (None, ""):
        return None
    order = order if isinstance(order, dict) else {"number": order}
    number = re.sub(r"^№\s*", "", str(order["number"]).strip())
    given = parse_date(order.get("date")) if order.get("date") else None
    register = info.extra.get("register")
    entry = register.find_number(number, given) if register is not None else None
    if entry is not None and entry.status != "void":
        return number, parse_date(entry.doc_date)
    return number, given


def order_text(number: str, when) -> str:
    return f"от {format_date_short(when)} №{NBSP}{number}" if when else f"№{NBSP}{number}"


def default_approval(info: RenderInfo) -> dict:
    signer, short_name = info.signer, info.organization.get("short_name", "")
    position = signer.get("position", "")
    if short_name and position and short_name not in position:
        position = f"{position} {short_name}"
    return {"position": position, "name": signer.get("name", "")}


def approval_lines(data: dict, info: RenderInfo) -> list[str]:
    """The УТВЕРЖДАЮ block, or «УТВЕРЖДЕНА приказом … от … № …» when only the order is given."""
    approval = data.get("approval") or default_approval(info)
    order = order_reference(approval.get("order"), info)
    if approval.get("name"):
        lines = [approval.get("word") or "УТВЕРЖДАЮ", *lines_of(approval.get("position"))]
        lines.append(f"{SIGN_BLANK} {signature_name(approval['name'])}")
        if order:
            lines.append("Приказ " + order_text(*order))
        else:
            lines.append(format_date_short(approval.get("date") or info.date))
        return lines
    issuer = approval.get("issuer", info.organization.get("short_name", ""))
    lines = [approval.get("word") or "УТВЕРЖДЕНА"]
    if order is None:
        return lines
    if issuer:
        return lines + [f"приказом {issuer}", order_text(*order)]
    return lines + [f"приказом {order_text(*order)}"]


def agreement_lines(data: dict) -> list[str]:
    """The СОГЛАСОВАНО block (top left), or one empty line when there is none."""
    agreement = data.get("agreement")
    if not agreement:
        return [""]
    lines = [agreement.get("word") or "СОГЛАСОВАНО", *lines_of(agreement["position"]),
             *lines_of(agreement.get("organization"))]
    name = agreement.get("name")
    lines.append(f"{SIGN_BLANK} {signature_name(name)}" if name else SIGN_BLANK)
    lines.append(format_date_short(agreement["date"]) if agreement.get("date") else DATE_BLANK)
    return lines


# --- the plan as rows -----------------------------------------------------------------------------

@dataclass
class Cell:
    lines: list[str] = field(default_factory=list)
    merge: str | None = None  # "restart" | "continue" (vertical merge) | None
    bold_first: bool = False


@dataclass
class SpanRow:
    """A line across the whole table (stage title, its task, its result): (text, bold) runs per paragraph."""

    paragraphs: list[list[tuple[str, bool]]]


@dataclass
class CellsRow:
    cells: list[Cell]
    keep_next: bool = False  # the next row continues one of this row's merged cells


def numbering_of(data: dict) -> str:
    if data.get("numbering"):
        return NUMBERING[data["numbering"]]
    return "by_stage" if data.get("stages") else "continuous"


def stages_of(data: dict) -> list[dict]:
    """The stages, or the plain item list as one untitled stage without a stage row."""
    return data.get("stages") or [{"items": data.get("items", []), "_plain": True}]


def stage_number(stage: dict, index: int) -> str:
    return str(stage.get("number") if stage.get("number") not in (None, "") else index).strip().rstrip(".")


def labelled(label: str, value) -> list[list[tuple[str, bool]]]:
    lines = lines_of(value)
    return [[(f"{label}: ", True), (lines[0], False)]] + [[(line, False)] for line in lines[1:]]


def stage_span_rows(stage: dict, number: str, label: str) -> list[SpanRow]:
    heading = f"{label} {number}. " if label else f"{number}. "
    rows = [SpanRow([[((heading + " ".join(lines_of(stage.get("title")))).strip(), True)]])]
    if lines_of(stage.get("task")):
        rows.append(SpanRow(labelled("Задача этапа", stage["task"])))
    if lines_of(stage.get("result")):
        rows.append(SpanRow(labelled("Результат", stage["result"])))
    return rows


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
        self.counter = 0

    def rows(self) -> list:
        rows: list = []
        titled = 0
        for stage in stages_of(self.data):
            titled += 0 if stage.get("_plain") else 1
            number = stage_number(stage, titled)
            if not stage.get("_plain") and not self.stage_column:
                rows += stage_span_rows(stage, number, self.label)
            rows += self.stage_rows(stage, number)
        return rows

    def item_number(self, item: dict, stage_no: str, index: int, plain: bool) -> str:
        self.counter += 1
        if item.get("number") not in (None, ""):
            return str(item["number"]).strip()
        if self.numbering == "none":
            return ""
        if self.numbering == "by_stage" and not plain:
            return f"{stage_no}.{index}"
        return str(self.counter)

    def stage_rows(self, stage: dict, stage_no: str) -> list[CellsRow]:
        rows: list[CellsRow] = []
        above: dict[str, Cell] = {}
        for index, item in enumerate(stage.get("items", []), 1):
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


# --- the plan as a Word table ---------------------------------------------------------------------

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
TR_AFTER_CANTSPLIT = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del",
                      "w:trPrChange")
TC_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
                "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")
TBL_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                     "w:tblDescription", "w:tblPrChange")


def fitted_widths(columns: list[PlanColumn]) -> list[Emu]:
    """Column widths scaled so the table fills the text width of the landscape page."""
    total = sum(c.width for c in columns)
    return [Emu(int(Cm(TEXT_WIDTH_CM) * c.width / total)) for c in columns]


def row_property(tr, tag: str, successors: tuple[str, ...]) -> None:
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    tr.get_or_add_trPr().insert_element_before(element, *successors)


def shade(tc) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), STAGE_FILL)
    tc.get_or_add_tcPr().insert_element_before(shd, *TC_AFTER_SHD)


def write_paragraphs(cell: _Cell, paragraphs: list[list[tuple[str, bool]]], align, keep_next=False) -> None:
    for index, runs in enumerate(paragraphs or [[]]):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = align
        if keep_next:
            paragraph.paragraph_format.keep_with_next = True
        for text, bold in runs:
            run = paragraph.add_run(text)
            run.font.size = Pt(TABLE_PT)
            run.bold = bold or None


def grid_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        for attr, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            element.set(qn(f"w:{attr}"), value)
        borders.append(element)
    table._tbl.tblPr.insert_element_before(borders, *TBL_AFTER_BORDERS)


def cell_margins(table) -> None:
    """A little air above and below the text of every cell; the usual 0.19 cm at the sides."""
    margins = OxmlElement("w:tblCellMar")
    for edge, twips in (("top", 28), ("left", 108), ("bottom", 28), ("right", 108)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(margins, *TBL_AFTER_BORDERS[2:])


def new_table(columns: list[PlanColumn]):
    table = Document().add_table(rows=0, cols=len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = fitted_widths(columns)
    for column, width in zip(table.columns, widths):
        column.width = width
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(w.twips for w in widths)))
    grid_borders(table)
    cell_margins(table)
    return table


def add_header(table, columns: list[PlanColumn]) -> None:
    row = table.add_row()
    row_property(row._tr, "w:cantSplit", TR_AFTER_CANTSPLIT)
    row_property(row._tr, "w:tblHeader", TR_AFTER_CANTSPLIT[2:])
    for tc, column in zip(row._tr.tc_lst, columns):
        cell = _Cell(tc, table)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        write_paragraphs(cell, [[(line, True)] for line in lines_of(column.title)], ALIGN["center"])


def add_span_row(table, span: SpanRow) -> None:
    row = table.add_row()
    tr = row._tr
    row_property(tr, "w:cantSplit", TR_AFTER_CANTSPLIT)
    first, *rest = tr.tc_lst
    for tc in rest:
        tr.remove(tc)
    first.width = Emu(sum(gc.w for gc in table._tbl.tblGrid.gridCol_lst))
    first.grid_span = len(rest) + 1
    shade(first)
    write_paragraphs(_Cell(first, table), span.paragraphs, ALIGN["left"], keep_next=True)


def add_cells_row(table, cells_row: CellsRow, columns: list[PlanColumn]) -> None:
    row = table.add_row()
    row_property(row._tr, "w:cantSplit", TR_AFTER_CANTSPLIT)
    for tc, cell, column in zip(row._tr.tc_lst, cells_row.cells, columns):
        if cell.merge:
            tc.vMerge = cell.merge
        paragraphs = [[(line, cell.bold_first and i == 0)] for i, line in enumerate(cell.lines)]
        write_paragraphs(_Cell(tc, table), paragraphs, ALIGN.get(column.align, ALIGN["left"]), cells_row.keep_next)


def plan_table_xml(columns: list[PlanColumn], rows: list) -> Markup:
    """The whole plan table as a ``<w:tbl>`` element, ready for a ``{{p … }}`` paragraph."""
    table = new_table(columns)
    add_header(table, columns)
    for row in rows:
        if isinstance(row, SpanRow):
            add_span_row(table, row)
        else:
            add_cells_row(table, row, columns)
    xml = etree.tostring(table._tbl, encoding="unicode")
    return Markup(re.sub(r"^<w:tbl[^>]*>", "<w:tbl>", xml))


# --- context, checks, heading ---------------------------------------------------------------------

def heading(data: dict) -> str:
    return " ".join(lines_of(data.get("title"))) or DEFAULT_TITLE


KIND_WORDS = re.compile(r"^(?:план мероприятий\s*\(дорожная карта\)|«?дорожная карта»?(?:\s*\(план мероприятий\))?)\s*",
                        re.IGNORECASE)
FILE_LABEL_CHARS = 70


def file_label(data: dict) -> str:
    """The heading for a file name, short: without the words «Дорожная карта» (the kind says them)."""
    label = KIND_WORDS.sub("", heading(data)) or heading(data)
    if len(label) <= FILE_LABEL_CHARS:
        return label
    return label[:FILE_LABEL_CHARS].rsplit(" ", 1)[0].rstrip(" ,.;:–-") + "…"


def build_context(data: dict, info: RenderInfo) -> dict:
    columns = plan_columns(data)
    return {
        "title_lines": lines_of(data.get("title")) or [DEFAULT_TITLE],
        "approval_lines": approval_lines(data, info),
        "agreement_lines": agreement_lines(data),
        "plan_table": plan_table_xml(columns, PlanBuilder(data, columns).rows()),
    }


def column_problems(data: dict) -> list[tuple[tuple, str]]:
    problems, seen = [], set()
    known = ", ".join(f"{key} ({title})" for key, (title, _, _) in KNOWN_COLUMNS.items())
    for index, spec in enumerate(data.get("columns") or []):
        key = spec if isinstance(spec, str) else spec["key"]
        if isinstance(spec, str) and key not in KNOWN_COLUMNS:
            problems.append((("columns", index), f"неизвестный столбец «{key}». Известные: {known}. Другой "
                             f"столбец задайте так: {{\"key\": \"…\", \"title\": \"Заголовок\"}}"))
        elif isinstance(spec, dict) and key not in KNOWN_COLUMNS and not (spec.get("title") or "").strip():
            problems.append((("columns", index, "title"), f"у столбца «{key}» не указан заголовок"))
        if key in seen:
            problems.append((("columns", index), f"столбец «{key}» указан дважды"))
        seen.add(key)
    return problems


def item_problems(data: dict) -> list[tuple[tuple, str]]:
    keys = [c.key for c in plan_columns(data)]
    allowed = set(keys) | {"number"}
    listed = ", ".join(keys)
    places = [(("items",), data.get("items") or [])]
    places += [(("stages", s, "items"), stage.get("items") or []) for s, stage in enumerate(data.get("stages") or [])]
    problems = []
    for path, items in places:
        for i, item in enumerate(items):
            for key in item:
                if key not in allowed:
                    problems.append((path + (i, key), f"поля «{key}» нет среди столбцов таблицы ({listed}); "
                                     "добавьте столбец в «columns» или исправьте имя поля"))
    return problems


def stage_problems(data: dict) -> list[tuple[tuple, str]]:
    problems = []
    for s, stage in enumerate(data.get("stages") or []):
        for key in stage:
            if key not in STAGE_KEYS:
                problems.append((("stages", s, key), f"неизвестное поле этапа «{key}»; допустимы: "
                                 + ", ".join(STAGE_KEYS)))
    return problems


def check(data: dict) -> list[tuple[tuple, str]]:
    problems = column_problems(data) + stage_problems(data)
    if not data.get("stages") and not data.get("items"):
        problems.append((("stages",), "нет ни этапов (stages), ни мероприятий (items)"))
    approval = data.get("approval")
    if approval is not None and not approval.get("name") and approval.get("order") in (None, ""):
        problems.append((("approval",), "укажите ФИО утверждающего (name) или приказ об утверждении (order)"))
    if not problems:
        problems = item_problems(data)
    return problems


# --- spreadsheets ----------------------------------------------------------------------------------

SHEET_COLUMNS = (
    Column("stage", "Этап", ("Наименование этапа", "Этапы", "Этап реализации", "Название этапа"), width=30,
           example="Этап 1. Подготовка условий для запуска программы наставничества"),
    Column("stage_task", "Задача этапа", ("Задачи этапа",), width=30),
    Column("stage_result", "Результат этапа", ("Результаты этапа",), width=30),
    Column("number", "№", ("№ п/п", "Номер", "N"), width=6),
    Column("activity", "Мероприятие", ("Мероприятия", "Наименование мероприятия", "Этап, мероприятия этапа"),
           required=True, width=45, example="Информирование педагогического сообщества о программе"),
    Column("content", "Содержание деятельности", ("Содержание", "Содержания деятельности"), width=45),
    Column("deadline", "Сроки", ("Срок", "Сроки исполнения", "Сроки проведения", "Срок исполнения"), width=16,
           example="сентябрь 2023"),
    Column("responsible", "Ответственные", ("Ответственный", "Ответственные исполнители", "Исполнители"),
           width=28, example="Куратор программы"),
    Column("result", "Результат", ("Результат, вид документа", "Ожидаемый результат", "Результаты"), width=35,
           example="Приказ"),
)
SHEET_FIELDS = (
    Field("title", "Заголовок", ("Название", "Наименование"), example=DEFAULT_TITLE),
    Field("approval_position", "Утверждает: должность", example="Директор МБОУ «СОШ № 7»"),
    Field("approval_name", "Утверждает: ФИО", example="Сафарова Зарина Алиевна"),
    Field("approval_date", "Дата утверждения", kind="date"),
    Field("order_number", "Приказ об утверждении: номер", ("Номер приказа",), example="53-од"),
    Field("order_date", "Приказ об утверждении: дата", ("Дата приказа",), kind="date"),
    Field("agreement_position", "Согласовано: должность и организация"),
    Field("agreement_name", "Согласовано: ФИО"),
    Field("agreement_date", "Согласовано: дата", kind="date"),
    Field("numbering", "Нумерация мероприятий", choices=("по этапам", "сквозная", "без номеров")),
)
SHEET_INSTRUCTIONS = (
    "Одна строка — одно мероприятие. В столбце «Этап» напишите этап у первого мероприятия этапа "
    "(например, «Этап 1. Подготовка условий»); у следующих мероприятий того же этапа его можно не повторять. "
    "«Задача этапа» и «Результат этапа» заполняются у первого мероприятия этапа. Ненужные столбцы удалите, "
    "свои столбцы (например, «Целевая аудитория») добавляйте справа — они войдут в таблицу. Несколько "
    "ответственных пишите в одной ячейке, каждого с новой строки (Alt+Enter)."
)
STAGE_HEADING = re.compile(r"^(?:этап\s*)?(\d+(?:\.\d+)*)\s*[.):]?\s+(.*)$", re.IGNORECASE | re.DOTALL)
SHEET_STAGE_KEYS = ("stage", "stage_task", "stage_result")
SHEET_FIELD_KEYS = {f.key for f in SHEET_FIELDS}


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_value(value):
    """A spreadsheet cell as roadmap text: dates as 31.08.2023, 3.0 as 3."""
    if hasattr(value, "year") and hasattr(value, "month"):
        return format_date_short(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def sheet_columns(rows: list[dict]) -> list:
    """The plan's columns: sheet columns holding any value (in sheet order), № always first."""
    known = {c.key: c for c in SHEET_COLUMNS}
    keys: list[str] = []
    for row in rows:
        keys += [k for k, v in row.items() if k not in keys and k not in SHEET_STAGE_KEYS and not blank(v)]
    keys = ["number"] + [k for k in keys if k != "number"]
    columns = []
    for key in keys:
        if key in KNOWN_COLUMNS:
            columns.append({"key": key, "merge": True} if key == "activity" and "content" in keys else key)
        else:
            columns.append({"key": key, "title": known[key].title if key in known else str(key)})
    return columns


def sheet_stage(text: str, task, result) -> dict:
    match = STAGE_HEADING.match(text.strip())
    stage = {"number": match[1], "title": match[2].strip()} if match else {"title": text.strip()}
    stage["items"] = []
    if not blank(task):
        stage["task"] = cell_value(task)
    if not blank(result):
        stage["result"] = cell_value(result)
    return stage


def sheet_item(row: dict, columns: list) -> dict:
    """One activity: empty cells stay empty, except a blank № (numbered automatically) and a blank
    cell of a merged column (it continues the cell above, as merged cells of a sheet read)."""
    item = {}
    for spec in columns:
        key = spec if isinstance(spec, str) else spec["key"]
        merged = isinstance(spec, dict) and spec.get("merge")
        if not blank(row.get(key)):
            item[key] = cell_value(row[key])
        elif key != "number" and not merged:
            item[key] = ""
    return item


def fold_stages(rows: list[dict], columns: list) -> tuple[list[dict], list[dict]]:
    """(items before any stage, stages): a non-empty «Этап» cell that differs from the last starts a stage."""
    loose: list[dict] = []
    stages: list[dict] = []
    current_text = None
    for row in rows:
        if all(blank(v) for v in row.values()):
            continue
        text = row.get("stage")
        if not blank(text) and str(text).strip() != current_text:
            current_text = str(text).strip()
            stages.append(sheet_stage(current_text, row.get("stage_task"), row.get("stage_result")))
        elif stages:
            stage = stages[-1]
            for key, target in (("stage_task", "task"), ("stage_result", "result")):
                if target not in stage and not blank(row.get(key)):
                    stage[target] = cell_value(row[key])
        item = sheet_item(row, columns)
        if any(not blank(v) for k, v in item.items()):
            (stages[-1]["items"] if stages else loose).append(item)
    return loose, stages


def assemble(fields: dict, rows: list[dict]) -> list[dict]:
    """One roadmap from the «Документ» fields and the «Мероприятия» rows (one row per activity)."""
    columns = sheet_columns(rows)
    loose, stages = fold_stages(rows, columns)
    doc = {"type": TYPE_ID, **{k: v for k, v in fields.items() if k not in SHEET_FIELD_KEYS and not blank(v)}}
    if not blank(fields.get("title")):
        doc["title"] = fields["title"]
    approval = {key: fields[f"approval_{key}"] for key in ("position", "name", "date")
                if not blank(fields.get(f"approval_{key}"))}
    if not blank(fields.get("order_number")):
        approval["order"] = {"number": cell_value(fields["order_number"])}
        if not blank(fields.get("order_date")):
            approval["order"]["date"] = fields["order_date"]
    if approval:
        doc["approval"] = approval
    agreement = {key: fields[f"agreement_{key}"] for key in ("position", "name", "date")
                 if not blank(fields.get(f"agreement_{key}"))}
    if agreement:
        doc["agreement"] = agreement
    if not blank(fields.get("numbering")):
        doc["numbering"] = str(fields["numbering"]).strip().lower()
    doc["columns"] = columns
    if loose and stages:  # activities above the first «Этап» cell belong to the first stage
        stages[0]["items"][:0] = loose
    if stages:
        doc["stages"] = stages
    else:
        doc["items"] = loose
    return [doc]


SHEET = SheetSpec(list_sheet="Мероприятия", columns=SHEET_COLUMNS, fields=SHEET_FIELDS, assemble=assemble,
                  file_prefixes=("roadmap", "дорожная карта", "дорожная_карта", "план мероприятий"),
                  instructions=SHEET_INSTRUCTIONS)


@hookimpl
def docgen_register_types(registry) -> None:
    registry.add(DocumentType(
        order=4,
        id=TYPE_ID, title=TITLE, schema=SCHEMA, template="roadmap.docx", build_context=build_context,
        heading=heading, file_label=file_label, kind_label="Дорожная карта", series=None, check=check, sheet=SHEET,
        aliases=("Дорожная карта реализации программы наставничества", "дорожная карта", "план мероприятий"),
    ))
