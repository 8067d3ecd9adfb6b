"""Randomized hostile-input run over the screening agent's per-message function (issue #6 point 4).

    .venv/bin/python bench/fuzz.py [-n 100000] [--seed 1]

Feeds `process_event` (decode -> screen -> alert candidates or dead letter, exactly what the worker
runs per message) with mutated events: malformed JSON, wrong types, missing fields, huge strings,
deep nesting, invalid UTF-8, control / bidi / zero-width characters, mixed scripts, extreme and
impossible dates, 1 MB messages, lone surrogates. Properties checked per input: never raises, every
rejection has a reason, and the time per message. Prints inputs tried, max / p99 time, exceptions.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agents.decode import Rejected
from agents.matching import MatcherConfig, WatchlistIndex, build_index
from agents.screening import ScreeningContext, process_event
from schemas import WatchlistEntry
from streams.app import screening_context
from streams.settings import Settings

NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)
REASONS = {"invalid_json", "invalid_schema", "too_large", "internal_error"}

PEOPLE: list[dict[str, Any]] = [
    {"full_name": "Somchai Srisuk", "given_names": "Somchai", "surname": "Srisuk", "date_of_birth": "1972-04-18",
     "sex": "M", "nationality": "THA", "documents": [{"type": "P", "number": "AA1234567", "issuing_country": "THA"}]},
    {"full_name": "สมชาย ศรีสุข", "date_of_birth": "1972-04", "nationality": "THA"},
    {"full_name": "Nguyễn Thị Hồng", "given_names": "Thị Hồng", "surname": "Nguyễn", "date_of_birth": "2008-09-30",
     "sex": "F", "nationality": "VNM"},
    {"full_name": "王小明", "aliases": ["Wang Xiaoming", "WONG Siu Ming"], "date_of_birth": "1985",
     "nationality": "CHN"},
    {"full_name": "ສົມພອນ ພົມມະຈັນ", "nationality": "LAO", "sex": "F"},
    {"full_name": "ចាន់ សុភាព", "date_of_birth": "2006-03-15", "nationality": "KHM"},
    {"full_name": "အောင်ကျော်", "nationality": "MMR", "birth_year_range": [1990, 1995]},
    {"documents": [{"type": "P", "number": "C01X00T47", "issuing_country": "MMR", "expiry_date": "2030-01-01"}]},
]

HOSTILE_CHARS = (
    [chr(c) for c in range(0, 32)] + ["\x7f", "\x85", "\u00a0"]
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
       "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\ufffd", "\u2028", "\u2029"]
    + ["\u0301", "\u0e31", "\u0eb1", "\u17b6", "\u1039", "\u0308" * 5]
    + ["ก", "ສ", "ក", "က", "王", "ễ", "Я", "ا", "𝔘", "😀", "A", "<", " ", "-", "'", "\\", '"']
)
HOSTILE_STRINGS = [
    "", " ", "\u202eKCUS", "Som\u200bchai", "SOMCHAI\x00SRISUK", "Sŏmchái Srísùk", "Somchai\u0e31\u0e31\u0e31",
    "สมชาย Srisuk 王", "<<<<<<<<<<", "P<THASRISUK<<SOMCHAI<<<<<<<<<<<<<<<<<<<<<<<<<<", "null", "NaN",
    "\ud800", "a" * 201, "王" * 200, "ก\u0e48" * 100, "\u202e" * 200, " " * 200, "Ḁ̴̡̛" * 40,
]
DATES = ["0000-00-00", "0001-01-01", "9999-12-31", "2024-02-30", "1900-02-29", "2000-02-29", "-001-01-01",
         "１９７２-04-18", "1972-4-18", "1972-13", "1972", "19720418", "2100", " 1972-04-18 ", "1972-04-18T00:00",
         "", "٢٠٢٠-٠١-٠١"]
TIMESTAMPS = ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00", "9999-12-31T23:59:59-23:59",
              "0001-01-01T00:00:00+23:59", "2026-11-28T10:00:00", "2026-11-28T25:00:00+00:00",
              "2026-02-30T00:00:00Z", "1970-01-01T00:00:00Z", "2026-11-28T10:00:00.999999999Z",
              "2026-11-28T10:00:00+99:00", "1e308", "", "2026-11-28T10:00:00+07:00"]
VALID_EXTREME_DATES = ["0001-01-01", "9999-12-31", "2000-02-29", "0001", "9999-12", "2026-11-28", "2030-01-01"]
VALID_EXTREME_TIMESTAMPS = ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "9999-12-31T23:59:59+00:00",
                            "1970-01-01T00:00:00Z", "2100-01-01T00:00:00+14:00"]
SCALARS: list[Any] = [None, True, False, 0, -1, 2**63, -(2**64), 10**400, 1.5, 1e308, float("inf"), "", [], {}]


def base_event(rng: random.Random) -> dict[str, Any]:
    person = copy.deepcopy(rng.choice(PEOPLE))
    if rng.random() < 0.5:
        return {"event_id": f"e-{rng.getrandbits(40)}", "event_type": "border_crossing",
                "occurred_at": "2026-11-28T09:59:58+07:00", "checkpoint_id": "THA-CP01",
                "checkpoint_country": "THA", "direction": "entry", "traveler": person}
    return {"event_id": f"e-{rng.getrandbits(40)}", "event_type": "document_check",
            "occurred_at": "2026-11-28T09:59:58+07:00", "checkpoint_id": "LAO-CP02", "checkpoint_country": "LAO",
            "document": {"type": "P", "number": "AA1234567", "issuing_country": "THA", "expiry_date": "2031-01-01"},
            "mrz": ["P<THASRISUK<<SOMCHAI<<<<<<<<<<<<<<<<<<<<<<<<<", "AA12345674THA7204188M3101019<<<<<<<<<<<<<<06"],
            "holder": person}


def hostile_text(rng: random.Random, max_len: int = 300) -> str:
    r = rng.random()
    if r < 0.35:
        return rng.choice(HOSTILE_STRINGS)
    if r < 0.85:
        return "".join(rng.choice(HOSTILE_CHARS) for _ in range(rng.randint(1, max_len // 10)))
    return rng.choice(HOSTILE_CHARS) * rng.randint(1, max_len)


def hostile_value(rng: random.Random, depth: int = 0) -> Any:
    r = rng.random()
    if r < 0.35:
        return hostile_text(rng)
    if r < 0.55:
        return rng.choice(SCALARS)
    if r < 0.65:
        return rng.choice(DATES + TIMESTAMPS)
    if depth < 3 and r < 0.8:
        return [hostile_value(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    if depth < 3:
        return {hostile_text(rng, 20): hostile_value(rng, depth + 1) for _ in range(rng.randint(0, 5))}
    return None


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _paths(v, (*prefix, i))
    return out


def _set(obj: Any, path: tuple[Any, ...], value: Any, delete: bool = False) -> None:
    for p in path[:-1]:
        obj = obj[p]
    if delete:
        del obj[path[-1]]
    else:
        obj[path[-1]] = value


def mutate_doc(rng: random.Random, doc: dict[str, Any]) -> dict[str, Any]:
    for _ in range(rng.randint(1, 4)):
        paths = _paths(doc)
        if not paths:
            break
        path = rng.choice(paths)
        r = rng.random()
        if r < 0.2:
            _set(doc, path, None, delete=True)
        elif r < 0.35 and path[-1] in ("date_of_birth", "expiry_date", "occurred_at"):
            _set(doc, path, rng.choice(DATES + TIMESTAMPS))
        elif r < 0.6:
            _set(doc, path, hostile_text(rng))
        else:
            _set(doc, path, hostile_value(rng))
    if rng.random() < 0.1:
        doc[hostile_text(rng, 30)] = hostile_value(rng)
    return doc


def _dumps(doc: Any) -> bytes:
    try:
        return orjson.dumps(doc)
    except (TypeError, orjson.JSONEncodeError):  # lone surrogates, huge ints: hand-rolled JSON instead
        import json

        return json.dumps(doc, ensure_ascii=True, allow_nan=True).encode()


def hostile_bytes(rng: random.Random) -> bytes | None:
    """One hostile message value."""
    r = rng.random()
    if r < 0.45:
        return _dumps(mutate_doc(rng, base_event(rng)))
    raw = orjson.dumps(base_event(rng))
    if r < 0.55:  # byte-level damage: flips, invalid UTF-8, truncation
        b = bytearray(raw)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(b))
            b[i] = rng.choice((0x00, 0x80, 0xC0, 0xC3, 0xED, 0xF5, 0xFF, rng.randrange(256)))
        return bytes(b[: rng.randint(0, len(b))] if rng.random() < 0.3 else b)
    if r < 0.6:  # \uXXXX escapes: lone surrogates, NUL, bidi
        esc = rng.choice(("\\ud800", "\\udfff", "\\u0000", "\\u202e", "\\ud83d\\ude00", "\\ud83d"))
        return raw.replace(b'"Som', b'"' + esc.encode() + b"Som").replace(b'"THA-', b'"' + esc.encode() + b"THA-")
    if r < 0.66:  # deep nesting in a field or as the whole message
        depth = rng.choice((64, 500, 5_000, 100_000))
        opener, closer = rng.choice(((b"[", b"]"), (b'{"a":', b"}")))
        nested = opener * depth + b"1" + closer * depth
        return nested if rng.random() < 0.5 else raw[:-1] + b',"x":' + nested + b"}"
    if r < 0.7:  # around the 1 MB limit
        size = rng.choice((1_048_576 - len(raw) - 20, 1_048_576, 1_100_000))
        pad = rng.choice(("a", "王", "\u202e", " "))
        return raw[:-1] + b',"pad":"' + (pad * max(0, size // len(pad.encode()))).encode() + b'"}'
    if r < 0.75:  # many aliases / documents / MRZ lines (array limits)
        doc = base_event(rng)
        person = doc.get("traveler") or doc.get("holder")
        person["aliases"] = [hostile_text(rng, 50) for _ in range(rng.choice((10, 51, 500)))]
        if rng.random() < 0.5:
            person["documents"] = [{"type": "P", "number": str(i)} for i in range(rng.choice((5, 21, 300)))]
        if doc["event_type"] == "document_check":
            doc["mrz"] = [hostile_text(rng, 88) for _ in range(rng.choice((3, 100, 5000)))]
        return _dumps(doc)
    if r < 0.8:
        return rng.choice((None, b"", b"null", b"[]", b"{}", b'""', b"1e999999", b"\xef\xbb\xbf{}", b"{" * 3,
                           b"NaN", b'{"event_type":"border_crossing"}'))
    if r < 0.95:  # valid shape, every name field hostile: reaches the matcher
        doc = base_event(rng)
        person = doc.get("traveler") or doc.get("holder")
        for f in ("full_name", "given_names", "surname"):
            if rng.random() < 0.7:
                person[f] = hostile_text(rng, 200)[:200]
        if rng.random() < 0.5:
            person["date_of_birth"] = rng.choice(VALID_EXTREME_DATES)
        if rng.random() < 0.5:
            doc["occurred_at"] = rng.choice(VALID_EXTREME_TIMESTAMPS)
        return _dumps(doc)
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))


def small_index() -> WatchlistIndex:
    entries = [WatchlistEntry.model_validate({"entry_id": f"F-{i}", "list": lst, "person": p,
                                              "source_country": "THA", "source_agency": "Fuzz",
                                              "case_ref": f"C-{i}", "priority": "high"})
               for i, (p, lst) in enumerate(zip(PEOPLE, ["suspect", "missing_person", "suspected_victim"] * 3,
                                                strict=False))]
    return build_index(entries, MatcherConfig())


def context() -> ScreeningContext:
    return screening_context(Settings(), clock=lambda: NOW)


def check_one(raw: bytes | None, topic: str, index: WatchlistIndex, ctx: ScreeningContext) -> tuple[float, str]:
    """Run one input; returns (seconds, outcome). Raises AssertionError when a property fails."""
    started = time.perf_counter()
    processed = process_event(raw, b"k", topic=topic, partition=0, offset=0, index=index, ctx=ctx)
    seconds = time.perf_counter() - started
    if processed.rejected is not None:
        assert isinstance(processed.rejected, Rejected)
        assert processed.rejected.reason in REASONS and processed.rejected.detail, processed.rejected
        assert [o.topic for o in processed.outgoing] == [ctx.topics.dead_letter]
        return seconds, processed.rejected.reason
    assert processed.event is not None
    # Screened, whole or without its invalid fields: then one data-quality record names them.
    letters = [o for o in processed.outgoing if o.topic == ctx.topics.dead_letter]
    assert len(letters) == (1 if processed.problems else 0), processed.problems
    assert all(o.topic == ctx.topics.alert_candidates for o in processed.outgoing if o not in letters)
    if processed.problems:
        return seconds, "alert, partial" if processed.alerts else "screened, partial"
    return seconds, "alert" if processed.alerts else "screened"


def run(n: int, seed: int, progress: bool = True) -> dict[str, Any]:
    rng = random.Random(seed)
    index, ctx = small_index(), context()
    topics = (ctx.topics.crossings, ctx.topics.document_checks)
    times: list[float] = []
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    worst: tuple[float, bytes | None] = (0.0, b"")
    started = time.perf_counter()
    for i in range(n):
        raw = hostile_bytes(rng)
        topic = rng.choice(topics)
        try:
            seconds, outcome = check_one(raw, topic, index, ctx)
        except BaseException as error:  # the property under test: nothing escapes
            failures.append(f"input {i}: {type(error).__name__}: {error}\n{traceback.format_exc(limit=3)}"
                            f"raw[:200]={raw[:200] if raw else raw!r}")
            outcomes["EXCEPTION"] += 1
            continue
        times.append(seconds)
        outcomes[outcome] += 1
        if seconds > worst[0]:
            worst = (seconds, raw)
        if progress and (i + 1) % 10_000 == 0:
            print(f"  {i + 1} inputs, {time.perf_counter() - started:.0f}s", file=sys.stderr)
    times.sort()
    return {"tried": n, "outcomes": dict(outcomes), "failures": failures,
            "max_s": times[-1] if times else 0.0, "p99_s": times[int(len(times) * 0.99) - 1] if times else 0.0,
            "p50_s": times[len(times) // 2] if times else 0.0, "wall_s": time.perf_counter() - started,
            "worst_input_head": (worst[1] or b"")[:120], "worst_input_len": len(worst[1] or b"")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=100_000, help="number of inputs (default 100,000)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    r = run(args.n, args.seed)
    print(f"inputs tried: {r['tried']}  wall: {r['wall_s']:.1f}s  seed: {args.seed}")
    print(f"outcomes: {r['outcomes']}")
    print(f"per-message time: p50 {r['p50_s'] * 1e3:.3f} ms  p99 {r['p99_s'] * 1e3:.3f} ms  "
          f"max {r['max_s'] * 1e3:.1f} ms (worst input: {r['worst_input_len']} bytes, "
          f"starts {r['worst_input_head']!r})")
    print(f"exceptions: {len(r['failures'])}")
    for f in r["failures"][:10]:
        print(f)
    return 1 if r["failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
