"""Run ``docgen`` and kill it (SIGKILL) right after the first file of a kind got its final name in outbox/.

    KILL_AFTER_NAME=.docx python tests/kill_after_link.py -w WS process FILE

Independent of docgen's own fault points: it watches the system calls that give a file a name
(os.link, os.rename, os.replace), so it places the kill in the window between a file appearing
under its final name and whatever docgen does next (the register recording it), on any version.
"""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def install(suffix: str) -> None:
    for name in ("link", "rename", "replace"):
        original = getattr(os, name)

        def named(src, dst, *args, _original=original, **kwargs):
            result = _original(src, dst, *args, **kwargs)
            target = Path(os.fspath(dst))
            if target.parent.name == "outbox" and target.suffix == suffix and not target.name.startswith("."):
                os.kill(os.getpid(), signal.SIGKILL)
            return result

        setattr(os, name, named)


if __name__ == "__main__":
    install(os.environ["KILL_AFTER_NAME"])
    from docgen.cli import main

    sys.exit(main(sys.argv[1:]))
