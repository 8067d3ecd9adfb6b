"""The models the per-crossing path makes without validation (`agents/patterns/unvalidated.py`) are those
validation makes: the same field values, of the same types, and the same JSON."""

from __future__ import annotations

from pydantic import BaseModel

from agents.patterns import CheckpointState, PatternConfig, Trip, add_crossing, member_of
from agents.patterns.models import Companion, Member, TripRecord
from agents.patterns.records import trip_record
from bench.patterns.generator import generate
from schemas.events import BorderCrossing

CFG = PatternConfig()


def _same_as_validated(model: BaseModel) -> None:
    validated = type(model).model_validate(dict(model.__dict__))
    assert list(model.__dict__) == list(type(model).model_fields)  # every field, in order
    assert model == validated
    assert {k: type(v) for k, v in model.__dict__.items()} == {k: type(v) for k, v in validated.__dict__.items()}
    assert model.model_dump_json() == validated.model_dump_json()
    assert model.model_dump_json(exclude_defaults=True) == validated.model_dump_json(exclude_defaults=True)


def test_members_trips_and_records_made_without_validation_are_the_validated_ones() -> None:
    world = generate(3, 6, 0.05)
    states: dict[str, CheckpointState] = {}
    seen = {Member: 0, Trip: 0, TripRecord: 0, Companion: 0}
    for raw in world.events:
        crossing = BorderCrossing.model_validate(raw)
        member = member_of(crossing, CFG.identity_salt)
        _same_as_validated(member)
        seen[Member] += 1
        state = states.get(crossing.checkpoint_id) or CheckpointState(
            checkpoint_id=crossing.checkpoint_id, checkpoint_country=crossing.checkpoint_country)
        state, deliveries = add_crossing(state, member, crossing.travel_group_id, crossing.occurred_at, CFG)
        states[crossing.checkpoint_id] = state
        for trip, to, _ in deliveries:
            _same_as_validated(trip)
            seen[Trip] += 1
            for m in to:
                record = trip_record(trip, m, CFG)
                _same_as_validated(record)
                seen[TripRecord] += 1
                for c in record.companions:
                    _same_as_validated(c)
                    seen[Companion] += 1
    assert min(seen.values()) > 50, seen

