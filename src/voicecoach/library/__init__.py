"""The exercise library: reusable exercises that routines reference with `use: ID`."""

from voicecoach.library.catalog import (
    LIBRARY_FILE,
    LibraryEntry,
    get_entry,
    library,
    library_ids,
    read_library,
)

__all__ = [
    "LIBRARY_FILE",
    "LibraryEntry",
    "get_entry",
    "library",
    "library_ids",
    "read_library",
]
