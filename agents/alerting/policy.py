"""Alert policy settings: suppression windows, state bounds and the priority table."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.watchlist import Priority

#: How strong a match is, from `AlertPolicy.strong_score` / `high_score`.
ScoreBand = Literal["borderline", "strong", "high"]
#: Row of the priority table: the list, except that a minor on a protective list has a row of its own.
Case = Literal["suspect", "missing_person", "suspected_victim", "child"]

#: Minimum priority per case and score band; the entry's own priority wins when higher. Why these:
#: - suspects rise only on a high score: a weak resemblance must not send officers after a stranger;
#: - missing persons and suspected victims start at medium (a missed protection case is the costly
#:   error) and a high score makes them high;
#: - a child (under `child_age` on either protective list) is high as soon as the match is strong.
#: Two more rules sit outside the table (see priority.py): a critical entry is always critical, and a
#: borderline score caps every other entry at `borderline_ceiling`.
DEFAULT_PRIORITY_FLOORS: dict[Case, dict[ScoreBand, Priority]] = {
    "suspect": {"borderline": "low", "strong": "low", "high": "medium"},
    "missing_person": {"borderline": "medium", "strong": "medium", "high": "high"},
    "suspected_victim": {"borderline": "medium", "strong": "medium", "high": "high"},
    "child": {"borderline": "medium", "strong": "high", "high": "high"},
}


class AlertPolicy(BaseModel):
    """Tunable alert policy. Frozen: one policy object is shared by every decision it governs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    suppression_window: dt.timedelta = Field(
        default=dt.timedelta(minutes=30),
        description="Repeat hits (entry, traveller, checkpoint) within this time of the first fold into it.",
    )
    false_positive_suppression: dt.timedelta = Field(
        default=dt.timedelta(days=30),
        description="How long a confirmed false positive silences that entry/traveller pair.",
    )
    decision_horizon: dt.timedelta = Field(
        default=dt.timedelta(days=7),
        description="How long the state remembers which pair an alert_id was about, for late decisions.",
    )
    max_open_alerts: int = Field(default=100_000, ge=1)
    max_false_positives: int = Field(default=100_000, ge=1)
    max_remembered_alerts: int = Field(default=200_000, ge=1)
    strong_score: float = Field(default=0.80, ge=0.0, le=1.0)
    high_score: float = Field(default=0.92, ge=0.0, le=1.0)
    child_age: int = Field(default=18, ge=1)
    priority_floors: dict[Case, dict[ScoreBand, Priority]] = Field(
        default_factory=lambda: {case: dict(row) for case, row in DEFAULT_PRIORITY_FLOORS.items()}
    )
    borderline_ceiling: Priority = "medium"
    identity_salt: str = Field(
        default="",
        repr=False,
        description="Keyed into traveller hashes so a leaked state cannot be reversed by hashing "
        "guessed document numbers. Changing it forgets all suppression state.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> AlertPolicy:
        if self.strong_score > self.high_score:
            raise ValueError("strong_score must not exceed high_score")
        for case in DEFAULT_PRIORITY_FLOORS:
            row = self.priority_floors.get(case, {})
            if set(row) != {"borderline", "strong", "high"}:
                raise ValueError(f"priority_floors[{case!r}] needs borderline, strong and high")
        return self
