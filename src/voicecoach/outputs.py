"""Every file a command writes goes through here: one guard, one transaction.

Two rules hold for every output, today's (the audio and its transcript sidecars) and
tomorrow's (a session page, a timeline sidecar, cover pictures, feeds, batch files):

1. **An output never overwrites an input, nor another output of the same run.**
   `guard_outputs` compares each output with every input and with the other outputs
   by resolved path and, where the file exists, by device and inode (so symlinks,
   hard links and other spellings of one file are caught), and raises `OutputError`
   (exit 1) naming the path, what it would overwrite and how to fix it. It also
   refuses ``-`` (standard output: voicecoach always writes files, since tags,
   chapters and sidecars need one), a path that is a folder, and an existing path
   that is not a regular file (a FIFO or device is never replaced by a file).
   Call it before any slow work.

2. **One run's outputs appear together or not at all.** `OutputTransaction` writes
   each part to a temp file beside its target, then commits: it keeps a hard-link
   backup of every file being replaced, writes a journal, renames the sidecars, and
   renames the main output **last**; that rename is the commit point. On any failure
   before it (an exception, Ctrl-C, a full disk, a rename refused), the backups are
   put back and the temps removed, so yesterday's files stay byte for byte as they
   were. Errors from the file system are `AudioError`s with a readable cause.

Using it (the API other modules call)::

    from voicecoach.outputs import FileRole, OutputTransaction, guard_outputs, routine_inputs

    audio = FileRole(target, "the audio output", "choose another output file with -o")
    page = FileRole(target.with_suffix(".html"), "the session page", "...")
    guard_outputs([audio, page], routine_inputs(routine))  # raises OutputError
    with OutputTransaction(target) as tx:          # target: the main output
        write_audio(tx.temp_for(target))           # write to the temp path yourself
        tx.write_text(page.path, html)             # or hand over text / bytes
    # leaving the block commits; an exception rolls everything back and propagates

- ``FileRole(path, what, fix="")``: ``what`` names the file in messages ("the VTT
  transcript", "the music file (sound.music)"); ``fix`` says how to choose another
  name (outputs only).
- ``guard_outputs(outputs, inputs)``; ``routine_inputs(routine)`` lists the routine
  file, its cue pack (and the packs it extends) and its music file.
- ``OutputTransaction(main)``: ``temp_for(path) -> Path``, ``write_text(path,
  text)``, ``write_bytes(path, data)``, ``commit()``, ``rollback()``; a context
  manager. Parts may be in different folders; the main output is committed last.
- ``clean_stale_temps(folder)``: finish or undo what a killed run left in a folder
  (called by each transaction for the folders it writes to); ``recover(journal)``
  settles one journal.
- ``write_text_atomic(path, text)``: a one-part transaction for a single text file.

The guard lives here; the transaction's mechanics in `voicecoach.transaction`, the
temp names and locks in `voicecoach.atomic`, the ``$TMPDIR`` scratch folder in
`voicecoach.scratch`. Callers import the guard and the transaction from here.

**Locks and stale files.** A transaction holds an ``flock`` on
``.voicecoach-TAG.lock`` in each folder it writes to (see `voicecoach.atomic`); a
later run removes another run's files only when it can take that lock, so renders
in other PID namespaces or on other hosts sharing the folder are never disturbed.

**The journal, and the window that remains.** Before the first rename the
transaction writes ``.voicecoach-TAG.journal`` into each folder involved: every
part's target, temp and backup. A run killed (SIGKILL, power cut) between renames
leaves it behind; the next run that writes to that folder (once the dead run's lock
is free) reads it and, if the main output's temp still exists (no commit), puts the
backups back and removes the new sidecars; otherwise (committed) it only removes the
backups. What remains: until that next run, the folder may show new sidecars beside
yesterday's audio (or a stray backup); a file whose name was reused by something
else meanwhile would be restored over it; on a file system without hard links the
backup is a copy, and on one where ``os.replace`` is not atomic (some network
shares) a crash inside a rename is the file system's to repair.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from voicecoach.errors import VoicecoachError
from voicecoach.transaction import (
    OutputTransaction,
    clean_stale_temps,
    recover,
    write_text_atomic,
)

if TYPE_CHECKING:
    from voicecoach.routine import Routine

__all__ = [
    "FileRole",
    "OutputError",
    "OutputTransaction",
    "clean_stale_temps",
    "guard_outputs",
    "recover",
    "refuse_stdout",
    "routine_inputs",
    "write_text_atomic",
]


class OutputError(VoicecoachError):
    """An output path that must not be written (an input, another output, a folder)."""


@dataclass(frozen=True)
class FileRole:
    """A file a run reads or writes, with words for messages.

    ``what``: "the audio output", "the VTT transcript", "the routine file" ...;
    ``fix``: how the user picks another name (for outputs).
    """

    path: Path
    what: str
    fix: str = ""


# --- the guard ---------------------------------------------------------------------------


def refuse_stdout(name: str | os.PathLike[str], what: str = "the output") -> None:
    """``-`` is not standard output here: voicecoach writes files (tags, sidecars)."""
    if os.fspath(name) == "-":
        raise OutputError(
            f"-: {what} cannot go to standard output; voicecoach writes a file (with tags, "
            "chapters and transcripts beside it). give a file name such as session.mp3."
        )


def routine_inputs(routine: Routine) -> list[FileRole]:
    """The files a render of `routine` reads: routine file, cue pack(s), music."""
    roles: list[FileRole] = []
    source = routine.source
    if source and not source.startswith(("builtin:", "<")):
        roles.append(FileRole(Path(source), "the routine file"))
    if routine.cue_pack and os.path.isabs(routine.cue_pack):
        for pack in _pack_chain(Path(routine.cue_pack)):
            roles.append(FileRole(pack, "the cue pack (cue_pack)"))
    if routine.sound.music:
        roles.append(FileRole(Path(routine.sound.music), "the music file (sound.music)"))
    return roles


_EXTENDS = re.compile(r"^extends:[ \t]*['\"]?([^'\"#\r\n]+?)['\"]?[ \t]*(?:#.*)?$", re.M)


def _pack_chain(pack: Path) -> list[Path]:
    """The pack file and the pack files its top-level `extends:` names, in order.

    Read with a pattern, not YAML: the guard runs before the packs are validated.
    """
    chain = [pack]
    while len(chain) <= 16:
        try:
            with open(chain[-1], "rb") as fh:
                text = fh.read(1 << 20).decode("utf-8", "replace")
        except OSError:
            break
        found = _EXTENDS.search(text)
        ref = found[1].strip() if found else ""
        if not ("/" in ref or ref.endswith((".yaml", ".yml"))):
            break  # none, or a bundled pack
        path = Path(ref).expanduser()
        path = path if path.is_absolute() else chain[-1].parent / path
        if not path.is_file() or path in chain:
            break
        chain.append(path)
    return chain


@dataclass(frozen=True)
class _Identity:
    resolved: str
    inode: tuple[int, int] | None


def _identity(path: Path) -> _Identity:
    try:
        resolved = str(Path(os.path.abspath(path)).resolve())
    except (OSError, RuntimeError):  # a symlink loop
        resolved = os.path.abspath(path)
    try:
        st = os.stat(path)
        inode: tuple[int, int] | None = (st.st_dev, st.st_ino)
    except (OSError, ValueError):
        inode = None
    return _Identity(resolved, inode)


def _same(a: _Identity, b: _Identity) -> bool:
    return a.resolved == b.resolved or (a.inode is not None and a.inode == b.inode)


def _spelled(a: Path, b: Path) -> str:
    """'' when both name the file alike, else ' PATH (the same file by another path)'."""
    if os.path.normpath(os.path.abspath(a)) == os.path.normpath(os.path.abspath(b)):
        return ""
    return f" {b} (the same file by another path)"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def guard_outputs(outputs: Sequence[FileRole], inputs: Iterable[FileRole] = ()) -> None:
    """Raise `OutputError` unless every output may be written.

    Refused: ``-``; an output that is an input (by path, symlink or hard link); two
    outputs that are one file; an output that is a folder or an existing non-regular
    file. Checks only: nothing is created.
    """
    known = [(role, _identity(role.path)) for role in inputs]
    checked: list[tuple[FileRole, _Identity]] = []
    for role in outputs:
        refuse_stdout(role.path, role.what)
        here = _identity(role.path)
        for other, there in known:
            if _same(here, there):
                raise OutputError(
                    f"{role.path}: {role.what} would overwrite {other.what}"
                    f"{_spelled(role.path, other.path)}. {_sentence(role.fix)}".rstrip()
                )
        for other, there in checked:
            if _same(here, there):
                raise OutputError(
                    f"{role.path}: {role.what} and {other.what} would be the same file"
                    f"{_spelled(role.path, other.path)}. {_sentence(role.fix)}".rstrip()
                )
        _check_kind(role)
        checked.append((role, here))


def _check_kind(role: FileRole) -> None:
    try:
        st = os.stat(role.path)
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(
            f"{role.path}: {role.what} would replace a folder. remove the folder, or "
            f"{_lower_first(role.fix)}"
        )
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(
            f"{role.path}: {role.what} exists and is not a regular file (a pipe or a "
            f"device). {_sentence(role.fix) or 'choose another path.'}"
        )


def _lower_first(text: str) -> str:
    text = _sentence(text) or "choose another path."
    return text[:1].lower() + text[1:]
