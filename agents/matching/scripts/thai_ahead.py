"""The Thai words of a watchlist build read ahead, in batches, before its entries are prepared.

Entries are prepared one at a time, and each distinct Thai word of their names is read by the thai2rom
model (agents/matching/scripts/thai_model.py) when it first appears: a run of the encoder and one run
of the decoder per letter, for each word. Read together, words of one length share those runs
(`Thai2Rom.read_many`) for a fraction of the CPU. So a build first picks the Thai words out of its raw
values and reads them with the model in batches; while it runs, each word's reading is taken from
there. A word not picked out here (written with JSON escapes, or joined to letters of another script)
is read on its own when it comes, as before: the readings are the same either way, only their cost
differs (bench/results/watchlist-ready-thai.md).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from agents.matching.scripts.normalize import split_words
from agents.matching.scripts.thai import romanize_thai, strip_thai_title
from agents.matching.scripts.thai_model import model, whole_sara_am

#: A run of Thai letters (U+0E00..U+0E7F) in UTF-8.
_THAI_RUN = re.compile(rb"(?:\xe0\xb8[\x80-\xbf]|\xe0\xb9[\x80-\xbf])+")
#: The first byte of every letter from U+0800 to U+0FFF, Thai's among them: most values have none, and
#: looking for one byte is much faster than for a pattern.
_LEAD = b"\xe0"


def thai_words(values: Iterable[bytes]) -> set[str]:
    """The distinct Thai words of raw watchlist values (UTF-8 JSON), as `thai.romanize_thai` is given
    them: split as names are (`split_words`), their title taken off."""
    runs: set[bytes] = set()
    for value in values:
        if _LEAD in value:
            runs.update(_THAI_RUN.findall(value))
    out: set[str] = set()
    for run in runs:  # a name's words recur across entries: each run is split once
        for word in split_words(run.decode()):
            out.add(strip_thai_title(word))
    return out


def _read_ahead(words: set[str]) -> int:
    """Puts the model's readings of `words`, made in batches, where `read_thai` finds them; how many."""
    found = model() if words else None
    if found is None:
        return 0
    try:
        read = found.read_many({whole_sara_am(word) for word in words})
    except Exception:  # pragma: no cover - each word is then read when it comes, as before
        return 0
    found.ahead.update(read)
    return len(read)


@contextmanager
def reading_ahead(values: Iterable[bytes], *, reload: bool = True) -> Iterator[int]:
    """Reads the Thai words of `values` for the build inside the block, which yields how many words
    were read ahead (0 without the model or Thai words).

    When they all fit in `romanize_thai`'s cache, every reading of each is made first (the build then
    finds them there) and the readers are let go for the build: the model's sessions and the word trie
    of pythainlp's rule-based reading would otherwise sit in memory through the build's peak. With
    `reload`, they are loaded again once the build is done, on the build's own thread: a later update's
    new word then finds them loaded, and never waits for them on the worker's event loop."""
    words = thai_words(values)
    count = _read_ahead(words)
    let_go = count > 0 and len(words) <= (romanize_thai.cache_parameters()["maxsize"] or len(words))
    try:
        if let_go:
            for word in words:
                romanize_thai(word)
            _ahead_clear()
            _let_readers_go()
        yield count
    finally:
        if not let_go:
            _ahead_clear()
        elif reload:
            _load_readers()


def _ahead_clear() -> None:
    if model.cache_info().currsize:  # loaded (asking `model()` otherwise would load it)
        found = model()
        if found is not None:
            found.ahead.clear()


def _let_readers_go() -> None:
    """Drops the model's sessions and pythainlp's word trie (its rule-based reading's dictionary)."""
    from pythainlp.tokenize import word_dict_trie

    model.cache_clear()
    word_dict_trie.cache_clear()
    gc.collect()


def _load_readers() -> None:
    from pythainlp.tokenize import word_dict_trie

    model()
    word_dict_trie()
