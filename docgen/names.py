"""File names and log text as data, never as control.

Owns: the safe name an input is known by from the moment it is claimed
(undecodable bytes — a name written in Windows-1251 — decoded as a person
would read them; control characters, direction overrides and other invisible
format characters removed; Windows device names such as ``CON`` defused; the
name shortened so that a «(2)», the report suffix or a claim prefix still fit
the file system's 255-byte limit), and escaping of control characters in log
lines, so a newline in a file name can never forge a line of
``.docgen/docgen.log``.
"""
from __future__ import annotations

import logging
import os
import re
import unicodedata

NAME_MAX = 255  # bytes of one file name on Linux file systems (ext4, xfs, btrfs, tmpfs)
RESERVE = 40  # bytes kept free for « (9999)» and « — ОШИБКИ.txt» after an input's name
WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
ESCAPED_RE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def escape_controls(text: str) -> str:
    """Text for one log line: control, line-separator, direction and undecodable characters written as escapes."""
    def escape(match: re.Match) -> str:
        code = ord(match.group())
        if match.group() in "\n\r\t":
            return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}[match.group()]
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return ESCAPED_RE.sub(escape, text) if ESCAPED_RE.search(text) else text


def decoded(name: str) -> str:
    """A name whose bytes were not UTF-8, decoded as Windows-1251 (what Russian Windows writes)."""
    if not re.search("[\ud800-\udfff]", name):
        return name
    raw = os.fsencode(name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1251", errors="replace")


def visible(text: str) -> str:
    """Without control characters (as spaces) and invisible format characters (Unicode category Cf)."""
    result = []
    for character in text:
        category = unicodedata.category(character)
        if category == "Cc" or character in "\u2028\u2029":
            result.append(" ")
        elif category not in ("Cf", "Cs"):
            result.append(character)
    return "".join(result)


def fit_name(name: str, limit: int) -> str:
    """``name`` cut to ``limit`` UTF-8 bytes, keeping its extension, the cut marked with «…»."""
    if len(name.encode("utf-8")) <= limit:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10:
        stem, suffix = name, ""
    tail = ("." + suffix) if suffix else ""
    budget = max(1, limit - len(("…" + tail).encode("utf-8")))
    cut = stem.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip(" .")
    return f"{cut}…{tail}"


def clean_name(name: str, limit: int = NAME_MAX - RESERVE) -> str:
    """The safe name an input is known by: decoded, visible, not a Windows device, short enough."""
    text = " ".join(visible(decoded(name)).split())
    stem, _, suffix = text.partition(".")
    if not stem.strip(" .") and text.strip(" ."):
        text = "файл" + text  # «\u202e.json» would otherwise become the hidden «.json»
    elif not text.strip(" ."):
        text = "файл"
    if stem.upper().rstrip(" ") in WINDOWS_DEVICES:
        text = "_" + text
    return fit_name(text, limit)


class EscapingFormatter(logging.Formatter):
    """A formatter whose messages cannot span lines: control characters in them are escaped."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        record.message = escape_controls(record.message)
        return super().formatMessage(record)
