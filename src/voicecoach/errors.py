"""The project's own errors.

Every failure a user can fix is a `VoicecoachError`. It carries where the problem
is (file, line, column, key path) so the CLI can print one line of the form
``FILE:LINE:COL: key.path: what is wrong. how to fix it.`` and exit 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from voicecoach.textsafe import printable


@dataclass(frozen=True)
class Where:
    """Where something was written: a model element, or a problem found in it."""

    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    key: str | None = None  # dotted key path, e.g. "sections[0].exercises[2]"


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file: what is wrong, where (the fields of a
    `Where`), and how to fix it."""

    message: str
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    key: str | None = None  # dotted key path, e.g. "exercises[2].reps"
    hint: str | None = None  # how to fix it

    @classmethod
    def at(cls, where: Where, message: str, hint: str | None = None) -> Problem:
        """The problem ``message`` at ``where``."""
        return cls(message, where.file, where.line, where.column, where.key, hint)

    def format(self) -> str:
        """One line; control characters from the input are shown escaped."""
        return printable(self._format(), keep_newlines=False)

    def _format(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        key = f"{self.key}: " if self.key else ""
        text = self.message.rstrip()
        if not text.endswith((".", "?", "!")):
            text += "."
        if self.hint:
            hint = self.hint.rstrip()
            if not hint.endswith((".", "?", "!")):
                hint += "."
            text += " " + hint
        return f"{where}{key}{text}"


class VoicecoachError(Exception):
    """Base class: a failure the user can fix. Printed as one message, exit code 1."""

    def __init__(self, message: str, *, problems: Iterable[Problem] = ()) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(message)

    @classmethod
    def at(
        cls,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        key: str | None = None,
        hint: str | None = None,
    ) -> VoicecoachError:
        problem = Problem(message, file, line, column, key, hint)
        return cls(problem.format(), problems=[problem])

    def format(self) -> str:
        """All problems, one per line (or the plain message)."""
        if self.problems:
            return "\n".join(p.format() for p in self.problems)
        return printable(str(self))


class RoutineError(VoicecoachError):
    """The routine file (or a cue pack) is missing, unreadable or invalid."""

    @classmethod
    def collect(cls, problems: Iterable[Problem]) -> RoutineError:
        items = list(problems)
        return cls("\n".join(p.format() for p in items), problems=items)


class CueError(RoutineError):
    """A cue pack or cue override is invalid (unknown key, unknown variable, cycle)."""


class PlanError(VoicecoachError):
    """The routine is valid but cannot be planned (too long, too many phrases)."""


class SpeechError(VoicecoachError):
    """A speech engine is missing, hangs, crashes or returns nothing."""


class AudioError(VoicecoachError):
    """Audio input (music file) or output (encoder, disk) failed."""
