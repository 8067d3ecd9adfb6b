"""A helper process that builds the last part of a big watchlist build, on the second core.

Most of a bulk build's time goes to decoding and preparing entries (name forms, dates, documents)
and filing them under their blocking keys; the prefilter columns and the final merge of the keys
are a small part. So, for a large build, a helper process decodes, prepares and files the last
HELPED_SHARE of the raw values (`agents.matching.blocking.bulk_build.prepared_share`) while the
worker builds the first ones; the worker then stores the helper's prepared slots after its own
(rebuilding each prepared person from plain values is a fraction of preparing it) and merges the
helper's postings moved up to those slots. The index is the same as one built alone
(tests/unit/test_key_helper.py); the helper only changes how long the build takes.

A new process, not a fork: a forked child shares the worker's pages copy-on-write, and every
page the worker then writes (the raw watchlist it frees, the heap it grows) was copied in a
page fault, a sizeable share of a million-entry build (perf; the helper's effect on the build:
bench/results/watchlist-ready-helper.md). The worker hands the raw values over in an unlinked
temporary file (personal data: never a named file, gone when closed), the helper answers in
another, in marshal chunks (plain tuples and strings: faster to read than pickle, and strings
interned in the helper arrive interned).

Anything unexpected costs only time: a helper that cannot start, fails, times out or answers for
another number of values is ignored and the worker builds those slots itself. The helper never
logs (the raw values are personal data), dies with the worker (PR_SET_PDEATHSIG), and reports its
peak RSS, which the worker logs.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import marshal
import os
import pickle
import resource
import signal
import struct
import subprocess
import sys
import tempfile
import time
from array import array
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import IO, Any

from agents.matching.blocking.bulk_build import PreparedShare, SlotRecord, prepared_share
from agents.matching.blocking.postings import Posting

#: Share of the raw values (the last ones) the helper builds: it decodes, prepares and files them,
#: while the worker decodes, prepares and files the others, then stores the helper's slots (a
#: fraction of the work per entry), so both finish at about the same time. Half: with a little less
#: the helper finished first in in-process million-entry builds, its core then idle while the worker's
#: own part, on the way to ready, went on.
HELPED_SHARE = 0.50
#: Builds smaller than this are not worth a helper (a second or two at most).
MIN_VALUES = 50_000
#: Records or postings per marshalled chunk of the result file.
CHUNK = 20_000
#: The helper program: this module run as a script (tests swap in misbehaving ones).
COMMAND = (sys.executable, "-m", "agents.key_helper")
_PR_SET_PDEATHSIG = 1
_LENGTH = struct.Struct("<Q")  # the length of each marshalled chunk before it


class KeyHelper:
    """A helper process filing the keys of the raw values it was given; `result()` collects them."""

    def __init__(self, process: subprocess.Popen[bytes], out: IO[bytes]) -> None:
        self.process: subprocess.Popen[bytes] | None = process
        self.peak_rss_mib = 0.0
        self.waited_s = 0.0
        self.delivered = 0  # slots result() handed over
        self.invalid = 0  # values the helper could not decode
        self.given = 0  # values it was given
        self._out: IO[bytes] | None = out

    @classmethod
    def start(cls, values: list[bytes], command: Sequence[str] = COMMAND) -> KeyHelper | None:
        """Start a helper for `values` (None when it cannot start). The helper decodes them with
        `agents.decode.decode_entry`, as the worker would, or its slots would hold other entries."""
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
        helper = cls(process, out)
        helper.given = len(values)
        return helper

    def result(self, timeout_s: float) -> PreparedShare | None:
        """The helper's share, waiting up to `timeout_s` for it; None if it failed, is late or answered
        for another number of values than it was given."""
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
            peak_kib, count, invalid = _read(out)
        except Exception:  # unreadable: built by the worker instead
            self.close()
            return None
        if count + invalid != self.given:
            self.close()
            return None
        self.peak_rss_mib = peak_kib / 1024
        self.delivered, self.invalid = count, invalid
        # Read as the build stores and merges them: a chunk at a time in memory, not a million
        # records and two more dictionaries of millions of keys. The file is complete (the helper
        # exited 0 after flushing it), so a failure while reading it is a bug, not a helper to ignore.
        return count, _records(out), _postings(out), _postings(out)

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


def _write(value: Any, out: IO[bytes]) -> None:
    blob = marshal.dumps(value)
    out.write(_LENGTH.pack(len(blob)))
    out.write(blob)


def _read(out: IO[bytes]) -> Any:
    # One read per chunk: marshal.load on a file reads every object with a call of its own, which
    # made reading the records cost as much as preparing them.
    (length,) = _LENGTH.unpack(out.read(_LENGTH.size))
    blob = out.read(length)
    if len(blob) != length:
        raise EOFError("a helper's result file ends early")
    return marshal.loads(blob)


def _records(out: IO[bytes]) -> Iterator[SlotRecord]:
    while (chunk := _read(out)) is not None:
        yield from chunk


def _postings(out: IO[bytes]) -> Iterator[tuple[str, Posting]]:
    # marshal carries no arrays: a posting of several entries travels as its bytes
    while (chunk := _read(out)) is not None:
        yield from [(key, posting if type(posting) is int else array("Q", posting)) for key, posting in chunk]


def _dump_chunks(items: Iterator[Any], out: IO[bytes]) -> None:
    while chunk := list(islice(items, CHUNK)):
        _write(chunk, out)
    _write(None, out)


def _as_bytes(items: Iterator[tuple[str, Posting]]) -> Iterator[tuple[str, int | bytes]]:
    for key, posting in items:
        yield key, (posting if isinstance(posting, int) else posting.tobytes())


def main(argv: Sequence[str]) -> int:
    """The helper: `python -m agents.key_helper WORKER_PID VALUES_FD RESULT_FD`."""
    worker, given_fd, out_fd = map(int, argv)
    _die_with(worker)
    from agents.decode import Invalid, decode_entry  # the worker's decoding, to the letter
    from agents.matching.scripts.thai_ahead import reading_ahead

    gc.disable()  # everything here lives until the process exits
    with os.fdopen(given_fd, "rb") as given:
        values: list[bytes] = pickle.load(given)
    invalid = [0]

    def valid() -> Iterator[Any]:
        for value in values:
            decoded = decode_entry(value)
            if isinstance(decoded, Invalid):
                invalid[0] += 1
            else:
                yield decoded

    with reading_ahead(values, reload=False):  # the helper exits once its share is handed over
        share = prepared_share(valid())
    if share is None:
        return 2  # an entry id repeats: the worker's build leaves its bulk mode there
    count, records, skeletons, others = share
    with os.fdopen(out_fd, "wb") as out:
        _write((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, count, invalid[0]), out)
        _dump_chunks(iter(records), out)
        for section in (skeletons, others):
            _dump_chunks(_as_bytes(iter(section)), out)
    return 0


def _die_with(worker: int) -> None:
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != worker:  # the worker died before the line above
        raise SystemExit(1)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
