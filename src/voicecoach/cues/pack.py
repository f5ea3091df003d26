"""Cue packs: key -> phrasings, loaded from YAML with located errors.

A pack file looks like::

    name: gentle
    description: softer wording
    extends: default          # or a path to another pack, relative to this file
    cues:
      rest_announce: ["Breathe for {seconds} seconds. Then {next}."]
    focus:
      glutes:
        - "Find your glutes."
        - say: "Squeeze at the top."
          when: {type: [strength], dosage: reps}
    pronounce:
      "90/90": "ninety-ninety"

A phrase is text, or a mapping with ``say`` and ``when`` (the exercises it fits;
see `voicecoach.cues.when`). ``pronounce`` maps a written form to how it is said;
it merges with the parent's table (the bundled pack has the English one).

`extends` merges key by key: the child's list replaces the parent's list for that
key. A pack without `extends` must define every key. Errors carry FILE:LINE:COL and
the key path, and every problem in the file is reported, not just the first.
Files are found and read by `voicecoach.cues.pack_file`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from voicecoach.cues.keys import FOCUS_PREFIX
from voicecoach.cues.template import check_key, check_template
from voicecoach.cues.when import When
from voicecoach.errors import CueError, Problem, Where
from voicecoach.routine.focus import FOCUS_GROUPS
from voicecoach.routine.model import Exercise
from voicecoach.routine.traits import Traits, exercise_traits

BUILTIN_PREFIX = "builtin:"


@dataclass(frozen=True)
class CuePack:
    """Phrasings per cue key. Focus banks live under ``focus.<group>`` keys."""

    name: str
    phrases: Mapping[str, tuple[str, ...]]
    description: str = ""
    source: str = BUILTIN_PREFIX + "default"
    # key -> one condition per phrasing (None: fits everywhere); missing key: none
    conditions: Mapping[str, tuple[When | None, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    pronunciations: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def get(self, key: str) -> tuple[str, ...]:
        """The phrasings for ``key`` (empty: the key is silenced)."""
        return self.phrases.get(key, ())

    def when(self, key: str) -> tuple[When | None, ...]:
        """The condition of each phrasing of ``key`` (None: it fits everywhere)."""
        texts = self.get(key)
        found = self.conditions.get(key, ())
        return found if len(found) == len(texts) else (None,) * len(texts)

    def fitting(self, key: str, traits: Traits | None) -> tuple[str, ...]:
        """The phrasings of ``key`` whose `when:` fits an exercise with ``traits``.

        ``traits`` None (a session-level line): only lines without conditions.
        """
        return tuple(
            text
            for text, cond in zip(self.get(key), self.when(key), strict=True)
            if cond is None or (traits is not None and cond.fits(traits))
        )

    def bank(self, group: str) -> tuple[str, ...]:
        """The mind-body lines for a focus group (e.g. 'glutes')."""
        return self.phrases.get(FOCUS_PREFIX + group, ())

    @property
    def banks(self) -> dict[str, tuple[str, ...]]:
        return {g: self.bank(g) for g in FOCUS_GROUPS}

    def with_overrides(
        self,
        overrides: Mapping[str, tuple[str, ...]],
        *,
        where: Mapping[str, Where] | None = None,
        origin: Where | None = None,
    ) -> CuePack:
        """A copy with ``overrides`` applied; invalid keys or texts raise CueError.

        ``where`` locates each key (e.g. the routine's ``cue_override_where``);
        ``origin`` is the fallback location (e.g. the exercise).
        """
        if not overrides:
            return self
        problems: list[Problem] = []
        merged = dict(self.phrases)
        for key, texts in overrides.items():
            message = validate_override(key, tuple(texts))
            if message is not None:
                at = (where or {}).get(key) or origin or Where()
                path = at.key if (where and key in where) else _join(at.key, key)
                problems.append(Problem.at(replace(at, key=path), message))
                continue
            merged[key] = tuple(texts)
        if problems:
            raise CueError.collect(problems)
        conditions = {k: v for k, v in self.conditions.items() if k not in overrides}
        return replace(
            self, phrases=MappingProxyType(merged), conditions=MappingProxyType(conditions)
        )


@dataclass(frozen=True)
class CuePackInfo:
    """One line of `voicecoach list`."""

    name: str
    description: str
    source: str = field(default="")


def lines_for(pack: CuePack, key: str, exercise: Exercise | None) -> tuple[str, ...]:
    """The phrasings of ``key`` that fit ``exercise`` (its `when:` conditions hold).

    The one filter the script builder calls wherever it picks a line; ``exercise``
    None (session-level lines) keeps only lines without conditions.
    """
    return pack.fitting(key, exercise_traits(exercise) if exercise is not None else None)


def most_specific_lines(pack: CuePack, key: str, exercise: Exercise | None) -> tuple[str, ...]:
    """The fitting phrasings of ``key`` that ask for something (a `when:` with at
    least one condition); the ones that fit everywhere only when none of those fits.

    Check-ins use it: the question about what the exercise targets wins, the general
    one is the fallback (e.g. for an exercise that does not say its type).
    """
    traits = exercise_traits(exercise) if exercise is not None else None
    fitting = set(pack.fitting(key, traits))
    specific = tuple(
        text
        for text, cond in zip(pack.get(key), pack.when(key), strict=True)
        if text in fitting and cond is not None and cond != When()
    )
    return specific or tuple(t for t in pack.get(key) if t in fitting)


def validate_override(key: str, texts: tuple[str, ...]) -> str | None:
    """None if ``key: texts`` is a valid cue override, else the message saying why.

    Used by the routine loader, which adds the location.
    """
    message = check_key(key)
    if message is not None:
        return message
    if isinstance(texts, str) or not isinstance(texts, tuple | list):
        return "expected a list of phrases. write each phrase as a list item"
    for text in texts:
        if not isinstance(text, str):
            return f"phrase {text!r} is not text. put it in quotes"
        message = check_template(key, text)
        if message is not None:
            return message
    return None


def _join(base: str | None, key: str) -> str:
    return f"{base}.cue_overrides.{key}" if base else key
