"""Text a user wrote, made safe for where it goes: a terminal, one line, speech.

A routine can hold any character YAML can spell (``"\\e[2J"`` in a quoted string is
an escape character). Such text must never reach a terminal raw, where it could
clear the screen or rewrite what was printed, nor split a one-line message.
"""

from __future__ import annotations

import re
import unicodedata

# Bidirectional overrides and isolates reorder what a terminal shows ("Trojan source").
_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SPOKEN_WHITESPACE = frozenset("\t\n\r")


def _unsafe(ch: str, keep: str) -> bool:
    if ch in keep:
        return False
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI


def _escape(ch: str) -> str:
    return {"\r": "\\r", "\n": "\\n", "\t": "\\t"}.get(ch) or f"\\u{ord(ch):04x}"


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with control characters (escape, CR, DEL, C1, ...), line and paragraph
    separators and bidi overrides shown as ``\\u001b``-style escapes, never raw.

    Newlines (unless ``keep_newlines`` is false) and tabs stay. The escapes are also
    valid JSON string escapes, so JSON output stays valid; the result holds no
    unsafe character, so escaping twice changes nothing.
    """
    keep = "\n\t" if keep_newlines else "\t"
    if not any(_unsafe(ch, keep) for ch in text):
        return text
    return "".join(_escape(ch) if _unsafe(ch, keep) else ch for ch in text)


def control_character(text: str) -> tuple[int, str] | None:
    """The first control character in spoken text (tab, CR and LF are spacing), as
    (0-based index, its escaped form), or None."""
    for index, ch in enumerate(text):
        if unicodedata.category(ch) == "Cc" and ch not in _SPOKEN_WHITESPACE:
            return index, _escape(ch)
    return None


CONTROL_HINT = 'remove it (in quoted YAML text, escapes like "\\e" or "\\x1b" write one)'


def control_character_message(text: str) -> str | None:
    """What the readers say (with CONTROL_HINT) about a control character in spoken
    text, or None when there is none."""
    found = control_character(text)
    if found is None:
        return None
    index, shown = found
    return f"contains the control character {shown} at character {index + 1}"


_SPACES = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Runs of whitespace, line breaks included, as one space; trimmed."""
    return _SPACES.sub(" ", text).strip()
