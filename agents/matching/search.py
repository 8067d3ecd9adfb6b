"""Screening: blocking (a handful of candidates per event), then scoring with per-list thresholds."""

from __future__ import annotations

from array import array
from collections.abc import Callable
from datetime import datetime
from functools import partial
from operator import itemgetter

from agents.matching.blocking import postings
from agents.matching.blocking.index import WatchlistIndex
from agents.matching.blocking.keys import (
    adjacent_joins,
    birth_years,
    birthday_key,
    document_keys,
    name_token_keys,
    pack_month_day,
    pair_key,
    skeleton_bits,
    token_key_groups,
)
from agents.matching.blocking.postings import slot_of
from agents.matching.blocking.prefilter import (
    IDENTITY_SHIFT,
    NATION_OTHER,
    SEX_CODES,
    ReachTest,
    identity_code,
    reach_test,
)
from agents.matching.blocking.tally import Tally, sharing_name_bits
from agents.matching.config import MatcherConfig
from agents.matching.features import Context
from agents.matching.features.identity import IDENTITY_LISTS
from agents.matching.features.name import QUICK_GATE, QuickForm, chinese_syllables, quick_forms, quick_name_similarity
from agents.matching.prepared import PreparedPerson, full_date, prepare_person
from agents.matching.scorer import (
    EPSILON,
    Match,
    PartialScore,
    finish_pair,
    list_plans,
    name_only_ceiling,
    prescore_pair,
)
from agents.matching.scripts.phonetic import one_syllable
from schemas.person import Document, Person
from schemas.watchlist import LISTS

#: Ranking among many name-key candidates: each key hit counts 1 (1 to 3 without a birth year:
#: `_key_rank`), a matching birth year this much, and a matching birth year, month and day twice as much.
YEAR_RANK = 3
#: A name key that at most this many entries carry is rare: sharing it counts 3, sharing one that at
#: most 4 times as many carry counts 2, any other 1 (`_key_rank`; only for a traveller of unknown
#: birth year, see `_candidate_slots`).
RARE_POSTING = 4
#: How many top candidates (times max_candidates) are re-ranked with the birth year.
RERANK_FACTOR = 8


def _query_years(query: PreparedPerson, slack: int) -> tuple[int, int] | None:
    low, high = birth_years(query)
    if low == 0:
        return None
    return low - slack, high + slack


def _query_days(query: PreparedPerson) -> tuple[int, ...]:
    """The traveller's month and day of birth as the index packs them, and swapped (12/05 vs 05/12)."""
    date = full_date(query.dob)
    if date is None:
        return ()
    _year, month, day = date
    packed = pack_month_day(month, day)
    return (packed, pack_month_day(day, month)) if day <= 12 else (packed,)


def _birthdays(query: PreparedPerson) -> list[str]:
    """Birthday keys of the traveller's date of birth, and with day and month swapped.

    Not a year off as well: that doubles the entries to look at (this runs for every traveller
    whose name keys are all common) for a case that needs a typo'd name and a typo'd year at once.
    """
    date = full_date(query.dob)
    if date is None:
        return []
    year, month, day = date
    keys = [birthday_key(year, month, day)]
    if day <= 12 and day != month:
        keys.append(birthday_key(year, day, month))
    return keys


def _same_birthday(index: WatchlistIndex, query: PreparedPerson, birthdays: list[str], *,
                   rare_only: bool) -> list[int]:
    """Entries (packed) born on the traveller's birthday (`birthdays`: `_birthdays`) whose name shares
    with the traveller's a token skeleton (`rare_only`: one that is not common on the list), or a token
    that is two of the traveller's joined (Chuan Jung / Chuanjung: Chinese given names are written
    joined or split), however common: few people born on one day carry two of the traveller's
    syllables joined, where at a million entries hundreds born around his year share as many keys."""
    if not birthdays:
        return []
    skeletons = {sk for form in query.forms for sk in form.skeletons if not (rare_only and index.is_common(sk))}
    skeletons |= _joined_skeletons(query)
    if not skeletons:
        return []
    shares = skeletons.isdisjoint
    # The bits of the skeletons that can count: an entry sharing none of them need not be read.
    wanted, bits = skeleton_bits(skeletons), index.name_bits()
    out: list[int] = []
    for key in birthdays:
        # Those with no skeleton bit in common are not worth reading the entry's names.
        for packed in sharing_name_bits(index.lookup(key), bits, wanted):
            prepared = index.prepared_at(slot_of(packed))
            if prepared is None:
                continue
            for form in prepared.forms:
                if not shares(form.skeletons):
                    out.append(packed)
                    break
    return out


def _joined_skeletons(query: PreparedPerson) -> set[str]:
    """The skeletons of each two adjacent tokens of the traveller's names joined, where they keep two
    syllables and are no token's of his own (Thi Hoa joined is "ta", as Thi is: it says nothing more),
    in the forms written in pinyin or Wade-Giles throughout: it is Chinese given names whose syllables
    are written joined or split."""
    out: set[str] = set()
    for form in query.forms:
        if all(chinese_syllables(t) for t in form.tokens):
            out.update(sk for sk in adjacent_joins(form.tokens) if not one_syllable(sk))
    if out:
        out.difference_update(sk for form in query.forms for sk in form.skeletons)
    return out


def _same_identity(index: WatchlistIndex, query: PreparedPerson, birthdays: list[str]) -> list[int]:
    """Entries (packed) born on the traveller's very day, of his sex and nationality, on a list where
    that evidence counts (agents/matching/features/identity.py): candidates however their name is
    spelled, which the name feature then judges. Read off the per-slot codes, without the entries.
    `birthdays`: `_birthdays`, the very day first."""
    sex = SEX_CODES.get(query.sex or "")
    if not birthdays or sex is None:
        return []
    nation = index.nation_code(query.nationality, add=False)
    if nation is None or nation == NATION_OTHER:
        return []
    posting = index.lookup(birthdays[0])
    if posting is None or postings.size(posting) > index.config.max_posting:
        return []
    wanted = {identity_code(sex, nation, LISTS.index(name)) for name in IDENTITY_LISTS}
    codes = index.codes()
    return [packed for packed in postings.entries(posting) if codes[2 * slot_of(packed)] >> IDENTITY_SHIFT in wanted]


def _key_rank(size: int) -> int:
    """What sharing a name key that `size` entries carry counts in the candidate ranking: the fewer
    carry it, the more it says (a family name few share outranks a syllable many names have, Bun)."""
    return 3 if size <= RARE_POSTING else 2 if size <= 4 * RARE_POSTING else 1


def _union(found: list[postings.Posting]) -> postings.Posting:
    """The entries of several postings, each once, in ascending order (a posting itself)."""
    entries: set[int] = set()
    for posting in found:
        entries.update(postings.entries(posting))
    return array("Q", sorted(entries))


class _Smallest:
    """The smallest posting seen so far (`consider`), and its size."""

    __slots__ = ("posting", "size")

    def __init__(self) -> None:
        self.posting: postings.Posting | None = None
        self.size = 0

    def consider(self, posting: postings.Posting, size: int) -> None:
        if self.posting is None or size < self.size:
            self.posting, self.size = posting, size


def _short_posting(index: WatchlistIndex, key: str, limit: int, too_long: _Smallest) -> postings.Posting | None:
    """The posting of `key` when it holds at most `limit` entries; a longer one is `too_long.consider`ed.
    (Module-level rather than a closure of `_candidate_slots`: compiled, a direct call.)"""
    posting = index.lookup(key)
    if posting is None:
        return None
    size = postings.size(posting)
    if size > limit:
        too_long.consider(posting, size)
        return None
    return posting


def _candidate_slots(index: WatchlistIndex, query: PreparedPerson) -> tuple[list[int], set[int]]:
    """Candidate slots, best first, and the subset found through a document number.

    Name keys are read only around the traveller's birth year (`block_year_slack`): an entry born
    further away cannot alert on its name alone (the date of birth counts against it), and one
    with the same document is found through the document key whatever its date. Entries are
    counted as posting lists hold them (packed with their birth date: agents/matching/blocking/postings.py).
    """
    config = index.config
    # The settings read once: a MatcherConfig attribute is read through pydantic's attribute hook.
    limit, max_candidates = config.max_posting, config.max_candidates
    by_document: list[int] = []
    for key in document_keys(query):
        by_document.extend(e for e in postings.entries(index.lookup(key)) if e not in by_document)
    hits = Tally()
    near = _query_years(query, config.block_year_slack)
    # Without a birth year names alone rank the candidates: the keys one token yields in several
    # spellings count once (keys.token_key_groups), and rare keys count more. With one, every key counts 1
    # and the date re-ranks (YEAR_RANK): the balance between exact namesakes of undated entries and
    # entries born in his year that the population bench holds (bench/results/realspell.md, notes).
    groups = token_key_groups(query) if near is None else [[tok] for tok in sorted(name_token_keys(query))]
    tokens = sorted(tok for group in groups for tok in group)  # sorted: ties break the same way every run
    common = [t for t in tokens if index.is_common(t)]
    too_long = _Smallest()  # the smallest of the postings too long to use alone
    for group in groups:
        found: list[postings.Posting] = []
        for tok in group:
            if tok in common:
                continue
            posting = _short_posting(index, "t" + tok, limit, too_long)
            if posting is not None:
                found.append(posting)
        if len(found) == 1 and near is not None:
            hits.add(found[0], near, 1)
        elif found:
            # one spelling's key or another's: an entry counts once for the token they spell
            posting = found[0] if len(found) == 1 else _union(found)
            hits.add(posting, near, _key_rank(postings.size(posting)))
    used_pair = False
    for i, a in enumerate(common):
        for b in common[i + 1 :]:
            posting = _short_posting(index, pair_key(a, b), limit, too_long)
            if posting is not None:
                used_pair = True
                hits.add(posting, near, 2)
    if not used_pair and common and too_long.posting is None:
        for tok in common:
            posting = index.lookup("t" + tok)
            if posting is not None:
                too_long.consider(posting, postings.size(posting))
    smallest, smallest_size = too_long.posting, too_long.size
    years = _query_years(query, 1)
    # Born on the traveller's very day and sharing a name token: looked at ahead of name-key hits,
    # which cannot tell such an entry from hundreds of namesakes once a swapped name order or a
    # typo costs it a key. A shared token that is common on the list (Nguyen, Thi, Wang) is not
    # enough, unless every key of the name is that common: same-day namesakes that share only
    # such a token are many at a million entries, and almost never the person.
    all_common = smallest is not None and len(hits) < max_candidates
    birthdays = _birthdays(query)
    same_day = _same_birthday(index, query, birthdays, rare_only=not all_common)
    if all_common and smallest is not None and smallest_size <= config.max_common_scan:
        scan_years = _query_years(query, config.common_scan_year_slack)
        if scan_years is not None:
            hits.add_new(postings.in_years(smallest, *scan_years))
    if len(hits) < max_candidates:
        hits.add_new(_same_identity(index, query, birthdays))
    for packed in (*by_document, *same_day):
        hits.discard(packed)
    document_slots = [slot_of(packed) for packed in by_document]
    first = document_slots + [slot_of(packed) for packed in same_day[:max_candidates]
                              if packed not in by_document]
    codes = index.codes()
    if len(hits) <= max_candidates:
        return first + hits.ranked_slots(1, max_candidates, codes), set(document_slots)
    # Many candidates: those sharing nearly as many keys as the best one, most hits first, then
    # re-ranked with their birth date.
    floor, keep = max(1, hits.best() // 2), max_candidates * RERANK_FACTOR
    if years is None:
        top = hits.ranked_slots(floor, max_candidates, codes)
    else:
        top = hits.ranked_by_date(floor, keep, codes, years[0], years[1], _query_days(query), YEAR_RANK,
                                  max_candidates)
    return first + top, set(document_slots)


def index_context(index: WatchlistIndex, config: MatcherConfig,
                  commonness: Callable[[str], float] | None = None, rarest_per_100k: float = 0.0,
                  query: PreparedPerson | None = None, rarest_of: Callable[[str], float] | None = None,
                  ) -> Context:
    """What the features need from the index (token frequencies, size; names of people of the
    traveller's (`query`) nationality and sex) with the configuration, and how common names are among
    the travellers screened (`commonness`, when known)."""
    return Context(
        config=config,
        token_rarity=index.token_rarity,
        token_bits=index.token_bits,
        population_bits=index.population_bits(),
        commonness=commonness,
        rarest_per_100k=rarest_per_100k,
        rarest_of=rarest_of,
        token_entries=partial(index.token_entries, nationality=query.nationality if query else None,
                              sex=query.sex if query else None),
    )


def prefilter_for(index: WatchlistIndex, query: PreparedPerson, ctx: Context) -> ReachTest:
    """The prefilter of one traveller over the index's slots (see agents/matching/blocking/prefilter.py)."""
    return reach_test(
        query,
        index.codes(),
        ctx.config,
        nation_code=index.nation_code(query.nationality, add=False),
        name_only_ceiling=lambda: name_only_ceiling(query, ctx),
        epsilon=EPSILON,
    )


def candidates(index: WatchlistIndex, person: Person, document: Document | None = None) -> list[str]:
    """Entry ids that blocking proposes for this person (before scoring), best key hits first."""
    query = prepare_person(person, document)
    out: list[str] = []
    for slot in _candidate_slots(index, query)[0]:
        entry = index.entry_at(slot)
        if entry is not None:
            out.append(entry.entry_id)
    return out


def search(
    index: WatchlistIndex,
    person: Person,
    config: MatcherConfig,
    *,
    at: datetime,
    document: Document | None = None,
    on_candidates: Callable[[int], None] | None = None,
    commonness: Callable[[str], float] | None = None,
    rarest_per_100k: float = 0.0,
    rarest_of: Callable[[str], float] | None = None,
    prepared: PreparedPerson | None = None,
) -> list[Match]:
    """Watchlist entries matching the person at or above their list's threshold, best first.

    Entries whose `valid_until` is before `at` are skipped. `document` is the inspected document of
    a document check, compared in addition to the person's own documents. `on_candidates` is told
    how many candidates blocking produced (for the candidates-per-event metric). `commonness`:
    travellers per 100,000 carrying a name (agents/matching/population.py), and `rarest_per_100k` the
    rarest it can show one to be (`rarest_of`: of a given name, where its tokens are rare too).
    `prepared`: `prepare_person(person, document)`, when the caller made it already (the worker counts
    the traveller's name forms too).
    """
    query = prepare_person(person, document) if prepared is None else prepared
    ctx = index_context(index, config, commonness, rarest_per_100k, query, rarest_of)
    matches: list[Match] = []
    slots, by_document = _candidate_slots(index, query)
    if on_candidates is not None:
        on_candidates(len(slots))
    gated: list[tuple[float, int, float, PreparedPerson, PartialScore]] = []
    plans = list_plans(ctx)
    could_reach = prefilter_for(index, query, ctx)
    # `config.threshold` of each list, in LISTS order (a cached tuple: the method runs interpreted).
    thresholds = config.list_thresholds
    traveller_forms: list[QuickForm] | None = None  # quick_forms, once a candidate needs them
    for slot in slots:
        if not could_reach.reaches(slot) and slot not in by_document:
            continue  # what prescore_pair would find, from the index's per-slot codes
        list_name = index.list_at(slot)
        prepared = index.prepared_at(slot)
        if list_name is None or prepared is None or index.expired_at(slot, at):
            continue
        # Cheap features first: a candidate that even an identical name could not lift to its
        # list's threshold (another date of birth, sex, nationality) costs no name comparison.
        threshold = thresholds[LISTS.index(list_name)]
        partial = prescore_pair(query, prepared, ctx, threshold=threshold, plan=plans[list_name])
        if partial is None:
            continue
        if slot in by_document:
            quick = 101.0
        else:
            if traveller_forms is None:
                traveller_forms = quick_forms(query)
            quick = quick_name_similarity(query, prepared, traveller_forms)
        if quick >= QUICK_GATE:
            gated.append((quick, slot, threshold, prepared, partial))
    gated.sort(key=itemgetter(0), reverse=True)
    for _quick, slot, threshold, prepared, partial in gated[: config.max_scored]:
        scored = finish_pair(query, prepared, ctx, partial, threshold=threshold)
        if scored is not None and scored[0] >= threshold - EPSILON:
            entry = index.entry_at(slot)
            if entry is not None:
                matches.append(Match(entry, round(scored[0], 4), scored[1]))
    matches.sort(key=lambda m: (-m.score, m.entry.entry_id))
    return matches
