"""Batch benchmark (issue 14): 12 sessions, 3 routines x 4 clients, cold phrase cache.

    uv run python scripts/bench_batch.py                 # default engine, writes the table
    uv run python scripts/bench_batch.py --engine fake   # quick check of the harness

Two runs, each starting from an empty phrase cache in a temporary folder:

- sequential: the 12 sessions rendered one after another, one `voicecoach render
  ROUTINE -o FILE` command each (with the client's settings given as options), all
  sharing one cache (so later renders reuse the phrases earlier ones made), which is
  what a trainer does without the batch;
- batch: one `voicecoach render R1 R2 R3 --client clients/ -o 'out/{client}/{routine}.mp3'`.

Wall-clock seconds of the whole commands (imports included). Peak memory is the
largest sum of the resident set sizes (VmRSS, from /proc) of the command's whole
process tree (render processes, speech workers, ffmpeg), sampled every 50 ms.
Prints a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROUTINES = ("glute-activation", "core-prep", "hip-flexor-release")
CLIENTS = {
    "ana": {"weak_side": "left", "level": "easy", "coach": "quiet"},
    "ben": {"weak_side": "right", "level": "normal", "coach": "standard"},
    "cy": {"weak_side": "left", "extra_weak_side_set": True, "level": "hard"},
    "dee": {"weak_side": "right", "coach": "chatty"},
}
TARGET_RATIO, TARGET_RSS_MB = 0.75, 1200.0


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(root: int) -> int:
    tree, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss_kb(pid)
        todo += tree.get(pid, [])
    return total


def timed(argv: list[str], cwd: Path) -> tuple[float, float]:
    """(seconds, peak MB of the process tree) of one command."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.monotonic() - start
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{err.decode(errors='replace')}")
    return seconds, peak / 1024


def client_options(settings: dict[str, object]) -> list[str]:
    out: list[str] = []
    for key, value in settings.items():
        if key == "extra_weak_side_set":
            out.append("--extra-weak-set")
        else:
            out += [f"--{key.replace('_', '-')}", str(value)]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--engine", default="auto", help="speech engine (default: auto)")
    parser.add_argument("--jobs", type=int, help="batch pool size (default: the cores)")
    args = parser.parse_args()
    exe = [sys.executable, "-m", "voicecoach", "render"]
    engine = ["--engine", args.engine]
    with tempfile.TemporaryDirectory(prefix="vc-batch-bench-") as tmp:
        work = Path(tmp)
        (work / "clients").mkdir()
        for name, settings in CLIENTS.items():
            lines = [f"name: {name.title()}"] + [
                f"{k}: {str(v).lower() if isinstance(v, bool) else v}" for k, v in settings.items()
            ]
            (work / "clients" / f"{name}.yaml").write_text("\n".join(lines) + "\n")
        (work / "seq").mkdir()
        seq_s, seq_peak = 0.0, 0.0
        for routine in ROUTINES:
            for name, settings in CLIENTS.items():
                out = work / "seq" / f"{name}-{routine}.mp3"
                argv = [*exe, routine, "-o", str(out), "-q", "--cache-dir", str(work / "c1")]
                seconds, peak = timed(argv + engine + client_options(settings), work)
                seq_s += seconds
                seq_peak = max(seq_peak, peak)
        batch = [*exe, *ROUTINES, "--client", "clients/", "-o", "out/{client}/{routine}.mp3"]
        batch += ["--cache-dir", str(work / "c2"), "-q", *engine]
        if args.jobs:
            batch += ["--jobs", str(args.jobs)]
        batch_s, batch_peak = timed(batch, work)
        made = len(list((work / "out").rglob("*.mp3")))
        minutes = sum(
            float(
                subprocess.run(
                    [sys.executable, "-c", "import mutagen,sys; print(mutagen.File(sys.argv[1])"
                     ".info.length)", str(p)],
                    capture_output=True, text=True, check=True,
                ).stdout
            )
            for p in (work / "out").rglob("*.mp3")
        ) / 60  # fmt: skip
    ratio = batch_s / seq_s
    cores = os.cpu_count()
    print(f"12 sessions ({made} rendered by the batch, {minutes:.0f} min of audio), "
          f"engine {args.engine}, {cores} cores, cold cache\n")  # fmt: skip
    print("| run | seconds | × sequential | peak RSS, process tree |")
    print("|---|---:|---:|---:|")
    print(f"| sequential: 12 `render` commands | {seq_s:.1f} | 1.00 | {seq_peak:.0f} MB |")
    ok_t = "met" if ratio <= TARGET_RATIO else "not met"
    ok_m = "met" if batch_peak <= TARGET_RSS_MB else "not met"
    print(
        f"| batch: one `render ... --client clients/` | {batch_s:.1f} | **{ratio:.2f}** "
        f"(target ≤ {TARGET_RATIO}: {ok_t}) | {batch_peak:.0f} MB (target ≤ 1.2 GB: {ok_m}) |"
    )


if __name__ == "__main__":
    main()
