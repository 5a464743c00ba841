"""The Starlette application of the web office: routes, roles and responses.

Pages: Сводка ``/``, Журнал ``/journal``, a journal entry ``/entry/{id}``,
Загрузить ``/upload``, Заполнить ``/fill``, На подпись ``/sign``,
Пользователи ``/users``; ``/healthz`` answers «ok» without a session.
Every other route needs a session; every POST its CSRF token. Files are
served by register id (or, for failed inputs, by an exact name of the
failed/ listing), never from a path in the request.
"""
from __future__ import annotations

import logging
import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlencode

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..errors import DocgenError, InputError
from ..pipeline import Pipeline
from ..reading import size_limit
from ..register import Register
from ..setaside import SetAside
from ..settings import Workspace
from .auditlog import AuditLog
from .auth import (SESSION_COOKIE, SESSION_SECONDS, LoginLimiter, check_csrf, csrf_token, current_user, session_secret,
                   sign_in)
from .forms import build_form, document_from_form, lines_names, values_from_document
from .office import FILTER_STATUSES, STATUS_TITLES, Office
from .options import WebOptions, web_options
from .preview import render_preview, validate_document
from .signing import Signatures
from .uploads import Uploads
from .users import ROLES, User, UserStore

log = logging.getLogger("docgen.web")
HERE = Path(__file__).parent
ALL_ROLES = tuple(ROLES)
OFFICE_ROLES = ("secretary", "director", "admin")
MEDIA = {".pdf": "application/pdf", ".json": "application/json",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class LoginRequired(Exception):
    pass


def ru_date(value) -> str:
    """«2023-08-31» → «31.08.2023» (other text as it is)."""
    text = str(value or "")
    return f"{text[8:10]}.{text[5:7]}.{text[:4]}" if len(text) >= 10 and text[4] == "-" else text


def ru_datetime(value) -> str:
    text = str(value or "")
    return ru_date(text[:10]) + (f" {text[11:16]}" if len(text) >= 16 else "")


def iso_date(value) -> str:
    from ..schemas import parse_date

    parsed = parse_date(value)
    return parsed.isoformat() if parsed else ""


def substitute(name: str, subst: dict) -> str:
    for placeholder, index in subst.items():
        name = name.replace(placeholder, index)
    return name


def row_indices(values: dict, name: str, minimum: int) -> list[int]:
    prefix = f"{name}."
    found = sorted({int(k[len(prefix):].split(".", 1)[0]) for k in values
                    if k.startswith(prefix) and k[len(prefix):].split(".", 1)[0].isdigit()})
    return found or list(range(minimum))


def first_upper(text) -> str:
    text = str(text or "")
    return text[:1].upper() + text[1:]


def has_prefix(values: dict, name: str) -> bool:
    return any(k.startswith(f"{name}.") and v for k, v in values.items())


FILTERS = {"first_upper": first_upper, "has_prefix": has_prefix, "ru_date": ru_date, "ru_datetime": ru_datetime, "iso_date": iso_date, "subst": substitute,
           "row_indices": row_indices}


class WebOffice:
    """Everything the routes share: the workspace, its register, accounts, and the pipeline for drafts."""

    def __init__(self, workspace: Workspace, pipeline: Pipeline | None = None):
        self.ws = workspace
        self.pipeline = pipeline or Pipeline(workspace)
        self.own_pipeline = pipeline is None
        self.settings = self.pipeline.settings
        self.options: WebOptions = web_options(self.settings.raw)
        self.hooks = self.pipeline.hooks
        self.registry = self.hooks.registry()
        self.register = Register(workspace.register)
        self.signatures = Signatures(self.register, workspace.state)
        types = self.registry.all()
        self.personal_types = {t.id for t in types if t.personal_data}
        self.signed_types = {t.id for t in types if not t.personal_data}
        self.office = Office(workspace, self.register, self.signatures, self.signed_types, self.personal_types,
                             self.hooks.input_suffixes())
        self.users = UserStore(workspace.state / "users.json")
        self.audit = AuditLog(workspace.state / "audit.log")
        self.uploads = Uploads(workspace, self.register, int(size_limit(self.settings.inbox.max_file_mb)),
                               self.hooks.input_suffixes())
        self.limiter = LoginLimiter()
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.templates.env.globals.update(status_titles=STATUS_TITLES, roles=ROLES, type_title=self.type_title,
                                          type_kind=self.type_kind)
        self.templates.env.filters.update(FILTERS)

    def type_title(self, type_id: str) -> str:
        return self.registry.get(type_id).title if type_id in self.registry else type_id

    def type_kind(self, type_id: str) -> str:
        """The short kind for the journal column: «Приказ», «Письмо», «Согласие»."""
        if type_id not in self.registry:
            return type_id
        doc_type = self.registry.get(type_id)
        return doc_type.kind_label or doc_type.title

    def close(self) -> None:
        if self.own_pipeline:
            self.pipeline.close()

    # --- helpers for routes ------------------------------------------------------

    def user(self, request: Request, *roles: str) -> User:
        user = current_user(request, self.users)
        if user is None:
            raise LoginRequired()
        if roles and user.role not in roles:
            raise HTTPException(403, "Недостаточно прав для этого действия.")
        return user

    def page(self, request: Request, name: str, user: User | None, status_code: int = 200, **context) -> Response:
        context.update(user=user, csrf=csrf_token(request), path=request.url.path,
                       org=self.settings.organization.get("short_name") or self.settings.organization.get("name", ""))
        return self.templates.TemplateResponse(request, name, context, status_code=status_code)

    def may_see_personal(self, user: User) -> bool:
        return user.role in self.options.consent_roles

    def entry_or_404(self, entry_id: int):
        entry = self.office.entry(entry_id)
        if entry is None:
            raise HTTPException(404, "Такой записи в журнале нет.")
        return entry


PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders:
    """Pages may run only the office's own script and cannot be framed by another site."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                content_type = next((v for k, v in headers if k == b"content-type"), b"")
                if content_type.startswith(b"text/html"):
                    headers += [(k.lower().encode(), v.encode()) for k, v in PAGE_HEADERS.items()]
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def download(path: Path, name: str | None = None, inline: bool = False) -> Response:
    name = name or path.name
    disposition = "inline" if inline else "attachment"
    return FileResponse(path, media_type=MEDIA.get(path.suffix.lower(), "application/octet-stream"),
                        headers={"Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name)}",
                                 "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


def create_app(workspace: Workspace, pipeline: Pipeline | None = None) -> Starlette:
    office = WebOffice(workspace, pipeline)
    o = office.office

    async def healthz(request):
        return PlainTextResponse("ok")

    # --- login ------------------------------------------------------------------------

    async def login_page(request):
        if current_user(request, office.users):
            return RedirectResponse("/", 303)
        return office.page(request, "login.html", None, next=request.query_params.get("next", "/"))

    async def login_submit(request):
        await check_csrf(request)
        form = await request.form()
        login, password = str(form.get("login", "")).strip(), str(form.get("password", ""))
        target = str(form.get("next", "/"))
        target = target if target.startswith("/") and not target.startswith("//") else "/"
        keys = [f"login:{login.lower()}", f"addr:{request.client.host if request.client else ''}"]
        wait = office.limiter.wait_seconds(keys)
        if wait > 0:
            minutes = max(1, round(wait / 60))
            return office.page(request, "login.html", None, 429, next=target, login=login,
                               error=f"Слишком много неудачных попыток входа. Подождите {minutes} мин.")
        user = office.users.authenticate(login, password)
        if user is None:
            office.limiter.failed(keys)
            log.warning("неудачный вход в веб-кабинет (логин %s)", login[:64])
            return office.page(request, "login.html", None, 401, next=target, login=login,
                               error="Неверный логин или пароль.")
        office.limiter.succeeded(keys)
        sign_in(request, user)
        log.info("вход в веб-кабинет: %s", user.login)
        return RedirectResponse(target, 303)

    async def logout(request):
        await check_csrf(request)
        request.session.clear()
        return RedirectResponse("/login", 303)

    # --- summary ------------------------------------------------------------------------

    async def summary(request):
        user = office.user(request, *OFFICE_ROLES)
        return office.page(request, "summary.html", user, s=o.summary())

    async def summary_fragment(request):
        user = office.user(request, *OFFICE_ROLES)
        return office.page(request, "_summary.html", user, s=o.summary())

    async def failed_download(request):
        office.user(request, "secretary", "director")
        name = request.query_params.get("name", "")
        path = o.failed_file(name, report=request.query_params.get("report") == "1")
        if path is None or not path.is_file():
            raise HTTPException(404, "Такого файла в failed/ нет.")
        return download(path)

    # --- journal ---------------------------------------------------------------------------

    def journal_filters(request) -> dict:
        q = request.query_params
        year = q.get("year", "")
        status = q.get("status", "")
        return {"series": q.get("series", ""), "year": int(year) if year.isdigit() else None,
                "type_id": q.get("type", ""), "status": status if status in FILTER_STATUSES else "",
                "text": q.get("q", "")}

    async def journal(request):
        user = office.user(request, *OFFICE_ROLES)
        filters = journal_filters(request)
        page_number = request.query_params.get("page", "1")
        result = o.journal(**filters, page=int(page_number) if page_number.isdigit() else 1)
        query = {k: v for k, v in result.filters.items() if v}
        return office.page(request, "journal.html", user, j=result, years=o.years(), series=office.settings.series,
                           types=office.registry.all(), statuses=FILTER_STATUSES, query=urlencode(query))

    async def journal_export(request):
        office.user(request, "secretary", "director")
        from ..journal import export_journal

        filters = journal_filters(request)
        entries = [r.entry for r in o.journal(**filters, page=1, page_size=10**9).rows]
        entries.sort(key=lambda e: e.id)
        titles = {key: s.title for key, s in office.settings.series.items()}
        tmp = tempfile.NamedTemporaryFile(suffix=".xlsx", dir=office.ws.state, delete=False)
        tmp.close()
        export_journal(entries, Path(tmp.name), titles)
        response = download(Path(tmp.name), f"Журнал регистрации {date.today():%d.%m.%Y}.xlsx")
        response.background = BackgroundTask(Path(tmp.name).unlink, missing_ok=True)
        return response

    async def entry_page(request):
        user = office.user(request, *OFFICE_ROLES)
        entry = office.entry_or_404(request.path_params["id"])
        row = o.row(entry)
        allowed = not row.personal or office.may_see_personal(user)
        if row.personal and allowed:
            office.audit.write(user.login, "просмотр", entry.id, entry.number, entry.type_id)
        files = {kind: bool(allowed and path) for kind, path in (
            ("docx", o.output_file(entry, ".docx")), ("pdf", o.output_file(entry, ".pdf")),
            ("source", o.source_file(entry)), ("scan", o.scan_file(entry)))}
        return office.page(request, "entry.html", user, row=row, e=entry, files=files, allowed=allowed,
                           history=o.history(entry) if allowed else [], today=date.today().isoformat())

    async def entry_file(request):
        user = office.user(request, *OFFICE_ROLES)
        entry = office.entry_or_404(request.path_params["id"])
        kind = request.path_params["kind"]
        personal = entry.type_id in office.personal_types
        if personal and not office.may_see_personal(user):
            raise HTTPException(403, "Этот документ содержит персональные данные; для вашей роли доступ закрыт.")
        if kind == "source":
            path = o.source_file(entry)
        elif kind == "scan":
            path = o.scan_file(entry)
        elif kind in ("docx", "pdf"):
            path = o.output_file(entry, f".{kind}")
        else:
            raise HTTPException(404, "Нет такого файла.")
        if path is None:
            raise HTTPException(404, "Файл этого документа не найден (удалён или не выпускался).")
        office.audit.write(user.login, "скачивание", entry.id, entry.number, entry.type_id, kind)
        return download(path, inline=kind == "pdf" and request.query_params.get("open") == "1")

    async def entry_sign(request):
        user = office.user(request, "director")
        await check_csrf(request)
        entry = office.entry_or_404(request.path_params["id"])
        form = await request.form()
        try:
            signed_on = date.fromisoformat(str(form.get("signed_on", "")))
        except ValueError:
            return back(request, entry.id, "Укажите дату подписания.")
        try:
            office.signatures.mark_signed(entry, signed_on, user.login)
        except DocgenError as exc:
            return back(request, entry.id, exc.russian())
        office.audit.write(user.login, "подписан", entry.id, entry.number, entry.type_id)
        return RedirectResponse(str(form.get("back") or f"/entry/{entry.id}") if str(form.get("back", "")).startswith("/")
                                else f"/entry/{entry.id}", 303)

    async def entry_scan(request):
        user = office.user(request, "director")
        await check_csrf(request)
        entry = office.entry_or_404(request.path_params["id"])
        form = await request.form(max_part_size=office.uploads.max_bytes + 1)
        upload = form.get("scan")
        try:
            signed_on = date.fromisoformat(str(form.get("signed_on", "")))
        except ValueError:
            return back(request, entry.id, "Укажите дату подписания.")
        if not hasattr(upload, "read"):
            return back(request, entry.id, "Выберите файл скана.")
        try:
            office.signatures.sign_with_scan(entry, signed_on, user.login, await upload.read(),
                                             office.uploads.max_bytes, office.ws.outbox, office.ws.state)
        except DocgenError as exc:
            return back(request, entry.id, exc.russian())
        office.audit.write(user.login, "скан загружен", entry.id, entry.number, entry.type_id, "scan")
        return RedirectResponse(f"/entry/{entry.id}", 303)

    async def entry_void(request):
        user = office.user(request, "director")
        await check_csrf(request)
        entry = office.entry_or_404(request.path_params["id"])
        form = await request.form()
        reason = str(form.get("reason", "")).strip()
        if not reason:
            return back(request, entry.id, "Укажите причину аннулирования.")
        if entry.status == "void":
            return back(request, entry.id, f"Номер уже аннулирован: {entry.void_reason}")
        try:
            voided = office.register.void(entry.id, f"{reason} (аннулировал {user.login} в веб-кабинете)")
        except DocgenError as exc:  # e.g. a signed document is never voided
            return back(request, entry.id, exc.russian())
        if voided:  # off the director's desk, as `docgen register void` does
            SetAside(office.ws.outbox, office.ws.state, office.register).void(office.register.entry(entry.id))
        office.audit.write(user.login, "аннулирован", entry.id, entry.number, entry.type_id)
        return RedirectResponse(f"/entry/{entry.id}", 303)

    def back(request, entry_id: int, error: str) -> Response:
        return RedirectResponse(f"/entry/{entry_id}?" + urlencode({"error": error}), 303)

    # --- sign list ---------------------------------------------------------------------------

    async def sign_page(request):
        user = office.user(request, "director")
        return office.page(request, "sign.html", user, rows=o.awaiting_signature(), today=date.today().isoformat())

    async def sign_many(request):
        user = office.user(request, "director")
        await check_csrf(request)
        form = await request.form()
        try:
            signed_on = date.fromisoformat(str(form.get("signed_on", "")))
        except ValueError:
            return RedirectResponse("/sign?" + urlencode({"error": "Укажите дату подписания."}), 303)
        errors = []
        for value in form.getlist("entry"):
            entry = office.office.entry(int(value)) if str(value).isdigit() else None
            if entry is None:
                continue
            try:
                office.signatures.mark_signed(entry, signed_on, user.login)
                office.audit.write(user.login, "подписан", entry.id, entry.number, entry.type_id)
            except DocgenError as exc:
                errors.append(f"№ {entry.number}: {exc.russian()}")
        return RedirectResponse("/sign" + ("?" + urlencode({"error": "; ".join(errors)}) if errors else ""), 303)

    async def sign_pack(request):
        office.user(request, "director")
        from ..publishing import merge_pdfs

        pdfs = []
        for value in request.query_params.getlist("entry"):
            entry = office.office.entry(int(value)) if value.isdigit() else None
            path = o.output_file(entry, ".pdf") if entry is not None and entry.type_id not in office.personal_types else None
            if path:
                pdfs.append(path)
        if not pdfs:
            return RedirectResponse("/sign?" + urlencode({"error": "Отметьте документы, у которых есть PDF."}), 303)
        tmp = tempfile.NamedTemporaryFile(suffix=".pdf", dir=office.ws.state, delete=False)
        tmp.close()
        merge_pdfs(pdfs, Path(tmp.name), "На подпись")
        response = download(Path(tmp.name), f"На подпись {date.today():%d.%m.%Y}.pdf", inline=True)
        response.background = BackgroundTask(Path(tmp.name).unlink, missing_ok=True)
        return response

    # --- upload --------------------------------------------------------------------------------

    async def upload_page(request):
        user = office.user(request, "secretary", "director")
        return office.page(request, "upload.html", user)

    async def upload_submit(request):
        user = office.user(request, "secretary", "director")
        await check_csrf(request)
        form = await request.form(max_part_size=office.uploads.max_bytes + 1)
        results = []
        for item in form.getlist("files"):
            if not hasattr(item, "read"):
                continue
            if item.size is not None and item.size > office.uploads.max_bytes:
                results.append({"name": item.filename, "error": f"Файл больше {office.settings.inbox.max_file_mb:g} МБ."})
                continue
            data = await item.read()
            try:
                results.append({"name": item.filename, "ticket": office.uploads.put(item.filename or "", data, user.login)})
            except DocgenError as exc:
                results.append({"name": item.filename, "error": exc.russian()})
        if not results:
            results.append({"name": "", "error": "Выберите файл."})
        return office.page(request, "_uploaded.html", user, results=results)

    async def upload_status(request):
        user = office.user(request, "secretary", "director")
        result = office.uploads.result(request.path_params["ticket"])
        if result is None:
            raise HTTPException(404, "Нет такой загрузки.")
        return office.page(request, "_upload_status.html", user, r=result, ticket=request.path_params["ticket"])

    # --- fill in the browser ----------------------------------------------------------------------

    def fillable_type(type_id: str):
        if type_id not in office.registry:
            raise HTTPException(404, "Нет такого типа документа.")
        return office.registry.get(type_id)

    async def fill_index(request):
        user = office.user(request, "secretary", "director")
        return office.page(request, "fill_index.html", user, types=office.registry.all())

    async def fill_page(request):
        user = office.user(request, "secretary", "director")
        doc_type = fillable_type(request.path_params["type"])
        fields = build_form(doc_type, office.hooks.closed_lists())
        return office.page(request, "fill.html", user, t=doc_type, fields=fields, values={"date": date.today().isoformat()})

    async def fill_submit(request):
        user = office.user(request, "secretary", "director")
        await check_csrf(request)
        doc_type = fillable_type(request.path_params["type"])
        fields = build_form(doc_type, office.hooks.closed_lists())
        form = await request.form()
        items = [(k, str(v)) for k, v in form.multi_items() if isinstance(v, str)]
        document = document_from_form(doc_type.id, items, lines_names(fields))
        action = str(form.get("_action", "check"))
        name = f"{date.today().isoformat()} {doc_type.title[:60]} (заполнено в браузере).json"
        try:
            documents = validate_document(office.pipeline, document, name)
        except InputError as exc:
            return office.page(request, "fill.html", user, 422, t=doc_type, fields=fields,
                               values=values_from_document(document), problems=[p.russian() for p in exc.problems])
        except DocgenError as exc:
            return office.page(request, "fill.html", user, 422, t=doc_type, fields=fields,
                               values=values_from_document(document), problems=[exc.russian()])
        if action == "preview":
            return draft_response(documents, doc_type.title)
        if action == "issue":
            import json

            data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
            ticket = office.uploads.put(name, data, user.login)
            return office.page(request, "fill_issued.html", user, t=doc_type, ticket=ticket)
        return office.page(request, "fill.html", user, t=doc_type, fields=fields, values=values_from_document(document),
                           checked=True)

    def draft_response(documents, title: str) -> Response:
        folder = Path(tempfile.mkdtemp(dir=office.ws.state, prefix="draft-"))
        try:
            path = render_preview(office.pipeline, documents, folder)
        except DocgenError as exc:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
            raise HTTPException(500, f"Проект не сформирован: {exc.russian()}") from None
        import shutil

        response = download(path, f"ПРОЕКТ — {title[:80]}{path.suffix}", inline=path.suffix == ".pdf")
        response.background = BackgroundTask(shutil.rmtree, folder, ignore_errors=True)
        return response

    async def blank_form(request):
        office.user(request, "secretary", "director")
        from ..sheets.forms import default_form_name, write_blank_form

        doc_type = fillable_type(request.path_params["type"])
        if doc_type.sheet is None:
            raise HTTPException(404, "Для этого типа нет бланка таблицы.")
        folder = Path(tempfile.mkdtemp(dir=office.ws.state, prefix="blank-"))
        target = write_blank_form(doc_type, office.hooks.closed_lists(), folder / default_form_name(doc_type), folder)
        import shutil

        response = download(target)
        response.background = BackgroundTask(shutil.rmtree, folder, ignore_errors=True)
        return response

    # --- users ---------------------------------------------------------------------------------------

    async def users_page(request):
        user = office.user(request, "admin")
        return office.page(request, "users.html", user, users=office.users.users(),
                           error=request.query_params.get("error", ""), done=request.query_params.get("done", ""))

    async def users_submit(request):
        user = office.user(request, "admin")
        await check_csrf(request)
        form = await request.form()
        action, login = str(form.get("action", "")), str(form.get("login", "")).strip()
        try:
            if action == "add":
                office.users.add(login, str(form.get("role", "")), str(form.get("password", "")))
                done = f"Пользователь {login} добавлен."
            elif action == "remove":
                if login == user.login:
                    raise DocgenError("Нельзя удалить собственную учётную запись.")
                office.users.remove(login)
                done = f"Пользователь {login} удалён."
            elif action == "passwd":
                office.users.set_password(login, str(form.get("password", "")))
                done = f"Пароль пользователя {login} изменён."
            else:
                raise DocgenError("Неизвестное действие.")
        except DocgenError as exc:
            return RedirectResponse("/users?" + urlencode({"error": exc.russian()}), 303)
        log.info("учётные записи: %s %s (%s)", action, login, user.login)
        return RedirectResponse("/users?" + urlencode({"done": done}), 303)

    # --- errors --------------------------------------------------------------------------------------------

    async def login_required(request, exc):
        if request.method == "GET" and not request.headers.get("x-fragment"):
            return RedirectResponse("/login?" + urlencode({"next": request.url.path}), 303)
        return PlainTextResponse("Нужно войти в систему.", status_code=401)

    async def http_error(request, exc):
        user = current_user(request, office.users)
        if request.headers.get("x-fragment"):
            return PlainTextResponse(exc.detail, status_code=exc.status_code)
        return office.page(request, "error.html", user, exc.status_code, message=exc.detail, code=exc.status_code)

    async def server_error(request, exc):
        log.exception("ошибка веб-кабинета на %s", request.url.path, exc_info=exc)
        return HTMLResponse("<!doctype html><meta charset=utf-8><h1>Внутренняя ошибка</h1>"
                            "<p>Сообщите администратору; подробности — в журнале .docgen/docgen.log.</p>", 500)

    routes = [
        Route("/healthz", healthz),
        Route("/login", login_page), Route("/login", login_submit, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/", summary), Route("/fragment/summary", summary_fragment),
        Route("/failed/file", failed_download),
        Route("/journal", journal), Route("/journal/export", journal_export),
        Route("/entry/{id:int}", entry_page),
        Route("/entry/{id:int}/file/{kind}", entry_file),
        Route("/entry/{id:int}/sign", entry_sign, methods=["POST"]),
        Route("/entry/{id:int}/void", entry_void, methods=["POST"]),
        Route("/entry/{id:int}/scan", entry_scan, methods=["POST"]),
        Route("/sign", sign_page), Route("/sign", sign_many, methods=["POST"]), Route("/sign/pack", sign_pack),
        Route("/upload", upload_page), Route("/upload", upload_submit, methods=["POST"]),
        Route("/upload/status/{ticket}", upload_status),
        Route("/fill", fill_index), Route("/fill/{type}", fill_page), Route("/fill/{type}", fill_submit, methods=["POST"]),
        Route("/blank/{type}", blank_form),
        Route("/users", users_page), Route("/users", users_submit, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    middleware = [Middleware(SecurityHeaders), Middleware(SessionMiddleware, secret_key=session_secret(workspace.state), session_cookie=SESSION_COOKIE,
                             max_age=SESSION_SECONDS, same_site="strict", https_only=office.options.secure_cookies)]
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={LoginRequired: login_required, HTTPException: http_error, 500: server_error})
    app.state.office = office
    return app
