"""A tiny bridge to one warm LibreOffice: runs under a Python that has ``uno`` (not docgen's venv).

docgen starts this script as ``<uno-python> bridge.py --soffice … --profile …``.
It starts ``soffice.bin`` headless with its own user profile, connects over a
private UNO pipe, then answers one JSON request per line on stdin with one JSON
reply per line on stdout:

    {"op": "convert", "docx": "/abs/in.docx", "pdf": "/abs/out.pdf",
     "title": "…", "author": "…", "subject": "…", "pdfa": false, "destinations": false}
        → {"ok": true} | {"ok": false, "error": "…", "fatal": bool}
    ("destinations": the document's bookmarks become named destinations in the PDF,
    so that docgen can find where each document of a combined one starts.)
    {"op": "quit"} → LibreOffice is closed and the bridge exits

It owns nothing else: no retries, no timeouts (docgen kills the whole process
group when a reply is late). It dies with its parent (PR_SET_PDEATHSIG, and
stdin closing) and takes LibreOffice with it. Standard library and ``uno`` only,
so that any LibreOffice-capable Python can run it.
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

PR_SET_PDEATHSIG = 1
CONNECT_SECONDS = 90.0
OFFICE_NICENESS = 5  # docgen renders the next DOCX first; LibreOffice takes the CPU left
RESTART_REQUESTED = 81  # soffice.bin exits with this after creating a fresh profile; start it again


def die_with_parent(expected_parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies; exit now if it already has."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except OSError:
        return
    if expected_parent and os.getppid() != expected_parent:
        os._exit(3)


def office_binary(soffice: str) -> str:
    """``soffice.bin`` beside the ``soffice`` launcher: no oosplash in between, so one process to kill."""
    real = Path(os.path.realpath(soffice))
    for candidate in (real.with_name("soffice.bin"), real.with_name("soffice.exe")):
        if candidate.is_file() and candidate != real:
            return str(candidate)
    return str(real)


def start_office(soffice: str, profile: Path, pipe_name: str) -> subprocess.Popen:
    args = [
        office_binary(soffice), f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
        "--nofirststartwizard", f"--accept=pipe,name={pipe_name};urp;StarOffice.ComponentContext",
    ]
    parent = os.getpid()
    return subprocess.Popen(
        args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        preexec_fn=lambda: (os.nice(OFFICE_NICENESS), die_with_parent(parent)),
    )


def connect(office: subprocess.Popen, pipe_name: str, restart) -> tuple:
    """``(office, desktop)`` once the office's UNO pipe answers; restarts it when it asks to."""
    import uno
    from com.sun.star.connection import NoConnectException

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        if office.poll() == RESTART_REQUESTED:
            office = restart()
        elif office.returncode is not None:
            raise RuntimeError(f"LibreOffice exited at start-up (code {office.returncode})")
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe_name};urp;StarOffice.ComponentContext")
            return office, context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except NoConnectException:
            if time.monotonic() > deadline:
                raise RuntimeError("LibreOffice did not open its UNO pipe in time") from None
            time.sleep(0.05)


def props(**values) -> tuple:
    from com.sun.star.beans import PropertyValue

    return tuple(PropertyValue(Name=name, Value=value) for name, value in values.items())


def convert(desktop, request: dict) -> None:
    import uno

    source = Path(request["docx"]).resolve().as_uri()
    target = Path(request["pdf"]).resolve().as_uri()
    document = desktop.loadComponentFromURL(source, "_blank", 0, props(Hidden=True, ReadOnly=True, UpdateDocMode=0))
    if document is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        info = document.getDocumentProperties()
        info.Title = request.get("title", "")
        info.Author = request.get("author", "")
        info.Subject = request.get("subject", "")
        filter_data = props(SelectPdfVersion=2) if request.get("pdfa") else ()
        if request.get("destinations"):
            filter_data += props(ExportBookmarksToPDFDestination=True)
        export = props(FilterName="writer_pdf_Export", Overwrite=True)
        export += props(FilterData=uno.Any("[]com.sun.star.beans.PropertyValue", filter_data))
        document.storeToURL(target, export)
    finally:
        try:
            document.close(True)
        except Exception:  # noqa: BLE001 - a document that will not close is disposed with the office
            pass


def reply(payload: dict) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def shut_down(office: subprocess.Popen, desktop) -> None:
    if desktop is not None and office.poll() is None:
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - already gone or disposed: killed below
            pass
    try:
        office.wait(timeout=10)
    except subprocess.TimeoutExpired:
        office.kill()
        office.wait()


def serve(office: subprocess.Popen, desktop) -> None:
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("op") == "quit":
            return
        try:
            convert(desktop, request)
            reply({"ok": True})
        except Exception as exc:  # noqa: BLE001 - every failure is reported to docgen, never swallowed
            fatal = office.poll() is not None or "Disposed" in type(exc).__name__ or "disposed" in str(exc)
            reply({"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500], "fatal": fatal})
            if fatal:
                return


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--soffice", required=True)
    parser.add_argument("--profile", required=True)
    parser.add_argument("--parent", type=int, default=0)
    args = parser.parse_args(argv)
    die_with_parent(args.parent)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    pipe_name = f"docgen-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    def start() -> subprocess.Popen:
        return start_office(args.soffice, Path(args.profile), pipe_name)

    office = start()
    desktop = None
    try:
        office, desktop = connect(office, pipe_name, start)
        reply({"ready": True, "pid": office.pid})
        serve(office, desktop)
    except Exception as exc:  # noqa: BLE001 - start-up failures go to docgen as a reply
        reply({"ready": False, "error": f"{type(exc).__name__}: {exc}"[:500]})
        return 1
    finally:
        shut_down(office, desktop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
