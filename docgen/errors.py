"""Errors of docgen: one base class and small subclasses that carry where the problem is.

Every error knows how to say itself in Russian for the secretary (``russian()``);
the CLI alone turns errors into exit codes.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class DocgenError(Exception):
    """Base of every error docgen raises on purpose; ``str()`` is the Russian text."""

    def russian(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Problem:
    """One thing to fix in an input: where it is and what is wrong, in Russian."""

    where: str
    message: str

    def __post_init__(self) -> None:
        # a sheet name, a header or a value quoted here comes from the file: its line breaks, control and
        # direction characters would forge lines or reorder text in a report, the CLI or the web page
        from .names import visible

        object.__setattr__(self, "where", visible(str(self.where)))
        object.__setattr__(self, "message", visible(str(self.message)))

    def russian(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InputError(DocgenError):
    """An input file cannot be used; carries every problem found in it."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(self.russian())

    def russian(self) -> str:
        return "\n".join(p.russian() for p in self.problems)


class NotAnInput(DocgenError):
    """A stray file (a lock file, a thumbnail cache): skipped, never a failure."""


class DuplicateInput(DocgenError):
    """The same bytes were already issued; nothing new is drawn."""

    def __init__(self, first_name: str, numbers: list[str]):
        self.first_name = first_name
        self.numbers = numbers
        issued = ", ".join(f"№\u00a0{n}" for n in numbers if n) or "без номера"
        super().__init__(
            f"Этот файл уже был обработан ранее (как «{first_name}»; документы: {issued}). "
            "Новые номера не выдавались. Если нужен новый документ, измените данные в файле."
        )


class RegisterError(DocgenError):
    """The register refused an operation (a number already taken, a locked database)."""


class ConversionError(DocgenError):
    """LibreOffice could not make a PDF; the DOCX is still delivered."""


@dataclass
class Outcome:
    """What processing one input file gave: for summaries and tests."""

    source: str
    ok: bool
    documents: list[dict] = field(default_factory=list)
    message: str = ""
    duplicate: bool = False
    skipped: bool = False
    pack: str | None = None
