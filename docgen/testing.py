"""A pytest plugin for docgen and its plugin authors: a temporary workspace, a plugin manager, helpers.

Loaded automatically (entry point ``pytest11``) wherever docgen is installed.
Fixtures: ``docgen_workspace`` (a fresh workspace from ``docgen init --demo``:
the invented demo school, so numbers are issued),
``docgen_hooks`` (the plugin manager of that workspace: built-ins, installed
plugins, the workspace's ``plugins/``), ``docgen_pipeline`` (processes files
with those hooks), ``docgen_docx_pipeline`` (the same, DOCX only: PDFs are
switched off in ``docgen.toml`` and starting LibreOffice fails the test),
``docgen_register_plugin`` (adds a plugin object above all
others, e.g. your module when it is not installed), ``docgen_process`` (drops
a JSON payload into the inbox and processes it).
Helpers: ``docx_text``, ``pdf_text``, ``pdf_pages`` read what a document says;
``drop_input`` writes an input into a workspace's inbox; ``disable_conversion``
switches PDFs off in a workspace's ``docgen.toml``.
Ini option ``docgen_entry_points`` (default true): false keeps installed
plugins out of ``docgen_hooks`` (docgen's own suite uses it, so a regional
plugin installed in the same environment cannot change its results).
Ini option ``docgen_guard_libreoffice`` (default false): true fails every test
not marked ``libreoffice`` that starts LibreOffice in the test process (warm
or cold), so the fast tier (``-m "not libreoffice"``) truly needs none.
Tests marked ``libreoffice`` are skipped without LibreOffice, except when
``CI=true``: there they fail, so a PDF test can never silently skip in CI.
``@pytest.mark.libreoffice("calc")`` also needs LibreOffice Calc (spreadsheets).
``require_soffice(*components)`` and ``require_command(name, package)`` do the
same check inside a test; ``soffice_convert`` runs ``soffice --convert-to`` and
fails unless the converted file really exists (soffice exits 0 when it could
not load the source). Every such failure names the Debian package to install.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from .pdf.converter import find_soffice
from .errors import ConversionError


def docx_text(path: Path) -> str:
    """All text of a DOCX (body, tables, headers), paragraphs joined by newlines."""
    import re

    with zipfile.ZipFile(path) as archive:
        parts = [n for n in archive.namelist() if re.match(r"word/(document|header\d*|footer\d*)\.xml$", n)]
        xml = "\n".join(archive.read(n).decode("utf-8") for n in sorted(parts))
    xml = re.sub(r"</w:p>", "\n", xml)
    xml = re.sub(r"<w:tab/>", "\t", xml)
    text = re.sub(r"<[^>]+>", "", xml)
    import html

    return html.unescape(text)


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def drop_input(workspace, name: str, payload: Any) -> Path:
    """Write an input into the workspace's inbox: JSON for a dict or list, else text or bytes as given."""
    path = workspace.inbox / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(payload, bytes):
        path.write_bytes(payload)
    elif isinstance(payload, str):
        path.write_text(payload, encoding="utf-8")
    else:
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def disable_conversion(workspace) -> None:
    """Switch PDFs off in the workspace's ``docgen.toml`` (``[conversion] enabled = false``): DOCX only."""
    text = workspace.config.read_text(encoding="utf-8")
    if "[conversion]\n" not in text:
        text += "\n[conversion]\n"
    workspace.config.write_text(text.replace("[conversion]\n", "[conversion]\nenabled = false\n", 1), encoding="utf-8")


@contextlib.contextmanager
def libreoffice_forbidden(started: list[str]):
    """In the block every start of LibreOffice (warm bridge, cold soffice run) is refused and noted in ``started``."""
    from .pdf import converter as conversion, pool as lopool

    def refuse(what: str, error: type[Exception]):
        def start(*args, **kwargs):
            started.append(what)
            raise error(f"LibreOffice started ({what}) in a test that needs none")  # the error docgen handles there
        return start

    saved = lopool.Office, conversion.run_soffice
    lopool.Office = refuse("warm bridge", lopool.OfficeDied)
    conversion.run_soffice = refuse("cold soffice", ConversionError)
    try:
        yield started
    finally:
        lopool.Office, conversion.run_soffice = saved


# LibreOffice components by the library each installs beside soffice, and the Debian package that provides it
SOFFICE_COMPONENTS = {
    "writer": ("libswlo.so", "libreoffice-writer-nogui"),
    "calc": ("libsclo.so", "libreoffice-calc-nogui"),
}


def missing_tool(reason: str) -> None:
    """Fail (``CI=true``) or skip the running test because a system tool is missing; ``reason`` names the package."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (required in CI: CI=true)", pytrace=False)
    pytest.skip(reason)


def require_command(name: str, package: str) -> str:
    """The path of command ``name``, or fail/skip the test naming the Debian ``package`` that provides it."""
    found = shutil.which(name)
    if found is None:
        missing_tool(f"{name} is not installed: apt-get install {package} (or run tools/install_system.sh)")
    return found


def require_soffice(*components: str) -> str:
    """The path of soffice with the given LibreOffice ``components`` (``writer`` always), or fail/skip the test.

    A component counts as present when its library lies beside soffice (the
    ``-nogui`` and the full packages install the same one).
    """
    soffice = find_soffice()
    if soffice is None:
        missing_tool("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui "
                     "(or run tools/install_system.sh)")
    program = Path(os.path.realpath(soffice)).parent
    for component in dict.fromkeys(("writer", *components)):
        library, package = SOFFICE_COMPONENTS[component]
        if not (program / library).exists():
            missing_tool(f"LibreOffice {component.capitalize()} is not installed ({program / library} is missing): "
                         f"apt-get install {package} (or run tools/install_system.sh)")
    return soffice


def soffice_convert(source: Path, target_format: str, outdir: Path, *components: str, timeout: float = 180) -> Path:
    """Convert ``source`` with ``soffice --convert-to``; return the new file or fail saying why.

    soffice exits 0 even when it cannot load the source (e.g. a spreadsheet
    without Calc), so the result is checked by the file it should have made.
    """
    soffice = require_soffice(*components)
    profile = outdir / ".soffice-profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
         "--convert-to", target_format, "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=timeout,
    )
    target = outdir / f"{Path(source).stem}.{target_format.split(':', 1)[0]}"
    if result.returncode != 0 or not target.exists():
        pytest.fail(f"soffice --convert-to {target_format} made no {target.name} (exit {result.returncode}): "
                    f"{(result.stdout + result.stderr).strip()[-500:]}", pytrace=False)
    return target


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_unoserver(profile: Path, port: int | None = None, timeout: float = 120) -> tuple[subprocess.Popen, int]:
    """An unoserver on loopback with its own LibreOffice profile, answering; returns (process, port).

    The server runs under a Python that has ``uno`` (Debian's ``python3-uno``)
    with this environment's ``unoserver`` package on its path, in its own
    process group (``os.killpg`` stops or kills it with its LibreOffice).
    """
    import unoserver

    from .pdf.converter import find_uno_python
    from .pdf.remote import UnoserverClient, ServerDown

    soffice = require_soffice()
    python = find_uno_python("", soffice)
    if python is None:
        missing_tool("no Python with the uno module: apt-get install python3-uno (or run tools/install_system.sh)")
    port = port or free_port()
    site = str(Path(unoserver.__file__).resolve().parent.parent)
    code = f"import sys; sys.path.append({site!r}); from unoserver.server import main; sys.exit(main())"
    profile.mkdir(parents=True, exist_ok=True)
    log = open(profile.parent / f"unoserver-{port}.log", "ab")
    process = subprocess.Popen(
        [python, "-c", code, "--interface", "127.0.0.1", "--port", str(port), "--uno-port", str(free_port()),
         "--executable", soffice, "--user-installation", str(profile.resolve())],
        stdout=log, stderr=log, start_new_session=True)
    log.close()
    client, deadline = UnoserverClient("127.0.0.1", port), time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            client.ping(2.0)
            return process, port
        except ServerDown:
            time.sleep(0.3)
    stop_unoserver(process)
    pytest.fail(f"unoserver on port {port} did not answer in {timeout:g} s (exit code {process.returncode}; log: {profile.parent}/unoserver-{port}.log)")


def stop_unoserver(process: subprocess.Popen) -> None:
    """Kill an unoserver started by ``start_unoserver`` with its LibreOffice (also when it is stopped)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


def pytest_addoption(parser) -> None:
    parser.addini("docgen_entry_points", "load installed docgen plugins (entry points) in docgen_hooks",
                  type="bool", default=True)
    parser.addini("docgen_guard_libreoffice", "fail tests not marked libreoffice that start LibreOffice",
                  type="bool", default=False)


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "libreoffice(*components): needs LibreOffice Writer and the named components "
                                       "(\"calc\"); never skipped when CI=true")
    config.addinivalue_line("markers", "postgresql: needs a PostgreSQL server (docgen_pg_server marks its users); "
                                       "never skipped when CI=true")


def pytest_collection_modifyitems(items) -> None:
    """Mark every test that uses ``docgen_pg_server`` (directly or through another fixture) ``postgresql``."""
    for item in items:
        if "docgen_pg_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgresql)


def pytest_runtest_setup(item) -> None:
    marker = item.get_closest_marker("libreoffice")
    if marker is not None:
        require_soffice(*marker.args)


@pytest.fixture(autouse=True)
def _docgen_libreoffice_guard(request):
    """With ``docgen_guard_libreoffice = true``: a test not marked ``libreoffice`` fails if it starts LibreOffice."""
    if not request.config.getini("docgen_guard_libreoffice") or request.node.get_closest_marker("libreoffice"):
        yield
        return
    with libreoffice_forbidden([]) as started:
        yield
    if started:
        pytest.fail(f"this test started LibreOffice ({', '.join(dict.fromkeys(started))}) but is not marked "
                    "@pytest.mark.libreoffice: mark it, or use docgen_docx_pipeline / disable_conversion",
                    pytrace=False)


@pytest.fixture
def docgen_workspace(tmp_path: Path):
    from .settings import Workspace
    from .workspace_init import init_workspace

    root = tmp_path / "ws"
    init_workspace(root, demo=True)
    return Workspace(root)


@pytest.fixture
def docgen_hooks(docgen_workspace, request):
    from .plugins import get_plugin_manager

    return get_plugin_manager(docgen_workspace.plugins, entry_points=request.config.getini("docgen_entry_points"))


@pytest.fixture
def docgen_register_plugin(docgen_hooks):
    """``register(plugin, name=None)``: add a plugin object to ``docgen_hooks`` above all others.

    A plugin already loaded (e.g. through its entry point) is not added twice.
    A plugin docgen refuses (a misspelt hook, an exception while registering)
    fails the test with docgen's reason.
    """

    def register(plugin: object, name: str | None = None):
        for info in docgen_hooks.infos:
            if info.plugin is plugin:
                return info
        info = docgen_hooks.add_plugin(plugin, name)
        if info.error:
            pytest.fail(f"docgen refused plugin {info.name}: {info.error}", pytrace=False)
        return info

    return register


@pytest.fixture
def docgen_pipeline(docgen_workspace, docgen_hooks):
    from .pipeline import Pipeline

    pipeline = Pipeline(docgen_workspace, hooks=docgen_hooks)
    yield pipeline
    pipeline.close()


@pytest.fixture
def docgen_docx_pipeline(docgen_workspace, docgen_hooks):
    """A pipeline that makes DOCX files only: PDFs are off in ``docgen.toml``; starting LibreOffice fails the test."""
    from .pipeline import Pipeline

    disable_conversion(docgen_workspace)
    with libreoffice_forbidden([]) as started:
        pipeline = Pipeline(docgen_workspace, hooks=docgen_hooks)
        try:
            yield pipeline
        finally:
            pipeline.close()
    if started:
        pytest.fail(f"LibreOffice started under docgen_docx_pipeline ({', '.join(started)})", pytrace=False)


@pytest.fixture
def docgen_process(docgen_workspace, docgen_pipeline):
    """``process(payload, name="input.json")``: drop an input into the inbox and process it; returns the Outcome."""

    def process(payload: Any, name: str = "input.json"):
        return docgen_pipeline.process(drop_input(docgen_workspace, name, payload))

    return process


# --- PostgreSQL for the register's tests -------------------------------------------------------

@pytest.fixture(scope="session")
def docgen_pg_server():
    """A superuser url of a PostgreSQL server: ``$DOCGEN_TEST_PG_URL``, or a throwaway cluster for the session.

    Without PostgreSQL the test fails with ``CI=true`` (naming the Debian package ``postgresql``), else skips."""
    from .pgcluster import URL_VARIABLE

    if os.environ.get(URL_VARIABLE):
        yield os.environ[URL_VARIABLE]
        return
    cluster = start_test_cluster()
    try:
        yield cluster.url
    finally:
        cluster.stop()


def start_test_cluster():
    """A throwaway PostgreSQL cluster, or fail (``CI=true``) / skip naming the Debian package ``postgresql``."""
    from .pgcluster import Cluster, PostgresMissing

    try:
        return Cluster.start()
    except PostgresMissing as exc:
        missing_tool(f"{exc} (or run tools/install_system.sh)")


@pytest.fixture
def docgen_pg_url(docgen_pg_server):
    """A fresh, empty database for one test (dropped afterwards)."""
    from .pgcluster import drop_database, fresh_database

    url = fresh_database(docgen_pg_server)
    yield url
    drop_database(docgen_pg_server, url)


def use_register(workspace, url: str, school: str = "") -> None:
    """Point a workspace's docgen.toml at a PostgreSQL register (``[register] url``, ``school``)."""
    lines = [f"\n[register]\nurl = {json.dumps(url)}\n"] + ([f"school = {json.dumps(school)}\n"] if school else [])
    with open(workspace.config, "a", encoding="utf-8") as handle:
        handle.write("".join(lines))
