"""Programs: sessions in order over weeks (docs/programs.md).

A program file names a series and lists, week by week, the sessions to do: each a
routine (a file, relative to the program, or a built-in) with optional ``level``,
``minutes`` or ``coach`` overrides and a ``note`` that is shown (in the listing, the
transcript folder and the feed's description), never spoken. Progression is written
out as those overrides; nothing is decided behind the user's back.

Precedence for a program session: the command line, then the session's overrides,
then the client file, then the routine's own profile.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voicecoach.documents import document_root, read_document
from voicecoach.errors import Problem, RoutineError
from voicecoach.jobs import Job, routine_label
from voicecoach.limits import DEFAULT_LIMITS, Limits
from voicecoach.routine import spec
from voicecoach.routine.fields import BAD, Fields, show
from voicecoach.routine.readers import FieldReader
from voicecoach.routine.yamlsrc import YNode

if TYPE_CHECKING:
    from collections.abc import Sequence

    from voicecoach.clients import Client

PROGRAM = (
    spec.Key(
        "name",
        "name",
        "the program's name: the album and the feed's title",
        "Low-back 4 weeks",
        required=True,
    ),
    spec.Key("description", "text", "what the program is for", "Four weeks, 3 sessions a week."),
    spec.Key("author", "name", "the trainer's name: the artist in players", "Alex Rivera"),
    spec.Key(
        "start",
        "name",
        "the date of the first session (YYYY-MM-DD); each week is 7 days, sessions spread over it",
        "2026-01-05",
    ),
    spec.Key(
        "weeks",
        "items",
        "one list of sessions per week, in order",
        "[[{routine: glute-activation}]]",
        required=True,
        of="week",
    ),
)
_PROFILE = spec.keys("profile")
SESSION = (
    spec.Key(
        "routine",
        "path",
        "a routine file (relative to the program) or a built-in name",
        "glute-activation",
        required=True,
    ),
    _PROFILE["level"],
    _PROFILE["minutes"],
    _PROFILE["coach"],
    spec.Key(
        "note", "text", "shown with the session, never spoken", "Progress only when pain-free."
    ),
)
TABLES = {"program": PROGRAM, "session": SESSION}


@dataclass(frozen=True)
class ProgramSession:
    routine: str  # a path (resolved against the program's folder) or a built-in name
    week: int  # 1-based
    position: int  # 1-based, over the whole program
    overrides: dict[str, Any]  # level, minutes, coach as given
    note: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Program:
    name: str
    source: str
    sessions: tuple[ProgramSession, ...]
    description: str = ""
    author: str | None = None
    start: dt.date | None = None

    @property
    def weeks(self) -> int:
        return max((s.week for s in self.sessions), default=0)


def _folder() -> Traversable:
    return resources.files("voicecoach") / "builtin" / "programs"


@dataclass(frozen=True)
class BuiltinProgram:
    name: str
    summary: str  # "4 weeks, 12 sessions: <description>"


def list_builtin_programs() -> list[BuiltinProgram]:
    from voicecoach.cues.spoken import plural

    out = []
    for name in builtin_program_names():
        program = load_program(name)
        count = f"{plural(program.weeks, 'week')}, {plural(len(program.sessions), 'session')}"
        first = program.description.split(". ")[0].rstrip(".")
        out.append(BuiltinProgram(name, f"{count}. {first}." if first else count))
    return out


def builtin_program_names() -> list[str]:
    return sorted(e.name[: -len(".yaml")] for e in _folder().iterdir() if e.name.endswith(".yaml"))


class _ProgramReader(FieldReader):
    def __init__(self, file: str, base_dir: Path | None, limits: Limits) -> None:
        super().__init__(file, limits)
        self.base_dir = base_dir

    def table_keys(self, table: str) -> dict[str, spec.Key]:
        return {key.name: key for key in TABLES[table]}

    def read_items(self, key: spec.Key, node: YNode, path: str) -> Any:
        if node.kind != "seq" or not node.value:
            self.add(
                node,
                path,
                f"must be a list of weeks, got {show(node)}",
                "write each week as a list of sessions: - - routine: glute-activation",
            )
            return BAD
        weeks = []
        for w, week in enumerate(node.value):
            where = f"{path}[{w}]"
            if week.kind != "seq" or not week.value:
                self.add(
                    week,
                    where,
                    f"must be a list of sessions, got {show(week)}",
                    "write it like - - routine: glute-activation",
                )
                continue
            weeks.append(
                [self.fields(s, "session", f"{where}[{i}]") for i, s in enumerate(week.value)]
            )
        return weeks


def load_program(source: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> Program:
    """Read and check a program file or a built-in program; problems raised together."""
    label = os.fspath(source)
    path = Path(label)
    if path.is_file():
        data = read_document(path, label, "program file", limits)
        return _load(data, label, path.resolve().parent, label, limits)
    if label in builtin_program_names():
        entry = _folder() / f"{label}.yaml"
        return _load(entry.read_bytes(), f"builtin:{label}", None, label, limits)
    raise RoutineError.collect(
        [
            Problem(
                f"no such program file or built-in program '{label}'",
                hint="run `voicecoach list` to see the built-in programs",
            )
        ]
    )


def _load(data: bytes, file: str, base_dir: Path | None, source: str, limits: Limits) -> Program:
    reader = _ProgramReader(file, base_dir, limits)
    root = document_root(
        data, file, reader, "a program", "start it with name: My program, then weeks:"
    )
    top = reader.fields(root, "program", "")
    start = _start_date(reader, top)
    sessions = _sessions(reader, top, start, base_dir)
    if len(sessions) > limits.max_program_sessions:
        reader.add(
            root,
            "weeks",
            f"has {len(sessions)} sessions; at most {limits.max_program_sessions}",
            "split it into several programs",
        )
    if reader.problems or top is None:
        problems = sorted(reader.problems, key=lambda p: (p.line or 0, p.column or 0))
        raise RoutineError.collect(problems)
    return Program(
        name=top.get("name"),
        source=source,
        sessions=tuple(sessions),
        description=top.get("description", ""),
        author=top.get("author"),
        start=start,
    )


def _start_date(reader: _ProgramReader, top: Fields | None) -> dt.date | None:
    """The program's ``start:`` date, if given and valid (else a problem is added)."""
    if top is None or not top.ok("start"):
        return None
    try:
        return dt.date.fromisoformat(str(top.get("start")).strip())
    except ValueError:
        reader.add(
            top.nodes["start"],
            "start",
            f"is not a date: {top.get('start')}",
            "write it like start: 2026-01-05",
        )
        return None


def _sessions(
    reader: _ProgramReader, top: Fields | None, start: dt.date | None, base_dir: Path | None
) -> list[ProgramSession]:
    """Every session of ``weeks:`` whose routine is a built-in or a file beside the
    program (else a problem is added and the session left out), numbered in order."""
    from voicecoach.routine.builtins import builtin_names

    sessions: list[ProgramSession] = []
    builtins = set(builtin_names())
    for w, week in enumerate(top.get("weeks") or [] if top is not None else []):
        for i, fields in enumerate(week):
            if fields is None or not fields.ok("routine"):
                continue
            name = str(fields.get("routine"))
            routine = name
            if name not in builtins:
                if base_dir is None or not (base_dir / name).is_file():
                    reader.add(
                        fields.nodes["routine"],
                        f"weeks[{w}][{i}].routine",
                        f"no such routine file or built-in routine '{name}'",
                        "give a file relative to the program, or a name from `voicecoach list`",
                    )
                    continue
                routine = str(base_dir / name)
            overrides = {k: fields.get(k) for k in ("level", "minutes", "coach") if fields.ok(k)}
            day = _date(start, w, i, len(week))
            sessions.append(
                ProgramSession(
                    routine, w + 1, len(sessions) + 1, overrides, fields.get("note"), day
                )
            )
    return sessions


def _date(start: dt.date | None, week: int, index: int, count: int) -> dt.date | None:
    """Sessions of a week spread over its 7 days: 3 sessions -> days 0, 2, 4."""
    if start is None:
        return None
    return start + dt.timedelta(days=7 * week + (index * 7) // max(count, 1))


def session_file_name(session: ProgramSession) -> str:
    """`01-w1-hip-flexor-release.mp3`: numbered, so a folder lists in order."""
    return f"{session.position:02d}-w{session.week}-{routine_label(session.routine)}.mp3"


def program_schema() -> dict[str, Any]:
    """The JSON Schema of a program file (what `voicecoach schema --program` prints)."""
    from voicecoach.routine.schema import DRAFT, table_object

    top = table_object(PROGRAM)
    top["properties"]["start"] = {
        "type": "string",
        "format": "date",
        "description": top["properties"]["start"]["description"],
    }
    top["properties"]["weeks"] = {
        "type": "array",
        "minItems": 1,
        "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/session"}},
        "description": top["properties"]["weeks"]["description"],
    }
    return {
        "$schema": DRAFT,
        "$id": "urn:voicecoach:program:v1",
        "title": "voicecoach program",
        "description": "Sessions in order over weeks. See docs/programs.md.",
        **top,
        "$defs": {"session": table_object(SESSION)},
    }


def program_jobs(program: Program, clients: Sequence[Client], folder: Path) -> list[Job]:
    """The batch for a program: every session, numbered, for each client (one
    subfolder per client when there are several)."""
    from voicecoach.session_tags import DATE_FIELD, POSITION_FIELD, PROGRAM_FIELD

    people: list[Client | None] = list(clients) or [None]
    jobs = []
    for person in people:
        place = folder / person.slug if person is not None and len(people) > 1 else folder
        for session in program.sessions:
            tags = {PROGRAM_FIELD: program.name, POSITION_FIELD: str(session.position)}
            if session.date is not None:
                tags[DATE_FIELD] = session.date.isoformat()
            settings = dict(session.overrides)
            if program.author and not (person and "author" in person.settings):
                settings["author"] = program.author
            jobs.append(
                Job(
                    session.routine,
                    person,
                    place / session_file_name(session),
                    settings=tuple(settings.items()),
                    tags=tuple(tags.items()),
                    album=program.name,
                    note=session.note,
                )
            )
    return jobs
