"""Detached CMS signatures dropped into signed/: checked with OpenSSL + GOST, recorded, shown with the mark."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen.pipeline import Pipeline
from docgen.register import Register
from docgen.settings import Workspace
from docgen.signing import openssl
from docgen.signing.records import signatures_by_entry
from docgen.signing.signed_folder import process_signed_folder
from docgen.workspace_init import init_workspace
from signing_pki import DIRECTOR_SUBJECT, STRANGER_SUBJECT, Pki, ossl

from helpers import drop, load_example, run_docgen

pytestmark = pytest.mark.libreoffice

PDF_NAME = "2023-08-31 Приказ № 1-од О закреплении наставнических пар (групп).pdf"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    assert openssl.gost_available(), "the GOST engine (libengine-gost-openssl) must be installed"
    pki = Pki(tmp_path_factory.mktemp("pki"))
    pki.director = pki.issue("director", DIRECTOR_SUBJECT)
    pki.expired = pki.issue("expired", DIRECTOR_SUBJECT, start="20200101000000Z", end="20210101000000Z")
    pki.stranger = pki.issue("stranger", STRANGER_SUBJECT)
    pki.foreign = pki.issue("foreign", DIRECTOR_SUBJECT, ca=pki.rogue)
    return pki


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A workspace with one published order (its PDF made by LibreOffice once for the module)."""
    root = tmp_path_factory.mktemp("published") / "ws"
    init_workspace(root, demo=True)
    ws = Workspace(root)
    pipeline = Pipeline(ws)
    try:
        outcome = pipeline.process(drop(ws, "pair_order.json", load_example("pair_order.json")))
    finally:
        pipeline.close()
    assert outcome.ok, outcome.message
    return root


@pytest.fixture
def ws(published, pki, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(published, root)
    pki.trust_folder(root / "trusted_roots")
    config = root / "docgen.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[signing]\ntrusted_roots = "trusted_roots"\n',
                      encoding="utf-8")
    (root / "signed").mkdir(exist_ok=True)
    return Workspace(root)


def register_state(ws: Workspace):
    with sqlite3.connect(ws.register) as conn:
        entries = conn.execute("SELECT * FROM entries ORDER BY id").fetchall()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        signatures = conn.execute("SELECT * FROM signatures").fetchall() if "signatures" in tables else []
    return entries, signatures


def run(ws: Workspace):
    return process_signed_folder(ws, ws.load_settings())


def assert_refused(ws: Workspace, sig_name: str, *phrases: str):
    before = register_state(ws)
    outbox_before = sorted(p.name for p in ws.outbox.iterdir())
    [outcome] = run(ws)
    assert not outcome.ok
    for phrase in phrases:
        assert phrase in outcome.message
    assert register_state(ws) == before
    assert sorted(p.name for p in ws.outbox.iterdir()) == outbox_before
    report = ws.root / "signed" / "failed" / f"{sig_name} — ОШИБКИ.txt"
    text = report.read_text(encoding="utf-8-sig")
    assert "Подпись НЕ принята" in text and "ничего не записано" in text
    assert "390000000712" not in text and "12345678901" not in text
    return text


def test_valid_detached_gost_signature_is_recorded_and_a_marked_copy_published(ws, pki):
    pdf = ws.outbox / PDF_NAME
    original = pdf.read_bytes()
    pki.sign(pdf, pki.director, ws.root / "signed" / (PDF_NAME + ".sig"))
    [outcome] = run(ws)
    assert outcome.ok, outcome.message
    assert pdf.read_bytes() == original  # the signed original stays as it was
    marked = ws.outbox / PDF_NAME.replace(".pdf", " (подписан ЭП).pdf")
    assert outcome.marked == marked and marked.is_file()
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(marked)).pages)
    serial = ossl("x509", "-in", str(pki.director.cert), "-noout", "-serial").decode().split("=")[1].strip()
    for element in ("Документ подписан электронной подписью", f"Сертификат: {serial}",
                    "Владелец: Сафарова Зарина Алиевна", "Действителен: с "):
        assert element in text
    assert "390000000712" not in text and "12345678901" not in text
    [[record]] = signatures_by_entry(Register(ws.register)).values()
    assert (record.method, record.serial, record.signed_by) == ("electronic", serial, "Сафарова Зарина Алиевна")
    assert record.signature_file == PDF_NAME + ".sig" and (ws.outbox / record.signature_file).is_file()
    assert record.marked_copy == marked.name
    assert (ws.root / "signed" / "processed" / (PDF_NAME + ".sig")).is_file()
    assert not list((ws.root / "signed").glob("*.sig"))


def test_the_mark_sits_on_the_signature_page_and_covers_no_text(ws, pki):
    pki.sign(ws.outbox / PDF_NAME, pki.director, ws.root / "signed" / (PDF_NAME + ".sig"))
    [outcome] = run(ws)
    reader = PdfReader(str(outcome.marked))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    [signature_page] = [i for i, t in enumerate(pages) if "подписан электронной подписью" in t]
    assert "Сафарова" in pages[signature_page] and "Директор" in pages[signature_page]
    original = [" ".join(p.extract_text().split()) for p in PdfReader(str(ws.outbox / PDF_NAME)).pages]
    for before, after in zip(original, pages):  # every word of the document is still there
        assert all(word in after for word in before.split())


def test_a_second_drop_of_the_same_signature_changes_nothing(ws, pki):
    sig = pki.sign(ws.outbox / PDF_NAME, pki.director, ws.root / "signed" / (PDF_NAME + ".sig"))
    assert run(ws)[0].ok
    state = register_state(ws)
    shutil.copy(ws.root / "signed" / "processed" / sig.name, sig)
    [again] = run(ws)
    assert again.ok and "уже была учтена" in again.message
    assert register_state(ws) == state
    assert len(list(ws.outbox.glob("*(подписан ЭП)*.pdf"))) == 1


def test_a_renamed_signature_finds_its_document_by_hash(ws, pki):
    pki.sign(ws.outbox / PDF_NAME, pki.director, ws.root / "signed" / "подпись директора.p7s")
    [outcome] = run(ws)
    assert outcome.ok, outcome.message
    assert outcome.number == "1-од"


def test_an_attached_pem_signature_is_accepted(ws, pki):
    pki.sign(ws.outbox / PDF_NAME, pki.director, ws.root / "signed" / "приказ.sig", attached=True, pem=True)
    [outcome] = run(ws)
    assert outcome.ok, outcome.message


def test_a_signature_of_a_changed_pdf_is_refused(ws, pki, tmp_path):
    changed = tmp_path / "changed.pdf"
    changed.write_bytes((ws.outbox / PDF_NAME).read_bytes() + b"\n% edited\n")
    pki.sign(changed, pki.director, ws.root / "signed" / (PDF_NAME + ".sig"))
    assert_refused(ws, PDF_NAME + ".sig", "не соответствует документу")


def test_an_expired_certificate_is_refused(ws, pki):
    pki.sign(ws.outbox / PDF_NAME, pki.expired, ws.root / "signed" / (PDF_NAME + ".sig"))
    assert_refused(ws, PDF_NAME + ".sig", "Срок действия сертификата", "истёк 01.01.2021")


def test_a_certificate_from_an_unknown_ca_is_refused(ws, pki):
    pki.sign(ws.outbox / PDF_NAME, pki.foreign, ws.root / "signed" / (PDF_NAME + ".sig"))
    assert_refused(ws, PDF_NAME + ".sig", "Чужой удостоверяющий центр", "нет среди доверенных")


def test_a_stranger_signing_the_directors_document_is_refused(ws, pki):
    pki.sign(ws.outbox / PDF_NAME, pki.stranger, ws.root / "signed" / (PDF_NAME + ".sig"))
    text = assert_refused(ws, PDF_NAME + ".sig", "не его подписантом", "Петров Пётр Петрович")
    assert "Сафарова Зарина Алиевна" in text


def test_a_file_that_is_no_signature_is_refused(ws):
    (ws.root / "signed" / (PDF_NAME + ".sig")).write_bytes(b"not a signature at all")
    assert_refused(ws, PDF_NAME + ".sig", "не является электронной подписью")


def test_a_signature_for_no_published_document_is_refused(ws, pki, tmp_path):
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.4\n% some other file\n")
    pki.sign(other, pki.director, ws.root / "signed" / "письмо.pdf.sig")
    assert_refused(ws, "письмо.pdf.sig", "Не найден документ")


def test_without_trusted_roots_configured_nothing_is_accepted(ws, pki):
    config = ws.root / "docgen.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('trusted_roots = "trusted_roots"\n', ""),
                      encoding="utf-8")
    pki.sign(ws.outbox / PDF_NAME, pki.director, ws.root / "signed" / (PDF_NAME + ".sig"))
    assert_refused(ws, PDF_NAME + ".sig", "trusted_roots")


def test_a_certificate_not_yet_valid_at_signing_is_refused(ws, pki):
    future = pki.issue("future", DIRECTOR_SUBJECT, start="20300101000000Z", end="20310101000000Z")
    pki.sign(ws.outbox / PDF_NAME, future, ws.root / "signed" / (PDF_NAME + ".sig"))
    assert_refused(ws, PDF_NAME + ".sig", "ещё не действовал", "с 01.01.2030 по 01.01.2031")


@pytest.mark.parametrize("algorithm", ["gost512", "rsa", "ec"])
def test_gost_512_rsa_and_ecdsa_signatures_are_checked_too(ws, algorithm, tmp_path):
    pki = Pki(tmp_path / algorithm, algorithm=algorithm)
    director = pki.issue("director", DIRECTOR_SUBJECT)
    shutil.rmtree(ws.root / "trusted_roots")
    pki.trust_folder(ws.root / "trusted_roots")
    pki.sign(ws.outbox / PDF_NAME, director, ws.root / "signed" / (PDF_NAME + ".p7s"))
    [outcome] = run(ws)
    assert outcome.ok, outcome.message


def test_register_list_and_export_show_the_electronic_signature_with_its_certificate(ws, pki, tmp_path):
    import subprocess
    import sys

    from openpyxl import load_workbook

    pki.sign(ws.outbox / PDF_NAME, pki.director, ws.root / "signed" / (PDF_NAME + ".sig"))
    command = [sys.executable, "-m", "docgen", "--workspace", str(ws.root)]
    processed = subprocess.run(command + ["signed"], capture_output=True, text=True, timeout=120)
    assert processed.returncode == 0 and "Подпись принята" in processed.stdout, processed.stdout + processed.stderr
    serial = ossl("x509", "-in", str(pki.director.cert), "-noout", "-serial").decode().split("=")[1].strip()
    listed = subprocess.run(command + ["register", "list"], capture_output=True, text=True, timeout=120).stdout
    assert "подписан ЭП" in listed and serial in listed
    target = tmp_path / "journal.xlsx"
    subprocess.run(command + ["register", "export", "-o", str(target)], check=True, capture_output=True, timeout=120)
    sheet = load_workbook(target).worksheets[0]
    [row] = [r for r in sheet.iter_rows(values_only=True) if r[1] == "1-од"]
    assert f"сертификат {serial}" in row[6] and "владелец Сафарова Зарина Алиевна" in row[6]
    assert "действителен с " in row[6] and "390000000712" not in row[6]


def test_docgen_watch_picks_up_a_signature_dropped_into_signed(ws, pki, tmp_path):
    import subprocess
    import sys
    import time

    watcher = subprocess.Popen([sys.executable, "-m", "docgen", "--workspace", str(ws.root), "watch", "--seconds", "60"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        time.sleep(1.0)
        made = pki.sign(ws.outbox / PDF_NAME, pki.director, tmp_path / (PDF_NAME + ".sig"))
        shutil.move(str(made), ws.root / "signed" / made.name)
        deadline = time.monotonic() + 45
        done = ws.root / "signed" / "processed" / made.name
        while time.monotonic() < deadline and not done.exists():
            time.sleep(0.3)
        assert done.exists(), "the watcher did not process signed/"
    finally:
        watcher.terminate()
        output = watcher.communicate(timeout=60)[0]
    assert "Подпись принята" in output
    assert len(signatures_by_entry(Register(ws.register))) == 1


def test_a_failure_while_drawing_the_mark_publishes_and_records_nothing(ws, pki, monkeypatch):
    from docgen.signing import signed_folder

    def broken(*args, **kwargs):
        raise ValueError("broken page")

    monkeypatch.setattr(signed_folder, "marked_copy", broken)
    pki.sign(ws.outbox / PDF_NAME, pki.director, ws.root / "signed" / (PDF_NAME + ".sig"))
    assert_refused(ws, PDF_NAME + ".sig", "внутренней ошибки", "docgen.log")


def test_a_bare_base64_signature_without_pem_lines_is_read(ws, pki, tmp_path):
    import base64

    der = pki.sign(ws.outbox / PDF_NAME, pki.director, tmp_path / "sig.der").read_bytes()
    text = base64.encodebytes(der)  # 76-character lines, as «Base64» in a signing tool
    (ws.root / "signed" / (PDF_NAME + ".p7s")).write_bytes(text)
    [outcome] = run(ws)
    assert outcome.ok, outcome.message


def test_docgen_verify_given_the_signature_file_finds_the_pdf_beside_it(ws, pki):

    sig = pki.sign(ws.outbox / PDF_NAME, pki.director, ws.outbox / (PDF_NAME + ".sig"))
    result = run_docgen("verify", sig, workspace=ws, timeout=120)
    assert result.returncode == 0 and "Подпись ВЕРНА" in result.stdout, result.stdout + result.stderr
    assert not signatures_by_entry(Register(ws.register))  # verify only reports


def test_signature_and_marked_copies_are_known_to_the_journal_and_pass_the_durable_gate(ws, pki, tmp_path):
    """Issue 22: the copies a signature publishes have their names reserved in the register, so a later
    start's recovery keeps them in outbox/; every durable step of accepting a signature passes the gate."""
    from gatekeeper import install
    from invariants import assert_nothing_lost

    pki.sign(ws.outbox / PDF_NAME, pki.director, ws.root / "signed" / (PDF_NAME + ".sig"))
    violations = tmp_path / "violations.txt"
    violations.touch()
    uninstall = install(ws.root, violations)
    try:
        [outcome] = run(ws)
        pipeline = Pipeline(ws)
        try:
            pipeline.recover()
        finally:
            pipeline.close()
    finally:
        uninstall()
    assert outcome.ok, outcome.message
    assert violations.read_text(encoding="utf-8") == ""
    assert (ws.outbox / PDF_NAME.replace(".pdf", " (подписан ЭП).pdf")).is_file()
    assert (ws.outbox / (PDF_NAME + ".sig")).is_file()
    assert not (ws.outbox / "Вне журнала").exists()
    assert_nothing_lost(ws, ["pair_order.json"])


@pytest.mark.parametrize("point", ["publish.signature.link#1", "publish.marked.link#1", "publish.marked.fsync_dir#1"])
def test_killed_after_a_signature_copy_got_its_name_the_restart_adopts_it_and_makes_no_second(ws, pki, point):
    import os
    import signal
    import subprocess
    import sys

    from invariants import assert_nothing_lost

    pki.sign(ws.outbox / PDF_NAME, pki.director, ws.root / "signed" / (PDF_NAME + ".sig"))
    command = [sys.executable, "-m", "docgen", "-w", str(ws.root), "signed"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_FAULT")}
    root = Path(__file__).resolve().parent.parent
    killed = subprocess.run(command, cwd=root, env={**env, "DOCGEN_FAULT_AT": point}, capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-1500:]
    again = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stdout + again.stderr
    outbox = sorted(p.name for p in ws.outbox.iterdir() if p.is_file())
    assert not [n for n in outbox if "(2)" in n], outbox
    assert PDF_NAME + ".sig" in outbox and PDF_NAME.replace(".pdf", " (подписан ЭП).pdf") in outbox
    [[record]] = signatures_by_entry(Register(ws.register)).values()
    assert record.signature_file == PDF_NAME + ".sig"
    assert_nothing_lost(ws, ["pair_order.json"])
