"""Render benchmark: cold and warm renders against ffmpeg encoding the same PCM alone.

    uv run python scripts/bench.py            # the full run (30-minute session, ~3 min)
    uv run python scripts/bench.py --quick    # a 10-minute session, no 10/60-minute check
    uv run python scripts/bench.py --startup  # only the start-up times (a few seconds)

One run builds routines in a temporary folder and measures, each in a fresh child
process (so imports, caches and peak memory do not leak between measurements):

- the 30-minute render with a cold phrase cache, then with the warm cache (the
  library call ``voicecoach.pipeline.render``, the default engine unless --engine, MP3 out);
- ffmpeg alone encoding the very PCM the renderer produced (dumped once to a raw
  f32le file) with the Encoder's MP3 settings;
- a naive pydub baseline (``AudioSegment.silent`` + ``overlay`` per cue + MP3
  export). ``overlay`` copies the whole track per cue, so its cost is linear in
  the number of cues: it is timed on the first cues and scaled, as printed;
- start-up: `import voicecoach` and `voicecoach --help`, each a fresh process, against
  the bare interpreter (``python -c pass``) in the same run;
- peak RSS of the render process for a 10-minute and a 60-minute session of the same
  six-move circuit (more rounds), and for a 60-minute session of all-new moves.

Times are wall-clock seconds of the measured call, imports excluded; peak RSS is the
child's ``ru_maxrss`` (the render process; the speech worker and ffmpeg are separate
processes and reported apart).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# cold: with the default (neural) engine; worker_mb: each speech worker (issue 11)
TARGETS = {"cold": 2.0, "warm": 1.1, "rss_mb": 250.0, "worker_mb": 350.0, "rss_growth": 0.10}

# One-sided and two-sided moves, reps and holds: every cue kind of a real session.
MOVES: list[dict[str, Any]] = [
    {
        "name": "Glute bridge",
        "reps": 12,
        "tempo": "2-1-2",
        "tempo_words": ["up", "squeeze", "down"],
        "focus": ["glutes", "abs"],
        "cues": [
            {"at": 1, "say": "Squeeze your glutes before your hips leave the floor."},
            {"at": "half", "say": "If you feel it in your hamstrings, walk your feet closer."},
        ],
    },
    {
        "name": "Clamshell",
        "reps": 12,
        "tempo": "1-1-2",
        "sides": "both",
        "focus": ["glutes"],
        "cues": [{"at": 3, "say": "Open from the back of the hip, without rolling back."}],
    },
    {
        "name": "Half-kneeling hip flexor stretch",
        "hold": "35s",
        "sides": "both",
        "focus": ["hip flexors"],
        "cues": [{"at": "5s", "say": "Squeeze the glute of the back leg."}],
    },
    {
        "name": "Dead bug",
        "reps": 10,
        "tempo": "2-1-2",
        "tempo_words": ["reach", "hold", "return"],
        "focus": ["abs"],
        "cues": [{"at": 2, "say": "Breathe out as you reach."}],
    },
    {
        "name": "Bird dog",
        "reps": 8,
        "tempo": "2-2-2",
        "sides": "both",
        "focus": ["glutes", "abs"],
        "cues": [{"at": "half", "say": "Keep your hips level."}],
    },
    {"name": "Side plank", "hold": "30s", "sides": "both", "focus": ["obliques"]},
]


# ------------------------------------------------------------------ routines


def routine_yaml(exercises: int, title: str, *, circuit: bool = False) -> str:
    """``exercises`` numbered moves (each name new, so the distinct phrases grow with
    the length), or with ``circuit`` the six MOVES as a circuit of ``exercises`` rounds
    (the same vocabulary however long the session)."""
    import yaml

    items: list[dict[str, Any]] = []
    if circuit:  # one set each, so one round is about ten minutes
        moves = [{**move, "sets": 1} for move in MOVES]
        items.append({"rounds": exercises, "rest": "45s", "exercises": moves})
    else:
        for i in range(exercises):
            move = dict(MOVES[i % len(MOVES)])
            move["name"] = f"{move['name']} {i // len(MOVES) + 1}"
            items.append(move)
    doc = {
        "version": 1,
        "name": title,
        "description": "Benchmark session.",
        "intro": "Welcome. This is a benchmark session of light, slow work.",
        "outro": "That's the end of the benchmark session.",
        "defaults": {"rest": "20s", "rest_after": "30s", "sets": 2},
        "profile": {"check_ins": True},
        "voice": {"engine": "pyttsx3"},
        "exercises": items,
    }
    return yaml.safe_dump(doc, sort_keys=False)


def make_routine(
    folder: Path, minutes: float, *, circuit: bool = False
) -> tuple[Path, dict[str, Any]]:
    """The smallest routine of MOVES lasting at least ``minutes`` (planned estimate)."""
    from voicecoach.pipeline import plan_routine
    from voicecoach.routine.loader import load_routine

    kind = "circuit" if circuit else "moves"
    path = folder / f"bench-{minutes:g}min-{kind}.yaml"
    n = 1
    while True:
        text = routine_yaml(n, f"Benchmark {minutes:g} minutes", circuit=circuit)
        path.write_text(text, encoding="utf-8")
        timeline = plan_routine(load_routine(path))
        if timeline.total_ms >= minutes * 60_000:
            spoken = [e for e in timeline.events if e.spoken and e.text]
            info = {
                "minutes": timeline.total_ms / 60_000,
                "phrases": len(spoken),
                "unique": len({e.text for e in spoken}),
            }
            return path, info
        n += 1


# ------------------------------------------------------------------ children


def child_render(routine: str, out: str, cache: str, engine: str = "auto") -> dict[str, Any]:
    from voicecoach.pipeline import RenderOptions, VoiceChoice, render

    options = RenderOptions(voice=VoiceChoice(engine=engine), transcripts=(), cache_dir=Path(cache))
    before = _cpu_seconds()
    start = time.perf_counter()
    result = render(routine, out, options)
    seconds = time.perf_counter() - start
    own, helpers = (a - b for a, b in zip(_cpu_seconds(), before, strict=True))
    return {
        "seconds": seconds,
        "synthesized": result.synthesized,
        "cached": result.cached,
        "cpu_s": own,  # of the render call alone, not the child's imports
        "helper_cpu_s": helpers,
    }


def _cpu_seconds() -> tuple[float, float]:
    """CPU seconds so far of this process and of its finished children."""
    own, helpers = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime, helpers.ru_utime + helpers.ru_stime


def child_dump_pcm(routine: str, cache: str, pcm: str, engine: str = "auto") -> dict[str, Any]:
    """Write the exact PCM the renderer streams into ffmpeg (warm cache)."""
    from voicecoach.mixdown import SessionAudio
    from voicecoach.pipeline import VoiceChoice, make_engine
    from voicecoach.planning.script import build_script
    from voicecoach.routine.loader import load_routine
    from voicecoach.speech.cache import PhraseCache, SynthesisResult
    from voicecoach.spoken_plan import plan_spoken

    r = load_routine(routine)
    script = build_script(r)
    speech = make_engine(r, VoiceChoice(engine=engine), None)
    said = SynthesisResult()  # as the render plans: see spoken_plan.plan_spoken
    timeline = plan_spoken(script, speech, PhraseCache(Path(cache)), said)
    clips = said.clips
    session = SessionAudio.check(r.sound, fmt="mp3", bitrate="128k")
    samples = 0
    with open(pcm, "wb") as fh:
        for block in session.blocks(timeline, clips):
            fh.write(block.astype("<f4").tobytes())
            samples += len(block)
    return {"samples": samples}


def child_ffmpeg(pcm: str, out: str) -> dict[str, Any]:
    from voicecoach.audio.encode import codec_args
    from voicecoach.audio.ffmpeg import find_ffmpeg

    cmd = [find_ffmpeg(), "-nostdin", "-hide_banner", "-nostats", "-loglevel", "error", "-y"]
    cmd += ["-f", "f32le", "-ar", "44100", "-ac", "2", "-i", pcm]
    cmd += ["-map", "0:a", "-ar", "44100", "-ac", "2", *codec_args("mp3", "128k")]
    cmd += ["-f", "mp3", out]
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    return {"seconds": time.perf_counter() - start}


def child_pydub(
    routine: str, cache: str, out: str, cues: int, engine: str = "auto"
) -> dict[str, Any]:
    """Naive baseline: silent track, one overlay per cue, MP3 export."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pydub import AudioSegment

    from voicecoach.audio import find_ffmpeg
    from voicecoach.pipeline import VoiceChoice, make_engine
    from voicecoach.planning.script import build_script
    from voicecoach.routine.loader import load_routine
    from voicecoach.speech.cache import PhraseCache, SynthesisResult
    from voicecoach.spoken_plan import plan_spoken

    AudioSegment.converter = find_ffmpeg()  # the ffmpeg the renders use
    r = load_routine(routine)
    script = build_script(r)
    speech = make_engine(r, VoiceChoice(engine=engine), None)
    said = SynthesisResult()  # as the render plans: see spoken_plan.plan_spoken
    timeline = plan_spoken(script, speech, PhraseCache(Path(cache)), said)
    clips = said.clips
    segments = {}
    for text, clip in clips.items():
        pcm = (clip.samples[:, 0].clip(-1, 1) * 32767).astype("<i2").tobytes()
        seg = AudioSegment(data=pcm, sample_width=2, frame_rate=clip.sample_rate, channels=1)
        segments[text] = seg.set_frame_rate(44100).set_channels(2)
    spoken = [e for e in timeline.events if e.spoken and e.text]
    used = spoken[:cues]
    start = time.perf_counter()
    track = AudioSegment.silent(duration=timeline.total_ms, frame_rate=44100).set_channels(2)
    for event in used:
        track = track.overlay(segments[event.text], position=event.start_ms)
    overlay_s = time.perf_counter() - start
    start = time.perf_counter()
    track.export(out, format="mp3", bitrate="128k")
    export_s = time.perf_counter() - start
    return {"overlay_s": overlay_s, "export_s": export_s, "cues": len(used), "all": len(spoken)}


CHILDREN = {
    "render": child_render,
    "dump": child_dump_pcm,
    "ffmpeg": child_ffmpeg,
    "pydub": child_pydub,
}


RETRIES = 3  # the pyttsx3 espeak driver sometimes returns no audio for a phrase


def run_child(kind: str, **kwargs: Any) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; returns its result and peak RSS.

    A failed speech batch caches nothing, so a retried cold render is still cold; the
    number of failed attempts is reported.
    """
    cmd = [sys.executable, __file__, "--child", kind, json.dumps(kwargs)]
    for attempt in range(RETRIES):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode == 0:
            result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
            result["failed_attempts"] = attempt
            return result
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        print(f"  ({kind} attempt {attempt + 1} failed: {last})", flush=True)
    raise SystemExit(f"bench: the {kind} measurement failed {RETRIES} times")


def child_main(kind: str, args: str) -> None:
    result = CHILDREN[kind](**json.loads(args))
    own, helpers = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    result["rss_mb"] = own.ru_maxrss / 1024
    result["helper_rss_mb"] = helpers.ru_maxrss / 1024
    # CPU seconds, when the measurement did not time its own call (imports included)
    result.setdefault("cpu_s", own.ru_utime + own.ru_stime)
    result.setdefault("helper_cpu_s", helpers.ru_utime + helpers.ru_stime)
    print(json.dumps(result))


# ------------------------------------------------------------------ start-up (issue 15)

STARTUP_TARGET_MS = 150.0  # warm, `import voicecoach` and `voicecoach --help` each
STARTUP_RUNS = 21


def startup_commands() -> list[tuple[str, list[str]]]:
    """What a user waits for before voicecoach does anything, and the bare interpreter
    (the baseline: what no package can make faster)."""
    py = sys.executable
    script = Path(py).with_name("voicecoach")
    commands = [
        ("python -c pass (baseline)", [py, "-c", "pass"]),
        ('python -c "import click"', [py, "-c", "import click"]),  # what --help cannot avoid
        ('python -c "import voicecoach"', [py, "-c", "import voicecoach"]),
        ("python -m voicecoach --help", [py, "-m", "voicecoach", "--help"]),
    ]
    if script.exists():
        commands.append(("voicecoach --help", [str(script), "--help"]))
    return commands


def startup_ms(command: list[str], runs: int = STARTUP_RUNS) -> tuple[float, float]:
    """Median wall-clock and CPU (user + system) milliseconds of a fresh process running
    `command`, warm (three runs first fill the OS file cache and the bytecode cache).
    On a busy machine the wall time waits for a core; the CPU time does not."""
    walls, cpus = [], []
    for i in range(runs + 3):
        before = _cpu_seconds()
        begun = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        wall = time.perf_counter() - begun
        after = _cpu_seconds()
        if i >= 3:
            walls.append(wall * 1000)
            cpus.append((after[1] - before[1]) * 1000)  # the children: the command alone
    return sorted(walls)[len(walls) // 2], sorted(cpus)[len(cpus) // 2]


def startup_report() -> bool:
    """Print the start-up table; True when every voicecoach command is under target."""
    print(f"start-up, warm, median of {STARTUP_RUNS} fresh processes:")
    print(f"{'command':<34}{'wall ms':>9}{'over baseline':>15}{'CPU ms':>9}")
    rows = [(name, *startup_ms(cmd)) for name, cmd in startup_commands()]
    base = rows[0][1]
    for name, ms, cpu in rows:
        print(f"{name:<34}{ms:9.1f}{ms - base:+15.1f}{cpu:9.1f}")
    ok = all(ms < STARTUP_TARGET_MS for name, ms, _ in rows if "voicecoach" in name)
    print(f"  each voicecoach command < {STARTUP_TARGET_MS:.0f} ms: {verdict(ok)}\n")
    return ok


# ------------------------------------------------------------------ the run


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="10-minute session, no 60-min run")
    parser.add_argument("--minutes", type=float, help="length of the main session")
    parser.add_argument("--pydub-cues", type=int, default=30, help="cues the pydub baseline times")
    parser.add_argument("--keep", type=Path, help="keep the work files in this folder")
    parser.add_argument(
        "--engine", default="auto", help="speech engine (default: auto, the neural piper)"
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--startup", action="store_true", help="only the start-up times")
    args = parser.parse_args()
    if args.child:
        child_main(*args.child)
        return
    startup_report()
    if args.startup:
        return

    minutes = args.minutes or (10.0 if args.quick else 30.0)
    work = args.keep or Path(tempfile.mkdtemp(prefix="voicecoach-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"voicecoach render benchmark ({os.cpu_count()} cores), work files in {work}")
    routine, info = make_routine(work, minutes)
    print(
        f"session: {info['minutes']:.1f} min planned, {info['phrases']} spoken phrases "
        f"({info['unique']} distinct), engine {args.engine}, MP3 128k"
    )
    cache = work / "cache"
    out = work / "session.mp3"
    eng = args.engine
    cold = run_child("render", routine=str(routine), out=str(out), cache=str(cache), engine=eng)
    warm = run_child("render", routine=str(routine), out=str(out), cache=str(cache), engine=eng)
    pcm = work / "mix.f32"
    dump = run_child("dump", routine=str(routine), cache=str(cache), pcm=str(pcm), engine=eng)
    alone = run_child("ffmpeg", pcm=str(pcm), out=str(work / "alone.mp3"))
    pcm.unlink()
    pyd = run_child(
        "pydub",
        routine=str(routine),
        cache=str(cache),
        out=str(work / "pydub.mp3"),
        cues=args.pydub_cues,
        engine=eng,
    )

    from voicecoach.audio import measure_file

    lufs, tp = measure_file(out)
    base = alone["seconds"]
    scale = pyd["all"] / max(pyd["cues"], 1)
    pydub_s = pyd["overlay_s"] * scale + pyd["export_s"]
    print(f"\naudio: {dump['samples'] / 44100 / 60:.2f} min; MP3 {lufs:.1f} LUFS, {tp:.1f} dBTP")
    print(f"{'measurement':<34}{'seconds':>9}{'x ffmpeg':>10}{'peak RSS MB':>13}")
    rows = [
        ("ffmpeg alone (same PCM -> MP3)", base, None),
        (
            f"render, cold cache ({cold['synthesized']} synthesized)",
            cold["seconds"],
            cold["rss_mb"],
        ),
        (f"render, warm cache ({warm['cached']} cached)", warm["seconds"], warm["rss_mb"]),
        ("pydub overlay per cue (scaled)", pydub_s, None),
    ]
    for name, secs, rss in rows:
        shown = f"{rss:13.0f}" if rss is not None else f"{'':>13}"
        print(f"{name:<34}{secs:9.2f}{secs / base:10.2f}{shown}")
    print(
        f"  pydub: {pyd['cues']} of {pyd['all']} overlays took {pyd['overlay_s']:.2f} s, "
        f"scaled x{scale:.1f} (overlay copies the whole track, so it is linear in cues), "
        f"+ export {pyd['export_s']:.2f} s"
    )
    for name, run in (("cold", cold), ("warm", warm)):
        print(
            f"  {name} render: {run['cpu_s']:.1f} s CPU in the render call, "
            f"{run['helper_cpu_s']:.1f} s in its helpers (speech workers, ffmpeg): "
            f"{(run['cpu_s'] + run['helper_cpu_s']) / run['seconds']:.2f} cores busy on average"
        )
    print(
        f"  helper processes (speech worker, ffmpeg) peaked at "
        f"{max(cold['helper_rss_mb'], warm['helper_rss_mb']):.0f} MB"
    )

    results = {
        "worker": cold["helper_rss_mb"] <= TARGETS["worker_mb"],
        "cold": cold["seconds"] / base <= TARGETS["cold"],
        "warm": warm["seconds"] / base <= TARGETS["warm"],
        "rss": max(cold["rss_mb"], warm["rss_mb"]) <= TARGETS["rss_mb"],
    }
    if not args.quick:
        # Session length is the variable: the 10- and 60-minute sessions are the same
        # six-move circuit, more rounds for the longer one. A routine whose every
        # exercise is new (the main session's kind) is measured at 60 minutes apart:
        # its memory follows its distinct phrases, not its length.
        sizes = {}
        runs = [(10.0, True, "circuit"), (60.0, True, "circuit"), (60.0, False, "new moves")]
        for m, circuit, label in runs:
            path, meta = make_routine(work, m, circuit=circuit)
            r = run_child(
                "render",
                routine=str(path),
                out=str(work / f"s{m:g}-{int(circuit)}.mp3"),
                cache=str(cache),
                engine=eng,
            )
            sizes[(m, circuit)] = r["rss_mb"]
            print(
                f"render {meta['minutes']:.1f} min {label} ({meta['phrases']} phrases, "
                f"{meta['unique']} distinct): {r['seconds']:.2f} s, peak RSS {r['rss_mb']:.0f} MB"
            )
        growth = sizes[(60.0, True)] / sizes[(10.0, True)] - 1
        heavy = sizes[(60.0, False)] / sizes[(10.0, True)] - 1
        results["rss_growth"] = growth <= TARGETS["rss_growth"]
        results["rss"] = results["rss"] and max(sizes.values()) <= TARGETS["rss_mb"]
        print(f"peak RSS 60 min vs 10 min, same circuit: {growth * 100:+.1f} %")
        print(f"peak RSS 60 min of new moves vs the 10-min circuit: {heavy * 100:+.1f} %")
    print("\ntargets:")
    print(f"  cold <= {TARGETS['cold']}x ffmpeg alone: {verdict(results['cold'])}")
    print(f"  warm <= {TARGETS['warm']}x ffmpeg alone: {verdict(results['warm'])}")
    print(f"  peak RSS <= {TARGETS['rss_mb']:.0f} MB: {verdict(results['rss'])}")
    print(
        f"  each speech worker (and ffmpeg) <= {TARGETS['worker_mb']:.0f} MB: "
        f"{verdict(results['worker'])}"
    )
    if "rss_growth" in results:
        print(
            f"  60-min RSS within 10 % of 10-min (same circuit): {verdict(results['rss_growth'])}"
        )


if __name__ == "__main__":
    main()
