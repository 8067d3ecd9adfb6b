"""Normalization and romanization: each script of the region to the Latin forms passports use."""

from __future__ import annotations

from agents.matching.names import name_forms
from agents.matching.scripts.burmese import romanize_burmese
from agents.matching.scripts.khmer import romanize_khmer
from agents.matching.scripts.lao import romanize_lao
from agents.matching.scripts.normalize import doc_number, doc_number_ocr, fold_latin, icao_variant
from agents.matching.scripts.phonetic import consonants, skeleton
from agents.matching.scripts.romanize import romanize_name, script_of


def forms(name: str) -> set[tuple[str, ...]]:
    return {f.tokens for f in name_forms(name)}


def test_vietnamese_diacritics_fold() -> None:
    assert fold_latin("Nguyễn Văn Đức") == "nguyen van duc"
    assert romanize_name("TRẦN Thị Hương") == (("tran", "thi", "huong"),)


def test_icao_umlaut_variants() -> None:
    assert icao_variant("Müller") == "mueller"
    assert set(romanize_name("Lü Müller")) == {("lu", "muller"), ("lue", "mueller")}


def test_mrz_name_fillers() -> None:
    assert romanize_name("NGUYEN<<VAN<AN") == (("nguyen", "van", "an"),)
    assert romanize_name("SOMCHAI<SRISUK<<<<<<") == (("somchai", "srisuk"),)


def test_hanzi_to_pinyin_family_name_first() -> None:
    variants = romanize_name("王小明")
    assert variants[0] == ("wang", "xiaoming")
    assert ("wang", "hsiaoming") in variants  # Wade-Giles


def test_hanzi_compound_surname_and_traditional() -> None:
    assert romanize_name("欧阳娜娜")[0] == ("ouyang", "nana")
    assert romanize_name("陳大文")[0] == ("chen", "dawen")


def test_thai_script_romanized_rtgs() -> None:
    assert ("somchai", "srisuk") in romanize_name("สมชาย ศรีสุข")


def test_thai_title_dropped() -> None:
    assert ("somchai", "srisuk") in romanize_name("นายสมชาย ศรีสุข")


def test_burmese_syllables_conventional_spelling() -> None:
    assert romanize_burmese("မောင်မောင်ဝင်း") == ("maung", "maung", "win")
    assert romanize_burmese("ဒေါ်ခင်မြင့်") == ("daw", "khin", "myint")
    assert romanize_burmese("အောင်ဆန်းစုကြည်") == ("aung", "hsan", "su", "kyi")
    assert romanize_burmese("ငြိမ်း") == ("nyein",)  # nga + medial ra is the palatal ny


def test_burmese_honorific_optional() -> None:
    result = forms("ဦးအောင်ကျော်")
    assert ("u", "aung", "kyaw") in result
    assert ("aung", "kyaw") in result
    assert ("aung", "kyaw") in forms("U Aung Kyaw")
    assert ("maung", "thant", "zin") in forms("Mg Thant Zin")


def test_lao_script() -> None:
    assert romanize_lao("ສົມພອນ") == "somphon"
    assert romanize_lao("ພອນສະຫວັນ") == "phonsavan"
    assert romanize_lao("ເພັດ") == "phet"


def test_lao_yo_and_ua_as_passports_write_them() -> None:
    assert romanize_lao("ສຸລິຍາ") == "souliya"  # initial ຍ: y, not ny
    assert romanize_lao("ບຸນຍະວົງ") == "bounyavong"
    assert romanize_lao("ນ້ອຍ") == "noy"  # final ຍ unchanged
    assert romanize_lao("ບົວລະພາ") == "boualapha"  # the vowel ົວ, not o + final o
    assert romanize_lao("ດວງສະຫວັນ") == "douangsavan"  # ວ between consonants: oua, like ou


def test_khmer_script() -> None:
    assert romanize_khmer("សុខ")[0] == "sok"
    assert romanize_khmer("ចាន់") == ("chan", "chann")  # and the French-colonial doubled final n
    assert romanize_khmer("សុផល") == ("sophal",)
    assert "dara" in romanize_khmer("ដារា")


def test_script_detection() -> None:
    assert [script_of(w) for w in ("王", "สม", "ສົມ", "សុខ", "မောင်", "Nguyễn")] == [
        "han",
        "thai",
        "lao",
        "khmer",
        "myanmar",
        "latin",
    ]


def test_phonetic_skeleton_absorbs_family_spellings() -> None:
    assert skeleton("srisuk") == skeleton("srisook") == skeleton("sri" + "suk")
    assert skeleton("chen") == skeleton("chan")
    assert skeleton("zhang") == skeleton("cheung") == skeleton("chang")
    assert skeleton("wichai") == skeleton("vichai")
    assert skeleton("htun") == skeleton("tun")
    assert consonants("thanaphon") == consonants("tanapon") == consonants("thonphon")


def test_phonetic_skeleton_edge_cases() -> None:
    # Pinned from the original regex implementation (vowel-run passes, finals, repeats, initial y).
    expected = {
        "aww": ("a", ""), "awww": ("aw", ""), "yawe": ("yawa", ""), "thane": ("tan", "tn"),
        "nguyenthanh": ("ngantan", "ngntn"), "kamol": ("kaman", "kmn"), "sawad": ("sawat", "st"),
        "yad": ("yat", "t"), "quynh": ("kwan", "kn"), "tschang": ("cang", "cng"), "hsu": ("sa", "s"),
        "xiaoyu": ("sa", "s"), "ye": ("ya", ""), "bbaabb": ("bab", "b"), "vwv": ("w", ""),
    }  # fmt: skip
    assert {t: (skeleton(t), consonants(t)) for t in expected} == expected


def test_spacing_variants_same_tokens_or_joined() -> None:
    assert romanize_name("Xiao-Ming")[0] == ("xiao", "ming")
    assert ("hsiao", "ming") in romanize_name("Xiao-Ming")  # pinyin also read as Wade-Giles
    assert romanize_name("Sri-suk") == (("sri", "suk"),)


def test_document_numbers() -> None:
    assert doc_number(" c-123 4567 ") == "C1234567"
    assert doc_number_ocr("CO1234S67") == doc_number_ocr("C0I23456 7")


def test_shipped_han_readings_table_is_derived_from_the_dictionaries() -> None:
    import json

    from agents.matching.scripts.chinese import READINGS_FILE, build_readings

    assert json.loads(READINGS_FILE.read_text(encoding="utf-8")) == build_readings()


def test_khmer_series_shifters_and_compound_vowels() -> None:
    from agents.matching.scripts.khmer import romanize_khmer

    assert romanize_khmer("ប៊ុន")[0] == "bun"  # triisap: ប read as second series
    assert "sreimum" in romanize_khmer("ស្រីមុំ")  # ុំ is one rhyme, not "u" + "um"
    assert romanize_khmer("កាំ") == ("kam",)


def test_burmese_vowel_initial_i_is_written_ei() -> None:
    from agents.matching.scripts.burmese import romanize_burmese

    assert romanize_burmese("အိအိ") == ("ei", "ei")
    assert romanize_burmese("သီ") == ("thi",)  # with a consonant the rhyme stays i


def test_pinyin_is_read_as_wade_giles_only_when_the_whole_name_is_pinyin() -> None:
    # A Chinese name in pinyin gets its Wade-Giles reading (lists compiled abroad spell it so),
    assert ("kueiying", "tung") in romanize_name("Guiying Dong")
    # but a Vietnamese name is not Chinese because one of its words parses as a pinyin shape:
    # Doan is no Chinese syllable to respell as Toan, a Vietnamese given name of its own.
    assert romanize_name("Van Dung Doan") == (("van", "dung", "doan"),)
    assert romanize_name("Diệu Diễm Nguyễn") == (("dieu", "diem", "nguyen"),)
