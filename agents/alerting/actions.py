"""What the duty officer should do, by case type, and the wording of retrospective sightings."""

from __future__ import annotations

import datetime as dt

from schemas.events import BorderCrossing, DocumentCheck
from schemas.watchlist import WatchlistEntry


def _owner(entry: WatchlistEntry) -> str:
    return f"{entry.source_agency} ({entry.source_country})"


def recommended_action(entry: WatchlistEntry) -> str:
    """Suspects: what the owning agency asked for (default discreet check). Missing persons and
    suspected victims: protection and referral, never enforcement — an alarmed victim or their
    trafficker in the queue behind them is the worst outcome."""
    owner = _owner(entry)
    if entry.list == "suspect":
        if entry.handling == "detain":
            return (
                f"DETAIN: {owner} asks checkpoints to detain this person. Confirm identity first, "
                f"then hold and notify {owner}, quoting case {entry.case_ref}."
            )
        return (
            "DISCREET CHECK: do not alert the traveller. Verify identity and documents as routine, "
            f"and report the sighting to {owner}, quoting case {entry.case_ref}."
        )
    what = "missing person" if entry.list == "missing_person" else "victim of trafficking"
    contact = (
        f"{entry.victim_support_contact} (victim support for {owner})"
        if entry.victim_support_contact
        else owner
    )
    return (
        f"PROTECT: possible {what}. Do not alarm the person or anyone travelling with them; keep them "
        f"safe, speak to them apart from companions if it is safe, and contact {contact}, quoting case "
        f"{entry.case_ref}. Not a suspect."
    )


def ago(then: dt.datetime, now: dt.datetime) -> str:
    """Coarse elapsed time for officers: "just now", "5 minutes ago", "3 hours ago", "2 days ago"."""
    seconds = (now - then).total_seconds()
    if seconds < 0:
        return "at a later time than now (clock skew)"
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        count = int(seconds // size)
        if count >= 1:
            return f"{count} {unit}{'s' if count > 1 else ''} ago"
    return "just now"


def retrospective_note(event: BorderCrossing | DocumentCheck, now: dt.datetime) -> str:
    """When and where a past sighting happened, e.g. "exited at checkpoint X (THA) 2 days ago (...)"."""
    if isinstance(event, BorderCrossing):
        verb = "exited" if event.direction == "exit" else "entered"
    else:
        verb = "had a document checked"
    when = event.occurred_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"RETROSPECTIVE: {verb} at checkpoint {event.checkpoint_id} ({event.checkpoint_country}) "
        f"{ago(event.occurred_at, now)} ({when}); the person may no longer be there."
    )
