"""A routine mapping -> the `Routine` model: defaults, settings, files, sections, items.

Every problem is collected with its location; a method returns None after one.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from voicecoach.cover import check_cover
from voicecoach.errors import Problem, VoicecoachError
from voicecoach.filekind import special_kind
from voicecoach.library import LibraryEntry
from voicecoach.limits import DEFAULT_LIMITS, Limits
from voicecoach.routine import spec
from voicecoach.routine.exercise_reader import Defaults, ExerciseReader
from voicecoach.routine.fields import BAD, Fields
from voicecoach.routine.length import rough_length_ms
from voicecoach.routine.model import (
    Exercise,
    Item,
    Profile,
    Rounds,
    Routine,
    Section,
    SoundSettings,
    Standalone,
    VoiceSettings,
    Where,
)
from voicecoach.routine.use import resolve_use
from voicecoach.routine.yamlsrc import YNode
from voicecoach.text import cut, hours_minutes, plural

_PACK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


class RoutineBuilder(ExerciseReader):
    """Builds the model from checked mappings, applying every default."""

    def use(self, node: YNode, path: str) -> tuple[YNode, LibraryEntry] | None:
        return resolve_use(self, node, path)

    def __init__(self, file: str, base_dir: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        super().__init__(file, limits)
        self.base_dir = base_dir

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
        if self.exercise_count > self.limits.max_exercises:
            self.add(
                root,
                "",
                f"has {self.exercise_count} exercises; at most {self.limits.max_exercises}",
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
        if rough > self.limits.max_session_ms:
            self.problems.append(
                Problem(
                    f"the session would last about {hours_minutes(rough)}, more than the "
                    f"{hours_minutes(self.limits.max_session_ms)} limit",
                    self.file,
                    1,
                    1,
                    None,
                    "use fewer sets, reps or rounds, or shorter holds and rests",
                )
            )
            return None
        return routine

    def defaults(self, found: Fields | None) -> Defaults:
        out = Defaults()
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
        profile: Profile | None = self.settings(found, Profile)
        if profile and profile.extra_weak_side_set and profile.weak_side is None:
            self.add(
                found.nodes["extra_weak_side_set"],
                "profile.extra_weak_side_set",
                "needs a weak side",
                "add weak_side: left or weak_side: right",
            )
        return profile

    def settings(self, found: Fields | None, cls: Any) -> Any:
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
        problem = check_cover(path, self.limits)
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
            close = difflib.get_close_matches(value, known, n=1)
            self.add(
                node,
                "cue_pack",
                f"unknown cue pack '{cut(value)}'",
                f"did you mean '{close[0]}'?"
                if close
                else "use a built-in pack (see `voicecoach list`) or a file like my_cues.yaml",
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

    def sections(self, top: Fields, defaults: Defaults) -> tuple[Section, ...] | None:
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

    def section(self, node: YNode, path: str, defaults: Defaults) -> Section | None:
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
        self, node: YNode, path: str, defaults: Defaults, *, allow_rounds: bool
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

    def rounds(self, node: YNode, path: str, defaults: Defaults) -> Rounds | None:
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
