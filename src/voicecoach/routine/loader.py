"""Routine YAML -> the validated, fully resolved `Routine` model.

Every problem in the file is collected (with file, line, column and key path) and
raised together as one `RoutineError`; nothing else escapes for bad input.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from voicecoach.cover import check_cover
from voicecoach.errors import Problem, RoutineError, VoicecoachError
from voicecoach.filekind import special_kind
from voicecoach.routine import limits, spec, yamlsrc
from voicecoach.routine.cue_reader import TimedCueReader
from voicecoach.routine.durations import (
    DurationError,
    parse_tempo,
)
from voicecoach.routine.fields import BAD, Fields, duration_source, show
from voicecoach.routine.model import (
    Exercise,
    Item,
    Profile,
    Rounds,
    Routine,
    Section,
    SoundSettings,
    Standalone,
    Tempo,
    VoiceSettings,
    Where,
)
from voicecoach.routine.yamlsrc import YNode
from voicecoach.text import cut, did_you_mean, hours_minutes, plural

_Settings = TypeVar("_Settings", Profile, VoiceSettings, SoundSettings)

if TYPE_CHECKING:  # the library reads its entries with this loader: import it lazily
    from voicecoach.library import LibraryEntry

_PACK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def load_routine(
    source: str | os.PathLike[str], *, overrides: Mapping[str, Any] | None = None
) -> Routine:
    """Load a routine file, or a built-in routine by name (e.g. ``low-back-reset``).

    ``overrides`` are merged over the file before validation, as if written in it
    (nested mappings, or dotted keys like ``{"profile.weak_side": "left"}``).
    """
    from voicecoach.routine.builtins import builtin_names, read_builtin

    path = Path(os.fspath(source))
    label = os.fspath(source)
    kind = special_kind(path)
    if kind is not None:
        raise RoutineError.collect(
            [
                Problem(
                    f"'{label}' is not a regular file: it is {kind}",
                    hint="give the path of a .yaml routine file",
                )
            ]
        )
    if path.is_file():
        try:
            size = path.stat().st_size
            if size > limits.MAX_FILE_BYTES:  # refuse before reading it all into memory
                raise yamlsrc.too_large(label, size)
            data = path.read_bytes()
        except OSError as exc:
            raise RoutineError.collect(
                [
                    Problem(
                        f"cannot read '{label}': {exc.strerror or exc}",
                        hint="check the file's permissions",
                    )
                ]
            ) from None
        return _load(data, label, path.resolve().parent, label, overrides)
    builtin = read_builtin(label)
    if builtin is not None:
        data, folder = builtin
        return _load(data, f"builtin:{label}", folder, f"builtin:{label}", overrides)
    close = did_you_mean(label, builtin_names())
    hint = "run `voicecoach list` to see built-ins"
    if close:
        hint = f"{close} {hint}"
    raise RoutineError.collect(
        [Problem(f"no such routine file or built-in routine '{label}'", hint=hint)]
    )


def load_routine_text(
    text: str | bytes,
    filename: str = "<memory>",
    *,
    base_dir: str | os.PathLike[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Routine:
    """Load a routine from text. Relative paths (music, cue pack) resolve against
    ``base_dir``, else the folder of ``filename``, else the current folder."""
    if base_dir is None:
        base_dir = Path(filename).parent if not filename.startswith("<") else Path.cwd()
    return _load(text, filename, Path(base_dir).resolve(), filename, overrides)


def _load(
    data: str | bytes,
    file: str,
    base_dir: Path,
    source: str,
    overrides: Mapping[str, Any] | None,
) -> Routine:
    text = yamlsrc.decode(data, file) if isinstance(data, bytes) else data
    root = yamlsrc.parse(text, file)
    if root.kind != "map":
        raise RoutineError.collect(
            [
                Problem(
                    f"the routine must be a mapping of keys, got {show(root)}",
                    file=file,
                    line=root.line,
                    column=root.column,
                    hint="start it with name: My routine, then exercises:",
                )
            ]
        )
    if overrides:
        root = yamlsrc.merge(root, yamlsrc.from_python(overrides, "command line"))
    builder = _Builder(file, base_dir)
    routine = builder.routine(root, source)
    if builder.problems or routine is None:
        problems = builder.problems or [  # never expected: keep the error located anyway
            Problem("the routine could not be read", file, 1, 1, None, "check its keys")
        ]
        raise RoutineError.collect(_sorted(problems, file))
    return routine


def _sorted(problems: list[Problem], file: str) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file != file, p.line or 0, p.column or 0))


@dataclass
class _Defaults:
    rest_ms: int = 30_000
    rest_after_ms: int = 30_000
    tempo: tuple[int, ...] = (2000, 1000, 2000)
    words: tuple[str, ...] = ()
    reps: int | None = None
    sets: int = 1
    switch_rest_ms: int | None = None


class _Builder(TimedCueReader):
    """Builds the model from checked mappings, applying every default."""

    def __init__(self, file: str, base_dir: Path) -> None:
        super().__init__(file)
        self.base_dir = base_dir
        self.exercise_count = 0

    # -- model builders ----------------------------------------------------------

    def routine(self, root: YNode, source: str) -> Routine | None:
        top = self.fields(root, "routine", "")
        if top is None:  # pragma: no cover - _load checks the root is a mapping
            return None
        defaults = self.defaults(top.get("defaults"))
        profile = self.profile(top.get("profile"))
        voice = self.settings(top.get("voice"), VoiceSettings)
        sound = self.sound(top.get("sound"))
        cue_pack = self.cue_pack(top)
        cover = self.cover(top)
        texts, wheres = top.get("phrases", ({}, {}))
        sections = self.sections(top, defaults)
        if self.exercise_count > limits.MAX_EXERCISES:
            self.add(
                root,
                "",
                f"has {self.exercise_count} exercises; at most {limits.MAX_EXERCISES}",
                "split it into several routines",
            )
        if self.problems or sections is None or not top.ok("name"):
            return None
        routine = Routine(
            name=top.get("name"),
            sections=sections,
            description=top.get("description", ""),
            intro=top.get("intro"),
            intro_long=top.get("intro_long"),
            outro=top.get("outro"),
            safety=top.get("safety", True),
            pronounce=top.get("pronounce", {}),
            profile=profile or Profile(),
            voice=voice or VoiceSettings(),
            sound=sound or SoundSettings(),
            author=top.get("author"),
            album=top.get("album"),
            cover=cover,
            cue_pack=cue_pack,
            cue_overrides=texts,
            cue_override_where=wheres,
            source=source,
            where=Where(self.file, 1, 1, None),
        )
        rough = rough_length_ms(routine)
        if rough > limits.MAX_SESSION_MS:
            self.problems.append(
                Problem(
                    f"the session would last about {hours_minutes(rough)}, more than the "
                    f"{hours_minutes(limits.MAX_SESSION_MS)} limit",
                    self.file,
                    1,
                    1,
                    None,
                    "use fewer sets, reps or rounds, or shorter holds and rests",
                )
            )
            return None
        return routine

    def defaults(self, found: Fields | None) -> _Defaults:
        out = _Defaults()
        if found is None:
            return out
        out.rest_ms = found.get("rest", out.rest_ms)
        out.rest_after_ms = found.get("rest_after", out.rest_after_ms)
        out.tempo = found.get("tempo", out.tempo)
        out.words = found.get("tempo_words", out.words)
        out.reps = found.get("reps")
        out.sets = found.get("sets", out.sets)
        out.switch_rest_ms = found.get("switch_rest")
        if found.ok("tempo_words") and out.words and len(out.words) != len(out.tempo):
            self.add(
                found.nodes["tempo_words"],
                "defaults.tempo_words",
                f"has {plural(len(out.words), 'word')} but the tempo has {len(out.tempo)} phases",
                "give one word per phase ('' for silence)",
            )
        return out

    def profile(self, found: Fields | None) -> Profile | None:
        if found is None:
            return None
        profile = self.settings(found, Profile)
        if profile and profile.extra_weak_side_set and profile.weak_side is None:
            self.add(
                found.nodes["extra_weak_side_set"],
                "profile.extra_weak_side_set",
                "needs a weak side",
                "add weak_side: left or weak_side: right",
            )
        return profile

    def settings(self, found: Fields | None, cls: type[_Settings]) -> _Settings | None:
        if found is None:
            return None
        table = {Profile: "profile", VoiceSettings: "voice", SoundSettings: "sound"}[cls]
        kwargs = {}
        for key in spec.TABLES[table]:
            if found.ok(key.name):
                kwargs[key.attr or key.name] = found.get(key.name)
        if any(v is BAD for v in found.values.values()):
            return None
        return cls(**kwargs)

    def sound(self, found: Fields | None) -> SoundSettings | None:
        music = None
        if found is not None and found.ok("music"):
            music = self.base_dir / Path(found.get("music")).expanduser()
            kind = special_kind(music)
            if kind is not None:
                self.add(
                    found.nodes["music"],
                    "sound.music",
                    f"music file is not a regular file: {music} is {kind}",
                    "give the path of an audio file; it is relative to the routine's folder",
                )
                return None
            if not music.is_file():
                self.add(
                    found.nodes["music"],
                    "sound.music",
                    f"music file not found: {music}",
                    "check the path; it is relative to the routine's folder",
                )
                return None
        sound: SoundSettings | None = self.settings(found, SoundSettings)
        if sound is None or music is None:
            return sound
        return replace(sound, music=str(music.resolve()))

    def cover(self, top: Fields) -> str | None:
        if not top.ok("cover"):
            return None
        path = self.base_dir / Path(top.get("cover")).expanduser()
        problem = check_cover(path)
        if problem:
            self.add(top.nodes["cover"], "cover", *problem)
            return None
        return str(path.resolve())

    def cue_pack(self, top: Fields) -> str | None:
        value: str | None = top.get("cue_pack")
        if value is None:
            return None
        node = top.nodes["cue_pack"]
        if value.lower().endswith((".yaml", ".yml")) or "/" in value or "\\" in value:
            pack = self.base_dir / Path(value).expanduser()
            kind = special_kind(pack)
            if kind is not None:
                self.add(
                    node,
                    "cue_pack",
                    f"cue pack file is not a regular file: {pack} is {kind}",
                    "give the path of a .yaml cue pack file",
                )
                return None
            if not pack.is_file():
                self.add(
                    node,
                    "cue_pack",
                    f"cue pack file not found: {pack}",
                    "check the path (relative to the routine's folder), "
                    "or name a built-in pack like default",
                )
                return None
            return str(pack.resolve())
        known = _bundled_cue_packs()
        if known is not None and value not in known:
            self.add(
                node,
                "cue_pack",
                f"unknown cue pack '{cut(value)}'",
                did_you_mean(value, known)
                or "use a built-in pack (see `voicecoach list`) or a file like my_cues.yaml",
            )
            return None
        if not _PACK_NAME.fullmatch(value):
            self.add(
                node,
                "cue_pack",
                f"'{cut(value)}' is not a cue pack name or file",
                "use a built-in pack name like default, or a file like my_cues.yaml",
            )
            return None
        return value

    def sections(self, top: Fields, defaults: _Defaults) -> tuple[Section, ...] | None:
        flat, named = top.has("exercises"), top.has("sections")
        if flat and named:
            self.add_at_key(
                top.node,
                "sections",
                "",
                "has both exercises and sections",
                "use a flat exercises list or named sections, not both",
            )
            return None
        if not flat and not named:
            self.add(
                top.node,
                "",
                "has no exercises",
                "add an exercises: list, or sections: (see `voicecoach new NAME`)",
            )
            return None
        if flat:
            node = top.get("exercises")
            if node is None:
                return None
            items = self.items(node, "exercises", defaults, allow_rounds=True)
            if items is None:
                return None
            return (Section(None, items, where=self.where(node, "exercises")),)
        node = top.get("sections")
        if node is None:
            return None
        out: list[Section] = []
        for index, child in enumerate(node.value):
            section = self.section(child, f"sections[{index}]", defaults)
            if section is not None:
                out.append(section)
        return tuple(out) if len(out) == len(node.value) else None

    def section(self, node: YNode, path: str, defaults: _Defaults) -> Section | None:
        found = self.fields(node, "section", path)
        if found is None:
            return None
        items_node = found.get("exercises")
        items = None
        if items_node is not None:
            items = self.items(items_node, f"{path}.exercises", defaults, allow_rounds=True)
        if items is None or not found.ok("name") or self.bad(found):
            return None
        return Section(found.get("name"), items, found.get("intro"), self.where(node, path))

    def items(
        self, node: YNode, path: str, defaults: _Defaults, *, allow_rounds: bool
    ) -> tuple[Item, ...] | None:
        out: list[Item | Standalone] = []
        for index, child in enumerate(node.value):
            child_path = f"{path}[{index}]"
            item: Item | Standalone | None
            if _is_standalone(child):
                item = self.standalone(child, child_path)
            elif child.kind == "map" and "rounds" in child.value:
                if not allow_rounds:
                    self.add_at_key(
                        child,
                        "rounds",
                        child_path,
                        "rounds cannot be nested",
                        "list the exercises of the inner circuit here instead",
                    )
                    item = None
                else:
                    item = self.rounds(child, child_path, defaults)
            else:
                item = self.exercise(child, child_path, defaults)
            if item is not None:
                out.append(item)
        if len(out) != len(node.value):
            return None
        if all(isinstance(item, Standalone) for item in out):
            self.add(
                node,
                path,
                "has rests and spoken lines but no exercise",
                "add at least one exercise, like '- name: Glute bridge'",
            )
            return None
        return _attach(out)

    def standalone(self, node: YNode, path: str) -> Standalone | None:
        found = self.fields(node, "standalone", path)
        if found is None or self.bad(found):
            return None
        if found.has("say") and found.has("check_in"):
            self.add_at_key(
                node,
                "check_in",
                path,
                "a standalone item is a spoken line or a check-in, not both",
                "write the check-in as its own item: '- check_in: \"...\"'",
            )
            return None
        return Standalone(
            found.get("rest"), found.get("say"), found.get("check_in"), self.where(node, path)
        )

    def rounds(self, node: YNode, path: str, defaults: _Defaults) -> Rounds | None:
        found = self.fields(node, "rounds", path)
        if found is None:
            return None
        items_node = found.get("exercises")
        exercises = None
        if items_node is not None:
            exercises = self.items(items_node, f"{path}.exercises", defaults, allow_rounds=False)
        if exercises is None or self.bad(found) or not found.ok("rounds"):
            return None
        return Rounds(
            count=found.get("rounds"),
            exercises=tuple(e for e in exercises if isinstance(e, Exercise)),
            rest_ms=found.get("rest", 60_000),
            name=found.get("name"),
            where=self.where(node, path),
        )

    def exercise(self, node: YNode, path: str, defaults: _Defaults) -> Exercise | None:
        self.exercise_count += 1
        entry = None
        if node.kind == "map" and "use" in node.value:
            used = self.use(node, path)
            if used is None:
                return None
            node, entry = used
        found = self.fields(node, "exercise", path)
        if found is None:
            return None
        reps, hold = found.get("reps"), found.get("hold")
        if found.has("reps") and found.has("hold"):
            self.add_at_key(
                node,
                "hold",
                path,
                "has both reps and hold",
                "keep reps for a counted move or hold for a timed one",
            )
            return None
        if not found.has("reps") and not found.has("hold"):
            if defaults.reps is None:
                self.add(
                    node,
                    path,
                    "needs reps or hold",
                    "add reps: 12 for a counted move, or hold: 30s for a timed one",
                )
                return None
            reps = defaults.reps
        tempo = self.exercise_tempo(found, path, defaults, is_hold=found.has("hold"))
        overrides = found.get("phrases", ({}, {}))[0]
        sides = found.get("sides")
        cues = self.cues(found, path, reps=reps, hold=hold, sides=sides)
        fixes = self.cues(found, path, reps=reps, hold=hold, sides=sides, key="corrections")
        if self.bad(found) or tempo is None or cues is None or fixes is None:
            return None
        if not found.ok("name"):
            return None
        if entry is not None:  # library cues the routine did not replace, fitted to its dosage
            from voicecoach.library import fit_cues

            fit = partial(
                fit_cues,
                old_reps=entry.exercise.reps,
                old_hold_ms=entry.exercise.hold_ms,
                reps=reps if hold is None else None,
                hold_ms=hold,
                sides=sides,
            )
            if not found.has("cues"):
                cues = tuple(replace(c, origin="library") for c in fit(entry.cues))
            if not found.has("corrections"):
                fixes = tuple(replace(c, origin="correction") for c in fit(entry.corrections))
        cues += fixes
        return Exercise(
            name=found.get("name"),
            reps=reps if hold is None else None,
            hold_ms=hold,
            tempo=tempo,
            sets=found.get("sets", defaults.sets),
            rest_ms=found.get("rest", defaults.rest_ms),
            rest_after_ms=found.get("rest_after", defaults.rest_after_ms),
            sides=sides,
            focus=found.get("focus", ()),
            kind=found.get("type"),
            position=found.get("position"),
            setup=found.get("setup"),
            cues=cues,
            cue_overrides=overrides,
            where=self.where(node, path),
            switch_rest_ms=found.get("switch_rest", defaults.switch_rest_ms),
            alternate_sides=found.get("alternate_sides", False),
            extra_weak_side_set=found.get("extra_weak_side_set"),
            fixed=found.get("fixed", False),
            optional=found.get("optional", False),
        )

    def exercise_tempo(
        self, found: Fields, path: str, defaults: _Defaults, *, is_hold: bool
    ) -> Tempo | None:
        for key in ("tempo", "tempo_words"):
            if is_hold and found.has(key):
                self.add_at_key(
                    found.node,
                    key,
                    f"{path}.{key}",
                    f"{key} only applies to reps, and this exercise is a hold",
                    f"remove {key}, or use reps instead of hold",
                )
                return None
        if not found.ok("tempo") and found.has("tempo"):
            return None
        phases = found.get("tempo", defaults.tempo)
        words = found.get("tempo_words", defaults.words)
        if found.has("tempo_words") and not found.ok("tempo_words"):
            return None
        if words and len(words) != len(phases) and not is_hold:
            if not found.has("tempo") and not found.has("tempo_words"):
                return None  # the defaults' mismatch is reported once, at defaults
            if found.has("tempo_words"):
                self.add(
                    found.nodes["tempo_words"],
                    f"{path}.tempo_words",
                    f"has {plural(len(words), 'word')} but the tempo has {len(phases)} phases",
                    "give one word per phase ('' for silence)",
                )
            else:
                self.add(
                    found.nodes["tempo"],
                    f"{path}.tempo",
                    f"has {len(phases)} phases but defaults.tempo_words has "
                    f"{plural(len(words), 'word')}",
                    "add tempo_words with one word per phase to this exercise",
                )
            return None
        return Tempo(phases, words if len(words) == len(phases) else ())

    def use(self, node: YNode, path: str) -> tuple[YNode, LibraryEntry] | None:
        """``use: ID``: the library entry's fields under the ones written here."""
        from voicecoach.library import get_entry, library_ids

        id_node = node.value["use"]
        value = id_node.value if id_node.kind == "scalar" else None
        if not isinstance(value, str) or not value.strip():
            self.add(
                id_node,
                f"{path}.use",
                f"must be the id of a library exercise, got {show(id_node)}",
                "write it like use: glute-bridge. run `voicecoach library` to see them all",
            )
            return None
        entry = get_entry(value.strip().lower())
        if entry is None:
            close = did_you_mean(value.strip(), library_ids())
            hint = "run `voicecoach library` to see them all"
            self.add(
                id_node,
                f"{path}.use",
                f"unknown exercise '{cut(value)}' in the library",
                f"{close} {hint}" if close else hint,
            )
            return None
        return _merge_use(entry, node), entry


def _merge_use(entry: LibraryEntry, written: YNode) -> YNode:
    """The library entry's keys with the routine's written keys on top, field by field.

    Library cues and corrections stay out (the builder fits them to the final dosage);
    a written ``hold`` drops the library's reps and tempo, a written ``reps`` its hold,
    and a written tempo with another number of phases the library's tempo words.
    """
    given = {k for k, v in written.value.items() if not (v.kind == "scalar" and v.value is None)}
    skip = {"cues", "corrections"}
    if "hold" in given:
        skip |= {"reps", "tempo", "tempo_words"}
    if "reps" in given:
        skip.add("hold")
    if "tempo" in given and "tempo_words" not in given:
        tempo = written.value["tempo"]
        try:
            source = tempo.to_python() if tempo.kind == "seq" else duration_source(tempo)
            phases = parse_tempo(source)
        except DurationError:
            phases = ()  # reported when the tempo is read
        if len(phases) != len(entry.exercise.tempo.phases_ms):
            skip.add("tempo_words")
    out = YNode(
        "map", {}, written.line, written.column, key_at=dict(written.key_at), origin=written.origin
    )
    for key, value in entry.node.value.items():
        if key not in skip and key not in written.value:
            out.value[key] = value
            out.key_at[key] = entry.node.key_at.get(key, (value.line, value.column))
    out.value.update(written.value)
    return out


def exercise_from_node(node: YNode, file: str, path: str) -> Exercise:
    """One exercise mapping (e.g. a library entry) -> the model, with the routine
    defaults. Raises RoutineError with every problem."""
    builder = _Builder(file, Path.cwd())
    exercise = builder.exercise(node, path, _Defaults())
    if builder.problems or exercise is None:
        problems = builder.problems or [Problem("the exercise could not be read", file)]
        raise RoutineError.collect(_sorted(problems, file))
    return exercise


def _bundled_cue_packs() -> list[str] | None:
    """Names of the bundled cue packs, or None when they cannot be listed."""
    try:
        from voicecoach.cues import list_cue_packs
    except ImportError:
        return None
    try:
        return [pack.name for pack in list_cue_packs()]
    except VoicecoachError:
        return None


def _is_standalone(node: YNode) -> bool:
    """``- rest: 45s``, ``- say: ...``, ``- check_in: ...`` (nothing else in the map)."""
    if node.kind != "map" or not node.value:
        return False
    return set(node.value) <= spec.STANDALONE_KEYS


def _attach(entries: list[Item | Standalone]) -> tuple[Item, ...]:
    """Each standalone item joins the exercise (or circuit) before it; items before
    the first one join that first one."""
    out: list[Item] = []
    waiting: list[Standalone] = []
    for entry in entries:
        if isinstance(entry, Standalone):
            if out:
                out[-1] = replace(out[-1], after=(*out[-1].after, entry))
            else:
                waiting.append(entry)
        else:
            out.append(replace(entry, before=tuple(waiting)) if waiting else entry)
            waiting = []
    return tuple(out)


def _exercise_ms(exercise: Exercise, extra_set: bool) -> int:
    work = (
        exercise.hold_ms
        if exercise.hold_ms is not None
        else ((exercise.reps or 0) * exercise.tempo.rep_ms)
    )
    blocks = exercise.sets * (2 if exercise.sides == "both" else 1)
    if extra_set and exercise.sides is not None:
        blocks += 1
    return blocks * work + (blocks - 1) * exercise.rest_ms + exercise.rest_after_ms


def rough_length_ms(routine: Routine) -> int:
    """Work plus rests, without speech: a quick lower bound to refuse absurd sessions."""
    extra = routine.profile.extra_weak_side_set
    total = 0
    for section in routine.sections:
        for item in section.items:
            if isinstance(item, Rounds):
                one = sum(_exercise_ms(e, extra) for e in item.exercises)
                total += item.count * one + (item.count - 1) * item.rest_ms
            else:
                total += _exercise_ms(item, extra)
    return total
