"""A helper process that files the blocking keys of most of a big watchlist build, on the second core.

A bulk build spends a good part of its time filing entries under their blocking keys (name
skeletons, documents, birthdays), the rest decoding and preparing them (name forms, dates, the
prefilter columns). The worker needs every slot prepared for scoring, but the keys are a plain
mapping of strings to packed ints, cheap to hand over. So, for a large build, a helper process
decodes and prepares the first HELPED_SHARE of the raw values again and files their keys
(`agents.matching.blocking.bulk_build.filed_keys`), while the worker prepares every slot and files only the
rest; the worker then merges the helper's postings. The index is the same as one built alone
(tests/unit/test_key_helper.py); the helper only changes how long the build takes.

A new process, not a fork: a forked child shares the worker's pages copy-on-write, and every
page the worker then writes (the raw watchlist it frees, the heap it grows) was copied in a
page fault, a sizeable share of a million-entry build (perf; the helper's effect on the build:
bench/results/watchlist-ready-helper.md). The
worker hands the raw values over in an unlinked temporary file (personal data: never a named
file, gone when closed), the helper answers in another.

Anything unexpected costs only time: a helper that cannot start, fails, times out or filed other
slots is ignored and the worker files those keys itself. The helper never logs (the raw values
are personal data), dies with the worker (PR_SET_PDEATHSIG), and reports its peak RSS, which the
worker logs.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import IO

from agents.matching.blocking.bulk_build import FiledKeys, filed_keys
from agents.matching.blocking.postings import Posting

#: Share of the raw values whose keys the helper files: it decodes, prepares and files them, while
#: the worker decodes and prepares all of them and files the rest, so both finish together.
HELPED_SHARE = 0.8
#: Builds smaller than this are not worth a helper (a second or two at most).
MIN_VALUES = 50_000
#: Postings per pickled chunk of the result file.
CHUNK = 20_000
#: The helper program: this module run as a script (tests swap in misbehaving ones).
COMMAND = (sys.executable, "-m", "agents.key_helper")
_PR_SET_PDEATHSIG = 1


class KeyHelper:
    """A helper process filing the keys of the raw values it was given; `result()` collects them."""

    def __init__(self, process: subprocess.Popen[bytes], out: IO[bytes]) -> None:
        self.process: subprocess.Popen[bytes] | None = process
        self.peak_rss_mib = 0.0
        self.waited_s = 0.0
        self.delivered = 0  # entries whose keys result() handed over
        self._out: IO[bytes] | None = out

    @classmethod
    def start(cls, values: list[bytes], command: Sequence[str] = COMMAND) -> KeyHelper | None:
        """Start a helper for `values` (None when it cannot start). The helper decodes them with
        `agents.decode.decode_entry`, as the worker must, or its slot numbers mean other entries."""
        given = tempfile.TemporaryFile()  # noqa: SIM115 - closed below, once the helper has it
        out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the KeyHelper, which closes it
        try:
            with given:
                pickle.dump(values, given, protocol=pickle.HIGHEST_PROTOCOL)
                given.flush()
                given.seek(0)
                process = subprocess.Popen(
                    [*command, str(os.getpid()), str(given.fileno()), str(out.fileno())],
                    pass_fds=(given.fileno(), out.fileno()), stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True)
        except Exception:  # no helper (no room for the file, no process): the worker builds alone
            out.close()
            return None
        return cls(process, out)

    def result(self, timeout_s: float) -> FiledKeys | None:
        """The helper's filed keys, waiting up to `timeout_s` for it; None if it failed or is late."""
        process, out = self.process, self._out
        if process is None or out is None:
            return None
        waited = time.monotonic()
        try:
            code = process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            code = None
        self.waited_s = time.monotonic() - waited
        if code != 0:
            self.close()
            return None
        try:
            out.seek(0)
            peak_kib, count = pickle.load(out)
        except Exception:  # unreadable: filed by the worker instead
            self.close()
            return None
        self.peak_rss_mib = peak_kib / 1024
        self.delivered = count
        # Read as the build merges them, skeletons first: a chunk at a time in memory, not two
        # more dictionaries of millions of keys. The file is complete (the helper exited 0 after
        # flushing it), so a failure while reading it is a bug, not a helper to ignore.
        return count, _section(out), _section(out)

    def close(self) -> None:
        """Stop the helper if it still runs and drop its result file."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        if self._out is not None:
            self._out.close()
            self._out = None


def helped_count(values: int) -> int:
    """How many of `values` raw values a helper should take (0: build alone): a helper only pays
    when a core is idle. Two workers building on two cores already use both, and a helper each
    would make every one of them slower (4 processes on 2 cores)."""
    if values < MIN_VALUES:
        return 0
    return int(values * HELPED_SHARE) if has_idle_core(usable_cpus(), runnable_samples()) else 0


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def runnable_samples(count: int = 9, interval_s: float = 0.01) -> list[int]:
    """Tasks running or runnable on the host right now (/proc/loadavg), a few samples apart; empty
    where the kernel does not say."""
    out: list[int] = []
    for _ in range(count):
        try:
            with open("/proc/loadavg", "rb") as fh:
                out.append(int(fh.read().split()[3].split(b"/")[0]))
        except (OSError, ValueError, IndexError):
            return []
        time.sleep(interval_s)
    return out


def has_idle_core(cpus: int, runnable: list[int]) -> bool:
    """A core is free for a helper: besides this build's own thread (one of the `runnable` tasks
    of each sample), fewer tasks than cores − 1 run, in the median sample."""
    if cpus < 2:
        return False
    if not runnable:
        return True
    others = sorted(runnable)[len(runnable) // 2] - 1
    return others < cpus - 1


def _section(out: IO[bytes]) -> Iterator[tuple[str, Posting]]:
    while (chunk := pickle.load(out)) is not None:
        yield from chunk


def _dump_chunks(items: Iterator[tuple[str, Posting]], out: IO[bytes]) -> None:
    while chunk := list(islice(items, CHUNK)):
        pickle.dump(chunk, out, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.dump(None, out)


def main(argv: Sequence[str]) -> int:
    """The helper: `python -m agents.key_helper WORKER_PID VALUES_FD RESULT_FD`."""
    worker, given_fd, out_fd = map(int, argv)
    _die_with(worker)
    from agents.decode import Invalid, decode_entry  # the worker's decoding, to the letter

    gc.disable()  # everything here lives until the process exits
    with os.fdopen(given_fd, "rb") as given:
        values: list[bytes] = pickle.load(given)
    decoded = map(decode_entry, values)
    filed = filed_keys(e for e in decoded if not isinstance(e, Invalid))
    if filed is None:
        return 2  # an entry id repeats: the worker's build leaves its bulk mode there
    count, skeletons, others = filed
    with os.fdopen(out_fd, "wb") as out:
        pickle.dump((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, count), out,
                    protocol=pickle.HIGHEST_PROTOCOL)
        for section in (skeletons, others):
            _dump_chunks(iter(section), out)
    return 0


def _die_with(worker: int) -> None:
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != worker:  # the worker died before the line above
        raise SystemExit(1)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
