"""The roadmap in a spreadsheet: the «Мероприятия» list (one row per activity, an «Этап» column),
the «Документ» fields (every document-level option of the JSON shape), and ``assemble``, which folds
the rows into stages.

Parity with JSON: the «№» column is printed as typed (gaps and repeats included, a blank cell is
numbered); every column with a header is kept under that header (a known column's synonym maps to
it and prints the header as typed); values under no header, a «Документ» row docgen does not know
and an activity row without an activity are refused, naming the cell — nothing is dropped.
"""
from __future__ import annotations

import re

from docgen.api import Column, Field, InputError, Problem, SheetSpec, derive, format_date_short, normalize_title

from .heading import GRIF_START, grif_date, grif_groups, split_grifs
from .plan import DEFAULT_TITLE, KNOWN_COLUMNS, TYPE_ID

SHEET_COLUMNS = (
    Column("stage", "Этап", ("Наименование этапа", "Этапы", "Этап реализации", "Название этапа", "Этап работы"),
           width=30, example="Этап 1. Подготовка условий для запуска программы наставничества"),
    Column("stage_task", "Задача этапа", ("Задачи этапа",), width=30),
    Column("stage_result", "Результат этапа", ("Результаты этапа", "Итог этапа"), width=30),
    Column("number", "№", ("№ п/п", "Номер", "N", "No", "N п/п", "№№", "п/п", "№№ п/п"), width=6),
    Column("activity", "Мероприятие", ("Мероприятия", "Наименование мероприятия", "Наименование мероприятий",
                                       "Этап, мероприятия этапа", "Мероприятия этапа", "Название мероприятия",
                                       "Содержание работы", "Перечень мероприятий", "Вид деятельности",
                                       "Содержание мероприятия", "Наименование работ", "Наименование работы",
                                       "Виды деятельности", "Мероприятия программы"),
           required=True, width=45, example="Информирование педагогического сообщества о программе"),
    Column("content", "Содержание деятельности", ("Содержание", "Содержания деятельности"), width=45,
           stands_for="activity"),
    Column("deadline", "Сроки", ("Срок", "Сроки исполнения", "Сроки проведения", "Срок исполнения", "Срок реализации",
                                 "Сроки реализации", "Срок выполнения", "Сроки выполнения", "Дата проведения",
                                 "Дата", "Период", "Срок проведения", "Время проведения", "Даты проведения",
                                 "Сроки исполнения мероприятия"), width=16, example="сентябрь 2023"),
    Column("responsible", "Ответственные", ("Ответственный", "Ответственные исполнители", "Исполнители",
                                            "Исполнитель", "Ответственный исполнитель", "Ответственные лица",
                                            "Ответственное лицо", "Ответственный за исполнение",
                                            "Ответственные за исполнение", "Ответственный за выполнение",
                                            "Ответственные за проведение", "Ответственный за проведение",
                                            "ФИО ответственного", "Ответственные (ФИО, должность)"), width=28, example="Куратор программы"),
    Column("result", "Результат", ("Результат, вид документа", "Ожидаемый результат", "Результаты",
                                   "Ожидаемые результаты", "Планируемый результат", "Планируемые результаты"),
           width=35, example="Приказ"),
)
YES_NO = ("да", "нет")
APPROVAL_KINDS = {"УТВЕРЖДАЮ (подпись руководителя)": "approve", "утверждена приказом": "order", "нет грифа": "none"}
STAGE_LAYOUT_CHOICES = {"строка через всю таблицу": "row", "номер и название": "number_cell",
                        "название с задачей": "title_with_task", "в столбце «Этап»": "column"}
POSITION_CHOICES = ("до мероприятий", "после мероприятий")
TITLE_FIELDS = tuple(Field(f"column_title.{key}", f"Заголовок столбца «{title}»",
                           hint="если пусто — как в заголовке столбца на листе «Мероприятия»")
                     for key, (title, _, _) in KNOWN_COLUMNS.items())
SHEET_FIELDS = (
    Field("date", "Дата документа", ("Дата", "Дата карты"), kind="date",
          hint="если пусто — дата утверждения (или приказа об утверждении); она же в имени файла"),
    Field("title", "Заголовок", ("Название", "Наименование"), example=DEFAULT_TITLE,
          hint="каждая строка ячейки (Alt+Enter) — строка заголовка"),
    Field("author", "Составитель (организация)", ("Автор", "Орган, утвердивший карту"),
          hint="если карта не школы из настроек (например, управления образования): тогда без грифа директора",
          example="Управление образования администрации г. Ухты"),
    Field("approval_kind", "Гриф утверждения", ("Вид грифа утверждения",), choices=tuple(APPROVAL_KINDS),
          hint="если пусто: с ФИО — «УТВЕРЖДАЮ», с одним приказом — «УТВЕРЖДЕНА приказом»; "
               "без всего — директор из настроек"),
    Field("approval_lines", "Гриф утверждения: строки", ("Строки грифа утверждения",),
          hint="гриф как есть, каждая строка с новой строки ячейки (Alt+Enter); тогда поля ниже не нужны",
          example="УТВЕРЖДЕНО\nПриказом МБОУ «СОШ № 7»\n№ 376/а от «30» августа 2021 г."),
    Field("approval_word", "Гриф утверждения: слово", hint="вместо УТВЕРЖДАЮ / УТВЕРЖДЕНА", example="УТВЕРЖДЕНО"),
    Field("approval_position", "Утверждает: должность", example="Директор МБОУ «СОШ № 7»"),
    Field("approval_name", "Утверждает: ФИО", example="Сафарова Зарина Алиевна"),
    Field("approval_date", "Дата утверждения", kind="date"),
    Field("approval_year", "Утверждение: год для даты от руки", kind="number",
          hint="дата остаётся пустой для подписи: «___» ____________ 2023 г.", example="2023"),
    Field("approval_date_prefix", "Утверждение: слово перед датой", example="от"),
    Field("order_number", "Приказ об утверждении: номер", ("Номер приказа",), example="53-од"),
    Field("order_date", "Приказ об утверждении: дата", ("Дата приказа",), kind="date"),
    Field("order_issuer", "Приказ об утверждении: чей", ("Чей приказ", "Издатель приказа"),
          hint="в творительном после «приказом»: «МБОУ «СОШ № 7»»; «нет» — не писать; если пусто — школа из настроек"),
    Field("agreement_lines", "Согласовано: строки", ("Строки грифа согласования",),
          hint="гриф СОГЛАСОВАНО как есть, каждая строка с новой строки ячейки",
          example="СОГЛАСОВАНО\nОт «___» ________ 2021 г.\nПредседатель Совета родителей\nИ.И. Иванова"),
    Field("agreement_word", "Согласовано: слово", hint="вместо СОГЛАСОВАНО"),
    Field("agreement_position", "Согласовано: должность и организация"),
    Field("agreement_organization", "Согласовано: организация"),
    Field("agreement_name", "Согласовано: ФИО"),
    Field("agreement_date", "Согласовано: дата", kind="date"),
    Field("agreement_year", "Согласовано: год для даты от руки", kind="number", example="2023"),
    Field("agreement_date_prefix", "Согласовано: слово перед датой", example="От"),
    Field("numbering", "Нумерация мероприятий", choices=("по этапам", "сквозная", "без номеров"),
          hint="номер, написанный в столбце «№», печатается как написан"),
    Field("number_dot", "Точка после номера", choices=YES_NO, hint="«1.» вместо «1»"),
    Field("stage_label", "Слово перед номером этапа", hint="по умолчанию «Этап»; «нет» — только номер",
          example="Раздел"),
    Field("stage_layout", "Вид строки этапа", choices=tuple(STAGE_LAYOUT_CHOICES),
          hint="«номер и название» — номер в столбце «№», название в строке рядом; «в столбце «Этап»» — "
               "этап ячейкой слева вниз на все его мероприятия"),
    Field("stage_shading", "Заливка строк этапа", choices=YES_NO, hint="по умолчанию да"),
    Field("task_position", "Задача этапа: где", choices=POSITION_CHOICES, hint="по умолчанию до мероприятий"),
    Field("result_position", "Результат этапа: где", choices=POSITION_CHOICES, hint="по умолчанию после мероприятий"),
    *TITLE_FIELDS,
)
SHEET_INSTRUCTIONS = "\n".join((
    "Одна строка — одно мероприятие. В столбце «Этап» напишите этап у первого мероприятия этапа "
    "(например, «Этап 1. Подготовка условий» или «1. Подготовка условий»); у следующих мероприятий того же этапа "
    "его можно не повторять. Строка, где заполнены только «Этап» (и «№», «Задача этапа», «Результат этапа»), — "
    "это строка этапа, а не мероприятие; номер в её «№» — номер этапа.",
    "«Задача этапа» и «Результат этапа» заполняются у первого мероприятия этапа (или в строке этапа). "
    "Номер в столбце «№» печатается как написан (1, 1.1, 2а; повтор и пропуск номера сохраняются); "
    "пустой «№» программа пронумерует сама.",
    "Ненужные столбцы удалите. Заголовки столбцов можно писать по-своему («Срок реализации», «Наименование "
    "мероприятий»): в таблицу документа пойдёт заголовок как он написан. Свои столбцы (например, «Целевая "
    "аудитория», «Отметка о выполнении») добавляйте справа — они войдут в таблицу, даже пустые. Значения "
    "в столбце без заголовка не принимаются.",
    "Несколько ответственных пишите в одной ячейке, каждого с новой строки (Alt+Enter). Строка с заполненными "
    "сроками или ответственными, но без мероприятия, не принимается (если нет столбца «Содержание деятельности», "
    "где пустое мероприятие продолжает верхнее).",
    "Строки листа «Документ» (строку с неизвестным программе названием она не примет): "
    + "; ".join(f"«{f.title}»" + (f" — {f.hint}" if f.hint else "") for f in SHEET_FIELDS if f not in TITLE_FIELDS)
    + "; «Заголовок столбца «…»» — заголовок столбца в документе, если он должен отличаться от листа.",
))
STAGE_HEADING = re.compile(r"^(?:этап\s*)?(\d+(?:\.\d+)*|[IVXLC]+(?=[.)]))\s*[.):]?(?:\s+(.*))?$", re.IGNORECASE | re.DOTALL)
SHEET_STAGE_KEYS = ("stage", "stage_task", "stage_result")
DOCUMENT_KEYS = ("date", "title", "author", "numbering", "stage_label", "stage_layout", "stage_shading",
                 "task_position", "result_position", "number_dot")
COMMA_NUMBER = re.compile(r"^\d+,\d+$")  # 1.1 typed in a number cell reads «1,1»
NO = "нет"


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_value(value):
    """A spreadsheet cell as roadmap text: dates as 31.08.2023, 3.0 as 3."""
    if hasattr(value, "year") and hasattr(value, "month"):
        return format_date_short(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def typed_header(rows: list[dict], key: str) -> str | None:
    """The column header as the secretary typed it (each cell remembers its column)."""
    for row in rows:
        origin = getattr(row.get(key), "origin", None)
        if origin is not None and origin.column:
            return origin.column
    return None


def present(rows: list[dict], key: str) -> bool:
    """The sheet has this column (a column missing from the sheet reads None, an empty cell «»)."""
    return any(row.get(key) is not None for row in rows)


def sheet_columns(rows: list[dict], fields: dict, stage_column: bool) -> list:
    """The plan's columns in sheet order: known columns holding any value (№ whenever the sheet has it, first),
    every own column; each titled as its header is typed, or as the «Документ» sheet says."""
    used = {k for row in rows for k, v in row.items() if k not in SHEET_STAGE_KEYS
            and (not blank(v) or (k.startswith("extra") and k not in KNOWN_COLUMNS))}
    keys = [k for k in (rows[0] if rows else {}) if k in used]  # every row has every key, in sheet order
    if stage_column:
        keys = ["stage"] + [k for k in keys if k != "stage"]
    if "number" in keys or present(rows, "number"):
        keys = ["number"] + [k for k in keys if k != "number"]
    titles = fields.get("column_title") or {}
    columns = []
    for key in keys:
        title = titles.get(key) if not blank(titles.get(key)) else typed_header(rows, key)
        spec: dict = {"key": key}
        if key not in KNOWN_COLUMNS or (title and title != KNOWN_COLUMNS[key][0]):
            spec["title"] = title or key
        if key == "activity" and "content" in keys:
            spec["merge"] = True
        columns.append(spec["key"] if list(spec) == ["key"] else spec)
    return columns


def sheet_stage(text: str, task, result, number=None) -> dict:
    match = STAGE_HEADING.match(text.strip())
    stage = {"number": match[1], "title": (match[2] or "").strip()} if match else {"title": text.strip()}
    if not blank(number):
        stage["number"] = plain_number(number)
    if not stage["title"]:
        del stage["title"]
    stage["items"] = []
    if not blank(task):
        stage["task"] = cell_value(task)
    if not blank(result):
        stage["result"] = cell_value(result)
    return stage


def plain_number(value):
    text = cell_value(value).strip()
    return derive(text.replace(",", "."), value) if COMMA_NUMBER.match(text) else text


def sheet_item(row: dict, columns: list) -> dict:
    """One activity: empty cells stay empty, except a blank № (numbered automatically) and a blank
    cell of a merged column (it continues the cell above, as merged cells of a sheet read)."""
    item = {}
    for spec in columns:
        key = spec if isinstance(spec, str) else spec["key"]
        merged = isinstance(spec, dict) and spec.get("merge")
        if key == "stage":
            continue
        if not blank(row.get(key)):
            item[key] = plain_number(row[key]) if key == "number" else cell_value(row[key])
        elif key != "number" and not merged:
            item[key] = ""
    return item


def row_place(row: dict) -> str:
    for value in row.values():
        origin = getattr(value, "origin", None)
        if origin is not None:
            return origin.russian(with_column=False)
    return ""


HEADING_TEXT = re.compile(r"^(?:(?:этап|раздел|блок|модуль|направление|часть)\s+[\dIVXLC]+|[IVXLC]+\s*[.)]\s+\S)",
                          re.IGNORECASE)
NUMBER_ONLY = re.compile(r"^\d+(?:[.,]\d+)*\.?$")


def heading_row(row: dict, item: dict) -> str | None:
    """A stage row typed across the table («I. Подготовительный этап», «Раздел 2. …», merged or not): one text
    alone in the row, a stage heading, or any text in the «№» column that is no number. Its text, else None."""
    if not blank(row.get("stage")):
        return None
    filled = {k: str(v).strip() for k, v in item.items() if not blank(v)}
    if len(set(filled.values())) != 1:
        return None
    text = next(iter(filled.values()))
    if list(filled) == ["number"] and not NUMBER_ONLY.match(text):
        return text
    return text if HEADING_TEXT.match(text) else None


def heads_nested(row: dict, item: dict, following: list[dict]) -> bool:
    """«1 | Title» with nothing else, over items numbered 1.1, 1.2: the stage's number cell beside its title."""
    number = str(item.get("number") or "").strip().rstrip(".")
    filled = [k for k, v in item.items() if not blank(v)]
    if not number.isdigit() or sorted(filled) != ["activity", "number"] or not blank(row.get("stage")):
        return False
    below = next((str(r.get("number") or "").strip() for r in following if not blank(r.get("number"))), "")
    return below.startswith(number + ".") and len(below) > len(number) + 1


def is_stage_row(row: dict, item: dict) -> bool:
    """Only «Этап» (with its №, task, result) filled: the stage's own row, not an activity."""
    return not blank(row.get("stage")) and all(blank(v) for k, v in item.items() if k != "number")


def fold_stages(rows: list[dict], columns: list) -> tuple[list[dict], list[dict]]:
    """(items before any stage, stages): a non-empty «Этап» cell that differs from the last starts a stage."""
    loose: list[dict] = []
    stages: list[dict] = []
    current_text = None
    merged = {spec["key"] for spec in columns if isinstance(spec, dict) and spec.get("merge")}
    for position, row in enumerate(rows):
        if all(blank(v) for v in row.values()):
            continue
        item = sheet_item(row, columns)
        heading = heading_row(row, item)
        if heading is not None:  # printed as typed: «I. Подготовительный этап», «Раздел 2. Работа с наставниками»
            stages.append({"number": "", "title": derive(heading, row.get("number") or row.get("activity")),
                           "items": []})
            current_text = None
            continue
        if heads_nested(row, item, rows[position + 1:]):
            stages.append({"number": item["number"], "title": item["activity"], "items": [], "_cell": True})
            current_text = None
            continue
        text = row.get("stage")
        stage_row = is_stage_row(row, item)
        if not blank(text) and str(text).strip() != current_text:
            current_text = str(text).strip()
            stages.append(sheet_stage(current_text, row.get("stage_task"), row.get("stage_result"),
                                      item.get("number") if stage_row else None))
        elif stages:
            stage = stages[-1]
            for key, target in (("stage_task", "task"), ("stage_result", "result")):
                if target not in stage and not blank(row.get(key)):
                    stage[target] = cell_value(row[key])
        if stage_row or not any(not blank(v) for k, v in item.items() if k != "number"):
            continue
        if "activity" in item and blank(item["activity"]) and "activity" not in merged:
            raise InputError(Problem(row_place(row), "не заполнено «Мероприятие»: строка со сроками, ответственными "
                                                     "или результатом, но без мероприятия. Впишите мероприятие или "
                                                     "удалите строку"))
        target = stages[-1]["items"] if stages else loose
        if "activity" in merged and target and item.get("activity") and item["activity"] == last_activity(target):
            del item["activity"]  # an activity merged down over its lines of content reads in every row it covers
            if item.get("number") is not None and item["number"] == last_number(target):
                del item["number"]  # so does its number merged down beside it
        target.append(item)
    return loose, stages


def last_number(items: list[dict]):
    return next((item["number"] for item in reversed(items) if "number" in item), None)


def last_activity(items: list[dict]):
    """The activity a merged «Мероприятие» cell of the next row would continue."""
    return next((item["activity"] for item in reversed(items) if "activity" in item), None)


CHOICE_ALIASES = {"нет": "none", "без грифа": "none", "утверждаю": "approve", "приказ": "order",
                  "приказом": "order", "утверждено приказом": "order", "столбец": "column", "в столбце": "column",
                  "столбец этап": "column"}


def choice(fields: dict, key: str, table: dict):
    """A drop-down value read leniently (case, quotes, spaces, a few short forms); else left as typed."""
    value = fields.get(key)
    if blank(value):
        return None
    typed = normalize_title(str(value))
    for label, code in table.items():
        if typed == normalize_title(label):
            return code
    alias = CHOICE_ALIASES.get(typed)
    if alias in table.values():
        return alias
    return value  # the schema names it and its cell


def yes_no(value):
    text = str(value).strip().lower()
    return {"да": True, "нет": False}.get(text, value)


def lines_field(value) -> list[str]:
    return [derive(line.strip(), value) for line in str(value).split("\n") if line.strip()]


def grif(fields: dict, prefix: str, keys: tuple[str, ...]) -> dict:
    result = {key: fields[f"{prefix}_{key}"] for key in keys if not blank(fields.get(f"{prefix}_{key}"))}
    if not blank(fields.get(f"{prefix}_lines")):
        result["lines"] = lines_field(fields[f"{prefix}_lines"])
    if "year" in result:
        result["year"] = cell_value(result["year"])
    return result


def approval_of(fields: dict):
    approval = grif(fields, "approval", ("word", "position", "name", "date", "year", "date_prefix"))
    if not blank(fields.get("order_number")):
        approval["order"] = {"number": cell_value(fields["order_number"])}
        if not blank(fields.get("order_date")):
            approval["order"]["date"] = fields["order_date"]
    if not blank(fields.get("order_issuer")):
        approval["issuer"] = "" if str(fields["order_issuer"]).strip().lower() == NO else fields["order_issuer"]
    kind = choice(fields, "approval_kind", APPROVAL_KINDS)
    if kind == "none":
        if approval:
            raise InputError(Problem("Лист «Документ»", "«Гриф утверждения»: «нет грифа», но заполнены поля грифа "
                                                        "утверждения; очистите их или выберите вид грифа"))
        return False
    if kind is not None:
        approval["preset"] = kind
    return approval or None


def document_options(fields: dict) -> dict:
    doc = {key: fields[key] for key in DOCUMENT_KEYS if not blank(fields.get(key))}
    if "numbering" in doc:
        doc["numbering"] = str(doc["numbering"]).strip().lower()
    for key in ("number_dot", "stage_shading"):
        if key in doc:
            doc[key] = yes_no(doc[key])
    if "stage_label" in doc and str(doc["stage_label"]).strip().lower() == NO:
        doc["stage_label"] = ""
    for key in ("stage_layout", "task_position", "result_position"):
        if key in doc:
            doc[key] = str(doc[key]).strip().lower()
    if "author" in doc:
        doc["author"] = lines_field(doc["author"])
    return doc


def assemble(fields: dict, rows: list[dict]) -> list[dict]:
    """One roadmap from the «Документ» fields and the «Мероприятия» rows (one row per activity)."""
    doc = {"type": TYPE_ID, **document_options(fields)}
    layout = choice(fields, "stage_layout", STAGE_LAYOUT_CHOICES)
    stage_column = layout == "column"
    if stage_column:
        doc.pop("stage_layout")
    elif layout is not None:
        doc["stage_layout"] = layout
    columns = sheet_columns(rows, fields, stage_column)
    loose, stages = fold_stages(rows, columns)
    if any(stage.pop("_cell", False) for stage in stages) and "stage_layout" not in doc and not stage_column:
        doc["stage_layout"] = "number_cell"
    approval = approval_of(fields)
    if approval is not None:
        doc["approval"] = approval
    agreement = grif(fields, "agreement", ("word", "position", "organization", "name", "date", "year",
                                                  "date_prefix"))
    if agreement:
        doc["agreement"] = agreement
    doc["columns"] = columns
    if loose and stages:  # activities above the first «Этап» cell belong to the first stage
        stages[0]["items"][:0] = loose
    if stages:
        doc["stages"] = stages
    else:
        doc["items"] = loose
    return [doc]


def above_header(rows: list[list[str]]) -> dict:
    """A title block typed over the table: the grifs (УТВЕРЖДАЮ …, СОГЛАСОВАНО …) as lines, a date in the
    approval grif as the plan's date, and the lines right above the header as the title."""
    lines: list[tuple[str, bool]] = []
    for row in rows:
        texts = [t for t in row if t]
        lines += [(t, False) for t in texts] if texts else [("", False), ("", False)]
    approval, agreement = split_grifs(grif_groups(lines))
    fields: dict = {}
    if approval:
        fields["approval_lines"] = "\n".join(approval)
        if grif_date(approval):
            fields["date"] = grif_date(approval)
    if agreement:
        fields["agreement_lines"] = "\n".join(agreement)
    grif_text = set((approval or []) + (agreement or []))
    title: list[str] = []
    for row in reversed(rows):
        texts = [t for t in row if t]
        if not texts:
            if title:
                break
            continue
        if any(t in grif_text or GRIF_START.match(t) for t in texts):
            break
        title[:0] = texts
    if title:
        fields["title"] = "\n".join(title)
    return fields


SHEET = SheetSpec(list_sheet="Мероприятия", columns=SHEET_COLUMNS, fields=SHEET_FIELDS, assemble=assemble,
                  file_prefixes=("roadmap", "дорожная карта", "дорожная_карта", "план мероприятий"),
                  instructions=SHEET_INSTRUCTIONS, keep_other_columns=True, refuse_unknown_fields=True,
                  above_header=above_header)
