"""PAdES signatures made and checked inside docgen with pyHanko (RSA and ECDSA keys only).

``sign_entry`` puts the «Отметка об электронной подписи» on a copy of the
document's PDF, then signs that copy with a key from a PKCS#12 file (an
unqualified signature for a school's internal documents), PAdES baseline,
SHA-256. GOST keys cannot be used here: a director signs with them in his
own tool and drops the detached signature into ``signed/``. ``verify_pades``
validates the signatures embedded in a PDF against ``[signing] trusted_roots``.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from asn1crypto import x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from ..errors import DocgenError
from ..publishing import publish_file
from ..register import Entry, Register
from ..settings import Workspace
from . import records
from .certificate import certificate_info, is_same_person
from .config import signing_options
from .mark import MarkText, marked_copy
from .trust import load_roots
from .verify import human_date, human_time

FIELD_NAME = "ПодписьДиректора"
MARKED_SUFFIX = " (подписан ЭП)"


@dataclass(frozen=True)
class SignedPdf:
    path: Path
    serial: str
    owner: str


def load_signer(pkcs12: Path, password: bytes) -> signers.SimpleSigner:
    if not pkcs12.is_file():
        raise DocgenError(f"Файл ключа {pkcs12} не найден.")
    try:
        signer = signers.SimpleSigner.load_pkcs12(str(pkcs12), passphrase=password or None)
    except (OSError, ValueError, TypeError):
        signer = None
    if signer is None:
        raise DocgenError("Не удалось открыть файл ключа PKCS#12: неверный пароль или ключ не RSA/ECDSA. "
                          "Ключи ГОСТ (КриптоПро) здесь не используются: подпишите PDF своей программой "
                          "и положите открепленную подпись в папку signed (см. docs/signing.md).")
    return signer


def sign_entry(ws: Workspace, settings, entry: Entry, pdf: Path, pkcs12: Path, password: bytes,
               now: datetime | None = None) -> SignedPdf:
    """Sign ``entry``'s PDF as PAdES with the visible mark; publish «… (подписан ЭП).pdf» and record it."""
    now = now or datetime.now(timezone.utc)
    signer = load_signer(pkcs12, password)
    info = certificate_info(signer.signing_cert)
    if not info.valid_from <= now <= info.valid_to:
        raise DocgenError(f"Сертификат № {info.serial} сейчас не действует: он действителен с "
                          f"{human_date(info.valid_from)} по {human_date(info.valid_to)}.")
    expected = entry.signer or settings.director.get("name", "")
    if not is_same_person(info, expected):
        raise DocgenError(f"Ключ выдан на «{info.owner}», а документ подписывает «{expected}»: "
                          "подписать его может только указанный в нём подписант.")
    with_time = signing_options(settings.raw, ws.root).mark_signing_time
    mark = MarkText(info.serial, info.owner, human_date(info.valid_from), human_date(info.valid_to),
                    human_time(now) if with_time else None)
    with tempfile.TemporaryDirectory(prefix="docgen-pades-") as tmp:
        stamped, signed = Path(tmp) / "marked.pdf", Path(tmp) / "signed.pdf"
        marked_copy(pdf, stamped, mark, info.surname)
        with open(stamped, "rb") as source, open(signed, "wb") as target:
            meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, md_algorithm="sha256",
                                                subfilter=fields.SigSeedSubFilter.PADES,
                                                reason="Документ подписан электронной подписью", name=info.owner)
            signers.sign_pdf(IncrementalPdfFileWriter(source), meta, signer=signer, output=target)
        published = publish_file(signed, ws.outbox, pdf.stem + MARKED_SUFFIX, ".pdf")
    records.record_signature(Register(ws.register), entry, records.SignatureRecord(
        entry_id=entry.id, method="electronic", signed_on=now.isoformat(timespec="seconds"), signed_by=info.owner,
        serial=info.serial, issuer=info.issuer, valid_from=info.valid_from.isoformat(),
        valid_to=info.valid_to.isoformat(), signature_file=published.name, marked_copy=published.name))
    return SignedPdf(published, info.serial, info.owner)


def validation_context(roots: list[x509.Certificate]) -> ValidationContext:
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def verify_pades(ws: Workspace, settings, pdf: Path) -> tuple[bool, list[str]]:
    """Validate every signature embedded in ``pdf``; (all valid, Russian lines)."""
    lines = [f"Документ: {pdf.name}"]
    with open(pdf, "rb") as handle:
        reader = PdfFileReader(handle, strict=False)
        embedded = reader.embedded_signatures
        if not embedded:
            return False, lines + ["Встроенной подписи в PDF нет, и файла открепленной подписи рядом нет "
                                   "(ИМЯ.pdf.sig, ИМЯ.sig, ИМЯ.p7s). Укажите его: docgen verify ФАЙЛ.pdf --sig ФАЙЛ.sig"]
        roots = load_roots(signing_options(settings.raw, ws.root).trusted_roots)
        ok = True
        for signature in embedded:
            status = validate_pdf_signature(signature, validation_context(roots))
            info = certificate_info(status.signing_cert)
            good = status.bottom_line
            ok = ok and good
            lines.append("Встроенная подпись (PAdES) " + ("ВЕРНА." if good else "НЕ ПРИНЯТА."))
            if not status.intact or not status.valid:
                lines.append("  Документ изменён после подписания: подпись не соответствует содержимому.")
            elif not status.trusted:
                lines.append(f"  Сертификат выдан удостоверяющим центром «{info.issuer}», которого нет среди "
                             "доверенных, или не действовал на момент подписания.")
            lines += [f"  Сертификат: {info.serial}", f"  Владелец: {info.owner}",
                      f"  Действителен: с {human_date(info.valid_from)} по {human_date(info.valid_to)}"]
            if status.signer_reported_dt:
                lines.append(f"  Время подписания: {human_time(status.signer_reported_dt)}")
    return ok, lines
