"""The commit of one run's outputs: temps, backups, a journal, the main output last.

`voicecoach.outputs` describes the guarantees and is where callers import
`OutputTransaction` from; this module is the mechanics: staging parts, committing
them, settling a commit that stopped part-way (in this run, or in a later one that
finds a dead run's journal), and removing what dead runs left in a folder.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from voicecoach.atomic import (
    describe_os_error,
    hold_lock,
    lock_name,
    new_tag,
    older_than,
    parse_name,
    release_lock,
    temp_name,
    try_lock,
)
from voicecoach.errors import AudioError

_JOURNAL_VERSION = 1
# Tags whose locks this process holds: on NFS, flock is a POSIX lock, which a second
# open of the same file in the same process would take (and then drop) silently.
_OWN_TAGS: set[str] = set()
_OWN_LOCK = threading.Lock()


@dataclass
class _Part:
    target: Path
    temp: Path
    backup: Path | None = None

    def record(self) -> dict[str, str | None]:
        return {
            "target": os.path.abspath(self.target),
            "temp": os.path.abspath(self.temp),
            "backup": os.path.abspath(self.backup) if self.backup else None,
        }


def _write_all(fh: Any, data: bytes) -> None:
    """Write `data` to an open file (a seam for tests that fill the disk)."""
    fh.write(data)


def _replace(source: Path, target: Path) -> None:
    """os.replace (a seam for tests that make a rename fail)."""
    os.replace(source, target)


def _unlink(path: Path | str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class OutputTransaction:
    """The parts of one run's output, committed together (see the module docstring)."""

    def __init__(self, main: str | os.PathLike[str]) -> None:
        self.main = Path(main)
        self.tag = new_tag()
        self._parts: dict[str, _Part] = {}
        self._locks: dict[str, tuple[Path, int]] = {}
        self._journals: list[Path] = []
        self._state = "open"  # open -> committing -> done

    # -- staging -----------------------------------------------------------------

    def temp_for(self, target: str | os.PathLike[str]) -> Path:
        """The temp path to write `target`'s new content to (beside it)."""
        if self._state != "open":
            raise RuntimeError("the transaction is already committed or rolled back")
        target = Path(target)
        key = os.path.abspath(target)
        part = self._parts.get(key)
        if part is None:
            self._lock_folder(target)
            part = _Part(target, target.with_name(temp_name(target, self.tag)))
            self._parts[key] = part
        return part.temp

    def write_bytes(self, target: str | os.PathLike[str], data: bytes) -> None:
        temp = self.temp_for(target)
        try:
            with open(temp, "wb") as fh:
                _write_all(fh, data)
        except OSError as exc:
            _unlink(temp)
            raise AudioError(describe_os_error(Path(target), exc)) from exc

    def write_text(self, target: str | os.PathLike[str], text: str) -> None:
        self.write_bytes(target, text.encode("utf-8"))

    def _lock_folder(self, target: Path) -> None:
        folder = target.parent
        key = os.path.abspath(folder)
        if key in self._locks:
            return
        clean_stale_temps(folder)
        path = folder / lock_name(self.tag)
        try:
            fd = hold_lock(path, folder / f".voicecoach-{self.tag}.newlock")
        except OSError as exc:
            raise AudioError(describe_os_error(target, exc)) from exc
        self._locks[key] = (path, fd)
        with _OWN_LOCK:
            _OWN_TAGS.add(self.tag)

    # -- commit and rollback -------------------------------------------------------------

    def _order(self) -> list[_Part]:
        main = self._parts.get(os.path.abspath(self.main))
        if main is None:
            raise RuntimeError(f"the main output {self.main} was never staged")
        return [p for p in self._parts.values() if p is not main] + [main]

    def commit(self) -> None:
        """Rename every part into place, the main output last; undo all on failure."""
        if self._state != "open":
            raise RuntimeError("the transaction is already committed or rolled back")
        parts = self._order()
        for part in parts:
            _check_ready(part)
        self._state = "committing"
        current = parts[0].target
        try:
            for part in parts:
                current = part.target
                if os.path.lexists(part.target):
                    backup = part.target.with_name(temp_name(part.target, self.tag, "bak"))
                    _backup(part.target, backup)
                    part.backup = backup
            current = self.main
            self._write_journals(parts)
            for part in parts:
                current = part.target
                _replace(part.temp, part.target)  # the last one is the commit point
        except BaseException as exc:
            if _settle(parts):
                self._remove_journals()
            self._state = "done"
            self._release()
            if isinstance(exc, OSError):
                raise AudioError(describe_os_error(current, exc)) from exc
            raise
        self._state = "done"
        try:
            for folder in {p.target.parent for p in parts}:
                _fsync_dir(folder)
            for part in parts:
                if part.backup is not None:
                    _unlink(part.backup)
            self._remove_journals()
        except OSError:
            pass  # committed; a later run removes what is left
        finally:
            self._release()

    def rollback(self) -> None:
        """Before commit: remove the temps (yesterday's files were never touched)."""
        if self._state == "open":
            for part in self._parts.values():
                _unlink(part.temp)
            self._state = "done"
        self._release()

    def _write_journals(self, parts: list[_Part]) -> None:
        folders = [Path(path).parent for path, _ in self._locks.values()]
        self._journals = [f / f".voicecoach-{self.tag}.journal" for f in folders]
        body = {
            "version": _JOURNAL_VERSION,
            "parts": [p.record() for p in parts],
            "journals": [os.path.abspath(j) for j in self._journals],
        }
        data = json.dumps(body, indent=1).encode("utf-8")
        for journal in self._journals:
            side = journal.with_name(f".voicecoach-{self.tag}.newjournal")
            with open(side, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(side, journal)
            _fsync_dir(journal.parent)

    def _remove_journals(self) -> None:
        for journal in self._journals:
            _unlink(journal)

    def _release(self) -> None:
        for path, fd in self._locks.values():
            release_lock(path, fd)
        self._locks.clear()
        with _OWN_LOCK:
            _OWN_TAGS.discard(self.tag)

    def __enter__(self) -> OutputTransaction:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None and self._state == "open":
                try:
                    self.commit()
                except BaseException:
                    self.rollback()  # failed before the commit began: drop the temps
                    raise
            else:
                self.rollback()
        finally:
            self._release()


def _check_ready(part: _Part) -> None:
    """The new content exists, and the target can be replaced by a file."""
    try:
        st = os.stat(part.temp)
        if not stat.S_ISREG(st.st_mode):
            raise FileNotFoundError(errno.ENOENT, "not written", str(part.temp))
        with open(part.temp, "rb+") as fh:
            os.fsync(fh.fileno())
    except OSError as exc:
        raise AudioError(describe_os_error(part.target, exc)) from exc
    try:
        st = os.lstat(part.target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise AudioError(describe_os_error(part.target, exc)) from exc
    if stat.S_ISDIR(st.st_mode):
        raise AudioError(f"{part.target}: is a folder. remove it or choose another output path.")
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
        raise AudioError(
            f"{part.target}: exists and is not a regular file (a pipe or a device). "
            "choose another output path."
        )


def _backup(target: Path, backup: Path) -> None:
    """A hard link to the file being replaced (a copy where links are not supported)."""
    try:
        os.link(target, backup, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        import shutil

        shutil.copy2(target, backup, follow_symlinks=False)


def _settle(parts: Sequence[_Part]) -> bool:
    """Bring a commit that stopped part-way to a whole state; False if a step failed.

    The main output is the last part: while its temp exists nothing was committed, so
    every renamed sidecar gets its backup back (or is removed if it is new); once it
    is gone the commit happened, and only backups are left to remove. Each step can be
    repeated, so a run killed while settling is settled again by the next one.
    """
    main = parts[-1]
    ok = True
    try:
        if os.path.lexists(main.temp):
            for part in parts[:-1]:
                if os.path.lexists(part.temp):  # never renamed
                    _unlink(part.temp)
                    if part.backup is not None:
                        _unlink(part.backup)
                elif part.backup is not None:
                    if os.path.lexists(part.backup):  # else: already put back
                        os.replace(part.backup, part.target)
                else:
                    _unlink(part.target)  # new, and renamed: take it away again
            if main.backup is not None:
                _unlink(main.backup)
            _unlink(main.temp)  # last: from here on the journal reads "committed"
        else:
            for part in parts:
                _unlink(part.temp)
                if part.backup is not None:
                    _unlink(part.backup)
    except OSError:
        ok = False
    for folder in {p.target.parent for p in parts}:
        _fsync_dir(folder)
    return ok


# --- what dead runs left --------------------------------------------------------------------


def recover(journal: Path) -> bool:
    """Finish or undo the commit `journal` describes; True when it is settled."""
    try:
        body = json.loads(journal.read_text(encoding="utf-8"))
        parts = [
            _Part(
                Path(p["target"]),
                Path(p["temp"]),
                Path(p["backup"]) if p["backup"] else None,
            )
            for p in body["parts"]
        ]
        journals = [Path(j) for j in body.get("journals", [journal])]
    except (OSError, ValueError, KeyError, TypeError):
        return False  # unreadable: touch nothing it might describe
    if not parts or not _settle(parts):
        return False
    for path in journals:
        _unlink(path)
    _unlink(journal)
    return True


def write_text_atomic(target: Path, text: str) -> None:
    """Write one text file as a one-part transaction: whole or not at all, and
    yesterday's file kept on any failure."""
    with OutputTransaction(target) as tx:
        tx.write_text(target, text)


def clean_stale_temps(folder: Path) -> list[Path]:
    """Settle and remove what dead runs left in `folder`; returns the files removed.

    A run is dead when its lock file can be locked (see `voicecoach.atomic`); a run
    with no lock file when all its files are over `atomic.STALE_AGE_S` old.
    """
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in names:
        parsed = parse_name(name)
        if parsed is not None:
            groups.setdefault(parsed[0], []).append((name, parsed[1]))
    for tag, files in groups.items():
        with _OWN_LOCK:
            if tag in _OWN_TAGS:
                continue
        lock = folder / lock_name(tag)
        fd: int | None = None
        if any(name == lock.name for name, _ in files):
            fd = try_lock(lock)
            if fd is None:
                continue  # a live run holds it, here or on another host
        elif not older_than([folder / name for name, _ in files]):
            continue
        try:
            journals = [folder / name for name, kind in files if kind == "journal"]
            if not all(recover(j) for j in journals):
                continue
            for name, kind in files:
                if kind != "lock":
                    _unlink(folder / name)
                    if not os.path.lexists(folder / name):
                        removed.append(folder / name)
        finally:
            if fd is not None:
                release_lock(lock, fd)
    return removed
