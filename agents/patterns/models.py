"""The pydantic models of the pattern detectors' state and messages, apart from the code that uses them.

The code over these models (trips, records, person, member, steps, stored, ...) is plain typed Python that
mypyc compiles (agents/patterns/native.py); mypyc cannot compile pydantic models, so they live here, in a
module that always runs as Python. Each is re-exported where it was defined before, so imports keep working.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from agents.patterns.age import AgeRange
from agents.patterns.baseline import DailyCounts
from agents.patterns.config import PatternConfig
from agents.patterns.ordered import SortedSet
from schemas.alerts import PatternName


class Member(BaseModel):
    """One traveller on one crossing: hashed identity and family-name tokens, age range, sex, nationality.

    `display_name` and `document` are kept only while the traveller's group is being assembled (a few
    minutes), to word an alert about them; per-person state never stores them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    event_id: str
    at: dt.datetime
    direction: Literal["entry", "exit"]
    age: AgeRange | None
    sex: Literal["F", "M", "X"] | None = None
    nationality: str | None = None
    family: SortedSet = frozenset()
    names: SortedSet = frozenset()
    has_surname: bool = False  # `family` is a recorded surname, not every part of a one-field name
    display_name: str | None = None
    document: str | None = None

    def is_minor(self, adult_age: int) -> bool:
        return self.age is not None and self.age.certainly_under(adult_age)

    def is_adult(self, adult_age: int) -> bool:
        return self.age is not None and self.age.certainly_at_least(adult_age)

    def may_be_adult(self, adult_age: int) -> bool:
        """Unknown age counts as a possible adult: a minor next to them is not called unaccompanied."""
        return self.age is None or self.age.high >= adult_age


Linked = Literal["group", "co_crossing", "alone", "queue"]


class Passage(BaseModel):
    """Where and when a trip passed: what a trip and each person's record of it share."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    trip_id: str
    checkpoint_id: str
    checkpoint_country: str
    direction: Literal["entry", "exit"]
    at: dt.datetime


class Trip(Passage):
    """A complete group crossing, and which of its minors crossed without an adult where that is unusual."""

    linked_by: Linked
    members: tuple[Member, ...]
    complete: bool = Field(
        default=False, description="Nobody can join any more (False: the trip so far, sent as a member crossed)",
    )
    unaccompanied: dict[str, float] = Field(
        default_factory=dict, description="event_id of a minor flagged -> the checkpoint's usual share"
    )
    nearby: tuple[Member, ...] = Field(
        default=(),
        description="The rest of a short queue the trip was split from, or those right beside the traveller in a "
        "long queue: not companions, but a child's parent may be among them",
    )
    regulars: SortedSet = Field(
        default=frozenset(),
        description="event_ids of members of a party without a travel group who crossed here alone on another "
        "occasion within `baseline_days` (children and young people only: `solo_age_high`)",
    )


class OpenGroup(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    linked_by: Linked
    direction: Literal["entry", "exit"]
    last_at: dt.datetime
    members: tuple[Member, ...] = ()
    queue: bool = False  # too many ungrouped crossers together: members leave at once, alone; `members`
    # then holds its latest members only (`trips._queue_tail`)
    line: bool = False  # a short queue: split into two parties when it ends
    # Children who passed with no adult, held until no adult can still join them (`trips._hold`);
    # `near`: an adult passed close enough to be in their party, or they are a queue of children
    held: bool = False
    near: bool = False


class Waiting(NamedTuple):
    """A child passed at `at` (epoch seconds): the longest pause back to the adult before them (None:
    no adult within reach), and the longest pause since them (for an adult after them)."""

    at: int
    back: int | None
    since: int


class BoothPace(NamedTuple):
    """One direction of a booth: when the last traveller and the last adult passed (epoch seconds), the
    longest pause since that adult, and the children waiting for an adult after them."""

    last_at: int
    adult_at: int | None
    since_adult: int
    waiting: tuple[Waiting, ...] = ()


class CheckpointState(BaseModel):
    """Open groups at one checkpoint, its recent event ids (to spot redeliveries) and its baseline."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    checkpoint_id: str
    checkpoint_country: str
    groups: dict[str, OpenGroup] = Field(default_factory=dict)
    recent: dict[str, dt.datetime] = Field(default_factory=dict)
    baseline: DailyCounts = Field(default_factory=dict)
    solo: dict[str, int] = Field(
        default_factory=dict,
        description="Children and young people noted crossing here alone during a step: a short hash of their "
        "identity -> the day (proleptic ordinal) they last did. The step stores them as entries of their own "
        "(`agents/patterns/solo.py`) and writes the state without them; a state written before that holds "
        "every one seen within `baseline_days`, moved out the same way on its first step",
    )
    party_gaps: tuple[int, ...] = Field(
        default=(),
        description="Seconds between one member of a travel group and the next here, the latest "
        "`party_gaps_kept`: how far apart this booth passes a party (`co_crossing_window`)",
    )
    pace: dict[str, BoothPace] = Field(
        default_factory=dict, description="Per direction: the line at the booth as it stands (`pace.passed`)",
    )
    child_pauses: tuple[int, ...] = Field(
        default=(),
        description="Seconds: for a child passing without a travel group, the longest pause in the line between "
        "them and the nearest adult, the latest `party_gaps_kept` (`co_crossing_window`, where the checkpoint "
        "sends no travel groups)",
    )
    adult_until: dict[str, dt.datetime] = Field(
        default_factory=dict,
        description="Per direction: when the last party without a travel group with a possible adult in it "
        "finished passing (a child passing alone soon after may be theirs: `trips._hold`)",
    )


class Companion(BaseModel):
    """Someone on the same trip, and how they relate to the person whose state this is."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    event_id: str
    age: AgeRange | None
    sex: Literal["F", "M", "X"] | None = None
    nationality: str | None = None
    family: bool = False  # plausibly family of the person (family name or nationality shared)
    family_name: bool = False  # shares a family name with the person (generous: any name part if none recorded)
    surname: bool = False  # shares a recorded surname with the person
    family_adult: bool = False  # another possible adult on the trip is plausibly their family
    households: SortedSet = frozenset()  # shared by possible siblings (family.household_marks)
    regular: bool = False  # crosses this checkpoint alone too (trips.Trip.regulars)


class TripRecord(Passage):
    """One trip of one person, as their state keeps it (identified by `event_id`, their crossing)."""

    trip_id: str = ""  # not kept: a person's record is one of their crossings, whichever trip it was on
    event_id: str
    age: AgeRange | None
    sex: Literal["F", "M", "X"] | None = None
    nationality: str | None = None
    linked_by: Linked = "alone"
    organised: bool = False  # a group too large to be one adult's escort (school class, tour)
    complete: bool = True  # False: a party without a travel group that more may still join
    companions: tuple[Companion, ...] = ()
    unaccompanied_share: float | None = None  # set when flagged: the checkpoint's usual share
    # Those of the rest of the short queue this trip was split from, or of a long queue (`Trip.nearby`), who
    # passed within the configured co-crossing window of this person, hashed identities only: not companions,
    # but someone beside this person on the other side of the border who passed right beside them here too
    # crossed with them (a party split across the parts of a busy line on one side, or lost in a long one).
    line: SortedSet = frozenset()

    def is_adult(self, cfg: PatternConfig) -> bool:
        return self.age is not None and self.age.certainly_at_least(cfg.adult_age)


Evidence = tuple[tuple[TripRecord, tuple[Companion, ...]], ...]


class OpenPattern(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    alert_id: str
    opened_at: dt.datetime
    hit_count: int
    event_ids: SortedSet


class PersonState(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    trips: tuple[TripRecord, ...] = ()
    alerts: dict[PatternName, OpenPattern] = Field(default_factory=dict)


class Finding(BaseModel):
    """A pattern found (or found again) for one person: publish it as an alert."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    pattern: PatternName
    alert_id: str
    hit_count: int
    update: bool
    subject_key: str
    deciding: TripRecord
    event_id: str  # the crossing that decided or updated it: theirs, or a companion's joining their trip
    evidence: Evidence


class TripMessage(BaseModel):
    """A trip as it stands, sent to one of its members' person state: the form sent before `messages`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    now: dt.datetime
    trip: Trip
    member: str  # the event id of the member this copy is for
    by: str | None = None  # the crossing that passed the trip on (None: the member's own)


#: Every field name of each model the per-crossing path makes without validation (`unvalidated.new`): one
#: set per model, shared by the instances made so, as validation would give each a set of its own (made
#: anew, it was a good part of making the model). Made once here and never changed: pydantic copies a
#: model's set before adding to it, and `unvalidated.evolve` makes a new one.
EVERY_FIELD: Final[dict[type[BaseModel], set[str]]] = {
    model: set(model.model_fields) for model in (Member, OpenGroup, Trip, Companion, TripRecord)}
