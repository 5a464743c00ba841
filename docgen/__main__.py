"""``python -m docgen``: the same as the ``docgen`` command.

``python -m`` puts the current folder first on ``sys.path``; it is removed so
that no module lying in the current folder can stand in for an installed
plugin (plugins load only from the configured places).
"""
import os
import sys

if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from .cli import main  # noqa: E402

sys.exit(main())
