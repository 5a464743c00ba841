"""Benchmark docgen's PDF path against LibreOffice alone (run: ``make bench`` or ``python tools/bench.py``).

Prints one table (Markdown) from one run, in a throw-away workspace:
  (a) a batch of one-page consents through docgen's pipeline (warm converter, and
      cold: LibreOffice started by the batch, and the whole ``docgen process`` command)
      vs docxtpl rendering alone vs one ``soffice --convert-to pdf`` call on the same DOCX files;
  (b) latency from a file in the inbox to its published PDF, warm converter, median;
  (c) big pair orders (N pairs: annex of N rows, acknowledgement list of N + 51 rows):
      DOCX render, warm PDF and ``soffice`` alone, and the 2,000/1,000 ratio; then
      soffice alone also on the DOCX rendered with one table (before docgen.longtables);
      with --variants, plain python-docx tables of 1,000 and 2,000 rows in several layouts;
  (m) a watcher-like run of 1,000 one-document files: memory of docgen and its LibreOffice
      workers after 100 and 1,000 documents, time per document at 10/100/1,000;
  (d) parsing one good JSON / xlsx file in this process vs in docgen's limited child process.
  (w) the web office's journal page over 10,000 entries with a filter (HTTP, signed in,
      median of 20) next to the bare ``docgen register list`` command.
  (r) documents per second of a batch of consents: the local warm pool alone vs the local pool
      with two remote converters (unoserver on loopback, ``[conversion] servers``).
  (n) registration numbers per second drawn by 1, 4 and 8 processes at once (one input file,
      one number per transaction), on SQLite and on PostgreSQL ($DOCGEN_TEST_PG_URL, or a
      throwaway cluster started for the run); the journal is checked gap-free after each run.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Cm  # noqa: E402

from docgen.pdf.converter import cold_convert, find_soffice  # noqa: E402
from docgen.pipeline import Pipeline  # noqa: E402
from docgen.rendering import find_template  # noqa: E402
from docgen.settings import Workspace  # noqa: E402
from docgen.workspace_init import init_workspace  # noqa: E402

SURNAMES = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков"]
TABLE_HEADERS = ["№ п/п", "Наставник (ФИО, должность)", "Наставляемый (ФИО, должность или класс)", "Форма наставничества", "Срок"]
TABLE_WIDTHS = [1.2, 4.6, 4.6, 3.2, 3.4]


# --- inputs --------------------------------------------------------------------------------

def consent(i: int, tag: str) -> dict:
    return {
        "type": "consent", "date": "2023-09-01", "role": "наставляемый",
        "purpose": f"участия в программе наставничества ({tag})",
        "subject": {"name": f"{SURNAMES[i % 10]}{i} Алексей Петрович", "birth_date": "2010-05-17",
                    "address": "г. Светлогорск, ул. Морская, д. 1, кв. 2",
                    "document": {"kind": "свидетельство о рождении", "series": "I-РЕ", "number": f"{600000 + i}",
                                 "issued_by": "отдел ЗАГС г. Светлогорска", "issued_on": "2010-06-01"}},
        "representative": {"name": f"{SURNAMES[i % 10]}а Мария Ивановна", "address": "г. Светлогорск",
                           "authority": "мать"},
    }


def pair_order(pairs: int) -> dict:
    mentors = [{"name": f"{SURNAMES[m % 10]}{m} Иван Иванович", "position": "учитель математики"} for m in range(50)]
    return {
        "type": "pair_order", "date": "2023-08-31", "period": {"from": "2023-09-01", "to": "2024-05-31"},
        "curator": {"name": "Гурьева Ирина Владимировна", "position": "заместитель директора по ВР"},
        "pairs": [{"form": "Ученик – ученик", "mentor": mentors[i % 50],
                   "mentee": {"name": f"{SURNAMES[i % 10]}{i} Пётр Сергеевич", "position": "7 «Б» класс"}}
                  for i in range(pairs)],
    }


def write_input(workspace: Workspace, name: str, payload) -> Path:
    path = workspace.inbox / name
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return path


# --- measured steps --------------------------------------------------------------------------

def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def render_only(pipeline: Pipeline, source: Path, folder: Path) -> list[Path]:
    """docxtpl rendering alone: the same contexts and templates as the pipeline, no register, no PDF."""
    documents = pipeline.read_and_validate(source)
    paths = []
    for doc in documents:
        entry = SimpleNamespace(number=f"{doc.index + 1}-тест")
        context = pipeline.context(doc, entry)
        pipeline.hooks.update_context(doc.type, doc.data, context)
        target = folder / f"doc{doc.index + 1:04d}.docx"
        pipeline.hooks.render_document(find_template(doc.type.template, pipeline.hooks.template_dirs()), context, target)
        paths.append(target)
    return paths


def soffice_alone(docx: list[Path], folder: Path, pipeline: Pipeline, profile: Path) -> float:
    """One cold ``soffice --convert-to pdf`` call on all files (its profile already initialised)."""
    outdir = folder / "soffice-out"
    shutil.rmtree(outdir, ignore_errors=True)
    outdir.mkdir()
    options = replace(pipeline.settings.conversion, timeout=600)
    seconds, _ = timed(lambda: cold_convert(docx, outdir, options, profile))
    return seconds


def children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def soffice_alone_cpu(docx: list[Path], folder: Path, pipeline: Pipeline, profile: Path) -> tuple[float, float]:
    """``soffice_alone`` and the CPU seconds its processes used (robust on a shared machine)."""
    before = children_cpu()
    seconds = soffice_alone(docx, folder, pipeline, profile)
    return seconds, children_cpu() - before


def process_cpu(pid: int | None) -> float:
    """User + system CPU seconds a live process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def warm_cpu(pipeline: Pipeline, docx: Path, pdf: Path) -> tuple[float, float]:
    """One warm conversion: wall seconds and the CPU seconds of the LibreOffice that made it."""
    [pid] = pipeline.converter.office_pids()
    before = process_cpu(pid)
    seconds, _ = timed(lambda: pipeline.converter.convert(docx, pdf))
    return seconds, process_cpu(pid) - before


def wait_warm(pipeline: Pipeline) -> None:
    pipeline.converter.warm_up()
    wanted = len(pipeline.converter.pool.workers) if pipeline.converter.pool else 0
    deadline = time.monotonic() + 120
    while len(pipeline.converter.office_pids()) < wanted and time.monotonic() < deadline:
        time.sleep(0.1)


def new_pipeline(root: Path, **conversion) -> Pipeline:
    init_workspace(root, demo=True)
    workspace = Workspace(root)
    settings = workspace.load_settings()
    settings.conversion = replace(settings.conversion, **conversion)
    return Pipeline(workspace, settings)


def render_whole(pipeline: Pipeline, source: Path, folder: Path) -> Path:
    """The DOCX as docgen rendered it before long tables were cut (docgen.longtables)."""
    import docgen.longtables

    folder.mkdir()
    whole, docgen.longtables.WHOLE_UP_TO = docgen.longtables.WHOLE_UP_TO, 10**9
    try:
        [docx] = render_only(pipeline, source, folder)
    finally:
        docgen.longtables.WHOLE_UP_TO = whole
    return docx


# --- table layout variants ---------------------------------------------------------------------

def table_docx(path: Path, rows: int, variant: str) -> Path:
    """A plain python-docx document with one ``grid_table``-like table of ``rows`` rows.

    Needs the template generators (tools/templates.py) of docgen before the committed DOCX became
    the templates' only source: run ``--variants`` from such a checkout."""
    from templates import cell_text, grid_table, new_document, para
    doc = new_document()
    para(doc, "Список наставнических пар (групп)")
    table = grid_table(doc, TABLE_HEADERS, TABLE_WIDTHS, [""] * 5, "row in rows")
    template_rows = list(table.rows)
    for row in template_rows[1:]:
        table._tbl.remove(row._tr)
    for i in range(1, rows + 1):
        cells = table.add_row().cells
        texts = [str(i), f"{SURNAMES[i % 10]}{i} Иван Иванович, учитель математики",
                 f"{SURNAMES[i % 10]}{i} Пётр Сергеевич, 7 «Б» класс", "Ученик – ученик", "с 01.09.2023 по 31.05.2024"]
        for cell, text, width in zip(cells, texts, TABLE_WIDTHS):
            cell_text(cell, text)
            cell.width = Cm(width)
        if variant != "no cantSplit, fixed layout":
            tr_pr = table.rows[-1]._tr.get_or_add_trPr()
            element = OxmlElement("w:cantSplit")
            element.set(qn("w:val"), "true")
            tr_pr.append(element)
    tbl_pr = table._tbl.tblPr
    if variant == "no cantSplit, fixed layout":
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        tbl_pr.append(layout)
    if variant == "direct borders, no table style":
        style = tbl_pr.find(qn("w:tblStyle"))
        tbl_pr.remove(style)
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            element = OxmlElement(f"w:{edge}")
            for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "auto")):
                element.set(qn(f"w:{key}"), value)
            borders.append(element)
        tbl_pr.append(borders)
    doc.save(str(path))
    return path


TABLE_VARIANTS = ["as grid_table (Table Grid style, cantSplit)", "no cantSplit, fixed layout", "direct borders, no table style"]


# --- the report -------------------------------------------------------------------------------

def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    soffice = find_soffice() or "soffice"
    version = subprocess.run([soffice, "--version"], capture_output=True, text=True).stdout.strip()
    return f"nproc {os.cpu_count()}, CPU «{cpu}», {version or 'LibreOffice ?'}, Python {platform.python_version()}"


def row(*cells) -> None:
    print("| " + " | ".join(str(c) for c in cells) + " |", flush=True)


def section_batch(root: Path, count: int) -> None:
    pipeline = new_pipeline(root / "batch")
    try:
        source = write_input(pipeline.workspace, "render.json", [consent(i, "render") for i in range(count)])
        folder = root / "batch-docx"
        folder.mkdir()
        render_seconds, docx = timed(lambda: render_only(pipeline, source, folder))
        profile = root / "soffice-profile"
        cold_convert(docx[:1], root / "batch-docx", pipeline.settings.conversion, profile)  # initialise the profile
        soffice_seconds, soffice_cpu = soffice_alone_cpu(docx, root, pipeline, profile)
        wait_warm(pipeline)
        pids = pipeline.converter.office_pids()
        cpu_before = time.process_time() + sum(map(process_cpu, pids))
        warm_seconds, outcome = timed(lambda: pipeline.process(
            write_input(pipeline.workspace, "warm.json", [consent(i, "warm") for i in range(count)])))
        warm_cpu_seconds = time.process_time() + sum(map(process_cpu, pids)) - cpu_before
        assert outcome.ok and all(d["pdf"] for d in outcome.documents), outcome.message
    finally:
        pipeline.close()
    cold_pipeline = new_pipeline(root / "batch-cold")
    try:
        cold_seconds, outcome = timed(lambda: cold_pipeline.process(
            write_input(cold_pipeline.workspace, "cold.json", [consent(i, "cold") for i in range(count)])))
        assert outcome.ok and all(d["pdf"] for d in outcome.documents), outcome.message
    finally:
        cold_pipeline.close()
    cli_seconds = cli_process(root / "batch-cli", count)
    workers = pipeline.converter.pool.workers if pipeline.converter.pool else []
    print(f"\n### (a) {count} one-page consents in one input file ({len(workers)} LibreOffice workers)\n")
    row("what", "seconds", "per document", "× soffice batch")
    row("---", "---:", "---:", "---:")
    cpu = f"CPU s (docgen + LibreOffice): soffice batch {soffice_cpu:.1f}, warm pipeline {warm_cpu_seconds:.1f}"
    for label, seconds in (("docxtpl rendering alone (DOCX only)", render_seconds),
                           ("one `soffice --convert-to pdf` call on those DOCX (PDF only)", soffice_seconds),
                           ("docgen pipeline, warm converter (DOCX + PDF + register + publish + print pack)", warm_seconds),
                           ("docgen pipeline, cold: LibreOffice started by this batch", cold_seconds),
                           ("`docgen process` from the command line (Python, plugins and LibreOffice started)",
                            cli_seconds)):
        row(label, f"{seconds:.2f}", f"{seconds / count * 1000:.0f} ms", f"{seconds / soffice_seconds:.2f}")
    print(f"\n{cpu} (× {warm_cpu_seconds / soffice_cpu:.2f}; the warm pipeline's LibreOffice restarts, if any, not counted)")


def cli_process(root: Path, count: int) -> float:
    """The whole ``docgen process`` command on one input of ``count`` consents, in a fresh workspace."""
    init_workspace(root, demo=True)
    source = write_input(Workspace(root), "cli.json", [consent(i, "cli") for i in range(count)])
    seconds, result = timed(lambda: subprocess.run(
        [sys.executable, "-m", "docgen", "--workspace", str(root), "process", str(source)],
        capture_output=True, text=True))
    assert result.returncode == 0 and len(list((root / "outbox").glob("*.pdf"))) > count, result.stdout + result.stderr
    return seconds


def section_latency(root: Path, samples: int) -> None:
    pipeline = new_pipeline(root / "latency")
    try:
        wait_warm(pipeline)
        pipeline.process(write_input(pipeline.workspace, "first.json", consent(0, "first")))  # first document loads fonts
        times = []
        for i in range(samples):
            path = write_input(pipeline.workspace, f"c{i}.json", consent(i, f"latency {i}"))
            seconds, outcome = timed(lambda: pipeline.process(path))
            assert outcome.ok and outcome.documents[0]["pdf"], outcome.message
            times.append(seconds)
    finally:
        pipeline.close()
    print(f"\n### (b) one consent dropped into the inbox → published DOCX + PDF, warm converter ({samples} files)\n")
    row("median", "min", "max")
    row("---:", "---:", "---:")
    row(f"{statistics.median(times) * 1000:.0f} ms", f"{min(times) * 1000:.0f} ms", f"{max(times) * 1000:.0f} ms")


def rss_mb(pid: int | None) -> float:
    """Resident memory of one process (0 when it is gone)."""
    try:
        line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmRSS:"))
    except (OSError, StopIteration, TypeError):
        return 0.0
    return int(line.split()[1]) / 1024


def office_rss_mb(pipeline: Pipeline) -> float:
    """Every warm LibreOffice and its bridge (the Python that speaks UNO to it)."""
    offices = [w.office for w in (pipeline.converter.pool.workers if pipeline.converter.pool else []) if w.office]
    return sum(rss_mb(office.process.pid) + rss_mb(office.office_pid) for office in offices)


def section_memory(root: Path, total: int) -> None:
    """(m) a watcher-like run: ``total`` one-consent files processed one after another, warm converter."""
    pipeline = new_pipeline(root / "memory")
    times, memory = [], {}
    try:
        wait_warm(pipeline)
        for i in range(total):
            path = write_input(pipeline.workspace, f"m{i}.json", consent(i, f"memory {i}"))
            seconds, outcome = timed(lambda: pipeline.process(path))
            assert outcome.ok and outcome.documents[0]["pdf"], outcome.message
            times.append(seconds)
            if i + 1 in (100, total):
                memory[i + 1] = (rss_mb(os.getpid()), office_rss_mb(pipeline))
    finally:
        pipeline.close()
    print(f"\n### (m) {total} one-consent files in a row, one process (restart_after = "
          f"{pipeline.settings.conversion.restart_after})\n")
    row("after document", "ms per document (mean of the 10 before)", "docgen RSS, MB", "LibreOffice + bridges RSS, MB")
    row("---:", "---:", "---:", "---:")
    for mark in sorted({10, 100, total}):
        window = times[max(0, mark - 10):mark]
        docgen, office = memory.get(mark, (None, None))
        row(mark, f"{statistics.mean(window) * 1000:.0f}", f"{docgen:.0f}" if docgen else "—",
            f"{office:.0f}" if office else "—")
    if 100 in memory and total in memory:
        before, after = sum(memory[100]), sum(memory[total])
        print(f"\nMemory after {total} ÷ after 100: {after / before:.2f} (docgen + LibreOffice)")


def section_big(root: Path, sizes: list[int], variants: bool) -> None:
    pipeline = new_pipeline(root / "big", timeout=1800, workers=1)
    results: dict[int, dict[str, float]] = {}
    try:
        wait_warm(pipeline)
        profile = root / "big-soffice-profile"
        for pairs in sizes:
            folder = root / f"big-{pairs}"
            folder.mkdir()
            source = write_input(pipeline.workspace, f"order{pairs}.json", pair_order(pairs))
            render_seconds, [docx] = timed(lambda: render_only(pipeline, source, folder))
            warm_seconds, warm_cpu_seconds = warm_cpu(pipeline, docx, folder / "warm.pdf")
            if not profile.exists():
                cold_convert([docx], folder, pipeline.settings.conversion, profile)
            soffice_seconds, soffice_cpu = soffice_alone_cpu([docx], folder, pipeline, profile)
            whole = render_whole(pipeline, source, root / f"big-{pairs}-whole")
            whole_seconds, whole_cpu = soffice_alone_cpu([whole], whole.parent, pipeline, profile)
            results[pairs] = {"render": render_seconds, "warm": warm_seconds, "soffice": soffice_seconds,
                              "whole": whole_seconds, "vs whole": warm_seconds / whole_seconds,
                              "warm cpu": warm_cpu_seconds, "soffice cpu": soffice_cpu, "whole cpu": whole_cpu,
                              "vs whole cpu": warm_cpu_seconds / whole_cpu}
        table_results: dict[str, dict[int, float]] = {}
        if variants:
            for variant in TABLE_VARIANTS:
                for rows in sizes:
                    path = table_docx(root / f"table-{TABLE_VARIANTS.index(variant)}-{rows}.docx", rows, variant)
                    seconds, _ = timed(lambda: pipeline.converter.convert(path, path.with_suffix(".pdf")))
                    table_results.setdefault(variant, {})[rows] = seconds
    finally:
        pipeline.close()
    small, large = sizes[0], sizes[-1]
    print("\n### (c) big pair orders (N pairs: annex N rows + acknowledgement list N + 51 rows)\n")
    row("step", *(f"{n} pairs, s" for n in sizes), f"{large}/{small}")
    row("---", *("---:" for _ in sizes), "---:")
    for key, label in (("render", "DOCX render (docxtpl, long tables cut)"), ("warm", "PDF, docgen warm converter"),
                       ("soffice", "PDF, `soffice --convert-to pdf` alone on that DOCX (incl. start)"),
                       ("whole", "PDF, `soffice` alone on the DOCX rendered with one table (as before)"),
                       ("vs whole", "docgen warm ÷ `soffice` alone on the one-table DOCX"),
                       ("warm cpu", "LibreOffice CPU s: docgen warm converter"),
                       ("soffice cpu", "LibreOffice CPU s: `soffice` alone on that DOCX"),
                       ("whole cpu", "LibreOffice CPU s: `soffice` alone on the one-table DOCX"),
                       ("vs whole cpu", "CPU: docgen warm ÷ `soffice` alone on the one-table DOCX")):
        row(label, *(f"{results[n][key]:.2f}" for n in sizes), f"{results[large][key] / results[small][key]:.2f}")
    if table_results:
        print("\n### (c) one python-docx table, PDF time with the warm converter\n")
        row("table layout", *(f"{n} rows, s" for n in sizes), f"{large}/{small}")
        row("---", *("---:" for _ in sizes), "---:")
        for variant, by_rows in table_results.items():
            row(variant, *(f"{by_rows[n]:.2f}" for n in sizes), f"{by_rows[large] / by_rows[small]:.2f}")


def section_parsing(root: Path, samples: int) -> None:
    """(d) what parsing in a limited child process (docgen/sandbox.py) costs per good file."""
    import resource

    from openpyxl import Workbook

    from docgen.sandbox import Limits, run_parser
    from docgen.sheets.files import load_grids

    folder = root / "parse"
    folder.mkdir()
    json_file = folder / "pair_order.json"
    json_file.write_text(json.dumps(pair_order(50), ensure_ascii=False), encoding="utf-8")
    book = Workbook()
    book.active.title = "Пары"
    book.active.append(["Наставник", "Наставляемый"])
    for i in range(50):
        book.active.append([f"Иванов Иван {i}", f"Петров Пётр {i}"])
    xlsx_file = folder / "Пары.xlsx"
    book.save(xlsx_file)
    print(f"\n### (d) parsing one good file: in this process vs in a limited child process ({samples} files)\n")
    row("input", "in process, ms", "child, wall ms", "child, CPU ms")
    row("---", "---", "---", "---")
    for kind, path, direct in (("json", json_file, lambda: json.loads(json_file.read_text(encoding="utf-8"))),
                               ("sheets", xlsx_file, lambda: load_grids(xlsx_file))):
        inside, _ = timed(lambda: [direct() for _ in range(samples)])
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall, _ = timed(lambda: [run_parser(kind, path, Limits()) for _ in range(samples)])
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        row(path.name, f"{inside / samples * 1000:.1f}", f"{wall / samples * 1000:.0f}", f"{cpu / samples * 1000:.0f}")


def fill_journal(workspace: Workspace, entries: int) -> None:
    """``entries`` published orders in the register: inputs of 100 documents each."""
    from datetime import date, timedelta

    from docgen.register import NumberRequest, Register

    register = Register(workspace.register)
    start = date(2024, 1, 9)
    for batch in range(0, entries, 100):
        requests = [NumberRequest(doc_index=i, type_id="pair_order", doc_date=start + timedelta(days=(batch + i) // 40),
                                  series="orders", pattern="{n}-од", year_start="01-01",
                                  heading=f"О закреплении наставнических пар (группа {batch + i + 1})",
                                  signer="Директор З.А. Сафарова", executor="") for i in range(min(100, entries - batch))]
        register.issue(f"{batch:064x}", f"пары {batch // 100 + 1}.json", requests,
                       lambda req, year, seq: req.pattern.format(n=seq))
    register.write(lambda conn: conn.execute("UPDATE entries SET status = 'published'"))


def section_web(root: Path, entries: int, samples: int) -> None:
    import socket
    import threading

    import httpx
    import uvicorn

    from docgen.web.app import create_app
    from docgen.web.users import UserStore

    folder = root / "web"
    init_workspace(folder, demo=True)
    config = folder / "docgen.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[conversion]", "[conversion]\nenabled = false", 1),
                      encoding="utf-8")
    workspace = Workspace(folder.resolve())
    fill_journal(workspace, entries)
    UserStore(workspace.state / "users.json").add("bench", "secretary", "bench-password")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(workspace), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    while not server.started:
        time.sleep(0.05)
    with httpx.Client(base_url=url) as client:
        page = client.get("/login").text
        token = page.split('name="csrf" content="', 1)[1].split('"', 1)[0]
        client.post("/login", data={"csrf": token, "login": "bench", "password": "bench-password", "next": "/"})
        queries = {"filter: year + text": "/journal?year=2024&q=группа 77",
                   "filter: series + type, page 50": "/journal?series=orders&type=pair_order&page=50",
                   "no filter, page 1": "/journal"}
        results = {}
        for label, query in queries.items():
            assert "Журнал регистрации" in client.get(query).text
            results[label] = [timed(lambda q=query: client.get(q))[0] for _ in range(samples)]
    server.should_exit = True
    thread.join(timeout=10)
    cli = [timed(lambda: subprocess.run([sys.executable, "-m", "docgen", "--workspace", str(folder), "register", "list"],
                                        capture_output=True, check=True))[0] for _ in range(samples)]
    print(f"\n### (w) web journal page over {entries:,} entries (median of {samples}, ms)\n")
    row("request", "median", "min", "max")
    row("---", "---", "---", "---")
    for label, times in results.items():
        row(label, f"{statistics.median(times) * 1000:.0f}", f"{min(times) * 1000:.0f}", f"{max(times) * 1000:.0f}")
    row("`docgen register list` (whole process)", f"{statistics.median(cli) * 1000:.0f}", f"{min(cli) * 1000:.0f}",
        f"{max(cli) * 1000:.0f}")


def draw_numbers(db: str, location, worker: int, count: int, barrier) -> None:
    """One process of (n): wait for all, then draw ``count`` numbers, one input file per transaction."""
    from datetime import date

    from docgen.register import NumberRequest, Register

    register = Register(db, location=location)  # the default busy timeout: each database waits in its own way
    request = NumberRequest(doc_index=0, type_id="pair_order", doc_date=date(2026, 9, 1), series="orders",
                            pattern="{n}-од", year_start="01-01", heading="О закреплении", signer="Директор", executor="")
    barrier.wait()
    for i in range(count):
        register.issue(f"{worker:04d}{i:060d}", f"{worker}-{i}.json", [request],
                       lambda req, year, seq: req.pattern.format(n=seq))


def timed_drawing(folder: Path, locations: list, processes: int, total: int) -> float:
    """Seconds for ``processes`` processes to draw ``total`` numbers between them (worker w in the journal
    ``locations[w % len(locations)]``); each journal checked gap-free after."""
    import multiprocessing

    from docgen.register import Register

    context = multiprocessing.get_context("fork")
    db = folder / "register.sqlite"
    for location in locations:
        Register(db, location=location).close()
    barrier = context.Barrier(processes + 1)
    workers = [context.Process(target=draw_numbers, args=(str(db), locations[w % len(locations)], w,
                                                          total // processes, barrier)) for w in range(processes)]
    for worker in workers:
        worker.start()
    barrier.wait()
    began = time.perf_counter()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - began
    assert [w.exitcode for w in workers] == [0] * processes
    for location in locations:
        drawn = sorted(e.sequence for e in Register(db, location=location).entries())
        assert drawn == list(range(1, total // processes * processes // len(locations) + 1)), "a gap or a duplicate"
    return seconds


def section_register(root: Path, total: int) -> None:
    """(n) numbers per second on both backends across 1, 4 and 8 processes (one school; and one school each)."""
    import logging

    logging.getLogger("docgen.register").setLevel(logging.ERROR)  # «занят, повтор» lines are the expected contention
    from docgen.pgcluster import URL_VARIABLE, Cluster, fresh_database
    from docgen.register.db import RegisterLocation

    cluster = None if os.environ.get(URL_VARIABLE) else Cluster.start()
    server = os.environ.get(URL_VARIABLE) or cluster.url
    try:
        database = fresh_database(server)
        results = []
        for backend in ("SQLite", "PostgreSQL", "PostgreSQL, each process its own school"):
            for processes in (1, 4, 8) if backend != "PostgreSQL, each process its own school" else (4, 8):
                folder = root / f"register-{len(results)}"
                folder.mkdir()
                if backend == "SQLite":
                    locations = [RegisterLocation()]
                else:
                    schools = processes if "own school" in backend else 1
                    locations = [RegisterLocation(database, f"bench-{len(results)}-{i}") for i in range(schools)]
                count = total // processes * processes
                results.append((backend, processes, count, timed_drawing(folder, locations, processes, total)))
    finally:
        if cluster is not None:
            cluster.stop()
    print(f"\n### (n) registration numbers per second, one number per transaction ({total} numbers per run)\n")
    row("register", "processes", "numbers", "seconds", "numbers per second", "ms per number")
    row("---", "---", "---", "---", "---", "---")
    for backend, processes, count, seconds in results:
        row(backend, processes, count, f"{seconds:.2f}", f"{count / seconds:.0f}", f"{seconds / count * 1000:.1f}")


def made_remotely(pipeline: Pipeline) -> int:
    from docgen.pdf.remote import RemoteWorker

    return sum(w.converted for w in pipeline.converter.pool.workers if isinstance(w, RemoteWorker))


def remote_batch(root: Path, count: int, workers: int, servers: list[str]) -> tuple[float, int]:
    """Seconds for ``count`` consents in one file, and how many of their PDFs the remote converters made."""
    pipeline = new_pipeline(root, workers=workers, servers=tuple(servers))
    try:
        wait_warm(pipeline)
        pipeline.process(write_input(pipeline.workspace, "first.json", [consent(i, "first") for i in range(4)]))
        before = made_remotely(pipeline)
        seconds, outcome = timed(lambda: pipeline.process(
            write_input(pipeline.workspace, "batch.json", [consent(i, "remote") for i in range(count)])))
        assert outcome.ok and all(d["pdf"] for d in outcome.documents), outcome.message
        return seconds, made_remotely(pipeline) - before
    finally:
        pipeline.close()


def section_remote(root: Path, count: int) -> None:
    from docgen.testing import start_unoserver, stop_unoserver

    servers = [start_unoserver(root / f"unoserver-{i}" / "profile") for i in range(2)]
    try:
        addresses = [f"127.0.0.1:{port}" for _, port in servers]
        local = os.cpu_count() or 1
        runs = [(f"local pool alone ({local} warm LibreOffice)", local, []),
                (f"local pool ({local}) + 2 remote unoserver on loopback", local, addresses),
                ("1 local + 2 remote unoserver on loopback", 1, addresses)]
        results = [(label, *remote_batch(root / f"remote-{i}", count, workers, servers_))
                   for i, (label, workers, servers_) in enumerate(runs)]
    finally:
        for process, _ in servers:
            stop_unoserver(process)
    print(f"\n### (r) {count} one-page consents in one input file: local pool vs remote converters\n")
    row("converters", "seconds", "documents per second",
        "LibreOffice jobs done remotely (a job: up to `combine` documents)")
    row("---", "---:", "---:", "---:")
    for label, seconds, made in results:
        row(label, f"{seconds:.2f}", f"{count / seconds:.1f}", made)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=100, help="consents in the batch (a)")
    parser.add_argument("--samples", type=int, default=20, help="files for the latency median (b)")
    parser.add_argument("--sizes", type=int, nargs=2, default=[1000, 2000], help="pairs in the big orders (c)")
    parser.add_argument("--variants", action="store_true", help="also the python-docx table layout variants in (c)")
    parser.add_argument("--sections", default="abcmdwrn", help="which sections to run, e.g. «ab»")
    parser.add_argument("--memory-documents", type=int, default=1000, help="one-document files in a row (m)")
    parser.add_argument("--entries", type=int, default=10000, help="register entries for the web journal (w)")
    parser.add_argument("--numbers", type=int, default=400, help="numbers drawn per run of the register section (n)")
    args = parser.parse_args(argv)
    if set(args.sections) & set("abcmr") and find_soffice() is None:
        print("LibreOffice (soffice) не найден: установите его (make install) и запустите снова.")
        return 1
    print(f"## docgen benchmark\n\nMachine: {machine()}; load average before the run: "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as tmp:
        root = Path(tmp)
        if "a" in args.sections:
            section_batch(root, args.documents)
        if "b" in args.sections:
            section_latency(root, args.samples)
        if "c" in args.sections:
            section_big(root, sorted(args.sizes), args.variants)
        if "m" in args.sections:
            section_memory(root, args.memory_documents)
        if "d" in args.sections:
            section_parsing(root, args.samples)
        if "w" in args.sections:
            section_web(root, args.entries, args.samples)
        if "r" in args.sections:
            section_remote(root, args.documents)
        if "n" in args.sections:
            section_register(root, args.numbers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
