"""Fixtures for page tests: one rendered session (fake engine, MP3) and, for the
browser tests, headless Chromium (the Debian `chromium` package) driven by playwright.

Without Chromium the browser tests skip, unless CI is set: then they fail.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.page.page_support import PAGE_ROUTINE, PageUnderTest
from voicecoach.page.chromium import CHROMIUM_ARGS, MISSING, find_chromium
from voicecoach.pipeline import RenderOptions, VoiceChoice, render


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pagetest.mp3 + .timeline.json + .html, rendered once with the fake engine."""
    folder = tmp_path_factory.mktemp("page")
    routine = folder / "pagetest.yaml"
    routine.write_text(PAGE_ROUTINE, encoding="utf-8")
    options = RenderOptions(voice=VoiceChoice(engine="fake"), transcripts=(), page=True)
    render(routine, folder / "pagetest.mp3", options)
    return folder


@pytest.fixture(scope="session")
def sidecar(session_dir: Path) -> dict[str, Any]:
    """The render's own timeline, as written beside the audio."""
    data: dict[str, Any] = json.loads(
        (session_dir / "pagetest.timeline.json").read_text(encoding="utf-8")
    )
    return data


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("the playwright package is not installed (uv sync installs it)")
        return
    path = find_chromium()
    if path is None:
        _skip_or_fail(MISSING)
        return
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, args=list(CHROMIUM_ARGS))
        yield launched
        launched.close()


@pytest.fixture
def session_page(browser: Any, session_dir: Path) -> Iterator[PageUnderTest]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    page = context.new_page()
    under_test = PageUnderTest(page)
    page.goto((session_dir / "pagetest.html").as_uri())
    page.wait_for_function("document.getElementById('audio').readyState >= 1")
    yield under_test
    context.close()
    assert under_test.errors == []
