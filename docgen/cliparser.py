"""The machinery under ``docgen``'s command line: argparse in Russian, global options at any position.

``CommandParser`` is an ``argparse.ArgumentParser`` that says everything in
Russian (usage, section titles, ``-h``, error messages). Every subcommand made
from it, at any depth, through the ordinary ``add_subparsers().add_parser(...)``,
gets the global options (``--workspace``, ``--verbose``) from one parent parser,
so they work before or after the subcommand's name; a value given after the
subcommand is never overwritten by the top level's default (the subcommand's
copies default to ``argparse.SUPPRESS``). A subcommand's ``help`` is also its
description in its own ``--help``. An argument added without a metavar gets a
Russian one (``METAVARS``: ``files`` → ФАЙЛ, else ЗНАЧЕНИЕ).
"""
from __future__ import annotations

import argparse
import difflib
import re
import sys
from typing import NoReturn

GLOBAL_DEFAULTS = {"workspace": None, "verbose": False}
# Russian placeholders for arguments added without a metavar (by dest); any other dest: ЗНАЧЕНИЕ
METAVARS = {
    "file": "ФАЙЛ", "files": "ФАЙЛ", "scan": "ФАЙЛ", "sig": "ФАЙЛ", "pkcs12": "ФАЙЛ", "output": "ПУТЬ",
    "dir": "ПАПКА", "folder": "ПАПКА", "workspace": "ПАПКА", "type": "ТИП", "number": "НОМЕР", "series": "СЕРИЯ",
    "year": "ГОД", "date": "ДАТА", "reason": "ПРИЧИНА", "by": "КТО", "login": "ЛОГИН", "role": "РОЛЬ",
    "host": "АДРЕС", "port": "ПОРТ", "password": "ПАРОЛЬ", "name": "ИМЯ", "count": "ЧИСЛО", "range": "ДИАПАЗОН",
}

# argparse's own English messages (Python 3.11–3.13) and their Russian wording, tried in order
_ERRORS = [
    (r"the following arguments are required: (.*)", r"не указано обязательное: \1"),
    (r"unrecognized arguments: (.*)", r"непонятные аргументы: \1"),
    (r"invalid choice: (.*) \(choose from (.*)\)", r"недопустимое значение \1 (можно: \2)"),
    (r"expected one argument", "после параметра нужно значение"),
    (r"expected at most one argument", "можно указать не больше одного значения"),
    (r"expected at least one argument", "нужно хотя бы одно значение"),
    (r"invalid int value: (.*)", r"\1 — не целое число"),
    (r"invalid float value: (.*)", r"\1 — не число"),
    (r"invalid (\S+) value: (.*)", r"недопустимое значение \2"),
    (r"ambiguous option: (\S+) could match (.*)", r"неоднозначный параметр \1: подходят \2"),
    (r"not allowed with argument (.*)", r"нельзя указывать вместе с \1"),
    (r"one of the arguments (.*) is required", r"нужен один из параметров: \1"),
    (r"ignored explicit argument (.*)", r"лишнее значение \1"),
]


def russian_error(message: str) -> str:
    """argparse's English error message in Russian (unknown ones are left as they are)."""
    match = re.fullmatch(r"argument (.+?): (.*)", message, re.S)
    if match:
        return f"аргумент {match.group(1)}: {russian_error(match.group(2))}"
    for english, russian in _ERRORS:
        if re.fullmatch(english, message, re.S):
            return re.sub(english, russian, message, count=1, flags=re.S) + _suggestion(message)
    return message


def _suggestion(message: str) -> str:
    """«; возможно, вы имели в виду …» for a mistyped choice."""
    match = re.fullmatch(r"invalid choice: '([^']*)' \(choose from (.*)\)", message, re.S)
    if not match:
        return ""
    close = difflib.get_close_matches(match.group(1), re.findall(r"'([^']*)'", match.group(2)), n=1)
    return f"; возможно, вы имели в виду «{close[0]}»" if close else ""


class RussianHelpFormatter(argparse.HelpFormatter):
    """Help with «Использование:» instead of «usage:»."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "Использование: " if prefix is None else prefix)


def global_options() -> argparse.ArgumentParser:
    """The one parent parser of the options every command takes, before or after its name."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--workspace", "-w", metavar="ПАПКА", default=argparse.SUPPRESS,
                        help="рабочая папка (по умолчанию $DOCGEN_WORKSPACE или текущая)")
    parent.add_argument("--verbose", "-v", action="store_true", default=argparse.SUPPRESS,
                        help="подробный журнал")
    return parent


class CommandsAction(argparse._SubParsersAction):
    """``add_subparsers()`` of a ``CommandParser``: each new subcommand gets the global options."""

    def add_parser(self, name, **kwargs):
        summary = kwargs.get("help")
        if summary and summary != argparse.SUPPRESS:
            kwargs.setdefault("description", summary[0].upper() + summary[1:] + ("" if summary.endswith(".") else "."))
        kwargs["parents"] = [*kwargs.get("parents", []), global_options()]
        return super().add_parser(name, **kwargs)


class CommandParser(argparse.ArgumentParser):
    """An ArgumentParser in Russian whose subcommands all take the global options."""

    def __init__(self, *args, add_help: bool = True, **kwargs):
        kwargs.setdefault("formatter_class", RussianHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "аргументы"
        self._optionals.title = "параметры"
        self.register("action", "parsers", CommandsAction)
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="показать эту справку и выйти")

    def add_argument(self, *args, **kwargs):
        """As argparse's, and an argument that takes a value gets a Russian placeholder when it has none."""
        action = super().add_argument(*args, **kwargs)
        if action.metavar is None and action.choices is None and action.nargs != 0:
            action.metavar = METAVARS.get(action.dest, "ЗНАЧЕНИЕ")
        return action

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: ошибка: {russian_error(message)}\n")


def top_parser(**kwargs) -> CommandParser:
    """The ``docgen`` parser itself: global options here too, with their real defaults."""
    parser = CommandParser(parents=[global_options()], **kwargs)
    parser.set_defaults(**GLOBAL_DEFAULTS)
    return parser


def subcommands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """Every subcommand under ``parser`` at any depth, as ``(("register", "list"), subparser)`` pairs."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                if child.prog.split()[-1] != name:
                    continue  # an alias
                yield (*path, name), child
                yield from subcommands(child, (*path, name))
