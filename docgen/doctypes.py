"""What a document type is, and the registry plugins add their types to.

The core knows nothing of any particular document: a plugin describes its type
with a ``DocumentType`` (schema, template, context builder, numbering series,
spreadsheet shape) and hands it to ``TypeRegistry.add`` from its
``docgen_register_types`` hook.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .errors import DocgenError

ContextBuilder = Callable[[dict, "RenderInfo"], dict]


@dataclass(frozen=True)
class Field:
    """One labelled value of a spreadsheet (a «Документ» field; ``Column`` for a list column).

    ``key`` is a dotted path inside one row's data («mentor.name» puts the cell
    at ``row["mentor"]["name"]``). ``required`` means the column must be in
    the sheet (the schema decides which cells must be filled). ``choices``
    feed the blank form's drop-down and are spelt as listed when read
    («учитель-учитель» → «Учитель – учитель»); ``choice_list`` names a closed
    list of ``docgen_closed_lists`` (e.g. ``mentoring_forms``) whose values
    join them; ``values`` maps what a person writes to the data value
    («родители» → ``parents``). ``kind``: text | date | number | gender.
    ``closed`` makes the drop-down refuse other values.
    """

    key: str
    title: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    choices: tuple[str, ...] = ()
    kind: str = "text"  # text | date | number | gender
    example: str = ""
    hint: str = ""
    choice_list: str = ""
    values: Mapping[str, str] = field(default_factory=dict)
    closed: bool = False

    def names(self) -> tuple[str, ...]:
        return (self.title, *self.synonyms)


@dataclass(frozen=True)
class Column(Field):
    """One column of a spreadsheet list: a ``Field`` with a width in the blank form.

    ``stands_for``: the key of a required column this one takes the place of when the sheet lacks it
    (a plan whose only text column is «Содержание деятельности» reads it as its «Мероприятие»)."""

    width: int = 24
    stands_for: str = ""


def common_fields(date_title: str, *own: Field, signer: bool = True) -> tuple[Field, ...]:
    """The «Документ» sheet: date and a number given earlier, the type's ``own`` fields, signer, executor."""
    fields = [
        Field("date", date_title, ("дата",), kind="date", example="31.08.2023",
              hint="если не заполнить — сегодняшняя дата"),
        Field("number", "Номер (если уже присвоен)", ("номер", "регистрационный номер"),
              hint="обычно пусто: номер выдаст программа"),
        *own,
    ]
    if signer:
        fields += [
            Field("signer.name", "Подписывает (ФИО)", ("подписант", "подписывает"),
                  hint="если пусто — директор из настроек"),
            Field("signer.position", "Должность подписывающего", ("должность подписанта",)),
        ]
    fields += [
        Field("executor.name", "Исполнитель (ФИО)", ("исполнитель",)),
        Field("executor.phone", "Телефон исполнителя", ("телефон",)),
    ]
    return tuple(fields)


@dataclass(frozen=True)
class SheetSpec:
    """How a type is laid out in a spreadsheet: a «Документ» sheet of fields and one list sheet.

    Each list row becomes a nested dict keyed by the columns' dotted keys (a
    column missing from the sheet gives None, an empty cell an empty text);
    ``row["mentor.name"]`` and ``row["mentor"]["name"]`` both work.
    ``assemble(fields, rows)`` turns the document fields and the rows into
    document dicts; without it, ``rows_are_documents`` makes each row its own
    document (fields merged under it: consents, letters), else the rows go
    into the list ``list_key`` of one document; ``adapt_row(row)`` reshapes
    each row first (e.g. split two parents' names). Values keep their cell of
    origin through ``assemble`` as long as they are passed on, not rebuilt
    (see ``docgen.sheets.values.derive``), so errors name the cell.
    ``file_prefixes``: file names that mark the type («согласия», «consent»).
    ``examples``: rows (dicts by column key) shown on the «Инструкция» sheet.
    ``keep_other_columns``: a header that names none of ``columns`` is read as a column of its own (key
    ``extra<N>``, N its spreadsheet column; the header as typed is its cells' ``origin.column``), and
    values under no header are refused. ``refuse_unknown_fields``: a filled «Документ» row whose label
    is none of ``fields`` is refused, naming the label. ``above_header(rows)``: the list sheet's rows above
    its header (cell texts) read into «Документ» fields (a title block a secretary typed over the table);
    the «Документ» sheet wins over them.
    """

    list_sheet: str
    columns: tuple[Column, ...]
    fields: tuple[Field, ...] = ()
    rows_are_documents: bool = False
    file_prefixes: tuple[str, ...] = ()
    assemble: Callable[[dict, list[dict]], list[dict]] | None = None
    instructions: str = ""
    adapt_row: Callable[[dict], dict] | None = None
    list_key: str = ""
    sheet_synonyms: tuple[str, ...] = ()
    examples: tuple[Mapping[str, str], ...] = ()
    above_header: Callable[[list[list[str]]], dict] | None = None
    row_noun: str = "строка"
    keep_other_columns: bool = False
    refuse_unknown_fields: bool = False


@dataclass
class DocumentType:
    """A kind of document docgen can produce; built by a plugin."""

    id: str
    title: str
    schema: dict
    template: str
    build_context: ContextBuilder
    heading: Callable[[dict], str]
    kind_label: str
    series: str | None = None
    aliases: tuple[str, ...] = ()
    file_label: Callable[[dict], str] | None = None
    check: Callable[[dict], list[tuple[tuple, str]]] | None = None
    sheet: SheetSpec | None = None
    personal_data: bool = False
    order: int = 100
    document_date: Callable[[dict], Any] | None = None  # the date when the data gives none (e.g. its approval's)
    # ``docgen import``: (source DOCX, target .json/.xlsx, this type, closed lists) → the file written
    import_document: Callable[[Any, Any, "DocumentType", dict], Any] | None = None

    def names(self) -> list[str]:
        return [self.id, self.title, *self.aliases]


@dataclass
class RenderInfo:
    """What the core knows about one document when its context is built."""

    number: str | None
    date: Any
    settings: Any
    organization: dict
    signer: dict
    executor: dict | None
    index: int = 0
    extra: dict = field(default_factory=dict)


def normalize_title(text: str) -> str:
    """Fold a type name or column title for matching: case, «ё», spaces, punctuation."""
    text = text.replace("\u00a0", " ").lower().replace("ё", "е")
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


class TypeRegistry:
    """Every document type the loaded plugins offer.

    Hooks run from the most recently loaded plugin to the first (workspace,
    then installed packages, then built-ins), so the first type added under an
    id is the one of highest precedence and is kept.
    """

    def __init__(self) -> None:
        self._types: dict[str, DocumentType] = {}
        self.refused: dict[str, tuple[DocumentType, str]] = {}  # types taken out at load, with the reason

    def add(self, doc_type: DocumentType) -> None:
        self._types.setdefault(doc_type.id, doc_type)

    def refuse(self, type_id: str, reason: str) -> None:
        """Take a type out (its template cannot be rendered): it is not offered, and asking for it says why."""
        self.refused[type_id] = (self._types.pop(type_id), reason)

    def refusal(self, name: str) -> str | None:
        """Why the type named ``name`` (id, title or alias) was taken out at load, if it was."""
        wanted = normalize_title(str(name))
        for doc_type, reason in self.refused.values():
            if any(normalize_title(n) == wanted for n in doc_type.names()):
                return f"тип документа «{doc_type.title}» ({doc_type.id}) отключён: {reason}"
        return None

    def get(self, type_id: str) -> DocumentType:
        try:
            return self._types[type_id]
        except KeyError:
            refusal = self.refusal(type_id)
            if refusal:
                raise DocgenError(refusal[0].upper() + refusal[1:]) from None
            raise DocgenError(f"Неизвестный тип документа «{type_id}». {self.known_list()}") from None

    def find(self, name: str) -> DocumentType | None:
        """The type named by its id, Russian title or an alias, if any."""
        wanted = normalize_title(str(name))
        for doc_type in self._types.values():
            if any(normalize_title(n) == wanted for n in doc_type.names()):
                return doc_type
        return None

    def all(self) -> list[DocumentType]:
        return sorted(self._types.values(), key=lambda t: (t.order, t.id))

    def __contains__(self, type_id: str) -> bool:
        return type_id in self._types

    def known_list(self) -> str:
        items = "; ".join(f"{t.id} — {t.title}" for t in self._types.values())
        return f"Известные типы: {items}."
