"""``docgen sign NUMBER --pkcs12`` (PAdES by pyHanko, RSA/ECDSA) and ``docgen verify`` in Russian."""
from __future__ import annotations

import shutil

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pypdf import PdfReader

from helpers import run_docgen
from docgen.register import Register
from docgen.signing.pades import validation_context
from docgen.signing.records import signatures_by_entry
from docgen.signing.trust import load_roots
from signing_pki import DIRECTOR_SUBJECT, STRANGER_SUBJECT, Pki, ossl
from test_signing import PDF_NAME, pki, published, ws  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.libreoffice


@pytest.fixture(params=["rsa", "ec"])
def keys(request, ws, tmp_path):
    pki = Pki(tmp_path / request.param, algorithm=request.param)
    shutil.rmtree(ws.root / "trusted_roots")
    pki.trust_folder(ws.root / "trusted_roots")
    for name, subject in (("director", DIRECTOR_SUBJECT), ("stranger", STRANGER_SUBJECT)):
        who = pki.issue(name, subject)
        ossl("pkcs12", "-export", "-inkey", str(who.key), "-in", str(who.cert), "-certfile", str(pki.root.cert),
             "-passout", "pass:секрет-123", "-out", str(tmp_path / f"{name}.p12"))
    return tmp_path


def test_docgen_sign_makes_a_pades_pdf_that_pyhanko_validates(ws, keys):
    result = run_docgen("sign", "1-од", "--pkcs12", str(keys / "director.p12"), stdin="секрет-123\n", workspace=ws)
    assert result.returncode == 0, result.stdout + result.stderr
    signed = ws.outbox / PDF_NAME.replace(".pdf", " (подписан ЭП).pdf")
    assert signed.name in result.stdout
    with open(signed, "rb") as handle:
        [embedded] = PdfFileReader(handle).embedded_signatures
        status = validate_pdf_signature(embedded, validation_context(load_roots(ws.root / "trusted_roots")))
        assert status.bottom_line and status.intact and status.trusted
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(signed)).pages)
    for element in ("Документ подписан электронной подписью", "Сертификат:", "Владелец: Сафарова Зарина Алиевна",
                    "Действителен: с ", "Подписан: "):
        assert element in text
    [[record]] = signatures_by_entry(Register(ws.register)).values()
    assert record.signature_file == signed.name and record.signed_by == "Сафарова Зарина Алиевна"
    verified = run_docgen("verify", str(signed), workspace=ws)
    assert verified.returncode == 0 and "Встроенная подпись (PAdES) ВЕРНА." in verified.stdout, verified.stdout


def test_a_wrong_password_or_a_strangers_key_signs_nothing(ws, keys):
    wrong = run_docgen("sign", "1-од", "--pkcs12", str(keys / "director.p12"), stdin="не тот\n", workspace=ws)
    stranger = run_docgen("sign", "1-од", "--pkcs12", str(keys / "stranger.p12"), stdin="секрет-123\n", workspace=ws)
    assert wrong.returncode != 0 and "PKCS#12" in wrong.stderr
    assert stranger.returncode != 0 and "Петров Пётр Петрович" in stranger.stderr
    assert not list(ws.outbox.glob("*подписан ЭП*")) and not signatures_by_entry(Register(ws.register))


def test_docgen_verify_reports_a_detached_signature_and_a_tampered_pdf(ws, pki, tmp_path):
    pdf = ws.outbox / PDF_NAME
    pki.sign(pdf, pki.director, tmp_path / "sig.p7s")
    good = run_docgen("verify", str(pdf), "--sig", str(tmp_path / "sig.p7s"), workspace=ws)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Подпись ВЕРНА" in good.stdout and "Владелец: Сафарова Зарина Алиевна" in good.stdout
    assert "№ 1-од" in good.stdout and "390000000712" not in good.stdout
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(pdf.read_bytes().replace(b"/Creator", b"/Kreator", 1))
    bad = run_docgen("verify", str(tampered), "--sig", str(tmp_path / "sig.p7s"), workspace=ws)
    assert bad.returncode == 1 and "НЕ ПРИНЯТА" in bad.stdout and "не соответствует документу" in bad.stdout
