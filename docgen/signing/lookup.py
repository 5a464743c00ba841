"""Which registered document a signature belongs to: by file name, else by the PDF's hash.

A director's tool names the signature after the file it signed
(«… .pdf.sig», «… .sig», «… .p7s»); a renamed signature is still matched by
its content: an attached signature's document, a PDF dropped beside it, or the
``messageDigest`` a detached signature carries, compared with the digest of
every published PDF (SHA-2 with hashlib, GOST R 34.11-2012 through OpenSSL).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..register import Entry, Register
from . import openssl
from .cms import Signature

SIGNATURE_SUFFIXES = (".sig", ".p7s", ".p7m", ".sgn")
HASHLIB_DIGESTS = {
    "1.3.14.3.2.26": "sha1", "2.16.840.1.101.3.4.2.1": "sha256", "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512", "2.16.840.1.101.3.4.2.4": "sha224",
}
OPENSSL_DIGESTS = {"1.2.643.7.1.1.2.2": "md_gost12_256", "1.2.643.7.1.1.2.3": "md_gost12_512"}


@dataclass(frozen=True)
class Located:
    entry: Entry
    pdf: Path


def signed_name(signature_file: Path) -> str:
    """«X.pdf.sig» → «X.pdf»; «X.sig» → «X.pdf»."""
    name = signature_file.name
    for suffix in SIGNATURE_SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name if name.lower().endswith(".pdf") else name + ".pdf"


def published_pdfs(register: Register, outbox: Path) -> list[Located]:
    found = []
    for entry in register.entries():
        for name in entry.outputs:
            if name.lower().endswith(".pdf") and (outbox / name).is_file():
                found.append(Located(entry, outbox / name))
    return found


def digest(data: bytes, oid: str) -> bytes | None:
    if oid in HASHLIB_DIGESTS:
        return hashlib.new(HASHLIB_DIGESTS[oid], data).digest()
    if oid in OPENSSL_DIGESTS:
        result = openssl.run(["dgst", f"-{OPENSSL_DIGESTS[oid]}", "-binary"], stdin=data)
        return result.stdout if result.ok else None
    return None


def locate(register: Register, outbox: Path, signature_file: Path, signature: Signature,
           companion: Path | None = None) -> Located | None:
    """The published document this signature is for, or None."""
    candidates = published_pdfs(register, outbox)
    wanted = signed_name(signature_file).lower()
    for candidate in reversed(candidates):  # a live entry wins over a voided one of the same name
        if candidate.pdf.name.lower() == wanted and candidate.entry.status != "void":
            return candidate
    for candidate in candidates:
        if candidate.pdf.name.lower() == wanted:
            return candidate
    if signature.content is not None:
        return _by_bytes(candidates, signature.content)
    if companion is not None and companion.is_file():
        return _by_bytes(candidates, companion.read_bytes())
    if signature.message_digest:
        for candidate in candidates:
            if digest(candidate.pdf.read_bytes(), signature.digest_oid) == signature.message_digest:
                return candidate
    return None


def _by_bytes(candidates: list[Located], data: bytes) -> Located | None:
    wanted = hashlib.sha256(data).digest()
    for candidate in candidates:
        if hashlib.sha256(candidate.pdf.read_bytes()).digest() == wanted:
            return candidate
    return None
