"""A test PKI made with OpenSSL and the GOST engine: a root CA, the director's certificate, an expired
one, a stranger's, and a CA nobody trusts; detached CMS signatures made the way a director's tool makes them."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docgen.signing import openssl

DIRECTOR_SUBJECT = "/CN=Сафарова Зарина Алиевна/SN=Сафарова/GN=Зарина Алиевна/title=Директор/INN=390000000712/SNILS=12345678901"
STRANGER_SUBJECT = "/CN=Петров Пётр Петрович/SN=Петров/GN=Пётр Петрович/INN=390000000999"
CA_CONFIG = """[ca]
default_ca = test_ca
[test_ca]
dir = {dir}
database = $dir/index.txt
new_certs_dir = $dir
serial = $dir/serial
default_md = {md}
policy = anything
copy_extensions = copy
unique_subject = no
email_in_dn = no
x509_extensions = leaf
[anything]
commonName = supplied
surname = optional
givenName = optional
title = optional
[leaf]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
"""


def ossl(*args: str, stdin: bytes | None = None) -> bytes:
    result = openssl.run(list(args), stdin=stdin)
    assert result.ok, f"openssl {' '.join(args)}: {result.stderr}"
    return result.stdout


@dataclass
class Identity:
    cert: Path
    key: Path


class Pki:
    """Keys are gost2012_256 (paramset A) with GOST R 34.11-2012 digests unless ``algorithm`` says rsa/ec."""

    def __init__(self, folder: Path, algorithm: str = "gost"):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.algorithm = algorithm
        self.md = {"gost": "md_gost12_256", "gost512": "md_gost12_512", "rsa": "sha256", "ec": "sha256"}[algorithm]
        self.root = self.make_ca("root", "/CN=Тестовый удостоверяющий центр/O=Испытания")
        self.rogue = self.make_ca("rogue", "/CN=Чужой удостоверяющий центр/O=Неизвестно")

    def key(self, name: str) -> Path:
        path = self.folder / f"{name}.key"
        options = {"gost": ["-algorithm", "gost2012_256", "-pkeyopt", "paramset:A"],
                   "gost512": ["-algorithm", "gost2012_512", "-pkeyopt", "paramset:A"],
                   "rsa": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
                   "ec": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]}[self.algorithm]
        ossl("genpkey", *options, "-out", str(path))
        return path

    def make_ca(self, name: str, subject: str) -> Identity:
        key = self.key(name)
        cert = self.folder / f"{name}.pem"
        ossl("req", "-x509", "-new", "-utf8", "-key", str(key), f"-{self.md}", "-days", "3650", "-subj", subject,
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
             "-out", str(cert))
        ca_dir = self.folder / f"{name}-db"
        ca_dir.mkdir()
        (ca_dir / "index.txt").write_text("")
        (ca_dir / "serial").write_text("1A2B3C4D5E6F7081\n")
        (ca_dir / "ca.cnf").write_text(CA_CONFIG.format(dir=ca_dir, md=self.md), encoding="utf-8")
        return Identity(cert, key)

    def issue(self, name: str, subject: str, start: str = "", end: str = "", ca: Identity | None = None) -> Identity:
        """A leaf certificate; ``start``/``end`` as YYYYMMDDHHMMSSZ (default: from now for a year)."""
        ca = ca or self.root
        key = self.key(name)
        csr = self.folder / f"{name}.csr"
        ossl("req", "-new", "-utf8", "-key", str(key), f"-{self.md}", "-subj", subject, "-out", str(csr))
        cert = self.folder / f"{name}.pem"
        conf = ca.cert.with_name(ca.cert.stem + "-db") / "ca.cnf"
        dates = (["-startdate", start] if start else []) + (["-enddate", end] if end else ["-days", "365"])
        ossl("ca", "-batch", "-utf8", "-config", str(conf), "-cert", str(ca.cert), "-keyfile", str(ca.key),
             "-in", str(csr), "-out", str(cert), "-notext", *dates)
        return Identity(cert, key)

    def sign(self, pdf: Path, who: Identity, target: Path, attached: bool = False, pem: bool = False) -> Path:
        """``openssl cms -sign -binary -outform DER`` (detached unless ``attached``), as КриптоАРМ saves it."""
        args = ["cms", "-sign", "-binary", "-in", str(pdf), "-signer", str(who.cert), "-inkey", str(who.key),
                "-md", self.md,
                "-outform", "PEM" if pem else "DER", "-out", str(target)]
        ossl(*args, *([] if attached else []), *(["-nodetach"] if attached else []))
        return target

    def trust_folder(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "root.cer").write_bytes(ossl("x509", "-in", str(self.root.cert), "-outform", "DER"))
        return folder
