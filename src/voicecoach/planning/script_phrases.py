"""The script builder's phrasings: every line rendered from the cue pack (the
routine's and each exercise's overrides on top), the phrasing picked by the seed."""

from __future__ import annotations

from voicecoach.cues import CuePack, VariantPicker, lines_for, load_cue_pack, render
from voicecoach.cues.template import with_client
from voicecoach.planning.script_steps import Context, Line, Role
from voicecoach.routine.model import Exercise, Routine


class ScriptPhrases:
    """What the builder says with, and the warnings it collects."""

    def __init__(self, routine: Routine, seed: int, pack: CuePack) -> None:
        self.routine = routine
        self.picker = VariantPicker(seed)
        self.pack = pack.with_overrides(
            routine.cue_overrides, where=routine.cue_override_where, origin=routine.where
        )
        self._packs: dict[int, CuePack] = {}
        self.warnings: dict[str, None] = {}

    def pack_for(self, ex: Exercise | None) -> CuePack:
        if ex is None or not ex.cue_overrides:
            return self.pack
        key = id(ex)
        if key not in self._packs:
            self._packs[key] = self.pack.with_overrides(ex.cue_overrides, origin=ex.where)
        return self._packs[key]

    def say(self, key: str, ex: Exercise | None, **values: object) -> str | None:
        """A rendered phrasing of ``key``, or None when the key is silenced."""
        options = self.say_all(key, ex, **values)
        return options[0] if options else None

    def say_all(self, key: str, ex: Exercise | None, **values: object) -> tuple[str, ...]:
        """Every phrasing of ``key``: the picked one first, then the others in turn."""
        return self.say_from(key, lines_for(self.pack_for(ex), key, ex), **values)

    def say_from(self, key: str, templates: tuple[str, ...], **values: object) -> tuple[str, ...]:
        """``templates`` (phrasings of ``key``) rendered: the picked one first."""
        options = with_client(templates, self.routine.profile.client)
        if not options:
            return ()
        values = {**values, "client": self.routine.profile.client or ""}
        i = self.picker.index(key, len(options))
        return tuple(render(options[(i + j) % len(options)], values) for j in range(len(options)))

    def line(
        self,
        key: str,
        ex: Exercise | None,
        ctx: Context,
        *,
        required: bool = True,
        **values: object,
    ) -> list[Line]:
        return self.line_with(key, ex, ctx, values, required)

    def line_with(
        self,
        key: str,
        ex: Exercise | None,
        ctx: Context,
        values: dict[str, object],
        required: bool = True,
    ) -> list[Line]:
        """``key`` said with ``values``, as a `Line` (with its other phrasings)."""
        texts = self.say_all(key, ex, **values)
        if not texts:
            return []
        role: Role = "bank" if key == "check_in" else "structural"
        own = self.user_wrote(key, ex)
        return [
            Line(texts[0], key, "speech", required, ctx, role=role, alternatives=texts[1:], own=own)
        ]

    def user_wrote(self, key: str, ex: Exercise | None) -> bool:
        """Whether the phrasings of ``key`` here are the user's (written, chosen or
        silenced in their routine or pack), not the bundled pack's."""
        return set(self.pack_for(ex).get(key)) != set(load_cue_pack(None).get(key))

    def warn(self, message: str) -> None:
        self.warnings.setdefault(message, None)
