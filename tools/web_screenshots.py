"""Screenshots of the web office for docs/web.md (run: ``.venv/bin/python tools/web_screenshots.py docs/web``).

A throw-away demo workspace (PDFs off, for speed) gets the example inputs and a
broken file; each page is then shot in chromium as the secretary, the
director and the admin see it.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from docgen.pipeline import Pipeline  # noqa: E402
from tests.webtools import WebServer, launch_chromium, login, make_workspace  # noqa: E402

EXAMPLES = ("pair_order.json", "reward_order.json", "thank_you_letter.json", "consent.json")


def main(target: str = "docs/web") -> int:
    out = Path(target)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        ws = make_workspace(Path(tmp) / "school")
        pipeline = Pipeline(ws)
        for name in EXAMPLES:
            shutil.copy(ROOT / "examples" / name, ws.inbox / name)
            pipeline.process(ws.inbox / name)
        (ws.inbox / "пары 7Б.json").write_text('{"type": "pair_order", "date": "2024-09-02", "pairs": []}', encoding="utf-8")
        pipeline.process(ws.inbox / "пары 7Б.json")
        pipeline.close()
        server = WebServer(ws, ["--no-watch"])
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                for user, pages in (("sec", ("/", "/journal", "/upload", "/fill/pair_order")),
                                    ("dir", ("/sign", "/entry/1")), ("adm", ("/users",))):
                    context = browser.new_context(locale="ru-RU", viewport={"width": 1200, "height": 800})
                    page = context.new_page()
                    if user == "sec":
                        page.goto(server.url + "/login")
                        page.screenshot(path=str(out / "login.png"))
                    login(page, server.url, user)
                    for path in pages:
                        page.goto(server.url + path)
                        time.sleep(0.3)
                        name = {"/": "summary"}.get(path, path.strip("/").replace("/", "-"))
                        page.screenshot(path=str(out / f"{name}.png"), full_page=path != "/fill/pair_order")
                    context.close()
                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
