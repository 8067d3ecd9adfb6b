"""Trafficking travel patterns no watchlist knows yet (issue 21): pure detectors over keyed state.

Two steps, each a pure transition with an explicit clock:
- `trips`: per checkpoint, crossings assembled into trips (who travels with whom) and judged against
  the checkpoint's own baseline of minors crossing without an adult;
- `person`: per traveller, each trip folded into their recent history and every detector
  (`detectors`) run over it; findings become alerts (`alerts`) on the ordinary alert contract.

Each crossing passes its trip on at once, as it stands, so a pattern is decided on the crossing that
completes it (only an unaccompanied minor waits until no adult can still join the group). The worker
folds a trip that cannot decide anything into the stored state without building it (`stored`).

`runner.PatternRunner` chains both in memory (offline screening, benchmarks); the worker runs them on
Faust tables (streams/stages/patterns.py). Thresholds and windows: `config.PatternConfig`.
"""

from agents.patterns import native as _native

_native.extend(__path__)  # the mypyc build of the modules below, when it is current

from agents.patterns.age import AgeRange, age_range
from agents.patterns.alerts import build_pattern_alert
from agents.patterns.config import PATTERNS, PatternConfig
from agents.patterns.detectors import DETECTORS
from agents.patterns.family import plausibly_family, shares_family_name, shares_nationality
from agents.patterns.identity import family_tokens, identity_key
from agents.patterns.member import Member, member_of
from agents.patterns.models import Evidence
from agents.patterns.person import Finding, PersonState, entry_id, observe
from agents.patterns.records import Companion, TripRecord, trip_record
from agents.patterns.runner import PatternRunner, alerts_for_trip
from agents.patterns.trips import CheckpointState, Delivery, Trip, add_crossing, close_due

__all__ = [
    "DETECTORS",
    "PATTERNS",
    "AgeRange",
    "CheckpointState",
    "Companion",
    "Delivery",
    "Evidence",
    "Finding",
    "Member",
    "PatternConfig",
    "PatternRunner",
    "PersonState",
    "Trip",
    "TripRecord",
    "add_crossing",
    "age_range",
    "alerts_for_trip",
    "build_pattern_alert",
    "close_due",
    "entry_id",
    "family_tokens",
    "identity_key",
    "member_of",
    "observe",
    "plausibly_family",
    "shares_family_name",
    "shares_nationality",
    "trip_record",
]
