"""The register on PostgreSQL: chosen in docgen.toml, a school's own journal, the password never in the file,
schema versions on both backends, and ``docgen register migrate`` copying a journal exactly (and back)."""
from __future__ import annotations

from datetime import date

import psycopg
import pytest

from docgen.errors import RegisterError
from docgen.register import NumberRequest, Register
from docgen.register.transfer import copy_journal, journal_rows
from docgen.register.db import RegisterLocation, school_schema
from docgen.settings import Workspace
from docgen.testing import use_register


def request(index: int, day: date, series: str = "orders", given: str | None = None, type_id: str = "pair_order"):
    return NumberRequest(doc_index=index, type_id=type_id, doc_date=day, series=series, pattern="{n}-од",
                         year_start="01-01", heading="О закреплении", signer="Директор", executor="",
                         given_number=given)


def fmt(req, year, sequence):
    return req.pattern.format(n=sequence)


def test_docgen_toml_url_puts_the_journal_in_the_schools_schema(docgen_workspace, docgen_pg_url):
    use_register(docgen_workspace, docgen_pg_url, "school-5")
    register = Register(docgen_workspace.register)
    [entry] = register.issue("sha", "a.json", [request(0, date(2026, 9, 1))], fmt)
    assert register.journal.kind == "postgresql" and not docgen_workspace.register.exists()
    with psycopg.connect(docgen_pg_url) as conn:
        rows = conn.execute(f"SELECT number, status FROM {school_schema('school-5')}.entries").fetchall()
        schools = conn.execute("SELECT school FROM public.docgen_schools").fetchall()
    assert rows == [("1-од", "issued")] and schools == [("school-5",)]
    assert entry.number == "1-од" and register.integrity_ok()


def test_the_school_key_defaults_to_the_workspace_folder(docgen_workspace, docgen_pg_url):
    use_register(docgen_workspace, docgen_pg_url)
    assert Register(docgen_workspace.register).journal.school == docgen_workspace.root.name == "ws"


def test_two_schools_in_one_database_each_see_only_their_own_numbers(tmp_path, docgen_pg_url):
    first = Register(tmp_path / "a" / "register.sqlite", location=RegisterLocation(docgen_pg_url, "school-1"))
    second = Register(tmp_path / "b" / "register.sqlite", location=RegisterLocation(docgen_pg_url, "school-2"))
    first.issue("sha-1", "a.json", [request(0, date(2026, 9, 1)), request(1, date(2026, 9, 2))], fmt)
    [own] = second.issue("sha-2", "b.json", [request(0, date(2026, 9, 3))], fmt)
    assert own.number == "1-од"  # the second school's series starts at 1: the first school's numbers are not its
    assert [e.number for e in first.entries()] == ["1-од", "2-од"]
    assert [e.input_name for e in second.entries()] == ["b.json"]
    assert second.input_status("sha-1") is None and second.find_number("2-од") is None


def test_a_password_in_the_url_is_refused_in_russian(tmp_path):
    location = RegisterLocation("postgresql://docgen:secret@127.0.0.1:1/docgen", "school")
    with pytest.raises(RegisterError, match="указан пароль.*PGPASSWORD"):
        Register(tmp_path / "register.sqlite", location=location)
    assert not (tmp_path / "register.sqlite").exists()


def test_the_password_comes_from_password_file(tmp_path, docgen_pg_url):
    secret = tmp_path / "pgpass"
    secret.write_text("пароль-1\n", encoding="utf-8")
    url = docgen_pg_url
    register = Register(tmp_path / "register.sqlite", location=RegisterLocation(url, "pw", str(secret)))
    assert register.journal._password() == {"password": "пароль-1"}
    missing = RegisterLocation(url, "pw", str(tmp_path / "нет"))
    with pytest.raises(RegisterError, match="password_file.*не прочитан"):
        Register(tmp_path / "register.sqlite", location=missing)


def test_docgen_toml_declares_the_register_section(docgen_workspace):
    use_register(docgen_workspace, "postgresql://docgen@db/docgen", "school-5")
    assert docgen_workspace.load_settings().raw["register"]["school"] == "school-5"
    with open(docgen_workspace.config, "a", encoding="utf-8") as handle:
        handle.write('adress = "x"\n')
    with pytest.raises(Exception, match=r"\[register\]"):
        Workspace(docgen_workspace.root).load_settings()


def test_a_new_schema_version_migrates_both_backends_in_place(tmp_path, new_register, monkeypatch):
    import docgen.register.db as db

    register = new_register(tmp_path / "register.sqlite")
    register.issue("sha", "a.json", [request(0, date(2026, 9, 1))], fmt)
    assert register.journal.schema_version() == 1
    monkeypatch.setattr(db, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(db.SQLITE_MIGRATIONS, 2, "ALTER TABLE entries ADD COLUMN school_note TEXT;")
    monkeypatch.setitem(db.POSTGRES_MIGRATIONS, 2, "ALTER TABLE entries ADD COLUMN school_note TEXT;")
    again = new_register(tmp_path / "register.sqlite")
    assert again.journal.schema_version() == 2
    with again.journal.reading() as conn:
        assert conn.execute("SELECT school_note, number FROM entries").fetchall()[0][1] == "1-од"
    new_register(tmp_path / "register.sqlite")  # opening once more migrates nothing twice
    assert again.journal.schema_version() == 2


# --- docgen register migrate --to URL --------------------------------------------------------------------------

def full_journal(register: Register) -> None:
    """A journal with every kind of row: numbers auto and given, a correction, a void, a reservation, a start,
    reserved outbox names, a print pack, a signed mark and a recorded signature."""
    from docgen.signing.records import SignatureRecord, record_signature

    register.set_start("orders", 2026, 5)
    [a, b] = register.issue("sha-a", "a.json", [request(0, date(2026, 9, 1)), request(1, date(2026, 9, 1))], fmt)
    register.reserve_output("2026-09-01 Приказ № 5-од.docx", "sha-a", "docx", a.id)
    register.mark_published(a.id, ["2026-09-01 Приказ № 5-од.docx"])
    register.mark_published(b.id, [])
    register.issue("sha-b", "b.json", [request(0, date(2026, 9, 2), given="6-од")], fmt)  # a corrected version
    register.void_number("5-од", "ошибка в дате")
    register.reserve("orders", 2026, 20, 22, "выданы вручную на бумаге", date(2026, 9, 3), lambda n: f"{n}-од")
    [letter] = register.issue("sha-c", "c.json", [request(0, date(2026, 9, 4), series="letters")], fmt)
    register.reserve_output("Пакет.pdf", "sha-c", "pack")
    register.set_pack("sha-c", "Пакет.pdf", [[letter.id, 1]])
    register.mark_published(letter.id, ["Письмо.pdf"])
    register.mark_signed(letter.id, date(2026, 9, 5), "Директор")
    record_signature(register, register.entry(letter.id), SignatureRecord(letter.id, "electronic", "2026-09-05T10:00:00",
                                                                          "Директор", serial="01AB"))
    register.finish_input("sha-a", "done")


def test_migrate_copies_a_schools_journal_exactly_and_back(docgen_workspace, docgen_pg_url, tmp_path, capsys):
    from docgen.cli import main

    source = Register(docgen_workspace.register)
    full_journal(source)
    original = journal_rows(source)
    assert len(original["entries"]) == 6 and original["versions"] and original["signatures"]
    assert main(["-w", str(docgen_workspace.root), "register", "migrate", "--to", docgen_pg_url,
                 "--school", "school-5"]) == 0
    assert "перенесён в PostgreSQL (школа «school-5»): записей 6" in capsys.readouterr().out
    moved = Register(docgen_workspace.register, location=RegisterLocation(docgen_pg_url, "school-5"))
    assert journal_rows(moved) == original
    back = Register(tmp_path / "back" / "register.sqlite", location=RegisterLocation())
    copy_journal(moved, back)
    assert journal_rows(back) == original  # the round trip SQLite → PostgreSQL → SQLite changes nothing
    [next_one] = moved.issue("sha-d", "d.json", [request(0, date(2026, 9, 10))], fmt)
    assert next_one.id == max(e.id for e in source.entries()) + 1 and next_one.number == "7-од"
    assert main(["-w", str(docgen_workspace.root), "register", "migrate", "--to", docgen_pg_url,
                 "--school", "school-5"]) == 2  # never into a journal that has entries
    assert "уже есть записи" in capsys.readouterr().err
    assert journal_rows(moved)["entries"][:6] == original["entries"]


def test_the_web_office_journal_reads_and_searches_a_postgresql_register(docgen_workspace, docgen_pg_url):
    import httpx

    from docgen.web.users import UserStore
    from webtools import WebServer

    use_register(docgen_workspace, docgen_pg_url, "school-5")
    register = Register(docgen_workspace.register)
    for i, heading in enumerate(["О закреплении наставнических пар", "Об утверждении ДОРОЖНОЙ карты"]):
        [entry] = register.issue(f"sha-{i}", f"{i}.json", [NumberRequest(
            doc_index=0, type_id="pair_order", doc_date=date(2026, 9, 1 + i), series="orders", pattern="{n}-од",
            year_start="01-01", heading=heading, signer="Директор", executor="")], fmt)
        register.mark_published(entry.id, [])
    UserStore(docgen_workspace.state / "users.json").add("secretary", "secretary", "пароль-секретаря-1")
    server = WebServer(docgen_workspace, ["--no-watch"])
    try:
        client = httpx.Client(base_url=server.url)
        token = client.get("/login").text.split('name="csrf" content="', 1)[1].split('"', 1)[0]
        client.post("/login", data={"csrf": token, "login": "secretary", "password": "пароль-секретаря-1", "next": "/"})
        everything = client.get("/journal").text
        found = client.get("/journal", params={"q": "дорожной"}).text
    finally:
        server.stop()
    assert "О закреплении наставнических пар" in everything and "Об утверждении ДОРОЖНОЙ карты" in everything
    assert "Об утверждении ДОРОЖНОЙ карты" in found and "О закреплении наставнических пар" not in found
    assert not docgen_workspace.register.exists()
