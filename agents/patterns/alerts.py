"""A pattern finding worded as an `Alert`, on the same contract and topics as watchlist alerts."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Protocol

from agents.patterns.age import AgeRange
from agents.patterns.config import PatternConfig
from agents.patterns.person import Finding, entry_id
from agents.patterns.records import TripRecord
from schemas.alerts import Alert, FeatureReason, PatternCrossing, PatternEvidence
from schemas.watchlist import MEKONG_COUNTRIES, Priority

# patterns-2: a checkpoint's co-crossing window widens where its travel groups pass further apart
# patterns-3: and, where it sends no travel groups, where its children pass further from the nearest adult
# patterns-4: a child passing without a travel group and without an adult is held until no adult can
#             still pass within the booth's reach, before or after, and only then judged unaccompanied
# patterns-5: someone beside a traveller in a party on one side of the border and right beside them in the
#             short queue their party was split from on the other crossed with them (`TripRecord.line`)
# patterns-6: and so did someone right beside them in a queue too long for any party (`trips._beside`)
PATTERNS_VERSION = "patterns-6"
SOURCE_AGENCY = "BorderWatch travel-pattern detection"

EXPLANATION = {
    "repeat_escort_of_minors": "This adult has crossed with different children, on separate trips, who do not "
    "appear to be their family (different family name and nationality, never seen together before).",
    "escort_of_young_adults": "This adult has crossed with several different young people of the same sex "
    "(aged 15-25), on separate trips, within a short time.",
    "unaccompanied_minor": "This child crossed with no adult in their group, at a checkpoint where children "
    "rarely cross alone.",
    "shuttle_trips": "This adult has repeatedly left the country and come back within two days, each time "
    "with different companions.",
}

ACTION = {
    "unaccompanied_minor": "PROTECT THE CHILD: a possible victim of trafficking, not a suspect. Keep the child "
    "safe, speak to them calmly and away from anyone who seems to be waiting for them, and refer them to child "
    "protection. Do not alarm anyone accompanying or meeting the child.",
}
DEFAULT_ACTION = ("PROTECT THE PEOPLE ESCORTED: possible trafficking. Protect the minors and young people "
                  "travelling with this adult, interview them apart from the adult, and do not alert the adult; "
                  "record what you see and report it to the counter-trafficking unit.")

PRIORITY: dict[str, Priority] = {
    "repeat_escort_of_minors": "high",
    "unaccompanied_minor": "high",
    "escort_of_young_adults": "medium",
    "shuttle_trips": "medium",
}


def _crossing(trip: TripRecord, event_id: str, role: Literal["subject", "companion"], age: AgeRange | None,
              sex: Literal["F", "M", "X"] | None, nationality: str | None) -> PatternCrossing:
    return PatternCrossing(event_id=event_id, role=role, checkpoint_id=trip.checkpoint_id,
                           checkpoint_country=trip.checkpoint_country, occurred_at=trip.at, direction=trip.direction,
                           age_min=age.low if age else None, age_max=age.high if age else None,
                           sex=sex, nationality=nationality)


def _crossings(finding: Finding) -> list[PatternCrossing]:
    out: list[PatternCrossing] = []
    for trip, companions in finding.evidence:
        out.append(_crossing(trip, trip.event_id, "subject", trip.age, trip.sex, trip.nationality))
        out.extend(_crossing(trip, c.event_id, "companion", c.age, c.sex, c.nationality) for c in companions)
    return out


def route_to(finding: Finding) -> list[str]:
    """The checkpoint's country, then the nationalities of everyone in the evidence (Mekong countries)."""
    countries = [finding.deciding.checkpoint_country]
    for trip, companions in finding.evidence:
        countries.append(trip.nationality or "")
        countries.extend(c.nationality or "" for c in companions)
    return [c for c in dict.fromkeys(countries) if c == finding.deciding.checkpoint_country or c in MEKONG_COUNTRIES]


class Subject(Protocol):
    """Who an alert is about, as it words them: a `Member`, or `messages.Traveller`."""

    @property
    def display_name(self) -> str | None: ...

    @property
    def document(self) -> str | None: ...


def build_pattern_alert(finding: Finding, subject: Subject, *, now: dt.datetime, cfg: PatternConfig) -> Alert:
    """The alert for `finding`, about `subject` (the traveller on the deciding crossing)."""
    deciding = finding.deciding
    evidence_trips = [t for t, _ in finding.evidence]
    share = deciding.unaccompanied_share if finding.pattern == "unaccompanied_minor" else None
    explanation = EXPLANATION[finding.pattern]
    people = {c.key for _, cs in finding.evidence for c in cs}
    score = 1.0 if finding.pattern == "unaccompanied_minor" else min(1.0, 0.6 + 0.1 * len(people))
    return Alert(
        alert_id=finding.alert_id,
        created_at=now,
        event_id=finding.event_id,
        event_type="border_crossing",
        occurred_at=deciding.at,
        entry_id=entry_id(finding.pattern),
        list="suspected_victim",
        priority=PRIORITY[finding.pattern],
        score=score,
        checkpoint_id=deciding.checkpoint_id,
        checkpoint_country=deciding.checkpoint_country,
        direction=deciding.direction,
        traveler_name=subject.display_name,
        traveler_document=subject.document,
        watchlist_name=None,
        case_ref=f"PATTERN-{finding.alert_id[:8].upper()}",
        source_country=deciding.checkpoint_country,
        source_agency=SOURCE_AGENCY,
        recommended_action=ACTION.get(finding.pattern, DEFAULT_ACTION),
        route_to=route_to(finding),
        reasons=[FeatureReason(feature=f"pattern.{finding.pattern}", score=score, weight=1.0,
                               explanation=explanation)],
        hit_count=finding.hit_count,
        update=finding.update,
        matcher_version=PATTERNS_VERSION,
        thresholds=cfg.thresholds(),
        watchlist_version=0,
        pattern=PatternEvidence(
            name=finding.pattern,
            explanation=explanation,
            window_days=cfg.window(finding.pattern) / dt.timedelta(days=1),
            first_seen=min(t.at for t in evidence_trips),
            last_seen=max(t.at for t in evidence_trips),
            crossings=_crossings(finding),
            checkpoint_baseline_share=share,
        ),
    )
