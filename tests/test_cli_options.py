"""Global options before or after every subcommand, and ``--help`` of every subcommand in Russian.

The subcommands are enumerated from the parser itself, so a subcommand added
later is covered without touching this file.
"""
from __future__ import annotations

import argparse
import re

import pytest

from helpers import EXAMPLES, MONITORING_PLUGIN, run_docgen
from docgen.cli import build_parser
from docgen.cliparser import subcommands

PARSER = build_parser()
COMMANDS = dict(subcommands(PARSER))
IDS = [" ".join(path) for path in COMMANDS]
ENGLISH = ("usage:", "positional arguments", "options:", "optional arguments", "show this help", "show program")


def required_arguments(parser: argparse.ArgumentParser) -> list[str]:
    """The least a subcommand needs to parse: a value for each required positional and option."""
    values: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
            continue
        value = str(next(iter(action.choices))) if action.choices else "1"
        if not action.option_strings and action.nargs not in ("?", "*"):
            values.append(value)
        elif action.option_strings and action.required:
            values += [action.option_strings[0], value]
    return values


def command_line(path: tuple[str, ...]) -> list[str]:
    """The subcommand with its required arguments at each level (``register list`` → register list)."""
    args: list[str] = []
    parser: argparse.ArgumentParser = PARSER
    for name in path:
        args.append(name)
        parser = COMMANDS[path[: len(args)]]
    # leaves only: a subcommand that itself has subcommands is completed by its first child elsewhere
    return args + required_arguments(parser)


LEAVES = [path for path, parser in COMMANDS.items()
          if not any(isinstance(a, argparse._SubParsersAction) for a in parser._actions)]


def test_the_parser_has_the_documented_subcommands():
    names = {path[0] for path in COMMANDS}
    assert {"init", "watch", "process", "validate", "types", "schema", "blank", "plugins", "register"} <= names


@pytest.mark.parametrize("path", LEAVES, ids=[" ".join(p) for p in LEAVES])
@pytest.mark.parametrize("position", ["before", "after"])
def test_global_options_work_before_and_after_every_subcommand(path, position, tmp_path):
    line = command_line(path)
    options = ["--workspace", str(tmp_path), "--verbose"]
    args = PARSER.parse_args(options + line if position == "before" else line + options)
    assert args.workspace == str(tmp_path) and args.verbose is True
    assert PARSER.parse_args(line).workspace is None  # the default when none is given


@pytest.mark.parametrize("path", LEAVES, ids=[" ".join(p) for p in LEAVES])
def test_the_value_after_the_subcommand_wins_over_the_one_before(path, tmp_path):
    args = PARSER.parse_args(["-w", "before"] + command_line(path) + ["-w", str(tmp_path)])
    assert args.workspace == str(tmp_path)


@pytest.mark.parametrize("path", [()] + list(COMMANDS), ids=["docgen"] + IDS)
def test_help_of_every_command_is_russian(path):
    parser = COMMANDS.get(path, PARSER)
    text = parser.format_help()
    assert not [word for word in ENGLISH if word in text], text
    assert parser.description and re.search("[а-яё]", parser.description)
    for action in parser._actions:
        if action.help == argparse.SUPPRESS or isinstance(action, argparse._SubParsersAction):
            continue
        assert action.help and re.search("[а-яё]", action.help, re.I), f"{action.dest}: no Russian help"
        takes_value = not action.option_strings or action.nargs != 0
        if takes_value and action.choices is None:  # a list of choices shows the words to type
            assert action.metavar and re.fullmatch("[А-ЯЁ]+", action.metavar), f"{action.dest}: metavar {action.metavar!r}"


def test_argparse_errors_are_russian_and_suggest_the_command():
    result = run_docgen("procss")
    assert result.returncode == 2
    assert "ошибка" in result.stderr and "возможно, вы имели в виду «process»" in result.stderr
    assert "error" not in result.stderr and "usage" not in result.stderr
    missing = run_docgen("process")
    assert "не указано обязательное: ФАЙЛ" in missing.stderr, missing.stderr


@pytest.mark.slow
def test_workspace_after_the_subcommand_reaches_the_command(tmp_path):
    assert run_docgen("init", "--demo", str(tmp_path)).returncode == 0
    (tmp_path / "plugins" / "monitoring.py").write_text(MONITORING_PLUGIN, encoding="utf-8")
    for args in (("types", "--workspace", str(tmp_path)), ("--workspace", str(tmp_path), "types")):
        result = run_docgen(*args)
        assert result.returncode == 0, result.stderr
        assert "[workspace:monitoring]" in result.stdout
    result = run_docgen("validate", str(EXAMPLES / "pair_order.json"), "-w", str(tmp_path))
    assert result.returncode == 0 and "Верно" in result.stdout, result.stdout + result.stderr
    assert run_docgen("register", "list", "-w", str(tmp_path)).returncode == 0


def test_an_argument_added_without_a_metavar_gets_a_russian_one():
    from docgen.cliparser import top_parser

    parser = top_parser(prog="docgen", description="проба")
    sub = parser.add_subparsers(dest="command", metavar="КОМАНДА", help="команды")
    command = sub.add_parser("later", help="команда, которую добавят позже")
    command.add_argument("files", nargs="+", help="файлы")
    command.add_argument("--frobnicate", help="что-то ещё")
    command.add_argument("--role", choices=["secretary", "director"], help="роль")
    text = command.format_help()
    assert "ФАЙЛ [ФАЙЛ ...]" in text and "--frobnicate ЗНАЧЕНИЕ" in text and "{secretary,director}" in text
    args = parser.parse_args(["later", "a.json", "--workspace", "/srv/school"])
    assert args.workspace == "/srv/school"
