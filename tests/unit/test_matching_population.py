"""How common a name is among the travellers screened: the sketch, the per-partition model, and what a
common name changes in screening (it needs corroboration; the alert says how common it is)."""

from __future__ import annotations

import math
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agents.matching import build_index
from agents.matching.names import person_name_forms
from agents.matching.population import (
    AGE_AT,
    MIN_SIGHTINGS,
    MIN_TRAVELLERS,
    PRIOR_TRAVELLERS,
    RARE_TOKEN_SHARE,
    RARER_AT_MOST,
    NameFrequency,
    PopulationModel,
    decode_snapshots,
    form_key,
    name_key,
    text_key,
    token_key,
)
from agents.matching.scripts.phonetic import count_key
from agents.screening import ScreeningContext, process_event
from schemas import Person
from streams.app import screening_context
from streams.settings import Settings
from tests.factories import NOW, crossing_dict, entry, fixed_clock, person


def forms(name: str) -> Any:
    return person_name_forms([name])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["nguyen van an", "tran thi bich", "wang li", "somchai srisuk", "aung kyaw"]
                                + [f"name{i} other{i}" for i in range(40)]), min_size=1, max_size=300))
def test_the_sketch_never_under_counts_a_name(names: list[str]) -> None:
    sketch = NameFrequency(width_bits=8)  # tiny: collisions happen, counts may only go up
    for name in names:
        sketch.observe(forms(name))
    assert sketch.total == len(names)
    for name in set(names):
        assert sketch.estimate(form_key(forms(name)[0])) >= names.count(name)


def test_a_name_nobody_carried_reads_as_unseen_after_a_busy_day() -> None:
    # One partition's share of a day at a large checkpoint: a name not among them must read 0 in
    # nearly every case, or a rare listed name would look as common as its cell-mates.
    sketch = NameFrequency()
    for i in range(100_000):
        sketch.add(f"seen{i % 80_000}")
    unseen = [sketch.estimate(f"other{i}") for i in range(5_000)]
    assert sum(1 for count in unseen if count) < 0.05 * len(unseen)


def test_a_counter_stops_at_its_ceiling_instead_of_wrapping() -> None:
    sketch = NameFrequency(width_bits=8)
    sketch.add("wang li", 70_000)
    sketch.add("wang li", 70_000)
    assert sketch.estimate("wang li") == 0xFFFF
    merged = NameFrequency.from_bytes(sketch.to_bytes())
    merged.merge(sketch)
    assert merged.estimate("wang li") == 0xFFFF


def test_name_keys_ignore_order_and_spelling_the_skeleton_absorbs() -> None:
    assert text_key("nguyen van an") == text_key("an van nguyen") == form_key(forms("NGUYEN VAN AN")[0])
    assert text_key("khin wai") == text_key("kheen way")  # Burmese spellings of one name


def test_one_syllable_names_are_counted_by_their_vowel_too() -> None:
    # Thi, Thu and To share the skeleton "ta": counted by it, every Nguyen Thi Thu To was a Nguyen Thi.
    assert len({text_key(name) for name in ("nguyen thi thu", "nguyen thi to", "nguyen thi thao")}) == 3
    model = PopulationModel(priors={})
    for i in range(MIN_TRAVELLERS):
        model.observe("p:0", forms(f"Nguyen Thi Given{i % 50} Unique{i}"), "VNM")
    assert model.per_100k("to thi given7", "VNM") == 0.0  # no To among them


def test_a_sketch_survives_its_bytes_and_refuses_others() -> None:
    sketch = NameFrequency()
    for _ in range(3):
        sketch.observe(forms("Wang Li"))
    copy = NameFrequency.from_bytes(sketch.to_bytes())
    assert copy.total == 3 and copy.estimate(text_key("wang li")) == 3
    for junk in (b"", b"not a sketch", sketch.to_bytes()[:-10]):
        with pytest.raises(ValueError):
            NameFrequency.from_bytes(junk)


def test_partitions_add_up_and_persisted_ones_are_taken_in_unless_counted_here() -> None:
    here, there = PopulationModel(priors={}), PopulationModel(priors={})
    for _ in range(4):
        there.observe("border.crossings:1", forms("Tran Thi Bich"))
    here.observe("border.crossings:0", forms("Tran Thi Bich"))
    published = dict(there.changed_snapshots())
    assert there.changed_snapshots() == []  # nothing new since
    sketches, bad = decode_snapshots({**published, "border.crossings:0": b"stale", "junk": b"\x00"})
    assert bad == 2
    assert here.adopt(sketches) == 1
    assert here.total == 5
    assert here.partitions["border.crossings:1"].estimate(text_key("tran thi bich")) == 4
    # Counted here before the topic was read: the persisted counts of that partition are added once...
    restarted = PopulationModel(priors={})
    restarted.observe("border.crossings:1", forms("Tran Thi Bich"))
    assert restarted.adopt(sketches) == 1 and restarted.total == 5
    # ...and afterwards, what this process counted since its last publish is newer than the record.
    restarted.observe("border.crossings:1", forms("Tran Thi Bich"))
    assert restarted.adopt(sketches) == 0 and restarted.total == 6
    restarted.changed_snapshots()
    assert restarted.adopt(decode_snapshots(dict(restarted.changed_snapshots() or
                                                 [("border.crossings:1", restarted.partitions["border.crossings:1"]
                                                   .to_bytes())]))[0]) == 1
    assert restarted.total == 6


def test_a_partition_first_counted_after_the_topic_was_read_is_not_counted_twice_by_its_own_record() -> None:
    """The worker read the topic (nothing there yet), then began counting a partition and published it:
    reading its own record back adds nothing (it took the record's counts for another process's)."""
    model = PopulationModel(priors={})
    assert model.adopt({}) == 0
    for _ in range(2):
        model.observe("border.crossings:0", forms("Tran Thi Bich"))
    own, bad = decode_snapshots(dict(model.changed_snapshots()))
    assert bad == 0
    model.adopt(own)
    assert model.total == 2
    assert model.partitions["border.crossings:0"].estimate(text_key("tran thi bich")) == 2


def test_real_name_statistics_stand_in_before_traffic_is_seen() -> None:
    model = PopulationModel()  # the packaged priors
    assert model.per_100k("nguyen") > model.per_100k("srisuk") == 0.0


# -------------------------------------------------------------------------------------- in screening
NAME_ONLY = person("Le Van Hung", nationality="VNM")  # a listed name and nothing else: no DOB, no document
INDEX_CONFIG = screening_context(Settings(), clock=fixed_clock()).matcher
INDEX = build_index([entry("VN-1", NAME_ONLY, list="missing_person", source_country="VNM")], INDEX_CONFIG)


def screen(ctx: ScreeningContext, traveler: dict[str, Any], partition: int = 0) -> list[dict[str, Any]]:
    raw = orjson.dumps(crossing_dict(traveler))
    processed = process_event(raw, None, topic=ctx.topics.crossings, partition=partition, offset=0,
                              index=INDEX, ctx=ctx)
    return [orjson.loads(o.value) for o in processed.outgoing if o.topic == ctx.topics.alert_candidates]


def test_a_name_only_match_stops_alerting_once_the_name_is_common_at_the_border() -> None:
    ctx = screening_context(Settings(), clock=fixed_clock())
    assert ctx.population is not None
    traveller = person("LE VAN HUNG", nationality="VNM")
    first = screen(ctx, traveller)
    assert [a["entry_id"] for a in first] == ["VN-1"]
    [told] = [r for r in first[0]["reasons"] if r["feature"] == "name_commonness"]
    assert "published name statistics" in told["explanation"]  # too few travellers counted yet
    for i in range(MIN_TRAVELLERS):  # ordinary travellers with other names
        ctx.population.observe(f"border.crossings:{i % 3}", forms(f"Traveller{i} Someone"))
    again = screen(ctx, traveller)  # seen once or twice, a name is not yet common
    assert [a["entry_id"] for a in again] == ["VN-1"]
    [told] = [r for r in again[0]["reasons"] if r["feature"] == "name_commonness"]
    assert told["explanation"] == "Fewer than 1 in 100,000 travellers screened carry this name."
    for i in range(MIN_SIGHTINGS):  # namesakes keep crossing: the name becomes common among travellers
        screen(ctx, traveller, partition=i)
    assert ctx.population.per_100k("le van hung") >= ctx.matcher.common_name_per_100k
    assert screen(ctx, traveller) == []
    # Corroborated, the same name still alerts (a matching date of birth on the entry).
    dated = build_index([entry("VN-2", {**NAME_ONLY, "date_of_birth": "2010-03-04"}, list="missing_person",
                               source_country="VNM")], INDEX_CONFIG)
    raw = orjson.dumps(crossing_dict({**traveller, "date_of_birth": "2010-03-04"}))
    processed = process_event(raw, None, topic=ctx.topics.crossings, partition=0, offset=1, index=dated, ctx=ctx)
    assert [a.entry_id for a in processed.alerts] == ["VN-2"]


class _AskedHowRare:
    """A population model that notes which names screening asks `rarest_name_per_100k` of."""

    def __init__(self, model: PopulationModel) -> None:
        self.model = model
        self.asked: list[tuple[str, str | None]] = []

    def rarest_name_per_100k(self, text: str, nationality: str | None = None) -> float:
        self.asked.append((text, nationality))
        return self.model.rarest_name_per_100k(text, nationality)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.model, name)


def test_screening_asks_how_rare_a_name_alone_can_be_among_the_travellers_nationality() -> None:
    import dataclasses

    model = PopulationModel(priors={})
    for i in range(MIN_TRAVELLERS):
        model.observe(f"p:{i % 3}", forms(f"Traveller{i} Someone"), "VNM")
    asked = _AskedHowRare(model)
    ctx = dataclasses.replace(screening_context(Settings(), clock=fixed_clock()), population=asked)
    assert [a["entry_id"] for a in screen(ctx, person("LE VAN HUNG", nationality="VNM"))] == ["VN-1"]
    assert asked.asked and {nationality for _text, nationality in asked.asked} == {"VNM"}


def test_without_the_population_model_only_the_list_decides() -> None:
    ctx = screening_context(Settings(name_frequency=False), clock=fixed_clock())
    assert ctx.population is None
    for _ in range(5):
        assert [a["entry_id"] for a in screen(ctx, person("LE VAN HUNG", nationality="VNM"))] == ["VN-1"]


def test_offline_screening_learns_as_it_reads(tmp_path: Any) -> None:
    from streams.offline import screen_files

    watchlist = tmp_path / "w.jsonl"
    watchlist.write_bytes(orjson.dumps(entry("VN-1", NAME_ONLY, list="missing_person").model_dump(mode="json")))
    events = tmp_path / "e.jsonl"
    others = [person(f"Traveller{i} Someone", nationality="VNM") for i in range(MIN_TRAVELLERS)]
    namesakes = [person("LE VAN HUNG", nationality="VNM")] * 6
    events.write_bytes(b"\n".join(orjson.dumps(crossing_dict(p)) for p in [*others, *namesakes]))
    alerts = [a for a in screen_files(watchlist, events, screening_context(Settings(), clock=fixed_clock()), NOW)
              if not hasattr(a, "screened")]
    assert 1 <= len(alerts) < 6  # the first namesakes alert, then the name is known to be common


def test_a_redelivered_event_gets_the_same_explanation_while_the_counts_move_on() -> None:
    ctx = screening_context(Settings(), clock=fixed_clock())
    assert ctx.population is not None
    raw = orjson.dumps(crossing_dict(person("LE VAN HUNG", nationality="VNM")))

    def reasons() -> list[Any]:
        processed = process_event(raw, None, topic=ctx.topics.crossings, partition=0, offset=0, index=INDEX, ctx=ctx)
        return [r for a in processed.alerts for r in a.reasons]

    first = reasons()
    for i in range(50):  # other travellers screened before the event is delivered again
        ctx.population.observe("border.crossings:1", forms(f"Traveller{i} Someone"))
    assert reasons() == first


def test_a_name_never_counted_whole_is_common_when_its_tokens_are() -> None:
    model = PopulationModel(priors={})
    for i in range(MIN_TRAVELLERS):  # Vietnamese travellers: Nguyen Thi, one of 50 given names, a unique one
        model.observe(f"p:{i % 3}", forms(f"Nguyen Thi Given{i % 50} Unique{i}"), "VNM")
    for i in range(MIN_TRAVELLERS):  # and as many others
        model.observe(f"p:{i % 3}", forms(f"Traveller{i} Someone"), "THA")
    name = "nguyen thi given7"
    assert model.per_100k(name) == 0.0  # never counted whole
    # One Vietnamese traveller in 50 carries these tokens together: 200 of the travellers screened
    # (weighed, as every count is, with the prior's pseudo-travellers).
    expected = 100_000.0 * 200 / (2 * MIN_TRAVELLERS + PRIOR_TRAVELLERS)
    assert model.per_100k(name, "VNM") == pytest.approx(expected, rel=0.1)
    assert model.per_100k("nguyen thi zzzunseen", "VNM") == 0.0  # a token nobody carried: rare
    assert model.per_100k(name, "THA") == 0.0  # not among Thai travellers


def test_token_counts_are_not_used_once_a_nationality_count_saturates() -> None:
    model = PopulationModel(priors={})
    for i in range(MIN_TRAVELLERS):
        model.observe("p:0", forms(f"Nguyen Thi Given{i % 50} Unique{i}"), "VNM")
    assert model.per_100k("nguyen thi given7", "VNM") > 0.0
    sketch = model.partitions["p:0"]
    sketch.add(token_key("VNM", ""), 0xFFFF)  # as after 65,535 Vietnamese travellers in this partition
    assert model.per_100k("nguyen thi given7", "VNM") == 0.0


def test_no_name_reads_rarer_than_one_among_the_travellers_counted() -> None:
    from agents.matching.features import Context
    from agents.matching.features.name import name_bits

    model = PopulationModel(priors={})
    assert model.rarest_per_100k() == 0.0  # too few travellers counted to say anything
    for i in range(MIN_TRAVELLERS):
        model.observe("p:0", forms(f"Nguyen Thi Given{i % 50} Unique{i}"), "VNM")
    rarest = model.rarest_per_100k()
    assert rarest == pytest.approx(100_000 / (MIN_TRAVELLERS + PRIOR_TRAVELLERS))
    ctx = Context(INDEX_CONFIG, token_bits=lambda _key: 40.0, population_bits=20.0,
                  commonness=lambda text: model.per_100k(text, "VNM"), rarest_per_100k=rarest)
    # Never seen, and its tokens say nothing: still no rarer than one traveller in those counted.
    assert name_bits("zyxwa qorvu", "zyxwa qorvu", ctx) == pytest.approx(math.log2(100_000 / rarest))



def _thai_and_vietnamese_travellers() -> PopulationModel:
    """Thai travellers with family names of their own and one of 5 given names; Vietnamese ones with
    Nguyen or Tran, Thi or Van, and one of 40 given names."""
    model = PopulationModel(priors={})
    for i in range(MIN_TRAVELLERS):
        model.observe(f"p:{i % 3}", forms(f"Given{i % 5} Family{i}"), "THA")
        model.observe(f"p:{i % 3}", forms(f"{('Nguyen', 'Tran')[i % 2]} {('Thi', 'Van')[i % 3 % 2]} Viet{i % 40}"),
                      "VNM")
    return model


def test_a_name_with_a_family_name_nobody_carried_is_rarer_than_one_among_the_travellers() -> None:
    model = _thai_and_vietnamese_travellers()
    flat = model.rarest_per_100k()
    # A family name none of the Thai travellers carried, with a given name one in 5 of them carries.
    rare = model.rarest_name_per_100k("given3 sirisawatdiwong", "THA")
    assert rare == pytest.approx(flat / 5, rel=0.2)  # a fifth of one traveller
    # Rarer still by its tokens (none of them carried either), but never past RARER_AT_MOST.
    assert model.rarest_name_per_100k("zyxwa sirisawatdiwong", "THA") == pytest.approx(flat / RARER_AT_MOST)
    # Vietnamese names nobody carried whole are made of tokens a nationality shares: one among them.
    assert model.rarest_name_per_100k("nguyen van viet7", "VNM") == flat
    # Not known for another nationality, nor without one, nor before the counts are trusted.
    assert model.rarest_name_per_100k("given3 sirisawatdiwong", "LAO") == flat
    assert model.rarest_name_per_100k("given3 sirisawatdiwong") == flat
    assert PopulationModel(priors={}).rarest_name_per_100k("given3 sirisawatdiwong", "THA") == 0.0


def test_a_token_is_rare_below_its_share_of_the_nationality() -> None:
    model = _thai_and_vietnamese_travellers()
    carriers = 12  # of about 10,000 Thai travellers: above the share, names the nationality shares
    assert carriers > RARE_TOKEN_SHARE * (MIN_TRAVELLERS + 2 * carriers)
    for i in range(carriers):  # never together
        model.observe("p:0", forms(f"Given{i % 5} Sharedfamily"), "THA")
        model.observe("p:0", forms(f"Sharedgiven Otherfamily{i}"), "THA")
    assert model.rarest_name_per_100k("sharedgiven sharedfamily", "THA") == model.rarest_per_100k()


def test_a_name_alone_with_a_rare_family_name_counts_what_its_tokens_say() -> None:
    from agents.matching.features import Context
    from agents.matching.features.name import name_bits

    model = _thai_and_vietnamese_travellers()
    flat = model.rarest_per_100k()

    def bits(name: str, nationality: str) -> float:
        ctx = Context(INDEX_CONFIG, token_bits=lambda _key: 40.0, population_bits=20.0,
                      commonness=lambda text: model.per_100k(text, nationality), rarest_per_100k=flat,
                      rarest_of=lambda text: model.rarest_name_per_100k(text, nationality))
        return name_bits(name, name, ctx, alone=True)

    one_among_them = math.log2(100_000 / flat)
    assert bits("given3 sirisawatdiwong", "THA") == pytest.approx(one_among_them + math.log2(5), abs=0.3)
    assert bits("tran thi viet7 viet8 viet9", "VNM") == pytest.approx(one_among_them)  # never seen whole


def test_a_long_running_sketch_halves_its_counts_and_keeps_the_shares() -> None:
    sketch = NameFrequency(width_bits=16)
    for i in range(AGE_AT - 1):  # one traveller in four is Nguyen Van Hung; one is Zyxwa Qorvu
        sketch.observe(forms("Nguyen Van Hung" if i % 4 == 0 else "Zyxwa Qorvu" if i == 1 else f"Other{i} Name"))
    common, rare = form_key(forms("Nguyen Van Hung")[0]), form_key(forms("Zyxwa Qorvu")[0])
    share, rare_before = sketch.estimate(common) / sketch.total, sketch.estimate(rare)
    assert rare_before >= 1
    sketch.observe(forms("Someone Else"))  # the traveller that reaches AGE_AT
    assert sketch.total == AGE_AT // 2
    assert sketch.estimate(common) / sketch.total == pytest.approx(share, rel=0.01)
    assert sketch.estimate(rare) == rare_before >> 1
    for _ in range(AGE_AT):  # a name every traveller carries: counted on, it never reaches the ceiling
        sketch.observe(forms("Nguyen Van Hung"))
    assert AGE_AT // 2 <= sketch.total < AGE_AT
    assert sketch.total // 2 <= sketch.estimate(common) < AGE_AT  # the older half weighs half


def test_a_merge_that_reaches_the_ageing_point_halves_too() -> None:
    a, b = NameFrequency(width_bits=10), NameFrequency(width_bits=10)
    for sketch, n in ((a, AGE_AT // 2), (b, AGE_AT - AGE_AT // 2)):
        for _ in range(n):
            sketch.observe(forms("Nguyen Van Hung"))
    a.merge(b)
    assert a.total == AGE_AT // 2
    assert a.estimate(form_key(forms("Nguyen Van Hung")[0])) == a.total


def test_the_worker_counts_the_name_forms_it_screened_as_the_names_recorded_give_them() -> None:
    # process_event prepares the traveller once and counts the prepared name forms: the same forms as
    # `person_name_forms` of every name the traveller's record carries, so the same sketch.
    ctx = screening_context(Settings(), clock=fixed_clock())
    assert ctx.population is not None
    expected = PopulationModel(priors={})
    travellers = [person("LE VAN HUNG", nationality="VNM"),
                  {**person("Mg Aung Kyaw", nationality="MMR"), "aliases": ["Daw Aung Kyaw", "Aung Kyaw"]},
                  {"given_names": "Xiao Ming", "surname": "Wang", "nationality": "CHN"},
                  person("สมชาย ศรีสุข", nationality="THA"), person("Nguyễn Thị Hồng", sex="F")]
    for i, traveller in enumerate(travellers):
        raw = orjson.dumps(crossing_dict(traveller))
        process_event(raw, None, topic=ctx.topics.crossings, partition=i % 2, offset=i, index=INDEX, ctx=ctx)
        subject = Person.model_validate(traveller)
        expected.observe(f"{ctx.topics.crossings}:{i % 2}", person_name_forms(subject.names()), subject.nationality)
    assert sorted(ctx.population.partitions) == sorted(expected.partitions)
    for key, sketch in expected.partitions.items():
        assert ctx.population.partitions[key].to_bytes() == sketch.to_bytes()


def test_a_travellers_name_counts_in_the_same_cells_whether_its_cells_are_remembered_or_not() -> None:
    # observe hashes a whole name's cells without remembering them; `add` remembers them: the counts
    # must be the same, in the same order of keys.
    observed, added = NameFrequency(width_bits=12), NameFrequency(width_bits=12)
    for i in range(3000):
        name_forms = forms(f"Nguyen Thi Given{i % 40} Unique{i % 700}") + forms(f"Wang Li{i % 90}")
        observed.observe(name_forms, "VNM")
        counted = [[count_key(token) for token in form.tokens] for form in name_forms]
        for key in {name_key(keys) for keys in counted}:
            added.add(key)
        added.add(token_key("VNM", ""))
        for key in {token_key("VNM", k) for keys in counted for k in keys if k}:
            added.add(key)
        added.total += 1
    assert observed.to_bytes() == added.to_bytes()
    assert all(observed._hashed(key) == observed._cells(key) for key in ("ngan ta", "VNM/ngan", "VNM/"))


def test_counting_worked_out_ahead_counts_what_observe_counts() -> None:
    names = [("nguyen van an", "VNM"), ("wang li", "CHN"), ("nguyen thi bich", "VNM"), ("somchai srisuk", None)]
    direct, ahead = PopulationModel(priors={}), PopulationModel(priors={})
    for model in (direct, ahead):
        model.observe("p0", forms("aung kyaw"), "MMR")  # the partition's sketch exists
    for name, nationality in names:
        direct.observe("p0", forms(name), nationality)
        worked_out = ahead.ahead("p0", forms(name), nationality)
        assert worked_out is not None
        ahead.observe_ahead("p0", forms(name), nationality, worked_out)
    assert ahead.partitions["p0"].to_bytes() == direct.partitions["p0"].to_bytes()
    assert ahead.total == direct.total == 5
    assert ahead.per_100k("nguyen van an", "VNM") == direct.per_100k("nguyen van an", "VNM")


def test_counting_worked_out_for_a_sketch_no_longer_the_partitions_is_done_again() -> None:
    direct, ahead = PopulationModel(priors={}), PopulationModel(priors={})
    assert ahead.ahead("p1", forms("wang li"), "CHN") is None  # no sketch yet: none is made early
    assert "p1" not in ahead.partitions
    ahead.observe_ahead("p1", forms("wang li"), "CHN", None)
    direct.observe("p1", forms("wang li"), "CHN")
    worked_out = ahead.ahead("p1", forms("wang li"), "CHN")
    ahead.partitions["p1"] = NameFrequency.from_bytes(ahead.partitions["p1"].to_bytes())  # taken in meanwhile
    ahead.observe_ahead("p1", forms("wang li"), "CHN", worked_out)
    direct.observe("p1", forms("wang li"), "CHN")
    assert ahead.partitions["p1"].to_bytes() == direct.partitions["p1"].to_bytes()
    assert worked_out is not None and worked_out.sketch.total == 1  # the replaced sketch was not counted
