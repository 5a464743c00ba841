"""Checking templates before a document depends on them: ``docgen templates check`` and the gate at plugin load.

A template is the ``.docx`` a methodist edits in Word; it is checked for
- what stops it from rendering at all (``fatal``): the file is no DOCX, a tag
  is left open or broken across paragraphs, «ёлочки» inside a tag, a Jinja
  syntax error, an unknown filter (``docgen.templatexml``);
- what makes a wrong or failing document (``error``): a variable the type does
  not provide (found statically and by rendering each example input of the
  type, DOCX only, never LibreOffice), a render that fails with an example, a
  word about a person written in one gender (``docgen.proofreading``), a
  style the text names that the file lacks;
- what is only worth a look (``warning``): a variable the type provides that
  the template never uses, a type without an example input, a template no
  type uses.
``check_templates`` runs all of it over the template search path (or one
folder). The plugin manager refuses at load a type whose template has a fatal
problem (``docgen.templatexml.fatal_findings``); the pipeline, when it starts,
refuses one whose edited template cannot be filled with the type's examples
(``refuse_unfillable_types``).
"""
from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jinja2 import ChainableUndefined, Environment

from .errors import DocgenError
from .proofreading import slipped_words
from .rendering import COMMON_VARIABLES, TypesetTemplate, jinja_environment, render_docx, typeset, with_images
from .templatexml import Finding, literal_paragraphs, static_findings

SAMPLE_NUMBER = "1"


@dataclass
class Example:
    """One validated document of an example input file."""

    source: str
    document: object  # docgen.validation.Document


@dataclass
class Report:
    """The findings of a run, template by template."""

    templates: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "warning"]


# --- the fill gate of the pipeline ----------------------------------------------------------------------

_fill_cache: dict[tuple, list[Finding]] = {}


def refuse_unfillable_types(hooks, make_pipeline, examples_dir: Path, builtin_dir: Path) -> None:
    """Take out each type whose template — other than docgen's own, which its CI checks — lacks a variable or
    fails when filled with the type's example inputs (DOCX only); cached by content, type and plugins."""
    for doc_type in hooks.registry().all():
        path = hooks.docx_template(doc_type)
        if path is None or path.resolve().parent == builtin_dir:
            continue
        plugins = tuple(info.key for info in hooks.infos if not info.error)
        key = (str(path), hashlib.sha256(path.read_bytes()).hexdigest(), doc_type.id, plugins)
        if key not in _fill_cache:
            _fill_cache[key] = load_render_findings(path, doc_type, hooks, make_pipeline, examples_dir)
        if _fill_cache[key]:
            hooks.refuse_type(doc_type.id, path, _fill_cache[key])


def load_render_findings(path: Path, doc_type, hooks, make_pipeline, examples_dir: Path) -> list[Finding]:
    """The errors of filling the template with the examples of its type found beside docgen and the plugins."""
    report = Report()
    sources = [examples_dir, path.parent.parent / "examples"]
    files = [f for f in example_files(sources) if doc_type.id in f.read_text(encoding="utf-8", errors="replace")]
    if not files:
        return []
    with make_pipeline(hooks) as pipeline:
        examples = read_examples(pipeline, files, report).get(doc_type.id, [])
        if not examples:
            return []
        _, used = static_findings(path, path.read_bytes(), jinja_environment(hooks.jinja_filters()))
        found = render_findings(path, doc_type, examples, used, pipeline)
    return [f for f in found if f.severity != "warning"]


def example_files(sources: list[Path]) -> list[Path]:
    files = []
    for source in sources:
        files += sorted(source.glob("*.json")) if source.is_dir() else [source] if source.is_file() else []
    return list(dict.fromkeys(files))


def read_examples(pipeline, files: list[Path], report: Report) -> dict[str, list[Example]]:
    """Every example document by type id; an example that is not valid is a warning (it checks nothing)."""
    by_type: dict[str, list[Example]] = {}
    for path in files:
        try:
            documents = pipeline.read_and_validate(path, path.name)
        except Exception as exc:  # noqa: BLE001 - a bad example, or a plugin failing on it, checks nothing
            reason = exc.russian() if isinstance(exc, DocgenError) else f"{type(exc).__name__}: {exc}"
            report.findings.append(Finding(path, "warning", "", f"пример не прочитан, по нему ничего не проверено: "
                                           f"{reason}"))
            continue
        for doc in documents:
            by_type.setdefault(doc.type.id, []).append(Example(f"{path.name}, документ {doc.index + 1}", doc))
    return by_type


def sample_context(pipeline, doc) -> dict:
    """The context the pipeline would render ``doc`` with (number «1», nothing written to the register)."""
    from .register import Entry

    entry = Entry(id=0, series=None, year=None, sequence=None, number=SAMPLE_NUMBER, doc_date=doc.date.isoformat(),
                  type_id=doc.type.id, heading=doc.type.heading(doc.data), signer="", executor="", input_sha256="",
                  input_name="", doc_index=doc.index, status="draft", void_reason=None, outputs=[],
                  created_at=date.today().isoformat())
    context = pipeline.context(doc, entry)
    pipeline.hooks.update_context(doc.type, doc.data, context)
    return context


# --- rendering with an example ----------------------------------------------------------------------------

def recording_environment(filters: dict, context: dict, missing: set[str]) -> Environment:
    """An environment like docgen's whose undefined values are noted in ``missing`` (as «org.fax») and print empty."""
    names = {id(value): key for key, value in context.items()}

    class Recording(ChainableUndefined):
        def __init__(self, hint=None, obj=None, name=None, exc=None):
            super().__init__(hint, obj, name, exc)
            if isinstance(name, str):
                parent = names.get(id(obj)) if obj is not None else None
                missing.add(f"{parent}.{name}" if parent else name)

    env = Environment(autoescape=True, undefined=Recording, finalize=typeset)
    env.filters.update(filters)
    return env


def missing_variables(path: Path, context: dict, filters: dict) -> set[str]:
    """The names the template asks for that ``context`` lacks, found by one lenient render."""
    missing: set[str] = set()
    template = TypesetTemplate(str(path))
    try:
        template.render(with_images(template, context), jinja_env=recording_environment(filters, context, missing),
                        autoescape=True)
    except Exception:  # noqa: BLE001 - the real render below says what failed
        pass
    return missing


def render_findings(path: Path, doc_type, examples: list[Example], used: set[str], pipeline) -> list[Finding]:
    """Render the template with each example of the type (DOCX only): what it lacks, what fails, what goes unused."""
    where = f"тип «{doc_type.id}»"
    if not examples:
        return [Finding(path, "warning", where, "нет примера входных данных этого типа: шаблон не заполнялся, "
                        "переменные не проверены (укажите пример: docgen templates check --examples ФАЙЛ)")]
    missing: dict[str, str] = {}  # name → the first example that lacked it
    failures, provided, filters = [], set(), pipeline.hooks.jinja_filters()
    for example in examples:
        try:
            context = sample_context(pipeline, example.document)
        except Exception as exc:  # noqa: BLE001 - a plugin's build_context or update_context failing is the finding
            failures.append(Finding(path, "error", f"{where}, пример {example.source}", "данные для шаблона не "
                                    f"собраны (ошибка в коде типа или плагина): {type(exc).__name__}: {exc}"))
            continue
        provided |= set(context)
        for name in sorted(missing_variables(path, context, filters)):
            missing.setdefault(name, example.source)
        failure = render_failure(path, context, filters)
        if failure and not missing:
            failures.append(Finding(path, "error", f"{where}, пример {example.source}",
                                    f"шаблон не заполняется: {failure}"))
    if not provided:
        return failures[:1]
    missing.update({name: "" for name in used - provided - set(jinja_environment(filters).globals) - set(missing)})
    places = tag_places(path.read_bytes(), missing)
    found = [Finding(path, "error", ", ".join(filter(None, (places.get(name), where))),
                     f"переменная «{name}» не задана: тип её не передаёт (опечатка в теге?)"
                     + (f"; обнаружено при заполнении примером {source}" if source else ""))
             for name, source in sorted(missing.items())]
    found += failures[:1]
    for name in sorted(provided - used - set(COMMON_VARIABLES)):
        found.append(Finding(path, "warning", where, f"переменная «{name}» передаётся, но в шаблоне не используется"))
    return found


def render_failure(path: Path, context: dict, filters: dict) -> str:
    """Why docgen's own renderer fails with this context («» when it renders)."""
    with tempfile.TemporaryDirectory(prefix="docgen-check-") as tmp:
        try:
            render_docx(path, context, Path(tmp) / "out.docx", filters)
        except Exception as exc:  # noqa: BLE001 - any failure of the template is reported, not raised
            return f"{type(exc).__name__}: {exc}"
    return ""


def tag_places(data: bytes, names) -> dict[str, str]:
    """The first paragraph whose tags name each of ``names`` («org.fax» is looked for as written)."""
    places = {}
    paragraphs = literal_paragraphs(data)
    for name in names:
        pattern = re.compile(r"(\{\{|\{%)[^}%]*\b" + re.escape(name) + r"\b")
        for place, text in paragraphs:
            if pattern.search(text):
                places[name] = f"{place} («{' '.join(text.split())[:60]}»)"
                break
    return places


def gender_findings(path: Path, data: bytes) -> list[Finding]:
    """Words about a person written out in one gender, paragraph by paragraph (``docgen.proofreading``)."""
    found = []
    for place, text in literal_paragraphs(data):
        words, literal = slipped_words(text)
        for word in words:
            found.append(Finding(path, "error", f"{place} («{literal[:60]}»)",
                                 f"слово «{word}» относится к человеку, но написано в одном роде: напишите его через "
                                 f"фильтр, например {{{{ person|agree(\"{word.lower()}\") }}}}"))
    return found


# --- the whole run ------------------------------------------------------------------------------------------

def templates_in(folders: list[Path]) -> list[Path]:
    return [p for folder in folders if folder.is_dir() for p in sorted(folder.glob("*.docx"))
            if not p.name.startswith(("~$", "."))]


def check_one(path: Path, types: list, examples: dict[str, list[Example]], pipeline) -> list[Finding]:
    """Everything about one template: the static checks; unless one is fatal, the proofreader and each type's fill."""
    data = path.read_bytes()
    found, used = static_findings(path, data, jinja_environment(pipeline.hooks.jinja_filters()))
    if any(f.severity == "fatal" for f in found):
        return found
    found += gender_findings(path, data)
    if not types:
        found.append(Finding(path, "warning", "", "ни один тип документа не использует этот шаблон"))
    for doc_type in types:
        found += render_findings(path, doc_type, examples.get(doc_type.id, []), used, pipeline)
    return found


def check_templates(hooks, make_pipeline, examples_dir: Path, folder: Path | None = None,
                    examples: list[Path] = ()) -> Report:
    """Check every template on the search path of ``hooks`` (or in ``folder``) with the example inputs found.

    Examples: the built-in ones (``examples_dir``), an ``examples/`` folder beside
    each template folder, and ``examples`` (files or folders of ``.json`` inputs).
    ``make_pipeline(hooks)``: a context manager giving a DOCX-only pipeline over a
    throwaway workspace (``docgen.pipeline.sample_pipeline``).
    """
    folders = [folder] if folder is not None else hooks.template_dirs()
    report = Report(templates=templates_in(folders))
    registry = hooks.registry()
    types = registry.all() + [t for t, _ in registry.refused.values()]
    with make_pipeline(hooks) as pipeline:
        sources = [examples_dir, *(f.parent / "examples" for f in folders), *examples]
        by_type = read_examples(pipeline, example_files(sources), report)
        for path in report.templates:
            users = [t for t in types if t.template == path.name]
            report.findings += check_one(path, users, by_type, pipeline)
    return report
