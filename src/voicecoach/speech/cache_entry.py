"""The phrase cache's entry files: their name suffix and the magic bytes they start with.

Shared by the cache that writes and reads entries (`speech.cache`) and the upkeep that
lists, clears and trims them (`speech.cache_admin`), so neither imports the other for
it. The entry layout itself is described in `speech.cache`.
"""

from __future__ import annotations

MAGIC = b"VCCLIP1\n"
SUFFIX = ".clip"
