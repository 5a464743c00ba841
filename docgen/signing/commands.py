"""What ``docgen verify`` and ``docgen signed`` say: the checks run on files a person names, in Russian."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import DocgenError
from ..register import Register
from ..settings import Workspace
from .cms import load_signature
from .config import signing_options
from .lookup import SIGNATURE_SUFFIXES, Located, published_pdfs, signed_name
from .trust import load_roots
from .verify import Verified, human_date, human_time, verify_signature


def find_signature_beside(pdf: Path) -> Path | None:
    for candidate in [pdf.with_name(pdf.name + s) for s in SIGNATURE_SUFFIXES] + \
                     [pdf.with_suffix(s) for s in SIGNATURE_SUFFIXES]:
        if candidate.is_file():
            return candidate
    return None


def registered(ws: Workspace, pdf: Path) -> Located | None:
    """The register entry whose published PDF has exactly these bytes."""
    if not ws.register.exists():
        return None
    wanted = hashlib.sha256(pdf.read_bytes()).digest()
    for candidate in published_pdfs(Register(ws.register), ws.outbox):
        if hashlib.sha256(candidate.pdf.read_bytes()).digest() == wanted:
            return candidate
    return None


def verified_lines(verified: Verified) -> list[str]:
    cert = verified.certificate
    lines = ["Подпись ВЕРНА: документ не изменён после подписания.",
             f"  Сертификат: {cert.serial}", f"  Владелец: {cert.owner}",
             f"  Действителен: с {human_date(cert.valid_from)} по {human_date(cert.valid_to)}",
             f"  Издатель: {cert.issuer}"]
    if verified.signing_time:
        lines.append(f"  Время подписания: {human_time(verified.signing_time)}")
    else:
        lines.append("  Время подписания в подписи не указано; сертификат проверен на текущий момент.")
    return lines


def verify_detached(ws: Workspace, settings, pdf: Path, signature_file: Path) -> tuple[bool, list[str]]:
    """Check a PDF against its CMS signature file; (valid, Russian lines)."""
    lines = [f"Документ: {pdf.name}", f"Подпись: {signature_file.name}"]
    found = registered(ws, pdf)
    if found:
        lines.append(f"В журнале регистрации: № {found.entry.number or 'без номера'} от "
                     f"{found.entry.doc_date}, подписант {found.entry.signer or '—'}")
    else:
        lines.append("В журнале регистрации этот PDF не найден: подписант документа не сверялся.")
    try:
        roots = load_roots(signing_options(settings.raw, ws.root).trusted_roots)
        signature = load_signature(signature_file.read_bytes())
        verified = verify_signature(pdf.read_bytes(), signature, roots, found.entry.signer if found else None)
    except DocgenError as exc:
        return False, lines + ["Подпись НЕ ПРИНЯТА.", f"  Причина: {exc.russian()}"]
    return True, lines + verified_lines(verified)


def resolve_pair(path: Path, sig: str | None) -> tuple[Path, Path | None]:
    """The PDF and its signature file from what the person typed."""
    if path.suffix.lower() in SIGNATURE_SUFFIXES and not sig:
        return path.with_name(signed_name(path)), path
    return path, Path(sig) if sig else find_signature_beside(path)
