"""``python -m docgen``: the same as the ``docgen`` command."""
import sys

from .cli import main

sys.exit(main())
