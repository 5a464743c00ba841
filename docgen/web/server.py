"""Running the web office: uvicorn on the configured address, with the inbox watcher in a thread.

``docgen web`` (and ``docgen watch --web``) serve the pages and, unless
``--no-watch`` is given (another ``docgen watch`` already serves the
inbox), watch the inbox in the same process with the same pipeline. Two
watchers on one inbox are safe: a file is claimed by one of them only.
"""
from __future__ import annotations

import logging
import threading

import uvicorn

from ..inbox import InboxWatcher
from ..pipeline import Pipeline
from ..settings import Workspace
from .app import create_app
from .options import web_options

log = logging.getLogger("docgen.web")


def serve(workspace: Workspace, host: str | None = None, port: int | None = None, watch: bool = True,
          polling: bool | None = None, report=print) -> None:
    pipeline = Pipeline(workspace)
    watcher = None
    thread = None
    try:
        if watch:
            for outcome in pipeline.recover():
                report(outcome)
            if pipeline.converter.enabled:
                pipeline.converter.warm_up()
            watcher = InboxWatcher(workspace.inbox, lambda p: report(pipeline.process(p)), pipeline.settings.inbox,
                                   workspace.failed, polling=polling, suffixes=pipeline.hooks.input_suffixes())
            thread = threading.Thread(target=watcher.run, name="docgen-watch", daemon=True)
            thread.start()
        options = web_options(pipeline.settings.raw)
        app = create_app(workspace, pipeline)
        host = host or options.host
        port = port if port is not None else options.port
        log.info("веб-кабинет: http://%s:%d/ (рабочая папка %s)", host, port, workspace.root)
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    finally:
        if watcher is not None:
            watcher.stop()
            thread.join(timeout=30)
        pipeline.close()
