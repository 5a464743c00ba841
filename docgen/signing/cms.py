"""Reading a CMS (PKCS#7) signature file: DER, PEM or bare Base64, attached or detached.

What docgen needs from it: the signer's certificate, the other certificates
it carries, the signing time (the ``signingTime`` signed attribute), the
digest algorithm and ``messageDigest`` (to find the document by its hash),
and the signed content itself when the signature is attached.
"""
from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import cms, x509

from ..errors import DocgenError

PEM_BLOCK = re.compile(rb"-----BEGIN [A-Z0-9 #]+-----(.*?)-----END [A-Z0-9 #]+-----", re.S)
BASE64_TEXT = re.compile(rb"^[A-Za-z0-9+/=\s]+$")
MAX_SIGNATURE_BYTES = 50 * 1024 * 1024  # an attached signature carries the PDF


class NotASignature(DocgenError):
    """The file is not a CMS signature docgen can read."""


@dataclass(frozen=True)
class Signature:
    der: bytes
    signer: x509.Certificate
    certificates: list[x509.Certificate]
    signing_time: datetime | None
    digest_oid: str
    message_digest: bytes | None
    content: bytes | None  # the signed document when the signature is attached

    @property
    def attached(self) -> bool:
        return self.content is not None


def to_der(data: bytes) -> bytes:
    """DER bytes of a signature saved as DER, PEM («-----BEGIN PKCS7-----», «CMS», «SIGNED MESSAGE») or Base64."""
    block = PEM_BLOCK.search(data)
    if block:
        text = b"\n".join(line for line in block.group(1).splitlines() if b":" not in line)  # drop PEM headers
        return _base64(text)
    stripped = data.strip()
    if stripped[:1] != b"\x30" and stripped and BASE64_TEXT.match(stripped):
        try:
            return _base64(stripped)
        except NotASignature:
            return data  # not Base64 after all: the DER parser says what it is not
    return data


def _base64(text: bytes) -> bytes:
    try:
        return base64.b64decode(b"".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise NotASignature("Файл подписи повреждён: текст Base64 не читается.") from None


def load_signature(data: bytes) -> Signature:
    """Parse a signature file's bytes; ``NotASignature`` (Russian) if it is not a CMS SignedData."""
    if len(data) > MAX_SIGNATURE_BYTES:
        raise NotASignature("Файл подписи слишком большой (больше 50 МБ).")
    der = to_der(data)
    try:
        info = cms.ContentInfo.load(der, strict=False)
        if info["content_type"].native != "signed_data":
            raise ValueError("not signed data")
        signed = info["content"]
        signer_info = signed["signer_infos"][0]
        certificates = [c.chosen for c in signed["certificates"] if c.name == "certificate"]
        signer = _signer_certificate(signer_info, certificates)
        attrs = {a["type"].dotted: a["values"][0] for a in (signer_info["signed_attrs"] or [])}
        content = signed["encap_content_info"]["content"]
        return Signature(
            der=der,
            signer=signer,
            certificates=certificates,
            signing_time=_time(attrs.get("1.2.840.113549.1.9.5")),
            digest_oid=signer_info["digest_algorithm"]["algorithm"].dotted,
            message_digest=attrs["1.2.840.113549.1.9.4"].native if "1.2.840.113549.1.9.4" in attrs else None,
            content=content.native if content.native is not None else None,
        )
    except NotASignature:
        raise
    except Exception:  # asn1crypto raises many kinds for foreign bytes
        raise NotASignature(
            "Файл не является электронной подписью в формате CMS/PKCS#7 (ожидается .sig или .p7s, "
            "сохранённый программой подписи в кодировке DER или Base64)."
        ) from None


def _signer_certificate(signer_info, certificates: list[x509.Certificate]) -> x509.Certificate:
    sid = signer_info["sid"]
    for cert in certificates:
        if sid.name == "issuer_and_serial_number":
            if (cert.serial_number == sid.chosen["serial_number"].native
                    and cert.issuer == sid.chosen["issuer"]):
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    raise NotASignature("В подписи нет сертификата подписавшего. Сохраните подпись вместе с сертификатом "
                        "(в программе подписи: «включить сертификат подписавшего»).")


def _time(value) -> datetime | None:
    if value is None:
        return None
    native = value.native
    return native if isinstance(native, datetime) else None
