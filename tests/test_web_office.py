"""The web office's parts without a browser: accounts from the command line, failed/Исправлено,
form round trips, upload names, the signing adapter."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from helpers import run_docgen
from docgen.errors import DocgenError
from docgen.reports import FIXED_FOLDER, REPORT_SUFFIX
from docgen.testing import drop_input
from docgen.web.forms import build_form, document_from_form, lines_names
from docgen.web.signing import Signatures
from docgen.web.uploads import clean_name
from docgen.web.users import UserStore

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_users_command_add_list_passwd_remove(docgen_workspace):
    ws = docgen_workspace
    added = run_docgen("users", "add", "ivanova", "--role", "secretary", stdin="long-password-1\n", workspace=ws)
    assert added.returncode == 0, added.stderr
    assert "ivanova" in added.stdout and "секретарь" in added.stdout
    store = UserStore(ws.state / "users.json")
    assert store.authenticate("ivanova", "long-password-1").role == "secretary"
    assert oct((ws.state / "users.json").stat().st_mode & 0o777) == "0o600"
    assert "long-password-1" not in (ws.state / "users.json").read_text(encoding="utf-8")
    short = run_docgen("users", "add", "petrov", "--role", "director", stdin="short\n", workspace=ws)
    assert short.returncode != 0 and "слишком короткий" in short.stderr
    again = run_docgen("users", "add", "ivanova", "--role", "admin", stdin="long-password-2\n", workspace=ws)
    assert again.returncode != 0 and "уже есть" in again.stderr
    assert run_docgen("users", "passwd", "ivanova", stdin="long-password-3\n", workspace=ws).returncode == 0
    assert store.authenticate("ivanova", "long-password-1") is None
    assert store.authenticate("ivanova", "long-password-3") is not None
    listed = run_docgen("users", "list", workspace=ws)
    assert "ivanova" in listed.stdout
    assert run_docgen("users", "remove", "ivanova", workspace=ws).returncode == 0
    assert store.get("ivanova") is None
    bad_role = run_docgen("users", "add", "x", "--role", "root", stdin="long-password-1\n", workspace=ws)
    assert bad_role.returncode != 0


def test_a_fixed_input_moves_its_old_reports_to_ispravleno(docgen_workspace, docgen_docx_pipeline, example):
    ws = docgen_workspace
    name = "пары 7А.json"
    for _ in range(2):  # failed twice under the same name: «пары 7А.json» and «пары 7А (2).json»
        (ws.inbox / name).write_text('{"type": "pair_order", "date": "2023-08-31"}', encoding="utf-8")
        assert not docgen_docx_pipeline.process(ws.inbox / name).ok
    (ws.inbox / "другой.json").write_text("{", encoding="utf-8")
    docgen_docx_pipeline.process(ws.inbox / "другой.json")
    assert len(list(ws.failed.glob("*" + REPORT_SUFFIX))) == 3
    (ws.inbox / name).write_text(json.dumps(example("pair_order.json"), ensure_ascii=False), encoding="utf-8")
    assert docgen_docx_pipeline.process(ws.inbox / name).ok
    fixed = ws.failed / FIXED_FOLDER
    assert sorted(p.name for p in fixed.iterdir()) == sorted(
        ["пары 7А.json", f"пары 7А.json{REPORT_SUFFIX}", "пары 7А (2).json", f"пары 7А (2).json{REPORT_SUFFIX}"])
    left = sorted(p.name for p in ws.failed.iterdir() if p.is_file())
    assert left == ["другой.json", f"другой.json{REPORT_SUFFIX}"]


def test_form_round_trip_makes_the_document_a_file_would_be(docgen_hooks):
    doc_type = docgen_hooks.registry().get("pair_order")
    fields = build_form(doc_type, docgen_hooks.closed_lists())
    names = {f.name for f in fields}
    assert "pairs" in names and "type" not in names and "organization" not in names
    pairs = next(f for f in fields if f.name == "pairs")
    assert pairs.kind == "repeat" and pairs.min_items == 1
    row_names = {c.name for c in pairs.children}
    assert "pairs.__N0__.mentees" in row_names and "pairs.__N0__.mentee" not in row_names
    form = next(c for c in pairs.children if c.name == "pairs.__N0__.form")
    assert "Учитель – учитель" in form.choices
    items = [("csrf", "x"), ("date", "2024-09-02"), ("mentor_duties", "одно\n\nдругое\n"),
             ("pairs.0.mentor.name", "Иванова Мария Петровна"), ("pairs.0.mentees.0.name", "Петров Сергей Олегович"),
             ("pairs.0.mentees.3.name", "Кузнецова Алёна Игоревна"), ("pairs.0.mentees.3.gender", "ж"),
             ("pairs.0.mentees.1.name", "  "), ("pairs.__N0__.mentor.name", "шаблон"), ("signer.name", "")]
    document = document_from_form("pair_order", items, lines_names(fields))
    assert document == {"type": "pair_order", "date": "2024-09-02", "mentor_duties": ["одно", "другое"],
                        "pairs": [{"mentor": {"name": "Иванова Мария Петровна"},
                                   "mentees": [{"name": "Петров Сергей Олегович"},
                                               {"name": "Кузнецова Алёна Игоревна", "gender": "ж"}]}]}


@pytest.mark.parametrize("name", ["../../etc/passwd.json", "..\\..\\x.json", "a/b/пары.json"])
def test_upload_names_lose_their_folders(name):
    cleaned = clean_name(name)
    assert "/" not in cleaned and "\\" not in cleaned and not cleaned.startswith(".")


@pytest.mark.parametrize("name", ["script.sh", "~$пары.xlsx", ".hidden.json", "", "пары.json.tmp"])
def test_upload_names_docgen_would_not_read_are_refused(name):
    with pytest.raises(DocgenError):
        clean_name(name)


def test_signing_adapter_keeps_the_mark_and_refuses_bad_dates(docgen_workspace, docgen_docx_pipeline, example):
    from docgen.register import Register

    outcome = docgen_docx_pipeline.process(drop_input(docgen_workspace, "pairs.json", example("pair_order.json")))
    assert outcome.ok
    register = Register(docgen_workspace.register)
    entry = register.entries()[0]
    signatures = Signatures(register, docgen_workspace.state)
    with pytest.raises(DocgenError, match="раньше даты документа"):
        signatures.mark_signed(entry, date(2020, 1, 1), "dir")
    with pytest.raises(DocgenError, match="позже сегодняшней"):
        signatures.mark_signed(entry, date(2999, 1, 1), "dir")
    signatures.mark_signed(entry, date(2023, 9, 1), "dir")
    mark = Signatures(register, docgen_workspace.state).signature_of(register.entry(entry.id))
    assert mark.signed_on == "2023-09-01" and mark.signed_by == "dir"
