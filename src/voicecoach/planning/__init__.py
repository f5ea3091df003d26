"""The plan: pure stages from a loaded routine to a timeline, with no audio and no I/O.

personalize (level, weak side, minutes; the dosage rules and the fitter) -> script
(what is said, in order) -> timeline (every event at an exact time, and chapters).
Real phrase lengths come in through the `cached_lengths.ClipLengths` protocol or a
plain ``text -> ms`` function; nothing here imports speech or audio.
"""
