"""Checking one CMS signature against one PDF: the four checks, each refused in Russian.

1. the signature matches the document's bytes (``openssl cms -verify -noverify``,
   GOST R 34.10-2012 with GOST R 34.11-2012 through the engine, RSA, ECDSA);
2. the certificate was valid at the signing time (``signingTime``; the
   current time when the signature carries none; a time in the future is refused);
3. it chains to a trusted CA of ``[signing] trusted_roots`` at that time
   (``openssl cms -verify -CAfile … -attime``);
4. its owner is the document's signer.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from asn1crypto import x509

from ..errors import DocgenError
from . import openssl
from .certificate import CertificateInfo, certificate_info, is_same_person
from .cms import Signature
from .trust import bundle_text

CLOCK_SKEW = timedelta(minutes=10)
GOST_OID_PREFIX = "1.2.643."
UNKNOWN_ISSUER_ERRORS = ("unable to get local issuer", "self-signed certificate", "self signed certificate",
                         "unable to verify the first certificate", "unable to get issuer certificate")


class SignatureRefused(DocgenError):
    """The signature does not prove that this document was signed by its signer; nothing is recorded."""


@dataclass(frozen=True)
class Verified:
    certificate: CertificateInfo
    signing_time: datetime | None
    checked_at: datetime  # the time the certificate was checked at (signing time, or now)
    attached: bool


def human_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%d.%m.%Y %H:%M")


def human_date(moment: datetime) -> str:
    return moment.astimezone().strftime("%d.%m.%Y")


def verify_signature(pdf: bytes, signature: Signature, roots: list[x509.Certificate], signer: str | None,
                     now: datetime | None = None) -> Verified:
    """Check ``signature`` against ``pdf``; raise ``SignatureRefused`` saying which check failed and why."""
    now = now or datetime.now(timezone.utc)
    if signature.attached and signature.content != pdf:
        raise SignatureRefused("Подпись содержит другой документ: подписанный файл не совпадает с PDF из outbox. "
                               "Подпишите именно тот PDF, который выпустил docgen.")
    info = certificate_info(signature.signer)
    with tempfile.TemporaryDirectory(prefix="docgen-verify-") as tmp:
        folder = Path(tmp)
        check_matches(folder, pdf, signature)
        moment = check_time(info, signature.signing_time, now)
        check_chain(folder, pdf, signature, roots, moment)
    if signer is not None and not is_same_person(info, signer):
        raise SignatureRefused(f"Документ подписан не его подписантом: сертификат выдан на «{info.owner}», "
                               f"а документ подписывает «{signer}». Подпись должна быть сделана сертификатом "
                               "того, кто указан в документе.")
    return Verified(info, signature.signing_time, moment, signature.attached)


def _cms_verify(folder: Path, pdf: bytes, signature: Signature, extra: list[str]) -> openssl.Result:
    sig_path = folder / "signature.p7s"
    sig_path.write_bytes(signature.der)
    args = ["cms", "-verify", "-binary", "-inform", "DER", "-in", str(sig_path), "-out", str(folder / "content")]
    if not signature.attached:
        content = folder / "document.pdf"
        content.write_bytes(pdf)
        args += ["-content", str(content)]
    return openssl.run(args + extra)


def check_matches(folder: Path, pdf: bytes, signature: Signature) -> None:
    result = _cms_verify(folder, pdf, signature, ["-noverify"])
    if result.ok:
        return
    if signature.digest_oid.startswith(GOST_OID_PREFIX) and not openssl.gost_available():
        raise DocgenError("Подпись сделана по ГОСТ, а на сервере не установлен модуль ГОСТ для OpenSSL "
                          "(пакет libengine-gost-openssl). Обратитесь к администратору.")
    raise SignatureRefused("Подпись не соответствует документу: PDF изменён после подписания или подписан другой "
                           "файл. Подпишите заново тот PDF, который лежит в outbox, не открывая и не пересохраняя его.")


def check_time(info: CertificateInfo, signing_time: datetime | None, now: datetime) -> datetime:
    moment = signing_time or now
    if signing_time is not None and signing_time > now + CLOCK_SKEW:
        raise SignatureRefused(f"Время подписания в подписи ({human_time(signing_time)}) ещё не наступило: "
                               "проверьте часы на компьютере, где ставили подпись, и подпишите заново.")
    when = f"на момент подписания ({human_time(moment)})" if signing_time else f"сейчас ({human_time(moment)})"
    if moment < info.valid_from:
        raise SignatureRefused(f"Сертификат подписи № {info.serial} {when} ещё не действовал: он действует "
                               f"с {human_date(info.valid_from)} по {human_date(info.valid_to)}.")
    if moment > info.valid_to:
        raise SignatureRefused(f"Срок действия сертификата подписи № {info.serial} истёк {human_date(info.valid_to)}, "
                               f"а подпись проверялась {when}. Подпишите документ действующим сертификатом.")
    return moment


def check_chain(folder: Path, pdf: bytes, signature: Signature, roots: list[x509.Certificate],
                moment: datetime) -> None:
    bundle = folder / "roots.pem"
    bundle.write_bytes(bundle_text(roots))
    result = _cms_verify(folder, pdf, signature, ["-CAfile", str(bundle), "-partial_chain", "-purpose", "any",
                                                  "-attime", str(int(moment.timestamp()))])
    if result.ok:
        return
    info = certificate_info(signature.signer)
    reason = result.stderr.lower()
    if any(text in reason for text in UNKNOWN_ISSUER_ERRORS):
        raise SignatureRefused(f"Сертификат подписи выдан удостоверяющим центром «{info.issuer}», которого нет среди "
                               "доверенных. Если это ваш удостоверяющий центр, администратор добавляет его "
                               "сертификат в папку доверенных сертификатов (docgen.toml, [signing] trusted_roots).")
    if "expired" in reason or "not yet valid" in reason:
        raise SignatureRefused("Сертификат удостоверяющего центра, выдавшего сертификат подписи, не действовал "
                               "на момент подписания.")
    raise SignatureRefused(f"Цепочка сертификатов подписи не проверена (удостоверяющий центр «{info.issuer}»): "
                           "сертификат повреждён или не предназначен для подписи.")
