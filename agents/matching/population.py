"""How common a name is among the travellers actually screened: a bounded, mergeable frequency model.

The watchlist alone cannot say how common a name is at the border: a name that is rare on the
list (one entry) can be carried by thousands of travellers (Nguyen Van Hung). So every screened
traveller's names are counted here, in a count-min sketch: fixed memory whatever the traffic, never
an under-estimate, and two sketches of the same shape add up cell by cell (one per event
partition, summed across workers). Keys are the tokens' `count_key`s (phonetic skeletons, with the
vowel of a one-syllable token), so spellings of one name count together: one key per name form (its
tokens' keys, sorted).

Each partition's sketch weighs its recent travellers most: once it has counted `AGE_AT` of them, every
count is halved (`NameFrequency.age`), so memory and counters stay bounded however long a worker runs,
and the model follows the traffic as it changes.

A traveller who crosses often counts each time: a listed person's own crossings can make their name
look common. That only asks for corroboration (a date of birth or a document), which a listed
person's repeated crossings carry.

Before enough traffic is seen, real name statistics (agents/matching/scripts/data/name_priors.json,
sources inside) stand in as pseudo-travellers; as crossings accumulate, the observed counts take over.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from array import array
from collections.abc import Iterable
from functools import lru_cache

from agents.matching.names import NameForm
from agents.matching.native import PACKAGE_DIR
from agents.matching.scripts.phonetic import count_key
from agents.matching.sketch_core import raise_to, smallest

DEPTH = 4
#: 2**18 cells per row of 16-bit counters: 2 MiB per sketch. The width, not the counter size, sets
#: how well rare names are told apart: a name nobody carries must read as (near) 0, not as the few
#: travellers that share its cells (a narrower table read 1-3 for most unseen names). A counter
#: stops at 65,535: far beyond where a name is common.
WIDTH_BITS = 18
_COUNTER_MAX = 0xFFFF
#: A sketch that has counted this many travellers halves every counter and its total (the reset of
#: TinyLFU): each partition then weighs its recent travellers most, as the border's traffic changes
#: (a season, a new flow of workers), and no key can be counted past a counter's ceiling (a key is
#: counted at most once per traveller), where count-min would start to under-count.
AGE_AT = _COUNTER_MAX
_MAGIC = b"BWNF3"  # 3: keys are count_keys (2: skeletons), so older sketches are not read
_HEADER = struct.Struct("<5sBQ")  # magic, width bits, travellers counted
#: A key's digest read as one little-endian 32-bit hash per row.
_ROW_HASHES = struct.Struct(f"<{DEPTH}I")
PRIORS_FILE = PACKAGE_DIR / "scripts" / "data" / "name_priors.json"  # the source tree, compiled or not
#: Pseudo-travellers the priors stand for: they weigh as much as this many real crossings.
PRIOR_TRAVELLERS = 20_000
#: Counts are trusted once this many travellers were screened, and a name's count once it was seen
#: this often: one crossing is not a population, while a second traveller of that name already
#: means a name-only entry could be either of them.
MIN_TRAVELLERS = 10_000
MIN_SIGHTINGS = 2


def name_key(keys: Iterable[str]) -> str:
    """The key of one name form: its tokens' `count_key`s, sorted (name order does not matter)."""
    return " ".join(sorted(k for k in keys if k))


def form_key(form: NameForm) -> str:
    """The key of a name form as the sketch counts it (`name_key` of its tokens' `count_key`s)."""
    return name_key(map(count_key, form.tokens))


def token_key(nationality: str, key: str) -> str:
    """The key counting travellers of a nationality whose name carries a token's `count_key` (all of
    that nationality for an empty key). The separator cannot start a name key."""
    return f"{nationality}/{key}"


def text_key(text: str) -> str:
    """The key of a compared name as features report it (space-separated romanized tokens)."""
    return name_key(count_key(t) for t in text.split())


#: Keys whose cells are remembered, per sketch width, before the memory is emptied and starts over.
#: Most keys a traveller is counted under recur (his nationality, and its common name tokens), and
#: every partition's sketch of one width reads the same cells for a key (`PopulationModel` shares one
#: memory between its sketches).
CELLS_REMEMBERED = 1 << 14


class NameFrequency:
    """A count-min sketch (conservative update) of name keys, and how many travellers it counted."""

    __slots__ = ("_mask", "_remembered", "_table", "_width", "total")

    def __init__(self, width_bits: int = WIDTH_BITS, remembered: dict[int, dict[str, list[int]]] | None = None) -> None:
        self._width = 1 << width_bits
        self._mask = self._width - 1
        self._table = array("H", bytes(2 * DEPTH * self._width))
        self._remembered: dict[str, list[int]] = {}
        self.total = 0
        if remembered is not None:
            self.remember_in(remembered)

    def remember_in(self, remembered: dict[int, dict[str, list[int]]]) -> None:
        """Share the memory of keys' cells of sketches of this width in `remembered` (by width)."""
        self._remembered = remembered.setdefault(self._width, {})

    def _cells(self, key: str) -> list[int]:
        """The table cells of `key`, one per row (never to be modified: they may be shared)."""
        remembered = self._remembered
        cells = remembered.get(key)
        if cells is not None:
            return cells
        cells = self._hashed(key)
        if len(remembered) >= CELLS_REMEMBERED:
            remembered.clear()
        remembered[key] = cells
        return cells

    def _hashed(self, key: str) -> list[int]:
        """The table cells of `key`, one per row, hashed (not remembered)."""
        # One independent 32-bit hash per row. CRC-32 with another seed is the same CRC xor a
        # constant, so rows hashed that way collide together and unseen names read as seen.
        # Every traveller's names are hashed: one unpack of the digest, not a slice and an int per row.
        digest = hashlib.blake2b(key.encode(), digest_size=4 * DEPTH).digest()
        mask, width = self._mask, self._width
        return [row * width + (value & mask) for row, value in enumerate(_ROW_HASHES.unpack(digest))]

    def add(self, key: str, count: int = 1) -> None:
        raise_to(self._table, self._cells(key), count, _COUNTER_MAX)

    def estimate(self, key: str) -> int:
        return self.estimate_cells(self._cells(key))

    def estimate_cells(self, cells: list[int]) -> int:
        """`estimate` of a key from its `cells` (the same for every sketch of this width)."""
        return smallest(self._table, cells)

    def observe(self, forms: Iterable[NameForm], nationality: str | None = None) -> None:
        """Count one traveller: each distinct name-form key once; with a `nationality`, also the
        traveller's nationality and each distinct token key under it (`token_key`)."""
        self.count(self.cells_of(forms, nationality))

    def cells_of(self, forms: Iterable[NameForm], nationality: str | None = None) -> list[list[int]]:
        """The cells `observe` raises for one traveller, key by key in the order it raises them; reads
        no count (`count` raises them)."""
        # Each token's count key once (a form's key is its tokens' keys, sorted): every traveller is counted.
        counted = [[count_key(token) for token in form.tokens] for form in forms]
        # A traveller's whole name is seldom counted again before the memory of cells starts over, so
        # its cells are hashed, not remembered: the memory keeps the keys that recur (his nationality,
        # common name tokens), which a name per traveller pushed out (the cells are the same either way).
        cells = [self._hashed(key) for key in {name_key(keys) for keys in counted}]
        if nationality:
            cells.append(self._cells(token_key(nationality, "")))
            cells += [self._cells(key) for key in {token_key(nationality, k) for keys in counted for k in keys if k}]
        return cells

    def count(self, cells: list[list[int]]) -> None:
        """Count one traveller whose keys' cells are `cells` (`cells_of`)."""
        table = self._table
        for one in cells:
            raise_to(table, one, 1, _COUNTER_MAX)
        self.total += 1
        if self.total >= AGE_AT:
            self.age()

    def age(self) -> None:
        """Halve every count and the total (rounding down): what the older travellers said weighs half
        as much as before, and a name seen once is forgotten. Shares of common names stay as they were."""
        table = self._table
        for i in range(len(table)):
            value = table[i]
            if value:
                table[i] = value >> 1
        self.total >>= 1

    def merge(self, other: NameFrequency) -> None:
        """Add another sketch of the same shape (another partition's travellers) into this one."""
        if other._width != self._width:
            raise ValueError("sketches of different widths cannot be merged")
        table, theirs = self._table, other._table
        for i, value in enumerate(theirs):
            if value:
                table[i] = min(table[i] + value, _COUNTER_MAX)
        self.total += other.total
        if self.total >= AGE_AT:
            self.age()

    def to_bytes(self) -> bytes:
        return _HEADER.pack(_MAGIC, self._width.bit_length() - 1, self.total) + zlib.compress(self._table.tobytes(), 1)

    @classmethod
    def from_bytes(cls, data: bytes) -> NameFrequency:
        """Raises ValueError on anything but a sketch written by `to_bytes`."""
        try:
            magic, width_bits, total = _HEADER.unpack_from(data)
            if magic != _MAGIC or not 8 <= width_bits <= 24:
                raise ValueError("not a name-frequency sketch")
            sketch = cls(width_bits)
            table = array("H")
            table.frombytes(zlib.decompress(data[_HEADER.size :]))
        except (struct.error, zlib.error) as error:
            raise ValueError("corrupt name-frequency sketch") from error
        if len(table) != len(sketch._table):
            raise ValueError("name-frequency sketch of the wrong size")
        sketch._table = table
        sketch.total = total
        return sketch


@lru_cache(maxsize=1)
def load_priors() -> dict[str, float]:
    """Share of people carrying each name token's `count_key`, from published name statistics."""
    data = json.loads(PRIORS_FILE.read_text(encoding="utf-8"))
    shares: dict[str, float] = {}
    for table in data["tables"]:
        scale = float(table.get("population_share", 1.0))
        for name, share in table["shares"].items():
            for token in name.split():
                key = count_key(token.lower())
                if key:
                    shares[key] = max(shares.get(key, 0.0), scale * float(share))
    return shares


class Ahead:
    """A traveller's counting worked out for one sketch (`PopulationModel.ahead`)."""

    __slots__ = ("cells", "sketch")

    def __init__(self, sketch: NameFrequency, cells: list[list[int]]) -> None:
        self.sketch = sketch
        self.cells = cells


class PopulationModel:
    """The name frequencies of the travellers screened, one sketch per event partition.

    Per partition, so a partition's counts move with it when the consumer group rebalances, and the
    sum over partitions counts every crossing once whichever worker screened it. Persisted as one
    compacted record per partition (streams/stages/name_frequency.py). A name's count is the sum of
    its estimates in every partition (each an over-estimate, so the sum is too): no merged copy to
    rebuild when another worker's partitions are taken in.

    Before enough traffic is seen, real name statistics stand in as PRIOR_TRAVELLERS pseudo-travellers."""

    __slots__ = ("_adopted", "_cells", "_changed", "partitions", "priors")

    def __init__(self, priors: dict[str, float] | None = None) -> None:
        self.partitions: dict[str, NameFrequency] = {}
        #: The keys' cells its sketches remember, shared by every sketch of one width (`NameFrequency`).
        self._cells: dict[int, dict[str, list[int]]] = {}
        self._changed: set[str] = set()
        #: Partitions whose persisted sketch this process has taken in (or found none of).
        self._adopted: set[str] = set()
        self.priors = load_priors() if priors is None else priors

    @property
    def total(self) -> int:
        """Travellers counted, over every partition."""
        return sum(sketch.total for sketch in tuple(self.partitions.values()))

    def observe(self, partition: str, forms: Iterable[NameForm], nationality: str | None = None) -> None:
        """Count one traveller screened from `partition` (of `nationality`, when known)."""
        sketch = self.partitions.get(partition)
        if sketch is None:
            sketch = self.partitions[partition] = NameFrequency(remembered=self._cells)
        sketch.observe(forms, nationality)
        self._changed.add(partition)

    def ahead(self, partition: str, forms: Iterable[NameForm], nationality: str | None = None) -> Ahead | None:
        """What `observe` would count of one traveller, worked out without counting (his keys hashed to
        their cells), for `observe_ahead` to count later: a batch's travellers are worked out together,
        each counted in turn after his screening. None when the partition has no sketch yet."""
        sketch = self.partitions.get(partition)
        return None if sketch is None else Ahead(sketch, sketch.cells_of(forms, nationality))

    def observe_ahead(self, partition: str, forms: Iterable[NameForm], nationality: str | None,
                      ahead: Ahead | None) -> None:
        """`observe`, with what `ahead` worked out when it was for the partition's sketch of now."""
        if ahead is None or self.partitions.get(partition) is not ahead.sketch:
            self.observe(partition, forms, nationality)
            return
        ahead.sketch.count(ahead.cells)
        self._changed.add(partition)

    def per_100k(self, text: str, nationality: str | None = None) -> float:
        """Travellers per 100,000 carrying the name `text` (romanized tokens, as features report them).

        The name's own count, or, for a traveller of `nationality`, what its tokens' counts among
        travellers of that nationality imply if they were drawn independently, whichever is more:
        a name too rare to have been counted twice can still be made of tokens that are not
        (Nguyen, Thi and a given name borne by one Vietnamese woman in a hundred)."""
        keys = [s for s in (count_key(t) for t in text.split()) if s]
        if not keys:
            return 0.0
        prior_share = self._prior_share(keys)
        total = self.total
        seen = 0.0
        if total >= MIN_TRAVELLERS:
            # A snapshot of the values (one C call): retro-screening reads from a thread while the
            # event loop may add a partition.
            sketches = tuple(self.partitions.values())
            seen = float(_estimate_all(sketches, name_key(keys)))
            if seen < MIN_SIGHTINGS:
                seen = 0.0
            if nationality:
                seen = max(seen, _independent_count(sketches, nationality, keys))
        return 100_000.0 * (seen + PRIOR_TRAVELLERS * prior_share) / (total + PRIOR_TRAVELLERS)

    def rarest_per_100k(self) -> float:
        """The rarest a name can be shown to be: one among the travellers counted (0 before the
        counts are trusted). A name none of them carried is not thereby rarer than that: among a
        day's travellers most names of a nationality with few family names are seen once or never."""
        total = self.total
        return 100_000.0 / (total + PRIOR_TRAVELLERS) if total >= MIN_TRAVELLERS else 0.0

    def rarest_name_per_100k(self, text: str, nationality: str | None = None) -> float:
        """The rarest the name `text` can be shown to be, per 100,000: one among the travellers counted
        (`rarest_per_100k`); for a traveller of `nationality` whose name holds a token rarer than
        `RARE_TOKEN_SHARE` among the travellers of that nationality, what its tokens' counts imply if
        they were drawn independently (a token none of them carried counted as one), when that is less.

        A name nobody was seen with says little about a nationality whose names are drawn from a few
        family names and given names (Nguyen Van Tung, Wang Wei): it is simply not among the day's
        travellers. A name with a family name that almost nobody of the traveller's nationality carries
        (as most Thai family names, each chosen by its own family) is rare however many carry the
        given name."""
        flat = self.rarest_per_100k()
        keys = {s for s in (count_key(t) for t in text.split()) if s}
        if not flat or not nationality or not keys:
            return flat
        sketches = tuple(self.partitions.values())
        n = _nationality_total(sketches, nationality)
        if not n:
            return flat
        counts = [_estimate_all(sketches, token_key(nationality, s)) for s in keys]
        if min(counts) >= RARE_TOKEN_SHARE * n:
            return flat
        expected = float(n)
        for count in counts:
            expected *= min(1.0, max(1, count) / n)
        return max(flat / RARER_AT_MOST, min(flat, 100_000.0 * expected / (self.total + PRIOR_TRAVELLERS)))

    def prior_per_100k(self, text: str) -> float:
        """Per 100,000 people, from the published name statistics alone."""
        return 100_000.0 * self._prior_share([s for s in (count_key(t) for t in text.split()) if s])

    def _prior_share(self, keys: list[str]) -> float:
        """Share of people carrying all these tokens, taken as independent (1 for no token)."""
        share = 1.0
        for s in keys:
            share *= self.priors.get(s, 0.0)
        return share

    def changed_snapshots(self) -> list[tuple[str, bytes]]:
        """The partitions counted since the last call, serialised for their compacted records. Each is
        adopted from then on: the record read back is this sketch, never counts to add to it."""
        out = [(key, self.partitions[key].to_bytes()) for key in sorted(self._changed)]
        self._adopted.update(self._changed)
        self._changed.clear()
        return out

    def adopt(self, sketches: dict[str, NameFrequency]) -> int:
        """Take in the persisted sketches (`decode_snapshots`): another worker's partitions, or this
        worker's own from before a restart. A partition counted here since the last publish keeps
        its counts: the first time, the persisted ones are added to them (what this process counted
        before it read the topic); after that, the local sketch is the newer. Returns how many were
        taken in."""
        taken = 0
        for key, sketch in sketches.items():
            local = self.partitions.get(key)
            if key not in self._adopted and local is not None:
                local.merge(sketch)
            elif key not in self._changed or local is None:
                self.partitions[key] = sketch
                sketch.remember_in(self._cells)
            else:
                continue
            self._adopted.add(key)
            taken += 1
        self._adopted.update(self.partitions)  # no record yet: the local sketch is the whole count
        return taken


def _estimate_all(sketches: tuple[NameFrequency, ...], key: str) -> int:
    """The sum of every sketch's estimate of `key`, hashing it once per width (all share one)."""
    cells: dict[int, list[int]] = {}
    total = 0
    for sketch in sketches:
        at = cells.get(sketch._width)
        if at is None:
            at = cells[sketch._width] = sketch._cells(key)
        total += sketch.estimate_cells(at)
    return total


#: A nationality's token counts are trusted from this many travellers of it on.
MIN_NATIONALITY = 1_000
#: A name holding a token carried by fewer than this share of the travellers of its nationality is
#: as rare as its tokens make it (`PopulationModel.rarest_name_per_100k`), not merely one among the
#: travellers counted: tokens that common (a tenth of a percent) are the names a nationality shares.
RARE_TOKEN_SHARE = 0.001
#: ... but at most this many times rarer than one among the travellers counted: the tokens' counts
#: say how rare a name is only as far as independence holds, and a name alone must stay weak
#: evidence on a long list, where chance namesakes grow with the list.
RARER_AT_MOST = 8.0


def _nationality_total(sketches: tuple[NameFrequency, ...], nationality: str) -> int:
    """Travellers of `nationality` counted, when their token counts can be read as shares of it; else 0
    (fewer than MIN_NATIONALITY, or a saturated count: shares read from it would be too high)."""
    estimates = [sketch.estimate(token_key(nationality, "")) for sketch in sketches]
    if any(estimate >= _COUNTER_MAX for estimate in estimates):
        return 0
    n = sum(estimates)
    return n if n >= MIN_NATIONALITY else 0


def _independent_count(sketches: tuple[NameFrequency, ...], nationality: str, keys: list[str]) -> float:
    """Travellers of `nationality` expected to carry all these token keys if their tokens were
    drawn independently: n * prod(count(token) / n), n the travellers of that nationality (0 where
    `_nationality_total` says the shares cannot be read: the name's own count decides)."""
    n = _nationality_total(sketches, nationality)
    if not n:
        return 0.0
    expected = float(n)
    for s in set(keys):
        expected *= min(1.0, _estimate_all(sketches, token_key(nationality, s)) / n)
        if expected < 0.5:
            return 0.0
    return expected


def decode_snapshots(records: dict[str, bytes]) -> tuple[dict[str, NameFrequency], int]:
    """Persisted sketches by partition key, and how many records were unreadable (skipped)."""
    out: dict[str, NameFrequency] = {}
    bad = 0
    for key, data in records.items():
        try:
            out[key] = NameFrequency.from_bytes(data)
        except ValueError:
            bad += 1
    return out, bad
