"""The pipeline: one input file from the inbox to published documents, in one readable sequence.

    claim → fingerprint → read → validate all → draw numbers → for each document:
    render DOCX → convert PDF (in the warm LibreOffice pool, while the next DOCX
    renders) → publish in document order → record; then the print pack and the
    input moved to ``processed/`` (or ``failed/`` with a Russian report).

Guarantees owned here: nothing is drawn before every document of the file is
valid; an input always ends in exactly one of inbox/, processed/, failed/;
a number whose document fails for good is voided with its reason; the same
bytes are never processed by two workers at once (a lock per SHA-256).
``recover()`` at start-up finishes what a crash left: abandoned claims are
processed again (the register gives back their numbers, and the files a crashed
run already put under their reserved names are adopted), numbers whose input
is gone are voided with a reason, half-written outputs are removed, files of
voided numbers taken out, and files the register does not know set aside in
«outbox/Вне журнала/». Each window between two durable steps and what
recovery does about it: docs/reliability.md.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import re
import tempfile
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .config_schema import unknown_document_types
from .pdf.converter import Converter
from .doctypes import RenderInfo, normalize_title
from .claims import (MAX_RECOVERY_ATTEMPTS, Claim, NotRegularFile, claim_file, copy_claim, count_recovery_attempt,
                     forget_recovery_attempts, lock_input, original_name, other_names, release_input,
                     take_back_abandoned, unreadable)
from .errors import ConversionError, DocgenError, DuplicateInput, InputError, NotAnInput, Outcome, Problem
from .faults import pause_if_asked, step
from .inbox import is_candidate, special_kind
from .moves import free_name, move_free
from .names import clean_name
from .numbering import example_number, parse_number, strip_number_sign
from .leases import LEASE_SECONDS, Leases
from .plugins import BUILTIN_TEMPLATES_DIR, EXAMPLES_DIR, Hooks, get_plugin_manager
from .publishing import (OutboxNames, PublishError, clean_leftovers, merge_pdfs, output_stem, publish_file, safe_stem,
                         set_aside, set_pdf_metadata)
from .reading import check_size, size_limit
from .register import Entry, NumberRequest, Register, RegisterBusy, RegisterUnavailable
from .rendering import find_template
from .reports import move_fixed, short_text, void_cause, write_failure_report
from .settings import Settings, Workspace
from .setaside import SetAside
from .signing.qr import qr_for
from .templatecheck import refuse_unfillable_types
from .validation import ValidDocument, validate_all

log = logging.getLogger("docgen.pipeline")

PERSONAL_DATA_MODE = 0o600  # outputs of types with personal_data=True: owner only

CRASHING_FILE = ("Обработка этого файла несколько раз подряд аварийно остановила программу (в том числе при "
                 "восстановлении после сбоя), поэтому файл отложен, чтобы сбой не повторялся. Проверьте файл; если "
                 "он верен, положите его в папку inbox снова и сообщите администратору.")
PACK_MARK = "Комплект для печати"
UNKNOWN_FILES_FOLDER = "Вне журнала"  # outbox/ subfolder for files the register does not know
OUTPUT_SUFFIXES = (".docx", ".pdf")
NUMBER_IN_NAME = re.compile(r" № (\S+)")

ORGANIZATION_KEYS = ("name", "short_name", "parent", "address", "place", "inn", "ogrn", "phone", "email", "site")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def described(path: Path) -> str:
    """An output file for a log line without the name, which may carry a person's name: «№ 5-од, DOCX»."""
    match = NUMBER_IN_NAME.search(path.stem)
    return f"{'№ ' + match[1] if match else 'без номера'}, {path.suffix.lstrip('.').upper()}"


def refuse_unproducible_numbers(requests: list[NumberRequest]) -> None:
    """Every hand-given number the series cannot produce, named per document, before anything is drawn."""
    problems = []
    for req in requests:
        if req.series and req.given_number and parse_number(strip_number_sign(req.given_number), req.pattern) is None:
            year = req.doc_date.year
            problems.append(Problem(
                f"Документ {req.doc_index + 1}, поле «number» («Номер (если уже присвоен)»)",
                f"номер «{req.given_number}» не подходит к формату номеров серии «{req.series_title or req.series}» "
                f"({req.pattern}), пример: {example_number(req.pattern, year)}. Исправьте номер или уберите его — "
                "номер будет выдан сам."))
    if problems:
        raise InputError(problems)


def person_signature(person: dict) -> str:
    """«Директор З.А. Сафарова»-style text for the register (no personal data)."""
    return " ".join(p for p in (person.get("position", ""), person.get("name", "")) if p)


@dataclass
class Produced:
    entry: Entry
    document: ValidDocument
    docx: Path | None = None
    pdf: Path | None = None
    pdf_error: str = ""
    kept: bool = False  # published by a run that crashed before finishing


@dataclass
class Pending:
    """A rendered DOCX whose PDF may still be in LibreOffice."""

    document: ValidDocument
    entry: Entry
    docx: Path
    pdf: Path
    future: Future | None = None
    queued: bool = False  # sent to LibreOffice (or no PDF is made)

    def ready(self) -> bool:
        return self.queued and (self.future is None or self.future.done())


def move_claim(claim: Claim, folder: Path, name: str | None = None, point: str = "input.move",
               target: Path | None = None) -> None:
    """Move a claimed input on; one another program removed from ``.processing/`` meanwhile (an antivirus,
    a person) is said in the log, and the processing it was part of still ends as it would have."""
    try:
        claim.moved_to(move_free(claim.path, folder, name, point=point, target=target))
    except FileNotFoundError:
        if claim.path.exists():
            raise
        log.warning("входной файл «%s» пропал из inbox/.processing во время обработки (его удалила или "
                    "переместила другая программа, например антивирус)", claim.name)


def refuse_unusable(claim: Claim) -> None:
    """A file of the inbox with another name elsewhere (a hard link), or one docgen may not read, is set aside."""
    if unreadable(claim):
        raise InputError("Файл нельзя прочитать: у программы docgen нет прав на чтение этого файла (его "
                         "сохранили с правами другого пользователя). Сохраните или скопируйте файл заново от своего "
                         "имени (или попросите администратора дать права на чтение) и положите его снова.")
    links = other_names(claim)
    if links:
        raise InputError("Этот файл — жёсткая ссылка: у него есть ещё другие имена"
                         f" (других имён: {links}), возможно, вне папки inbox. docgen такие файлы не читает: "
                         "через другое имя их содержимое могут прочитать или подменить. Положите в inbox обычную "
                         "копию файла.")


class Pipeline:
    """Processes input files of one workspace."""

    def __init__(self, workspace: Workspace, settings: Settings | None = None, hooks: Hooks | None = None,
                 converter: Converter | None = None, fill_templates: bool = True):
        """``converter``: one shared by several workspaces (docgen.schools); closed by its owner, not here.
        ``fill_templates``: first fill each edited template with its type's examples and refuse the types
        whose template cannot be filled (``docgen.templatecheck``); off for the throwaway pipeline doing that."""
        self.workspace = workspace
        self.settings = settings or workspace.load_settings(info.name for info in (hooks.infos if hooks else []))
        self.settings.require_filled_in()  # no number under «ЗАПОЛНИТЕ: …» (an unedited `docgen init`)
        self.hooks = hooks or get_plugin_manager(workspace.plugins)
        if fill_templates:
            refuse_unfillable_types(self.hooks, sample_pipeline, EXAMPLES_DIR, BUILTIN_TEMPLATES_DIR)
        for problem in unknown_document_types(self.settings.raw, (t.id for t in self.hooks.registry().all())):
            log.warning("%s (или его плагин не загружен: docgen plugins)", problem)
        self.register = Register(workspace.register)
        self.leases = Leases(self.register, self.register.location.lease_seconds or LEASE_SECONDS) \
            if self.register.journal.kind == "postgresql" else None  # claim rows shared by every worker
        self.set_aside = SetAside(workspace.outbox, workspace.state, self.register)
        self.owns_converter = converter is None
        self.converter = converter or Converter(self.settings.conversion, workspace.state)
        self.claims: list[Claim] = []  # files this pipeline holds right now
        workspace.ensure()

    def close(self) -> None:
        if self.owns_converter:
            self.converter.close()
        if self.leases is not None:
            self.leases.close()

    # --- the sequence -----------------------------------------------------------

    def process(self, path: Path) -> Outcome:
        """Process one file that is in the inbox (or anywhere: a copy is taken, the original stays)."""
        path = Path(path)
        kind = special_kind(path)
        in_inbox = path.parent.resolve() == self.workspace.inbox.resolve()
        if kind and (in_inbox or not path.is_symlink()):  # a link named on the command line is followed to a file
            return self.refuse_special(path, kind)
        try:
            claim = self.claim(path)
        except NotRegularFile:
            return self.refuse_special(path, special_kind(path.resolve()) or "не обычный файл")
        except RegisterBusy as exc:  # the claim row could not be taken: the file was not touched
            step("failed", clean_name(path.name), detail="журнал недоступен, файл остаётся в inbox")
            return Outcome(clean_name(path.name), ok=False, message=exc.russian())
        if claim is None:
            return Outcome(str(path), ok=True, skipped=True, message="файл уже взят в обработку")
        return self.process_claim(claim)

    @staticmethod
    def refuse_special(path: Path, kind: str) -> Outcome:
        """A symlink, FIFO, socket or folder is never opened, followed or moved; the person is told what it is."""
        name = clean_name(path.name)
        log.warning("не обработан «%s»: это %s, а не обычный файл", name, kind)
        return Outcome(name, ok=False, skipped=False,
                       message=f"«{name}» — это {kind}, а не обычный файл; docgen читает только обычные файлы. "
                               "Он оставлен на месте. Положите сам файл.")

    def process_claim(self, claim: Claim) -> Outcome:
        """The sequence for a file this worker holds; the claim is released at the end whatever happens."""
        self.claims.append(claim)
        try:
            return self._process_claim(claim)
        finally:
            self.claims.remove(claim)
            claim.release()
            if claim.lease and self.leases is not None:
                self.leases.release(claim.lease)

    def _process_claim(self, claim: Claim) -> Outcome:
        name = claim.name
        step("claimed", name)
        sha = None
        self.voided_now: list[str] = []  # numbers this run drew and voided itself (a template that failed)
        try:
            refuse_unusable(claim)
            check_size(claim.path, self.settings.inbox.max_file_mb)  # before hashing: a sparse file of a terabyte
            sha = sha256_of(claim.path)
            input_lock = lock_input(self.workspace.state / "locks", sha)
            if input_lock is None or (self.leases is not None and not self.leases.take(f"sha:{sha}")):
                if input_lock is not None:
                    release_input(input_lock)
                raise self.duplicate_in_progress(sha)
            try:
                self.refuse_duplicate(sha)
                documents = self.read_and_validate(claim.path, name)
                step("validated", name, detail=f"документов: {len(documents)}")
                entries = self.draw_numbers(sha, name, documents)
                self.set_aside_replaced(entries)
                produced = self.produce_all(documents, entries)
                pack = self.print_pack(produced, name, sha)
                self.record_pack(sha, pack, produced)
                step("finishing", name)
                self.finish(claim, sha)
            finally:
                release_input(input_lock)
                if self.leases is not None:
                    self.leases.release(f"sha:{sha}")
        except NotAnInput:
            move_claim(claim, self.workspace.inbox, name, point="input.to_inbox")
            return Outcome(name, ok=True, skipped=True)
        except RegisterBusy as exc:
            move_claim(claim, self.workspace.inbox, name, point="input.to_inbox")
            why = "журнал недоступен" if isinstance(exc, RegisterUnavailable) else "журнал занят"
            step("failed", name, detail=f"{why}, файл возвращён в inbox")
            return Outcome(name, ok=False, message=exc.russian())
        except DuplicateInput as exc:
            return self.fail(claim, exc, duplicate=True)
        except DocgenError as exc:
            return self.fail(claim, exc, sha)
        except BaseException as exc:  # an unexpected failure (a plugin's sys.exit too) must not lose the file
            if isinstance(exc, KeyboardInterrupt):
                raise
            log.exception("непредвиденная ошибка при обработке %s", name)
            plugin = self.hooks.blame(exc)
            if plugin:
                return self.fail(claim, DocgenError(
                    f"Сбой в плагине «{plugin}» при обработке этого файла; документы не выпущены. Сообщите "
                    "администратору: подробности записаны в журнал .docgen/docgen.log."), sha)
            return self.fail(claim, DocgenError(
                "Внутренняя ошибка программы при обработке этого файла. Сообщите администратору: подробности "
                "записаны в журнал .docgen/docgen.log."), sha)
        step("done", name)
        return self.outcome(name, produced, pack)

    def claim(self, path: Path) -> Claim | None:
        """Take a file: its claim row first when the register is in PostgreSQL, then the rename (or a copy)."""
        key = f"file:{clean_name(path.name)}"
        if self.leases is None or path.parent.resolve() != self.workspace.inbox.resolve():
            return self.claim_here(path)
        if not self.leases.take(key):
            return None  # another worker holds it
        claim = self.claim_here(path)
        if claim is None:
            self.leases.release(key)
        else:
            claim.lease = key
        return claim

    def claim_here(self, path: Path) -> Claim | None:
        """Take a file for this worker: an atomic rename out of the inbox, or a copy of a file from elsewhere."""
        if path.parent.resolve() == self.workspace.inbox.resolve():
            return claim_file(path, self.workspace.processing)
        return copy_claim(path, self.workspace.processing)

    def finish(self, claim: Claim, sha: str) -> None:
        """The input to processed/, then the register says done (a crash between is repaired by recover)."""
        move_claim(claim, self.workspace.processed, claim.name, point="input.to_processed")
        pause_if_asked("moved")
        self.register.finish_input(sha, "done")
        move_fixed(self.workspace.failed, claim.name)  # its earlier failures are fixed now

    def duplicate_in_progress(self, sha: str) -> DuplicateInput:
        status = self.register.input_status(sha)
        return DuplicateInput(status["name"] if status else "другой файл с тем же содержимым", [])

    def reuse(self, doc: ValidDocument, entry: Entry) -> Produced | None:
        """A document a crashed run already published is kept as it is.

        A half-published one is made again; the files it already has under its reserved names
        are adopted then (``publish``), never made a second time."""
        files = [self.workspace.outbox / name for name in entry.outputs]
        if entry.status == "published" and files and all(f.exists() for f in files):
            docx = next((f for f in files if f.suffix == ".docx"), None)
            pdf = next((f for f in files if f.suffix == ".pdf"), None)
            step("published", entry.input_name, entry.number, detail="уже выпущен до сбоя")
            return Produced(entry, doc, docx=docx, pdf=pdf, kept=True)
        return None

    def refuse_duplicate(self, sha: str) -> None:
        status = self.register.input_status(sha)
        if status is not None and status["status"] == "done":
            numbers = [e.number or "" for e in self.register.entries(sha256=sha) if e.status != "void"]
            raise DuplicateInput(status["name"], numbers)

    def read_and_validate(self, path: Path, name: str | None = None) -> list[ValidDocument]:
        """Every document of a file, validated; ``name`` is the secretary's file name (default: the path's)."""
        raws = self.hooks.read_input(path, self.settings, name or Path(path).name)
        if not raws:
            raise InputError("В файле не найдено ни одного документа.")
        return validate_all(raws, self.hooks.registry(), self.hooks)

    def draw_numbers(self, sha: str, name: str, documents: list[ValidDocument]) -> list[Entry]:
        requests = [self.number_request(doc) for doc in documents]
        refuse_unproducible_numbers(requests)
        data_by_index = {doc.index: doc.data for doc in documents}

        def fmt(req: NumberRequest, year: int, sequence: int) -> str:
            return self.hooks.format_number(req.series, year, sequence, req.pattern, data_by_index[req.doc_index])

        entries = self.register.issue(sha, name, requests, fmt)
        for entry in entries:
            step("numbered", name, entry.number or "без номера")
        return entries

    def number_request(self, doc: ValidDocument) -> NumberRequest:
        series = self.settings.series_for(doc.type.id, doc.type.series)
        given = doc.data.get("number")
        return NumberRequest(
            doc_index=doc.index, type_id=doc.type.id, doc_date=doc.date,
            series=series.key if series else None, pattern=series.pattern if series else "",
            year_start=series.year_start if series else "01-01", heading=doc.type.heading(doc.data),
            signer=person_signature(self.signer(doc)), executor=(doc.data.get("executor") or {}).get("name", ""),
            given_number=str(given).strip() if given not in (None, "") else None,
            starts=series.starts if series else (), allow_out_of_order=series.allow_out_of_order if series else False,
            series_title=series.title if series else "",
        )

    # --- one document -------------------------------------------------------------

    def produce_all(self, documents: list[ValidDocument], entries: list[Entry]) -> list[Produced]:
        """Render each DOCX while LibreOffice converts the earlier ones; publish in document order.

        Documents of one template go to LibreOffice in groups of up to ``[conversion] combine``
        (converted as one when they can be, see docgen.pdf.batch). A template failure voids that
        document's number and ends the batch; the documents before it are still converted and published.
        """
        produced: list[Produced] = []
        with tempfile.TemporaryDirectory(dir=self.workspace.state, prefix="batch-") as tmp:
            waiting: deque[Pending] = deque()
            group: list[Pending] = []  # rendered, not yet sent to LibreOffice
            try:
                for doc, entry in zip(documents, entries):
                    kept = self.reuse(doc, entry)  # published before a crash: kept as it is
                    if kept is not None:
                        self.submit_group(group)
                        while waiting:
                            produced.append(self.complete(waiting.popleft()))
                        produced.append(kept)
                        continue
                    if group and not self.joins_group(group, doc):
                        self.submit_group(group)
                    pending = self.render_pending(doc, entry, Path(tmp))
                    waiting.append(pending)
                    group.append(pending)
                    if len(group) >= self.settings.conversion.combine:
                        self.submit_group(group)
                    while waiting and waiting[0].ready():  # publish what is done without waiting
                        produced.append(self.complete(waiting.popleft()))
            finally:
                self.submit_group(group)
                while waiting:
                    produced.append(self.complete(waiting.popleft()))
        return produced

    @staticmethod
    def joins_group(group: list[Pending], doc: ValidDocument) -> bool:
        return group[0].document.type.template == doc.type.template

    def submit_group(self, group: list[Pending]) -> None:
        """Send the rendered documents of ``group`` to LibreOffice (together when they can be); empty it."""
        if self.converter.enabled and group:
            futures = self.converter.submit_together([
                (p.docx, p.pdf, self.title(p.document), self.organization(p.document).get("name", ""),
                 p.entry.number or "") for p in group])
            for pending, future in zip(group, futures):
                pending.future = future
        for pending in group:
            pending.queued = True
        group.clear()

    def render_pending(self, doc: ValidDocument, entry: Entry, folder: Path) -> Pending:
        docx = folder / f"{doc.index + 1}.docx"
        try:
            self.render(doc, entry, docx)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            cause = self.render_failure_cause(doc, exc)
            reason = f"не удалось сформировать документ: {cause}"
            if self.void_or_restore(self.register.entry(entry.id), reason) == "restored":
                failure = DocgenError(
                    f"Исправленная версия документа № {entry.number} не сформирована: {cause}. "
                    "В силе остаётся прежняя версия. Сообщите администратору.")
                failure.restored = [entry.number]
                raise failure from exc
            self.voided_now.append(entry.number or "без номера")
            log.error("аннулирован %s: %s (%s)", entry.number, cause, type(exc).__name__)
            raise DocgenError(
                f"Документ {doc.index + 1} не сформирован: {cause}. "
                f"Номер {entry.number or ''} аннулирован. Сообщите администратору."
            ) from exc
        step("rendered", entry.input_name, entry.number)
        return Pending(doc, entry, docx, folder / f"{doc.index + 1}.pdf")

    def complete(self, pending: Pending) -> Produced:
        """Wait for the document's PDF (if any), then publish the DOCX and the PDF."""
        doc, entry = pending.document, pending.entry
        result = Produced(entry, doc)
        pdf = None
        if pending.future is not None:
            try:
                converted = pending.future.result()
                if not converted.metadata_embedded:
                    set_pdf_metadata(pending.pdf, self.title(doc), self.organization(doc).get("name", ""), entry.number or "")
                pdf = pending.pdf
                step("converted", entry.input_name, entry.number, detail=converted.method)
            except ConversionError as exc:
                result.pdf_error = str(exc)
                log.error("PDF не сделан для %s: %s", entry.number or doc.type.id, exc)
        result.docx, result.pdf = self.publish(doc, entry, pending.docx, pdf)
        return result

    def render_failure_cause(self, doc: ValidDocument, exc: BaseException) -> str:
        """Why a document could not be made, said without its data: the plugin or the template at fault."""
        plugin = self.hooks.blame(exc)
        if plugin:
            return f"сбой в плагине «{plugin}»"
        return f"ошибка шаблона «{doc.type.template}»"

    def render(self, doc: ValidDocument, entry: Entry, target: Path) -> None:
        context = self.context(doc, entry)
        self.hooks.update_context(doc.type, doc.data, context)
        template = find_template(doc.type.template, self.hooks.template_dirs())
        self.hooks.render_document(template, context, target)

    @staticmethod
    def file_label(doc: ValidDocument) -> str:
        """What the file name says after the number: never anything of a type holding personal data."""
        if doc.type.personal_data:
            return ""
        return doc.type.file_label(doc.data) if doc.type.file_label else doc.type.heading(doc.data)

    def publish(self, doc: ValidDocument, entry: Entry, docx: Path, pdf: Path | None) -> tuple[Path, Path | None]:
        stem = output_stem(doc.date.isoformat(), doc.type.kind_label, entry.number, self.file_label(doc))
        mode = PERSONAL_DATA_MODE if doc.type.personal_data else None
        recorded = self.register.entry(entry.id).outputs  # names a crashed run reserved for this document
        final_docx = self.put_out(entry, docx, stem, ".docx", mode, recorded)
        step("published", entry.input_name, entry.number, detail="DOCX")
        final_pdf = self.put_out(entry, pdf, final_docx.stem, ".pdf", mode, recorded)
        files = [p for p in (final_docx, final_pdf) if p]
        self.register.mark_published(entry.id, [p.name for p in files])
        self.hooks.document_published(self.public_record(doc, entry), files, self.settings)
        return final_docx, final_pdf

    def put_out(self, entry: Entry, source: Path | None, stem: str, suffix: str, mode: int | None,
                recorded: list[str]) -> Path | None:
        """One file of a document into outbox/: adopted if a crashed run already gave it its reserved name,
        else published under that name (or a new reserved one). None when there is no such file."""
        reserved = next((n for n in recorded if n.endswith(suffix)), None)
        adopted = self.adopt(entry, stem, suffix, reserved)
        if adopted is not None:
            return adopted
        if source is None:
            if reserved:
                self.register.release_output(reserved)
            return None
        book = OutboxNames(self.register, entry.input_sha256, suffix.lstrip("."), entry.id)
        return publish_file(source, self.workspace.outbox, stem, suffix, mode, names=book, name=reserved,
                            point=f"publish.{book.kind}")

    def adopt(self, entry: Entry, stem: str, suffix: str, reserved: str | None) -> Path | None:
        """The file a crash left under this document's name, taken into the journal instead of made twice.

        Its reserved name, or (a crash of an older docgen, which named files before recording them)
        the document's own name when it carries the number and the register knows no other owner."""
        if reserved is not None:
            path = self.workspace.outbox / reserved
        elif entry.number:
            path = self.workspace.outbox / f"{safe_stem(stem)}{suffix}"
            if not path.is_file() or path.name in self.register.known_outputs():
                return None
            if not self.register.reserve_output(path.name, entry.input_sha256, suffix.lstrip("."), entry.id):
                return None
        else:
            return None
        if not path.is_file():
            return None
        log.warning("файл выпущен до сбоя и взят в журнал: %s", described(path))
        return path

    def print_pack(self, produced: list[Produced], input_name: str, sha: str | None = None) -> Path | None:
        pdfs = [p.pdf for p in produced if p.pdf]
        if len(produced) < 2 or not pdfs:
            return None
        stem = f"{produced[0].document.date.isoformat()} {PACK_MARK} — {Path(input_name).stem} ({len(pdfs)} док.)"
        reserved = self.register.pack_of(sha) if sha else None
        if reserved and (self.workspace.outbox / reserved).is_file():
            return self.workspace.outbox / reserved  # the crashed run got as far as its print pack: no second copy
        earlier = self.workspace.outbox / f"{safe_stem(stem)}.pdf"
        if not reserved and all(p.kept for p in produced) and earlier.is_file() \
                and earlier.name not in self.register.known_outputs() and sha \
                and self.register.reserve_output(earlier.name, sha, "pack"):
            return earlier  # an older docgen's pack, made before its crash: adopted
        with tempfile.TemporaryDirectory(dir=self.workspace.state, prefix="pack-") as tmp:
            merged = Path(tmp) / "pack.pdf"
            merge_pdfs(pdfs, merged, f"Комплект для печати: {Path(input_name).stem}")
            personal = any(p.document.type.personal_data for p in produced)
            book = OutboxNames(self.register, sha, "pack") if sha else None
            return publish_file(merged, self.workspace.outbox, stem, ".pdf", PERSONAL_DATA_MODE if personal else None,
                                names=book, name=reserved, point="publish.pack")

    # --- context -----------------------------------------------------------------------

    def organization(self, doc: ValidDocument) -> dict:
        blank = dict.fromkeys(ORGANIZATION_KEYS, "")
        return {**blank, **self.settings.organization, **(doc.data.get("organization") or {})}

    def signer(self, doc: ValidDocument) -> dict:
        return {**self.settings.director, **(doc.data.get("signer") or {})}

    def title(self, doc: ValidDocument) -> str:
        heading = doc.type.heading(doc.data)
        if normalize_title(doc.type.kind_label) in normalize_title(heading):  # «Дорожная карта …» said once
            return heading.strip()
        return f"{doc.type.kind_label} {heading}".strip()

    def context(self, doc: ValidDocument, entry: Entry) -> dict:
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
        base["qr"] = qr_for(self.settings.raw, doc.type.id, doc.type.kind_label, base)
        base.update(doc.type.build_context(doc.data, info))
        return base

    @staticmethod
    def public_record(doc: ValidDocument, entry: Entry) -> dict:
        return {"type": doc.type.id, "number": entry.number, "date": doc.date.isoformat(), "heading": doc.type.heading(doc.data)}

    # --- endings -------------------------------------------------------------------------

    def fail(self, claim: Claim, error: DocgenError, sha: str | None = None, duplicate: bool = False) -> Outcome:
        """Set the input aside in failed/ with a Russian report; numbers it drew and did not publish are voided."""
        voided, published, restored = list(getattr(self, "voided_now", [])), [], []
        self.voided_now = []
        if sha and not duplicate:
            reason = error.russian() if isinstance(error, PublishError) else "документ не выпущен: " + void_cause(error)
            voided_now, restored = self.void_unfinished(sha, reason)
            voided += voided_now
            restored += getattr(error, "restored", [])
            published = [e.number for e in self.register.entries(sha256=sha) if e.status == "published" and e.number]
            self.register.finish_input(sha, "failed", type(error).__name__)
        self.workspace.failed.mkdir(parents=True, exist_ok=True)
        target = free_name(self.workspace.failed, claim.name)
        write_failure_report(target, error, duplicate=duplicate, voided=voided, published=published,
                             restored=restored if sha and not duplicate else [])  # the report first
        move_claim(claim, self.workspace.failed, point="input.to_failed", target=target)
        step("failed", claim.name, detail="повтор" if duplicate else type(error).__name__)
        return Outcome(claim.name, ok=False, message=short_text(error), duplicate=duplicate)

    def void_unfinished(self, sha: str, reason: str) -> tuple[list[str], list[str]]:
        """Void every number of this input that has no published documents; return those numbers and the
        numbers of corrected versions that did not come out (their previous version stands again)."""
        voided, restored = [], []
        for entry in self.register.entries(sha256=sha, status="issued"):
            result = self.void_or_restore(entry, reason)
            if result == "void":
                voided.append(entry.number or "без номера")
            elif result == "restored":
                restored.append(entry.number or "")
        return voided, restored

    def void_or_restore(self, entry: Entry, reason: str) -> str | None:
        """An unfinished entry: a correction gets its previous version back, any other is voided, files aside."""
        if entry.version > 1 and self.set_aside.restore(entry) is not None:
            return "restored"
        if self.register.void(entry.id, reason, only_unfinished=True):
            self.set_aside.void(self.register.entry(entry.id))
            return "void"
        return None

    def set_aside_replaced(self, entries: list[Entry]) -> None:
        """Corrected documents: the previous version's files leave outbox/ before the new ones are published."""
        for entry in entries:
            if entry.version > 1 and entry.status == "issued":
                self.set_aside.replaced(entry)
                step("replaced", entry.input_name, entry.number, detail=f"версия {entry.version}")

    def record_pack(self, sha: str, pack: Path | None, produced: list[Produced]) -> None:
        if pack is not None:
            self.register.set_pack(sha, pack.name, [[p.entry.id, p.entry.version] for p in produced if p.pdf])

    @staticmethod
    def outcome(name: str, produced: list[Produced], pack: Path | None) -> Outcome:
        documents = [
            {"type": p.document.type.id, "number": p.entry.number, "docx": str(p.docx), "pdf": str(p.pdf) if p.pdf else None,
             "pdf_error": p.pdf_error, "version": p.entry.version}
            for p in produced
        ]
        message = "" if all(p.pdf for p in produced) else "; ".join({p.pdf_error for p in produced if p.pdf_error})
        return Outcome(name, ok=True, documents=documents, message=message, pack=str(pack) if pack else None)

    def recover(self) -> list[Outcome]:
        """At start: finish what a crash left. Return the outcomes of the files processed again.

        Half-written outputs of dead writers are removed; claims whose owner died
        are processed again (their numbers come back from the register); numbers
        whose input is nowhere to be found are voided with a reason.
        """
        removed = clean_leftovers(self.workspace.outbox)
        if removed:
            log.warning("удалены недописанные файлы в outbox: %d", removed)
        for folder in (self.workspace.processing, self.workspace.failed):
            clean_leftovers(folder)
        unfinished = self.register.entries(status="issued")  # read before looking at files: see void_orphans
        outcomes = [self.recover_claim(claim) for claim in take_back_abandoned(
            self.workspace.processing, {c.path for c in self.claims}, self.leased_elsewhere if self.leases else None)]
        live = self.live_inputs()
        self.void_orphans(unfinished, live)
        self.register.finish_stale_inputs(live)
        self.set_aside.sweep()
        self.set_aside_unknown_files()
        return outcomes

    def leased_elsewhere(self, claimed: Path) -> bool:
        """An abandoned-looking claim another worker still holds a live lease on; else its row is taken over here."""
        key = f"file:{original_name(claimed)}"
        return not self.leases.take(key)

    def recover_claim(self, claim: Claim) -> Outcome:
        """Process an abandoned claim again, unless recovering it has already killed a worker twice."""
        claimed = claim.path
        if count_recovery_attempt(self.workspace.state, claim) > MAX_RECOVERY_ATTEMPTS:
            log.error("файл «%s» дважды прервал восстановление после сбоя; отложен в failed", claim.name)
            self.claims.append(claim)
            try:
                outcome = self.fail(claim, DocgenError(CRASHING_FILE), self.sha_if_readable(claim.path))
            finally:
                self.claims.remove(claim)
                claim.release()
                if self.leases is not None:
                    self.leases.release(f"file:{claim.name}")
        else:
            claim.lease = f"file:{claim.name}" if self.leases is not None else None
            outcome = self.process_claim(claim)
        forget_recovery_attempts(self.workspace.state, claimed)
        return outcome

    @staticmethod
    def sha_if_readable(path: Path) -> str | None:
        try:
            return sha256_of(path)
        except OSError:
            return None

    def adopt_earlier_pack(self, path: Path) -> bool:
        """A print pack made by a docgen from before packs were recorded: recorded now for its finished input."""
        if PACK_MARK not in path.name:
            return False
        for sha, name in self.register.done_inputs():
            if f"{PACK_MARK} — {safe_stem(Path(name).stem)} (" in path.name:
                return self.register.reserve_output(path.name, sha, "pack")
        return False

    def set_aside_unknown_files(self) -> None:
        """Documents in outbox/ the register does not know go to «Вне журнала», each with a log line.

        The folder is listed before the register is read: a live worker reserves a name in the
        register before its file gets it, so no file of a live worker is ever taken for unknown."""
        outbox = self.workspace.outbox
        files = [p for p in outbox.iterdir() if p.is_file() and p.suffix.lower() in OUTPUT_SUFFIXES
                 and not p.name.startswith(".")] if outbox.is_dir() else []
        if not files:
            return
        known = self.register.known_outputs()
        for path in files:
            if path.name not in known and not self.adopt_earlier_pack(path):
                set_aside(path, outbox / UNKNOWN_FILES_FOLDER)
                log.warning("файла нет в журнале регистрации, перенесён в outbox/%s: %s", UNKNOWN_FILES_FOLDER,
                            described(path))

    def live_inputs(self) -> set[str]:
        """SHA-256 of every input still waiting or being processed (inbox and claims of live workers).

        A file over the size limit is not hashed: it is refused before it is hashed, so no number can be
        its, and a sparse file of a terabyte would hold every start-up for hours."""
        folders = [self.workspace.inbox, self.workspace.processing]
        limit = size_limit(self.settings.inbox.max_file_mb)
        shas = set()
        for folder in folders:
            for path in folder.iterdir() if folder.is_dir() else ():
                if special_kind(path) is None and (folder == self.workspace.processing or is_candidate(path, self.hooks.input_suffixes())):
                    try:
                        if path.stat().st_size > limit:
                            continue
                        shas.add(sha256_of(path))
                    except OSError:
                        continue
        return shas

    def void_orphans(self, unfinished: list[Entry], live: set[str]) -> None:
        """Numbers committed for an input that is gone: void with the reason (only if still unfinished)."""
        reason = "входной файл не найден при восстановлении после сбоя; документ не выпущен"
        for entry in unfinished:
            if entry.input_sha256 in live:
                continue
            if self.void_or_restore(self.register.entry(entry.id), reason) == "void":
                log.warning("аннулирован номер %s: %s", entry.number or "без номера", reason)


@contextlib.contextmanager
def sample_pipeline(hooks: Hooks) -> Iterator[Pipeline]:
    """A pipeline over a throwaway demo workspace with these hooks, PDFs off: contexts as real documents get them
    (``docgen templates check`` and the fill gate render examples through it; nothing is kept)."""
    from .workspace_init import init_workspace

    with tempfile.TemporaryDirectory(prefix="docgen-templates-") as tmp:
        workspace = Workspace(Path(tmp) / "ws")
        init_workspace(workspace.root, demo=True)
        settings = workspace.load_settings(info.name for info in hooks.infos)
        settings = dataclasses.replace(settings, conversion=dataclasses.replace(settings.conversion, enabled=False))
        pipeline = Pipeline(workspace, settings=settings, hooks=hooks, fill_templates=False)
        try:
            yield pipeline
        finally:
            pipeline.close()
