"""Blocking keys of a prepared person, and the birth-year codes the index files them under.

Pure functions of one person (no index state): the index computes them once per entry, screening
once per traveller. Kept apart from the index so they can be compiled (agents/matching/native.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein

from agents.matching.names import NameForm
from agents.matching.prepared import PreparedPerson, full_date
from agents.matching.scripts.phonetic import (
    consonants,
    count_key,
    one_syllable,
    raw_skeleton,
    without_non_rhotic_r,
)

MIN_KEY_LENGTH = 2
#: Consonant skeletons (Thai and Lao names with or without their implicit vowels) from this length.
MIN_CONSONANT_KEY = 4
MAX_FORM_TOKENS_FOR_MERGES = 5
#: Birth years stored per slot; 0 = unknown.
NO_YEAR = 0


def adjacent_joins(tokens: tuple[str, ...]) -> list[str]:
    """The skeletons of each two adjacent tokens joined (Chuan Jung -> chuanjung): how a name written in
    more words than another is keyed."""
    # Plain loop, not `map` over `str.__add__` (a Python-level call per join in the compiled build).
    # Joined tokens are not cached (unlike `skeleton`): most are seen once or twice, and a cache of them
    # missed half the time while holding ~262,000 strings.
    out: list[str] = []
    for i in range(len(tokens) - 1):
        out.append(raw_skeleton(tokens[i] + tokens[i + 1]))
    return out


def form_token_keys(form: NameForm) -> list[str]:
    """Skeletons of the tokens of one form, of adjacent tokens joined, of the whole name joined, and
    the consonant skeletons ("~" + consonants) of long tokens."""
    # Plain loops (asked for every traveller): in the compiled build they read the tuples directly,
    # where `map` over `str.__add__` went through Python-level calls.
    keys = list(form.skeletons)
    toks = form.tokens
    n = len(toks)
    if 1 < n <= MAX_FORM_TOKENS_FOR_MERGES:
        keys += adjacent_joins(toks)
        if n > 2:
            keys.append(raw_skeleton("".join(toks)))
    # A skeleton with an r after a vowel is also keyed without it: English-style spellings write one that
    # nobody pronounces (Hourn / ហួន Huon, Sorn / Son), romanizations of the region's scripts never do, and
    # token similarity already reads the two as one (`without_non_rhotic_r`).
    plain: list[str] = []
    for k in keys:
        if "ar" in k:
            r = without_non_rhotic_r(k)
            if r not in keys:
                plain.append(r)
    keys += plain
    for tok in toks:
        c = consonants(tok)
        if len(c) >= MIN_CONSONANT_KEY:
            keys.append("~" + c)
    for tok in toks:
        if tok.find("ts", 1) >= 0:
            keys.append(raw_skeleton(split_ts(tok)))
            keys.append(raw_skeleton(closing_t_heard_as_s(tok)))
    return [k for k in keys if len(k) >= MIN_KEY_LENGTH]


def split_ts(token: str) -> str:
    """The token with a "ts" after its first letter read as two sounds, a syllable ending in t and
    the next starting with s (Phetsarath, Ketsana, Vatsana: Lao and Thai spellings that others write
    Phetxarath or Phetsarat), not the one affricate ts the skeleton makes of it (Tsang, Tsui)."""
    return token[0] + token[1:].replace("ts", "tx")


def closing_t_heard_as_s(token: str) -> str:
    """The token with a "ts" after its first letter written as the one s it is heard as: a Thai
    syllable closed by t before one starting with s sounds as a doubled s, and passports write it so
    (ทัศนา: RTGS Thatsana, passport Tassana; Pissanu / Phitsanu)."""
    return token[0] + token[1:].replace("ts", "s")


def name_token_keys(prepared: PreparedPerson) -> set[str]:
    out: set[str] = set()
    for form in prepared.forms:
        out.update(form_token_keys(form))
    return out


def _respellings(f: NameForm, g: NameForm) -> bool:
    """Two forms spell one name in two schemes (Bun Chhay / Pun Chhay, a Wade-Giles or ICAO variant):
    as many tokens, each pair of skeletons equal or one letter apart, and no token of one sitting
    elsewhere in the other (San Sok / Sok San is the same name in another order, not a respelling)."""
    if f is g or len(f.skeletons) != len(g.skeletons) or f.skeletons == g.skeletons:
        return False
    for a, b in zip(f.skeletons, g.skeletons, strict=True):
        if a != b and (a in g.skeletons or b in f.skeletons or Levenshtein.distance(a, b, score_cutoff=1) > 1):
            return False
    return True


def token_key_groups(prepared: PreparedPerson) -> list[list[str]]:
    """The keys of `name_token_keys`, grouped: the keys one token (or one join of tokens) yields in
    several spellings of the same name are one group, every other key a group of its own. Blocking
    counts a group once per entry: an entry sharing only the respelled token of a name (Bun, spelt
    bun and pun) must not count as if it shared two of its tokens. Groups and keys in sorted order
    (candidates tie the same way every run)."""
    forms = prepared.forms
    owner: dict[str, str] = {}  # key -> the key that heads its group

    def head(key: str) -> str:
        while owner.get(key, key) != key:
            key = owner[key]
        return key

    for form in forms:
        for key in form_token_keys(form):
            owner.setdefault(key, key)
    for key in list(owner):
        if "ar" in key and (plain := without_non_rhotic_r(key)) != key and plain in owner:
            ha, hb = head(key), head(plain)  # one token spelled with and without an unspoken r
            if ha != hb:
                owner[max(ha, hb)] = min(ha, hb)
    for i, f in enumerate(forms):
        for g in forms[i + 1 :]:
            if not _respellings(f, g):
                continue
            for a, b in zip(_keys_by_origin(f), _keys_by_origin(g), strict=True):
                if a != b and a in owner and b in owner:
                    ha, hb = head(a), head(b)
                    if ha != hb:
                        owner[max(ha, hb)] = min(ha, hb)
    groups: dict[str, list[str]] = {}
    for key in sorted(owner):
        groups.setdefault(head(key), []).append(key)
    return [groups[h] for h in sorted(groups)]


def _keys_by_origin(form: NameForm) -> list[str]:
    """The keys of one form in a fixed order of where they come from (each token's skeleton, each
    join of adjacent tokens, the whole name joined, each token's consonants), "" where a form has none:
    two respellings of one name line up key for key."""
    toks = form.tokens
    keys = list(form.skeletons)
    if 1 < len(toks) <= MAX_FORM_TOKENS_FOR_MERGES:
        keys += adjacent_joins(toks)
        keys.append(raw_skeleton("".join(toks)) if len(toks) > 2 else "")
    for tok in toks:
        c = consonants(tok)
        keys.append("~" + c if len(c) >= MIN_CONSONANT_KEY else "")
    return keys


#: Bits of `name_bits` (62: the values stay short machine integers in compiled code).
NAME_BITS = 62


def name_bits(forms: tuple[NameForm, ...]) -> int:
    """One bit per phonetic skeleton of the names (by the skeleton's hash, in this process): two
    people whose bits do not overlap share no skeleton, whatever else they have in common. A cheap
    test before comparing skeletons, which are scattered in memory."""
    return skeleton_bits(sk for form in forms for sk in form.skeletons)


def syllable_keys(forms: tuple[NameForm, ...]) -> set[str]:
    """The `count_key`s of the one-syllable tokens of these names (the keys with a vowel), each once."""
    return {
        key
        for form in forms
        for token, sk in zip(form.tokens, form.skeletons, strict=True)
        if one_syllable(sk) and "|" in (key := count_key(token))
    }


def skeleton_bits(skeletons: Iterable[str]) -> int:
    """`name_bits` of these skeletons alone."""
    bits = 0
    for sk in skeletons:
        bits |= 1 << (hash(sk) % NAME_BITS)
    return bits


def document_keys(prepared: PreparedPerson) -> set[str]:
    return {"d" + doc.ocr for doc in prepared.documents if len(doc.ocr) >= 3}


#: "00".."99": a month's or a day's two digits, read rather than formatted (`birthday_key`).
_TWO_DIGITS = tuple(f"{n:02d}" for n in range(100))


def birthday_key(year: int, month: int, day: int) -> str:
    # Asked for every traveller, and for every entry at build: concatenated from the year's digits and a
    # table, which compiled is cheaper than one formatting call; any other year, month or day is formatted.
    if 1000 <= year <= 9999 and 0 <= month < 100 and 0 <= day < 100:
        return "b" + str(year) + _TWO_DIGITS[month] + _TWO_DIGITS[day]
    return "b%04d%02d%02d" % (year, month, day)  # noqa: UP031


def birthday_keys(prepared: PreparedPerson) -> set[str]:
    """The full date of birth as a key: people born on one day are few (a million entries spread
    over some 20,000 days), which finds a typo'd name made of common tokens (Nguyen Ngoc Tnug)."""
    date = full_date(prepared.dob)
    return set() if date is None else {birthday_key(*date)}


def pair_key(a: str, b: str) -> str:
    return "p" + (a + "|" + b if a < b else b + "|" + a)


def birth_years(prepared: PreparedPerson) -> tuple[int, int]:
    """(earliest, latest) possible birth year, or (0, 0) when unknown."""
    if prepared.dob is not None:
        return prepared.dob[0], prepared.dob[0]
    if prepared.year_range is not None:
        return prepared.year_range
    return NO_YEAR, NO_YEAR


NO_MONTH_DAY = 0


def pack_month_day(month: int, day: int) -> int:
    """A month and day as one small int (the index's month/day array)."""
    return month * 32 + day


def month_day(prepared: PreparedPerson) -> int:
    """The packed month and day of a date of birth: day 0 when only the year and month are known,
    NO_MONTH_DAY when only the year (or nothing) is."""
    dob = prepared.dob
    if dob is None or dob[1] is None:
        return NO_MONTH_DAY
    return pack_month_day(dob[1], dob[2] or 0)


def clip_year(year: int) -> int:
    """A year as the unsigned 16-bit arrays store it."""
    return year if 0 <= year <= 65535 else max(0, min(year, 65535))


def sort_year(low: int, high: int) -> int:
    """The year a slot is filed under in its posting lists: its birth year when known to the year,
    else NO_YEAR (unknown dates and estimated age ranges are filed first, and always looked at)."""
    return low if low == high else NO_YEAR


def birth_columns(prepared: PreparedPerson) -> tuple[int, int, int, int]:
    """A slot's earliest and latest birth year, the year it is filed under, and its packed
    month and day: the columns `WatchlistIndex.packed` packs a slot with."""
    low, high = birth_years(prepared)
    low, high = clip_year(low), clip_year(high)
    return low, high, sort_year(low, high), month_day(prepared)
