"""Property tests: any generated routine either plans or raises VoicecoachError."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.timeline.plan_factories import check_invariants
from voicecoach.errors import VoicecoachError
from voicecoach.planning.script import build_script
from voicecoach.planning.timeline import plan
from voicecoach.routine.model import (
    Exercise,
    Profile,
    Rounds,
    Routine,
    Section,
    Sides,
    Tempo,
    TimedCue,
)

words = st.sampled_from(["", "up", "squeeze", "down", "hold it there"])
tempos = st.builds(
    Tempo,
    phases_ms=st.lists(st.integers(0, 4000), min_size=1, max_size=4)
    .map(tuple)
    .filter(lambda p: sum(p) >= 300),
    words=st.lists(words, max_size=4).map(tuple),
)
sides: st.SearchStrategy[Sides | None] = st.sampled_from([None, "both", "left", "right"])
cue_at = st.sampled_from(["rep", "half", "last", "every", "time"])
timed_cues = st.builds(
    TimedCue,
    text=st.sampled_from(["Breathe.", "Squeeze your glutes, not your back.", "Slow down."]),
    at=cue_at,
    value=st.integers(0, 20_000),
    side=st.sampled_from([None, "left", "right"]),
)
focus = st.lists(st.sampled_from(["glutes", "abs", "hip flexors", "calves", "core"]), max_size=3)


@st.composite
def exercises(draw: st.DrawFn) -> Exercise:
    hold = draw(st.booleans())
    return Exercise(
        name=draw(st.sampled_from(["Glute bridge", "Clamshell", "Dead bug", "Plank"])),
        reps=None if hold else draw(st.integers(1, 14)),
        hold_ms=draw(st.integers(500, 40_000)) if hold else None,
        tempo=draw(tempos),
        sets=draw(st.integers(1, 3)),
        rest_ms=draw(st.sampled_from([0, 500, 2500, 3000, 10_000, 30_000])),
        rest_after_ms=draw(st.sampled_from([0, 1500, 20_000])),
        sides=draw(sides),
        focus=tuple(draw(focus)),
        setup=draw(st.sampled_from([None, "Lie on your back, knees bent."])),
        cues=tuple(draw(st.lists(timed_cues, max_size=3))),
        cue_overrides=draw(
            st.sampled_from([{}, {"count": ("{rep}", "{rep} of {reps}")}, {"set_done": ()}])
        ),
    )


@st.composite
def routines(draw: st.DrawFn) -> Routine:
    sections = []
    for i in range(draw(st.integers(1, 2))):
        items: list[Exercise | Rounds] = []
        for _ in range(draw(st.integers(1, 3))):
            if draw(st.integers(0, 4)) == 0:
                items.append(
                    Rounds(
                        count=draw(st.integers(1, 3)),
                        exercises=tuple(draw(st.lists(exercises(), min_size=1, max_size=2))),
                        rest_ms=draw(st.sampled_from([0, 5000, 45_000])),
                    )
                )
            else:
                items.append(draw(exercises()))
        name = draw(st.sampled_from([None, f"Part {i + 1}"]))
        sections.append(Section(name, tuple(items), intro=draw(st.sampled_from([None, "Go."]))))
    return Routine(
        name="Generated",
        sections=tuple(sections),
        intro=draw(st.sampled_from([None, "Welcome."])),
        outro=draw(st.sampled_from([None, "Bye."])),
        profile=Profile(
            weak_side=draw(st.sampled_from([None, "left", "right"])),
            extra_weak_side_set=draw(st.booleans()),
            check_ins=draw(st.booleans()),
        ),
    )


@st.composite
def phrase_lengths(draw: st.DrawFn):
    """Length functions from realistic to absurd (minutes-long phrases)."""
    kind = draw(st.sampled_from(["words", "fixed", "long", "hashy"]))
    per = draw(st.integers(0, 2000))
    if kind == "words":
        return lambda text: per * len(text.split())
    if kind == "fixed":
        return lambda text: per
    if kind == "long":
        huge = draw(st.integers(1, 40)) * 60_000
        return lambda text: huge if len(text) > 20 else per
    return lambda text: (sum(map(ord, text)) * 37) % (per * 5 + 1)


@given(routines(), phrase_lengths(), st.integers(0, 3))
def test_any_routine_plans_or_raises_our_error(routine: Routine, lengths, seed: int) -> None:
    try:
        script = build_script(routine, seed=seed)
        tl = plan(script, lengths)
    except VoicecoachError:
        return
    check_invariants(tl, script)
    # Every spoken text was offered to the renderer.
    # (A rest that had to grow is announced with its real length, a new text.)
    offered = set(script.phrases())
    rest_keys = {"rest_announce", "rest_between_rounds", "rest_between_sets"}
    assert {e.text for e in tl.events if e.spoken and e.cue_key not in rest_keys} <= offered
    # Deterministic.
    assert plan(build_script(routine, seed=seed), lengths) == tl
