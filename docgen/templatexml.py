"""What a DOCX template says, read without rendering it: its parts, paragraphs, Jinja tags and styles.

The static half of ``docgen templates check`` (``docgen.templatecheck``) and of
the gate at plugin load: a file that does not open as a DOCX, a tag left open
or broken across paragraphs (Word's edits), «ёлочки» typed inside a tag, a
Jinja syntax error, an unknown filter, a style the text names that the file
does not define. Tags are read as docxtpl reads them (after its
``patch_xml``), so a tag Word split across runs of different formatting,
which docxtpl joins again, is no error.
"""
from __future__ import annotations

import difflib
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateAssertionError, TemplateSyntaxError, meta, nodes
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PART_NAME = re.compile(r"word/(document|header\d*|footer\d*)\.xml$")
DELIMITER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
CLOSER_OF = {"{{": "}}", "{%": "%}", "{#": "#}"}
LINE_START = re.compile(r"<w:p([ >])")


@dataclass(frozen=True)
class Finding:
    """One problem of a template: ``severity`` fatal (it cannot be rendered), error or warning."""

    template: Path
    severity: str
    where: str
    message: str

    def russian(self) -> str:
        label = {"fatal": "ошибка", "error": "ошибка", "warning": "предупреждение"}[self.severity]
        return f"{self.template.name}: {label}: {self.where}: {self.message}" if self.where else \
            f"{self.template.name}: {label}: {self.message}"


@dataclass
class Part:
    """One XML part a template renders (the body, a header, a footer)."""

    name: str
    xml: str

    @property
    def label(self) -> str:
        kind = re.match(r"word/([a-z]+)", self.name)[1]
        return {"document": "основной текст", "header": "верхний колонтитул", "footer": "нижний колонтитул"}[kind] + \
            ("" if kind == "document" else f" ({Path(self.name).name})")


def read_parts(data: bytes) -> tuple[list[Part], str]:
    """The rendered parts of a DOCX and its styles.xml; raises zipfile.BadZipFile or KeyError when it is no DOCX."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if "word/document.xml" not in names:
            raise KeyError("word/document.xml")
        # re-serialized by lxml as python-docx hands the XML to docxtpl («&apos;» as written by LibreOffice becomes «'»)
        parts = [Part(n, etree.tostring(etree.fromstring(archive.read(n)), encoding="unicode"))
                 for n in sorted(names) if PART_NAME.match(n)]
        styles = archive.read("word/styles.xml").decode("utf-8") if "word/styles.xml" in names else ""
    return parts, styles


def paragraph_texts(xml: str) -> list[str]:
    """The text of each paragraph, as docxtpl sees it (its ``w:t`` runs joined)."""
    root = etree.fromstring(xml.encode("utf-8"))
    texts = []
    for paragraph in root.iter(f"{W}p"):
        own = [t.text or "" for t in paragraph.iter(f"{W}t") if next(t.iterancestors(f"{W}p")) is paragraph]
        texts.append("".join(own))
    return texts


def snippet(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def tag_findings(path: Path, part: Part) -> list[Finding]:
    """Tags left open, closed without an opening, or holding «ёлочки», paragraph by paragraph."""
    found = []
    for number, text in enumerate(paragraph_texts(part.xml), 1):
        where = f"{part.label}, абзац {number} («{snippet(text)}»)"
        opened: re.Match | None = None
        for mark in DELIMITER.finditer(text):
            token = mark.group()
            if token in CLOSER_OF:
                if opened is not None:
                    break
                opened = mark
            elif opened is not None and CLOSER_OF[opened.group()] == token:
                tag = text[opened.start():mark.end()]
                if "«" in tag or "»" in tag:
                    found.append(Finding(path, "fatal", where, f"в теге «{snippet(tag, 50)}» кавычки-ёлочки «»: Word "
                                         "заменил ими прямые кавычки. Наберите в теге прямые кавычки \" или '"))
                opened = None
            elif opened is None:
                found.append(Finding(path, "fatal", where, f"«{token}» без открывающей скобки тега: допечатайте начало "
                                     "тега или удалите лишние скобки"))
        if opened is not None:
            tag = text[opened.start():]
            found.append(Finding(path, "fatal", where, f"тег «{snippet(tag, 50)}» не закрыт в этом абзаце: "
                                 f"в конце тега нужно «{CLOSER_OF[opened.group()]}» "
                                 "(тег должен целиком стоять в одном абзаце)"))
    return found


def jinja_source(part: Part) -> str:
    """The part's XML as docxtpl hands it to Jinja: one line per paragraph."""
    return LINE_START.sub(r"\n<w:p\1", DocxTemplate(io.BytesIO()).patch_xml(part.xml))


def line_text(source: str, lineno: int | None) -> str:
    lines = source.splitlines()
    if not lineno or lineno > len(lines):
        return ""
    return re.sub(r"<[^>]+>", "", lines[lineno - 1])


def parse_part(path: Path, part: Part, env: Environment) -> tuple[nodes.Template | None, list[Finding]]:
    """The part's Jinja tree, or the syntax error said with the paragraph it is in."""
    source = jinja_source(part)
    try:
        return env.parse(source), []
    except TemplateSyntaxError as exc:
        where = f"{part.label}, абзац «{snippet(line_text(source, exc.lineno))}»"
        return None, [Finding(path, "fatal", where, f"ошибка в теге: {exc.message}. Проверьте скобки, кавычки и "
                              "написание тега")]


def filter_findings(path: Path, part: Part, tree: nodes.Template, env: Environment) -> list[Finding]:
    found = []
    for name in sorted({f.name for f in tree.find_all((nodes.Filter, nodes.Test)) if isinstance(f, nodes.Filter)}):
        if name not in env.filters:
            close = difflib.get_close_matches(name, env.filters, n=1)
            found.append(Finding(path, "fatal", part.label, f"неизвестный фильтр «{name}»"
                                 + (f" (может быть, «{close[0]}»?)" if close else "")))
    return found


def used_variables(trees: list[nodes.Template]) -> set[str]:
    """The top-level names the parts use (a part with an unknown filter, already reported, adds none)."""
    used: set[str] = set()
    for tree in trees:
        try:
            used |= meta.find_undeclared_variables(tree)
        except TemplateAssertionError:
            continue
    return used


def style_findings(path: Path, parts: list[Part], styles_xml: str) -> list[Finding]:
    """Paragraph, character and table styles the text names that styles.xml does not define."""
    defined = set(re.findall(r'<w:style\b[^>]*\bw:styleId="([^"]+)"', styles_xml))
    found = []
    for part in parts:
        named = set(re.findall(r'<w:(?:pStyle|rStyle|tblStyle)\b[^>]*\bw:val="([^"]+)"', part.xml))
        for style in sorted(named - defined):
            found.append(Finding(path, "error", part.label, f"текст ссылается на стиль «{style}», которого нет "
                                 "в файле: примените к этому тексту существующий стиль или добавьте стиль в шаблон"))
    return found


def static_findings(path: Path, data: bytes, env: Environment) -> tuple[list[Finding], set[str]]:
    """Every problem found without rendering, and the names the template uses (its top-level variables)."""
    try:
        parts, styles = read_parts(data)
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, etree.XMLSyntaxError):
        return [Finding(path, "fatal", "", "файл не открывается как документ Word (DOCX): сохраните его в Word "
                        "как «Документ Word (.docx)»")], set()
    found, trees = [], []
    for part in parts:
        tags = tag_findings(path, part)
        found += tags
        tree, syntax = parse_part(path, part, env)
        if tree is None:
            found += [] if tags else syntax
            continue
        trees.append(tree)
        found += filter_findings(path, part, tree, env)
    found += style_findings(path, parts, styles)
    return found, used_variables(trees)


_fatal_cache: dict[tuple, list[Finding]] = {}


def fatal_findings(path: Path, filter_names) -> list[Finding]:
    """The problems that stop a template from rendering at all (cached by its content): what the plugin manager
    refuses at load. ``filter_names``: the Jinja filters the plugins give."""
    data = path.read_bytes()
    names = tuple(sorted(filter_names))
    key = (str(path), hashlib.sha256(data).hexdigest(), names)
    if key not in _fatal_cache:
        env = Environment()
        env.filters.update(dict.fromkeys(names, str))
        _fatal_cache[key] = [f for f in static_findings(path, data, env)[0] if f.severity == "fatal"]
    return _fatal_cache[key]


def literal_paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(place, text) of every paragraph of the rendered parts, for the proofreader."""
    parts, _ = read_parts(data)
    return [(f"{part.label}, абзац {n}", text) for part in parts for n, text in enumerate(paragraph_texts(part.xml), 1)]
