"""The pipeline: one input file from the inbox to published documents, in one readable sequence.

    claim → fingerprint → read → validate all → draw numbers → for each document:
    render DOCX → convert PDF → publish → record; then the print pack and the
    input moved to ``processed/`` (or ``failed/`` with a Russian report).

Guarantees owned here: nothing is drawn before every document of the file is
valid; an input always ends in exactly one of inbox/, processed/, failed/;
a number whose document fails for good is voided with its reason.
"""
from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from .conversion import Converter
from .doctypes import RenderInfo
from .errors import ConversionError, DocgenError, DuplicateInput, InputError, NotAnInput, Outcome
from .plugins import Hooks, get_plugin_manager
from .publishing import clean_leftovers, merge_pdfs, output_stem, publish_file, set_pdf_metadata
from .register import Entry, NumberRequest, Register
from .rendering import find_template
from .reports import write_failure_report
from .settings import Settings, Workspace
from .validation import Document, validate_all

log = logging.getLogger("docgen.pipeline")

PERSONAL_DATA_MODE = 0o600  # outputs of types with personal_data=True: owner only

ORGANIZATION_KEYS = ("name", "short_name", "parent", "address", "place", "inn", "ogrn", "phone", "email", "site")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def move_free(source: Path, folder: Path, name: str | None = None) -> Path:
    """Move a file into ``folder`` under its name, or «name (2).ext» if taken; never overwrite."""
    folder.mkdir(parents=True, exist_ok=True)
    name = name or source.name
    stem, suffix = Path(name).stem, Path(name).suffix
    for attempt in range(1, 10000):
        target = folder / (name if attempt == 1 else f"{stem} ({attempt}){suffix}")
        if not target.exists():
            shutil.move(str(source), str(target))
            return target
    raise FileExistsError(name)


def original_name(claimed: Path) -> str:
    """The name the secretary gave a file, from its claimed name «<token>~<name>»."""
    return claimed.name.split("~", 1)[1] if "~" in claimed.name else claimed.name


def person_signature(person: dict) -> str:
    """«Директор З.А. Сафарова»-style text for the register (no personal data)."""
    return " ".join(p for p in (person.get("position", ""), person.get("name", "")) if p)


@dataclass
class Produced:
    entry: Entry
    document: Document
    docx: Path | None = None
    pdf: Path | None = None
    pdf_error: str = ""


class Pipeline:
    """Processes input files of one workspace."""

    def __init__(self, workspace: Workspace, settings: Settings | None = None, hooks: Hooks | None = None):
        self.workspace = workspace
        self.settings = settings or workspace.load_settings()
        self.hooks = hooks or get_plugin_manager(workspace.plugins)
        self.register = Register(workspace.register)
        self.converter = Converter(self.settings.conversion, workspace.state)
        workspace.ensure()

    def close(self) -> None:
        self.converter.close()

    # --- the sequence -----------------------------------------------------------

    def process(self, path: Path) -> Outcome:
        """Process one file that is in the inbox (or anywhere: it is moved into the inbox areas)."""
        claimed = self.claim(path)
        if claimed is None:
            return Outcome(str(path), ok=True, skipped=True, message="файл уже взят в обработку")
        name = original_name(claimed)
        log.info("получен: %s", name)
        try:
            sha = sha256_of(claimed)
            self.refuse_duplicate(sha)
            documents = self.read_and_validate(claimed)
            log.info("проверен: %s (документов: %d)", name, len(documents))
            entries = self.draw_numbers(sha, name, documents)
            produced = [self.produce(doc, entry) for doc, entry in zip(documents, entries)]
            pack = self.print_pack(produced, name)
        except NotAnInput:
            move_free(claimed, self.workspace.inbox, name)
            return Outcome(name, ok=True, skipped=True)
        except DuplicateInput as exc:
            return self.fail(claimed, name, exc, duplicate=True)
        except DocgenError as exc:
            return self.fail(claimed, name, exc)
        except Exception as exc:  # an unexpected failure must not lose the file
            log.exception("непредвиденная ошибка при обработке %s", name)
            return self.fail(claimed, name, DocgenError(f"Внутренняя ошибка программы: {type(exc).__name__}. Сообщите администратору."))
        self.register.finish_input(sha, "done")
        move_free(claimed, self.workspace.processed, name)
        log.info("обработан: %s", name)
        return self.outcome(name, produced, pack)

    def claim(self, path: Path) -> Path | None:
        """Take a file for this worker by an atomic rename into ``inbox/.processing``."""
        self.workspace.processing.mkdir(parents=True, exist_ok=True)
        target = self.workspace.processing / f"{uuid.uuid4().hex[:8]}~{path.name}"
        if path.parent.resolve() not in (self.workspace.inbox.resolve(), self.workspace.processing.resolve()):
            shutil.copy2(path, target)  # a file given on the command line from elsewhere: keep the original
            return target
        try:
            path.rename(target)
        except FileNotFoundError:
            return None
        return target

    def refuse_duplicate(self, sha: str) -> None:
        status = self.register.input_status(sha)
        if status is not None and status["status"] == "done":
            numbers = [e.number or "" for e in self.register.entries(sha256=sha) if e.status != "void"]
            raise DuplicateInput(status["name"], numbers)

    def read_and_validate(self, path: Path) -> list[Document]:
        raws = self.hooks.read_input(path, self.settings)
        if not raws:
            raise InputError("В файле не найдено ни одного документа.")
        return validate_all(raws, self.hooks.registry(), self.hooks)

    def draw_numbers(self, sha: str, name: str, documents: list[Document]) -> list[Entry]:
        requests = [self.number_request(doc) for doc in documents]
        data_by_index = {doc.index: doc.data for doc in documents}

        def fmt(req: NumberRequest, year: int, sequence: int) -> str:
            return self.hooks.format_number(req.series, year, sequence, req.pattern, data_by_index[req.doc_index])

        entries = self.register.issue(sha, name, requests, fmt)
        for entry in entries:
            log.info("зарегистрирован: %s → %s", name, entry.number or "без номера")
        return entries

    def number_request(self, doc: Document) -> NumberRequest:
        series = self.settings.series_for(doc.type.id, doc.type.series)
        given = doc.data.get("number")
        return NumberRequest(
            doc_index=doc.index, type_id=doc.type.id, doc_date=doc.date,
            series=series.key if series else None, pattern=series.pattern if series else "",
            year_start=series.year_start if series else "01-01", heading=doc.type.heading(doc.data),
            signer=person_signature(self.signer(doc)), executor=(doc.data.get("executor") or {}).get("name", ""),
            given_number=str(given).strip() if given not in (None, "") else None,
        )

    # --- one document -------------------------------------------------------------

    def produce(self, doc: Document, entry: Entry) -> Produced:
        """Render, convert and publish one document; void its number if it cannot be made."""
        result = Produced(entry, doc)
        with tempfile.TemporaryDirectory(dir=self.workspace.state, prefix="doc-") as tmp:
            docx = Path(tmp) / "document.docx"
            try:
                self.render(doc, entry, docx)
            except Exception as exc:
                reason = f"не удалось сформировать документ: {exc}"
                self.register.void(entry.id, reason)
                log.error("аннулирован %s: ошибка шаблона (%s)", entry.number, type(exc).__name__)
                raise DocgenError(
                    f"Документ {doc.index + 1} не сформирован: ошибка шаблона ({type(exc).__name__}). "
                    f"Номер {entry.number or ''} аннулирован. Сообщите администратору."
                ) from exc
            log.info("сформирован DOCX: %s", entry.number or doc.type.id)
            pdf = Path(tmp) / "document.pdf"
            try:
                self.converter.convert(docx, pdf)
                set_pdf_metadata(pdf, self.title(doc), self.organization(doc).get("name", ""), entry.number or "")
                log.info("сделан PDF: %s", entry.number or doc.type.id)
            except ConversionError as exc:
                result.pdf_error = str(exc)
                log.error("PDF не сделан для %s: %s", entry.number or doc.type.id, exc)
            result.docx, result.pdf = self.publish(doc, entry, docx, pdf if pdf.exists() and not result.pdf_error else None)
        return result

    def render(self, doc: Document, entry: Entry, target: Path) -> None:
        context = self.context(doc, entry)
        self.hooks.update_context(doc.type, doc.data, context)
        template = find_template(doc.type.template, self.hooks.template_dirs())
        self.hooks.render_document(template, context, target)

    def publish(self, doc: Document, entry: Entry, docx: Path, pdf: Path | None) -> tuple[Path, Path | None]:
        label = doc.type.file_label(doc.data) if doc.type.file_label else doc.type.heading(doc.data)
        stem = output_stem(doc.date.isoformat(), doc.type.kind_label, entry.number, label)
        mode = PERSONAL_DATA_MODE if doc.type.personal_data else None
        final_docx = publish_file(docx, self.workspace.outbox, stem, ".docx", mode)
        final_pdf = publish_file(pdf, self.workspace.outbox, final_docx.stem, ".pdf", mode) if pdf else None
        files = [p for p in (final_docx, final_pdf) if p]
        self.register.mark_published(entry.id, [p.name for p in files])
        log.info("опубликован: %s", final_docx.name)
        self.hooks.document_published(self.public_record(doc, entry), files, self.settings)
        return final_docx, final_pdf

    def print_pack(self, produced: list[Produced], input_name: str) -> Path | None:
        pdfs = [p.pdf for p in produced if p.pdf]
        if len(produced) < 2 or not pdfs:
            return None
        with tempfile.TemporaryDirectory(dir=self.workspace.state, prefix="pack-") as tmp:
            merged = Path(tmp) / "pack.pdf"
            first = produced[0].document
            title = f"Комплект для печати: {Path(input_name).stem}"
            merge_pdfs(pdfs, merged, title)
            stem = f"{first.date.isoformat()} Комплект для печати — {Path(input_name).stem} ({len(pdfs)} док.)"
            personal = any(p.document.type.personal_data for p in produced)
            return publish_file(merged, self.workspace.outbox, stem, ".pdf", PERSONAL_DATA_MODE if personal else None)

    # --- context -----------------------------------------------------------------------

    def organization(self, doc: Document) -> dict:
        blank = dict.fromkeys(ORGANIZATION_KEYS, "")
        return {**blank, **self.settings.organization, **(doc.data.get("organization") or {})}

    def signer(self, doc: Document) -> dict:
        return {**self.settings.director, **(doc.data.get("signer") or {})}

    def title(self, doc: Document) -> str:
        return f"{doc.type.kind_label} {doc.type.heading(doc.data)}".strip()

    def context(self, doc: Document, entry: Entry) -> dict:
        info = RenderInfo(
            number=entry.number, date=doc.date, settings=self.settings, organization=self.organization(doc),
            signer=self.signer(doc), executor=doc.data.get("executor"), index=doc.index,
            extra={"register": self.register},
        )
        base = {
            "org": info.organization, "signer": info.signer, "executor": info.executor,
            "number": entry.number or "", "date": doc.date, "heading": doc.type.heading(doc.data),
            "data": doc.data,
        }
        base.update(doc.type.build_context(doc.data, info))
        return base

    @staticmethod
    def public_record(doc: Document, entry: Entry) -> dict:
        return {"type": doc.type.id, "number": entry.number, "date": doc.date.isoformat(), "heading": doc.type.heading(doc.data)}

    # --- endings -------------------------------------------------------------------------

    def fail(self, claimed: Path, name: str, error: DocgenError, duplicate: bool = False) -> Outcome:
        target = move_free(claimed, self.workspace.failed, name)
        write_failure_report(target, error, duplicate=duplicate)
        log.warning("не обработан: %s (%s)", name, "повтор" if duplicate else type(error).__name__)
        return Outcome(name, ok=False, message=error.russian(), duplicate=duplicate)

    @staticmethod
    def outcome(name: str, produced: list[Produced], pack: Path | None) -> Outcome:
        documents = [
            {"type": p.document.type.id, "number": p.entry.number, "docx": str(p.docx), "pdf": str(p.pdf) if p.pdf else None,
             "pdf_error": p.pdf_error}
            for p in produced
        ]
        message = "" if all(p.pdf for p in produced) else "; ".join({p.pdf_error for p in produced if p.pdf_error})
        return Outcome(name, ok=True, documents=documents, message=message, pack=str(pack) if pack else None)

    def recover(self) -> None:
        """At start: remove half-written outputs, return claimed files a crash left to the inbox."""
        clean_leftovers(self.workspace.outbox)
        if self.workspace.processing.is_dir():
            for claimed in sorted(self.workspace.processing.iterdir()):
                if claimed.is_file():
                    move_free(claimed, self.workspace.inbox, original_name(claimed))
