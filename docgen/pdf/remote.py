"""Remote converters: unoserver instances on other hosts as extra slots of the warm pool.

``[conversion] servers = ["host:port", …]`` adds one ``RemoteWorker`` per
server beside the local warm workers (``pool.Worker``); all of them run
``pool.QueueWorker``'s loop over the pool's one queue, so a batch spreads
over every converter that is free. A remote worker sends the DOCX bytes to unoserver's XML-RPC
``convert`` (API 3, the call ``unoserver.client.UnoClient.convert`` makes) and
writes the PDF bytes it gets back; the request carries a socket deadline of
``[conversion] timeout`` seconds, which ``UnoClient`` has no way to set.

The local pool's rules, applied to a server docgen cannot kill or restart:
a server that does not answer within the deadline (hung) or refuses the
connection (gone) is taken out of rotation for ``WARM_RETRY_AFTER`` seconds
and pinged before it takes documents again; the document it held goes back to
the queue once, so another converter (a local warm LibreOffice or another
server) takes it; if it comes back a second time, this worker converts it
with the cold ``soffice`` fallback itself. A document LibreOffice on the
server could not convert is a failure of that document, as locally.
Metadata (title, author, subject) is written afterwards with pypdf, as after
a cold conversion. ``close()`` cuts a call in progress (its socket is shut
down, even one still connecting), so stopping never waits for a hung server.
"""
from __future__ import annotations

import http.client
import logging
import socket
import threading
import time
import xmlrpc.client
from pathlib import Path

from unoserver.client import API_VERSION

from ..errors import ConversionError
from .pool import STOPPED, WARM_RETRY_AFTER, Converted, HandedBack, Job, QueueWorker, WarmPool

log = logging.getLogger("docgen.conversion")

PING_SECONDS = 5.0
HAND_BACK_LIMIT = 1  # times a document goes back to the queue before a failing server converts it cold


class ServerDown(Exception):
    """The server did not answer in time or could not be reached."""


def parse_server(text: str) -> tuple[str, int]:
    """«host:port» (IPv6 as «[::1]:2003») → (host, port); ValueError with a Russian message otherwise."""
    host, _, port = text.strip().rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"[conversion] servers: «{text}» — ожидается «адрес:порт», например «10.0.0.5:2003»")
    return host, int(port)


class Abort:
    """Cuts a client's connection from any thread, also one still being opened; once cut, it stays cut."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requested = False
        self.sock: socket.socket | None = None

    def attach(self, sock: socket.socket) -> None:
        with self.lock:
            self.sock = sock
            if self.requested:
                shut(sock)

    def cut(self) -> None:
        with self.lock:
            self.requested = True
            if self.sock is not None:
                shut(self.sock)


def shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class GuardedConnection(http.client.HTTPConnection):
    """An HTTP connection whose socket is handed to an ``Abort`` as soon as it exists."""

    def __init__(self, host: str, timeout: float, abort: Abort):
        super().__init__(host, timeout=timeout)
        self.abort = abort

    def connect(self) -> None:
        super().connect()
        self.abort.attach(self.sock)


class DeadlineTransport(xmlrpc.client.Transport):
    """An XML-RPC transport whose socket gives up after ``timeout`` seconds and can be cut by its ``Abort``."""

    def __init__(self, timeout: float, abort: Abort):
        super().__init__()
        self.timeout = timeout
        self.abort = abort

    def make_connection(self, host):
        if self._connection and host == self._connection[0]:
            return self._connection[1]
        chost, self._extra_headers, _ = self.get_host_info(host)
        self._connection = host, GuardedConnection(chost, self.timeout, self.abort)
        return self._connection[1]


class UnoserverClient:
    """One unoserver, spoken to over its XML-RPC API with a deadline on every call."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.switch = Abort()  # close() cuts the call in progress through it

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def call(self, timeout: float, method: str, *args):
        host = f"[{self.host}]" if ":" in self.host else self.host
        transport = DeadlineTransport(timeout, self.switch)
        proxy = xmlrpc.client.ServerProxy(f"http://{host}:{self.port}", transport=transport, allow_none=True)
        try:
            return getattr(proxy, method)(*args)
        except xmlrpc.client.Fault:
            raise
        except (OSError, xmlrpc.client.ProtocolError, http.client.HTTPException) as exc:
            raise ServerDown(f"{type(exc).__name__}: {exc}") from None
        finally:
            proxy("close")()

    def ping(self, timeout: float = PING_SECONDS) -> None:
        info = self.call(timeout, "info")
        if str(info.get("api")) != API_VERSION:
            raise ServerDown(f"unoserver API {info.get('api')}, docgen speaks API {API_VERSION}")

    def convert(self, docx: bytes, pdfa: bool, timeout: float, destinations: bool = False) -> bytes:
        options = ["SelectPdfVersion=2"] if pdfa else []
        if destinations:  # a combined document (docgen.pdfbatch): its bookmarks mark where each one starts
            options.append("ExportBookmarksToPDFDestination=true")
        result = self.call(timeout, "convert", None, xmlrpc.client.Binary(docx), None, "pdf", "writer_pdf_Export",
                           options, True, None, None)
        if result is None:
            raise ServerDown("the server returned no PDF")
        return result.data

    def abort(self) -> None:
        """Cut the call in progress and every later one (the pool is closing)."""
        self.switch.cut()


class RemoteWorker(QueueWorker):
    """Takes jobs from the pool's queue and converts them on one remote unoserver."""

    def __init__(self, pool: "PoolWithServers", index: int, server: str):
        super().__init__(pool, f"docgen-remote-{index}")
        self.client = UnoserverClient(*parse_server(server))
        self.office = None  # no local LibreOffice (WarmPool.office_pids looks for one)
        self.down_since: float | None = None
        self.cold_profile = pool.profiles / f"remote-{index}" / "profile"

    def run(self) -> None:
        self.serve()

    def ready_for_next(self) -> bool:
        return self.wait_until_up()

    def convert(self, job: Job) -> Converted:
        self.refuse_when_closing()
        try:
            pdf = self.client.convert(job.docx.read_bytes(), self.pool.options.pdfa, self.pool.options.timeout,
                                      job.destinations)
        except xmlrpc.client.Fault as fault:
            raise ConversionError(f"LibreOffice на сервере {self.client.address} не смог сделать PDF из этого DOCX "
                                  f"({fault.faultString.strip()[-200:]}).") from None
        except ServerDown as exc:
            if self.pool.closing:  # cut by close(), not the server's fault
                raise ConversionError(STOPPED) from None
            self.mark_down(exc)
            return self.pass_on(job)
        write_pdf(job.pdf, pdf)
        self.converted += 1
        return Converted("remote", metadata_embedded=False)

    def mark_down(self, exc: ServerDown) -> None:
        self.down_since = time.monotonic()
        log.error("сервер преобразования %s не ответил за %g с или недоступен (%s); документы идут другим, "
                  "проверю его снова через %g с", self.client.address, self.pool.options.timeout, exc,
                  WARM_RETRY_AFTER)

    def pass_on(self, job: Job) -> Converted:
        """Give the document back to the queue for another converter, or (the second time) convert it cold here."""
        self.refuse_when_closing()
        if job.handed_back < HAND_BACK_LIMIT:
            job.handed_back += 1
            job.future = ForwardedFuture(job.future)
            self.pool.jobs.put(job)
            raise HandedBack()
        log.info("PDF делается холодным запуском LibreOffice: %s", job.docx.name)
        self.cold_profile.parent.mkdir(parents=True, exist_ok=True)
        self.pool.cold(job, self.cold_profile)
        return Converted("cold", metadata_embedded=False)

    def wait_until_up(self) -> bool:
        """While the server is out of rotation: wait, ping it, and come back when it answers. False: closing."""
        while self.down_since is not None:
            left = WARM_RETRY_AFTER - (time.monotonic() - self.down_since)
            if self.pool.closed.wait(max(0.0, left)):
                return False
            try:
                self.client.ping()
            except (ServerDown, xmlrpc.client.Fault) as exc:
                self.down_since = time.monotonic()
                log.warning("сервер преобразования %s всё ещё недоступен (%s)", self.client.address, exc)
                continue
            self.down_since = None
            log.info("сервер преобразования %s снова отвечает; беру документы", self.client.address)
        return not self.pool.closing

    def interrupt(self) -> None:
        self.client.abort()


class ForwardedFuture:
    """The future of a handed-back job: the next worker completes the original caller's future through it."""

    def __init__(self, original):
        self.original = original

    def set_running_or_notify_cancel(self) -> bool:
        return True  # the original is already running (taken by the worker that handed it back)

    def set_result(self, result) -> None:
        self.original.set_result(result)

    def set_exception(self, exc) -> None:
        self.original.set_exception(exc)

    def done(self) -> bool:
        return self.original.done()


def write_pdf(target: Path, data: bytes) -> None:
    """The PDF the server sent, written where the local converter would have put it."""
    if not data.startswith(b"%PDF"):
        raise ConversionError("Сервер преобразования прислал не PDF.")
    target.write_bytes(data)  # a working file in the state folder; publishing makes the outbox copy durable


class PoolWithServers(WarmPool):
    """The warm pool plus one ``RemoteWorker`` per configured server, all fed from the same queue."""

    def __init__(self, *args, servers: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.servers = tuple(servers)
        self.closed = threading.Event()

    def start(self) -> None:
        super().start()
        with self.lock:
            if self.closing or any(isinstance(w, RemoteWorker) for w in self.workers):
                return
            remote = [RemoteWorker(self, index, server) for index, server in enumerate(self.servers)]
            self.workers.extend(remote)
        for worker in remote:
            worker.start()

    def close(self) -> None:
        self.closed.set()
        super().close()


__all__ = ["PoolWithServers", "RemoteWorker", "UnoserverClient", "parse_server"]
