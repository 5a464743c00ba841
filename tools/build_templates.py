"""Regenerate the built-in templates in doc_templates/ (run: python tools/build_templates.py [TYPE…])."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from templates import letters, orders, roadmap  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUILDERS = {**orders.BUILDERS, **letters.BUILDERS, **roadmap.BUILDERS}


def main(names: list[str]) -> None:
    for name in names or sorted(BUILDERS):
        target = ROOT / "doc_templates" / f"{name}.docx"
        BUILDERS[name]().save(str(target))
        print(f"written {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
