"""streams/memory.py: freed heap pages go back to the system after a big build."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from streams.memory import rss_mib

# In a fresh interpreter, so the heap holds only what the script allocates: about 256 MiB of 2 KiB
# records (above CPython's small-object limit, so they come from the C heap), every 64th kept so the
# freed pages lie between live ones and the heap cannot shrink from its top by itself.
_SCRIPT = """
from streams.memory import release_free_memory, rss_mib
records = [bytes(2048) + i.to_bytes(4, "little") for i in range(128 * 1024)]
kept = records[::64]
del records
before = rss_mib()
assert release_free_memory()
print(before - rss_mib(), len(kept))
"""


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_freed_records_between_live_ones_leave_the_rss() -> None:
    done = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True, check=True, timeout=120)
    released_mib = float(done.stdout.split()[0])
    assert released_mib > 128


@pytest.mark.skipif(platform.system() != "Linux", reason="reads /proc")
def test_rss_counts_what_the_process_holds() -> None:
    before = rss_mib()
    held = bytearray(64 * 2**20)
    held[::4096] = b"\1" * len(held[::4096])  # touch every page
    assert before is not None and rss_mib() - before > 48
    del held
