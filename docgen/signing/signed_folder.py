"""The workspace's ``signed/`` folder: signatures the director made with his own tool.

For each stable signature file (``NAME.pdf.sig``, ``NAME.sig``, ``NAME.p7s``,
``NAME.p7m``): read it, find its document, check it (``verify``), then
publish the signature beside the PDF in ``outbox/`` and a marked copy
«… (подписан ЭП).pdf», record it in the register, and move the file (and a
PDF dropped beside it) to ``signed/processed/``. A refused signature goes to
``signed/failed/`` with a Russian report «… — ОШИБКИ.txt» and the register
unchanged. The same signature dropped again changes nothing.
"""
from __future__ import annotations

import logging
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..errors import DocgenError
from ..publishing import publish_file
from ..register import Entry, Register
from ..reports import REPORT_SUFFIX, report_path
from ..settings import Settings, Workspace
from . import records
from .cms import MAX_SIGNATURE_BYTES, load_signature
from .config import signing_options
from .lookup import SIGNATURE_SUFFIXES, locate, signed_name
from .mark import MarkText, marked_copy
from .trust import load_roots
from .verify import Verified, human_date, human_time, verify_signature

log = logging.getLogger("docgen.signing")

STABLE_SECONDS = 1.0
MARKED_SUFFIX = " (подписан ЭП)"


@dataclass
class SignedOutcome:
    source: str
    ok: bool
    message: str
    number: str | None = None
    marked: Path | None = None


def signed_folder(ws: Workspace) -> Path:
    return ws.root / "signed"


def is_signature_file(path: Path) -> bool:
    name = path.name
    return (path.is_file() and not path.is_symlink() and not name.startswith((".", "~")) and not name.endswith(REPORT_SUFFIX)
            and path.suffix.lower() in SIGNATURE_SUFFIXES)


def stable(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime >= seconds
    except OSError:
        return False


def process_signed_folder(ws: Workspace, settings: Settings, wait_stable: float = 0.0) -> list[SignedOutcome]:
    """Process every signature file waiting in ``signed/``."""
    folder = signed_folder(ws)
    if not folder.is_dir():
        return []
    files = sorted(p for p in folder.iterdir() if is_signature_file(p) and stable(p, wait_stable))
    return [process_signature_file(ws, settings, path) for path in files]


def process_signature_file(ws: Workspace, settings: Settings, path: Path) -> SignedOutcome:
    register = Register(ws.register)
    companion = path.with_name(signed_name(path))
    try:
        return accept(ws, settings, register, path, companion)
    except DocgenError as exc:
        return refused(ws, path, companion, exc)
    except FileNotFoundError:  # another docgen took the file meanwhile
        return SignedOutcome(path.name, True, "файл уже взят в обработку")
    except Exception as exc:  # noqa: BLE001 - a broken PDF or signature must not stop the service
        log.exception("ошибка при проверке подписи «%s»", path.name)
        return refused(ws, path, companion, DocgenError(
            f"Подпись не удалось проверить из-за внутренней ошибки ({type(exc).__name__}); подробности — "
            "в журнале docgen.log. Сообщите администратору."))


def accept(ws: Workspace, settings: Settings, register: Register, path: Path, companion: Path) -> SignedOutcome:
    """Check, then publish the signature copy and the marked copy, then record; the file moves to processed/."""
    entry, pdf, verified = check(ws, settings, register, path, companion)
    cert = verified.certificate
    record = records.SignatureRecord(
        entry_id=entry.id, method="electronic", signed_on=(verified.signing_time or verified.checked_at).isoformat(),
        signed_by=cert.owner, serial=cert.serial, issuer=cert.issuer, valid_from=cert.valid_from.isoformat(),
        valid_to=cert.valid_to.isoformat())
    if records.already_recorded(register, record):
        move_done(ws, path, companion)
        return SignedOutcome(path.name, True, f"подпись документа № {entry.number} уже была учтена", entry.number)
    with_time = signing_options(settings.raw, ws.root).mark_signing_time
    with tempfile.TemporaryDirectory(prefix="docgen-mark-") as tmp:
        copy = Path(tmp) / "marked.pdf"
        marked_copy(pdf, copy, mark_text(verified, with_time), cert.surname)  # may fail: nothing published yet
        signature_copy = publish_file(path, ws.outbox, pdf.name, ".sig")
        marked = publish_file(copy, ws.outbox, pdf.stem + MARKED_SUFFIX, ".pdf")
    records.record_signature(register, entry, records.SignatureRecord(
        **{**record.__dict__, "signature_file": signature_copy.name, "marked_copy": marked.name}))
    move_done(ws, path, companion)
    log.info("подпись принята: «%s», документ № %s", path.name, entry.number)
    return SignedOutcome(path.name, True, f"документ № {entry.number or 'без номера'} подписан ЭП", entry.number, marked)


def refused(ws: Workspace, path: Path, companion: Path, error: DocgenError) -> SignedOutcome:
    refuse(ws, path, companion, error)
    log.warning("подпись отклонена: «%s»", path.name)
    return SignedOutcome(path.name, False, error.russian())


def check(ws: Workspace, settings: Settings, register: Register, path: Path,
          companion: Path) -> tuple[Entry, Path, Verified]:
    if path.stat().st_size > MAX_SIGNATURE_BYTES:
        raise DocgenError("Файл подписи слишком большой (больше 50 МБ): это не файл подписи.")
    signature = load_signature(path.read_bytes())
    found = locate(register, ws.outbox, path, signature, companion if companion.is_file() else None)
    if found is None:
        raise DocgenError(f"Не найден документ для подписи «{path.name}»: в outbox нет выпущенного PDF "
                          f"«{signed_name(path)}», и ни один выпущенный PDF не совпадает с подписанным. "
                          "Назовите файл подписи по имени PDF (например, «ИМЯ.pdf.sig»).")
    if found.entry.status == "void":
        raise DocgenError(f"Номер {found.entry.number} аннулирован ({found.entry.void_reason}): "
                          "подпись аннулированного документа не учитывается.")
    signer = found.entry.signer or settings.director.get("name", "")
    roots = load_roots(signing_options(settings.raw, ws.root).trusted_roots)
    verified = verify_signature(found.pdf.read_bytes(), signature, roots, signer)
    return found.entry, found.pdf, verified


def mark_text(verified: Verified, with_time: bool) -> MarkText:
    cert = verified.certificate
    signed_at = human_time(verified.signing_time) if (with_time and verified.signing_time) else None
    return MarkText(cert.serial, cert.owner, human_date(cert.valid_from), human_date(cert.valid_to), signed_at)


def move_free(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    n = 2
    while target.exists():
        target = folder / f"{source.stem} ({n}){source.suffix}"
        n += 1
    shutil.move(str(source), str(target))
    return target


def move_done(ws: Workspace, path: Path, companion: Path) -> None:
    move_free(path, signed_folder(ws) / "processed")
    if companion.is_file():
        move_free(companion, signed_folder(ws) / "processed")


def refusal_text(name: str, error: DocgenError) -> str:
    lines = [f"Файл подписи: {name}", f"Проверен: {datetime.now():%d.%m.%Y %H:%M}", "",
             "Подпись НЕ принята. В журнал регистрации ничего не записано.", "",
             "Причина:", f"  {error.russian()}", "",
             "Исправьте и положите файл подписи в папку signed снова."]
    return "\r\n".join(lines) + "\r\n"


def refuse(ws: Workspace, path: Path, companion: Path, error: DocgenError) -> None:
    moved = move_free(path, signed_folder(ws) / "failed")
    report_path(moved).write_text(refusal_text(path.name, error), encoding="utf-8-sig")
    if companion.is_file():
        move_free(companion, signed_folder(ws) / "failed")
