"""Evidence balance (issue 19): another passport of the same kind, another full birthday."""

from __future__ import annotations

import math
from typing import Any

import pytest

from agents.matching import MatcherConfig, build_index, search
from agents.matching.features import Context, other_birth_date, other_document_number
from agents.matching.features.name import OTHER_NAME_BITS
from agents.matching.prepared import prepare_person
from bench.evalset.generate import AT
from schemas import Person, WatchlistEntry

CONFIG = MatcherConfig()
CTX = Context(CONFIG)


def person(dob: str | None = None, number: str | None = None, country: str = "VNM", kind: str = "P",
           year_range: tuple[int, int] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"full_name": "Nguyen Van Hung", "sex": "M", "nationality": "VNM"}
    if dob:
        out["date_of_birth"] = dob
    if year_range:
        out["birth_year_range"] = year_range
    if number:
        out["documents"] = [{"type": kind, "number": number, "issuing_country": country}]
    return out


def P(**kw: Any) -> Any:
    return prepare_person(Person(**person(**kw)))


def test_another_number_of_the_same_kind_counts_against_when_no_date_supports_the_person() -> None:
    traveller = P(dob="1980-03-14", number="C1234567")
    for listed in (P(number="C7654321"), P(dob="1975-08-02", number="C7654321"),
                   P(year_range=(1990, 1995), number="C7654321")):
        result = other_document_number(traveller, listed, CTX)
        assert result is not None and result.score == -1.0


@pytest.mark.parametrize("listed", [
    {"dob": "1980-03-14", "number": "C7654321"},  # renewed passport, same birthday
    {"dob": "1980", "number": "C7654321"},  # the year agrees
    {"year_range": (1978, 1982), "number": "C7654321"},  # inside the estimated range
    {"number": "C1234567"},  # the same passport
    {"number": "C1234568"},  # one mistyped digit: not another passport
    {"number": "C7654321", "country": "THA"},  # another country's passport: not comparable
    {"number": "C7654321", "kind": "ID"},  # an identity card: not comparable
    {},  # no document on the list
])
def test_another_number_does_not_count_when_the_passport_could_be_the_same_person(listed: dict[str, Any]) -> None:
    assert other_document_number(P(dob="1980-03-14", number="C1234567"), P(**listed), CTX) is None


def test_another_full_birthday_rules_out_unless_a_document_agrees() -> None:
    traveller = P(dob="1980-03-14", number="C1234567")
    result = other_birth_date(traveller, P(dob="1985-11-02"), CTX)
    assert result is not None and result.score == -1.0
    assert other_birth_date(traveller, P(dob="1980-03-25"), CTX) is not None  # another day, same month
    assert other_birth_date(traveller, P(dob="1985-11-02", number="C1234567"), CTX) is None  # same passport
    assert other_birth_date(traveller, P(dob="1985-11-02", number="CI234567"), CTX) is None  # OCR look-alike
    assert other_birth_date(traveller, P(dob="1985-11-02", number="C1234568"), CTX) is not None  # a typo only


@pytest.mark.parametrize(("seen", "listed"), [
    ("1980-03-04", "1980-03-04"),  # the same day
    ("1980-03-04", "1980-04-03"),  # day and month swapped
    ("1980-03-14", "1980-03-11"),  # one mistyped digit
    ("1980-03-14", "1981-03-14"),  # a year off by one
    ("1980-03-14", "1980"),  # partial dates: the date feature weighs them
    ("1980-03-14", "1986-05"),
])
def test_dates_that_could_be_the_same_birthday_are_left_to_the_date_feature(seen: str, listed: str) -> None:
    assert other_birth_date(P(dob=seen), P(dob=listed), CTX) is None


def _screen(listed: dict[str, Any], traveller: dict[str, Any], config: MatcherConfig = CONFIG) -> list[Any]:
    entries = [WatchlistEntry(entry_id=f"e-{name}", list=name, person=Person(**listed), source_country="VNM",
                              source_agency="MPS", case_ref="C-1")
               for name in ("suspect", "missing_person", "suspected_victim")]
    index = build_index(entries, config)
    return search(index, Person(**traveller), config, at=AT)


def test_a_namesake_with_another_passport_does_not_alert_on_a_list_without_date_of_birth() -> None:
    assert _screen(person(number="C7654321"), person(dob="1980-03-14", number="C1234567")) == []
    assert _screen(person(dob="1980", number="C7654321"), person(dob="1975-03-14", number="C1234567")) == []


def test_the_listed_person_on_a_renewed_passport_still_alerts() -> None:
    found = _screen(person(dob="1980-03-14", number="C7654321"), person(dob="1980-03-14", number="C1234567"))
    assert {m.entry.list for m in found} == {"suspect", "missing_person", "suspected_victim"}


@pytest.mark.parametrize("thresholds", [None, {"suspect": 0.3, "missing_person": 0.2, "suspected_victim": 0.1}])
def test_another_full_birthday_stays_below_every_threshold(thresholds: dict[str, float] | None) -> None:
    config = CONFIG if thresholds is None else CONFIG.model_copy(update={"thresholds": thresholds})
    listed = person(dob="1985-11-02", number="C1234568")  # the traveller's number with one typo
    assert _screen(listed, person(dob="1980-03-14", number="C1234567"), config) == []
    same_passport = person(dob="1985-11-02", number="C1234567")
    assert _screen(same_passport, person(dob="1980-03-14", number="C1234567"), config) != []


def _named(full_name: str, *, dob: str | None = None, sex: str = "M", nationality: str = "CHN",
           year_range: tuple[int, int] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"full_name": full_name, "sex": sex, "nationality": nationality}
    if dob:
        out["date_of_birth"] = dob
    if year_range:
        out["birth_year_range"] = year_range
    return out


def test_a_name_that_only_resembles_a_name_only_entry_does_not_alert() -> None:
    # Two different given names sharing a family name: nothing but the names to go on.
    listed = _named("Bui Bao Thanh", nationality="VNM")
    assert _screen(listed, _named("Bui Bao Tuan", dob="1992-07-04", nationality="VNM")) == []
    # The same name on the same entry does (a rare name, no population model here).
    assert _screen(listed, _named("Bui Bao Thanh", dob="1992-07-04", nationality="VNM")) != []


def test_a_resembling_name_still_alerts_when_the_full_date_of_birth_agrees() -> None:
    found = _screen(_named("Bui Bao Thanh", dob="1992-07-04", nationality="VNM"),
                    _named("Bui Bao Tuan", dob="1992-07-04", nationality="VNM"))
    assert found != []


def test_a_typo_in_the_travellers_name_still_meets_an_entry_with_an_age_window() -> None:
    # One keystroke (Bunn -> Bumn), a token no entry carries: a misspelling, not another name.
    listed = _named("Sophiak Bunn", nationality="KHM", year_range=(1983, 1987))
    assert _screen(listed, _named("Sophiak Bumn", dob="1985-02-11", nationality="KHM")) != []


def test_a_name_alone_does_not_stand_against_another_recorded_sex() -> None:
    assert _screen(_named("Li Songmin", sex="F"), _named("Li Songmin", dob="1957-03-27", sex="M")) == []
    same_day = _named("Li Songmin", dob="1957-03-27", sex="F")
    assert _screen(same_day, _named("Li Songmin", dob="1957-03-27", sex="M")) != []  # the date corroborates


def test_a_name_written_in_another_script_keeps_its_resemblance() -> None:
    # Listed in Thai, seen with the passport's own spelling: no romanizer spells it that way exactly.
    listed = _named("ทักษิณ ชินวัตร", nationality="THA", year_range=(1947, 1951))
    assert _screen(listed, _named("Thaksin Shinawatra", dob="1949-07-26", nationality="THA")) != []


def test_another_given_name_under_a_common_family_name_is_another_person() -> None:
    # Nguyen and Thi are shared by many entries: agreeing on them says little, while Hue and Thao
    # disagree as much as any two given names. Born the same day, they are still two women.
    givens = ["Lan", "Mai", "Hoa", "Huong", "Nga", "Linh", "Trang", "Ha", "Thu", "Hang", "Phuong", "Anh", "Ngoc",
              "Yen", "Dung", "Van"] * 40
    namesakes = [_vietnamese_entry(f"n-{i}", f"Nguyen Thi {given}", f"19{60 + i % 30}-0{1 + i % 9}-1{i % 9}")
                 for i, given in enumerate(givens)]
    index = build_index([*namesakes, _vietnamese_entry("listed", "Nguyen Thi Thao", "1990-05-05")], CONFIG)

    def alerts(full_name: str) -> list[str]:
        traveller = Person(**_named(full_name, dob="1990-05-05", sex="F", nationality="VNM"))
        return [m.entry.entry_id for m in search(index, traveller, CONFIG, at=AT)]

    assert "listed" not in alerts("Nguyen Thi Hue")
    assert "listed" in alerts("Nguyen Thi Thoa")  # two letters swapped: the same name mistyped


def _vietnamese_entry(entry_id: str, full_name: str, dob: str) -> WatchlistEntry:
    return WatchlistEntry(entry_id=entry_id, list="suspect", source_country="VNM", source_agency="MPS", case_ref="C-1",
                          person=Person(**_named(full_name, dob=dob, sex="F", nationality="VNM")))


def _bits_context(entries: int, bits: dict[str, float]) -> Context:
    """A context as on a list of `entries` entries where each name token (its count key) carries `bits`."""
    from agents.matching.scripts.phonetic import count_key
    known = {count_key(token): b for token, b in bits.items()}
    return Context(CONFIG, token_bits=lambda s: known.get(s, 20.0), population_bits=math.log2(entries))


def _score(traveller: dict[str, Any], listed: dict[str, Any], ctx: Context) -> float:
    from agents.matching.scorer import score_pair
    result = score_pair(prepare_person(Person(**traveller)), prepare_person(Person(**listed)), ctx,
                        list_name="missing_person")
    assert result is not None
    return result[0]


def test_a_date_that_only_nearly_agrees_does_not_carry_a_common_name_on_a_long_list() -> None:
    common = {"nguyen": 3.0, "van": 2.5, "hung": 5.0}  # about one entry in 1,000 is a Nguyen Van Hung
    traveller = _named("Nguyen Van Hung", dob="1980-03-11", nationality="VNM")
    swapped = _named("Nguyen Van Hung", dob="1980-11-03", nationality="VNM")
    threshold = CONFIG.threshold("missing_person")
    # Day and month swapped: on a list of a million, a namesake is likelier than the listed man.
    assert _score(traveller, swapped, _bits_context(1_000_000, common)) < threshold
    # The same name and the same birthday still alert there,
    assert _score(traveller, {**swapped, "date_of_birth": "1980-03-11"}, _bits_context(1_000_000, common)) >= threshold
    # and a rarer name with the swapped date too.
    rare = {"nguyen": 3.0, "van": 2.5, "hung": 16.0}
    assert _score(traveller, swapped, _bits_context(1_000_000, rare)) >= threshold


def test_only_the_name_tokens_that_agree_count_as_evidence() -> None:
    from agents.matching.features.name import name_bits
    ctx = _bits_context(100_000, {"weijia": 12.0, "gui": 9.0, "cao": 8.0})
    assert name_bits("weijia gui", "weijia gui", ctx) == pytest.approx(21.0)
    # Gui and Cao say nothing for the match, and another family name counts against (OTHER_NAME_BITS),
    assert name_bits("weijia gui", "weijia cao", ctx) == pytest.approx(12.0 - OTHER_NAME_BITS)
    # unless the two may be one woman before and after marriage (NAMES_CHANGED_AT_MARRIAGE).
    assert name_bits("weijia gui", "weijia cao", ctx, names_kept=False) == pytest.approx(12.0)
    # Romanized here from another script: the tokens that agree as a reading and a spelling do.
    assert name_bits("weijia gui", "weijia cao", ctx, spelled=False) == pytest.approx(12.0)
    assert name_bits("weijia gui", "weijia gui", ctx, spelled=False) == pytest.approx(21.0)


def test_a_listed_word_the_passport_splits_counts_as_the_travellers_tokens() -> None:
    from agents.matching.features.name import name_bits
    # ສຸວັນນະພູມາ is one Lao word; the passport splits it into given name and surname.
    ctx = _bits_context(100_000, {"souvanna": 12.0, "phouma": 14.0, "souvannaphouma": 16.6})
    assert name_bits("souvanna phouma", "souvannaphouma", ctx, spelled=False) == pytest.approx(26.0)
    # the other way round (the traveller's name joined), the less informative name still counts,
    assert name_bits("souvannaphouma", "souvanna phouma", ctx, spelled=False) == pytest.approx(16.6)
    # and a split whose letters differ is not the listed word split.
    assert name_bits("souvanna phoumi", "souvannaphouma", ctx, spelled=False) == pytest.approx(16.6)


def test_a_split_listed_word_alone_can_alert_and_the_bound_allows_it() -> None:
    from agents.matching.features.name import name_bits_bound
    ctx = _bits_context(100_000, {"souvanna": 12.0, "phouma": 14.0, "souvannaphouma": 16.6})
    traveller = _named("Souvanna Phouma", dob="1901-10-07", nationality="LAO")
    listed = _named("ສຸວັນນະພູມາ", nationality="LAO")
    assert name_bits_bound(prepare_person(Person(**traveller)), prepare_person(Person(**listed)), ctx) >= 26.0
    assert _score(traveller, listed, ctx) >= CONFIG.threshold("missing_person")
    # a one-word name on both sides stays one token: alone, it cannot single out one entry
    assert _score(_named("Souvannaphouma", dob="1901-10-07", nationality="LAO"), listed, ctx) < CONFIG.threshold(
        "missing_person")


def test_a_name_alone_is_held_to_the_travellers_count_of_the_tokens_that_agree() -> None:
    from dataclasses import replace

    from agents.matching.features.name import name_bits
    travellers = {"weibing": 30.0, "weibing ning": 0.0, "weibing ying": 0.0}  # per 100,000
    ctx = replace(_bits_context(100_000, {"weibing": 18.0, "ning": 8.0, "ying": 8.0}),
                  commonness=lambda text: travellers.get(text, 0.0))
    # Weibing Ning and Weibing Ying are each unseen, but they share only Weibing, which is common.
    assert name_bits("weibing ning", "weibing ying", ctx, alone=True) == -math.inf
    assert name_bits("weibing ning", "weibing ning", ctx, alone=True) == pytest.approx(26.0)
    # With a date of birth that agrees, the tokens that agree count at their rarity on the list.
    assert 18.0 <= name_bits("weibing ning", "weibing ying", ctx) < 26.0


def test_another_passport_number_counts_against_a_partial_date() -> None:
    ctx = _bits_context(100_000, {"nguyen": 6.0, "van": 5.0, "hung": 7.0})
    listed = {**_named("Nguyen Van Hung", dob="1980", nationality="VNM")}
    traveller = _named("Nguyen Van Hung", dob="1980-03-14", nationality="VNM")
    plain = _score(traveller, listed, ctx)
    doc = [{"type": "P", "number": "C7654321", "issuing_country": "VNM"}]
    other = _score({**traveller, "documents": [{**doc[0], "number": "C1234567"}]}, {**listed, "documents": doc}, ctx)
    assert other < plain


def test_a_whole_other_syllable_is_another_name() -> None:
    from agents.matching.features.name import another_syllable
    assert another_syllable("haopeng", "haiping")  # hao/hai, peng/ping: other characters
    assert another_syllable("chunpeng", "junping")
    assert another_syllable("xuan", "quang")  # Vietnamese: another word
    assert another_syllable("anh", "hanh")
    assert another_syllable("qiu", "zhao")  # another family
    assert another_syllable("trong", "trung")  # Vietnamese words: Wade-Giles ung for ong is no rule of theirs
    # The same character in another romanization, or one sound spelled otherwise, is one name.
    assert not another_syllable("zhen", "chen")  # Wade-Giles
    assert not another_syllable("yijing", "yiching")
    assert not another_syllable("wang", "wong")  # Cantonese (Wong is no Mandarin syllable)
    assert not another_syllable("mo", "moe")
    assert not another_syllable("vy", "vi")
    # Not written in syllables that are words of their own: not this rule's to judge.
    assert not another_syllable("yugui", "yugi")  # gi is no Mandarin syllable: a typo
    assert not another_syllable("sirisoontorn", "sirisunthon")
    assert not another_syllable("xiaoming", "xiao")  # not as many syllables


def test_a_near_name_a_whole_syllable_away_counts_nothing() -> None:
    from agents.matching.features.name import _one_slip_apart, another_syllable, name_bits
    from agents.matching.scripts.phonetic import count_key, skeleton
    bits = {"yang": 6.7, "haopeng": 11.0, "haiping": 11.0, "nguyen": 3.5, "dat": 9.3, "xuan": 5.9, "quang": 8.6,
            "thi": 3.7, "nga": 9.1, "na": 8.4}
    # Known by their count keys and, as the index knows every token, by their skeletons (`unknown_token`).
    known = {skeleton(token): b for token, b in bits.items()} | {count_key(token): b for token, b in bits.items()}
    ctx = Context(CONFIG, token_bits=lambda s: known.get(s, 20.0), population_bits=math.log2(100_000))
    # Haopeng and Haiping read alike, but share only Yang: another person called Yang.
    assert name_bits("haopeng yang", "haiping yang", ctx) == pytest.approx(6.7 - OTHER_NAME_BITS)
    assert name_bits("xuan dat nguyen", "quang dat nguyen", ctx) == pytest.approx(12.8 - OTHER_NAME_BITS)
    # One slip of the keyboard can land on another syllable (Nga typed Na): still read as a misspelling.
    assert name_bits("thi na nguyen", "thi nga nguyen", ctx) > 7.2
    # A traveller token nobody on the list carries (20 bits here) is a typo, not another name.
    assert name_bits("haopenq yang", "haiping yang", ctx) > 6.7
    # The same in the Wade-Giles forms the matcher compares as well (Xuan / Quang written Hsuan / Chuang),
    assert another_syllable("hsuan", "chuang")
    # where one slip in the pinyin shows as more letters: Jiebin typed Jebin is Chiehpin / Chopin.
    assert another_syllable("chopin", "chiehpin") and _one_slip_apart("chopin", "chiehpin")
    # Two Latin names written in other syllables (Thai, Lao...) keep the resemblance they have.
    assert name_bits("kundet bunawonrano", "kantnit bunawonrano", ctx) > 20.0


def _neighbour_context(listed_with: dict[str, int], of_nationality: int = 20_000) -> Context:
    """A context as on a list of 100,000 entries whose name tokens carry `bits` below, and where
    `listed_with[token]` of the traveller's `of_nationality` compatriots on the list carry a token."""
    from agents.matching.scripts.phonetic import count_key, skeleton
    bits = {"nguyen": 3.5, "thi": 3.7, "thu": 6.3, "thuy": 7.4, "lan": 8.5, "loan": 9.2, "chan": 6.5, "lwin": 7.0}
    known = {skeleton(token): b for token, b in bits.items()} | {count_key(token): b for token, b in bits.items()}
    return Context(CONFIG, token_bits=lambda s: known.get(s, 20.0), population_bits=math.log2(100_000),
                   token_entries=lambda token: (listed_with.get(token, 0), of_nationality))


def test_a_common_name_one_letter_from_the_listed_one_is_another_name() -> None:
    from agents.matching.features.name import name_bits
    common = {"thi": 8000, "nguyen": 8000, "thu": 1200, "thuy": 600, "lan": 270, "loan": 170}
    ctx = _neighbour_context(common)
    # Thu and Thuy, Lan and Loan: one letter apart, each a name many Vietnamese women carry.
    assert name_bits("thi thu nguyen", "thi thuy nguyen", ctx) == pytest.approx(7.2)  # Thi Nguyen only
    assert name_bits("thi lan nguyen", "thi loan nguyen", ctx) == pytest.approx(7.2)
    # A spelling few of the traveller's compatriots carry is read as a misspelling of the listed name,
    assert name_bits("thi thu nguyen", "thi thuy nguyen", _neighbour_context({**common, "thu": 2})) > 7.2
    assert name_bits("thi thuv nguyen", "thi thuy nguyen", ctx) > 7.2
    # and so is any spelling when the index cannot say who carries it.
    assert name_bits("thi thu nguyen", "thi thuy nguyen", _bits_context(100_000, {"thi": 3.7, "nguyen": 3.5,
                                                                                  "thu": 6.3})) > 7.2


def test_a_common_spelling_of_the_same_sounds_is_not_another_name() -> None:
    from agents.matching.features.name import name_bits, neighbouring_name
    ctx = _neighbour_context({"chanh": 400, "chan": 1000, "kheen": 300, "khin": 900, "win": 700, "lwin": 800})
    assert not neighbouring_name("chanh", "chan", ctx)  # h after a vowel, silent
    assert not neighbouring_name("kheen", "khin", ctx)  # a long i written doubled
    assert neighbouring_name("win", "lwin", ctx)  # another Burmese name
    assert name_bits("lwin chanh", "lwin chan", ctx) > 7.0


def test_with_a_date_a_name_is_held_to_the_travellers_count_of_what_is_left_of_it() -> None:
    from dataclasses import replace

    from agents.matching.features.name import name_bits
    travellers = {"chan naing": 40.0}  # per 100,000; the full names are not counted
    ctx = replace(_bits_context(1_000_000, {"chan": 6.0, "naing": 7.0, "kaung": 8.0, "htun": 8.0}),
                  commonness=lambda text: travellers.get(text, 0.0))
    # Chan Naing Kaung and the listed Chan Naing Htun share Chan Naing, one traveller in 2,500; Kaung
    # and Htun are two names, which counts against.
    assert name_bits("chan naing kaung", "chan naing htun", ctx) == pytest.approx(
        math.log2(100_000 / 40.0) - OTHER_NAME_BITS)
    # A misspelt token still belongs to the name: Kaumg for Kaung keeps the rare full name.
    assert name_bits("chan naing kaumg", "chan naing kaung", ctx) > 13.0


def test_another_given_name_on_the_same_birthday_is_another_person() -> None:
    # Ngoc Trinh and Ngoc Uyen Nguyen, born the same day: two women, not one name misspelt. With what
    # the two names share (Ngoc, Nguyen) and the birthday, a namesake would be as likely as not.
    ctx = _bits_context(100_000, {"ngoc": 6.0, "nguyen": 2.0, "trinh": 7.0, "uyen": 7.0})
    traveller = _named("Ngoc Trinh Nguyen", dob="1975-12-29", nationality="VNM")
    listed = _named("Ngoc Uyen Nguyen", dob="1975-12-29", nationality="VNM")
    threshold = CONFIG.threshold("missing_person")
    assert _score(traveller, listed, ctx) < threshold
    # Where women take their husband's family name (Thai, Lao), a differing name is not held against,
    assert _score({**traveller, "nationality": "THA"}, {**listed, "nationality": "THA"}, ctx) >= threshold
    # the listed name itself still alerts,
    assert _score(traveller, traveller, ctx) >= threshold
    # and so does one slip of the keyboard (Trinh typed Trnh) that lands on no listed name.
    assert _score(_named("Ngoc Trnh Nguyen", dob="1975-12-29", nationality="VNM"),
                  traveller, ctx) >= threshold


def test_another_family_name_is_not_held_against_a_woman_who_may_have_married() -> None:
    from agents.matching.features.name import name_bits
    ctx = _bits_context(100_000, {"malee": 12.0, "jaidee": 9.0, "srisuk": 9.0})
    # Thai and Lao women usually take their husband's family name: Malee Jaidee may be Malee Srisuk now.
    assert name_bits("malee jaidee", "malee srisuk", ctx, names_kept=False) == pytest.approx(12.0)
    # Names of unequal length are not judged token by token: a part of one may be a part of the other.
    assert name_bits("chun wah sham", "chunhua shum", ctx) == name_bits("chun wah sham", "chunhua shum", ctx,
                                                                         names_kept=False)


def test_a_token_unlike_every_reading_of_a_name_in_another_script_is_another_name() -> None:
    # Listed in Thai script as พิมพ์นภา จันทสิทธิ์ (Phimnapha Chanthasit), born in 1982. A traveller named
    # Phimnapha born that year shares a given name many women carry; the family name, which alone makes
    # a Thai name rare, is not hers.
    from agents.matching.scorer import score_pair

    ctx = _bits_context(100_000, {"phimnapha": 11.0, "opnithisundis": 16.6, "chanthasit": 16.6, "chanthsit": 16.6})
    listed = prepare_person(Person(**_named("พิมพ์นภา จันทสิทธิ์", dob="1982", sex="F", nationality="THA")))
    threshold = CONFIG.threshold("suspected_victim")

    def score(full_name: str) -> float:
        traveller = prepare_person(Person(**_named(full_name, dob="1982-04-24", sex="F", nationality="THA")))
        result = score_pair(traveller, listed, ctx, list_name="suspected_victim")
        return 0.0 if result is None else result[0]

    assert score("Phimnapha Opnithisundis") < threshold
    # Her own name, however her passport spells it, still alerts.
    assert score("Phimnapha Chanthasit") >= threshold
    assert score("Pimnapa Jantasit") >= threshold
