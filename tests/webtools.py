"""Helpers of the web office tests: a workspace with accounts, the real server on a free port, chromium."""
from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

from docgen.register import NumberRequest, Register
from docgen.settings import Workspace
from docgen.web.users import UserStore
from docgen.workspace_init import init_workspace

PASSWORDS = {"sec": "secretary-pass", "dir": "director-pass", "adm": "admin-pass-1", "late": "late-secretary"}
ROLES = {"sec": "secretary", "dir": "director", "adm": "admin", "late": "secretary"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--lang=ru-RU"]


def make_workspace(root: Path, pdf: bool = False, web: str = "") -> Workspace:
    init_workspace(root, demo=True)
    config = root / "docgen.toml"
    text = config.read_text(encoding="utf-8").replace("stability_delay = 1.0", "stability_delay = 0.2")
    if not pdf:
        text = text.replace("[conversion]", "[conversion]\nenabled = false", 1)
    config.write_text(text + web, encoding="utf-8")
    ws = Workspace(root.resolve())
    users = UserStore(ws.state / "users.json")
    for login, role in ROLES.items():
        users.add(login, role, PASSWORDS[login])
    return ws


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebServer:
    """``docgen web`` as a child process on 127.0.0.1 and a free port."""

    def __init__(self, ws: Workspace, extra: list[str] | None = None):
        self.ws = ws
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.log = open(ws.root / "web.log", "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "docgen", "--workspace", str(ws.root), "web", "--port", str(self.port), *(extra or [])],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.ws.root / "web.log").read_text(errors="replace"))
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("web server did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)


def login(page, url: str, user: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("Логин").fill(user)
    page.get_by_label("Пароль").fill(PASSWORDS[user])
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(url + "/")


def fill_register(ws: Workspace, count: int, type_id: str = "pair_order", series: str = "orders",
                  start: date = date(2024, 1, 10)) -> None:
    """``count`` published entries straight in the register (as many inputs of one document each)."""
    register = Register(ws.register)
    for i in range(count):
        request = NumberRequest(doc_index=0, type_id=type_id, doc_date=start, series=series, pattern="{n}-од",
                                year_start="01-01", heading=f"О закреплении наставнических пар (группа {i + 1})",
                                signer="Директор З.А. Сафарова", executor="")
        sha = hashlib.sha256(f"{start}:{type_id}:{i}".encode()).hexdigest()
        entry = register.issue(sha, f"пары {i + 1}.json", [request],
                               lambda req, year, seq: req.pattern.format(n=seq))[0]
        register.mark_published(entry.id, [])
        register.finish_input(sha, "done")
