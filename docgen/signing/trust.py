"""The trusted CA certificates: a folder named in ``docgen.toml`` (``[signing] trusted_roots``).

The Минцифры root, a region's CA, a test CA: configuration, never code. The
folder may hold PEM or DER files (.pem, .crt, .cer, .der); every certificate
in it is written into one PEM bundle for ``openssl cms -verify -CAfile``.
"""
from __future__ import annotations

import base64
from pathlib import Path

from asn1crypto import pem, x509

from ..errors import DocgenError

CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}


def load_roots(folder: Path | None) -> list[x509.Certificate]:
    if folder is None:
        raise DocgenError("Не настроены доверенные корневые сертификаты: укажите в docgen.toml папку с ними "
                          "([signing] trusted_roots = \"…\").")
    if not folder.is_dir():
        raise DocgenError(f"Папка доверенных сертификатов «{folder}» не найдена (docgen.toml, [signing] trusted_roots).")
    roots = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in CERT_SUFFIXES and path.is_file():
            roots.extend(_certificates(path.read_bytes()))
    if not roots:
        raise DocgenError(f"В папке доверенных сертификатов «{folder}» нет ни одного сертификата (.cer, .crt, .pem).")
    return roots


def _certificates(data: bytes) -> list[x509.Certificate]:
    found = []
    try:
        if pem.detect(data):
            for kind, _, der in pem.unarmor(data, multiple=True):
                if kind == "CERTIFICATE":
                    found.append(x509.Certificate.load(der))
        else:
            try:
                cert = x509.Certificate.load(data)
            except ValueError:
                cert = x509.Certificate.load(base64.b64decode(b"".join(data.split())))
            cert.subject.native, cert["tbs_certificate"]["validity"].native  # a broken file is skipped here
            found.append(cert)
    except Exception:
        return []
    return found


def bundle_text(roots: list[x509.Certificate]) -> bytes:
    return b"".join(pem.armor("CERTIFICATE", cert.dump()) for cert in roots)
