"""A helper process that files the blocking keys of most of a big watchlist build, on the second core.

A bulk build spends about a third of its time filing entries under their blocking keys (name
skeletons, documents, birthdays), the rest decoding and preparing them (name forms, dates, the
prefilter columns). The worker needs every slot prepared for scoring, but the keys are a plain
mapping of strings to packed ints, cheap to hand over. So, for a large build, a process forked
from the building thread decodes and prepares the first HELPED_SHARE of the raw values again and
files their keys (`agents.matching.index.filed_keys`), while the worker prepares every slot and
files only the rest; the worker then merges the helper's postings. The index is the same as one
built alone (tests/unit/test_key_helper.py); the helper only changes how long the build takes.

Anything unexpected costs only time: a helper that cannot fork, fails, times out or filed other
slots is ignored and the worker files those keys itself. The child never logs (the raw values are
personal data, and a lock another thread of the worker held at the fork may never be released in
the child), dies with the worker (PR_SET_PDEATHSIG), and hands its result over in an unlinked
temporary file. Its memory is its own: it reports its peak RSS, which the worker logs.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import resource
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from itertools import islice
from typing import IO

from agents.matching.index import FiledKeys, filed_keys
from agents.matching.postings import Posting
from schemas import WatchlistEntry

#: Share of the raw values whose keys the helper files: it decodes, prepares and files them, while
#: the worker decodes and prepares all of them and files the rest, so both finish together.
HELPED_SHARE = 0.8
#: Builds smaller than this are not worth a fork (a second or two at most).
MIN_VALUES = 50_000
#: Postings per pickled chunk of the result file.
CHUNK = 20_000
_PR_SET_PDEATHSIG = 1


class KeyHelper:
    """A forked process filing the keys of the first `count` raw values; `result()` collects them."""

    def __init__(self, pid: int, out: IO[bytes], count: int) -> None:
        self.pid = pid
        self.count = count
        self.peak_rss_mib = 0.0
        self.waited_s = 0.0
        self._out: IO[bytes] | None = out
        self._started = time.monotonic()

    @classmethod
    def start(cls, values: Callable[[], Iterator[bytes]], count: int,
              decode: Callable[[bytes], WatchlistEntry | None]) -> KeyHelper | None:
        """Fork a helper for the first `count` of `values()` (None when forking is not possible).
        `decode` turns a raw value into an entry, or None for an invalid one: the worker must
        decode the same values the same way, or the helper's slot numbers mean other entries."""
        if not hasattr(os, "fork"):
            return None
        out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the KeyHelper, which closes it
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            out.close()
            return None
        if pid == 0:  # the child: never returns
            _run_child(values, count, decode, out, parent)
        return cls(pid, out, count)

    def result(self, timeout_s: float) -> FiledKeys | None:
        """The helper's filed keys, waiting up to `timeout_s` for it; None if it failed or is late."""
        out = self._out
        if out is None:
            return None
        waited = time.monotonic()
        deadline = waited + timeout_s
        status = None
        while status is None and time.monotonic() < deadline:
            pid, code = os.waitpid(self.pid, os.WNOHANG)
            status = code if pid else None
            if status is None:
                time.sleep(0.01)
        self.waited_s = time.monotonic() - waited
        if status is None or os.waitstatus_to_exitcode(status) != 0:
            self.close()
            return None
        self.pid = 0  # reaped
        try:
            out.seek(0)
            peak_kib, count = pickle.load(out)
        except Exception:  # unreadable: filed by the worker instead
            self.close()
            return None
        self.peak_rss_mib = peak_kib / 1024
        # Read as the build merges them, skeletons first: a chunk at a time in memory, not two
        # more dictionaries of millions of keys. The file is complete (the child exited 0 after
        # flushing it), so a failure while reading it is a bug, not a helper to ignore.
        return count, self._section(out), self._section(out)

    @staticmethod
    def _section(out: IO[bytes]) -> Iterator[tuple[str, Posting]]:
        while (chunk := pickle.load(out)) is not None:
            yield from chunk

    def close(self) -> None:
        """Stop the helper if it still runs and drop its result file."""
        if self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(self.pid, 0)
            self.pid = 0
        if self._out is not None:
            self._out.close()
            self._out = None


def helped_count(values: int) -> int:
    """How many of `values` raw values a helper should take (0: build alone)."""
    if values < MIN_VALUES or (os.cpu_count() or 1) < 2:
        return 0
    return int(values * HELPED_SHARE)


def _run_child(values: Callable[[], Iterator[bytes]], count: int,
               decode: Callable[[bytes], WatchlistEntry | None], out: IO[bytes], parent: int) -> None:
    code = 1
    try:
        _detach(parent)
        gc.disable()  # the child's objects live until it exits
        entries = (e for e in map(decode, islice(values(), count)) if e is not None)
        filed = filed_keys(entries)
        if filed is not None:
            count, skeletons, others = filed
            peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            pickle.dump((peak_kib, count), out, protocol=pickle.HIGHEST_PROTOCOL)
            for section in (skeletons, others):
                _dump_chunks(iter(section), out)
            out.flush()
            code = 0
    except BaseException:  # nothing may escape a forked child, not even SystemExit
        code = 1
    finally:
        os._exit(code)


def _dump_chunks(items: Iterator[tuple[str, Posting]], out: IO[bytes]) -> None:
    while chunk := list(islice(items, CHUNK)):
        pickle.dump(chunk, out, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.dump(None, out)


def _detach(parent: int) -> None:
    """Signals to their defaults, death with the worker, no output: this process only computes."""
    with contextlib.suppress(ValueError, OSError):
        signal.set_wakeup_fd(-1)  # the worker's event loop wakes on that fd: not ours to write
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the worker died before the line above
        os._exit(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
