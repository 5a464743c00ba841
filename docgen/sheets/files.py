"""Opening spreadsheet files safely and loading their sheets as plain grids.

Owns: recognising what a file really is (a renamed PDF, an encrypted or old
Excel file, a broken zip), the limits against decompression bombs and sheets
too big to hold (checked on the zip and the sheet XML BEFORE calamine reads
anything), and loading each sheet into a ``Grid``: its rows of values, which
rows are hidden, and which cells are merged. xlsx/xlsm and ods are read with
python-calamine (formula cells give their last computed values); hidden rows
and, for ods, merges come from a streaming scan of the sheet XML. CSV files
are decoded (UTF-8 with or without BOM, UTF-16, Windows-1251) and their
delimiter (``;``, ``,``, tab) detected.
"""
from __future__ import annotations

import csv
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator
from xml.etree import ElementTree

from ..errors import InputError

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all members of an xlsx/ods together, bytes
MAX_RATIO = 100  # uncompressed/compressed size of one member larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 5000
MAX_ROWS = 20000  # rows of one sheet, header included
MAX_COLUMNS = 300
MAX_SHEETS = 100
MAX_MERGES = 5000  # merged ranges of one sheet

A1_RE = re.compile(r"\$?([A-Za-z]+)\$?(\d+)")
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
OTHER_SIGNATURES = {
    b"%PDF": "PDF-документ",
    b"\x89PNG": "картинка PNG",
    b"\xff\xd8\xff": "картинка JPEG",
    b"{\\rtf": "документ RTF",
}
PROTECTED_OR_OLD = (
    "Файл защищён паролем или сохранён в старом формате Excel 97–2003 (.xls). docgen не читает такие файлы. "
    "Снимите пароль (Excel: Файл → Сведения → Защита книги → Зашифровать с паролем → удалите пароль; "
    "LibreOffice: Файл → Свойства → Безопасность) и сохраните как «Книга Excel (.xlsx)»."
)
OLD_EXCEL = (
    "Файлы .xls (Excel 97–2003) docgen не читает. Откройте файл в Excel или LibreOffice Calc и сохраните его как "
    "«Книга Excel (.xlsx)» (Файл → Сохранить как), затем положите в inbox файл .xlsx."
)
TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE_NS = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


@dataclass
class Grid:
    """One sheet's cells as values (row 0 is the sheet's row 1), its hidden rows and merged ranges."""

    name: str | None  # None for CSV
    rows: list[list[Any]]
    hidden_rows: set[int] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2 inclusive
    visible: bool = True
    formulas_without_value: list[str] = field(default_factory=list)  # A1 references

    def cell(self, row: int, column: int) -> Any:
        if row < len(self.rows) and column < len(self.rows[row]):
            return self.rows[row][column]
        return None

    def fill_merges(self) -> None:
        """A cell merged down over several rows counts for each row it covers (its first column)."""
        for r1, c1, r2, _c2 in self.merges:
            if r2 <= r1:
                continue
            value = self.cell(r1, c1)
            if value in (None, ""):
                continue
            for r in range(r1 + 1, min(r2, MAX_ROWS) + 1):
                while len(self.rows) <= r:
                    self.rows.append([])
                row = self.rows[r]
                while len(row) <= c1:
                    row.append("")
                if row[c1] in (None, ""):
                    row[c1] = value


@dataclass
class SheetLayout:
    """What the sheet XML tells beyond values: hidden rows, merges (ods), the extent of filled cells."""

    hidden_rows: set[int] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    max_row: int = -1
    max_column: int = -1
    formulas_without_value: list[str] = field(default_factory=list)


def refuse(message: str) -> InputError:
    return InputError(message)


# --- what the file really is ------------------------------------------------------------


def sniff_container(path: Path) -> None:
    """Refuse, in Russian, a file that is not a zip-based spreadsheet."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if not head:
        raise refuse("Файл пустой (0 байт). Сохраните таблицу ещё раз и положите файл снова.")
    if head.startswith(ZIP_SIGNATURES):
        return
    if head == OLE_SIGNATURE:
        raise refuse(PROTECTED_OR_OLD)
    for signature, what in OTHER_SIGNATURES.items():
        if head.startswith(signature):
            raise refuse(f"Это не таблица, а {what} с расширением «{path.suffix}». Положите саму таблицу (.xlsx, .ods или .csv).")
    raise refuse(
        f"Файл не является таблицей {path.suffix} (возможно, он переименован или повреждён). "
        "Откройте его в Excel или LibreOffice Calc и сохраните как .xlsx или .ods."
    )


def check_zip(path: Path) -> None:
    """Open the zip, apply the size limits, and decompress every member once (CRC and real sizes checked)."""
    broken = refuse(
        "Файл таблицы повреждён (обрезан при копировании или сохранён не до конца). "
        "Откройте его в Excel или LibreOffice Calc, сохраните заново и положите снова."
    )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise broken from None
    too_big = refuse(
        "Таблица слишком велика (в распакованном виде больше "
        f"{MAX_UNCOMPRESSED // (1024 * 1024)} МБ). Разделите данные на несколько файлов."
    )
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise too_big
        if sum(m.file_size for m in members) > MAX_UNCOMPRESSED:
            raise too_big
        for member in members:
            if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                raise refuse(
                    "Файл таблицы подозрительно сильно сжат (похоже на «zip-бомбу»): docgen его не открывает. "
                    "Если это обычная таблица, откройте её в Excel или Calc и сохраните заново."
                )
        total = 0
        try:
            for member in members:
                xml = member.filename.lower().endswith((".xml", ".rels"))  # the parts a reader parses
                with archive.open(member) as stream:
                    tail = b""
                    while chunk := stream.read(1 << 20):
                        total += len(chunk)
                        if total > MAX_UNCOMPRESSED:
                            raise too_big
                        if xml:
                            refuse_doctype(tail + chunk)
                            tail = chunk[-DOCTYPE_TAIL:]
        except InputError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
            raise broken from None


DOCTYPE_MARKS = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
DOCTYPE_TAIL = max(len(mark) for mark in DOCTYPE_MARKS) - 1  # a mark split between two chunks is still seen


def refuse_doctype(data: bytes) -> None:
    """Refuse a part declaring a DTD: Excel and Calc never write one, and it is how entity bombs
    («billion laughs») and references to files of the machine (XXE) get into XML."""
    if any(mark in data for mark in DOCTYPE_MARKS):
        raise refuse(
            "Внутри файла таблицы — XML с объявлением DOCTYPE (сущности или ссылки на другие файлы). Excel и "
            "LibreOffice так не сохраняют, такой файл может быть попыткой атаки: docgen его не открывает. "
            "Откройте таблицу в Excel или LibreOffice Calc и сохраните заново."
        )


# --- the sheet XML: hidden rows, merges, extent -------------------------------------------------


def column_index(reference: str) -> tuple[int, int]:
    """(row, column), 0-based, of an A1-style reference."""
    match = A1_RE.fullmatch(reference)
    if not match:
        return -1, -1
    column = 0
    for letter in match.group(1).upper()[:8]:  # more letters than XFD is far out of range anyway
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)[:9]) - 1, column - 1


def local(tag: str) -> str:
    """An XML tag or attribute name without its namespace (transitional and strict OOXML alike)."""
    return tag.rsplit("}", 1)[-1]


def xlsx_sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → member path of its XML, from the workbook and its relationships."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    paths = {}
    for sheet in (e for e in workbook.iter() if local(e.tag) == "sheet"):
        rel_id = next((v for k, v in sheet.attrib.items() if local(k) == "id" and k != "sheetId"), "")
        target = targets.get(rel_id, "")
        paths[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return paths


class SheetScan:
    """An XML parser target: one pass over a sheet's XML without building a tree.

    Collects hidden rows, the extent of cells with values and formulas never
    computed. Rows and cells may omit their ``r`` reference; they then follow
    the previous one.
    """

    def __init__(self) -> None:
        self.layout = SheetLayout()
        self.row = self.column = self.cell_row = -1
        self.reference = ""
        self.has_value = self.has_formula = self.in_value = self.has_element = False

    def start(self, tag: str, attrib: dict) -> None:
        name = local(tag)
        if name == "row":
            given = attrib.get("r", "")
            self.row = int(given) - 1 if given.isdigit() else self.row + 1
            self.column = -1
            if attrib.get("hidden") in ("1", "true"):
                self.layout.hidden_rows.add(self.row)
        elif name == "c":
            self.reference = attrib.get("r", "")
            row, column = column_index(self.reference)
            self.column = column if column >= 0 else self.column + 1
            self.cell_row = row if row >= 0 else self.row
            self.has_value = self.has_formula = self.has_element = False
        elif name == "v":
            self.in_value = self.has_element = True
        elif name == "is":
            self.has_value = self.has_element = True
        elif name == "f":
            self.has_formula = True

    def data(self, text: str) -> None:
        if self.in_value and text.strip():
            self.has_value = True

    def end(self, tag: str) -> None:
        name = local(tag)
        if name == "v":
            self.in_value = False
        elif name == "c":
            layout = self.layout
            if self.has_element:  # even an empty <v/> makes the reader allocate up to this cell
                layout.max_row = max(layout.max_row, self.cell_row)
                layout.max_column = max(layout.max_column, self.column)
            if self.has_formula and not self.has_value:
                layout.formulas_without_value.append(self.reference or f"{column_letter(self.column)}{self.cell_row + 1}")

    def close(self) -> SheetLayout:
        return self.layout


def scan_xlsx_sheet(stream: Any) -> SheetLayout:
    parser = ElementTree.XMLParser(target=SheetScan())
    while chunk := stream.read(1 << 20):
        parser.feed(chunk)
    return parser.close()


def column_letter(column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def scan_xlsx(path: Path) -> dict[str, SheetLayout]:
    try:
        with zipfile.ZipFile(path) as archive:
            paths = xlsx_sheet_paths(archive)
            names = set(archive.namelist())
            layouts = {}
            for name, member in paths.items():
                if member in names:
                    with archive.open(member) as stream:
                        layouts[name] = scan_xlsx_sheet(stream)
            return layouts
    except (KeyError, ElementTree.ParseError):
        raise refuse("Файл не похож на таблицу Excel (.xlsx): внутри нет листов. Сохраните его в Excel или Calc заново.") from None


def ods_count(elem: Any, name: str) -> int:
    """A repeat or span count of an ods row or cell: a whole number from 1 up; anything else is a broken file."""
    given = elem.get(f"{TABLE_NS}{name}", "1")
    if not (given.isascii() and given.isdigit() and given.strip("0")):
        raise refuse("Файл таблицы LibreOffice (.ods) повреждён: у строки или ячейки неверное число повторов или "
                     "объединения. Откройте его в LibreOffice Calc, сохраните заново и положите снова.")
    return int(given[:12])


def scan_ods(path: Path) -> dict[str, SheetLayout]:
    """Hidden rows, merged ranges and the filled extent of each table in an ods file's content.xml."""
    layouts: dict[str, SheetLayout] = {}
    layout, row, column, repeat = SheetLayout(), 0, 0, 1
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
            for event, elem in ElementTree.iterparse(stream, events=("start", "end")):
                tag = elem.tag
                if event == "start" and tag == f"{TABLE_NS}table":
                    layout, row = SheetLayout(), 0
                    layouts[elem.get(f"{TABLE_NS}name", "")] = layout
                elif event == "start" and tag == f"{TABLE_NS}table-row":
                    column = 0
                    repeat = ods_count(elem, "number-rows-repeated")
                    if elem.get(f"{TABLE_NS}visibility") in ("collapse", "collapsed", "filter") and row < MAX_ROWS:
                        layout.hidden_rows.update(range(row, min(row + repeat, MAX_ROWS)))
                elif event == "end" and tag in (f"{TABLE_NS}table-cell", f"{TABLE_NS}covered-table-cell"):
                    span = ods_count(elem, "number-columns-repeated")
                    rows_spanned = ods_count(elem, "number-rows-spanned")
                    cols_spanned = ods_count(elem, "number-columns-spanned")
                    if rows_spanned > 1 or cols_spanned > 1:
                        layout.merges.append((row, column, row + rows_spanned - 1, column + cols_spanned - 1))
                    if elem.get(f"{OFFICE_NS}value-type") or "".join(elem.itertext()).strip():
                        layout.max_row = max(layout.max_row, row + repeat - 1)
                        layout.max_column = max(layout.max_column, column + span - 1)
                    column += span
                    elem.clear()
                elif event == "end" and tag == f"{TABLE_NS}table-row":
                    row += repeat
                    elem.clear()
    except (KeyError, ElementTree.ParseError):
        raise refuse("Файл не похож на таблицу LibreOffice (.ods): внутри нет листов. Сохраните его в Calc заново.") from None
    return layouts


def check_extent(name: str, layout: SheetLayout) -> None:
    if layout.max_row >= MAX_ROWS or layout.max_column >= MAX_COLUMNS:
        raise refuse(
            f"Лист «{name}»: заполнены ячейки слишком далеко (до строки {layout.max_row + 1}, столбца {layout.max_column + 1}; "
            f"допускается до {MAX_ROWS} строк и {MAX_COLUMNS} столбцов). Удалите лишнее или разделите файл."
        )


def clip_merge(merge: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    r1, c1, r2, c2 = merge
    return r1, c1, min(r2, MAX_ROWS - 1), min(c2, MAX_COLUMNS - 1)


def check_merges(name: str, merges: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Merged ranges clipped to the sheet limits; too many or overlapping ones (Excel never writes those) refused."""
    if len(merges) > MAX_MERGES:
        raise refuse(f"Лист «{name}»: объединённых ячеек слишком много ({len(merges)}; допускается до {MAX_MERGES}). "
                     "Отмените лишние объединения и сохраните файл заново.")
    clipped = [clip_merge(m) for m in merges if m[0] < MAX_ROWS and m[1] < MAX_COLUMNS]
    by_column: dict[int, list[tuple[int, int]]] = {}
    for r1, c1, r2, c2 in clipped:
        for column in range(c1, c2 + 1):
            by_column.setdefault(column, []).append((r1, r2))
    for column, spans in by_column.items():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:]):
            if start <= end:
                raise refuse(f"Лист «{name}»: объединённые ячейки накладываются друг на друга (столбец {column + 1}, "
                             f"строка {start + 1}) — так файл сохранить нельзя, он повреждён. Откройте его в Excel "
                             "или LibreOffice Calc, снимите объединение ячеек и сохраните заново.")
    return clipped


# --- loading ---------------------------------------------------------------------------------


def load_workbook_grids(path: Path) -> list[Grid]:
    """Every sheet of an xlsx/xlsm/ods file as a Grid, after the safety checks."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

    sniff_container(path)
    check_zip(path)
    is_ods = path.suffix.lower() == ".ods"
    layouts = scan_ods(path) if is_ods else scan_xlsx(path)
    if len(layouts) > MAX_SHEETS:
        raise refuse(f"В файле {len(layouts)} листов; допускается до {MAX_SHEETS}.")
    for name, layout in layouts.items():
        check_extent(name, layout)
    grids = []
    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            for meta in workbook.sheets_metadata:
                sheet = workbook.get_sheet_by_name(meta.name)
                layout = layouts.get(meta.name, SheetLayout())
                merges = check_merges(meta.name, layout.merges if is_ods else [
                    (r1, c1, r2, c2) for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])
                ])
                grids.append(Grid(
                    name=meta.name, rows=sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS),
                    hidden_rows=layout.hidden_rows, merges=merges,
                    visible=meta.visible == SheetVisibleEnum.Visible,
                    formulas_without_value=layout.formulas_without_value,
                ))
    except PasswordError:
        raise refuse("Файл защищён паролем. Снимите пароль и сохраните таблицу заново.") from None
    except (CalamineError, ValueError, OSError):
        raise refuse(
            "Таблицу не удалось прочитать: файл повреждён или сохранён в необычном формате. "
            "Откройте его в Excel или LibreOffice Calc и сохраните как .xlsx или .ods."
        ) from None
    return grids


# --- CSV ---------------------------------------------------------------------------------------


MIXED_ENCODINGS = (
    "Файл CSV сохранён в разных кодировках сразу: часть строк в UTF-8 (строки: {utf8}), часть — в другой "
    "кодировке, вероятно Windows-1251 (строки: {other}). Так текст исказится. Откройте файл в Excel или LibreOffice Calc и сохраните его заново "
    "целиком как «CSV UTF-8» или «CSV (разделители — точка с запятой)»."
)
UNKNOWN_ENCODING = (
    "Не удалось определить кодировку файла CSV (это не UTF-8, не UTF-16 и не Windows-1251). Откройте файл в Excel "
    "или LibreOffice Calc и сохраните его как «CSV UTF-8»."
)


def line_numbers(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:3])
    return shown + (" и другие" if len(numbers) > 3 else "")


def refuse_mixed(data: bytes) -> None:
    """Refuse a file some of whose lines are UTF-8 Cyrillic and others are not UTF-8 at all."""
    utf8, other = [], []
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other.append(number)
        else:
            utf8.append(number)
    if utf8 and other:
        raise refuse(MIXED_ENCODINGS.format(utf8=line_numbers(utf8), other=line_numbers(other)))


def decode_csv(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1251; mixed ones refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise refuse(UNKNOWN_ENCODING) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    refuse_mixed(data)
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError:
        raise refuse(UNKNOWN_ENCODING) from None


def detect_delimiter(text: str) -> str:
    """``;``, ``,`` or tab: the one the header line uses, else csv.Sniffer's guess, else the most frequent."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", "\t", ",")}
    used = [d for d, n in counts.items() if n]
    if len(used) == 1:
        return used[0]
    try:
        return csv.Sniffer().sniff(text[:16384], delimiters=";,\t").delimiter
    except csv.Error:
        return max(counts, key=lambda d: counts[d]) if used else ";"


CSV_ERRORS = {
    "field larger than field limit": "значение одной ячейки слишком длинное",
    "new-line character seen in unquoted field": "перевод строки внутри ячейки без кавычек",
    "line contains NUL": "в строке двоичные данные",
}


def csv_rows(text: str, delimiter: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        reason = next((russian for english, russian in CSV_ERRORS.items() if str(exc).startswith(english)),
                      "непарные кавычки или лишний символ")
        raise refuse(f"Строка {reader.line_num}: ошибка в записи CSV ({reason}). Проверьте кавычки.") from None


def load_csv_grid(path: Path) -> Grid:
    data = path.read_bytes()
    if not data.strip():
        raise refuse("Файл пустой. Сохраните таблицу ещё раз и положите файл снова.")
    if data.startswith(ZIP_SIGNATURES + (OLE_SIGNATURE,)) or any(data.startswith(s) for s in OTHER_SIGNATURES):
        raise refuse("Это не CSV-файл (внутри другой формат). Сохраните таблицу как «CSV (разделители — точка с запятой)».")
    text = decode_csv(data)
    if "\x00" in text:
        raise refuse("Это не CSV-файл (внутри двоичные данные). Сохраните таблицу как CSV.")
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # one cell may be as long as the file
    rows = []
    for row in csv_rows(text, detect_delimiter(text)):
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise refuse(f"В файле больше {MAX_ROWS} строк. Разделите его на несколько файлов.")
        if len(row) > MAX_COLUMNS:
            raise refuse(f"Строка {len(rows)}: больше {MAX_COLUMNS} столбцов. Проверьте разделители или разделите файл.")
    return Grid(name=None, rows=rows)


def load_grids(path: Path) -> list[Grid]:
    """The sheets of a spreadsheet file (one for CSV), merged cells filled down."""
    grids = [load_csv_grid(path)] if path.suffix.lower() == ".csv" else load_workbook_grids(path)
    for grid in grids:
        grid.fill_merges()
    return grids
