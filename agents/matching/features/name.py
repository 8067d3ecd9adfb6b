"""Name similarity over every form (romanization, alias, honorific-free) of both persons."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Indel, JaroWinkler

from agents.matching.features.base import Comparison, Context
from agents.matching.names import NameForm
from agents.matching.prepared import PreparedPerson, full_date
from agents.matching.scripts.chinese import (
    mandarin_syllables,
    pinyin_shapes,
    same_characters,
    share_characters,
    split_syllables,
    wade_giles,
)
from agents.matching.scripts.phonetic import (
    DOUBLED_VOWELS,
    collapse_repeats,
    consonants,
    count_key,
    has_silent_final_e,
    one_syllable,
    plain_vowels,
    skeleton,
    spelling_key,
    vowel_sound,
    without_non_rhotic_r,
)

#: Raw similarity at or below which the name feature gives nothing.
NAME_FLOOR = 0.5
#: Token similarity at or below which an aligned token pair counts as nothing.
TOKEN_FLOOR = 0.15
#: Share of its weight an extra token (a middle name one record lacks) costs.
UNMATCHED_PENALTY = 0.8
#: How much the worst aligned token pair pulls the whole name down (0 = plain weighted average).
WORST_TOKEN_WEIGHT = 0.0
#: Tokens this short are compared by edit distance rather than Jaro-Winkler.
SHORT_TOKEN = 3


#: Similarity of tokens that spell the same Chinese characters in Mandarin and Cantonese (Qiang/Keung).
DIALECT_SIM = 0.88
#: Similarity of short syllables spelling the same vowel sound otherwise (Mo/Moe, Zaw/Zow).
RESPELLED_SHORT_SIM = 0.85
#: Similarity of one-syllable tokens with the same skeleton but other vowels (Thang/Tung, Chen/Chan).
MONOSYLLABLE_VOWEL_SIM = 0.8
#: Similarity of tokens that differ only by a doubled letter (Sann/San, Mumm/Mum).
DOUBLED_LETTER_SIM = 0.96
#: Tokens whose consonant skeletons agree over this many consonants spell one long name (Thai
#: letter-preserving and RTGS spellings of a surname: Sirisoontorn/Sirisunthon), at LONG_CONSONANTS_SIM.
LONG_CONSONANTS = 5
LONG_CONSONANTS_SIM = 0.95
_VOWELS = re.compile(r"[^aeiouy]+")


def _vowels(token: str) -> str:
    return _VOWELS.sub("", token)

# 2^16 pairs: the pairs beyond the most frequent ones are rarely seen twice, so a larger cap barely raises
# the hit rate, while this cache and one_typo_apart's grow a long-running worker at the same speed
# (bench/results/memory-growth.md).
@lru_cache(maxsize=1 << 16)
def token_similarity(a: str, b: str) -> float:
    """Similarity of two romanized tokens: Jaro-Winkler, raised when their phonetic skeletons agree
    (Srisuk/Srisook, Chen/Chan; or all but a non-rhotic r: Sorn/Son), when their consonants agree
    (Thanaphon/Tanapon), when one is a truncation of the other (MRZ field limits) or an initial, or
    when they spell the same Chinese characters in Mandarin and in Cantonese (Wenhua/Manwah, Xiao/Siu),
    and nearly to 1 when they are one name in two accepted spellings (`spelling_key`: Kheen/Khin,
    Htay/Htei, Moe/Mo, Thidar/Thida)."""
    if a == b:
        return 1.0
    if min(len(a), len(b)) <= SHORT_TOKEN:
        sim = Indel.normalized_similarity(a, b)  # Jaro-Winkler is too kind to short syllables (Li/Liu)
    else:
        sim = JaroWinkler.normalized_similarity(a, b)
    sa, sb = skeleton(a), skeleton(b)
    if sa != sb and ("ar" in sa or "ar" in sb):
        ra, rb = without_non_rhotic_r(sa), without_non_rhotic_r(sb)
        if ra == rb:
            sa, sb = ra, rb  # an r written after a vowel English-style (Sorn/Son, Phorn/Phon)
    # One syllable (Thang/Tung, Loan/Linh, Khoa/Khanh): the skeleton keeps only its consonants,
    # so the vowel carries most of what tells two such given names apart.
    vowel_differs = sa.count("a") <= 1 and _vowels(a) != _vowels(b)
    respelled = vowel_differs and sa == sb and vowel_sound(a, short=len(sa) < 3) == vowel_sound(b, short=len(sa) < 3)
    if respelled and len(sa) >= 3:
        vowel_differs = False  # the same vowel sound spelled otherwise (Thane/Thein, Boun/Bun)
    if sa == sb:
        sim = max(sim, MONOSYLLABLE_VOWEL_SIM if vowel_differs else 0.92 if len(sa) >= 3 else 0.75)
        if sim < RESPELLED_SIM and not one_syllable(sa) and _same_vowel_sounds(a, b):
            # the same consonants and vowel sounds in another scheme's letters (Phosay / Phoxai,
            # Sayasone / Xaiyason: ໄຊ written say, xay or xai): a respelling, not a resembling name
            sim = RESPELLED_SIM
        if respelled and len(sa) < 3:
            sim = max(sim, RESPELLED_SHORT_SIM)  # Mo/Moe, Zaw/Zow
        if len(sa) >= 3 and collapse_repeats(a) == collapse_repeats(b):
            # the same letters, one doubled: French-colonial spellings double a final consonant after a
            # vowel so that it is not read as a nasal vowel (Sann/San, Thiounn, Mumm/Mum, Vann)
            sim = max(sim, DOUBLED_LETTER_SIM)
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and long_.startswith(short):
        sim = max(sim, 0.9)
    elif len(short) == 1 and long_.startswith(short):
        sim = max(sim, 0.9)  # an initial
    ca, cb = consonants(a), consonants(b)
    if len(ca) >= 3 and len(cb) >= 3 and not vowel_differs:
        sim = max(sim, (LONG_CONSONANTS_SIM if len(ca) >= LONG_CONSONANTS else 0.9) if ca == cb
                  else 0.85 * JaroWinkler.normalized_similarity(ca, cb))
    if sim < DIALECT_SIM and same_characters(a, b):
        sim = DIALECT_SIM
    if sim < FINAL_STOP_SIM and len(short) >= 4 and _final_stop_respelled(a, b):
        # the same unreleased final stop spelled otherwise (Sommad / Sommat / Sommath, Lengsavad):
        # Lao, Thai and Khmer finals have no voicing or aspiration to tell apart
        sim = FINAL_STOP_SIM
    if (sim < CONVENTIONAL_SPELLING_SIM and spelling_key(a) == spelling_key(b)
            and not another_syllable(plain_vowels(a), plain_vowels(b))):
        # One name in two accepted spellings (Kheen / Khin, Shway / Shwe, Thidar / Thida) agrees as the same
        # letters do, where a resembling name only resembles. Unless they are two Chinese or Vietnamese
        # syllables (Mei / Me, Tay / Te: other characters, other words), which no Burmese convention spells.
        sim = CONVENTIONAL_SPELLING_SIM
    if sim > SYLLABLES_APART_SIM and _syllables_apart(sa, sb) and not long_.startswith(short):
        # Jaro-Winkler reads a one-syllable name whose letters recur, in order, in a name two syllables
        # longer as nearly the same (Soth / Somethy, សុទ្ធ / សុមេធី): no spelling adds two syllables
        sim = SYLLABLES_APART_SIM
    return sim


#: Similarity of tokens that one spelling convention writes two ways (`spelling_key`): high enough that
#: they agree in full (`AGREE_FULL`), as the same letters do.
CONVENTIONAL_SPELLING_SIM = 0.96
#: Similarity of tokens of several syllables with one skeleton and the same vowel sounds (`_same_vowel_sounds`).
RESPELLED_SIM = 0.94


def _same_vowel_sounds(a: str, b: str) -> bool:
    """The tokens' vowels, syllable by syllable, are the same sounds spelled otherwise (ay / ai, ou / u, a
    letter doubled as one: xaiya / saya); Khamsy / Khamxay keep apart (i is not ai)."""
    return _vowel_runs(a) == _vowel_runs(b)


_VOWEL_LETTERS = re.compile(r"[aeiouy]+")


def _vowel_runs(token: str) -> list[str]:
    """The token's vowel runs as sounded: y as i, the spellings of one sound as one (`_RUN_SOUNDS`),
    repeated letters once; a silent final e dropped."""
    if has_silent_final_e(token):
        token = token[:-1]
    out = []
    for run in _VOWEL_LETTERS.findall(token):
        run = run.replace("y", "i")
        for spelled, sound in _RUN_SOUNDS:
            run = run.replace(spelled, sound)
        out.append(collapse_repeats(run))
    return out


#: One vowel sound, several spellings (French ou, RTGS ae and oe, Burmese aw), within a vowel run.
_RUN_SOUNDS = (("ou", "u"), ("ae", "e"), ("oe", "o"), ("aw", "o"))


#: Similarity of tokens that differ only by how their final stop is spelled (t/th/d, k/kh/g, p/ph/b).
FINAL_STOP_SIM = 0.96
_FINAL_STOP = re.compile(r"(?<=[aeiouy])(?:th|dh|t|d|kh|gh|k|g|ph|bh|p|b)$")
_STOP_SOUND = {"th": "t", "dh": "t", "t": "t", "d": "t", "kh": "k", "gh": "k", "k": "k", "g": "k", "ph": "p",
               "bh": "p", "p": "p", "b": "p"}


def _final_stop_respelled(a: str, b: str) -> bool:
    """Both tokens end in a stop after a vowel, spelled differently, for the same sound, after the same letters."""
    ma, mb = _FINAL_STOP.search(a), _FINAL_STOP.search(b)
    if ma is None or mb is None or ma.group() == mb.group():
        return False
    return a[: ma.start()] == b[: mb.start()] and _STOP_SOUND[ma.group()] == _STOP_SOUND[mb.group()]


#: Most a one-syllable token and a token at least two syllables longer are alike (`token_similarity`).
SYLLABLES_APART_SIM = 0.75


def _syllables_apart(sa: str, sb: str) -> bool:
    """One skeleton is one syllable and the other has at least two more (vowel runs)."""
    na, nb = sa.count("a"), sb.count("a")
    return min(na, nb) == 1 and abs(na - nb) >= 2


#: Similarity of a traveller token that no entry's name carries and that is one typo (a letter
#: replaced, dropped, doubled or two letters swapped) away from the candidate's token (Lx/Li, Bumn/Bunn).
TYPO_SIM = 0.9


@lru_cache(maxsize=1 << 16)
def one_typo_apart(a: str, b: str) -> bool:
    """One keystroke error turns one token into the other: a letter replaced, dropped or added, or
    two adjacent letters swapped (optimal string alignment distance 1)."""
    return a != b and abs(len(a) - len(b)) <= 1 and OSA.distance(a, b, score_cutoff=1) == 1


def unknown_token(token: str, ctx: Context) -> bool:
    """The traveller's token is carried by no entry's name, as far as the index knows: its
    information (`token_bits`) is at least what singles out one entry among all (`population_bits`),
    i.e. it is expected less than once on the whole list. A token nobody on the list is called is
    more likely a typo than a name. False without an index."""
    known = ctx.unknown.get(token)
    if known is None:
        bits_of = ctx.token_bits
        known = bits_of is not None and bits_of(skeleton(token)) >= ctx.population_bits
        ctx.unknown[token] = known
    return known


def _typo_similarity(a: str, b: str, sim: float, ctx: Context) -> float:
    """`sim` of traveller token `a` and candidate token `b`, raised to TYPO_SIM when `a` is a token
    no entry carries and one typo away from `b`: a misspelling of `b` rather than another name."""
    # unknown_token first: it is asked once per traveller token and event, one_typo_apart per pair.
    if sim < TYPO_SIM and unknown_token(a, ctx) and one_typo_apart(a, b):
        return TYPO_SIM
    return sim


def _token_weight(token: str, ctx: Context) -> float:
    weight = ctx.weights.get(token)
    if weight is None:
        weight = _length_weight(token) * ctx.token_rarity(skeleton(token))
        ctx.weights[token] = weight
    return weight


def _length_weight(token: str) -> float:
    return 0.5 + min(len(token), 8) / 8.0


def _pair_weight(a: str, b: str, sim: float, ctx: Context) -> float:
    """Weight of an aligned token pair: sharing a common token (Nguyen, Thi, Wang) says little, so
    agreement counts at the tokens' rarity; two different tokens say as much however common each
    is (Thi Hue / Thi Thao Nguyen: another given name is another person), so disagreement counts
    at the tokens' full weight."""
    agree = _token_weight(a, ctx) + _token_weight(b, ctx)
    full = _length_weight(a) + _length_weight(b)
    return agree + (full - agree) * (1.0 - sim)


#: Which of two compared names is a reading of a name written in another script (`read_side`).
NOT_READ, READ_LISTED, READ_TRAVELLER = 0, 1, 2


def read_side(query: PreparedPerson, candidate: PreparedPerson) -> int:
    """The side whose names were read here from another script while the other's are written in Latin
    letters (a passport's), or NOT_READ."""
    if query.latin == candidate.latin:
        return NOT_READ
    return READ_LISTED if query.latin else READ_TRAVELLER


def _read_similarity(a: str, b: str, read: int) -> float:
    """`token_similarity` of a traveller token `a` and a listed token `b`, one of them a reading (`read`)
    and the other a passport spelling, raised to RESPELLED_SIM where the spelling is the reading
    written English-style (`english_spelling`) or by the syllables' own letters (`syllable_respelling`)."""
    sim = token_similarity(a, b)
    if sim < RESPELLED_SIM:
        spelled, reading = (a, b) if read == READ_LISTED else (b, a)
        if english_spelling(spelled, reading) or syllable_respelling(spelled, reading):
            return RESPELLED_SIM
    return sim


#: An r after a vowel and before a consonant or the end, that English-style spellings write to make
#: the vowel long (Taworn / thawon, Karnjana / kanchana).
_SILENT_R = re.compile(r"(?<=[aeiou])r(?![aeiouy])")


@lru_cache(maxsize=1 << 16)
def english_spelling(spelled: str, read: str) -> bool:
    """The passport spelling `spelled` writes the reading `read` (of a name in another script, read as
    RTGS or a scheme like it) the way English spells those sounds, as many Thai families do: the short
    a as u (Anun / anan for อนันต์, Sripun / sriphan, Saranun, Punsiri), long vowels doubled (Pakpoom /
    phakphum, Jeeradech), a silent r for a long vowel (Taworn / thawon). Names of two syllables or more
    with the same consonants: one syllable that differs by its vowel is another name (Tun / Than)."""
    plain = _SILENT_R.sub("", plain_vowels(spelled))
    sk = skeleton(read)
    if one_syllable(sk) or skeleton(plain) != sk:
        return False
    ours, theirs = _vowel_runs(plain), _vowel_runs(read)
    if len(ours) != len(theirs):
        return False
    return all(x == y or (x == "u" and y == "a") for x, y in zip(ours, theirs, strict=True))


#: Steps that bring a passport spelling and a reading of one Thai name to the same letters, in order:
#: ร closing a syllable after an unwritten o, read n, written r or ra (วร Wora / won); a final
#: consonant written with its letter's own value where RTGS writes t (เดช Dech / det, วิราช Virach,
#: เวช Wech, อากาศ Akas); a t closing a syllable before ch, j or s, heard as that consonant doubled
#: (นิจจารีย์ Nitjaree / nitchari, ทัศนา Tassana / thatsana, พิศณุ Pissanu); a Sanskrit final r after a
#: consonant, written but silent (บุตร Butr / but); ก written g (ยุทธกร Yoothagorn / yutthakon); ฟ
#: written ph (ฟ้า Pha / fa); เอือ written ua (เหมือน Muan / mueang).
_RESPELT = (
    (re.compile(r"ora?(?=[^aeiouyh])"), "on"),
    (re.compile(r"(?<=[aeiouy])(?:ch|sh|dh|th|j|s|d)(?![aeiouyh])"), "t"),
    (re.compile(r"t(?=ch|j|s)"), ""),
    (re.compile(r"(?<=[^aeiouy])r$"), ""),
    (re.compile(r"(?<!n)g"), "k"),
    (re.compile(r"f"), "ph"),
    (re.compile(r"uea"), "ua"),
)
#: The r of a cluster after a stop (ประ pra, ตรี tri, กร kra), which everyday Thai does not sound and
#: passports may leave out (ประทีป Phateep / prathip).
_CLUSTER_R = re.compile(r"(?<=[ptk])r(?=[aeiou])|(?<=[ptk]h)r(?=[aeiou])")
#: At most this many short a one side writes and the other leaves out (`syllable_respelling`).
MOST_INSERTED_A = 2
#: Fewest consonants a token needs for `syllable_respelling`: fewer leave too little to tell names apart
#: once a vowel may be missing.
RESPELT_CONSONANTS = 3


def _respelt(token: str) -> str:
    for pattern, value in _RESPELT:
        token = pattern.sub(value, token)
    return token


def _units(token: str) -> list[str] | None:
    """The token's phonetic skeleton with each vowel run as sounded (`_vowel_runs`): consonants and
    vowels in order; None when the two do not line up."""
    sk = skeleton(token)
    runs = _vowel_runs(token)
    if sk.count("a") != len(runs):
        return None
    out: list[str] = []
    k = 0
    for ch in sk:
        if ch == "a":
            out.append(runs[k])
            k += 1
        else:
            out.append(ch)
    return out


def _vowel(unit: str) -> bool:
    """A vowel run of `_units` (y is a consonant there: `_vowel_runs` writes a vowel y as i)."""
    return unit[0] in "aeiou"


def _inserted_a(ours: list[str], theirs: list[str], budget: int) -> bool:
    """The two unit sequences are one once at most `budget` short a between consonants (or after the
    last one) are left out of either."""
    i = j = 0
    while i < len(ours) or j < len(theirs):
        x = ours[i] if i < len(ours) else None
        y = theirs[j] if j < len(theirs) else None
        if x is not None and x == y:
            i, j = i + 1, j + 1
            continue
        if budget <= 0:
            return False
        # an a between consonants, where the other side has a consonant next (or has ended)
        if x == "a" and i > 0 and not _vowel(ours[i - 1]) and (y is None or not _vowel(y)):
            i, budget = i + 1, budget - 1
        elif y == "a" and j > 0 and not _vowel(theirs[j - 1]) and (x is None or not _vowel(x)):
            j, budget = j + 1, budget - 1
        else:
            return False
    return True


@lru_cache(maxsize=1 << 16)
def syllable_respelling(spelled: str, read: str) -> bool:
    """The passport spelling `spelled` writes the reading `read` of a Thai name as Thai families spell
    their names letter by letter rather than by the reading's scheme (`_RESPELT`): a final ร as r or ra
    (Sriworakan / sriwonkhan), a final consonant with its letter's own value (Jeeradech / chiradet), a
    closing t before ch or s written as the consonant doubled (Tassana / thatsana, Nitjaree /
    nitchari), a silent Sanskrit final r kept (Setabutr / setthabut), ก as g, ฟ as ph, เอือ as ua;
    and the short a of Pali and Sanskrit syllables that the
    reading leaves out or puts in where the spelling does not (Jeeradech / jirdech, Kullanart /
    kulnat, Silpa / silapa, Rojana / roj), at most MOST_INSERTED_A of them; the r of a cluster after a
    stop, which the spelling may leave out as everyday speech does (Phateep / prathip). The consonants
    stay the same and in order, and there are at least RESPELT_CONSONANTS of them: a name with other
    consonants is another name; and the vowels are the same: a name with another vowel is another name
    (Wirat / warit)."""
    ours = _units(_respelt(_SILENT_R.sub("", plain_vowels(spelled))))
    if ours is None:
        return False
    frame = [u for u in ours if not _vowel(u)]
    if len(frame) < RESPELT_CONSONANTS:
        return False
    for reading in (read, _CLUSTER_R.sub("", read)):
        theirs = _units(_respelt(reading))
        if theirs is not None and frame == [u for u in theirs if not _vowel(u)] and _inserted_a(
                ours, theirs, MOST_INSERTED_A):
            return True
    return False


def _aligned_pairs(q: tuple[str, ...] | list[str], c: tuple[str, ...] | list[str], ctx: Context,
                   read: int = NOT_READ) -> list[tuple[float, int, int]]:
    """Order-insensitive greedy alignment of tokens: (similarity, i, j) pairs, most similar first,
    each token of either name in at most one pair. `read`: which side is a reading of a name written
    in another script (`READ_LISTED`, `READ_TRAVELLER`), the other then being a passport spelling."""
    # The same token is 1 (`token_similarity`'s first answer) without a lookup in its cache.
    pairs = sorted(
        ((1.0 if a == b else _typo_similarity(
            a, b, token_similarity(a, b) if read == NOT_READ else _read_similarity(a, b, read), ctx), i, j)
         for i, a in enumerate(q) for j, b in enumerate(c)),
        reverse=True,
    )
    used_q: set[int] = set()
    used_c: set[int] = set()
    out: list[tuple[float, int, int]] = []
    for sim, i, j in pairs:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        out.append((sim, i, j))
    return out


def _align(q: tuple[str, ...], c: tuple[str, ...], ctx: Context, read: int = NOT_READ) -> float:
    """Similarity of two token sequences aligned in any order; extra tokens on one side cost part of their weight."""
    num = den = 0.0
    worst = 1.0
    used_q: set[int] = set()
    used_c: set[int] = set()
    for sim, i, j in _aligned_pairs(q, c, ctx, read):
        used_q.add(i)
        used_c.add(j)
        sim = max(0.0, sim - TOKEN_FLOOR) / (1.0 - TOKEN_FLOOR)
        w = _pair_weight(q[i], c[j], sim, ctx)
        worst = min(worst, sim)
        num += sim * w
        den += w
    for i, tok in enumerate(q):
        if i not in used_q:
            den += UNMATCHED_PENALTY * _token_weight(tok, ctx)
    for j, tok in enumerate(c):
        if j not in used_c:
            den += UNMATCHED_PENALTY * _token_weight(tok, ctx)
    if not den:
        return 0.0
    # One clearly different token (another given name) weighs more than its share of the average.
    return num / den * (1.0 - WORST_TOKEN_WEIGHT * (1.0 - worst))


def _merges(tokens: tuple[str, ...], target: int) -> list[tuple[str, ...]]:
    """Spacing variants: adjacent tokens joined until `target` tokens remain (Xiao Ming -> Xiaoming)."""
    out = [tokens]
    frontier = [tokens]
    while frontier and len(frontier[0]) > target and len(frontier[0]) - target <= 2:
        nxt: list[tuple[str, ...]] = []
        for toks in frontier:
            for k in range(len(toks) - 1):
                merged = (*toks[:k], toks[k] + toks[k + 1], *toks[k + 2 :])
                if merged not in nxt:
                    nxt.append(merged)
        out.extend(nxt)
        frontier = nxt
    return out


def compare_forms(q: NameForm, c: NameForm, ctx: Context, read: int = NOT_READ) -> float:
    """Best aligned similarity of two name forms, trying spacing variants of the longer one (`read`:
    `_aligned_pairs`)."""
    qt, ct = q.tokens, c.tokens
    best = _align(qt, ct, ctx, read)
    if len(qt) > len(ct):
        for variant in _merges(qt, len(ct))[1:]:
            best = max(best, _align(variant, ct, ctx, read))
    elif len(ct) > len(qt):
        for variant in _merges(ct, len(qt))[1:]:
            best = max(best, _align(qt, variant, ctx, read))
    return best


def best_name_pair(
    query: PreparedPerson, candidate: PreparedPerson, ctx: Context
) -> tuple[float, NameForm, NameForm] | None:
    best: tuple[float, NameForm, NameForm] | None = None
    read = read_side(query, candidate)
    for q in query.forms:
        for c in candidate.forms:
            sim = 1.0 if q.tokens == c.tokens else compare_forms(q, c, ctx, read)
            if best is None or sim > best[0]:
                best = (sim, q, c)
                if sim >= 1.0:
                    return best
    return best


def name_similarity(query: PreparedPerson, candidate: PreparedPerson, ctx: Context) -> Comparison | None:
    """Names sound and spell alike: best match over all names, aliases and romanizations of both
    persons, in any order, allowing for spelling variants, joined or split names, truncation, and a
    one-letter typo in a traveller's name that nobody on the list carries."""
    best = best_name_pair(query, candidate, ctx)
    if best is None:
        return None
    sim, q, c = best
    score = max(0.0, (sim - NAME_FLOOR) / (1.0 - NAME_FLOOR))
    return Comparison(round(score, 4), q.text, c.text)


def name_bits(
    query_text: str | None, candidate_text: str | None, ctx: Context, *, alone: bool = False, spelled: bool = True,
    names_kept: bool = True, read: int = NOT_READ,
) -> float:
    """How unlikely it is that another person carries the matched name, in bits (infinite when
    nothing is known about names).

    The less informative of two views. The list's: the sum over the name's tokens of
    log2(entries / entries carrying the token's `count_key`), counted by the index, for the
    less informative of the two compared names. The travellers': log2(100,000 / travellers per
    100,000 carrying the traveller's or the listed name) (`commonness`, the name-frequency model),
    which also knows the names whose tokens go together (Nguyen Thi, Wang Xiu).

    `spelled`: both names were written in Latin letters, so only the tokens that agree count
    (`_agreeing_bits`). A name romanized here from another script is held to its tokens that agree
    too, but as a reading and a passport spelling of one name agree (`READ_AGREE_FULL`): they differ
    by nature, while a token nothing like any reading is another name (Phimnapha Opnithisundis and
    พิมพ์นภา จันทสิทธิ์ share a given name, not a family name), where the two names have as many
    tokens. When the traveller's tokens are the listed word split (Souvanna Phouma /
    ສຸວັນນະພູມາ: Lao, Thai and Khmer write a name's syllables together, passports split them into
    given name and surname), the traveller's tokens are what the name is made of, and they count:
    one listed word is counted as one token, however many name words it joins
    (`_split_from_listed_word`).

    `alone`: nothing but the name supports the match. Then a name common among the travellers
    screened (`MatcherConfig.common_name_per_100k`) gives nothing, however long or short the list;
    and of two Latin names only the tokens they share count (Weibing Ning / Weibing Ying: how many
    travellers are called Weibing).

    Two names written in syllables that are words of their own (Chinese, Vietnamese) whose tokens
    differ by a whole other syllable share nothing through those tokens (`_other_name`): Haopeng Yang
    and Haiping Yang share Yang. Nor do two tokens one letter apart where the traveller's is a name
    many people of the traveller's nationality and sex carry (`neighbouring_name`): Thi Thu Nguyen
    and Thi Thuy Nguyen share Thi Nguyen.

    No name reads rarer than one among the travellers counted (`Context.rarest_per_100k`), unless it
    holds a token almost nobody of the traveller's nationality carries (`Context.rarest_of`): Thai
    family names, each chosen by its own family, make a name rare where a Nguyen Van never is.

    With a date of birth, the travellers' view is also held to what is left of the traveller's name
    once such other names and the tokens the listed name lacks are set aside (`_kept_text`): Thi Thu
    Nguyen born on the listed Thi Thuy Nguyen's day is as rare as a Thi Nguyen born that day, and
    Chan Naing Kaung as a Chan Naing.

    Of two names of as many tokens, each aligned pair of tokens that are two names (`other_names`)
    counts OTHER_NAME_BITS against, when `names_kept`: both people's nations keep a name for life
    (`NAMES_CHANGED_AT_MARRIAGE`)."""
    q = query_text.split() if query_text else []
    c = candidate_text.split() if candidate_text else []
    # Aligned once for both views; None: the same letters, spaced otherwise (Xiao Ming / Xiaoming).
    pairs = _aligned_pairs(q, c, ctx) if spelled and q and c and "".join(q) != "".join(c) else None
    against = 0.0
    if pairs is not None:
        aligned = len(pairs)
        pairs = [pair for pair in pairs if not _other_name(q, c, pair, ctx)]
        if names_kept and len(q) == len(c):  # else a token may be paired with what is a part of another
            against = OTHER_NAME_BITS * other_names(q, c, pairs, aligned)
        pairs = [pair for pair in pairs if not _neighbouring_name(q, c, pair, ctx)]
    bits = math.inf
    if ctx.commonness is not None:
        held = [query_text] if query_text else []  # what the name is held to
        if alone and spelled and q and c:
            held.append(_shared_text(q, pairs))
        elif spelled and pairs is not None:
            held.append(_kept_text(q, pairs))
        if alone and any(_commonness(text, ctx) >= ctx.config.common_name_per_100k for text in held):
            return -math.inf
        texts = [text for text in (*held, candidate_text) if text]
        per_100k = max((_commonness(text, ctx) for text in texts), default=0.0)
        floor = ctx.rarest_per_100k
        if per_100k < floor and ctx.rarest_of is not None:  # at the floor: as rare as its tokens allow
            floor = max((_rarest(text, ctx) for text in texts), default=floor)
        per_100k = max(per_100k, floor)
        if per_100k > 0.0:
            bits = math.log2(100_000.0 / per_100k)
    bits_of = ctx.token_bits
    if bits_of is not None and q and c:
        if spelled:
            bits = min(bits, _agreeing_bits(q, c, pairs, bits_of))
        elif _split_from_listed_word(q, c):
            bits = min(bits, sum(bits_of(count_key(t)) for t in q))
        else:
            bits = min(bits, sum(bits_of(count_key(t)) for t in q), sum(bits_of(count_key(t)) for t in c))
            if len(q) == len(c):  # else a token may be read as two, or two as one (Kwok Kin / Kwokkin)
                pairs = _aligned_pairs(q, c, ctx, read)  # `read`: which side is the reading (`read_side`)
                bits = min(bits, _agreeing_bits(q, c, pairs, bits_of, READ_AGREE_NONE, READ_AGREE_FULL))
    return bits - against


#: Bits of evidence against that one aligned pair of tokens that are two different names carries
#: (Ngoc Trinh / Ngoc Uyen, Thi Nhung Huynh / Thi Nhung Nguyen, Nyein Khaing / Nyein Zin): a listed
#: person's name recorded with another word in it is rare (an alias, a slip of the ear), while a
#: namesake differing in one word is as common as that word.
OTHER_NAME_BITS = 4.0
#: Nationalities whose women usually take their husband's family name at marriage (Thai and Lao
#: law and custom): a listed woman's family name may differ from her passport's, so another family
#: name there is not evidence against.
NAMES_CHANGED_AT_MARRIAGE = frozenset({"THA", "LAO"})


def other_names(q: list[str], c: list[str], kept: list[tuple[float, int, int]], aligned: int) -> int:
    """How many aligned token pairs of traveller tokens `q` and listed tokens `c` are two names, not
    one name spelt otherwise: those set aside as another syllable (`_other_name`: `aligned` pairs, of
    which `kept` remain) and those too unlike to be the same token at all (at most `AGREE_NONE`). A
    pair one slip of the keyboard apart (`_one_slip_apart`: Jla / Hla, a neighbouring name such as
    Thu / Thuy) shares nothing but is not counted against: one slip does make it."""
    unlike = 0
    for sim, i, j in kept:
        if sim <= AGREE_NONE and not _one_slip_apart(q[i], c[j]):
            unlike += 1
    return aligned - len(kept) + unlike


def _split_from_listed_word(q: list[str], c: list[str]) -> bool:
    """The traveller's tokens spell the listed name's letters with more word breaks (the listed name
    romanized from a script written without spaces between a name's syllables)."""
    return len(q) > len(c) and "".join(q) == "".join(c)


#: An aligned token pair at least this similar counts as the same token; one at most AGREE_NONE
#: similar, as another name (Weijia Gui / Weijia Cao: Gui and Cao say nothing for the match).
AGREE_FULL = 0.95
AGREE_NONE = 0.75
#: The same for a passport spelling against a reading of a name written in another script
#: (Pipatanasai / phiphatthanasai, Sommai / samahamai): one token of one name, read and spelled by
#: other rules, agrees in full from here; one at most AGREE_NONE like any reading is another name.
READ_AGREE_NONE = 0.85
READ_AGREE_FULL = 0.9


def _shared_text(q: list[str], pairs: list[tuple[float, int, int]] | None) -> str:
    """The traveller's tokens that are the same token in the listed name (`AGREE_FULL`), in order;
    `pairs`: the two names' `_aligned_pairs`, None when they are the same letters spaced otherwise."""
    if pairs is None:
        return " ".join(q)
    return " ".join(q[i] for i in sorted(i for sim, i, _j in pairs if sim >= AGREE_FULL))


def _kept_text(q: list[str], pairs: list[tuple[float, int, int]]) -> str:
    """The traveller's tokens that some listed token spells, however nearly (above `AGREE_NONE`), in
    order: what is left of the traveller's name once the tokens that are other names (`pairs` holds
    none) and the tokens the listed name lacks are set aside."""
    return " ".join(q[i] for i in sorted(i for sim, i, _j in pairs if sim > AGREE_NONE))


def _agreeing_bits(q: list[str], c: list[str], pairs: list[tuple[float, int, int]] | None,
                   bits_of: Callable[[str], float], none: float = AGREE_NONE, full: float = AGREE_FULL) -> float:
    """The information of the tokens the two names share: each aligned pair (`pairs`) counts with the
    less informative of its two tokens, in full when they are the same token (`full` alike), not at
    all when they are other names (`none` alike or less); a token only one name has counts nothing.
    Names that differ only by spacing (Xiao Ming / Xiaoming; `pairs` None) share all their information."""
    if pairs is None:
        return min(sum(bits_of(count_key(t)) for t in q), sum(bits_of(count_key(t)) for t in c))
    bits = 0.0
    for sim, i, j in pairs:
        if sim <= none:
            break  # most similar first: the rest are other names too
        share = min(1.0, (sim - none) / (full - none))
        bits += share * min(bits_of(count_key(q[i])), bits_of(count_key(c[j])))
    return bits


def _asked_once(text: str, asked: dict[str, float], ask: Callable[[str], float] | None) -> float:
    """`ask(text)`, asked once per event (`asked`: the answers so far; every candidate asks of the
    traveller's name)."""
    per_100k = asked.get(text)
    if per_100k is None:
        assert ask is not None
        per_100k = asked[text] = ask(text)
    return per_100k


def _commonness(text: str, ctx: Context) -> float:
    """`ctx.commonness` of a name, asked once per event."""
    return _asked_once(text, ctx.common, ctx.commonness)


def _rarest(text: str, ctx: Context) -> float:
    """`ctx.rarest_of` of a name, asked once per event."""
    return _asked_once(text, ctx.rarest, ctx.rarest_of)


def specificity(bits: float, ctx: Context, *, alone: bool = True) -> float:
    """0..1: how surely evidence of this many bits singles out one entry among all rather than
    matching one by chance: it must clearly exceed log2(entries), the information needed to single
    out one entry (`MatcherConfig.evidence_low_bits` .. `evidence_high_bits` above it; for a name
    `alone`, `name_alone_low_bits` .. `name_alone_high_bits`)."""
    config = ctx.config
    excess = bits - ctx.population_bits
    if alone:
        low, high = config.name_alone_low_bits, config.name_alone_high_bits
    else:
        low, high = config.evidence_low_bits, config.evidence_high_bits
    return min(1.0, max(0.0, (excess - low) / (high - low)))


def name_bits_bound(query: PreparedPerson, candidate: PreparedPerson, ctx: Context) -> float:
    """An upper bound of `name_bits` over every pair of name forms, without aligning names: the less
    informative of the two names, or the traveller's when the traveller's name is a listed word split
    (`_split_from_listed_word`: then only the traveller's tokens count)."""
    bits_of = ctx.token_bits
    if bits_of is None or not query.forms or not candidate.forms:
        return math.inf
    query_bits = _query_bits(query, bits_of, ctx)
    candidate_bits = _candidate_bits(candidate, bits_of, ctx)
    if candidate_bits < query_bits and _splits_a_listed_word(query, candidate):
        return query_bits
    return min(query_bits, candidate_bits)


def _splits_a_listed_word(query: PreparedPerson, candidate: PreparedPerson) -> bool:
    """Some form of the traveller spells some form of the listed name with more word breaks."""
    joined = {"".join(form.tokens): len(form.tokens) for form in candidate.forms}
    return any(len(form.tokens) > joined.get("".join(form.tokens), len(form.tokens)) for form in query.forms)


def specificity_bound(query: PreparedPerson, candidate: PreparedPerson, ctx: Context) -> float:
    """An upper bound of the `specificity` of the name alone over every pair of name forms."""
    return specificity(name_bits_bound(query, candidate, ctx), ctx)


def _most_bits(person: PreparedPerson, bits_of: Callable[[str], float]) -> float:
    """The information of the person's most informative name form."""
    # Plain loops: asked for the traveller and for every candidate prescored, and in the compiled
    # build a generator per form and a zip with a keyword argument cost more than the sums.
    best = -math.inf
    for form in person.forms:
        tokens, skeletons = form.tokens, form.skeletons
        bits = 0.0
        for k in range(len(skeletons)):
            sk = skeletons[k]
            bits += bits_of(count_key(tokens[k]) if one_syllable(sk) else sk)
        if bits > best:
            best = bits
    return best


def _candidate_bits(candidate: PreparedPerson, bits_of: Callable[[str], float], ctx: Context) -> float:
    """`_most_bits` of a candidate, remembered for the last candidate asked (`Context.candidate_bits`)."""
    known = ctx.candidate_bits
    if known is None or known[0] is not candidate:
        known = ctx.candidate_bits = (candidate, _most_bits(candidate, bits_of))
    return known[1]


def query_name_bits_bound(query: PreparedPerson, ctx: Context) -> float:
    """An upper bound of `name_bits` for any candidate: the traveller's side of `name_bits_bound`
    alone (the less informative of the two names counts)."""
    bits_of = ctx.token_bits
    if bits_of is None or not query.forms:
        return math.inf
    return _query_bits(query, bits_of, ctx)


def _query_bits(query: PreparedPerson, bits_of: Callable[[str], float], ctx: Context) -> float:
    """`_most_bits` of the traveller, once per event (`Context.query_bits`)."""
    known = ctx.query_bits
    if known is None or known[0] is not query:
        known = ctx.query_bits = (query, _most_bits(query, bits_of))
    return known[1]


#: What `quick_name_similarity` compares of one name form of the traveller: the form has an initial
#: (then the full comparison decides), its text, its skeletons, its tokens joined, joined in reverse
#: order, and family name first ("" for fewer than three tokens).
QuickForm = tuple[bool, str, str, str, str, str]


def quick_forms(query: PreparedPerson) -> list[QuickForm]:
    """The traveller's side of `quick_name_similarity`, made once per event rather than per candidate."""
    out: list[QuickForm] = []
    for q in query.forms:
        if min(map(len, q.tokens)) == 1:
            out.append((True, "", "", "", "", ""))  # initials: leave it to the full comparison
            continue
        # Joined in reverse order too: a name split otherwise and written family name last
        # ("Pheap Sreimom" / "Srey Mom Pheab") defeats both token sorting and plain joining.
        # Family name first, given names in their order: a name of three Latin words whose given names
        # one record joins (Kim Hourn Kao / កៅ គឹមហួន Kao Kimhuon, Xiao Ming Wang / Wang Xiaoming).
        out.append((False, q.text, " ".join(q.skeletons), "".join(q.tokens), "".join(reversed(q.tokens)),
                    q.tokens[-1] + "".join(q.tokens[:-1]) if len(q.tokens) >= 3 else ""))
    return out


def quick_name_similarity(query: PreparedPerson, candidate: PreparedPerson,
                          forms: list[QuickForm] | None = None) -> float:
    """A cheap, generous 0..100 name similarity used to skip hopeless candidates before scoring.
    `forms`: `quick_forms(query)`, when the caller compares the traveller with many candidates.

    A candidate born on the very day the traveller was, with a name token that spells the same
    Chinese characters as one of the traveller's in another romanization (Mandarin Wenhua Xiao,
    Cantonese Man Wah Siu: Xiao/Siu), gets at least QUICK_GATE: letters alone cannot relate such
    spellings, the full comparison does. Only on the same day: at a million entries most
    candidates that survive the cheap features are born that day, and most are namesakes in
    nothing but the date."""
    best = _quick_name_similarity(quick_forms(query) if forms is None else forms, candidate)
    if best < QUICK_GATE:
        day = full_date(query.dob)
        if day is not None and day == full_date(candidate.dob) and _share_characters(query, candidate):
            return QUICK_GATE
    return best


def _share_characters(query: PreparedPerson, candidate: PreparedPerson) -> bool:
    """Some token of the traveller and some token of the candidate spell the same Chinese characters."""
    return share_characters([tok for form in query.forms for tok in form.tokens],
                            [tok for form in candidate.forms for tok in form.tokens])


def _quick_name_similarity(forms: list[QuickForm], candidate: PreparedPerson) -> float:
    best = 0.0
    for initials, q_text, q_skel, q_joined, q_reversed, q_family_first in forms:
        if initials:
            return 100.0
        for c in candidate.forms:
            c_joined = "".join(c.tokens)
            best = max(
                best,
                fuzz.token_sort_ratio(q_text, c.text),
                fuzz.token_sort_ratio(q_skel, " ".join(c.skeletons)),
                fuzz.ratio(q_joined, c_joined),
                fuzz.ratio(q_reversed, c_joined),
            )
            if q_family_first and best < QUICK_GATE:
                best = max(best, fuzz.ratio(q_family_first, c_joined))
            if best >= QUICK_GATE:
                return best
    return best


#: Candidates without a document hit and below this quick similarity are not scored.
QUICK_GATE = 65.0


#: Vietnamese syllables as passports print them (diacritics dropped): an initial consonant, a vowel
#: cluster the language has, a final consonant. Every word of a Vietnamese name is one such syllable.
_VI_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:uye|uya|uyu|uoi|uou|oai|oay|oeo|uay|ieu|yeu|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ye"
    r"|[aeiouy])(?:ch|nh|ng|[cmnpt])?"
)


@lru_cache(maxsize=1 << 16)  # asked for every token of both names of each scored pair
def _syllables(token: str) -> tuple[str, ...] | None:
    """The token's syllables when it is written in a romanization where each syllable is a word of
    its own (Vietnamese: one word each; pinyin or Wade-Giles: one Chinese character each, a syllable
    inside a word starting with a consonant, as names are written without apostrophes), else None."""
    if _VI_SYLLABLE.fullmatch(token):
        return (token,)
    return chinese_syllables(token)


@lru_cache(maxsize=1 << 16)
def chinese_syllables(token: str) -> tuple[str, ...] | None:
    """The token's syllables when it is written in pinyin or Wade-Giles (one Chinese character each, a
    syllable inside a word starting with a consonant), else None."""
    return _split_syllables(token, mandarin_syllables()) or _split_syllables(token, _wade_giles_syllables())


@lru_cache(maxsize=1)
def _wade_giles_syllables() -> frozenset[str]:
    """The Wade-Giles spellings of the Mandarin syllables (apostrophes dropped, as in passports)."""
    return frozenset(wade_giles(syllable) for syllable in mandarin_syllables())


@lru_cache(maxsize=1)
def _pinyin_of_wade_giles() -> dict[str, tuple[str, ...]]:
    """Wade-Giles syllable -> the pinyin shapes spelled so (ch is zh, j, q or ch), a mistyped pinyin
    syllable included (Jebin is written Chopin in Wade-Giles)."""
    out: dict[str, list[str]] = {}
    for syllable in sorted(pinyin_shapes()):
        out.setdefault(wade_giles(syllable), []).append(syllable)
    return {spelled: tuple(pinyin) for spelled, pinyin in out.items()}


#: Pinyin readings of a Wade-Giles token tried by `_one_slip_apart` (a few syllables, each read a few ways).
_MOST_READINGS = 16


def _pinyin_readings(token: str) -> list[str]:
    """The token itself and, when it is written in Wade-Giles (not in pinyin), its pinyin spellings (at
    most _MOST_READINGS)."""
    out = [token]
    if _split_syllables(token, mandarin_syllables()):
        return out
    table = _pinyin_of_wade_giles()
    split = _split_syllables(token, frozenset(table))
    if split:
        spellings = [""]
        for syllable in split:
            spellings = [head + pinyin for head in spellings for pinyin in table[syllable]][:_MOST_READINGS]
        out.extend(spellings)
    return out


@lru_cache(maxsize=1 << 16)
def _one_slip_apart(a: str, b: str) -> bool:
    """One typo (`one_typo_apart`) turns one token into the other, as written or as the pinyin they
    spell: the matcher compares Wade-Giles forms of pinyin names too, where a slip in the pinyin
    (Jiebin typed Jebin) shows as more letters (Chiehpin / Chepin)."""
    return any(one_typo_apart(x, y) for x in _pinyin_readings(a) for y in _pinyin_readings(b))


def _split_syllables(token: str, syllables: frozenset[str]) -> tuple[str, ...] | None:
    """`token` as a name's syllables (no apostrophes: each after the first starts with a consonant)."""
    return split_syllables(token, syllables, consonant_after_first=True)


def _other_name(q: list[str], c: list[str], pair: tuple[float, int, int], ctx: Context) -> bool:
    """The aligned tokens are two names, not one name misspelt: both names are written in syllables
    that are words of their own (`_syllables`: Chinese, Vietnamese), the tokens differ by a whole
    syllable (`another_syllable`) and by more than one slip of the keyboard (`_one_slip_apart`: a
    single letter replaced, dropped, doubled or two swapped can land on another valid syllable: Nga
    typed Na), and
    the traveller's token is a name other listed people carry (not `unknown_token`: a token nobody on
    the list is called is more likely a typo)."""
    _sim, i, j = pair
    a, b = q[i], c[j]
    if a == b or not another_syllable(a, b) or _one_slip_apart(a, b) or unknown_token(a, ctx):
        return False
    return all(_syllables(t) is not None for t in (*q, *c))


#: A traveller's token carried by at least one in 2**NEIGHBOUR_BITS listed people of the traveller's
#: nationality and sex is a name of its own (`neighbouring_name`).
NEIGHBOUR_BITS = 12.0
#: Those counts are smoothed as if there were also this many such entries without the token, so that
#: a nationality with few entries does not make each of its tokens a common name.
NEIGHBOUR_PRIOR_ENTRIES = 1000


def _neighbouring_name(q: list[str], c: list[str], pair: tuple[float, int, int], ctx: Context) -> bool:
    """`neighbouring_name` of an aligned pair of traveller token `q[i]` and listed token `c[j]`."""
    _sim, i, j = pair
    return neighbouring_name(q[i], c[j], ctx)


def neighbouring_name(a: str, b: str, ctx: Context) -> bool:
    """A traveller's name one letter away from the listed one is another name when many people of the
    traveller's nationality and sex carry the traveller's spelling.

    Thu and Thuy, Lan and Loan, Hang and Hanh, Win and Lwin, Weifang and Weifeng are one keystroke
    apart, and each is a name thousands of people carry: a traveller called Thu is far more often
    another woman than a Thuy whose passport lost a letter, since a misspelling has to land on
    exactly that name. So when the traveller's token (`a`) is one slip of the keyboard from the
    listed token (`b`: `_one_slip_apart`), is not the same sounds spelled otherwise (Chanh/Chan,
    Kheen/Khin: `_same_sound`), and at least one in 2**NEIGHBOUR_BITS listed people of the
    traveller's nationality and sex carry it as written, the two tokens share nothing. A token few
    or none of them carry is still read as a misspelling of the listed one: a woman's Thuy typed Huy
    (a man's name), a Vietnamese Dung typed Ding (a Chinese one)."""
    entries_of = ctx.token_entries
    if entries_of is None or a == b:
        return False
    carrying, everyone = entries_of(a)
    if carrying <= 0 or math.log2((everyone + NEIGHBOUR_PRIOR_ENTRIES) / carrying) > NEIGHBOUR_BITS:
        return False
    return _one_slip_apart(a, b) and not _same_sound(a, b)


def _same_sound(a: str, b: str) -> bool:
    """The tokens spell the same sounds: one skeleton, and the same vowel sound (Chanh/Chan, Zaw/Zow,
    Kheen/Khin, Phon/Phone) or, in tokens of several syllables, the same vowel sounds in each; or they
    are one name in two accepted spellings (`spelling_key`: Mar/Ma, Htay/Htei)."""
    if spelling_key(a) == spelling_key(b):
        return True
    sk = skeleton(a)
    if sk != skeleton(b):
        return False
    if one_syllable(sk):
        return _sounded(a) == _sounded(b)
    return _same_vowel_sounds(a, b)


def _sounded(token: str) -> str:
    """The vowel sound of a one-syllable token, a long vowel written doubled read as one (Kheen/Khin)."""
    sound = vowel_sound(token, short=True)
    for spelled, said in DOUBLED_VOWELS:
        sound = sound.replace(spelled, said)
    return sound


@lru_cache(maxsize=1 << 16)
def another_syllable(a: str, b: str) -> bool:
    """Names that differ by a whole syllable are different names, not one name misspelt.

    In Chinese and Vietnamese names each syllable is a character or a word chosen for its meaning:
    Junping and Chunpeng, Haiping and Haopeng, Thi Hanh and Thi Anh, Quang and Xuan read alike but are
    other names, as another family name (Qiu, Zhao) is another family. A traveller whose name differs
    from the listed one by such a syllable is someone else as often as there are people with that
    syllable, whereas a misspelling has to land on exactly that other name. The syllables of both
    tokens must be well formed and as many, and a syllable that differs must not be the same
    character in another romanization (Zhen/Chen, Jing/Ching in Wade-Giles; Wang/Wong in Cantonese)
    or the same sound spelled otherwise (Mo/Moe, Vy/Vi): those are one name. A typo that leaves no
    valid syllable (Yugui/Yugi, Kien/Kieo) is still read as a misspelling."""
    if a == b:
        return False
    sa, sb = _syllables(a), _syllables(b)
    if sa is None or sb is None or len(sa) != len(sb):
        return False
    return any(not _one_syllable_spelled(x, y) for x, y in zip(sa, sb, strict=True))


def _one_syllable_spelled(x: str, y: str) -> bool:
    """The same syllable written otherwise: its Wade-Giles spelling (Zhen/Chen), its Cantonese spelling
    when one of the two is no Mandarin syllable (Wang/Wong), or the same consonants and vowel sound
    (Mo/Moe, Vy/Vi)."""
    if x == y:
        return True
    mandarin = mandarin_syllables()
    if (x in mandarin and wade_giles(x) == y) or (y in mandarin and wade_giles(y) == x):
        return True
    if (x not in mandarin or y not in mandarin) and same_characters(x, y):
        return True
    return _VOWEL_LETTERS.sub("", x) == _VOWEL_LETTERS.sub("", y) and vowel_sound(x, short=True) == vowel_sound(
        y, short=True)
