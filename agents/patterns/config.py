"""Every threshold and window of the pattern detectors, in one place."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.alerts import PatternName

PATTERNS: tuple[PatternName, ...] = (
    "repeat_escort_of_minors", "escort_of_young_adults", "unaccompanied_minor", "shuttle_trips",
)

_DAY = dt.timedelta(days=1)
_MINUTE = dt.timedelta(minutes=1)


class PatternConfig(BaseModel):
    """Detector thresholds and windows (defaults follow issue 21)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    adult_age: int = Field(default=18, ge=1, description="Age of majority.")

    # Who travels with whom.
    co_crossing_window: dt.timedelta = Field(
        default=_MINUTE,
        description="Travellers without a travel_group_id who pass the same checkpoint in the same direction "
        "within this time of each other travel together.",
    )
    learn_window_from: int = Field(
        default=20, ge=1,
        description="Once this many gaps between one member of a travel group and the next are seen at a "
        "checkpoint, its co-crossing window widens (never narrows) to `window_over_gaps` times the 90th "
        "percentile of them, at most `group_complete_after`: a booth that checks documents one by one "
        "passes a party further apart, and its own travel groups show how far.",
    )
    window_over_gaps: float = Field(default=1.25, ge=1.0)
    pace_quantile: float | None = Field(
        default=0.9, gt=0.0, le=1.0,
        description="Where a checkpoint sends too few travel groups to learn from: its co-crossing window widens to "
        "`window_over_pace` times this quantile of the pauses between each child passing without a travel group "
        "and the nearest adult (`agents/patterns/pace.py`), at most `group_complete_after`. None: not learnt.",
    )
    window_over_pace: float = Field(default=1.5, ge=1.0)
    party_gaps_kept: int = Field(default=64, ge=1, description="Gaps between travel-group members kept per "
                                 "checkpoint and direction, the latest.")
    max_co_crossing_group: int = Field(
        default=5, ge=2,
        description="More ungrouped crossers than this within the window is a queue, not a party: "
        "co-crossing then says nothing about who is with whom.",
    )
    group_complete_after: dt.timedelta = Field(
        default=3 * _MINUTE,
        description="A travel group (travel_group_id) is complete when nobody has joined it for this long. "
        "Only the unaccompanied-minor check waits for it (an adult of the group may still cross after the "
        "child); every other pattern is decided on the crossing that completes it. A party without a travel "
        "group is complete `co_crossing_window` after its last member.",
    )
    passage_window: dt.timedelta = Field(
        default=3 * dt.timedelta(hours=1),
        description="The exit on one side of a border and the entry on the other within this time are one "
        "passage: someone who merely co-crossed counts as a companion only if they co-crossed on both sides.",
    )
    max_uncorroborated_party: int = Field(
        default=5, ge=1,
        description="Where a traveller's crossings are reported on one side of the border only, co-crossers in a "
        "party of at most this many count as companions without being seen together on the other side.",
    )
    solo_age_high: int = Field(
        default=25, ge=0,
        description="Children and young people up to this age who cross a checkpoint alone are remembered there "
        "for `baseline_days`: passing the booth a minute after an adult they are more likely on their own "
        "(a market child, a young commuter) than escorted, where only one side reports.",
    )
    max_solo_kept: int = Field(
        default=5000, ge=1,
        description="Not used: it bounded the travellers each checkpoint remembered when they were all written "
        "with its state; each is now an entry of its own, forgotten after `baseline_days` (agents/patterns/solo.py). "
        "Accepted so that a configuration naming it still loads.",
    )
    one_sided_escort_share: float = Field(
        default=0.3, ge=0.0, le=1.0,
        description="An escort found only through parties seen on one side of the border: at least this share of "
        "the adult's crossings in the window must be such escorts (someone crossing most days passes "
        "children and young strangers at the booth by chance; an escort mostly crosses with them).",
    )
    max_escort_group: int = Field(
        default=8, ge=2,
        description="Groups larger than this are organised groups (school classes, tours): their members "
        "are not counted as escorted by one adult.",
    )

    # Repeat escort of minors.
    minors_window: dt.timedelta = 30 * _DAY
    minors_min_distinct: int = Field(default=2, ge=1)
    minors_min_trips: int = Field(default=2, ge=1)

    # Escort of young adults.
    young_window: dt.timedelta = 14 * _DAY
    young_age_low: int = 15
    young_age_high: int = 25
    young_min_distinct: int = Field(default=3, ge=1)
    young_min_trips: int = Field(default=2, ge=1)
    young_min_age_gap: int = Field(
        default=3, ge=0, description="The escort is at least this many years older than each young person.",
    )

    # Shuttle trips.
    shuttle_window: dt.timedelta = 30 * _DAY
    shuttle_return_within: dt.timedelta = 48 * dt.timedelta(hours=1)
    shuttle_min_round_trips: int = Field(default=3, ge=1)
    shuttle_one_sided_share: float = Field(
        default=0.9, ge=0.0, le=1.0,
        description="Where only one side of the border reports: the share of round trips that must have had "
        "companions (a commuter passes strangers at the booth on some days; a shuttle always escorts someone).",
    )

    # Unaccompanied minor, against the checkpoint's own baseline.
    baseline_days: int = Field(default=14, ge=1)
    unusual_share: float = Field(
        default=0.05, gt=0.0, lt=1.0,
        description="Flag an unaccompanied minor only where fewer than this share of minors usually cross "
        "without an adult (market towns: a large share). The baseline learns from the stream, the children "
        "flagged included: at a small checkpoint one or two of them lift a lower threshold's share over it "
        "for `baseline_days`, and the next child alone goes unflagged.",
    )
    baseline_prior_minors: float = Field(
        default=1.0, gt=0.0,
        description="Pseudo-count of minors, half of them unaccompanied, that a checkpoint's share starts from: "
        "a checkpoint with little history is not called unusual.",
    )
    unaccompanied_realert: dt.timedelta = 30 * _DAY

    # Bounds on state.
    max_trips_kept: int = Field(default=120, ge=4)
    max_companions_kept: int = Field(default=16, ge=1)

    identity_salt: str = Field(default="", description="Keys the identity hashes kept in state.")

    @model_validator(mode="after")
    def _consistent(self) -> PatternConfig:
        if self.young_age_low > self.young_age_high:
            raise ValueError("young_age_low must not exceed young_age_high")
        if self.group_complete_after < self.co_crossing_window:
            raise ValueError("group_complete_after must be at least co_crossing_window")
        return self

    def window(self, pattern: PatternName) -> dt.timedelta:
        """The look-back window of a pattern, also the time within which it is not re-alerted."""
        return {
            "repeat_escort_of_minors": self.minors_window,
            "escort_of_young_adults": self.young_window,
            "shuttle_trips": self.shuttle_window,
            "unaccompanied_minor": self.unaccompanied_realert,
        }[pattern]

    @property
    def horizon(self) -> dt.timedelta:
        """Evidence older than this can no longer change any decision and is dropped."""
        return max(self.minors_window, self.young_window, self.shuttle_window + self.shuttle_return_within,
                   self.unaccompanied_realert)

    def thresholds(self) -> dict[str, float]:
        """The numeric settings an alert quotes, so an officer sees what was applied."""
        return {
            "minors_min_distinct": self.minors_min_distinct,
            "minors_window_days": self.minors_window / _DAY,
            "young_min_distinct": self.young_min_distinct,
            "young_window_days": self.young_window / _DAY,
            "shuttle_min_round_trips": self.shuttle_min_round_trips,
            "shuttle_window_days": self.shuttle_window / _DAY,
            "unusual_share": self.unusual_share,
            "baseline_days": self.baseline_days,
        }
