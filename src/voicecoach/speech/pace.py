"""Speaking rate, measured the one way the project means it.

``rate`` (words per minute) = words / the time between the first and the last sample
above -40 dBFS, summed over a list of coaching lines. MEASURE_LINES is the committed
list the pace test checks every engine on; CALIBRATION_LINES is a separate list that
`scripts/calibrate_rate.py` uses to fit each engine's native setting, so the test does
not grade the calibration on the lines it was fitted to. Both hold at least 20 lines
of 5 words or more.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

THRESHOLD_DBFS = -40.0

MEASURE_LINES = (
    "Find some space, and let's wake up the right muscles.",
    "Feel your glutes doing the work, not your low back.",
    "Press your low back gently into the floor.",
    "Keep your ribs down and breathe out slowly.",
    "Lift your hips until your body makes a straight line.",
    "Squeeze at the top, then lower with control.",
    "Keep your knees in line with your feet.",
    "Let your shoulders relax away from your ears.",
    "Move slowly, and pay attention to what you feel.",
    "Reach long through your heel, keep your hips level.",
    "Open the top knee like a book, feet stay together.",
    "Breathe in through your nose and let your belly rise.",
    "Tuck your pelvis slightly to feel the stretch in front.",
    "Your weaker side goes first, so take your time.",
    "Keep the movement small and stay in control.",
    "Hold it there, and keep breathing through the hold.",
    "Lower your arm and leg slowly, then switch sides.",
    "Notice how your hips and back feel right now.",
    "Good work, shake it out and get ready for the next one.",
    "Sink a little deeper into the stretch as you breathe out.",
    "Stand tall, soften your knees, and find your balance.",
    "Keep your neck long and look down at the floor.",
)

CALIBRATION_LINES = (
    "Lie on your back, knees bent and feet flat on the floor.",
    "Drive through your heels and lift your hips off the floor.",
    "Come onto your hands and knees, wrists under shoulders.",
    "Brace your belly, as if someone is about to poke it.",
    "Turn onto your side and stack your hips on top of each other.",
    "Kneel on one knee, with the other foot in front of you.",
    "Keep your low back flat as your legs move away.",
    "Think about drawing your belly button toward your spine.",
    "Only go as far as you can, without your back arching.",
    "Slowly return to the start, and reset your breath.",
    "Feel the stretch in the front of your hip.",
    "Keep the working leg bent, at ninety degrees.",
    "Let the floor take the weight of your head.",
    "Pause for a moment at the top of each repetition.",
    "You should feel this in the side of your hip, not your back.",
    "Exhale as you lift, and inhale as you lower.",
    "Make each rep a little smoother than the last.",
    "Switch to the other side when you are ready.",
    "Check that your pelvis is not rocking, side to side.",
    "Take a slow breath, and relax your jaw.",
    "Stay tall through your spine, and do not rush.",
    "This is the last set, so make it count.",
)


def words(text: str) -> int:
    return len(text.split())


def spoken_seconds(samples: np.ndarray, sample_rate: int) -> float:
    """Seconds from the first to the last sample above THRESHOLD_DBFS (0 if none)."""
    mono = np.abs(np.asarray(samples, dtype=np.float32).reshape(-1))
    loud = np.flatnonzero(mono >= 10 ** (THRESHOLD_DBFS / 20))
    if loud.size == 0:
        return 0.0
    return float(loud[-1] - loud[0] + 1) / sample_rate


def measured_wpm(texts: Sequence[str], clips: Sequence[tuple[np.ndarray, int]]) -> float:
    """Words per minute over all lines: total words / total spoken time."""
    seconds = sum(spoken_seconds(samples, rate) for samples, rate in clips)
    if seconds <= 0:
        raise ValueError("no audible speech to measure")
    return sum(words(t) for t in texts) * 60.0 / seconds
