"""The ``docgen`` command: argument parsing, Russian summaries, exit codes.

Each command starts by checking its workspace (``check_workspace``): a folder
without ``docgen.toml`` is refused unless the command sets
``needs_workspace=False``, and ``docgen.toml`` is validated against its schema
(docgen.config_schema) before anything else runs.
Every command takes ``--workspace DIR`` (default ``$DOCGEN_WORKSPACE``, else
the current folder) and ``--verbose``, before or after its name (docgen.cliparser
adds them to every subcommand made with ``sub.add_parser``). Exit status is
non-zero on any failure.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from . import __version__
from .cliparser import top_parser
from .errors import DocgenError, InputError
from .service import interrupt_on_sigterm
from .settings import CONFIG_NAME, Workspace

log = logging.getLogger("docgen")


def setup_logging(workspace: Workspace | None, verbose: bool = False) -> None:
    """stderr, and the workspace's rotated ``.docgen/docgen.log``, in Russian (docgen.service)."""
    from .service import configure_logging

    configure_logging(workspace.state if workspace is not None and workspace.root.is_dir() else None, verbose)


def print_outcome(outcome) -> None:
    if outcome.skipped:
        return
    if not outcome.ok:
        print(f"ОШИБКА: {outcome.source}\n{outcome.message}\n")
        return
    print(f"Готово: {outcome.source}")
    for doc in outcome.documents:
        number = f"№ {doc['number']}" if doc["number"] else "без номера"
        print(f"  {number}: {Path(doc['docx']).name}" + ("" if doc["pdf"] else "  (PDF не сделан)"))
        if doc.get("version", 1) > 1:
            print(f"    исправленная версия {doc['version']}: прежняя перенесена в outbox/Заменённые/")
    if outcome.pack:
        print(f"  Комплект для печати: {Path(outcome.pack).name}")
    if outcome.message:
        print(f"  Внимание: {outcome.message}")


def cmd_process(args, ws: Workspace) -> int:
    from .pipeline import Pipeline

    from .errors import Outcome
    from .inbox import draft_lock

    pipeline = Pipeline(ws)
    try:
        results = pipeline.recover()
        for name in args.files:
            lock = draft_lock(Path(name)) if Path(name).is_file() else None
            if lock:  # still open in Excel or LibreOffice: a draft, nothing is drawn
                results.append(Outcome(name, ok=False, message=f"Файл ещё открыт в редакторе (рядом лежит «{lock}»). "
                                       "Закройте его в Excel или LibreOffice и обработайте снова; номер не выдан."))
                continue
            results.append(pipeline.process(Path(name)))
    finally:
        pipeline.close()
    for outcome in results:
        print_outcome(outcome)
    signed = process_signed(ws, pipeline.settings)
    return 0 if all(o.ok for o in results) and all(o.ok for o in signed) else 1


def process_signed(ws: Workspace, settings, wait_stable: float = 0.0) -> list:
    """Signatures waiting in signed/: checked, recorded, marked copies published (docgen.signing)."""
    from .signing.signed_folder import process_signed_folder

    outcomes = process_signed_folder(ws, settings, wait_stable)
    for outcome in outcomes:
        if outcome.ok:
            print(f"Подпись принята: {outcome.source} — {outcome.message}"
                  + (f"\n  Копия с отметкой о подписи: {outcome.marked.name}" if outcome.marked else ""))
        else:
            print(f"ПОДПИСЬ НЕ ПРИНЯТА: {outcome.source}\n{outcome.message}\n")
    return outcomes


def cmd_signed(args, ws: Workspace) -> int:
    outcomes = process_signed(ws, ws.load_settings())
    if not outcomes:
        print("В папке signed нет файлов подписей (.sig, .p7s).")
    return 0 if all(o.ok for o in outcomes) else 1


def cmd_verify(args, ws: Workspace) -> int:
    from .signing.commands import resolve_pair, verify_detached

    pdf, signature = resolve_pair(Path(args.file), args.sig)
    if not pdf.is_file():
        raise DocgenError(f"Файл {pdf} не найден.")
    settings = ws.load_settings()
    if signature is None:
        from .signing.pades import verify_pades

        ok, lines = verify_pades(ws, settings, pdf)
    else:
        ok, lines = verify_detached(ws, settings, pdf, signature)
    print("\n".join(lines))
    return 0 if ok else 1


def cmd_validate(args, ws: Workspace) -> int:
    from .plugins import get_plugin_manager
    from .validation import validate_all

    settings = ws.load_settings()
    hooks = get_plugin_manager(ws.plugins)
    failures = 0
    for name in args.files:
        path = Path(name)
        try:
            documents = validate_all(hooks.read_input(path, settings) or [], hooks.registry(), hooks)
            print(f"Верно: {path.name} (документов: {len(documents)})")
        except InputError as exc:
            failures += 1
            print(f"ОШИБКИ в {path.name}:\n" + "\n".join(f"  - {p.russian()}" for p in exc.problems))
        except DocgenError as exc:
            failures += 1
            print(f"ОШИБКА в {path.name}: {exc.russian()}")
    return 1 if failures else 0


def cmd_watch(args, ws: Workspace) -> int:
    if args.web:
        return cmd_web(args, ws)
    if args.workspaces or (ws.config.is_file() and ws.load_settings().raw.get("service", {}).get("workspaces")):
        return cmd_watch_schools(args, ws)
    from .inbox import InboxWatcher
    from .pipeline import Pipeline
    from .register import wait_for_register
    from .service import stop_on_signals

    wait_for_register(ws.register)  # a journal in PostgreSQL that does not answer yet: wait, claim nothing
    pipeline = Pipeline(ws)
    signed_poller = None
    try:
        for outcome in pipeline.recover():
            print_outcome(outcome)
        signed_poller = start_signed_poller(ws, pipeline.settings)
        pipeline.converter.warm_up()  # LibreOffice starts now, so the first file's PDF comes in well under a second
        watcher = InboxWatcher(ws.inbox, lambda p: print_outcome(pipeline.process(p)), pipeline.settings.inbox,
                               ws.failed, polling=True if args.polling else None, suffixes=pipeline.hooks.input_suffixes())
        stop_on_signals(watcher.stop)  # SIGTERM/SIGINT: finish the file in hand, then stop
        mode = "опрос" if watcher.polling else "уведомления"
        log.info("docgen %s следит за папкой %s (%s). Остановить: Ctrl+C", __version__, ws.inbox, mode)
        watcher.run(max_seconds=args.seconds)
    except KeyboardInterrupt:
        log.info("прерван; файл, который был в работе, будет взят снова при следующем запуске")
    finally:
        if signed_poller is not None:
            signed_poller.set()
        pipeline.close()  # LibreOffice ends here
    log.info("наблюдение остановлено")
    return 0


def cmd_watch_schools(args, ws: Workspace) -> int:
    """``docgen watch --workspaces DIR``: every school's workspace under DIR (and this one) in one process."""
    import threading

    from .schools import SchoolsService, ServiceOptions, shared_converter, tag_log_lines
    from .service import configure_logging, stop_on_signals

    home_settings = ws.load_settings() if ws.config.is_file() else None
    options = ServiceOptions.from_settings(home_settings)
    entries = ([Path(p).resolve() for p in args.workspaces] if args.workspaces
               else [ws.root / p for p in options.workspaces])  # docgen.toml's paths: from its own folder
    converter = shared_converter(ws, home_settings, entries)
    configure_logging(converter.state_dir, args.verbose)
    tag_log_lines()
    printing = threading.Lock()

    def report(school: str, outcome) -> None:
        with printing:
            if not outcome.skipped:
                print(f"[{school}]", end=" ")
            print_outcome(outcome)

    service = SchoolsService(entries, converter, report, home=ws, polling=True if args.polling else None,
                             rescan=options.rescan, signed_poller=start_signed_poller)
    stop_on_signals(service.stop)
    log.info("docgen %s обслуживает рабочие папки школ из %s. Остановить: Ctrl+C", __version__,
             ", ".join(map(str, entries)))
    try:
        service.run(max_seconds=args.seconds)
    except KeyboardInterrupt:
        log.info("прерван; файлы, которые были в работе, будут взяты снова при следующем запуске")
        service.stop()
    finally:
        converter.close()  # LibreOffice ends here, after every school has stopped
    log.info("обслуживание рабочих папок остановлено: %d", len(service.served))
    return 0


def cmd_web(args, ws: Workspace) -> int:
    from .web.server import serve

    watch = not getattr(args, "no_watch", False)
    signed_poller = start_signed_poller(ws, ws.load_settings()) if watch else None  # as `docgen watch` does
    try:
        serve(ws, host=args.host, port=args.port, watch=watch,
              polling=True if getattr(args, "polling", False) else None, report=print_outcome)
    finally:
        if signed_poller is not None:
            signed_poller.set()
    return 0


def read_password(prompt: str = "Пароль: ") -> str:
    """The password from standard input: asked twice on a terminal, one line when piped."""
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass(prompt)
        if getpass.getpass("Ещё раз: ") != first:
            raise DocgenError("Пароли не совпадают.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_users(args, ws: Workspace) -> int:
    from .web.users import UserStore

    store = UserStore(ws.state / "users.json")
    if args.action == "list":
        for user in store.users():
            print(f"{user.login:<24} {user.role_title:<14} создан {user.created_at}")
        return 0
    if not args.login:
        raise DocgenError(f"Укажите логин: docgen users {args.action} ЛОГИН")
    if args.action == "add":
        if not args.role:
            raise DocgenError("Укажите роль: --role secretary, director или admin.")
        user = store.add(args.login, args.role, read_password())
        print(f"Пользователь {user.login} ({user.role_title}) добавлен.")
    elif args.action == "remove":
        store.remove(args.login)
        print(f"Пользователь {args.login} удалён.")
    elif args.action == "passwd":
        store.set_password(args.login, read_password("Новый пароль: "))
        print(f"Пароль пользователя {args.login} изменён.")
def start_signed_poller(ws: Workspace, settings):
    """A thread that checks signed/ every few seconds while watching; returns the event that stops it."""
    import threading

    stop = threading.Event()

    def loop():
        while not stop.is_set():
            try:
                process_signed(ws, settings, wait_stable=settings.inbox.stability_delay)
            except Exception:  # noqa: BLE001 - one bad round must not end the watcher
                log.exception("ошибка при проверке папки signed")
            stop.wait(max(settings.inbox.poll_interval, 1.0))

    threading.Thread(target=loop, name="docgen-signed", daemon=True).start()
    return stop


def cmd_sign(args, ws: Workspace) -> int:
    from .register import Register
    from .signing.pades import sign_entry

    register = Register(ws.register)
    entry = register.find_number(args.number)
    if entry is None or entry.status == "void":
        raise DocgenError(f"Номер {args.number} в журнале не найден или аннулирован.")
    pdf = next((ws.outbox / n for n in entry.outputs if n.lower().endswith(".pdf") and (ws.outbox / n).is_file()), None)
    if pdf is None:
        raise DocgenError(f"У документа № {args.number} нет PDF в папке outbox: подписывать нечего.")
    if sys.stdin.isatty():
        import getpass

        password = getpass.getpass("Пароль ключа: ").encode("utf-8")
    else:
        password = sys.stdin.buffer.readline().rstrip(b"\r\n")
    signed = sign_entry(ws, ws.load_settings(), entry, pdf, Path(args.pkcs12), password)
    print(f"Документ № {entry.number} подписан: {signed.path.name}\n  Сертификат: {signed.serial}\n"
          f"  Владелец: {signed.owner}")
    return 0


def cmd_types(args, ws: Workspace) -> int:
    from .plugins import get_plugin_manager

    hooks = get_plugin_manager(ws.plugins if ws.root.is_dir() else None)
    for doc_type in hooks.registry().all():
        origin = hooks.type_origins.get(doc_type.id, "")
        print(f"{doc_type.id:<22} {doc_type.title}" + (f"  [{origin}]" if origin else ""))
    return 0


def cmd_schema(args, ws: Workspace) -> int:
    from .plugins import get_plugin_manager

    doc_type = get_plugin_manager(ws.plugins).registry().get(args.type)
    print(json.dumps(doc_type.schema, ensure_ascii=False, indent=2))
    return 0


def cmd_blank(args, ws: Workspace) -> int:
    from .plugins import get_plugin_manager
    from .sheets.forms import write_blank_form

    hooks = get_plugin_manager(ws.plugins if ws.root.is_dir() else None)
    registry = hooks.registry()
    doc_type = registry.find(args.type) or registry.get(args.type)
    target = write_blank_form(doc_type, hooks.closed_lists(), Path(args.output) if args.output else None, Path.cwd())
    print(f"Бланк «{doc_type.title}» сохранён: {target}")
    print("Заполните его в Excel или LibreOffice Calc и положите в папку inbox.")
    return 0


def cmd_import(args, ws: Workspace) -> int:
    from .plugins import get_plugin_manager

    hooks = get_plugin_manager(ws.plugins if ws.root.is_dir() else None)
    registry = hooks.registry()
    doc_type = registry.find(args.type) or registry.get(args.type)
    if doc_type.import_document is None:
        raise DocgenError(f"Для типа «{doc_type.title}» перенос из DOCX не умеет: его можно задать JSON или бланком.")
    source = Path(args.file)
    if not source.is_file():
        raise DocgenError(f"Файла «{source}» нет.")
    target = Path(args.output) if args.output else Path.cwd() / f"{source.stem} (docgen).xlsx"
    written = doc_type.import_document(source, target, doc_type, hooks.closed_lists())
    print(f"«{doc_type.title}» перенесена из «{source.name}»: {written}")
    print("Проверьте и поправьте файл, затем положите его в папку inbox.")
    return 0


def cmd_plugins(args, ws: Workspace) -> int:
    from .plugins import get_plugin_manager

    hooks = get_plugin_manager(ws.plugins)
    for info in hooks.infos:
        state = f"ОШИБКА: {info.error}" if info.error else "загружен"
        print(f"{info.name:<28} {info.origin:<12} {state}  ({info.location})")
    print("Папки шаблонов: " + "; ".join(str(d) for d in hooks.template_dirs()))
    return 1 if hooks.broken else 0


def cmd_templates(args, ws: Workspace) -> int:
    """``docgen templates check [DIR]``: every finding in Russian; exit 1 when a template has an error."""
    from .pipeline import sample_pipeline
    from .plugins import EXAMPLES_DIR, get_plugin_manager
    from .templatecheck import check_templates

    folder = Path(args.dir).resolve() if args.dir else None
    if folder is not None and not folder.is_dir():
        raise DocgenError(f"Папка «{args.dir}» не найдена.")
    hooks = get_plugin_manager(ws.plugins if ws.root.is_dir() else None)
    report = check_templates(hooks, sample_pipeline, EXAMPLES_DIR, folder, [Path(e).resolve() for e in args.examples])
    for finding in report.findings:
        print(finding.russian())
    errors = len(report.errors)
    print(f"Проверено шаблонов: {len(report.templates)}; ошибок: {errors}; "
          f"предупреждений: {len(report.findings) - errors}.")
    return 1 if errors else 0


def cmd_init(args, ws: Workspace) -> int:
    from .workspace_init import init_workspace

    target = Path(args.dir or ws.root)
    created = init_workspace(target, demo=args.demo)
    print(f"Рабочая папка готова: {target.resolve()}")
    for path in created:
        print(f"  создан: {path}")
    return 0


def cmd_register(args, ws: Workspace) -> int:
    from .register import Register

    if args.action == "migrate":
        return register_migrate(args, ws)
    register = Register(ws.register)
    actions = {"list": register_list, "void": register_void, "export": register_export, "sign": register_sign,
               "start": register_start, "reserve": register_reserve, "import": register_import,
               "history": register_history}
    if args.action not in actions:
        raise DocgenError(f"Неизвестное действие «{args.action}»")
    return actions[args.action](args, ws, register)


def register_migrate(args, ws: Workspace) -> int:
    """Copy the workspace's SQLite journal into PostgreSQL (``--to URL``), then say what to write in docgen.toml."""
    from .register import Register
    from .register.transfer import copy_journal
    from .register.db import RegisterLocation, location_from_config

    if not args.to:
        raise DocgenError("Укажите базу: docgen register migrate --to postgresql://пользователь@сервер/база "
                          "(пароль — в переменной PGPASSWORD, не в адресе).")
    if not ws.register.is_file():
        raise DocgenError(f"В рабочей папке нет файла {ws.register.name}: переносить нечего.")
    school = args.school or location_from_config(ws.root).school or ws.root.name
    source = Register(ws.register, location=RegisterLocation())
    target = Register(ws.register, location=RegisterLocation(url=args.to, school=school,
                                                             password_file=args.password_file or ""))
    counts = copy_journal(source, target)
    target.close()
    print(f"Журнал регистрации перенесён в PostgreSQL (школа «{school}»): записей {counts.get('entries', 0)}, "
          f"входных файлов {counts.get('inputs', 0)}. Копия сверена с исходным журналом.")
    print(f"Чтобы работать с ним, впишите в {CONFIG_NAME}:\n[register]\nurl = \"{args.to}\"\nschool = \"{school}\"\n"
          f"Файл {ws.register.name} останется как есть (резервная копия).")
    return 0


def register_list(args, ws: Workspace, register) -> int:
    from .journal import marks
    from .signing.records import signature_texts

    status_names = {"issued": "выдан", "published": "выпущен"}
    signed = signature_texts(register)
    for e in register.entries(year=args.year):
        mark = "; ".join(([status_names[e.status]] if e.status in status_names else []) + marks(e, signed.get(e.id, []))[
            1 if e.status == "issued" else 0:])
        print(f"{e.number or '—':<14} {e.doc_date}  {e.type_id or '—':<17} {e.heading[:60]:<60} {mark}")
    return 0


def register_history(args, ws: Workspace, register) -> int:
    from .journal import mark
    from .setaside import REPLACED_FOLDER, replaced_name

    if not args.number:
        raise DocgenError("Укажите номер: docgen register history 5-од")
    entry = register.entry_by_number(args.number, args.year)
    print(f"№ {entry.number} от {entry.doc_date}: {entry.heading}" + (f" — {mark(entry)}" if mark(entry) else ""))
    for version in register.versions(entry.id):
        files = ", ".join(f"{REPLACED_FOLDER}/{replaced_name(n, version.version)}" for n in version.outputs) or "—"
        print(f"  версия {version.version}: зарегистрирована {version.registered_at}, файл «{version.input_name}», "
              f"заменена {version.replaced_at}; файлы: {files}")
    print(f"  версия {entry.version} (действующая): {entry.version_at or entry.created_at}, файл «{entry.input_name}»;"
          f" файлы: {', '.join(entry.outputs) or '—'}")
    return 0


def register_void(args, ws: Workspace, register) -> int:
    from .setaside import VOID_FOLDER, SetAside

    if not args.number:
        raise DocgenError("Укажите номер: docgen register void НОМЕР --reason \"причина\"")
    entry = register.void_number(args.number, args.reason, year=args.year)
    moved = SetAside(ws.outbox, ws.state, register).void(entry)
    print(f"Номер {entry.number} аннулирован: {entry.void_reason}")
    if moved:
        print(f"  Файлы документа перенесены в папку outbox/{VOID_FOLDER}/ (файлов: {len(moved)}).")
    return 0


def register_export(args, ws: Workspace, register) -> int:
    from .journal import export_journal
    from .signing.records import signature_texts

    settings = ws.load_settings() if ws.config.exists() else None
    titles = {key: series.title for key, series in settings.series.items()} if settings else {}
    target = Path(args.output or "journal.xlsx")
    count = export_journal(register.entries(year=args.year), target, titles, signature_texts(register))
    print(f"Журнал регистрации выгружен: {target} (записей: {count})")
    return 0


def parse_day(text: str | None, what: str):
    from datetime import date, datetime

    if not text:
        return date.today()
    for form in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    raise DocgenError(f"Неверная дата {what}: «{text}». Пишите ДД.ММ.ГГГГ, например 05.09.2026.")


def register_sign(args, ws: Workspace, register) -> int:
    if not args.number:
        raise DocgenError("Укажите номер: docgen register sign НОМЕР --date ДД.ММ.ГГГГ [--by \"кто подписал\"]")
    if not args.date:
        raise DocgenError("Укажите дату подписи: --date ДД.ММ.ГГГГ.")
    signed_on = parse_day(args.date, "подписи (--date)")
    by = args.by
    if not by:
        director = ws.load_settings().director if ws.config.exists() else {}
        by = " ".join(p for p in (director.get("position", ""), director.get("name", "")) if p)
    entry = register.entry_by_number(args.number, args.year)
    if entry.signed:
        raise DocgenError(f"Документ № {entry.number} уже отмечен подписанным {entry.signed_on} ({entry.signed_by}); "
                          "отметку о подписи не меняют.")
    entry = register.mark_signed(entry, signed_on, by, scan=Path(args.scan) if args.scan else None)
    print(f"Документ № {entry.number} отмечен подписанным {signed_on:%d.%m.%Y} ({entry.signed_by}).")
    if entry.signed_scan:
        print(f"  Скан сохранён: {entry.signed_scan}")
    return 0


def chosen_series(args, ws: Workspace):
    settings = ws.load_settings()
    keys = ", ".join(settings.series)
    if not args.series:
        raise DocgenError(f"Укажите серию: --series НАЗВАНИЕ (в docgen.toml есть: {keys}).")
    if args.series not in settings.series:
        raise DocgenError(f"Серии «{args.series}» нет в docgen.toml; есть: {keys}.")
    return settings, settings.series[args.series]


def series_year(args, series) -> int:
    from datetime import date

    from .register import register_year

    return args.year or register_year(date.today(), series.year_start)


def series_formatter(ws: Workspace, settings, series, year: int):
    from .plugins import get_plugin_manager

    hooks = get_plugin_manager(ws.plugins)
    return lambda n: hooks.format_number(series.key, year, n, series.pattern, {})


def register_start(args, ws: Workspace, register) -> int:
    from datetime import date

    from .register import NumberRequest

    settings, series = chosen_series(args, ws)
    if not args.number or not args.number.isdigit():
        raise DocgenError("Укажите номер, с которого продолжить: docgen register start 53 --series orders [--year 2026]")
    year = series_year(args, series)
    register.set_start(series.key, year, int(args.number))
    fmt = series_formatter(ws, settings, series, year)
    day = date(year, *(int(p) for p in series.year_start.split("-")))
    request = NumberRequest(0, "", day, series.key, series.pattern, series.year_start, "", "", "",
                            starts=series.starts, allow_out_of_order=True, series_title=series.title)
    print(f"Серия «{series.title}», {year} год: номера продолжаются с {args.number}. "
          f"Следующий номер: {register.next_number(request, lambda r, y, n: fmt(n))}.")
    return 0


def register_reserve(args, ws: Workspace, register) -> int:
    import re

    settings, series = chosen_series(args, ws)
    match = re.fullmatch(r"\s*(\d+)\s*(?:(?:-|–|—|\.\.)\s*(\d+))?\s*", args.number or "")
    if match is None:
        raise DocgenError("Укажите диапазон номеров: docgen register reserve 60-65 --series orders --reason \"…\"")
    first, last = int(match[1]), int(match[2] or match[1])
    year = series_year(args, series)
    entries = register.reserve(series.key, year, first, last, args.reason, parse_day(args.date, "резерва (--date)"),
                               series_formatter(ws, settings, series, year))
    print(f"Зарезервированы номера {entries[0].number} – {entries[-1].number} ({len(entries)} шт.), "
          f"серия «{series.title}», {year} год: {args.reason}")
    return 0


def register_import(args, ws: Workspace, register) -> int:
    from .journal import read_journal

    if not args.number:
        raise DocgenError("Укажите файл журнала: docgen register import journal.xlsx")
    path = Path(args.number)
    if not path.is_file():
        raise DocgenError(f"Файл «{path}» не найден.")
    rows = read_journal(path, ws.load_settings().series)
    count = register.import_entries(rows)
    print(f"Журнал загружен из «{path.name}»: внесено записей {count}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The whole command line. Subcommands added with ``sub.add_parser`` take the global options by themselves."""
    parser = top_parser(prog="docgen", description="Документы программы наставничества: из данных в DOCX и PDF.")
    parser.add_argument("--version", action="version", version=f"docgen {__version__}", help="показать версию и выйти")
    sub = parser.add_subparsers(dest="command", required=True, metavar="КОМАНДА", title="команды",
                                help="подробнее о каждой: docgen КОМАНДА --help")
    p = sub.add_parser("init", help="создать рабочую папку с docgen.toml и примерами")
    p.add_argument("dir", nargs="?", metavar="ПАПКА", help="где создать (по умолчанию — рабочая папка)")
    p.add_argument("--demo", action="store_true",
                   help="пробная папка вымышленной школы (с её реквизитами номера выдаются сразу)")
    p.set_defaults(func=cmd_init, needs_workspace=False)
    p = sub.add_parser("watch", help="следить за папкой inbox и обрабатывать новые файлы")
    p.add_argument("--polling", action="store_true", help="опрашивать папку (для сетевых папок)")
    p.add_argument("--seconds", type=float, default=None, help=argparse.SUPPRESS)
    p.add_argument("--workspaces", action="append", metavar="ПАПКА",
                   help="обслуживать одним процессом все рабочие папки школ в этой папке (и эту рабочую папку, "
                   "если в ней есть docgen.toml); можно повторить")
    p.add_argument("--web", action="store_true", help="заодно открыть веб-кабинет (как docgen web)")
    p.add_argument("--host", help="адрес веб-кабинета (по умолчанию из [web] docgen.toml, иначе 127.0.0.1)")
    p.add_argument("--port", type=int, help="порт веб-кабинета (по умолчанию 8080)")
    p.set_defaults(func=cmd_watch)
    p = sub.add_parser("web", help="веб-кабинет секретаря и директора (и наблюдение за inbox)")
    p.add_argument("--host", help="адрес (по умолчанию из [web] docgen.toml, иначе 127.0.0.1 — только этот компьютер)")
    p.add_argument("--port", type=int, help="порт (по умолчанию 8080)")
    p.add_argument("--no-watch", action="store_true", help="не следить за inbox (его обслуживает отдельный docgen watch)")
    p.add_argument("--polling", action="store_true", help="опрашивать папку inbox (для сетевых папок)")
    p.set_defaults(func=cmd_web)
    p = sub.add_parser("users", help="пользователи веб-кабинета")
    p.add_argument("action", choices=["add", "list", "remove", "passwd"],
                   help="add — добавить (пароль со стандартного ввода), list — список, remove — удалить, passwd — сменить пароль")
    p.add_argument("login", nargs="?", help="логин")
    p.add_argument("--role", choices=["secretary", "director", "admin"], help="роль: секретарь, директор, администратор")
    p.set_defaults(func=cmd_users)
    p = sub.add_parser("process", help="обработать файлы один раз")
    p.add_argument("files", nargs="+", metavar="ФАЙЛ", help="входные файлы (.json, .xlsx, .ods, .csv)")
    p.set_defaults(func=cmd_process)
    p = sub.add_parser("validate", help="только проверить файлы (номера не выдаются)")
    p.add_argument("files", nargs="+", metavar="ФАЙЛ", help="входные файлы (.json, .xlsx, .ods, .csv)")
    p.set_defaults(func=cmd_validate)
    sub.add_parser("types", help="какие типы документов есть").set_defaults(func=cmd_types, needs_workspace=False)
    p = sub.add_parser("schema", help="JSON Schema типа документа")
    p.add_argument("type", metavar="ТИП", help="тип документа: pair_order, consent… (список: docgen types)")
    p.set_defaults(func=cmd_schema, needs_workspace=False)
    p = sub.add_parser("blank", help="бланк таблицы (.xlsx) для типа документа")
    p.add_argument("type", metavar="ТИП", help="тип документа: pair_order, reward_order, consent, thank_you_letter…")
    p.add_argument("-o", "--output", metavar="ПУТЬ",
                   help="куда сохранить (файл .xlsx или папка); по умолчанию — текущая папка")
    p.set_defaults(func=cmd_blank, needs_workspace=False)
    p = sub.add_parser("import", help="перенести готовый документ из DOCX в JSON или заполненный бланк (.xlsx)")
    p.add_argument("type", metavar="ТИП", help="тип документа: roadmap")
    p.add_argument("file", metavar="ФАЙЛ", help="файл .docx школы")
    p.add_argument("-o", "--output", metavar="ПУТЬ", help="куда записать: файл .xlsx (бланк) или .json; "
                   "по умолчанию «ИМЯ (docgen).xlsx» в текущей папке")
    p.set_defaults(func=cmd_import, needs_workspace=False)
    sub.add_parser("plugins", help="загруженные плагины").set_defaults(func=cmd_plugins)
    p = sub.add_parser("templates", help="проверить шаблоны .docx (после правки в Word)")
    p.add_argument("action", choices=["check"], metavar="ДЕЙСТВИЕ",
                   help="check — проверить каждый шаблон: теги, переменные, заполнение примерами, слова о человеке")
    p.add_argument("dir", nargs="?", metavar="ПАПКА", help="папка с шаблонами; по умолчанию — все папки шаблонов "
                   "(рабочей папки, плагинов, встроенные)")
    p.add_argument("--examples", action="append", default=[], metavar="ПУТЬ",
                   help="пример входных данных (.json) или папка с примерами; можно повторять")
    p.set_defaults(func=cmd_templates, needs_workspace=False)
    p = sub.add_parser("register", help="журнал регистрации")
    p.add_argument("action", choices=["list", "void", "export", "sign", "start", "reserve", "import", "history",
                                      "migrate"],
                   metavar="ДЕЙСТВИЕ",
                   help="list — показать, void — аннулировать номер, export — выгрузить журнал в Excel, "
                   "history — версии исправленного документа, "
                   "sign — отметить подписанным, start — продолжить нумерацию с номера, reserve — зарезервировать "
                   "номера, import — загрузить журнал из Excel, migrate — перенести журнал в PostgreSQL (--to)")
    p.add_argument("number", nargs="?", metavar="НОМЕР", help="номер (5-од) для void и sign; номер для start (53); "
                   "диапазон для reserve (60-65); файл .xlsx для import")
    p.add_argument("--reason", default="", metavar="ПРИЧИНА",
                   help="причина аннулирования или резерва (обязательна для void и reserve)")
    p.add_argument("--year", type=int, metavar="ГОД", help="год нумерации (для list — только этот год)")
    p.add_argument("--series", metavar="СЕРИЯ", help="серия из docgen.toml для start и reserve, например orders")
    p.add_argument("--date", metavar="ДАТА", help="дата подписи для sign (ДД.ММ.ГГГГ)")
    p.add_argument("--by", metavar="КТО", help="кто подписал (по умолчанию — руководитель из docgen.toml)")
    p.add_argument("--scan", metavar="ФАЙЛ", help="скан подписанного документа (PDF) для sign")
    p.add_argument("-o", "--output", metavar="ПУТЬ", help="файл для export (по умолчанию journal.xlsx)")
    p.add_argument("--to", metavar="АДРЕС", help="для migrate: адрес базы PostgreSQL (postgresql://…, без пароля)")
    p.add_argument("--school", metavar="КЛЮЧ", help="для migrate: ключ школы в базе (по умолчанию — [register] "
                   "school или имя рабочей папки)")
    p.add_argument("--password-file", metavar="ФАЙЛ", help="для migrate: файл с паролем к базе")
    p.set_defaults(func=cmd_register)
    p = sub.add_parser("signed", help="проверить подписи из папки signed и отметить документы подписанными")
    p.set_defaults(func=cmd_signed)
    p = sub.add_parser("sign", help="подписать PDF документа ключом RSA/ECDSA из файла PKCS#12 (PAdES); пароль — со стандартного ввода")
    p.add_argument("number", help="регистрационный номер, например 5-од")
    p.add_argument("--pkcs12", required=True, help="файл ключа .p12/.pfx")
    p.set_defaults(func=cmd_sign)
    p = sub.add_parser("verify", help="проверить электронную подпись PDF (открепленную .sig/.p7s или встроенную)")
    p.add_argument("file", help="PDF или файл подписи")
    p.add_argument("--sig", help="файл открепленной подписи (по умолчанию ищется рядом: ИМЯ.pdf.sig, ИМЯ.sig, ИМЯ.p7s)")
    p.set_defaults(func=cmd_verify)
    return parser


def check_workspace(args, ws: Workspace):
    """At the start of every command: a workspace where one is needed, and a valid ``docgen.toml`` wherever there is one.

    Commands declare ``needs_workspace=False`` when they work without one (types, schema, blank, init);
    every other command refuses a folder without ``docgen.toml`` before creating anything in it.
    """
    if args.command == "init":
        return None
    if getattr(args, "needs_workspace", True) and not getattr(args, "workspaces", None):
        ws.require()  # `watch --workspaces DIR` may run outside any workspace
    return ws.load_settings() if ws.config.is_file() else None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    ws = Workspace.locate(args.workspace)
    try:
        settings = check_workspace(args, ws)
        setup_logging(ws if settings is not None and getattr(args, "needs_workspace", True) else None, args.verbose)
        if settings is not None and settings.demo and args.command in ("watch", "process"):
            log.warning("Рабочая папка %s — демонстрационная (demo = true в %s): документы выходят с реквизитами "
                        "вымышленной школы", ws.root, CONFIG_NAME)
        interrupt_on_sigterm()  # `watch` replaces this with its own clean stop
        return args.func(args, ws)
    except DocgenError as exc:
        print(f"ОШИБКА: {exc.russian()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
