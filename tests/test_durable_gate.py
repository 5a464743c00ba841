"""Every durable operation passes through ``faults.durable`` (issue 22, point 1).

``docgen process`` runs in a fresh process under tests/gatekeeper.py, which wraps os.rename,
os.replace, os.link, os.unlink, shutil.move, os.fsync, write-opens and every SQL write of the
register, and records each call made outside the gate. The runs cover every built-in type (one
file with several documents of each, one with a single document), a bad file, the same bytes
twice, a document found in outbox/ that the register does not know, and a kill -9 at a fault
point followed by recovery. The gate test itself is checked: a rename, a write-open and a
register write done outside the gate are each reported.
"""
from __future__ import annotations

import os
import signal
from datetime import date
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import drop, load_example
from docgen.faults import FAULT_TRACE, durable
from docgen.register import Register
from docgen.settings import Workspace
from docgen.workspace_init import init_workspace
from docgen.testing import disable_conversion
from gatekeeper import install
from invariants import assert_nothing_lost

ROOT = Path(__file__).resolve().parent.parent
GATEKEEPER = Path(__file__).resolve().parent / "gatekeeper.py"
BUILT_IN_EXAMPLES = ("pair_order.json", "reward_order.json", "consent.json", "thank_you_letter.json", "roadmap.json")
# points every scenario below must pass (so the gate watched real work, not an empty run)
EXPECTED_POINTS = {"input.claim", "register.issue", "register.reserve_output", "publish.docx.fsync", "publish.docx.link",
                   "publish.docx.fsync_dir", "register.mark_published", "input.to_processed", "register.finish_input",
                   "report.write", "input.to_failed", "outbox.set_aside"}


def documents_of(example: str) -> list[dict]:
    data = load_example(example)
    return data if isinstance(data, list) else [data]


def every_built_in_type() -> list[dict]:
    return [doc for example in BUILT_IN_EXAMPLES for doc in documents_of(example)]


def new_workspace(root: Path, conversion: bool) -> Workspace:
    ws = Workspace(root)
    init_workspace(ws.root, demo=True)
    if not conversion:
        disable_conversion(ws)
    return ws


def gated(ws: Workspace, files: list[Path], violations: Path, trace: Path, fault_at: str | None = None,
          command: tuple[str, ...] = ("process",)):
    """``docgen process`` (or another command) under the gatekeeper (recovery first, then the files)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCGEN_PAUSE", "DOCGEN_FAULT"))}
    env.update(DOCGEN_GATE_ROOT=str(ws.root), DOCGEN_GATE_LOG=str(violations), DOCGEN_FAULT_TRACE=str(trace))
    if fault_at:
        env["DOCGEN_FAULT_AT"] = fault_at
    line = [sys.executable, str(GATEKEEPER), "-w", str(ws.root), *command, *map(str, files)]
    return subprocess.run(line, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def points_in(trace: Path) -> set[str]:
    return {line.rsplit("#", 1)[0] for line in trace.read_text(encoding="utf-8").split()}


def run_every_kind_of_work(ws: Workspace, tmp_path: Path) -> tuple[Path, Path, list[str]]:
    violations, trace = tmp_path / "violations.txt", tmp_path / "trace.txt"
    violations.touch()
    stray = ws.outbox / "2020-01-01 Приказ № 99-од Не из журнала.docx"
    stray.write_bytes(b"PK not really")
    names = ["Все типы.json", "Одно письмо.json", "Сломанный.json"]
    drop(ws, names[0], every_built_in_type())
    drop(ws, names[1], documents_of("thank_you_letter.json")[:1])
    (ws.inbox / names[2]).write_text("{ это не JSON", encoding="utf-8")
    first = gated(ws, [ws.inbox / n for n in names], violations, trace)
    assert first.returncode == 1, first.stdout + first.stderr  # the broken file fails, the others go through
    assert "Готово: Все типы.json" in first.stdout and "Готово: Одно письмо.json" in first.stdout

    (ws.inbox / "Копия письма.json").write_bytes((ws.processed / names[1]).read_bytes())
    names.append("Копия письма.json")
    assert "уже был обработан" in gated(ws, [ws.inbox / names[-1]], violations, trace).stdout

    names.append("Письма.json")
    drop(ws, names[-1], documents_of("thank_you_letter.json"))
    killed = gated(ws, [ws.inbox / names[-1]], violations, trace, fault_at="publish.docx.link#2")
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    restarted = gated(ws, [ws.inbox / names[-1]], violations, trace)  # run again, as the secretary would
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr

    voided = gated(ws, [], violations, trace, command=("register", "void", "1-од", "--year", "2023", "--reason", "издан ошибочно"))
    assert voided.returncode == 0, voided.stdout + voided.stderr
    assert gated(ws, [ws.inbox / names[-1]], violations, trace).returncode == 0  # a start after it: recovery

    # the same order again with its own number given: refused as a taken number, or (issue 13) a correction
    issued = next(e for e in Register(ws.register).entries() if e.status == "published" and e.type_id == "reward_order")
    corrected = documents_of("reward_order.json")[0] | {"number": issued.number}
    names.append("Исправленный приказ.json")
    drop(ws, names[-1], corrected)
    assert gated(ws, [ws.inbox / names[-1]], violations, trace).returncode in (0, 1)
    return violations, trace, names


@pytest.mark.slow
def test_every_durable_operation_of_every_built_in_type_passes_the_gate(tmp_path):
    ws = new_workspace(tmp_path / "ws", conversion=False)
    violations, trace, names = run_every_kind_of_work(ws, tmp_path)
    assert violations.read_text(encoding="utf-8") == "", "durable operations outside faults.durable"
    assert EXPECTED_POINTS <= points_in(trace), EXPECTED_POINTS - points_in(trace)
    assert_nothing_lost(ws, names)
    assert (ws.outbox / "Вне журнала" / "2020-01-01 Приказ № 99-од Не из журнала.docx").is_file()


@pytest.mark.libreoffice
def test_pdfs_and_print_packs_pass_the_gate_too(tmp_path):
    ws = new_workspace(tmp_path / "ws", conversion=True)
    violations, trace = tmp_path / "violations.txt", tmp_path / "trace.txt"
    violations.touch()
    drop(ws, "Письма.json", documents_of("thank_you_letter.json")[:2])
    result = gated(ws, [ws.inbox / "Письма.json"], violations, trace)
    assert result.returncode == 0, result.stdout + result.stderr
    assert violations.read_text(encoding="utf-8") == ""
    assert len(list(ws.outbox.glob("*.pdf"))) == 3  # two letters and their print pack
    trace_points = trace.read_text(encoding="utf-8").split()
    assert "register.reserve_output#5" in trace_points  # 2 DOCX, 2 PDF, the pack
    assert {"publish.pdf.link#2", "publish.pack.link#1", "publish.pack.fsync_dir#1"} <= set(trace_points)
    assert_nothing_lost(ws, ["Письма.json"])


@pytest.fixture
def gate(tmp_path):
    root = tmp_path / "ws"
    (root / "outbox").mkdir(parents=True)
    log = tmp_path / "violations.txt"
    log.touch()
    uninstall = install(root, log)
    yield root, log
    uninstall()


def test_the_gate_reports_a_rename_into_the_outbox_made_outside_durable(gate):
    root, log = gate
    source = root.parent / "a.docx"
    source.write_bytes(b"x")
    with durable("test.rename"):
        os.rename(source, root / "outbox" / "inside.docx")
    assert log.read_text(encoding="utf-8") == ""
    (root.parent / "b.docx").write_bytes(b"x")
    os.rename(root.parent / "b.docx", root / "outbox" / "outside.docx")
    assert "os.rename" in log.read_text(encoding="utf-8") and "outside.docx" in log.read_text(encoding="utf-8")


def test_the_gate_reports_a_direct_write_and_a_removal_of_a_final_name(gate):
    root, log = gate
    (root / "outbox" / "письмо.pdf").write_bytes(b"%PDF")
    (root / "outbox" / ".docgen-tmp-1@h-x.pdf").write_bytes(b"%PDF")  # temporary names are free
    text = log.read_text(encoding="utf-8")
    assert "письмо.pdf" in text and ".docgen-tmp-" not in text
    (root / "outbox" / "письмо.pdf").unlink()
    assert "os.unlink" in log.read_text(encoding="utf-8")


def test_the_gate_reports_a_register_write_outside_durable(gate):
    root, log = gate
    conn = sqlite3.connect(root / "register.sqlite", isolation_level=None)
    with durable("test.schema"):
        conn.execute("CREATE TABLE t (x)")
    assert log.read_text(encoding="utf-8") == ""
    conn.execute("INSERT INTO t VALUES (1)")
    conn.close()
    assert "sql INSERT INTO t" in log.read_text(encoding="utf-8")


def test_web_uploads_and_signed_scans_pass_the_gate(tmp_path):
    """The web office's own durable steps: a file put into the inbox, a scan kept beside the documents."""
    from docgen.pipeline import Pipeline
    from docgen.plugins import get_plugin_manager
    from docgen.web.signing import Signatures
    from docgen.web.uploads import Uploads

    ws = new_workspace(tmp_path / "ws", conversion=False)
    pipeline = Pipeline(ws, hooks=get_plugin_manager(ws.plugins, entry_points=False))
    try:
        entry = pipeline.register.entries()[0] if pipeline.process(
            drop(ws, "Приказ.json", load_example("pair_order.json"))).documents else None
        violations, trace = tmp_path / "violations.txt", tmp_path / "trace.txt"
        violations.touch()
        os.environ[FAULT_TRACE] = str(trace)
        uninstall = install(ws.root, violations)
        try:
            Uploads(ws, pipeline.register, 1 << 20).put("Письма.json", b"[]", "secretary")
            Signatures(pipeline.register, ws.state).sign_with_scan(
                entry, date.fromisoformat(entry.doc_date), "Сафарова З.А.", b"\x89PNG\r\n\x1a\n" + b"0" * 64,
                1 << 20, ws.outbox, ws.state)
        finally:
            uninstall()
            del os.environ[FAULT_TRACE]
    finally:
        pipeline.close()
    assert violations.read_text(encoding="utf-8") == ""
    assert {"upload.link", "upload.fsync_dir", "register.mark_signed"} <= points_in(trace), points_in(trace)
    assert (ws.inbox / "Письма.json").read_bytes() == b"[]"
    kept = [p for p in (ws.outbox / "Подписанные").iterdir()]
    assert [p.suffix for p in kept] == [".png"] and kept[0].read_bytes().startswith(b"\x89PNG")
