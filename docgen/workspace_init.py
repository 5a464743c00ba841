"""``docgen init``: a new workspace with a commented ``docgen.toml``, the inbox folders and examples.

There is one commented template, ``docgen.example.toml`` (the demo school, the
same text as the repository's own ``docgen.toml``). A new workspace gets it with
every value of ``[organization]`` and ``[director]`` (but the position) replaced
by «ЗАПОЛНИТЕ: …» and without ``demo = true``: until the school writes its own
details in, docgen issues nothing (``Settings.require_filled_in``).
``docgen init --demo`` writes the demo school as it is, for trying docgen out.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from .config_schema import CONFIG_SCHEMA
from .plugins import EXAMPLES_DIR
from .settings import CONFIG_NAME, PLACEHOLDER, Workspace

EXAMPLE_CONFIG = Path(__file__).with_name("docgen.example.toml")
PLACEHOLDER_SECTIONS = ("organization", "director")
KEPT_VALUES = {("director", "position")}  # a sensible default the school rarely changes
OPTIONAL_KEYS = {"parent", "inn", "ogrn", "phone", "email", "site"}  # a school may have none
DEMO_NOTE = re.compile(r"^# Ниже — вымышленная.*\n(?:# demo = true.*\n)?demo = true\n", re.M)
NEW_NOTE = ("# Строки «ЗАПОЛНИТЕ: …» замените реквизитами своей школы (ненужное — пустыми кавычками \"\").\n"
            "# Пока они не заполнены, docgen не выдаёт регистрационных номеров и не делает документов.\n")


def placeholder(section: str, key: str) -> str:
    spec = CONFIG_SCHEMA["properties"][section]
    title = spec["properties"].get(key, {}).get("title", key)
    optional = " (или оставьте пустым)" if key in OPTIONAL_KEYS else ""
    return f"{PLACEHOLDER}: {title}{optional}"


def new_school_config(demo_text: str) -> str:
    """The demo configuration with the organisation and the director replaced by placeholders."""
    text, count = DEMO_NOTE.subn(NEW_NOTE, demo_text)
    if count != 1:
        raise RuntimeError("docgen.example.toml: the demo note and «demo = true» are not where init expects them")
    lines, section = [], None
    for line in text.splitlines(keepends=True):
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            section = header.group(1).strip()
        value = re.match(r'(\s*)([A-Za-z_]+)(\s*=\s*)"[^"]*"(\s*)$', line)
        if value and section in PLACEHOLDER_SECTIONS and (section, value.group(2)) not in KEPT_VALUES:
            indent, key, equals, end = value.groups()
            line = f'{indent}{key}{equals}"{placeholder(section, key)}"{end}'
        lines.append(line)
    return "".join(lines)


def init_workspace(target: Path, demo: bool = False) -> list[Path]:
    """Create what is missing; never overwrite an existing file. Return what was created.

    ``demo``: the invented demo school, ready to issue numbers; otherwise placeholders to fill in.
    """
    workspace = Workspace(target.resolve())
    target.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    if not workspace.config.exists():
        template = EXAMPLE_CONFIG.read_text(encoding="utf-8")
        workspace.config.write_text(template if demo else new_school_config(template), encoding="utf-8")
        created.append(workspace.config)
    for folder in (workspace.inbox, workspace.outbox, workspace.processed, workspace.failed, workspace.plugins,
                   workspace.root / "signed"):
        if not folder.exists():
            folder.mkdir(parents=True)
            created.append(folder)
    examples = target / "examples"
    if EXAMPLES_DIR.is_dir() and not examples.exists():
        shutil.copytree(EXAMPLES_DIR, examples, ignore=shutil.ignore_patterns("docgen-region-example", "__pycache__", "__init__.py"))
        created.append(examples)
    return created


__all__ = ["init_workspace", "new_school_config", "CONFIG_NAME"]
