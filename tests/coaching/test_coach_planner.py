"""issue 9's planning rules, each on a small routine: roles, the budget, no repeats,
counts like a coach."""

from __future__ import annotations

import pytest

from tests.timeline.plan_factories import bridge, by_words, plan_routine, routine_of
from voicecoach.coach.similarity import near_duplicate, similarity
from voicecoach.pipeline import plan_routine as plan_builtin
from voicecoach.planning.plan_output import timeline_to_json
from voicecoach.routine.loader import load_routine_text
from voicecoach.routine.model import Exercise, Profile, Tempo, TimedCue


def test_similarity_catches_paraphrases_and_keeps_different_ideas_apart() -> None:
    assert near_duplicate("Feel your glutes, not your low back.", "Glutes, not low back.")
    assert near_duplicate("Ribs down.", "Ribs down.")
    assert near_duplicate("Squeeze the back glute.", "Squeeze the glute on the back leg.")
    assert near_duplicate("Last one.", "Last one. Hold the squeeze.")
    assert near_duplicate("Rest 30 seconds.", "Rest 20 seconds.")
    assert not near_duplicate("And hold, 40 seconds.", "Couch stretch. Hold for 40 seconds.")
    assert not near_duplicate("Halfway.", "Rest 30 seconds.")
    assert not near_duplicate(
        "Squeeze your glutes.",
        "Set up: forearms under shoulders, legs long, and squeeze your glutes before you lift.",
    )
    assert similarity("a b", "b a") == similarity("b a", "a b")


def test_every_spoken_event_has_a_role() -> None:
    routine = load_routine_text(
        "name: R\nintro: Hello there, this is my own intro.\nexercises:\n"
        "  - use: glute-bridge\n    sets: 3\n"
        "  - name: Plank\n    hold: 30s\n    cues: [{at: 10s, say: Long spine.}]\n"
        "profile: {coach: chatty}\n"
    )
    events = timeline_to_json(plan_builtin(routine))["events"]
    roles = {e["role"] for e in events if e["kind"] in ("speech", "cue", "count")}
    assert roles == {"routine", "library", "correction", "bank", "structural"}
    assert all(e["role"] is None for e in events if e["kind"] not in ("speech", "cue", "count"))
    by_text = {e["text"]: e["role"] for e in events if e["text"]}
    assert by_text["Hello there, this is my own intro."] == "routine"
    assert by_text["Long spine."] == "routine"
    assert by_text["Press through your heels and squeeze your glutes to lift."] == "library"
    counts = [e for e in events if e["cue_key"] in ("count", "countdown", "halfway")]
    assert counts and all(e["role"] == "structural" for e in counts)


def test_a_user_half_cue_replaces_the_halfway_line() -> None:
    ex = bridge(sets=1, cues=(TimedCue("Keep the hips level.", "half"),))
    tl = plan_routine(routine_of(ex))
    assert "Keep the hips level." in {e.text for e in tl.events}
    assert not [e for e in tl.events if e.cue_key == "halfway"]


def test_a_routine_cue_suppresses_the_bank_line_it_paraphrases() -> None:
    ex = bridge(
        sets=1,
        reps=12,
        focus=("glutes",),
        cues=(TimedCue("Feel your glutes, not your low back.", "rep", 2),),
    )
    routine = routine_of(ex, profile=Profile(coach="chatty"))
    for seed in range(6):
        said = [e.text or "" for e in plan_routine(routine, seed=seed).events if e.kind == "cue"]
        assert "Feel your glutes, not your low back." in said
        assert "Glutes, not low back." not in said


def test_countdown_ends_on_go_and_rep_one_follows_on_its_beat() -> None:
    tl = plan_routine(routine_of(bridge(sets=1)))
    work = next(e for e in tl.events if e.kind == "work")
    before = [e for e in tl.events if e.spoken and e.end_ms <= work.start_ms][-4:]
    assert [e.text for e in before[:3]] == ["3", "2", "1"]
    assert before[3].cue_key == "countdown_go" and before[3].text in ("Go.", "Begin.")
    first = next(e for e in tl.events if e.cue_key == "count")
    assert first.start_ms == work.start_ms and first.rep == 1


def test_the_first_word_comes_after_a_second_of_quiet() -> None:
    tl = plan_routine(routine_of(bridge(sets=1)))
    assert min(e.start_ms for e in tl.events if e.spoken) >= 1000


def test_last_one_is_in_the_gap_before_the_final_rep_or_not_at_all() -> None:
    tl = plan_routine(routine_of(bridge(sets=1, reps=8)))
    work = next(e for e in tl.events if e.kind == "work")
    (last,) = [e for e in tl.events if e.cue_key == "last_rep"]
    final_start = work.start_ms + 7 * 5000
    assert final_start - 5000 < last.start_ms and last.end_ms <= final_start
    # A rep too short for it: dropped, never moved into the final rep; no warning.
    fast = bridge(sets=1, reps=8, tempo=Tempo((500, 0, 500)))
    tl = plan_routine(routine_of(fast), lambda t: 900 if t[0].isdigit() else 1500)
    assert not [e for e in tl.events if e.cue_key == "last_rep"]
    assert not [w for w in tl.warnings if "last" in w]


def test_final_set_only_when_final_on_every_side() -> None:
    ex = Exercise("Clamshell", reps=8, sets=2, sides="both", rest_ms=20_000)
    routine = routine_of(ex, profile=Profile(weak_side="left", extra_weak_side_set=True))
    events = plan_routine(routine, by_words(150)).events
    finals = [(e.side, e.set) for e in events if e.cue_key == "last_set"]
    assert finals == [("right", 2)]  # not before the weak side's extra (3rd) set


def test_at_a_fast_tempo_a_count_gives_way_to_the_users_cue() -> None:
    cue = TimedCue("Squeeze hard at the top.", "rep", 3)
    ex = bridge(sets=1, reps=8, tempo=Tempo((1000, 0, 1000)), cues=(cue,))
    tl = plan_routine(routine_of(ex), lambda t: 700 if t[0].isdigit() else 2200)
    said = [e for e in tl.events if e.text == cue.text]
    assert said and not tl.warnings
    counts = [e.rep for e in tl.events if e.cue_key == "count"]
    assert len(counts) == 7 and counts[0] == 1  # one count skipped, never rep 1
    for c in (e for e in tl.events if e.cue_key == "count"):
        assert c.end_ms <= said[0].start_ms or said[0].end_ms <= c.start_ms


@pytest.mark.parametrize("coach", ["quiet", "standard"])
def test_the_budget_never_drops_a_line_the_user_wrote(coach: str) -> None:
    mine = ("Press the floor away.", "Slow on the way down.")
    cues = (TimedCue(mine[0], "rep", 2), TimedCue(mine[1], "rep", 6))
    ex = bridge(sets=2, reps=10, focus=("glutes", "abs"), cues=cues)
    tl = plan_routine(routine_of(ex, profile=Profile(coach=coach)))  # type: ignore[arg-type]
    said = [e.text for e in tl.events if e.kind == "cue"]
    assert said.count(mine[0]) == 2 and said.count(mine[1]) == 2
    assert tl.warnings == ()  # bank lines left out by the budget are not warned about
    per_set: dict[int | None, int] = {}
    for e in tl.events:
        if e.kind == "cue" and e.role not in ("routine", "structural"):
            per_set[e.set] = per_set.get(e.set, 0) + 1
    if coach == "quiet":
        assert per_set == {}  # the user's lines already are the set's coaching
