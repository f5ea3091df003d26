"""Reading a routine's lists and nested values: words, focus groups, phrase
overrides, pronunciations, sections, exercises and cues.

`FieldReader` is the reader the loader and the other file kinds (clients,
programs, documents) use: `voicecoach.routine.fields.MappingReader` with these
readers added.
"""

from __future__ import annotations

from typing import Any

from voicecoach.cues import validate_override
from voicecoach.errors import VoicecoachError, Where
from voicecoach.routine import spec
from voicecoach.routine.fields import BAD, MappingReader, show
from voicecoach.routine.yamlsrc import YNode
from voicecoach.textsafe import CONTROL_HINT, control_character_message


class FieldReader(MappingReader):
    """Checks mappings and values from `spec`, collecting located problems."""

    def read_words(self, key: spec.Key, node: YNode, path: str) -> Any:
        if node.kind != "seq":
            self.add(
                node,
                path,
                f"must be a list of words, got {show(node)}",
                f"write it like {key.name}: {key.example}",
            )
            return BAD
        words: list[str] = []
        ok = True
        for index, item in enumerate(node.value):
            item_path = f"{path}[{index}]"
            if item.kind == "scalar" and item.value is None:
                words.append("")
                continue
            if item.kind != "scalar" or isinstance(item.value, bool):
                self.add(
                    item,
                    item_path,
                    f"must be a word, got {show(item)}",
                    "use '' to say nothing in a phase",
                )
                ok = False
                continue
            word = str(item.value if isinstance(item.value, str) else item.raw).strip()
            control = control_character_message(word)
            if control is not None:
                self.add(item, item_path, control, CONTROL_HINT)
                ok = False
            elif len(word) > self.limits.max_word_chars:
                self.add(
                    item,
                    item_path,
                    f"is too long ({len(word)} characters; at most {self.limits.max_word_chars})",
                    "use a short word like 'up'",
                )
                ok = False
            words.append(word)
        if ok and len(words) > 4:
            self.add(
                node,
                path,
                f"has {len(words)} words; a tempo has at most 4 phases",
                "give one word per tempo phase",
            )
            ok = False
        return tuple(words) if ok else BAD

    def read_focus(self, key: spec.Key, node: YNode, path: str) -> Any:
        items = node.value if node.kind == "seq" else [node]
        if len(items) > self.limits.max_focus:
            self.add(
                node,
                path,
                f"has {len(items)} muscle groups; at most {self.limits.max_focus}",
                "name the two or three that matter most",
            )
            return BAD
        out: list[str] = []
        for index, item in enumerate(items):
            item_path = f"{path}[{index}]" if node.kind == "seq" else path
            name = self.read_text(key, item, item_path, 50)
            if name is BAD:
                return BAD
            out.append(" ".join(name.lower().split()))
        return tuple(out)

    def read_safety(self, key: spec.Key, node: YNode, path: str) -> Any:
        if node.kind == "scalar" and isinstance(node.value, bool):
            return node.value
        if node.kind == "scalar" and isinstance(node.value, str):
            return self.read_text(key, node, path)
        self.add(
            node,
            path,
            f"must be true, false or a text, got {show(node)}",
            'write safety: false, or safety: "Stop if it hurts."',
        )
        return BAD

    def read_pronounce(self, key: spec.Key, node: YNode, path: str) -> Any:
        if node.kind != "map":
            self.add(
                node,
                path,
                f"must be a mapping of written form to spoken form, got {show(node)}",
                f"write it like {key.name}: {key.example}",
            )
            return BAD
        out: dict[str, str] = {}
        for written, value in node.value.items():
            text = self.read_text(key, value, f"{path}.{written}", self.limits.max_name_chars)
            if text is BAD:
                return BAD
            out[str(written)] = text
        return out

    def read_phrases(self, key: spec.Key, node: YNode, path: str) -> Any:
        if node.kind != "map":
            self.add(
                node,
                path,
                f"must be a mapping of cue keys to texts, got {show(node)}",
                f"write it like {key.name}: {key.example}",
            )
            return BAD
        texts: dict[str, tuple[str, ...]] = {}
        wheres: dict[str, Where] = {}
        ok = True
        for cue_key, value in node.value.items():
            item_path = f"{path}.{cue_key}"
            variants = value.value if value.kind == "seq" else [value]
            # An empty list [] silences that cue.
            if (not variants and value.kind != "seq") or len(variants) > self.limits.max_variants:
                self.add(
                    value,
                    item_path,
                    f"must have 0 to {self.limits.max_variants} phrasings, got {len(variants)}",
                    "give one text, a short list of texts, or [] to silence the cue",
                )
                ok = False
                continue
            out: list[str] = []
            for index, variant in enumerate(variants):
                variant_path = f"{item_path}[{index}]" if value.kind == "seq" else item_path
                if variant.kind == "scalar" and variant.value == "":
                    self.add(variant, variant_path, "empty phrase", "use [] to silence this cue")
                    ok = False
                    break
                text = self.read_text(key, variant, variant_path)
                if text is BAD:
                    ok = False
                    break
                out.append(text)
            else:
                message = check_override(cue_key, tuple(out))
                if message:
                    self.add_at_key(node, cue_key, item_path, message)
                    ok = False
                texts[cue_key] = tuple(out)
                line, column = node.key_at.get(cue_key, (None, None))
                wheres[cue_key] = Where(node.origin or self.file, line, column, item_path)
        return (texts, wheres) if ok else BAD

    def read_at(self, key: spec.Key, node: YNode, path: str) -> Any:
        return node  # interpreted by the cue builder, which knows reps and hold

    def read_map(self, key: spec.Key, node: YNode, path: str) -> Any:
        assert key.of is not None
        return self.fields(node, key.of, path) or BAD

    def read_list(self, key: spec.Key, node: YNode, path: str, what: str, hint: str) -> Any:
        if node.kind != "seq":
            self.add(node, path, f"must be a list of {what}, got {show(node)}", hint)
            return BAD
        if not node.value:
            self.add(node, path, "is empty", f"add at least one of the {what}")
            return BAD
        return node

    def read_items(self, key: spec.Key, node: YNode, path: str) -> Any:
        return self.read_list(
            key, node, path, "exercises", "start each exercise with '- name: ...' on its own line"
        )

    def read_sections(self, key: spec.Key, node: YNode, path: str) -> Any:
        found = self.read_list(
            key, node, path, "sections", "start each section with '- name: ...' on its own line"
        )
        if found is not BAD and len(node.value) > self.limits.max_sections:
            self.add(
                node,
                path,
                f"has {len(node.value)} sections; at most {self.limits.max_sections}",
                "merge some sections",
            )
            return BAD
        return found

    def read_cues(self, key: spec.Key, node: YNode, path: str) -> Any:
        if node.kind != "seq":
            self.add(
                node,
                path,
                f"must be a list of cues, got {show(node)}",
                "write each cue like '- {at: half, say: Breathe.}'",
            )
            return BAD
        if len(node.value) > self.limits.max_cues:
            self.add(
                node,
                path,
                f"has {len(node.value)} cues; at most {self.limits.max_cues}",
                "keep the cues that matter most",
            )
            return BAD
        return node


def check_override(key: str, texts: tuple[str, ...]) -> str | None:
    """Ask the cue packs whether an override key and its template variables exist."""
    try:
        return validate_override(key, texts)
    except VoicecoachError as exc:
        return str(exc)
