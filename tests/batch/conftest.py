"""Fixtures for batch, client and program tests: tiny routines and client files."""

from __future__ import annotations

from pathlib import Path

import pytest

TINY = """\
name: {name}
sound: {{background: none}}
phrases:
  session_end: "See you next time, {{client}}."
exercises:
  - name: Glute bridge
    reps: 3
    rest_after: 0s
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with two tiny routines and two client files."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bridge.yaml").write_text(TINY.format(name="Bridge"), encoding="utf-8")
    (tmp_path / "bridge2.yaml").write_text(TINY.format(name="Bridge two"), encoding="utf-8")
    clients = tmp_path / "clients"
    clients.mkdir()
    (clients / "sam.yaml").write_text(
        "name: Sam\nweak_side: left\nlevel: easy\ncoach: quiet\nvoice: {rate: 150}\n",
        encoding="utf-8",
    )
    (clients / "jo.yaml").write_text("name: Jo Lee\nlevel: hard\n", encoding="utf-8")
    return tmp_path
