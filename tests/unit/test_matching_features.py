"""Each feature pinned on small cases."""

from __future__ import annotations

from typing import Any

from agents.matching import MatcherConfig
from agents.matching.features import (
    Context,
    date_of_birth,
    name_similarity,
    nationality,
    sex,
    token_similarity,
    travel_document,
)
from agents.matching.features.dates import _digit_typo
from agents.matching.prepared import prepare_person
from agents.matching.scorer import FEATURES, explanation
from schemas import Document, Person

CTX = Context(MatcherConfig())


def P(**kw: Any) -> Any:
    return prepare_person(Person(**kw))


def name_score(a: dict[str, Any], b: dict[str, Any]) -> float:
    result = name_similarity(P(**a), P(**b), CTX)
    assert result is not None
    return result.score


def test_every_feature_explains_itself() -> None:
    for _name, func in FEATURES:
        assert len(explanation(func)) > 20


def test_name_vietnamese_diacritics_and_order() -> None:
    assert name_score({"full_name": "Nguyễn Văn An"}, {"given_names": "Van An", "surname": "NGUYEN"}) == 1.0


def test_name_hanzi_vs_pinyin_order_swapped() -> None:
    assert name_score({"full_name": "王小明"}, {"full_name": "Xiaoming Wang"}) == 1.0
    assert name_score({"full_name": "王小明"}, {"full_name": "Xiao-Ming WANG"}) == 1.0
    assert name_score({"full_name": "王小明"}, {"full_name": "Xiao Ming Wang"}) == 1.0


def test_name_thai_script_vs_passport_spelling() -> None:
    assert name_score({"full_name": "สมชาย ศรีสุข"}, {"full_name": "SOMCHAI SRISOOK"}) > 0.7


def test_name_khmer_lao_burmese_scripts_vs_romanization() -> None:
    assert name_score({"full_name": "ដារា សុខ"}, {"full_name": "Sok Dara"}) > 0.9
    assert name_score({"full_name": "ສົມພອນ"}, {"full_name": "Somphone"}) > 0.7
    assert name_score({"full_name": "မောင်မောင်ဝင်း"}, {"full_name": "Maung Maung Win"}) == 1.0


def test_name_burmese_honorific() -> None:
    assert name_score({"full_name": "U Aung Kyaw"}, {"full_name": "Aung Kyaw"}) == 1.0
    assert name_score({"full_name": "Daw Khin Myint"}, {"full_name": "ဒေါ်ခင်မြင့်"}) == 1.0


def test_name_mrz_style() -> None:
    assert name_score({"full_name": "NGUYEN<<VAN<AN"}, {"full_name": "Nguyễn Văn An"}) == 1.0


def test_name_mrz_truncation_and_initials() -> None:
    assert name_score({"full_name": "SOMCHAI<<SRISUKWATTANAKU"}, {"full_name": "Somchai Srisukwattanakul"}) > 0.8
    assert name_score({"full_name": "Z. Liu"}, {"full_name": "Zhiming Liu"}) > 0.3


def test_name_different_names_score_low() -> None:
    assert name_score({"full_name": "Nguyen Van An"}, {"full_name": "Tran Thi Binh"}) == 0.0
    assert name_score({"full_name": "Wenhua Li"}, {"full_name": "Wenhua Liu"}) < 0.85


def test_token_similarity_short_syllables_strict() -> None:
    assert token_similarity("li", "liu") < token_similarity("srisuk", "srisook")


def test_a_one_syllable_name_is_not_a_name_two_syllables_longer() -> None:
    # Jaro-Winkler found every letter of Soth, in order, in Somethy (សុទ្ធ / សុមេធី: two Khmer names)
    assert token_similarity("soth", "somethy") <= 0.75
    assert token_similarity("phon", "phonsavanh") >= 0.9  # a truncation keeps its similarity
    assert token_similarity("sok", "sokha") <= 0.75  # one syllable apart: unchanged (short-token rule)
    assert token_similarity("sone", "son") > 0.9  # the same syllable respelled


def test_a_final_stop_spelled_otherwise_is_the_same_token() -> None:
    # Lao, Thai and Khmer final stops are unreleased: t, th and d (k/kh/g, p/ph/b) spell one sound
    assert token_similarity("sommad", "sommat") >= 0.96
    assert token_similarity("lengsavad", "lengsavath") >= 0.96
    assert token_similarity("chab", "chap") >= 0.96
    assert token_similarity("sommad", "sommak") < 0.95  # another stop is another name
    assert token_similarity("bard", "bart") < 0.95  # only a stop right after a vowel


def test_the_same_consonants_and_vowel_sounds_in_other_letters_are_a_respelling() -> None:
    # ໄຊ is written say, xay or xai; ໄຊຍະ saya or xaiya: the same sounds syllable by syllable
    assert token_similarity("phosay", "phoxai") >= 0.94
    assert token_similarity("sayasone", "xaiyason") >= 0.94
    # another vowel in a syllable is another name (ຄຳສີ / ຄຳໄຊ), however alike the skeletons
    assert token_similarity("khamsy", "khamxay") < 0.94


def test_dob_exact_partial_swap_year_off() -> None:
    def dob(a: str, b: str) -> float:
        result = date_of_birth(P(full_name="x", date_of_birth=a), P(full_name="x", date_of_birth=b), CTX)
        assert result is not None
        return result.score

    assert dob("1990-05-17", "1990-05-17") == 1.0
    assert dob("1990-05-17", "1990-05") > 0.5
    assert dob("1990-05-17", "1990") > 0.3
    assert dob("1990-03-04", "1990-04-03") > 0.5  # day/month swap
    assert dob("1991-05-17", "1990-05-17") > 0.5  # year off by one keeps the match
    assert dob("1975-01-01", "1990-05-17") == -1.0


def test_a_mistyped_digit_is_read_off_as_the_two_formatted_digits_are() -> None:
    def formatted(a: int, b: int) -> bool:  # the rule as first written, on the two-digit strings
        x, y = f"{a:02d}", f"{b:02d}"
        return (x[0] == y[0]) != (x[1] == y[1]) or (x[0] == y[1] and x[1] == y[0])

    values = [*range(-3, 0), *range(0, 100), 100, 101, 110, 123]
    for a in values:
        for b in values:
            assert _digit_typo(a, b) == formatted(a, b), (a, b)
    assert not _digit_typo(None, 5) and not _digit_typo(5, None)


def test_dob_estimated_range_of_victim() -> None:
    inside = date_of_birth(
        P(full_name="x", date_of_birth="2004-02-02"), P(full_name="x", birth_year_range=(2002, 2006)), CTX
    )
    outside = date_of_birth(
        P(full_name="x", date_of_birth="1980-02-02"), P(full_name="x", birth_year_range=(2002, 2006)), CTX
    )
    assert inside is not None and inside.score > 0
    assert outside is not None and outside.score < 0


def D(number: str, country: str = "VNM", kind: str = "P") -> dict[str, Any]:
    return {"type": kind, "number": number, "issuing_country": country}


def test_document_exact_and_ocr_damaged() -> None:
    a = P(full_name="x", documents=[D("C1234567")])
    exact = travel_document(a, P(full_name="y", documents=[D("c 123-4567")]), CTX)
    ocr = travel_document(a, P(full_name="y", documents=[D("CI234S67")]), CTX)
    assert exact is not None and exact.score == 1.0
    assert ocr is not None and 0.8 < ocr.score < 1.0


def test_document_inspected_document_counts() -> None:
    query = prepare_person(Person(full_name="x"), Document(**D("C1234567")))
    result = travel_document(query, P(full_name="y", documents=[D("C1234567")]), CTX)
    assert result is not None and result.score == 1.0


def test_document_different_number_same_type_and_country_is_against() -> None:
    result = travel_document(
        P(full_name="x", documents=[D("C1234567")]), P(full_name="x", documents=[D("C7654321")]), CTX
    )
    assert result is not None and result.score < 0


def test_document_other_country_not_compared() -> None:
    result = travel_document(
        P(full_name="x", documents=[D("C1234567", "THA")]), P(full_name="x", documents=[D("C1234567")]), CTX
    )
    assert result is None


def test_sex_and_nationality() -> None:
    s = sex(P(full_name="x", sex="F"), P(full_name="x", sex="M"), CTX)
    n = nationality(P(full_name="x", nationality="LAO"), P(full_name="x", nationality="LAO"), CTX)
    assert s is not None and s.score == -1.0
    assert n is not None and n.score > 0
    assert sex(P(full_name="x"), P(full_name="x", sex="M"), CTX) is None


def test_one_syllable_given_names_with_other_vowels_are_not_near_identical() -> None:
    assert token_similarity("thang", "tung") < 0.85
    assert token_similarity("loan", "linh") < 0.85
    assert token_similarity("srisuk", "srisook") >= 0.9  # several syllables: still a spelling variant
    assert token_similarity("thanaphon", "tanapon") >= 0.9


def test_full_dates_beyond_swap_or_typo_count_fully_against() -> None:
    def dob(a: str, b: str) -> float:
        result = date_of_birth(P(full_name="A B", date_of_birth=a), P(full_name="A B", date_of_birth=b), CTX)
        assert result is not None
        return result.score

    assert dob("1991-06-04", "1991-11-16") == -1.0
    assert dob("1974-10-06", "1974-10-21") == -1.0
    assert dob("1974-10-06", "1974-10-03") > 0  # one mistyped day digit
    assert dob("1991-06-04", "1991-04-06") > 0  # day and month swapped
    assert dob("1991-06-04", "1992-06-04") > 0  # year off by one


def test_mandarin_and_cantonese_spellings_of_the_same_characters() -> None:
    from agents.matching.scripts.chinese import same_characters

    assert same_characters("wenhua", "manwah")  # 文华: pinyin / Hong Kong
    assert same_characters("qiang", "keung")  # 强
    assert same_characters("kuochiang", "kwokkeung")  # 国强: Wade-Giles / Hong Kong
    assert same_characters("lyu", "lui")  # 吕: passport "yu" for ü
    assert not same_characters("yao", "yang")  # no stray one-letter syllables inside a token
    assert not same_characters("somchai", "somchai")  # not Chinese syllables
    assert token_similarity("xiao", "siu") >= 0.88
    assert token_similarity("wang", "lam") < 0.5
    score = name_score({"full_name": "Wenhua Xiao"}, {"full_name": "Man Wah Siu"})
    assert score > 0.7


def test_two_names_share_characters_exactly_when_some_pair_of_their_tokens_does() -> None:
    from itertools import combinations

    from agents.matching.scripts.chinese import same_characters, share_characters

    tokens = ["wenhua", "manwah", "qiang", "keung", "kuochiang", "kwokkeung", "lyu", "lui", "yao", "yang",
              "somchai", "tuan", "toan", "xiao", "siu", "wang", "lam", "nguyen", "thi", "x", ""]
    for size in (0, 1, 2):
        for ours in combinations(tokens, size):
            for theirs in combinations(tokens, 2):
                expected = any(same_characters(a, b) for a in ours for b in theirs)
                assert share_characters(ours, theirs) == expected, (ours, theirs)
    assert share_characters(["wenhua", "xiao"], ["man", "wah", "siu"])


def test_quick_gate_lets_through_a_name_split_otherwise_and_reversed() -> None:
    from agents.matching.features.name import QUICK_GATE, quick_name_similarity

    assert quick_name_similarity(P(full_name="Pheap Sreimom"), P(full_name="Srey Mom Pheab")) >= QUICK_GATE
    assert quick_name_similarity(P(full_name="Nguyen Van An"), P(full_name="Tran Thi Binh")) < QUICK_GATE
    # given names written as two words, the family name last, against the family name first and the given names joined
    assert quick_name_similarity(P(given_names="KIM HOURN", surname="KAO"), P(full_name="Kao Kimhuon")) >= QUICK_GATE


def test_same_vowel_sound_spelled_otherwise() -> None:
    from agents.matching.features.name import vowel_sound
    from agents.matching.scripts.phonetic import skeleton

    assert skeleton("thane") == skeleton("thein") == "tan"  # silent final e
    assert vowel_sound("thane") == vowel_sound("thein")
    assert token_similarity("thane", "thein") >= 0.9
    assert token_similarity("srei", "srey") >= 0.9
    assert token_similarity("boun", "bun") >= 0.9
    assert token_similarity("thang", "tung") < 0.85  # other vowel sounds stay apart
    assert token_similarity("linh", "loan") < 0.85


def test_one_syllable_chinese_token_is_not_split_in_two() -> None:
    from agents.matching.scripts.chinese import same_characters

    assert not same_characters("tuan", "toan")  # Tuan is one syllable; To-an would need two


def test_short_syllables_spelling_one_vowel_sound_otherwise() -> None:
    assert token_similarity("mo", "moe") >= 0.85  # Burmese oe / o
    assert token_similarity("zaw", "zow") >= 0.85  # Burmese aw / ow
    assert token_similarity("tu", "thu") < 0.85  # Vietnamese Tu / Thu: same vowel letters, not raised


def _ctx_knowing(*names: str) -> Context:
    """A context whose index carries exactly the tokens of `names` (10 bits single out one entry)."""
    from agents.matching.scripts.phonetic import count_key, skeleton

    tokens = [t for name in names for t in name.lower().split()]
    known = {skeleton(t) for t in tokens} | {count_key(t) for t in tokens}
    return Context(MatcherConfig(), token_bits=lambda s: 1.0 if s in known else 12.0, population_bits=10.0)


def test_one_typo_apart() -> None:
    from agents.matching.features.name import one_typo_apart

    assert one_typo_apart("lx", "li")  # a letter replaced
    assert one_typo_apart("bunn", "bun")  # a letter doubled
    assert one_typo_apart("mixay", "mxay")  # a letter dropped
    assert one_typo_apart("sopheak", "sophaek")  # two letters swapped
    assert not one_typo_apart("kim", "khin")  # two edits
    assert not one_typo_apart("li", "li")


def test_typo_in_a_token_nobody_on_the_list_carries() -> None:
    ctx = _ctx_knowing("Li Pan", "Lu Pan", "Chan Wai", "Chan Way")

    def score(a: str, b: str, context: Context) -> float:
        result = name_similarity(P(full_name=a), P(full_name=b), context)
        assert result is not None
        return result.score

    # "Lx" and "Wax" are nobody's name: one typo away from the listed token, they count as it.
    assert score("Lx Pan", "Li Pan", ctx) > score("Lx Pan", "Li Pan", CTX) + 0.1
    assert score("Chan Wax", "Chan Wai", ctx) > score("Chan Wax", "Chan Wai", CTX) + 0.1
    # A token someone on the list is called is a name of its own, not a typo: nothing raised.
    assert score("Lu Pan", "Li Pan", ctx) == score("Lu Pan", "Li Pan", CTX)
    # Two typos away is not one typo.
    assert score("Chan Wxx", "Chan Wai", ctx) == score("Chan Wxx", "Chan Wai", CTX)
    # Without an index nothing is known to be unknown.
    assert score("Lx Pan", "Li Pan", CTX) < 0.6


def test_quick_gate_lets_through_a_candidate_born_on_the_same_day() -> None:
    from agents.matching.features.name import QUICK_GATE, quick_name_similarity

    mandarin, cantonese = {"full_name": "Wenhua Xiao"}, {"full_name": "Man Wah Siu"}
    assert quick_name_similarity(P(**mandarin), P(**cantonese)) < QUICK_GATE  # the letters differ too much
    same_day = {"date_of_birth": "2003-07-20"}
    assert quick_name_similarity(P(**mandarin, **same_day), P(**cantonese, **same_day)) >= QUICK_GATE
    other_day = {"date_of_birth": "2003-07-21"}
    assert quick_name_similarity(P(**mandarin, **same_day), P(**cantonese, **other_day)) < QUICK_GATE
    year_only = {"date_of_birth": "2003"}
    assert quick_name_similarity(P(**mandarin, **year_only), P(**cantonese, **year_only)) < QUICK_GATE


def test_a_mistyped_birthday_digit_says_what_it_is_worth() -> None:
    """Bits = log2(P(this agreement | the same person) / P(it | someone else)). About one record in a
    hundred of the same person carries a mistyped digit; about ten days of a month (or months of a year)
    are one digit from a given one, so someone else agrees that way ten times as often as on the very
    day (one in some 20,000)."""
    import math

    from agents.matching.features.dates import compare_dates, date_bits

    worth = math.log2(0.01 / (10 / 20_000))
    typo = date_bits(compare_dates((1974, 10, 6), (1974, 10, 3)))
    assert 0 < typo <= worth + 0.5
    assert typo < date_bits(compare_dates((1974, 10, 6), (1974, 10, 6))) - 8  # far less than the very day


def test_one_name_in_two_accepted_spellings_agrees_as_the_same_letters() -> None:
    from agents.matching.features.name import AGREE_FULL

    # Burmese conventional spellings: open e as ay / ei / e / ae, open o as oe / o, a silent final r or h,
    # aing written ine, and English-style doubled long vowels.
    for a, b in [("kheen", "khin"), ("htay", "htei"), ("shway", "shwe"), ("pyay", "pyae"), ("aye", "ei"),
                 ("moe", "mo"), ("mar", "ma"), ("thidar", "thida"), ("myah", "mya"), ("khine", "khaing"),
                 ("soo", "su"), ("srisook", "srisuk")]:  # fmt: skip
        assert token_similarity(a, b) >= AGREE_FULL, (a, b)
    # Chinese and Vietnamese syllables that differ by such a vowel are other characters, other words.
    for a, b in [("mei", "me"), ("tay", "te"), ("lei", "lay")]:
        assert token_similarity(a, b) < AGREE_FULL, (a, b)
    assert token_similarity("kyaw", "kyi") < 0.85  # another vowel is another name


def test_a_respelled_burmese_name_with_its_birthday_counts_as_many_bits_as_the_name() -> None:
    from agents.matching.features.name import name_bits

    ctx = Context(MatcherConfig(), token_bits=lambda s: 8.0, population_bits=10.0)
    exact = name_bits("khin wai", "khin wai", ctx)
    assert name_bits("kheen wai", "khin wai", ctx) == exact
    assert name_bits("thu mar", "thu ma", ctx) == exact
    assert name_bits("kyaw wai", "khin wai", ctx) < exact
