"""Blocking keys of one name form (agents/matching/blocking/keys.py)."""

from __future__ import annotations

from agents.matching.blocking.keys import closing_t_heard_as_s, form_token_keys, split_ts
from agents.matching.names import name_forms


def _keys(name: str) -> set[str]:
    return {key for form in name_forms(name) for key in form_token_keys(form)}


def test_a_ts_within_a_name_is_also_read_as_t_then_s() -> None:
    assert split_ts("phetsarath") == "phetxarath"
    assert split_ts("tsang") == "tsang"  # an initial ts stays one sound
    # a Latin spelling with ts finds the Lao name its skeleton otherwise reads as an affricate
    assert _keys("Phetsarath") & _keys("ເພັດຊະລາດ")


def test_a_syllable_closed_by_t_before_s_is_also_keyed_as_the_doubled_s_it_sounds() -> None:
    assert closing_t_heard_as_s("thatsana") == "thasana"
    assert closing_t_heard_as_s("tsang") == "tsang"  # an initial ts stays one sound
    # ทัศนา ยุวานนท์ (real pair, bench/realspell): TASSANA in the passport, thatsana as read
    assert _keys("Tassana") & _keys("ทัศนา")
    assert not _keys("Tana") & _keys("ทัศนา")  # the s is kept: another name does not share the key


def _groups(**person: str) -> list[list[str]]:
    from agents.matching.blocking.keys import token_key_groups
    from agents.matching.prepared import prepare_person
    from schemas import Person

    return token_key_groups(prepare_person(Person(**person)))


def test_the_keys_one_token_yields_in_two_spellings_of_a_name_are_one_group() -> None:
    # "Bin" is also read as Wade-Giles "pin": ban and pan are one token's keys, counted once
    groups = _groups(given_names="BIN", surname="DONG")
    together = next(g for g in groups if "ban" in g)
    assert "pan" in together
    assert "dang" not in together  # the surname is a token of its own


def test_the_same_tokens_in_another_order_are_not_respellings() -> None:
    # full name and given + surname in two orders: each token keeps its own group
    groups = _groups(full_name="SOK SAN", given_names="SAN", surname="SOK")
    assert all(not ({"sak", "san"} <= set(g)) for g in groups)


def test_a_token_or_join_with_an_unspoken_r_is_also_keyed_without_it() -> None:
    # Kim Hourn joined is the given name កៅ គឹមហួន romanizes Kimhuon: the joined key meets without the r
    assert _keys("Kim Hourn Kao") & _keys("កៅ គឹមហួន") - _keys("Kao")
    assert "san" in _keys("Sorn")
    # and the two spellings of the token count once for an undated traveller
    groups = _groups(given_names="SORN", surname="KEO")
    assert any({"sarn", "san"} <= set(g) for g in groups)


def test_a_birthday_key_is_the_date_formatted_whatever_the_values() -> None:
    # read from a table for the usual years, months and days; formatted for anything else
    from agents.matching.blocking.keys import birthday_key

    for year in (0, 7, 999, 1000, 1987, 2024, 9999, 10000, -5):
        for month in (0, 1, 9, 10, 12, 99, 100, 123):
            for day in (0, 1, 9, 31, 99, 100):
                assert birthday_key(year, month, day) == "b%04d%02d%02d" % (year, month, day)  # noqa: UP031
    assert birthday_key(1987, 5, 17) == "b19870517"
