"""The ``[signing]`` section of ``docgen.toml``.

    [signing]
    trusted_roots = "trusted_roots"   # folder of CA certificates (relative to the workspace or absolute)
    mark_signing_time = true          # print the signing time in the mark
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import DocgenError

KEYS = {"trusted_roots", "mark_signing_time", "check_url", "qr"}


@dataclass(frozen=True)
class SigningOptions:
    trusted_roots: Path | None = None
    mark_signing_time: bool = True
    check_url: str = ""


def signing_options(raw: dict, root: Path) -> SigningOptions:
    section = raw.get("signing", {}) or {}
    unknown = set(section) - KEYS
    if unknown:
        raise DocgenError(f"В docgen.toml, раздел [signing]: неизвестный параметр «{sorted(unknown)[0]}». "
                          f"Допустимы: {', '.join(sorted(KEYS))}.")
    roots = section.get("trusted_roots")
    folder = None
    if roots:
        folder = Path(str(roots)).expanduser()
        folder = folder if folder.is_absolute() else root / folder
    return SigningOptions(trusted_roots=folder, mark_signing_time=bool(section.get("mark_signing_time", True)),
                          check_url=str(section.get("check_url", "")))
