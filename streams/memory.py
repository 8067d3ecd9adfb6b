"""Giving the C heap's free pages back to the system once a big build is done, and backing what stays
with huge pages.

A watchlist build frees much of what it allocates: the raw records as the index takes their place,
the decoded entries, the tables its dicts and lists outgrow. The C allocator keeps the freed pages
mapped, scattered between the index's own, so the process would go on counting them in its RSS (the
2 GiB budget of issue 19) although nothing uses them.

Screening then reads the index at random (posting lists, per-slot codes, prepared entries: some two
GiB at a million entries), and with 4 KiB pages most of those reads also miss the processor's table
of page translations. Backed by 2 MiB pages (Linux transparent huge pages, asked for by `madvise`),
the same reads cost less CPU; the results are the same.
"""

from __future__ import annotations

import ctypes
import os

#: Linux madvise advice values (asm-generic/mman-common.h): back the range with huge pages from now on;
#: and collapse what is mapped there now into huge pages, synchronously (Linux 6.1 and later).
MADV_HUGEPAGE = 14
MADV_COLLAPSE = 25
HUGE_PAGE = 2 * 2**20


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


def back_with_huge_pages() -> int:
    """Ask the kernel to back this process's anonymous memory with huge pages, and to collapse into them
    what is mapped now (the watchlist just built); the MiB now so backed, 0 where Linux, its C library
    or the kernel's setting does not allow it. Takes seconds at a million entries (the kernel copies
    the pages): call it off the event loop, once the index is built and the free pages given back."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        madvise = libc.madvise
        with open("/proc/self/maps", encoding="ascii") as maps:
            regions = [line.split() for line in maps]
    except (AttributeError, OSError):
        return 0
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    for fields in regions:
        # Anonymous and writable (the heap, the allocators' arenas): not files, stacks or the kernel's.
        if len(fields) < 5 or not fields[1].startswith("rw") or (len(fields) > 5 and fields[5] != "[heap]"):
            continue
        low, high = (int(bound, 16) for bound in fields[0].split("-"))
        start, end = -(-low // HUGE_PAGE) * HUGE_PAGE, high // HUGE_PAGE * HUGE_PAGE
        if end > start and madvise(start, end - start, MADV_HUGEPAGE) == 0:
            madvise(start, end - start, MADV_COLLAPSE)
    return huge_pages_mib()


def huge_pages_mib() -> int:
    """MiB of this process's anonymous memory backed by huge pages (0 where /proc does not say)."""
    try:
        with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("AnonHugePages:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        return 0
    return 0
