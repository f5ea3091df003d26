"""The session page in headless Chromium: what it shows at a time, navigation,
wait-for-me, check-in answers, accessibility, and screenshots."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.page.page_support import SPOKEN, PageUnderTest, expected_at, wait_points

pytestmark = pytest.mark.browser


def _seek_times(timeline: dict[str, Any], count: int = 14) -> list[float]:
    """Times (s) 300 ms inside spoken events that last long enough, spread over the session."""
    inside = [
        e
        for e in timeline["events"]
        if e["kind"] in SPOKEN and e["text"] and e["end_ms"] - e["start_ms"] >= 400
    ]
    step = max(1, len(inside) // count)
    return [(e["start_ms"] + 300) / 1000 for e in inside[::step]][:count]


def test_page_shows_what_the_timeline_says_at_each_seek(
    session_page: PageUnderTest, sidecar: dict[str, Any]
) -> None:
    timeline = sidecar["timeline"]
    times = _seek_times(timeline)
    assert len(times) >= 10
    seen_reps = seen_holds = 0
    for wanted in times:
        now = session_page.seek(wanted)
        assert abs(now - wanted) < 0.05
        exp = expected_at(timeline, now * 1000)
        page = session_page.page
        assert session_page.text("#caption") == exp.caption, now
        assert session_page.text("#ex-name") == (exp.exercise or "Well done"), now
        if exp.side:
            assert session_page.text("#ex-side").lower() == exp.side
        else:
            assert not page.locator("#ex-side").is_visible()
        if exp.set is not None:
            assert session_page.text("#ex-set") == f"Set {exp.set} of {exp.sets}", now
        if exp.rep is not None:
            seen_reps += 1
            assert session_page.text("#ex-counter") == f"{exp.rep} / {exp.reps}", now
            assert session_page.text("#ex-phase").lower() == "rep"
        elif exp.exercise:
            seen_holds += 1
            assert session_page.text("#ex-phase").lower() in ("hold", "rest")
        assert session_page.text("#next-up") == exp.next_up, now
        assert page.evaluate("document.body.dataset.chapter") == str(exp.chapter)
    assert seen_reps >= 2 and seen_holds >= 2  # the seeks cover counts and holds/rests
    assert session_page.errors == []


def test_next_and_previous_change_the_chapter(
    session_page: PageUnderTest, sidecar: dict[str, Any]
) -> None:
    chapters = sidecar["timeline"]["chapters"]
    session_page.seek(chapters[1]["start_ms"] / 1000 + 4)
    page = session_page.page

    def chapter() -> int:
        return int(page.evaluate("document.body.dataset.chapter"))

    assert chapter() == 1
    page.click("#next")
    assert chapter() == 2
    assert abs(page.evaluate("audio.currentTime") * 1000 - chapters[2]["start_ms"]) < 50
    page.click("#prev")
    assert chapter() == 1
    page.locator("body").focus()
    page.keyboard.press("ArrowRight")
    assert chapter() == 2
    page.keyboard.press("ArrowLeft")
    assert chapter() == 1
    page.locator("#chapters button").nth(3).click()
    assert chapter() == 3
    assert page.locator("#chapters button").nth(3).get_attribute("aria-current") == "step"
    assert session_page.errors == []


def test_wait_for_me_pauses_before_the_countdown_until_ready(
    session_page: PageUnderTest, sidecar: dict[str, Any]
) -> None:
    page = session_page.page
    point = wait_points(sidecar["timeline"])[3] / 1000  # a new side, mid-session
    page.click("#wait-toggle")
    session_page.seek(point - 1.5)
    page.evaluate(
        """() => { window.__played = []; const a = document.getElementById('audio');
        const sample = () => { if (!a.paused) window.__played.push(a.currentTime);
                               requestAnimationFrame(sample); };
        sample(); }"""
    )
    page.click("#play")
    page.wait_for_function("document.getElementById('audio').paused", timeout=5000)
    played = page.evaluate("window.__played")
    assert played and max(played) > point - 1.0  # it really played
    assert abs(max(played) - point) <= 0.3, (max(played), point)
    assert page.locator("#ready").is_visible()
    page.wait_for_timeout(600)
    assert page.evaluate("audio.paused")
    assert abs(page.evaluate("audio.currentTime") - point) <= 0.3
    page.click("#ready")
    page.wait_for_function(f"!audio.paused && audio.currentTime > {point + 0.5}", timeout=5000)
    assert not page.locator("#ready").is_visible()
    page.click("#play")  # pause
    assert page.evaluate("localStorage.getItem('voicecoach.waitForMe')") == "1"
    assert session_page.errors == []


def test_check_in_answers_are_stored_and_exported(
    session_page: PageUnderTest, sidecar: dict[str, Any], tmp_path: Path
) -> None:
    page = session_page.page
    check_in = next(e for e in sidecar["timeline"]["events"] if e["cue_key"] == "check_in")
    session_page.seek((check_in["start_ms"] + 300) / 1000)
    assert page.locator("#checkin").is_visible()
    page.click("#ci-done")
    page.click("#ci-felt [data-felt='glutes']")
    page.click("#ci-pain [data-pain='2']")
    assert page.locator("#ci-pain [data-pain='2']").get_attribute("aria-checked") == "true"
    with page.expect_download() as info:
        page.click("#export-csv")
    target = tmp_path / "answers.csv"
    info.value.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 1
    row = rows[0]
    # one check-in per section: after its last exercise (here a per-side hold)
    side = check_in["side"] or ""
    assert (row["routine"], row["exercise"], row["side"]) == (
        "Page test",
        check_in["exercise"],
        side,
    )
    assert (row["done"], row["felt"], row["pain"]) == ("true", "glutes", "2")
    with page.expect_download() as info:
        page.click("#export-json")
    info.value.save_as(tmp_path / "answers.json")
    (entry,) = json.loads((tmp_path / "answers.json").read_text(encoding="utf-8"))
    assert entry["felt"] == ["glutes"] and entry["pain"] == 2 and entry["done"] is True
    # kept on the device, one log per routine: a reload still has it
    page.reload()
    assert "1 answer" in session_page.text("#log-count")
    stored = page.evaluate("localStorage.getItem('voicecoach.checkins.Page test')")
    assert json.loads(stored)[0]["exercise"] == check_in["exercise"]
    assert session_page.errors == []


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_page_passes_axe_and_screenshots(
    session_page: PageUnderTest, sidecar: dict[str, Any], tmp_path: Path, scheme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = session_page.page
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    session_page.seek(_seek_times(sidecar["timeline"])[4])
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.screenshot(path=str(tmp_path / f"phone-{scheme}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(tmp_path / f"laptop-{scheme}.png"))
    assert (tmp_path / f"phone-{scheme}.png").stat().st_size > 10_000
    assert session_page.errors == []


def test_space_plays_and_pauses(session_page: PageUnderTest) -> None:
    page = session_page.page
    page.locator("body").focus()
    # The button follows the audio's own play/pause events, which come a moment after
    # `audio.paused` changes: wait for the label itself, never read it at once.
    label = "document.getElementById('play').getAttribute('aria-label') === '{}'"
    page.keyboard.press("Space")
    page.wait_for_function("!audio.paused", timeout=5000)
    page.wait_for_function(label.format("Pause"), timeout=5000)
    page.keyboard.press("Space")
    page.wait_for_function("audio.paused", timeout=5000)
    page.wait_for_function(label.format("Play"), timeout=5000)
    assert session_page.errors == []
