"""Screening end to end on a small index: alerts, non-alerts, expiry, upserts and removals."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from agents.matching import (
    MATCHER_VERSION,
    FeatureScore,
    Match,
    MatcherConfig,
    WatchlistIndex,
    build_index,
    candidates,
    search,
)
from schemas import Document, Person, WatchlistEntry
from tests import factories

AT = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
CONFIG = MatcherConfig()


def entry(entry_id: str, lst: str = "suspect", valid_until: datetime | None = None, **person: Any) -> WatchlistEntry:
    return factories.entry(entry_id, person, list=lst, source_country="VNM", source_agency="MPS", case_ref="C-1",
                           priority="medium", valid_until=valid_until)


def passport(number: str, country: str = "VNM") -> dict[str, str]:
    return {"type": "P", "number": number, "issuing_country": country}


@pytest.fixture()
def index() -> WatchlistIndex:
    return build_index(
        [
            entry(
                "vn-an",
                full_name="Nguyễn Văn An",
                date_of_birth="1990-05-17",
                sex="M",
                nationality="VNM",
                documents=[passport("C1234567")],
            ),
            entry(
                "cn-wang",
                "missing_person",
                full_name="王小明",
                date_of_birth="2005-03-02",
                sex="M",
                nationality="CHN",
            ),
            entry(
                "th-somchai",
                "suspected_victim",
                full_name="สมชาย ศรีสุข",
                birth_year_range=(2000, 2006),
                nationality="THA",
            ),
            entry("mm-aung", full_name="ဦးအောင်ကျော်", date_of_birth="1980-02-01", nationality="MMR"),
            entry(
                "kh-dara",
                "missing_person",
                full_name="ដារា សុខ",
                date_of_birth="2001-07-07",
                nationality="KHM",
            ),
            entry(
                "la-somphon",
                "suspected_victim",
                full_name="ສົມພອນ ພົມມະວົງ",
                date_of_birth="1999-01-10",
                nationality="LAO",
            ),
        ],
        CONFIG,
    )


def ids(matches: list[Match]) -> list[str]:
    return [m.entry.entry_id for m in matches]


def test_api_surface(index: WatchlistIndex) -> None:
    assert MATCHER_VERSION.startswith("bw-match-")
    assert CONFIG.thresholds["suspect"] > CONFIG.thresholds["missing_person"]
    assert CONFIG.thresholds["suspect"] > CONFIG.thresholds["suspected_victim"]
    assert len(index) == 6
    assert index.counts_by_list() == {"suspect": 2, "missing_person": 2, "suspected_victim": 2}
    assert index.get("vn-an") is not None and index.get("nope") is None


def test_mrz_name_with_year_off_by_one_alerts(index: WatchlistIndex) -> None:
    matches = search(index, Person(full_name="NGUYEN<<VAN<AN", date_of_birth="1991-05-17"), CONFIG, at=AT)
    assert ids(matches) == ["vn-an"]
    reasons = {f.name: f for f in matches[0].features}
    assert isinstance(reasons["name"], FeatureScore)
    assert reasons["name"].candidate == "nguyen van an"
    assert reasons["date_of_birth"].query == "1991-05-17"
    assert reasons["name"].explanation


def test_hanzi_entry_pinyin_traveller_day_month_swapped(index: WatchlistIndex) -> None:
    matches = search(index, Person(given_names="Xiaoming", surname="WANG", date_of_birth="2005-02-03"), CONFIG, at=AT)
    assert ids(matches) == ["cn-wang"]


def test_thai_script_entry_passport_spelling(index: WatchlistIndex) -> None:
    person = Person(given_names="Somchai", surname="Srisook", date_of_birth="2003-04-04", nationality="THA")
    assert ids(search(index, person, CONFIG, at=AT)) == ["th-somchai"]


def test_burmese_honorific_dropped(index: WatchlistIndex) -> None:
    assert ids(search(index, Person(full_name="AUNG KYAW", date_of_birth="1980-02-01"), CONFIG, at=AT)) == ["mm-aung"]


def test_khmer_and_lao_scripts(index: WatchlistIndex) -> None:
    assert ids(search(index, Person(full_name="SOK DARA", date_of_birth="2001-07-07"), CONFIG, at=AT)) == ["kh-dara"]
    person = Person(full_name="Somphone Phommavong", date_of_birth="1999-01-10")
    assert ids(search(index, person, CONFIG, at=AT)) == ["la-somphon"]


def test_namesake_with_other_dob_and_passport_does_not_alert(index: WatchlistIndex) -> None:
    person = Person(full_name="Nguyen Van An", date_of_birth="1975-11-02", documents=[passport("C7654321")])
    assert search(index, person, CONFIG, at=AT) == []


def test_ocr_damaged_passport_with_weak_name_alerts(index: WatchlistIndex) -> None:
    document = Document(**passport("CI234S67"))
    matches = search(index, Person(full_name="Tran B"), CONFIG, at=AT, document=document)
    assert ids(matches) == ["vn-an"]
    assert "vn-an" in candidates(index, Person(full_name="Tran B"), document)


def test_stolen_passport_other_holder_alerts(index: WatchlistIndex) -> None:
    person = Person(full_name="Le Thi Hoa", date_of_birth="2000-01-01", sex="F", documents=[passport("C1234567")])
    assert ids(search(index, person, CONFIG, at=AT)) == ["vn-an"]


def test_expired_entry_excluded(index: WatchlistIndex) -> None:
    index.upsert(
        entry("old", full_name="Pham Minh Tuan", date_of_birth="1985-01-01", valid_until=AT - timedelta(days=1))
    )
    index.upsert(
        entry("new", full_name="Pham Minh Tuan", date_of_birth="1985-01-01", valid_until=AT + timedelta(days=1))
    )
    assert ids(search(index, Person(full_name="Pham Minh Tuan", date_of_birth="1985-01-01"), CONFIG, at=AT)) == ["new"]


def test_upsert_and_remove_change_results(index: WatchlistIndex) -> None:
    person = Person(full_name="Vilay Sengmany", date_of_birth="1981-12-12")
    version = index.version
    assert search(index, person, CONFIG, at=AT) == []
    index.upsert(entry("la-vilay", full_name="Vilay Sengmany", date_of_birth="1981-12-12"))
    assert index.version > version
    assert ids(search(index, person, CONFIG, at=AT)) == ["la-vilay"]
    index.upsert(entry("la-vilay", full_name="Khamla Inthavong", date_of_birth="1970-01-01"))
    assert search(index, person, CONFIG, at=AT) == []
    assert index.remove("la-vilay") is True
    assert index.remove("la-vilay") is False
    assert index.get("la-vilay") is None
    assert len(index) == 6


def test_thresholds_are_configurable(index: WatchlistIndex) -> None:
    strict = MatcherConfig(thresholds={"suspect": 0.99, "missing_person": 0.99, "suspected_victim": 0.99})
    person = Person(full_name="NGUYEN<<VAN<AN", date_of_birth="1991-05-17")
    assert search(index, person, strict, at=AT) == []


def test_common_tokens_still_found_through_pairs() -> None:
    config = MatcherConfig(max_posting=5)
    entries = [
        entry(f"e{i}", full_name=f"Nguyen Van {given}", date_of_birth=f"19{60 + 2 * i}-03-{10 + i}")
        for i, given in enumerate(["An", "Binh", "Cuong", "Dung", "Hai", "Hung", "Khanh", "Long", "Minh", "Nam"])
    ]
    entries += [
        entry(f"t{i}", full_name=f"Tran Van {given}", date_of_birth="1990-01-01")
        for i, given in enumerate(["An", "Binh", "Cuong", "Dung", "Hai", "Hung", "Khanh"])
    ]
    idx = build_index(entries, config)
    assert "e3" in candidates(idx, Person(full_name="Nguyen Van Dung"))
    assert ids(search(idx, Person(full_name="Nguyen Van Dung", date_of_birth="1966-03-13"), config, at=AT)) == ["e3"]
    idx.remove("e3")
    assert search(idx, Person(full_name="Nguyen Van Dung", date_of_birth="1966-03-13"), config, at=AT) == []


def test_importing_matching_does_not_import_kafka_or_faust() -> None:
    code = (
        "import sys, agents.matching\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('faust', 'aiokafka', 'mode')]\n"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_score_exactly_at_threshold_alerts() -> None:
    config = MatcherConfig()
    idx = build_index([entry("ru", full_name="Иван Петров")], config)
    # name only, identical after romanization: weight 0.8 x 1.0 == the suspect threshold 0.80
    assert ids(search(idx, Person(full_name="Ivan Petrov"), config, at=AT)) == ["ru"]


def _namesake_index() -> WatchlistIndex:
    """Many entries sharing the common tokens Nguyen/Van/Thi, plus one rare name."""
    given = ["An", "Binh", "Cuong", "Dung", "Hai", "Hung", "Khanh", "Long", "Minh", "Nam", "Duy", "Bao"]
    entries = [
        entry(f"c{i}", "suspected_victim", full_name=f"Nguyen {mid} {given[i % len(given)]}", sex="M",
              nationality="VNM", date_of_birth=f"{1950 + i % 50}-{1 + i % 12:02d}-{1 + i % 28:02d}")
        for i, mid in enumerate(["Van", "Thi", "Van", "Thi"] * 1500)
    ]  # fmt: skip
    entries.append(entry("c-nodob", "suspected_victim", full_name="Nguyen Van Duy", sex="M", nationality="VNM"))
    entries.append(entry("rare", "suspected_victim", full_name="Sisouphanthong Vilayvanh", sex="M", nationality="LAO"))
    return build_index(entries, CONFIG)


def test_common_name_without_corroboration_does_not_alert_but_rare_name_does() -> None:
    idx = _namesake_index()
    common = Person(full_name="Nguyen Van Duy", sex="M", nationality="VNM", date_of_birth="1977-02-03")
    assert "c-nodob" not in ids(search(idx, common, CONFIG, at=AT))
    rare = Person(full_name="Sisouphanthong Vilayvanh", sex="M", nationality="LAO", date_of_birth="1977-02-03")
    assert ids(search(idx, rare, CONFIG, at=AT)) == ["rare"]


def test_common_name_with_matching_dob_alerts() -> None:
    idx = _namesake_index()
    listed = idx.get("c10")
    assert listed is not None
    person = Person(
        full_name=listed.person.full_name, sex="M", nationality="VNM", date_of_birth=listed.person.date_of_birth
    )
    assert "c10" in ids(search(idx, person, CONFIG, at=AT))


def test_namesake_with_contradicting_full_dob_does_not_alert() -> None:
    idx = build_index(
        [entry("v", "suspected_victim", full_name="Sisouphanthong Vilayvanh", date_of_birth="1991-11-16", sex="M")],
        CONFIG,
    )
    same = Person(full_name="Sisouphanthong Vilayvanh", date_of_birth="1991-11-16", sex="M")
    assert ids(search(idx, same, CONFIG, at=AT)) == ["v"]
    for other in ("1991-06-04", "1992-03-21", "1990-11-03"):
        person = Person(full_name="Sisouphanthong Vilayvanh", date_of_birth=other, sex="M")
        assert search(idx, person, CONFIG, at=AT) == [], other


def _crowded_index(config: MatcherConfig) -> WatchlistIndex:
    """Many entries sharing common tokens, born across 60 years."""
    givens = ["An", "Binh", "Cuong", "Dung", "Hai", "Hung", "Khanh", "Long", "Minh", "Nam", "Phuc", "Quang"]
    return build_index(
        [
            entry(
                f"n{i}",
                full_name=f"Nguyen Van {givens[i % len(givens)]}",
                date_of_birth=f"{1950 + i % 60}-0{1 + i % 9}-1{i % 9}",
            )
            for i in range(600)
        ],
        config,
    )


def test_name_keys_are_read_only_around_the_travellers_birth_year() -> None:
    idx = _crowded_index(MatcherConfig(max_candidates=1000, max_posting=10_000))
    found = candidates(idx, Person(full_name="Nguyen Van Hai", date_of_birth="1980-05-05"))
    years = {int(e.person.date_of_birth[:4]) for e in map(idx.get, found) if e and e.person.date_of_birth}
    assert found and years <= set(range(1978, 1983))
    # without a date of birth every entry with the name is a candidate
    everyone = candidates(idx, Person(full_name="Nguyen Van Hai"))
    assert len(everyone) > len(found) and set(found) <= set(everyone)


def test_entries_of_unknown_birth_year_are_always_candidates() -> None:
    idx = _crowded_index(MatcherConfig(max_candidates=1000, max_posting=10_000))
    idx.upsert(entry("nodob", full_name="Nguyen Van Hai"))
    idx.upsert(entry("range", full_name="Nguyen Van Hai", birth_year_range=(1960, 1964)))
    found = candidates(idx, Person(full_name="Nguyen Van Hai", date_of_birth="1990-05-05"))
    assert {"nodob", "range"} <= set(found)


def test_live_upserts_keep_posting_lists_in_birth_year_order() -> None:
    idx = _crowded_index(MatcherConfig(max_candidates=1000, max_posting=10_000))
    idx.upsert(entry("late", full_name="Nguyen Van Hai", date_of_birth="1981-02-03"))
    idx.upsert(entry("n5", full_name="Nguyen Van Hai", date_of_birth="1981-02-04"))  # moved from 1955
    found = set(candidates(idx, Person(full_name="Nguyen Van Hai", date_of_birth="1981-02-03")))
    assert {"late", "n5"} <= found
    assert "n5" not in candidates(idx, Person(full_name="Nguyen Van Hai", date_of_birth="1955-06-15"))


def test_typo_in_the_only_rare_token_is_found_through_the_birthday() -> None:
    config = MatcherConfig(max_posting=5, max_common_scan=5)  # no scan of the common keys' lists
    idx = _crowded_index(config)
    idx.upsert(entry("tung", full_name="Nguyen Ngoc Tung", date_of_birth="1992-09-20", sex="M"))
    for i in range(8):  # "Nguyen" and "Ngoc" become too common to use alone
        idx.upsert(
            entry(f"ng{i}", full_name=f"Nguyen Ngoc {['Anh', 'Bao', 'Chi', 'Duc', 'Ha', 'Kim', 'Lan', 'Mai'][i]}")
        )
    traveller = Person(full_name="Nguyen Ngoc uTng", date_of_birth="1992-09-20", sex="M")
    assert "tung" in candidates(idx, traveller)
    born_elsewhen = Person(full_name="Nguyen Ngoc uTng", date_of_birth="1993-04-11", sex="M")
    assert "tung" not in candidates(idx, born_elsewhen)


def test_cantonese_spelling_of_a_mandarin_name_born_the_same_day_alerts() -> None:
    idx = build_index(
        [
            entry(
                "hk-siu",
                "missing_person",
                full_name="Man Wah Siu",
                date_of_birth="2003-07-20",
                sex="F",
                nationality="CHN",
            )
        ],
        CONFIG,
    )
    person = Person(full_name="Wenhua Xiao", date_of_birth="2003-07-20", sex="F", nationality="CHN")
    assert [m.entry.entry_id for m in search(idx, person, CONFIG, at=AT)] == ["hk-siu"]


def _postings_by_id(idx: WatchlistIndex) -> dict[str, list[str]]:
    """Each blocking key's entries, by id (slots differ between two indexes of the same entries)."""
    from agents.matching.blocking.postings import slots

    id_of = {slot: entry_id for entry_id, slot in idx._ids.items()}
    return {key: sorted(id_of[s] for s in slots(posting)) for key, posting in idx._postings.items()}


def test_upserts_and_removals_leave_the_postings_a_bulk_build_makes() -> None:
    """One-entry keys hold a bare int, the others an array: growing and shrinking between the two
    forms (a shared passport, a rare name) ends where building the survivors at once does."""
    people = [
        entry("a", full_name="Sokha Chan", date_of_birth="1990-01-02", documents=[passport("N1234567", "KHM")]),
        entry("b", full_name="Sokha Chan", date_of_birth="1990-01-02", documents=[passport("N1234567", "KHM")]),
        entry("c", full_name="Zyxwv Qorpt", date_of_birth="1971-03-04"),
        entry("d", full_name="Dara Chan", date_of_birth="1990-01-02", documents=[passport("K7654321", "KHM")]),
    ]
    churned = build_index([], CONFIG)
    for person in people:
        churned.upsert(person)
    churned.remove("a")  # the shared passport's list falls back to b's bare slot
    churned.remove("c")  # a key of c alone disappears
    churned.upsert(entry("c", full_name="Zyxwv Qorpt", date_of_birth="1971-03-04"))
    survivors = [p for p in people if p.entry_id != "a"]
    assert _postings_by_id(churned) == _postings_by_id(build_index(survivors, CONFIG))
    assert isinstance(churned._postings["dN1234567"], int)  # one entry: its packed int alone
    assert candidates(churned, Person(full_name="X", documents=[passport("N1234567", "KHM")])) == ["b"]
    churned.remove("b")
    assert "dN1234567" not in churned._postings


def test_name_bits_overlap_whenever_two_people_share_a_skeleton() -> None:
    """The birthday fallback skips an entry whose name bits miss the traveller's: that must never
    skip one that shares a skeleton (the bits may overlap without one: then the skeletons decide)."""
    from agents.matching.blocking.keys import name_bits
    from agents.matching.prepared import prepare_person

    names = ["Nguyen Van Anh", "Nguyễn Thị Lan", "Aung San", "Maung Aung Kyaw", "Somchai Jaidee",
             "สมชาย ใจดี", "王小明", "Wang Xiaoming", "Sokha Chan", "ສົມພອນ ແກ້ວ", "Li Wei", "Zyxwv Qorpt"]
    people = [prepare_person(Person(full_name=n)) for n in names]
    shared = 0
    for a in people:
        for b in people:
            skel_a = {sk for f in a.forms for sk in f.skeletons}
            skel_b = {sk for f in b.forms for sk in f.skeletons}
            if skel_a & skel_b:
                shared += 1
                assert name_bits(a.forms) & name_bits(b.forms)
    assert shared > len(people)  # some pairs of different names share one (Nguyen, Aung, Wang...)
    assert name_bits(()) == 0


def test_an_entry_born_the_same_day_is_found_among_many_namesakes_after_a_typo_or_swapped_order() -> None:
    # Hundreds of entries share "Shwe", born around the traveller's year: a swapped order or a typo
    # in the other token leaves the listed person with no more key hits than any of them.
    others = ["Khin", "Mar", "Soe", "Win", "Hla", "Myint", "Aye", "Thida", "Nwe", "Zaw", "Tun", "Lwin"]
    entries = [entry(f"s{i}", "suspect", full_name=f"Shwe {others[i % len(others)]}", sex="M",
                     date_of_birth=f"{1986 + i % 5}-{1 + i % 12:02d}-{1 + i % 27:02d}")
               for i in range(400)]  # fmt: skip
    entries.append(entry("listed", "suspect", full_name="San Shwe", sex="M", date_of_birth="1988-11-28"))
    idx = build_index(entries, CONFIG)
    for seen in ("Shwe San", "Shwe Sanm"):
        person = Person(full_name=seen, sex="M", date_of_birth="1988-11-28")
        assert "listed" in ids(search(idx, person, CONFIG, at=AT)), seen


def test_a_respelled_token_does_not_count_twice_in_the_candidate_ranking() -> None:
    # Many entries called "<given> Bun" share the traveller's token Bun, which the traveller's name also
    # yields as Wade-Giles "pun": counted once, they no longer outrank the one entry that shares the
    # traveller's family name and the joined given name (Bun Chhay / Bunchhay).
    givens = ["Phalla", "Sreymom", "Chanmony", "Vichet", "Bopha", "Maly", "Piseth", "Vuthy", "Sovann", "Sreypov",
              "Pisey", "Lida", "Dara", "Sokha", "Rithy", "Kosal"]
    decoys = [entry(f"bun-{g}", "missing_person", given_names=g, surname="Bun", nationality="KHM") for g in givens]
    target = entry("nhek", "missing_person", full_name="Nhek Bunchhay", nationality="KHM")
    index = build_index([*decoys, target], CONFIG)
    found = candidates(index, Person(given_names="BUN CHHAY", surname="NHEK", nationality="KHM"))
    assert found[0] == "nhek"


def test_a_key_few_entries_carry_outranks_one_many_carry() -> None:
    # Twenty entries share two of the traveller's tokens that twenty people carry, one shares only a token
    # nobody else carries: that one is looked at first, not cut by the twenty
    many = [entry(f"hun-{k}", "missing_person", full_name=f"Hun {g} Sen", nationality="KHM")
            for k, g in enumerate(["Chea", "Many", "Manet", "Mana", "Sokha", "Dara", "Sothy", "Rithy", "Vuthy",
                                   "Pisey", "Bopha", "Maly", "Lida", "Kosal", "Sovann", "Piseth", "Vichet",
                                   "Chanmony", "Sreypov", "Sreymom"])]
    rare = entry("rare", "missing_person", given_names="Narith", surname="Ouknha", nationality="KHM")
    index = build_index([*many, rare], CONFIG)
    found = candidates(index, Person(full_name="HUN SEN OUKNHA", nationality="KHM"))
    assert found[0] == "rare"


def test_an_entry_born_the_same_day_is_looked_at_when_the_traveller_splits_its_joined_given_name() -> None:
    # Chinese given names are written joined or split: the listed Juanrong Ping (Wade-Giles Chuanjung)
    # crosses as Chuan Jung Ping. Each of his syllables alone is common on the list (at a million
    # entries, hundreds born around his year share as many keys as he does), and so is their joined
    # skeleton (Zhenzheng, Chenzhang); among those born that day, it finds him.
    from agents.matching.blocking.postings import slot_of
    from agents.matching.prepared import prepare_person
    from agents.matching.search import _birthdays, _same_birthday

    entries = [entry(f"p{i}", "suspect", given_names=["Jung Chuan", "Chuan Ming", "Jung Hua"][i % 3], surname="Ping",
                     sex="M", nationality="CHN", date_of_birth=f"{1975 + i % 5}-{1 + i % 12:02d}-{1 + i % 27:02d}")
               for i in range(120)]  # fmt: skip
    entries += [entry(f"z{i}", "suspect", given_names=["Zhenzheng", "Chenzhang"][i % 2], surname="Li", sex="M",
                      nationality="CHN", date_of_birth=f"{1960 + i % 30}-0{1 + i % 9}-1{i % 9}")
                for i in range(60)]  # fmt: skip
    entries.append(entry("listed", "suspect", given_names="Juanrong", surname="Ping", sex="M", nationality="CHN",
                         date_of_birth="1977-12-28"))
    idx = build_index(entries, MatcherConfig(max_posting=50))
    person = prepare_person(Person(given_names="Chuan Jung", surname="Ping", sex="M", date_of_birth="1977-12-28"))
    assert all(idx.is_common(sk) for sk in (*person.forms[0].skeletons, "cancang"))
    found = _same_birthday(idx, person, _birthdays(person), rare_only=True)
    assert [slot_of(packed) for packed in found] == [idx._ids["listed"]]


def test_joined_tokens_that_collapse_to_one_syllable_or_to_a_token_of_the_name_are_no_key() -> None:
    from agents.matching.prepared import prepare_person
    from agents.matching.search import _joined_skeletons

    assert "cancang" in _joined_skeletons(prepare_person(Person(full_name="Chuan Jung Ping")))
    # Xi An joined is "san", one syllable: a same-day entry called Xian is not his whole given name.
    assert _joined_skeletons(prepare_person(Person(full_name="Xi An Wang"))) == {"anwang"}
    # Only names in pinyin or Wade-Giles throughout: Chinese given names are what passports write joined or
    # split; Vietnamese words are each a name of their own (Thi Hoa joined is no name).
    assert _joined_skeletons(prepare_person(Person(full_name="Thi Hoa Phan"))) == set()
