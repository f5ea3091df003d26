"""Shared test settings: hypothesis profiles (CI runs more examples)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def _default_signal_dispositions() -> None:
    """Run the tests, and every process they start, with the usual signal actions.

    A shell starts a background job with SIGINT ignored, and `nohup` ignores SIGHUP;
    an ignored signal stays ignored across fork and exec. voicecoach rightly keeps an
    inherited "ignore" (nohup must keep working), so the signal tests would then test
    nothing. They are about a command started the ordinary way, so start from there.
    """
    import signal

    signal.signal(signal.SIGINT, signal.default_int_handler)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


_default_signal_dispositions()
