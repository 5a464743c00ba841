"""DOCX → PDF with LibreOffice: the converter the pipeline uses, and the cold ``soffice`` fallback.

``Converter.submit`` queues a document for the warm pool (``lopool``: one
LibreOffice per core, started on first use or by ``warm_up``) and returns a
future; ``convert`` waits for it. When no Python with ``uno`` is found, or a
warm instance cannot be started, documents go through a cold
``soffice --convert-to pdf`` run instead. ``submit_together`` sends documents of
one template to LibreOffice as one combined document when ``pdfbatch`` allows
(its PDF split back per document), else one by one. A missing LibreOffice gives a clear
Russian message while the pipeline still delivers the DOCX. Every LibreOffice
gets its own user profile under the workspace's ``.docgen/``.
"""
from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from concurrent.futures import Future
from pathlib import Path

from ..errors import ConversionError
from .pool import Converted, Job, WarmPool
from .batch import Part, SplitFailed, combinable, combine, split
from ..settings import ConversionOptions

INSTALL_HINT = (
    "LibreOffice не найден, поэтому PDF не сделан; документ DOCX создан. Установите LibreOffice: "
    "«sudo apt-get install libreoffice-writer-nogui fonts-liberation2» (на Windows — с сайта libreoffice.org). "
    "Следующие документы получат PDF автоматически."
)
log = logging.getLogger("docgen.conversion")

UNO_PYTHON_CANDIDATES = ("/usr/bin/python3", "python3")


def chain(source: Future, target: Future) -> None:
    """``target`` gets ``source``'s result or exception when it has one."""
    def copy(done: Future) -> None:
        if done.exception() is not None:
            target.set_exception(done.exception())
        else:
            target.set_result(done.result())
    source.add_done_callback(copy)


def find_soffice(configured: str = "") -> str | None:
    if configured:
        return configured if Path(configured).exists() or shutil.which(configured) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def missing_message(configured: str) -> str:
    if configured:
        return (f"LibreOffice не найден по пути «{configured}» из docgen.toml ([conversion] soffice), поэтому PDF "
                "не сделан; документ DOCX создан. Исправьте путь или удалите эту строку, чтобы docgen нашёл "
                "LibreOffice сам. " + INSTALL_HINT.split("; документ DOCX создан. ", 1)[1])
    return INSTALL_HINT


@functools.lru_cache(maxsize=16)
def has_uno(python: str) -> bool:
    try:
        return subprocess.run([python, "-I", "-c", "import uno"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def find_uno_python(configured: str, soffice: str) -> str | None:
    """A Python that can ``import uno``: the configured one, LibreOffice's own, or the system's."""
    if configured:
        return configured if has_uno(configured) else None
    program = Path(os.path.realpath(soffice)).parent
    bundled = [str(program / name) for name in ("python", "python.exe") if (program / name).is_file()]
    for candidate in (*bundled, *UNO_PYTHON_CANDIDATES):
        path = shutil.which(candidate) if not os.path.isabs(candidate) else candidate
        if path and has_uno(path):
            return path
    return None


def run_soffice(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    """Run soffice in its own process group; kill the whole group on timeout."""
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ConversionError(f"LibreOffice не ответил за {timeout:g} с и был остановлен. DOCX готов.") from None
    return subprocess.CompletedProcess(args, process.returncode, out, err)


def pdf_filter(pdfa: bool) -> str:
    if not pdfa:
        return "pdf:writer_pdf_Export"
    return "pdf:writer_pdf_Export:" + json.dumps({"SelectPdfVersion": {"type": "long", "value": "2"}})


def cold_convert(docx_paths: list[Path], outdir: Path, options: ConversionOptions, profile: Path,
                 soffice: str | None = None) -> None:
    """Convert DOCX files to PDF into ``outdir`` with one ``soffice --convert-to pdf`` run."""
    soffice = soffice or find_soffice(options.soffice)
    if soffice is None:
        raise ConversionError(missing_message(options.soffice))
    args = [
        soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
        "--nologo", "--nodefault", "--nolockcheck", "--convert-to", pdf_filter(options.pdfa),
        "--outdir", str(outdir), *map(str, docx_paths),
    ]
    result = run_soffice(args, options.timeout * max(1, len(docx_paths)))
    missing = [p for p in docx_paths if not (outdir / (p.stem + ".pdf")).exists()]
    if result.returncode != 0 or missing:
        detail = result.stderr.decode("utf-8", "replace").strip()[-300:]
        raise ConversionError(f"LibreOffice не сделал PDF (код {result.returncode}). {detail}".strip())


def make_pool(options: ConversionOptions, profiles: Path, soffice: str, uno_python: str | None, cold) -> WarmPool:
    """The local warm pool, with the remote converters of ``[conversion] servers`` beside it (docgen.remote)."""
    if options.servers:
        from .remote import PoolWithServers

        return PoolWithServers(options, profiles, soffice, uno_python, cold, servers=options.servers)
    return WarmPool(options, profiles, soffice, uno_python, cold)


class Converter:
    """Turns DOCX files into PDF files; one instance per pipeline, shared by its documents."""

    def __init__(self, options: ConversionOptions, state_dir: Path):
        self.options = options
        self.state_dir = state_dir
        self.pool: WarmPool | None = None
        self.soffice: str | None = None

    @property
    def enabled(self) -> bool:
        return self.options.enabled

    def submit(self, docx: Path, pdf: Path, title: str = "", author: str = "", subject: str = "",
               destinations: bool = False) -> Future:
        """Queue one document; the future gives a ``Converted`` or raises ConversionError."""
        future: Future = Future()
        try:
            pool = self.ready_pool()
            pool.submit(Job(Path(docx).resolve(), Path(pdf).resolve(), title, author, subject, future, destinations))
        except ConversionError as exc:
            future.set_running_or_notify_cancel()
            future.set_exception(exc)
        return future

    def submit_together(self, items: list[tuple[Path, Path, str, str, str]]) -> list[Future]:
        """Queue documents ``(docx, pdf, title, author, subject)`` of one template; one future per document.

        They are converted as one document (``pdfbatch``) when they can be without changing any one's
        pages; if that fails in any way, each is converted alone."""
        if not self.combines(items):
            return [self.submit(*item) for item in items]
        futures = [Future() for _ in items]
        first_docx = Path(items[0][0])
        combined = first_docx.with_name(f"{first_docx.stem}-together.docx")
        try:
            combine([Path(item[0]) for item in items], combined)
        except (OSError, ValueError):
            return [self.submit(*item) for item in items]
        parts = [Part(Path(pdf).resolve(), title, author, subject) for _, pdf, title, author, subject in items]
        job = self.submit(combined, combined.with_suffix(".pdf"), items[0][2], items[0][3], "", destinations=True)
        job.add_done_callback(lambda done: self.split_or_alone(done, combined.with_suffix(".pdf"), items, parts, futures))
        return futures

    def combines(self, items: list) -> bool:
        if len(items) < 2 or self.options.combine < 2 or self.options.pdfa or not self.enabled:
            return False  # PDF/A: a split file would lose its PDF/A identification, so each is made alone
        try:
            pool = self.ready_pool()
        except ConversionError:
            return False
        return pool.can_go_warm() and combinable([Path(item[0]) for item in items])

    def split_or_alone(self, done: Future, combined_pdf: Path, items: list, parts: list[Part],
                       futures: list[Future]) -> None:
        """The combined PDF split per document; on any failure each document converted alone."""
        try:
            converted = done.result()
            split(combined_pdf, parts)
        except (ConversionError, SplitFailed, OSError, ValueError) as exc:
            log.warning("документы не преобразованы вместе (%s); каждый преобразуется отдельно", type(exc).__name__)
            for item, future in zip(items, futures):
                chain(self.submit(*item), future)
            return
        for future in futures:
            future.set_result(Converted(converted.method, metadata_embedded=True))

    def convert(self, docx: Path, pdf: Path, title: str = "", author: str = "", subject: str = "") -> Converted:
        """Write ``pdf`` from ``docx`` and wait for it; raise ConversionError on failure."""
        return self.submit(docx, pdf, title, author, subject).result()

    def warm_up(self) -> None:
        """Start the LibreOffice instances now (e.g. when the watcher starts) instead of at the first document."""
        if not self.enabled:
            return  # [conversion] enabled = false: LibreOffice is never started
        try:
            self.ready_pool().start()
        except ConversionError:
            pass  # reported with the first document

    def ready_pool(self) -> WarmPool:
        """The pool, made on first use; LibreOffice is looked for again while it is missing."""
        if self.pool is not None:
            return self.pool
        soffice = find_soffice(self.options.soffice)
        if soffice is None:
            raise ConversionError(missing_message(self.options.soffice))
        uno_python = find_uno_python(self.options.uno_python, soffice) if self.options.warm else None
        self.soffice = soffice
        self.pool = make_pool(self.options, self.state_dir / "libreoffice", soffice, uno_python, self.cold_one)
        return self.pool

    def cold_one(self, job: Job, profile: Path) -> None:
        """The fallback for one document: a cold ``soffice --convert-to pdf`` with the worker's profile."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.state_dir, prefix="pdf-") as tmp:
            cold_convert([job.docx], Path(tmp), self.options, profile, self.soffice)
            shutil.move(str(Path(tmp) / (job.docx.stem + ".pdf")), job.pdf)

    def office_pids(self) -> list[int]:
        return self.pool.office_pids() if self.pool else []

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
