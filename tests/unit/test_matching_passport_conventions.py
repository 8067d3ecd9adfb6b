"""Passport conventions of Khmer and Burmese names that the romanizers produce as alternatives."""

from __future__ import annotations

from agents.matching.scripts.burmese import romanize_burmese
from agents.matching.scripts.khmer import romanize_khmer


def test_khmer_ba_with_musikatoan_or_in_a_cluster_is_p() -> None:
    assert romanize_khmer("ប៉ា")[0] == "pa"
    assert romanize_khmer("ប្រសិទ្ធ")[0].startswith("pr")


def test_khmer_plain_spellings_write_inherent_vowels_a_and_nt_as_nd() -> None:
    assert romanize_khmer("វណ្ណារិន")[:2] == ("vonarin", "vonnarin")  # passport, then French series-aware
    assert "vannarin" in romanize_khmer("វណ្ណារិន")
    assert "chenda" in romanize_khmer("ចិន្តា")


def test_burmese_vowel_initial_e_is_aye_and_the_title_bo() -> None:
    assert romanize_burmese("အေးဗိုလ်") == ("aye", "bo")
    assert romanize_burmese("မောင်မောင်ဝင်း") == ("maung", "maung", "win")  # unchanged


def test_burmese_gyi_and_the_other_spellings_of_some_rhymes() -> None:
    from agents.matching.scripts.burmese import passport_spelling
    from agents.matching.scripts.romanize import romanize_word

    assert romanize_burmese("အောင်ကြီး") == ("aung", "gyi")  # ကြီး in names
    assert romanize_burmese("ကြည်") == ("kyi",)  # another syllable keeps ky
    assert passport_spelling(("saing", "hsaing", "ne", "mo", "aung")) == ("sai", "hsai", "nay", "moe", "aung")
    assert romanize_word("နေဝင်း") == (("ne", "win"), ("nay", "win"))
    assert romanize_word("ဝေဖြိုးအောင်")[-1] == ("wai", "hpyoe", "aung")  # ဝေ is written Wai
    assert romanize_burmese("ပြည့်ဖြိုး") == ("pyae", "hpyo")  # ည့် is written ae, ည် i
    assert romanize_burmese("ကြည်ဝင်း") == ("kyi", "win")
    assert romanize_burmese("မျိုးညွန့်") == ("myo", "nyunt")  # a creaky nasal rhyme takes a t, as Myint


def test_khmer_samyok_sannya_silent_final_subscript_and_final_o_as_or() -> None:
    assert romanize_khmer("ច័ន្ទ") == ("chan",)  # ័ is a vowel; the subscript closing the word is silent
    assert romanize_khmer("រ័ត្ន")[0].startswith("r")  # ័ keeps រ an initial, not the final of a syllable before
    assert "hor" in romanize_khmer("ហោ")  # a final ោ written English-style


def test_lao_initial_nyo_is_also_spelled_nh() -> None:
    from agents.matching.scripts.lao import romanize_lao_spellings

    assert romanize_lao_spellings("ບຸນຍັງ") == ("bounyang", "bounnhang")
    assert romanize_lao_spellings("ສົມພອນ") == ("somphon",)  # nothing to respell


def test_lao_sara_ae_is_written_e_as_lao_names_are_spelled() -> None:
    from agents.matching.scripts.lao import romanize_lao

    assert romanize_lao("ແກ້ວ") == "keo"  # Somkeo, Mounkeo, Keobounphanh
    assert romanize_lao("ແສງ") == "seng"  # Sengaphone, Sengmani
    assert _sim("KEO", "VIPHAKONE", "ແກ້ວ ວິພາກອນ") > _sim("KAEO", "VIPHAKONE", "ແກ້ວ ວິພາກອນ")


def test_khmer_passport_spelling_drops_the_silent_last_vowel_of_pali_words() -> None:
    assert "sambath" in romanize_khmer("សម្បត្តិ")  # doubled letter once, final ិ silent, final t as th
    assert "socheathvong" in romanize_khmer("សុជាតិវង្ស")  # also before the next word of a compound
    assert "ronarith" in romanize_khmer("រណឬទ្ធិ")  # ឬ keeps the vowel of the consonant before it
    assert "piseth" in romanize_khmer("ពិសិដ្ឋ")  # a pronounced ិ stays


def test_khmer_a_consonant_before_a_closing_subscript_opens_a_syllable() -> None:
    # វត្ថិ: វ is an initial (va), ត្ថ closes its syllable; it was read as a final before the cluster
    assert romanize_khmer("សុវត្ថិ")[0].startswith("sovot")
    assert romanize_khmer("សុជាតិវង្ស")[0].endswith("vong")  # ង្ស closes វ's syllable
    assert "sophallet" in romanize_khmer("សុផល្លែត")  # a doubled subscript too


def test_khmer_plain_and_passport_vowels() -> None:
    assert "kem" in romanize_khmer("កឹម")  # ឹ: Koem in French spelling, Kem in passports
    assert {"keo", "khieu"} <= {*romanize_khmer("កែវ"), *romanize_khmer("ខៀវ")}  # a final វ after a vowel
    assert romanize_khmer("តាំង") == ("taing", "tang")  # ាំង is one rhyme, not am + ng
    assert "pheakdey" in romanize_khmer("ភក្តី")  # subscript ត spoken d; a second-series a before k is ea
    assert "sar" in romanize_khmer("ស")  # a lone consonant written English-style
    assert romanize_khmer("សុខ")[0] == "sok"  # one syllable: its vowel spellings follow (Ouk, Ok)
    assert romanize_khmer("ឆន") == ("chhan", "chhon")  # a bare closed syllable's a is also written o
    assert romanize_khmer("ច័ន្ទ") == ("chan",)  # not when a vowel sign writes it


def test_lao_initial_lo_is_also_written_r_as_before_the_spelling_reform() -> None:
    from agents.matching.scripts.lao import romanize_lao_spellings

    assert romanize_lao_spellings("ລັດຕະນະວົງ") == ("lattanavong", "rattanavong")
    assert romanize_lao_spellings("ສົມພອນ") == ("somphon",)  # no ລ: nothing to respell


def test_lao_etymological_finals_are_also_spelled_with_the_initial_lo_kept_l() -> None:
    from agents.matching.scripts.lao import romanize_lao_spellings

    # a family keeps the old ending (ກຸລ -coul) whatever it did with the initial ລ
    assert romanize_lao_spellings("ລຳພຸທທະກຸລ") == ("lamphoutthakoun", "ramphoutthakoul", "lamphoutthakoul")
    assert romanize_lao_spellings("ວິເສສ") == ("vises", "viseth")  # no initial ລ: one etymological spelling


def test_a_doubled_lao_aspirate_closes_its_syllable_as_the_plain_stop() -> None:
    from agents.matching.scripts.lao import romanize_lao

    assert romanize_lao("ພຸທທະ") == "phouttha"  # as Vatthana, never "phouththa"
    assert romanize_lao("ວັດທະນາ") == "vatthana"
    assert romanize_lao("ກຸປຣະສິທທິ໌") == "kouprasith"  # a final th before nothing stays th


def test_lao_unrounded_back_vowels_are_written_eu_as_in_lao_passports() -> None:
    from agents.matching.scripts.lao import romanize_lao

    assert romanize_lao("ສະເຫຼີມໄຊ") == "saleumxai"  # ເີ: eu, not the Thai oe
    assert romanize_lao("ເມືອງ") == "meuang"  # ເືອ: eua
    assert romanize_lao("ຄືນ") == "kheun"  # ື: eu


def _sim(latin_given: str, latin_surname: str, native: str) -> float:
    """The name similarity of a passport spelling (given names, surname) and the native-script name."""
    from agents.matching.config import MatcherConfig
    from agents.matching.features.base import Context
    from agents.matching.features.name import best_name_pair
    from agents.matching.prepared import prepare_person
    from schemas import Person

    q = prepare_person(Person(given_names=latin_given, surname=latin_surname))
    c = prepare_person(Person(full_name=native))
    best = best_name_pair(q, c, Context(MatcherConfig()))
    assert best is not None
    return best[0]


def test_a_khmer_passport_spelling_meets_the_native_name() -> None:
    # the same name in the series-aware French spelling and in the passport one
    assert _sim("SOKHA", "KEM", "កឹម សុខា") == 1.0
    assert _sim("SAMBATH", "KEO", "កែវ សម្បត្តិ") == 1.0


def test_a_one_syllable_khmer_word_gets_the_other_spellings_of_its_vowel() -> None:
    from agents.matching.names import name_forms

    assert {"kem", "kim", "koem", "keum"} <= set(romanize_khmer("កឹម"))
    assert {"chhuon", "chhoun"} <= set(romanize_khmer("ឈួន"))
    # several syllables: no vowel respellings (passport, French, plain and etymological spellings only)
    assert romanize_khmer("សម្បត្តិ") == ("sambath", "sambatte", "sambatti", "sambatt")
    # a two-word name crosses the short word's spellings with the long word's first
    forms = {form.text for form in name_forms("កឹម សុខា")}
    assert {"kem sokha", "kim sokha", "koem sokha"} <= forms


def test_khmer_passport_spelling_writes_a_word_final_i_as_y() -> None:
    # ី closing a word: ey after a first-series consonant, y after a second-series one; French keeps i
    assert {"srey", "srei"} <= set(romanize_khmer("ស្រី"))
    assert "pisey" in romanize_khmer("ពិសី")
    assert {"sothy", "many", "sodary"} <= {*romanize_khmer("សុធី"), *romanize_khmer("ម៉ានី"), *romanize_khmer("សុដារី")}
    assert "sreimum" in romanize_khmer("ស្រីមុំ")  # not within a word


def test_khmer_passport_spelling_writes_a_first_series_o_as_o() -> None:
    assert "sophea" in romanize_khmer("សោភា")
    assert "saophea" in romanize_khmer("សោភា")  # the French spelling stays


def test_khmer_one_syllable_words_get_the_spellings_of_long_u() -> None:
    assert {"sout", "soth", "sot", "suth", "sauth"} <= set(romanize_khmer("សូត"))
    assert {"oun", "aun", "on", "un"} <= set(romanize_khmer("អូន"))


def test_khmer_a_word_of_several_syllables_is_spelled_first_as_passports_write_it() -> None:
    from agents.matching.names import name_forms

    assert romanize_khmer("សុដារី")[0] == "sodary"
    assert romanize_khmer("ជា")[0] == "chea"  # one syllable: the French series-aware spelling first
    # the family name's vowel spellings are crossed with the given name's passport spelling first
    assert "sauth sodary" in {form.text for form in name_forms("សូត សុដារី")}


def test_khmer_passport_spelling_writes_i_ending_a_first_series_syllable_within_a_word_ey() -> None:
    assert "seyha" in romanize_khmer("សីហា")
    assert "sreymoum" in romanize_khmer("ស្រីមុំ")
    assert "sim" in romanize_khmer("ស៊ីម")  # ី before a final stays i
    assert not any(spelling.startswith("vy") for spelling in romanize_khmer("វីរៈ"))  # second series: i stays


def test_khmer_passport_spelling_of_a_doubled_t_within_a_word_and_of_independent_vowels() -> None:
    assert "oudam" in romanize_khmer("ឧត្តម")  # ត្ត is one d, ឧ is ou
    assert "ek" in romanize_khmer("ឯក")
    assert "chet" in romanize_khmer("ចិត្ត")  # closing the word, the subscript stays silent


def test_khmer_one_syllable_words_get_the_spellings_of_short_u() -> None:
    assert {"uk", "ok", "ouk"} <= set(romanize_khmer("អ៊ុក"))
    assert {"hun", "hon"} <= set(romanize_khmer("ហ៊ុន"))


def test_khmer_a_subscript_closing_a_word_in_a_compound_is_silent_before_a_shifted_consonant() -> None:
    assert "chanra" in romanize_khmer("ច័ន្ទរ៉ា")


def test_khmer_etymological_spelling_of_royal_and_pali_names() -> None:
    # letters by their Sanskrit values (ទ d, ធ dh), a letter and its aspirate written as the aspirate,
    # inherent vowels a and the silent last vowel dropped: the spellings of royal and colonial-era names
    assert "ranaridh" in romanize_khmer("រណឬទ្ធិ")  # Ranariddh
    assert "prasidh" in romanize_khmer("ប្រសិទ្ធ")  # Prasidh
    assert "sisovath" in romanize_khmer("ស៊ីសុវត្ថិ")  # Sisowath
    # a doubled letter closing a word is written twice (Vann, Molyvann); a nasal before a stop is not
    assert "vann" in romanize_khmer("វណ្ណ")
    assert "molivann" in romanize_khmer("ម៉ូលីវណ្ណ")
    assert romanize_khmer("ច័ន្ទ") == ("chan",)


def test_khmer_one_syllable_words_get_french_colonial_spellings() -> None:
    assert "sann" in romanize_khmer("សាន")  # a final n after a written vowel doubled (Sann, Penn)
    assert "penn" in romanize_khmer("ប៉ែន")
    assert romanize_khmer("ឆន") == ("chhan", "chhon")  # not without a vowel sign
    assert "son" in romanize_khmer("សឺន")  # ឺ written o
    # bantoc shortens a second-series inherent o to uo (Yuon), not a first-series a
    assert "yuon" in romanize_khmer("យន់")
    assert "chhuon" in romanize_khmer("ឈន់")
    assert not any("uo" in text for text in romanize_khmer("ចក់"))
    # a final open a of the first series with an English-style r, as a lone consonant (ស Sar)
    assert "var" in romanize_khmer("វ៉ា")
    assert not any(text.endswith("r") for text in romanize_khmer("ជា"))  # a second-series ea keeps none


def test_french_colonial_spellings_meet_the_native_name() -> None:
    assert _sim("VAR", "SIM", "ស៊ឹម វ៉ា") == 1.0
    assert _sim("YUON", "HOU", "ហ៊ូ យន់") == 1.0
    assert _sim("SANN", "SON", "សឺន សាន") == 1.0
    assert _sim("MOLYVANN", "VANN", "វណ្ណ ម៉ូលីវណ្ណ") > 0.95
    assert _sim("RANARIDDH", "NORODOM", "នរោត្តម រណឬទ្ធិ") > 0.92


def test_khmer_retroflex_d_and_dh_close_a_syllable_as_t() -> None:
    # ឌ and ឍ of Pali/Sanskrit words are final t like the other dental stops (វឌ្ឍនា Vathana, Vatthana)
    assert "vatthana" in romanize_khmer("វឌ្ឍនា")
    assert romanize_khmer("វឌ្ឍនា")[0].startswith("voth")
    # a final t before ch is written tch, not thch (វឌ្ឍឆាយាវង្ស Watchayavong)
    assert romanize_khmer("វឌ្ឍឆាយាវង្ស")[0] == "votchhayeavong"


def test_khmer_french_spellings_of_first_series_long_o_and_of_the_palatal_stop() -> None:
    # French and DC-Cam spellings write a first-series ូ au (តូច Tauch, អូឡារាំង Aularong), a second-series one ou
    assert "tauch" in romanize_khmer("តូច")
    assert "aulareang" in romanize_khmer("អូឡារាំង")
    assert "bou" in romanize_khmer("ប៊ូ")
    # colonial documents wrote ច/ជ before a back vowel ti (ជូឡុង Tioulong), never before others
    assert "tioulong" in romanize_khmer("ជូឡុង")
    assert not any(text.startswith("ti") for text in romanize_khmer("ជា"))
    assert not any(text.startswith("ti") for text in romanize_khmer("ឈួន"))


def test_french_palatal_and_tch_spellings_meet_the_native_name() -> None:
    assert _sim("TIOULONG", "NHIEK", "ញឹក ជូឡុង") > 0.95
    assert _sim("WATCHAYAVONG", "SISOWATH", "ស៊ីសុវត្ថិ វឌ្ឍឆាយាវង្ស") > 0.9


def test_a_doubled_final_consonant_is_nearly_the_same_token() -> None:
    from agents.matching.features.name import token_similarity

    # French-colonial spellings double a final nasal so that it is not read as a nasal vowel (Sann, Mumm)
    assert token_similarity("mumm", "mum") >= 0.95
    assert token_similarity("sann", "san") >= 0.95
    assert token_similarity("ann", "an") < 0.9  # two letters say too little to be sure
    assert _sim("MUMM", "THIOUNN", "ជួន មុំ") > 0.92


def test_khmer_a_spoken_final_short_u_gets_the_french_glottal_k() -> None:
    assert "sihanouk" in romanize_khmer("សីហនុ")
    assert not any(text.endswith("k") for text in romanize_khmer("វត្ថុ"))  # a silent last vowel gets none
    assert _sim("SIHANOUK", "NORODOM", "នរោត្តម សីហនុ") > 0.95


def test_khmer_a_silent_final_r_is_written_in_the_letter_by_letter_spelling() -> None:
    assert "bour" in romanize_khmer("បួរ")
    assert "sar" in romanize_khmer("សារ")
    assert romanize_khmer("សារ")[0] == "sa"  # the spoken spelling stays first


def test_khmer_final_b_by_its_letter_and_the_ay_of_ai() -> None:
    assert "chab" in romanize_khmer("ចាប")  # ប closing a word written by its letter (Chab)
    assert "nay" in romanize_khmer("ណៃ")  # ៃ written ay in a one-syllable word (Kong Nay, Chhay)


def test_khmer_toandakheat_silences_the_letter_under_it() -> None:
    assert "roth" in romanize_khmer("រតន៍")  # ន under ៍ is not spoken: ត closes the word
    assert "muniroth" in romanize_khmer("មុនីរតន៍")
    assert "ker" in romanize_khmer("កេរ្តិ៍")  # the subscript and vowel under it go too


def test_khmer_a_subscript_under_the_final_leaves_one_syllable_its_vowel_spellings() -> None:
    assert "buth" in romanize_khmer("បុត្រ")  # ត្រ closes the word: one final, the silent រ under it
    assert "peich" in romanize_khmer("ពេជ្រ")


def test_khmer_a_silent_subscript_under_the_final_shortens_a_second_series_vowel_as_bantoc_does() -> None:
    # យន្ត: the subscript ត under the final is not spoken and the vowel is short, as under bantoc (យន់
    # Yuon): French spellings write it uo, English ones u (Yun)
    assert {"yuon", "yun"} <= set(romanize_khmer("យន្ត"))
    assert "yun" in romanize_khmer("យន់")
    # not a first-series inherent a (ចន្ទ Chan), nor a syllable with neither bantoc nor subscript (កន)
    assert not any("u" in text for text in romanize_khmer("ចន្ទ"))
    assert not any("u" in text for text in romanize_khmer("កន"))


def test_khmer_a_nasal_over_a_liquid_is_spoken_with_a_vowel_between() -> None:
    assert "malih" in romanize_khmer("ម្លិះ")  # ម្ល: a minor syllable, written ma (Malis)
    assert romanize_khmer("ម្លិះ")[0] == "mlih"  # the letter-by-letter spelling stays first
    # clusters opened by a consonant that is no nasal keep their letters together (Srey, Prak)
    assert not any(text.startswith("sa") for text in romanize_khmer("ស្រី"))
    assert not any(text.startswith("pa") for text in romanize_khmer("ប្រាក់"))


def test_short_vowel_and_minor_syllable_spellings_meet_the_native_name() -> None:
    assert _sim("MIN", "YUN", "យន្ត មីន") == 1.0
    assert _sim("MALIS", "TUM", "ទុំ ម្លិះ") >= 0.9
