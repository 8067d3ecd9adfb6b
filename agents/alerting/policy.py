"""Alert policy settings: suppression windows, state bounds and the priority table."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.watchlist import Priority

#: How strong a match is, from `AlertPolicy.strong_score` / `high_score`.
ScoreBand = Literal["borderline", "strong", "high"]
#: The list, except that a possible minor on a protective list is a case of its own.
Case = Literal["suspect", "missing_person", "suspected_victim", "child"]

#: Row of the priority table: case, then the minimum priority for a borderline, strong and high score.
PriorityRow = tuple[Case, Priority, Priority, Priority]

#: Minimum priority per case and score band; the entry's own priority wins when higher. Why these:
#: - suspects rise only on a high score: a weak resemblance must not send officers after a stranger;
#: - missing persons and suspected victims start at medium (a missed protection case is the costly
#:   error) and a high score makes them high;
#: - a child (possibly under `child_age`, on either protective list) is high once the match is strong.
#: Two more rules sit outside the table (see priority.py): a critical entry is always critical, and a
#: borderline score caps every other entry at `borderline_ceiling`.
# fmt: off
DEFAULT_PRIORITY_TABLE: tuple[PriorityRow, ...] = (
    # case               borderline  strong    high
    ("suspect",          "low",      "low",    "medium"),
    ("missing_person",   "medium",   "medium", "high"),
    ("suspected_victim", "medium",   "medium", "high"),
    ("child",            "medium",   "high",   "high"),
)
# fmt: on


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
    priority_table: tuple[PriorityRow, ...] = DEFAULT_PRIORITY_TABLE
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
        cases = [row[0] for row in self.priority_table]
        if sorted(cases) != sorted(row[0] for row in DEFAULT_PRIORITY_TABLE):
            raise ValueError("priority_table needs exactly one row per case")
        return self

    def floor(self, case: Case, band: ScoreBand) -> Priority:
        """The table's minimum priority for a case and score band."""
        _, borderline, strong, high = next(row for row in self.priority_table if row[0] == case)
        return {"borderline": borderline, "strong": strong, "high": high}[band]
