"""``docgen init``: a new workspace with a commented ``docgen.toml``, the inbox folders and examples."""
from __future__ import annotations

import shutil
from pathlib import Path

from .plugins import PROJECT_ROOT
from .settings import CONFIG_NAME, Workspace

EXAMPLE_CONFIG = Path(__file__).with_name("docgen.example.toml")
EXAMPLES_DIR = PROJECT_ROOT / "examples"


def init_workspace(target: Path) -> list[Path]:
    """Create what is missing; never overwrite an existing file. Return what was created."""
    workspace = Workspace(target.resolve())
    target.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    if not workspace.config.exists():
        shutil.copyfile(EXAMPLE_CONFIG, workspace.config)
        created.append(workspace.config)
    for folder in (workspace.inbox, workspace.outbox, workspace.processed, workspace.failed, workspace.plugins,
                   workspace.root / "signed"):
        if not folder.exists():
            folder.mkdir(parents=True)
            created.append(folder)
    examples = target / "examples"
    if EXAMPLES_DIR.is_dir() and not examples.exists():
        shutil.copytree(EXAMPLES_DIR, examples, ignore=shutil.ignore_patterns("docgen-region-example", "__pycache__"))
        created.append(examples)
    return created


__all__ = ["init_workspace", "CONFIG_NAME"]
