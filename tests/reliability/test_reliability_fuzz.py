"""Fuzzing: generated routines and cue packs (valid and invalid) end in a plan or our error.

Plan only, no audio, so each example takes milliseconds. Under the "ci" hypothesis
profile each test runs 1000 examples; under "dev" about 150.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from voicecoach.cues.keys import all_keys, allowed_variables
from voicecoach.errors import VoicecoachError
from voicecoach.pipeline import plan_routine
from voicecoach.planning.timeline import Timeline
from voicecoach.routine.loader import load_routine_text

CI = os.environ.get("HYPOTHESIS_PROFILE") == "ci"
HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large]
FUZZ = settings(max_examples=1000 if CI else 150, deadline=None, suppress_health_check=HEALTH)
FUZZ_SMALL = settings(max_examples=500 if CI else 75, deadline=None, suppress_health_check=HEALTH)

KEYS = {key: sorted(allowed_variables(key) or ()) for key in all_keys()}
VARIABLES = sorted({v for vs in KEYS.values() for v in vs} | {"rpe", "exercise.name", "0"})

# -- building blocks: mostly plausible, sometimes wrong --------------------------------

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.integers(-3, 3), max_size=3),
    st.dictionaries(st.sampled_from(["a", "name", "reps"]), st.integers(0, 3), max_size=2),
)


def strategies(dirty: bool) -> tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]:
    """(routine, cue pack) strategies. Clean ones hold plausible values (mostly valid,
    still with range and cross-field mistakes); dirty ones mix in junk of any type."""

    def sometimes(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        """A plausible value; when dirty, sometimes junk of any type instead."""
        return st.one_of(valid, junk) if dirty else valid

    def rarely(common: Any, rare: Any) -> st.SearchStrategy[Any]:
        """`common`; when dirty, sometimes `rare` (a wrong value of the right type)."""
        return st.one_of(common, rare) if dirty else common

    durations = st.one_of(
        rarely(st.integers(0, 90), st.integers(-5, 700)).map(lambda s: f"{s}s"),
        rarely(
            st.sampled_from(["30s", "1m30s", "1:30", "500ms", "0s", "2m", "1.5s"]),
            st.sampled_from(["1h", "-1s", "10m1s", "soon"]),
        ),
        st.integers(0, 200),
    )
    tempos = st.one_of(
        rarely(
            st.lists(st.integers(0, 3), min_size=3, max_size=4),
            st.lists(st.integers(0, 40), min_size=2, max_size=5),
        ).map(lambda p: "-".join(map(str, p))),
        rarely(
            st.sampled_from(["2-1-2", "1-0-1", "3-1-3-1", "1.5-0.5-2"]),
            st.sampled_from(["0-0-0", "40-1-1", "fast"]),
        ),
        st.lists(st.floats(0.5, 3, allow_nan=False), min_size=3, max_size=4),
    )
    words = rarely(
        st.lists(st.sampled_from(["up", "squeeze", "down", ""]), min_size=3, max_size=3),
        st.lists(st.sampled_from(["up", "squeeze", "down", "", "hold"]), max_size=5),
    )
    names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)
    plain = st.text(alphabet="abcdefghij ,.!", min_size=1, max_size=30).filter(str.strip)
    texts = st.one_of(
        plain,
        rarely(plain, names),
        st.lists(st.sampled_from(VARIABLES), max_size=3).map(
            lambda vs: "Go " + " ".join("{" + v + "}" for v in vs)
        ),
    )

    cue = st.builds(
        lambda say, place, side: {"say": say, **place, **side},
        sometimes(texts),
        rarely(
            st.one_of(
                st.fixed_dictionaries({"at": st.one_of(st.integers(1, 4), st.just("half"))}),
                rarely(
                    st.fixed_dictionaries({"at": st.just("last")}),
                    st.fixed_dictionaries({"at": st.just("2s")}) | st.just({"every": 3}),
                ),
            ),
            st.fixed_dictionaries({}, optional={"at": junk, "every": junk}),
        ),
        rarely(
            st.just({}), st.fixed_dictionaries({"side": st.sampled_from(["left", "right", "x"])})
        ),
    )

    work = rarely(
        st.one_of(
            st.fixed_dictionaries(
                {"reps": sometimes(st.integers(1, 12))},
                optional={"tempo": sometimes(tempos), "tempo_words": rarely(words, junk)},
            ),
            st.fixed_dictionaries(
                {"hold": sometimes(st.sampled_from(["5s", "12s", "30s", "1:00"]))}
            ),
        ),
        st.fixed_dictionaries({}, optional={"reps": junk, "hold": durations, "tempo": tempos}),
    )

    exercise = st.builds(
        lambda base, part, typo: {**base, **part, **typo},
        st.fixed_dictionaries(
            {"name": sometimes(rarely(plain, names))},
            optional={
                "sets": sometimes(st.integers(1, 3)),
                "rest": sometimes(durations),
                "rest_after": sometimes(durations),
                "sides": rarely(st.sampled_from(["both", "left", "right"]), st.just("up")),
                "focus": sometimes(
                    st.lists(st.sampled_from(["glutes", "abs", "hip flexors", "toes"]), max_size=3)
                ),
                "setup": sometimes(texts),
                "cues": sometimes(st.lists(cue, max_size=2)),
                "phrases": rarely(
                    st.dictionaries(st.sampled_from(list(KEYS)), texts, max_size=2),
                    st.dictionaries(st.sampled_from(["rest_anounce", "count"]), junk, max_size=2),
                ),
            },
        ),
        work,
        rarely(st.just({}), st.just({"rpes": 3})),
    )

    rounds = st.fixed_dictionaries(
        {
            "rounds": rarely(st.integers(1, 3), st.integers(-1, 60)),
            "exercises": st.lists(exercise, min_size=1, max_size=3),
        },
        optional={"rest": sometimes(durations), "name": sometimes(names)},
    )

    items = st.lists(st.one_of(exercise, exercise, rounds), min_size=0 if dirty else 1, max_size=3)

    routine = st.fixed_dictionaries(
        {"name": sometimes(rarely(plain, names))},
        optional={
            "version": sometimes(st.just(1)),
            "description": sometimes(texts),
            "intro": sometimes(texts),
            "outro": sometimes(texts),
            "defaults": sometimes(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "rest": sometimes(durations),
                        "tempo": sometimes(tempos),
                        "sets": sometimes(st.integers(0, 3)),
                        "reps": sometimes(st.integers(0, 20)),
                    },
                )
            ),
            "profile": sometimes(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "weak_side": sometimes(st.sampled_from(["left", "right"])),
                        "extra_weak_side_set": sometimes(st.booleans()),
                        "level": sometimes(st.sampled_from(["easy", "normal", "hard"])),
                        "check_ins": sometimes(st.booleans()),
                    },
                )
            ),
            "voice": sometimes(
                st.fixed_dictionaries({}, optional={"rate": sometimes(st.integers(0, 500))})
            ),
            "sound": sometimes(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "background": sometimes(st.sampled_from(["pad", "none"])),
                        "duck_db": rarely(st.integers(10, 40), st.integers(0, 50)),
                    },
                )
            ),
            "phrases": sometimes(
                st.dictionaries(st.sampled_from([*KEYS, "rest_anounce"]), texts, max_size=3)
            ),
        },
    ).flatmap(
        lambda top: st.one_of(
            st.builds(lambda xs: {**top, "exercises": xs}, items),
            st.builds(
                lambda ss: {**top, "sections": ss},
                st.lists(
                    st.fixed_dictionaries({"name": sometimes(names), "exercises": items}),
                    max_size=3,
                ),
            ),
        )
    )

    pack_keys = st.sampled_from(
        [*[k for k in KEYS if not k.startswith("focus.")], "rest_anounce", "x"]
    )
    phrases = st.one_of(texts, st.lists(sometimes(texts), max_size=3), junk)
    pack = st.fixed_dictionaries(
        {},
        optional={
            "name": sometimes(names),
            "description": sometimes(texts),
            "extends": sometimes(
                st.sampled_from(["default", "pack.yaml", "other.yaml", "nope.yaml"])
            ),
            "cues": sometimes(st.dictionaries(pack_keys, phrases, max_size=6)),
            "focus": sometimes(
                st.dictionaries(
                    st.sampled_from(["glutes", "abs", "toes", "core"]), phrases, max_size=3
                )
            ),
            "extra": st.integers(),
        },
    )

    return routine, pack


clean_routine, clean_pack = strategies(dirty=False)
dirty_routine, dirty_pack = strategies(dirty=True)
routine = st.one_of(clean_routine, dirty_routine)
pack = st.one_of(clean_pack, dirty_pack)


def plan_or_own_error(text: str, base_dir: Path | None = None) -> Timeline | VoicecoachError:
    """Load and plan; anything but a Timeline or a VoicecoachError fails the test."""
    try:
        timeline = plan_routine(load_routine_text(text, "fuzz.yaml", base_dir=base_dir))
    except VoicecoachError as exc:
        message = exc.format()
        assert message.strip() and "Traceback" not in message
        event(f"error: {type(exc).__name__}")
        return exc
    assert isinstance(timeline, Timeline)
    event("plan")
    assert timeline.total_ms > 0 and timeline.chapters
    assert all(0 <= e.start_ms <= e.end_ms <= timeline.total_ms for e in timeline.events)
    return timeline


@FUZZ
@given(routine)
def test_generated_routines_plan_or_fail_cleanly(data):
    plan_or_own_error(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


VALID_TEXT = """name: Fuzz
defaults: {rest: 5s, tempo: 1-0-1}
profile: {weak_side: left, extra_weak_side_set: true}
phrases: {rest_announce: "Rest {seconds}. Next: {next}."}
sections:
  - name: One
    exercises:
      - {name: Bridge, reps: 4, tempo_words: [up, '', down], cues: [{at: half, say: Glutes.}]}
      - {name: Stretch, hold: 12s, sides: both, cues: [{at: 5s, say: Tall., side: left}]}
      - rounds: 2
        exercises: [{name: Dead bug, reps: 3}]
"""


@FUZZ_SMALL
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(VALID_TEXT)),
            st.integers(0, 4),
            st.text(alphabet=":-[]{}&*!|>'\"#\t\n 0123456789ab\\%@`,?", max_size=4),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_routine_text_plans_or_fails_cleanly(edits):
    """Random cuts and insertions of YAML punctuation into a valid routine."""
    text = VALID_TEXT
    for at, cut, insert in edits:
        at = min(at, len(text))
        text = text[:at] + insert + text[at + cut :]
    plan_or_own_error(text)


# -- cue packs ---------------------------------------------------------------------------

PACK_ROUTINE = """name: Packs
cue_pack: pack.yaml
exercises:
  - {name: Bridge, reps: 3, tempo: 1-0-1, focus: [glutes]}
  - {name: Plank, hold: 6s, sides: both}
"""


@FUZZ_SMALL
@given(pack, pack)
def test_generated_cue_packs_plan_or_fail_cleanly(first, second):
    """pack.yaml (maybe extending other.yaml, which may extend pack.yaml: a cycle)."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "pack.yaml").write_text(yaml.safe_dump(first, allow_unicode=True))
        (base / "other.yaml").write_text(yaml.safe_dump(second, allow_unicode=True))
        plan_or_own_error(PACK_ROUTINE, base)
