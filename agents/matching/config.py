"""Matcher configuration: thresholds per list, feature weights, blocking limits."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from schemas.watchlist import LISTS

# 1.1: birth-year windowed blocking, birthday keys, Cantonese readings
# 1.2: another passport number of the same type and country counts against unless a date of birth
#      supports the person; another full date of birth rules a name out unless a document agrees
# 1.3: a name alone (no date of birth or document corroborating) must be the same name when both
#      are written in Latin letters, and cannot stand against another recorded sex; entries born on
#      the traveller's day and sharing a name token are always candidates; a name is common from
#      fewer sightings (name-frequency sketch with independent row hashes)
# 1.4: more Latin spellings per Khmer and Lao word (passport and etymological forms), a mid-token ts
#      also keyed as t+s, skeletons that differ only by a non-rhotic r agree
# 1.5: two aligned name tokens that differ weigh in full however common each is (agreeing on a
#      common token still says little)
# 1.6: a one-syllable Khmer word also gets the other passport spellings of its vowel (Kem, Kim, Koem)
#      and a bare closed syllable its a as o (Chhon, Son); the passport spelling is tried second
# 1.7: entries born on the traveller's day that share a name token uncommon on the list are
#      candidates ahead of name-key hits
# 1.8: without an agreeing document, a match needs evidence (the name's tokens that agree, how
#      closely the dates agree, the sex; another passport number counts against) well beyond what
#      singles out one entry on a list that long; a name is also common when its tokens are common
#      among travellers of the same nationality
# 1.9: a one-syllable name token is counted with its vowel (Thi, Thu and To were one skeleton, so
#      every Vietnamese or Burmese name looked common); the evidence a date takes part in must exceed
#      log2(entries) by 4 to 8 bits, a name alone by 0 to 4; a name alone is held to the travellers'
#      count of the tokens the two names share, and no name reads rarer than one among the travellers
#      counted
# 1.10: French-colonial and letter-by-letter Khmer spellings (ti for ch/j, au for u, a written final
#      r or b, -ouk, tch); a name of three Latin words also read family name first with the given
#      names joined; tokens that differ by a doubled letter nearly agree; each partition's
#      name-frequency sketch halves its counts as it fills (recent travellers weigh most)
# 1.11: a birthday one mistyped digit away counts 4 bits, not 6 (about ten days or months are one digit
#      from a given one: someone else agrees that way far more often than on the very day); Lao
#      passport vowels (eu, eua) and doubled aspirates; a listed name written as one word (Lao, Thai,
#      Khmer) counts the traveller's parts; final stops t/th/d, k/kh/g, p/ph/b alike; multi-syllable
#      tokens with the same sounds syllable by syllable alike; a one-syllable token against a much
#      longer one capped
# 1.12: in Chinese and Vietnamese names, a token a whole other syllable away (not a typo, not the same
#      character in another romanization) counts no bits where other listed people carry the
#      traveller's token (features/name.py `another_syllable`)
# 1.13: a token one letter from the listed one counts no bits where many listed people of the
#      traveller's nationality and sex carry it as written (`neighbouring_name`); with a date of
#      birth, the travellers' count is of what the two names share (`_kept_text`)
# 1.14: a name holding a token almost nobody of the traveller's nationality carries reads as rare as
#      its tokens make it (up to a bound), not merely one among the travellers counted; a name alone
#      counts from 1 bit above log2(entries), not 0
# 1.15: one name token in two accepted spellings (Burmese conventional romanization: open e as ay, ei,
#      ey, ae; open o as oe; a silent final r or h; aing as ine; English-style doubled long vowels)
#      agrees as the same letters do and counts its bits in full (`phonetic.spelling_key`); an entry born
#      on the traveller's day whose token is two of the traveller's joined is a candidate, however common
#      the joined skeleton (Chuan Jung / Chuanjung)
# 1.16: of two Latin names of as many tokens, each aligned pair that is two names (another syllable,
#      or nothing alike and not one slip apart) counts against, except where women take their
#      husband's family name (Thai, Lao); a name's pinyin is read as Wade-Giles only when all of
#      the name reads as pinyin (Van Dung Doan is no Chinese name to respell Toan)
# 1.17: Thai script is also read by pythainlp's thai2rom model (scripts/thai_model.py)
# 1.18: a cross-script token unlike every reading of the listed name counts as another name
#      (`READ_AGREE_NONE` .. `READ_AGREE_FULL`); Burmese ဝေ is also spelled wai
# 1.19: Burmese creaky rhymes as passports spell them (ည့် ae, a creaky nasal rhyme with a t)
# 1.20: a passport spelling that writes a name read from another script English-style (the short a
#      as u, long vowels doubled, a silent r: Anun / anan) is a respelling of it (`english_spelling`)
# 1.21: Lao ແ is written e (Seng, Keo), as Lao names are spelled, not the ae of Thai RTGS
# 1.22: the Khmer toandakheat silences the letter under it; a one-syllable Khmer word closed by a
#      final with a silent subscript gets its vowel's other spellings
# 1.23: a doubled final is one final in the phonetic skeleton (Nariddh / Naridh); a second-series
#      Khmer vowel shortened by a silent subscript is read as under bantoc (យន្ត Yuon, Yun); a Khmer
#      nasal over a liquid is also spelled with the vowel between (ម្លិះ Malis)
# 1.24: a Thai passport spelling that writes the syllables by their letters (a final consonant with its
#      own value, a closing t before ch or s doubled, a silent Sanskrit final r, ก as g, ฟ as ph, เอือ as
#      ua, a final ร as r or ra, the short a of Pali compounds put in or left out, a cluster's r left out)
#      is a respelling of the reading (`syllable_respelling`); รร read as the vowel a in the
#      letter-preserving spelling; a closing t before s also keyed as the s it sounds
MATCHER_VERSION = "bw-match-1.24"


def _default_thresholds() -> dict[str, float]:
    # Suspects favour precision (higher threshold); missing persons and suspected victims favour recall.
    return {"suspect": 0.80, "missing_person": 0.70, "suspected_victim": 0.66}


def _default_weights() -> dict[str, float]:
    return {
        "name": 0.80,
        "date_of_birth": 0.25,
        "document": 1.25,
        "sex": 0.15,
        "nationality": 0.20,
        # Missing persons and suspected victims only (scorer.LIST_FEATURES): a full date of birth, sex
        # and nationality all the same let a name written another way reach those lists' thresholds.
        "identity": 0.07,
        # The two rules of features/conflicts.py, which only count against namesakes. Each weighs
        # more than a name with sex, nationality and an unconfirming date can add, so the pairs they
        # apply to fall below every list's threshold and are dropped before names are compared.
        "other_document_number": 0.5,
        "other_birth_date": 1.0,
    }


class MatcherConfig(BaseModel):
    """How the matcher scores and how hard it looks. Frozen: build a new one to change it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    thresholds: dict[str, float] = Field(default_factory=_default_thresholds)
    weights: dict[str, float] = Field(default_factory=_default_weights)
    #: At most this many blocking candidates are scored per event (best key hits first).
    max_candidates: int = Field(default=12, ge=1)
    #: Of those, at most this many (closest names first, document hits always first) are fully scored.
    max_scored: int = Field(default=12, ge=1)
    #: A name key whose posting list is longer than this is "too common" to use alone.
    max_posting: int = Field(default=1000, ge=1)
    #: When every name key is too common, the shortest posting list up to this size is filtered by birth year.
    max_common_scan: int = Field(default=5000, ge=1)
    #: Name keys are read for entries born this many years around the traveller (and entries of
    #: unknown or estimated year). Two: full dates further apart count against enough that a name
    #: alone cannot reach any threshold, partial dates two years apart can.
    block_year_slack: int = Field(default=2, ge=0)
    #: Birth-year tolerance of that fallback filter (years).
    common_scan_year_slack: int = Field(default=1, ge=0)
    #: Without an agreeing document, the evidence of a match (how rare its name is, how closely the
    #: dates of birth agree, the same sex: features.name.specificity) must exceed log2(entries), the
    #: information that singles out one entry among all, by more than `evidence_low_bits` to count at
    #: all and by `evidence_high_bits` to count in full: below that, a namesake on a list this long is
    #: likelier than the listed person.
    evidence_low_bits: float = 4.0
    evidence_high_bits: float = 8.0
    #: The same for a name that nothing else supports (no date agrees): it counts from
    #: `name_alone_low_bits` above log2(entries). Lower than with a date, because a name alone is
    #: also held to `common_name_per_100k`, the travellers' own count of it. Above 0: at the bare
    #: minimum, a chance namesake on a list this long is as likely as not.
    name_alone_low_bits: float = 1.0
    name_alone_high_bits: float = 4.0
    #: A name carried by at least this many of every 100,000 travellers screened is common: it
    #: cannot alert alone, whatever the list's length; a date of birth or a document must corroborate it.
    common_name_per_100k: float = Field(default=0.75, gt=0)

    # Derived once per configuration (it is frozen), read for every traveller while screening.
    @cached_property
    def list_thresholds(self) -> tuple[float, ...]:
        """`threshold` of each list, in schemas.watchlist.LISTS order."""
        return tuple(self.threshold(name) for name in LISTS)

    @cached_property
    def feature_weights(self) -> tuple[float, float, float, float, float]:
        """`weight` of name, date_of_birth, document, sex and nationality."""
        name, dob, document, sex, nationality = (
            self.weight(f) for f in ("name", "date_of_birth", "document", "sex", "nationality"))
        return name, dob, document, sex, nationality

    @cached_property
    def sorted_weights(self) -> tuple[tuple[str, float], ...]:
        """The weights as (feature, weight) pairs, by feature."""
        return tuple(sorted(self.weights.items()))

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> MatcherConfig:
        """A copy (with `update`), its derived values computed afresh from its own fields."""
        copied = super().model_copy(update=update, deep=deep)
        for name in _DERIVED:
            copied.__dict__.pop(name, None)
        return copied

    def threshold(self, list_name: str) -> float:
        return self.thresholds.get(list_name, 0.75)

    def weight(self, feature: str) -> float:
        return self.weights.get(feature, 0.0)


#: MatcherConfig's cached properties, dropped from a copy whose fields an update may change.
_DERIVED = ("list_thresholds", "feature_weights", "sorted_weights")
