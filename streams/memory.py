"""Giving the C heap's free pages back to the system once a big build is done.

A watchlist build frees much of what it allocates: the raw records as the index takes their place,
the decoded entries, the tables its dicts and lists outgrow. The C allocator keeps the freed pages
mapped, scattered between the index's own, so the process would go on counting them in its RSS (the
2 GiB budget of issue 19) although nothing uses them.
"""

from __future__ import annotations

import ctypes
import os


def release_free_memory() -> bool:
    """Return the free pages of the C heap to the system (glibc `malloc_trim`); False where the C
    library has no such call (musl, macOS). Takes a moment on a large heap: call it off the event loop."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return False
    trim(0)
    return True


def rss_mib() -> float | None:
    """This process's resident memory now (MiB), or None where /proc is not available."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
