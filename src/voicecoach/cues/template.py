"""Strict templates: `{variable}` only, every variable must be allowed for its key.

`str.format` would happily evaluate `{exercise.__class__}` or `{rep:>99999}`; cue
texts come from users, so only bare names are accepted and the values are
substituted without format specs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from string import Formatter

from voicecoach.cues.keys import all_keys, allowed_variables
from voicecoach.cues.spoken import duration_words, tidy, title_in_sentence
from voicecoach.text import suggest

_FORMATTER = Formatter()
# Allowed in every key: the client's name (profile.client, e.g. from a client file).
# Lines that use it are left out when the session has no client (`with_client`).
CLIENT_VARIABLE = "client"
# "{client}" with the comma or space that joins it to the sentence: "Nice work, {client}."
_NAME_SLOT = re.compile(r",?\s*\{client\}\s*,?")


def template_variables(text: str) -> list[str]:
    """Variable names used in ``text``, in order. Raises ValueError on bad braces."""
    names: list[str] = []
    for _literal, field, spec, conversion in _FORMATTER.parse(text):
        if field is None:
            continue
        if spec or conversion:
            raise ValueError(f"format options are not supported in {{{field}}}")
        names.append(field)
    return names


def check_template(key: str, text: str) -> str | None:
    """None if ``text`` is a valid template for ``key``, else a message saying why."""
    allowed = allowed_variables(key)
    if allowed is None:
        return check_key(key)
    if not text.strip():
        return "empty phrase. remove it, or use an empty list [] to silence this cue"
    try:
        names = template_variables(text)
    except ValueError as exc:
        reason = str(exc)
        if "format options" in reason:
            return f"{reason} in '{text}'. write the variable bare, like {{rep}}"
        return f"unbalanced brace in '{text}'. write {{{{ or }}}} for a literal brace"
    listed = ", ".join(f"{{{n}}}" for n in sorted(allowed)) or "none"
    for name in names:
        if name in allowed or name == CLIENT_VARIABLE:
            continue
        close = suggest(name, sorted(allowed))
        hint = f" did you mean {{{close}}}?" if close else ""
        return f"unknown template variable {{{name}}} in '{text}'.{hint} allowed here: {listed}"
    return None


def check_key(key: str) -> str | None:
    """None if ``key`` is a cue key, else 'unknown cue key ...' with a suggestion."""
    if allowed_variables(key) is not None:
        return None
    close = suggest(key, all_keys())
    if close:
        return f"unknown cue key '{key}'. did you mean '{close}'?"
    return f"unknown cue key '{key}'. the cue keys are listed in docs/cue-keys.md"


def derived_values(values: Mapping[str, object]) -> dict[str, object]:
    """The variables computed from others: ``{duration}`` from ``{seconds}`` ("two
    minutes"), ``{section_lower}`` / ``{next_lower}`` as said inside a sentence."""
    out = dict(values)
    seconds = values.get("seconds")
    if seconds is not None and "duration" not in out:
        try:
            out["duration"] = duration_words(round(float(str(seconds)) * 1000))
        except ValueError:
            out["duration"] = f"{seconds} seconds"
    for name in ("section", "next"):
        if values.get(name) is not None:
            out.setdefault(f"{name}_lower", title_in_sentence(str(values[name])))
    return out


def uses_client(text: str) -> bool:
    try:
        return "client" in template_variables(text)
    except ValueError:
        return False


def with_client(options: Sequence[str], client: str | None) -> tuple[str, ...]:
    """The phrasings to choose from: with a client, all of them; without one, those
    that don't use ``{client}`` (or, when every one does, each without the name)."""
    if client:
        return tuple(options)
    plain = tuple(o for o in options if not uses_client(o))
    if plain or not options:
        return plain
    return tuple(_NAME_SLOT.sub("", o) for o in options)


def render(text: str, values: Mapping[str, object]) -> str:
    """Fill a checked template. A text that starts with a variable gets a capital.

    Grammar is tidied afterwards: "1 seconds" -> "1 second", "90 seconds" -> "a
    minute and a half" (see `voicecoach.cues.spoken.tidy`).
    """
    if any(name in values for name in ("seconds", "section", "next")):
        values = derived_values(values)
    out: list[str] = []
    for literal, field, _spec, _conversion in _FORMATTER.parse(text):
        out.append(literal)
        if field is not None:
            out.append(str(values.get(field, "")) if field == "client" else str(values[field]))
    rendered = "".join(out)
    if text.startswith("{") and not text.startswith("{{"):
        rendered = rendered[:1].upper() + rendered[1:]
    return tidy(rendered)
