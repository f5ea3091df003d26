"""Fit warnings name only lines the user wrote (issue 10 leftovers, point 2b).

A bundled cue-pack line that has no room is the coach's choice: another phrasing
that fits is said, or nothing, without a warning. A line the user wrote (in the
routine's `phrases:`, an exercise's, or their own pack) is warned about.
"""

from __future__ import annotations

from voicecoach.planning.script import Gap, build_script
from voicecoach.planning.timeline import Timeline, estimate_phrase_ms, plan
from voicecoach.routine.loader import load_routine_text

SHORT_RESTS = """\
name: T
{phrases}exercises:
  - {{name: Glute bridge, reps: 6, sets: 3, rest: 4s}}
  - {{name: Clamshell, reps: 6, sets: 2, rest: 3s, sides: both, switch_rest: 3s}}
"""


def planned(phrases: str = "") -> Timeline:
    routine = load_routine_text(SHORT_RESTS.format(phrases=phrases), "client.yaml")
    script = build_script(routine)
    return plan(script, lambda text: estimate_phrase_ms(text, 150))


def test_bundled_lines_that_do_not_fit_are_left_out_quietly() -> None:
    tl = planned()
    assert tl.warnings == ()
    said = {e.cue_key for e in tl.events if e.spoken}
    assert "rest_between_sets" in said  # the rests are still announced


def test_a_line_the_user_wrote_is_warned_about_when_it_does_not_fit() -> None:
    phrases = 'phrases:\n  next_set: ["Set {set} of {sets} is coming up now, nice and slow."]\n'
    tl = planned(phrases)
    assert tl.warnings == (
        "Glute bridge: 'next_set' does not fit in the rest of 4 s; it is left out",
        "Clamshell: 'next_set' does not fit in the rest of 3 s; it is left out",
    )


def test_a_shorter_phrasing_is_said_when_the_picked_one_has_no_room() -> None:
    text = """\
name: T
phrases:
  last_set: ["Last set now, give it everything you have got left.", "Last set."]
exercises:
  - {name: Glute bridge, reps: 6, sets: 2, rest: 7s}
"""
    script = build_script(load_routine_text(text, "client.yaml"), seed=0)
    gap = script.steps[2]
    assert isinstance(gap, Gap)
    assert (gap.tails[0].text or "").startswith("Last set now")  # the one picked
    tl = plan(script, lambda text: estimate_phrase_ms(text, 150))
    assert [e.text for e in tl.events if e.cue_key == "last_set"] == ["Last set."]
    assert tl.warnings == ()
