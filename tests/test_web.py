"""The web office in a real browser (Debian's chromium driven by Playwright), against ``docgen web``.

The server runs as a child process on a free 127.0.0.1 port over a fresh
workspace whose PDFs are switched off (DOCX only, for speed); the PDF path
has its own test in a workspace with LibreOffice. Screenshots of each page
go to ``$DOCGEN_SCREENSHOTS`` when set (docs/web.md uses them).
"""
from __future__ import annotations

import json
import os
import re
import time
from datetime import date
from pathlib import Path

import pytest

from openpyxl import load_workbook
from playwright.sync_api import expect, sync_playwright

from docgen.register import Register
from docgen.testing import docx_text
from tests.webtools import PASSWORDS, WebServer, fill_register, launch_chromium, login, make_workspace

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHOTS = os.environ.get("DOCGEN_SCREENSHOTS")

pytestmark = pytest.mark.chromium


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    return make_workspace(tmp_path_factory.mktemp("web") / "school")


@pytest.fixture(scope="module")
def server(ws):
    server = WebServer(ws)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def as_user(browser, server):
    """``as_user("sec")``: a fresh browser context (own cookies) signed in as that user; returns the page."""
    contexts = []

    def open_as(user: str | None):
        context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        if user:
            login(page, server.url, user)
        return page

    yield open_as
    for context in contexts:
        context.close()


def upload(page, server, path: Path):
    page.goto(server.url + "/upload")
    page.locator("#files").set_input_files(str(path))
    return page.locator("#results .card").last


def test_healthz_and_nothing_without_a_session(server, as_user, ws):
    page = as_user(None)
    response = page.request.get(server.url + "/healthz")
    assert response.status == 200 and response.text() == "ok"
    fill_register(ws, 1, start=__import__("datetime").date(2020, 5, 5))
    for path in ("/", "/journal", "/upload", "/sign", "/users", "/entry/1", "/entry/1/file/docx",
                 "/journal/export", "/failed/file?name=x.json", "/blank/pair_order"):
        page.goto(server.url + path)
        expect(page.get_by_role("button", name="Войти")).to_be_visible()
        assert "/login" in page.url
    response = page.request.get(server.url + "/entry/1/file/docx", max_redirects=0)
    assert response.status == 303 and not response.body()
    shot(page, "01-login")


def test_login_wrong_password_then_right(server, as_user):
    page = as_user(None)
    page.goto(server.url + "/login")
    page.get_by_label("Логин").fill("sec")
    page.get_by_label("Пароль").fill("wrong-password")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("alert")).to_have_text("Неверный логин или пароль.")
    page.get_by_label("Пароль").fill(PASSWORDS["sec"])
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Сводка")).to_be_visible()
    headers = page.request.get(server.url + "/").headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"] and headers["x-frame-options"] == "DENY"
    cookie = next(c for c in page.context.cookies() if c["name"] == "docgen_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["expires"] > time.time()


def test_login_attempts_are_limited(server, as_user):
    page = as_user(None)
    page.goto(server.url + "/login")
    for _ in range(5):
        page.get_by_label("Логин").fill("late")
        page.get_by_label("Пароль").fill("not-the-password")
        page.get_by_role("button", name="Войти").click()
        expect(page.get_by_role("alert")).to_have_text("Неверный логин или пароль.")
    page.get_by_label("Логин").fill("late")
    page.get_by_label("Пароль").fill(PASSWORDS["late"])  # even the right password waits now
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("alert")).to_contain_text("Слишком много неудачных попыток")
    assert "/login" in page.url


def test_secretary_cannot_manage_users_admin_can(server, as_user, ws):
    page = as_user("sec")
    expect(page.get_by_role("link", name="Пользователи")).to_have_count(0)
    page.goto(server.url + "/users")
    expect(page.get_by_role("heading", name="Доступ запрещён")).to_be_visible()
    token = page.locator('meta[name="csrf"]').get_attribute("content")
    response = page.request.post(server.url + "/users", form={"csrf": token, "action": "add", "login": "intruder",
                                                               "role": "admin", "password": "intruder-pass"})
    assert response.status == 403
    admin = as_user("adm")
    admin.goto(server.url + "/users")
    shot(admin, "07-users")
    form = admin.locator("#add-user")
    form.get_by_label("Логин").fill("teacher")
    form.locator("select[name=role]").select_option("secretary")
    form.get_by_label("Пароль", exact=True).fill("teacher-pass")
    form.get_by_role("button", name="Добавить").click()
    expect(admin.locator("#users")).to_contain_text("teacher")
    users = json.loads((ws.state / "users.json").read_text(encoding="utf-8"))
    assert "intruder" not in users and users["teacher"]["role"] == "secretary"
    assert "teacher-pass" not in (ws.state / "users.json").read_text(encoding="utf-8")


def test_forged_post_without_csrf_is_refused(server, as_user, ws):
    page = as_user("adm")
    for form in ({"action": "add", "login": "forged", "role": "admin", "password": "forged-pass"},
                 {"csrf": "guessed-token", "action": "add", "login": "forged", "role": "admin", "password": "forged-pass"}):
        response = page.request.post(server.url + "/users", form=form)
        assert response.status == 403
        assert "устаревшая или чужая форма" in response.text()
    director = as_user("dir")
    response = director.request.post(server.url + "/upload", multipart={
        "files": {"name": "x.json", "mimeType": "application/json", "buffer": b'{"type": "pair_order"}'}})
    assert response.status == 403
    assert "forged" not in json.loads((ws.state / "users.json").read_text(encoding="utf-8"))
    assert not (ws.inbox / "x.json").exists()


def test_upload_good_and_bad_file_show_their_results(server, as_user, ws, tmp_path):
    page = as_user("sec")
    card = upload(page, server, EXAMPLES / "pair_order.json")
    expect(card).to_contain_text("готово", timeout=20000)
    number = card.get_by_role("link").first.inner_text()
    assert re.fullmatch(r"№ \d+-од", number)
    shot(page, "04-upload")
    bad = tmp_path / "пары 5Б.json"
    bad.write_text('{"type": "pair_order", "date": "2023-08-31"', encoding="utf-8")
    card = upload(page, server, bad)
    expect(card).to_contain_text("не обработан", timeout=20000)
    expect(card.locator("pre.report")).to_contain_text("регистрационные номера НЕ выдавались")
    assert (ws.failed / "пары 5Б.json").exists()
    shot(page, "04-upload-failed")


def test_drag_and_drop_puts_the_file_into_the_inbox(server, as_user, ws):
    page = as_user("sec")
    page.goto(server.url + "/upload")
    letter = (EXAMPLES / "thank_you_letter.json").read_text(encoding="utf-8")
    page.evaluate("""text => {
        const data = new DataTransfer();
        data.items.add(new File([text], "письмо.json", {type: "application/json"}));
        document.getElementById("drop").dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true}));
    }""", letter)
    card = page.locator("#results .card").last
    expect(card).to_contain_text("готово", timeout=20000)
    expect(card).to_contain_text("письмо.json")
    assert any(e.type_id == "thank_you_letter" for e in Register(ws.register).entries())


def test_summary_refreshes_itself_and_offers_the_failed_file(server, as_user, ws):
    page = as_user("sec")
    failed = page.locator("#card-failed .count")
    before = int(failed.inner_text())
    (ws.inbox / "сломанный.json").write_text("{ нет", encoding="utf-8")
    expect(failed).to_have_text(str(before + 1), timeout=20000)  # no reload: the fragment polls
    card = page.locator("#card-failed")
    expect(card).to_contain_text("сломанный.json")
    with page.expect_download() as info:
        card.get_by_role("link", name="скачать файл").first.click()
    assert info.value.suggested_filename.endswith(".json")
    shot(page, "02-summary")


def test_journal_filters_pagination_and_export(server, as_user, ws, tmp_path):
    fill_register(ws, 120, start=__import__("datetime").date(2021, 3, 1))
    page = as_user("sec")
    page.goto(server.url + "/journal")
    shot(page, "03-journal")
    expect(page.locator("#journal tr")).to_have_count(51)  # header + one page of 50
    page.get_by_label("Год").select_option("2021")
    page.get_by_label("Поиск").fill("группа 117")
    page.get_by_role("button", name="Показать").click()
    expect(page.locator("#total")).to_have_text("1")
    expect(page.locator("#journal")).to_contain_text("(группа 117)")
    page.get_by_label("Поиск").fill("")
    page.get_by_role("button", name="Показать").click()
    expect(page.locator("#total")).to_have_text("120")
    page.get_by_role("link", name="3", exact=True).click()
    expect(page.locator("#journal tr")).to_have_count(21)
    with page.expect_download() as info:
        page.get_by_role("link", name="Выгрузить в Excel").click()
    target = tmp_path / "journal.xlsx"
    info.value.save_as(target)
    sheet = load_workbook(target).worksheets[0]
    numbers = [sheet.cell(r, 2).value for r in range(4, sheet.max_row + 1)]
    assert len(numbers) == 120 and "Журнал регистрации" in sheet["A1"].value
    page.get_by_label("Статус").select_option("void")
    page.get_by_role("button", name="Показать").click()
    expect(page.locator("#total")).to_have_text("0")


def group(page, name: str):
    """A fieldset or an optional (folded) group of the form by its field name, opened."""
    box = page.locator(f'[data-name="{name}"]')
    if box.evaluate("el => el.tagName") == "DETAILS":
        box.evaluate("el => el.open = true")
    return box


def fill_pair_order(page, server):
    page.goto(server.url + "/fill/pair_order")
    page.get_by_label("Дата документа").fill("2024-09-02")
    page.get_by_label("Программа наставничества").fill("программы наставничества на 2024–2025 учебный год")
    period = group(page, "period")
    period.get_by_label("Дата начала").fill("2024-09-02")
    period.get_by_label("Дата окончания").fill("2025-05-31")
    curator = group(page, "curator")
    curator.get_by_label("ФИО").fill("Гурьева Ирина Владимировна")
    curator.get_by_label("Должность или класс").fill("заместитель директора по ВР")
    mentor = group(page, "pairs.0.mentor")
    page.locator('[data-name="pairs"] .row').first.get_by_label("Форма наставничества").fill("Учитель – учитель")
    mentor.get_by_label("ФИО").fill("Иванова Мария Петровна")
    mentor.get_by_label("Должность или класс").fill("учитель математики")
    mentees = group(page, "pairs.0.mentees")
    first = mentees.locator(".row").first
    first.get_by_label("ФИО").fill("Петров Сергей Олегович")
    first.get_by_label("Должность или класс").fill("учитель математики")
    mentees.get_by_role("button", name="Добавить: наставляемые").click()
    second = mentees.locator(".row").nth(1)
    second.get_by_label("ФИО").fill("Кузнецова Алёна Игоревна")
    second.get_by_label("Должность или класс").fill("учитель физики")
    second.get_by_label("Пол (м или ж)").select_option("ж")


def test_fill_a_pair_order_in_the_browser_check_issue_and_find_it(server, as_user, ws, tmp_path):
    page = as_user("sec")
    page.goto(server.url + "/fill/pair_order")
    page.get_by_role("button", name="Проверить").click()  # empty: the file's own messages
    expect(page.locator("#problems")).to_contain_text("Что исправить")
    expect(page.locator("#problems")).to_contain_text("не заполнено (пары)")
    fill_pair_order(page, server)
    shot(page, "05-fill")
    page.get_by_role("button", name="Проверить").click()
    expect(page.locator("#checked")).to_be_visible()
    assert page.locator("input[value='Кузнецова Алёна Игоревна']").count() == 1  # what was entered stays
    before = len(Register(ws.register).entries())
    page.get_by_role("button", name="Выпустить").click()
    result = page.locator("#issue-result")
    expect(result).to_contain_text("готово", timeout=20000)
    link = result.get_by_role("link").first
    number = link.inner_text().removeprefix("№ ")
    entries = Register(ws.register).entries()
    assert len(entries) == before + 1 and entries[-1].number == number
    kept = [p for p in ws.processed.iterdir() if "заполнено в браузере" in p.name]
    assert kept and json.loads(kept[-1].read_text(encoding="utf-8"))["pairs"][0]["mentees"][1]["gender"] == "ж"
    page.goto(server.url + "/journal?q=" + number)
    page.get_by_role("link", name=number, exact=True).first.click()  # newest first
    shot(page, "03-entry")
    with page.expect_download() as info:
        page.get_by_role("link", name="Скачать DOCX").click()
    target = tmp_path / "order.docx"
    info.value.save_as(target)
    text = docx_text(target)
    assert number in text and "Кузнецова Алёна Игоревна" in text and "Иванова Мария Петровна" in text


def test_director_marks_signed_and_voids_with_a_reason(server, as_user, ws, tmp_path):
    order = json.loads((EXAMPLES / "reward_order.json").read_text(encoding="utf-8"))
    order["date"] = date.today().isoformat()  # after every order issued before it: numbers follow dates
    (tmp_path / "reward_order.json").write_text(json.dumps(order, ensure_ascii=False), encoding="utf-8")
    upload(as_user("sec"), server, tmp_path / "reward_order.json").wait_for()
    register = Register(ws.register)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any(e.type_id == "reward_order" and e.status == "published"
                                                  for e in register.entries()):
        time.sleep(0.3)
    entry = next(e for e in register.entries() if e.type_id == "reward_order")
    secretary = as_user("sec")
    expect(secretary.get_by_role("link", name="На подпись")).to_have_count(0)
    page = as_user("dir")
    page.get_by_role("link", name="На подпись").click()
    shot(page, "06-sign")
    page.locator(f"input[name=entry][value='{entry.id}']").check()
    page.get_by_role("button", name="Отметить выбранные подписанными").click()
    expect(page.locator(f"input[name=entry][value='{entry.id}']")).to_have_count(0)
    page.goto(server.url + "/journal?status=signed")
    expect(page.locator("#journal")).to_contain_text(entry.number)
    page.goto(server.url + f"/entry/{entry.id}")
    expect(page.locator("#status")).to_have_text("подписан")
    scan_form = page.locator("#scan-form")
    scan_form.get_by_label("Скан подписанного").set_input_files(
        files=[{"name": "скан.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf at all"}])
    scan_form.get_by_role("button", name="Загрузить скан").click()
    expect(page.get_by_role("alert")).to_contain_text("PDF, JPEG или PNG")
    scan = b"%PDF-1.4\n% a scan of the signed paper\n%%EOF\n"
    page.locator("#scan-form").get_by_label("Скан подписанного").set_input_files(
        files=[{"name": "скан.pdf", "mimeType": "application/pdf", "buffer": scan}])
    page.locator("#scan-form").get_by_role("button", name="Загрузить скан").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Скан подписанного").click()
    assert Path(info.value.path()).read_bytes() == scan
    kept = [p for p in (ws.outbox / "Подписанные").iterdir() if not p.name.startswith(".")]
    assert len(kept) == 1 and kept[0].name.endswith("— скан подписанного.pdf") and entry.number in kept[0].name
    expect(page.get_by_role("button", name="Аннулировать")).to_have_count(0)  # signed: changed by a new order only
    order["reason"] = "за активное участие в программе наставничества"
    (tmp_path / "reward_order.json").write_text(json.dumps(order, ensure_ascii=False), encoding="utf-8")
    upload(as_user("sec"), server, tmp_path / "reward_order.json").wait_for()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any(e.type_id == "reward_order" and e.status == "published"
                                                  and e.id != entry.id for e in register.entries()):
        time.sleep(0.3)
    other = next(e for e in register.entries() if e.type_id == "reward_order" and e.id != entry.id)
    page.goto(server.url + f"/entry/{other.id}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_label("Причина аннулирования").fill("ошибка в фамилии")
    page.get_by_role("button", name="Аннулировать").click()
    expect(page.locator("#status")).to_have_text("аннулирован")
    assert register.entry(other.id).status == "void" and "ошибка в фамилии" in register.entry(other.id).void_reason
    assert not any((ws.outbox / name).exists() for name in register.entry(other.id).outputs)  # off the desk
    assert any(other.number in p.name for p in (ws.outbox / "Аннулированные").iterdir())


def test_consent_only_for_allowed_roles_and_every_download_audited(server, as_user, ws, tmp_path):
    card = upload(as_user("sec"), server, EXAMPLES / "consent.json")
    expect(card).to_contain_text("готово", timeout=20000)
    entry = next(e for e in Register(ws.register).entries() if e.type_id == "consent")
    admin = as_user("adm")
    admin.goto(server.url + f"/entry/{entry.id}")
    expect(admin.locator(".error")).to_contain_text("персональные данные")
    assert admin.request.get(server.url + f"/entry/{entry.id}/file/docx").status == 403
    page = as_user("sec")
    page.goto(server.url + f"/entry/{entry.id}")
    with page.expect_download() as info:
        page.get_by_role("link", name="Скачать DOCX").click()
    info.value.save_as(tmp_path / "consent.docx")
    audit = (ws.state / "audit.log").read_text(encoding="utf-8")
    records = [json.loads(line) for line in audit.splitlines()]
    assert {"user": "sec", "action": "скачивание", "number": entry.number, "file": "docx"}.items() <= records[-1].items()
    assert any(r["action"] == "просмотр" and r["user"] == "sec" and r["number"] == entry.number for r in records)
    subject = json.loads((EXAMPLES / "consent.json").read_text(encoding="utf-8"))
    names = [d["subject"]["name"] for d in (subject if isinstance(subject, list) else [subject])]
    assert names and not any(part in audit for name in names for part in name.split())


def test_blank_form_downloads(server, as_user, tmp_path):
    page = as_user("sec")
    page.goto(server.url + "/fill")
    with page.expect_download() as info:
        page.get_by_role("row", name=re.compile("Приказ о закреплении")).get_by_role("link", name="скачать бланк .xlsx").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.suffix == ".xlsx" and "docgen" in load_workbook(target).sheetnames


@pytest.mark.libreoffice
def test_with_pdfs_preview_is_a_draft_without_number_and_the_issued_pdf_downloads(browser, tmp_path):
    from docgen.testing import pdf_text

    ws = make_workspace(tmp_path / "pdf-school", pdf=True)
    server = WebServer(ws)
    context = browser.new_context(locale="ru-RU", accept_downloads=True)
    try:
        page = context.new_page()
        login(page, server.url, "sec")
        fill_pair_order(page, server)
        captured = []

        def keep_body(route):  # the raw PDF as served (the browser's viewer shows it in the new tab)
            response = route.fetch()
            captured.append(response.body())
            route.fulfill(response=response)

        def is_fill(url: str) -> bool:
            return url.endswith("/fill/pair_order")

        context.route(is_fill, keep_body)
        with context.expect_page() as new_tab:
            page.get_by_role("button", name="Проект (PDF)").click()
        new_tab.value.wait_for_load_state()
        deadline = time.monotonic() + 120
        while not captured and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        context.unroute(is_fill)
        draft = tmp_path / "draft.pdf"
        draft.write_bytes(captured[0])
        text = pdf_text(draft)
        from pypdf import PdfReader

        assert all("ПРОЕКТ" in (p.extract_text() or "") for p in PdfReader(str(draft)).pages)  # every page, the first too
        assert "Кузнецова" in text
        assert "1-од" not in text and Register(ws.register).entries() == []
        page.get_by_role("button", name="Выпустить").click()
        expect(page.locator("#issue-result")).to_contain_text("готово", timeout=120000)
        page.locator("#issue-result").get_by_role("link").first.click()
        with page.expect_download() as download:
            page.get_by_role("link", name="Скачать PDF").click()
        issued = tmp_path / "issued.pdf"
        download.value.save_as(issued)
        text = pdf_text(issued)
        assert "1-од" in text and "ПРОЕКТ" not in text and "Иванова" in text
        director = context.browser.new_context(locale="ru-RU")
        try:
            sign = director.new_page()
            login(sign, server.url, "dir")
            entry = Register(ws.register).entries()[0]
            pack = sign.request.get(server.url + f"/sign/pack?entry={entry.id}")
            assert pack.headers["content-type"] == "application/pdf"
            (tmp_path / "pack.pdf").write_bytes(pack.body())
            assert "1-од" in pdf_text(tmp_path / "pack.pdf")
        finally:
            director.close()
        subprocess_png(draft, tmp_path)
    finally:
        context.close()
        server.stop()


def subprocess_png(pdf: Path, folder: Path) -> None:
    """The draft's first page as PNG for a person to look at ($DOCGEN_SCREENSHOTS)."""
    if SHOTS:
        import subprocess

        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(Path(SHOTS) / "05-draft")],
                       check=False)
