"""What a signer's certificate says for people: serial number, owner, validity; and whose it is.

The owner is the person named in the subject: surname (SN) and given names
(G) as in the certificates of Russian accredited CAs, or the common name (CN)
when those are absent (in a legal entity head's certificate the CN is the
organisation, so SN+G come first). ИНН, СНИЛС, ОГРН and e-mail in the subject
are never read into anything docgen prints or stores.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import x509


@dataclass(frozen=True)
class CertificateInfo:
    serial: str  # upper-case hexadecimal, as CAs and signing tools show it
    owner: str
    surname: str
    given_names: str
    issuer: str
    valid_from: datetime
    valid_to: datetime

    def as_dict(self) -> dict:
        return {"serial": self.serial, "owner": self.owner, "issuer": self.issuer,
                "valid_from": self.valid_from.isoformat(), "valid_to": self.valid_to.isoformat()}


def serial_hex(serial: int) -> str:
    text = f"{serial:X}"
    return text if len(text) % 2 == 0 else "0" + text


def _attr(name: x509.Name, key: str) -> str:
    value = name.native.get(key, "")
    if isinstance(value, list):
        value = " ".join(value)
    return " ".join(str(value).split())


def certificate_info(cert: x509.Certificate) -> CertificateInfo:
    subject = cert.subject
    surname, given = _attr(subject, "surname"), _attr(subject, "given_name")
    common = _attr(subject, "common_name")
    owner = f"{surname} {given}".strip() if surname else common
    validity = cert["tbs_certificate"]["validity"]
    issuer = _attr(cert.issuer, "common_name") or _attr(cert.issuer, "organization_name")
    return CertificateInfo(
        serial=serial_hex(cert.serial_number), owner=owner, surname=surname or owner.split(" ")[0],
        given_names=given if surname else " ".join(owner.split(" ")[1:]), issuer=issuer,
        valid_from=validity["not_before"].native, valid_to=validity["not_after"].native,
    )


def name_tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[\s.]+", text.lower().replace("ё", "е")) if t]


def is_same_person(info: CertificateInfo, signer_text: str) -> bool:
    """Whether the document's signer («Директор Сафарова Зарина Алиевна», «З.А. Сафарова») is the owner.

    The surname must be among the signer's words, and every given name (name,
    patronymic) must be there in full or as its initial."""
    tokens = name_tokens(signer_text)
    surname = name_tokens(info.surname)
    given = name_tokens(info.given_names)
    if not surname or not tokens or surname[-1] not in tokens:
        return False
    rest = list(tokens)
    rest.remove(surname[-1])
    return all(g in rest or g[0] in rest for g in given)
