"""Who travels with whom: assembling each checkpoint's crossings into trips (groups crossing together).

A trip is the travellers who share a `travel_group_id` at one checkpoint in one direction, or, without
one, who pass the checkpoint in the same direction within `co_crossing_window` of each other (wider where
the checkpoint passes a party further apart: learnt from its own travel groups, or from its children and the
nearest adult, `agents/patterns/pace.py`). Where more
ungrouped travellers than `max_co_crossing_group` pass that close together, it is a queue, and nothing
says who is with whom: a minor in it is neither counted nor flagged as unaccompanied. A short queue (up
to `max_escort_group`) is taken as two parties back to back, split where the line paused longest, once
it ends; in a longer one (a busy booth, or an organised group without a travel group id) each member
travels alone, with those who passed right beside them kept as the line they were in (`_beside`).

Every crossing is passed on at once, as the trip stands so far (a `Delivery`): to the traveller who just
crossed, and to the adults already in the group while it is small enough to be one adult's escort, so a
pattern the crossings so far already show is decided on the crossing that completes it. Later members
update those adults' view of the same trip. A trip is complete when nobody has joined it for
`group_complete_after`; only then is it judged for unaccompanied minors (a minor is "unaccompanied" only
once no adult can still turn up) and counted into the checkpoint's baseline. Children who passed without
one are held until no adult within the booth's reach of them can still pass, and are not flagged if one
passed that close before or after them (`_hold`: the window is kept short of strangers, a parent may
pass further away). Children and young people
who cross alone are remembered for `baseline_days`, so a party without a travel group names those of its
members who also cross here on their own (`Trip.regulars`: where only one side reports, they are not taken
as escorted by a stranger next to them). State is per checkpoint, keyed by checkpoint id, but for those
children and young people: an entry each, stored apart (`agents/patterns/solo.py`), read through `seen`.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from typing import Any, NamedTuple

from agents.alerting.ids import composite_key
from agents.patterns import baseline as usual
from agents.patterns import pace as booth
from agents.patterns.adults import is_adult, is_minor, may_be_adult
from agents.patterns.config import PatternConfig
from agents.patterns.memo import Memo
from agents.patterns.models import CheckpointState, Linked, Member, OpenGroup, Passage, Trip
from agents.patterns.solo import Seen, nothing
from agents.patterns.unvalidated import evolve as _evolve
from agents.patterns.unvalidated import new

__all__ = ["CheckpointState", "Delivery", "Linked", "OpenGroup", "Passage", "Trip", "add_crossing", "close_due",
           "co_crossing_window", "due", "judge"]

MAX_GROUP_MEMBERS = 200  # a group id reused by a whole bus station must not grow state without end
#: The quantile of a booth's pauses taken as the widest within its parties (`unaccompanied_reach`).
WIDEST = 0.95
#: How many parties' worth of its latest members a long queue keeps (`_queue_tail`).
QUEUE_TAIL_PARTIES = 4


class Delivery(NamedTuple):
    """A trip as it stands, for the person states of `to` (some of its members), passed on because of
    the crossing `by` (an event id: the one that joined, or the last member's when the trip completed)."""

    trip: Trip
    to: tuple[Member, ...]
    by: str


def _open_group(linked: Linked, first: Member) -> OpenGroup:
    return new(OpenGroup, {"linked_by": linked, "direction": first.direction, "last_at": first.at, "members": (),
                           "queue": False, "line": False, "held": False, "near": False})


def _order(m: Member) -> tuple[dt.datetime, str]:
    return m.at, m.event_id


def _solo_key(member: Member) -> str:
    return member.key[:12]


def _solo_day(state: CheckpointState, key: str, seen: Seen) -> int | None:
    """When the traveller with this short hash last crossed here alone: as noted during this step, else as
    stored (`agents/patterns/solo.py`; a state written before the entries were stored apart holds them all)."""
    day = state.solo.get(key)
    return day if day is not None else seen(key)


def _regulars(state: CheckpointState, members: tuple[Member, ...], linked: Linked,
              cfg: PatternConfig, seen: Seen) -> frozenset[str]:
    """Members of a party without a travel group known to cross here on their own (see `Trip.regulars`)."""
    if linked not in ("co_crossing", "queue"):
        return frozenset()
    oldest = members[0].at.date().toordinal() - cfg.baseline_days
    days = ((m.event_id, _solo_day(state, _solo_key(m), seen)) for m in members)
    return frozenset(event_id for event_id, day in days if day is not None and day > oldest)


def _note_solo(state: CheckpointState, member: Member, cfg: PatternConfig, seen: Seen) -> CheckpointState:
    """Remember that this child or young person crossed here alone (see `Trip.regulars`): in the state's
    `solo` until the step stores it as an entry of its own (`agents/patterns/solo.py`, which also forgets
    it after `baseline_days`)."""
    if member.age is None or member.age.high > cfg.solo_age_high:
        return state
    day = member.at.date().toordinal()
    key = _solo_key(member)
    if _solo_day(state, key, seen) == day:
        return state
    return _evolve(state, {"solo": {**state.solo, key: day}})


def _trip(state: CheckpointState, group: OpenGroup, members: tuple[Member, ...], linked: Linked,
          cfg: PatternConfig | None = None, seen: Seen = nothing) -> Trip:
    ordered = tuple(sorted(members, key=_order))
    first = ordered[0]
    return new(Trip, {
        "trip_id": _trip_id(state.checkpoint_id, first.event_id),
        "checkpoint_id": state.checkpoint_id,
        "checkpoint_country": state.checkpoint_country,
        "direction": group.direction,
        "at": first.at,
        "linked_by": linked,
        "members": ordered,
        "complete": False,
        "unaccompanied": {},
        "nearby": (),
        "regulars": _regulars(state, ordered, linked, cfg, seen) if cfg is not None else frozenset(),
    })


@functools.lru_cache(maxsize=4096)  # a group's trip is made again on every crossing that joins it
def _trip_id(checkpoint_id: str, first_event_id: str) -> str:
    return composite_key("trip", checkpoint_id, first_event_id)


def _so_far(state: CheckpointState, group: OpenGroup, joined: Member, cfg: PatternConfig, seen: Seen) -> Delivery:
    """The group as it stands after `joined` crossed, for the adults in it: the one who just crossed, and
    those already there while the group could still be one adult's escort (its members are the adults'
    companions; a larger group is organised and tells no escort apart). Only a certain adult can be the
    subject of an escort or shuttle; a minor's one pattern (unaccompanied) is judged when the group is
    complete, so nobody else's state needs the trip."""
    linked: Linked = "alone" if group.linked_by == "co_crossing" and len(group.members) == 1 else group.linked_by
    trip = _trip(state, group, group.members, linked, cfg, seen)
    adult = cfg.adult_age
    if len(group.members) > cfg.max_escort_group + 1:
        return Delivery(trip, (joined,) if is_adult(joined.age, adult) else (), joined.event_id)
    return Delivery(trip, tuple(m for m in group.members if is_adult(m.age, adult)) if is_adult(joined.age, adult) else
                    tuple(m for m in group.members if m.event_id != joined.event_id and is_adult(m.age, adult)),
                    joined.event_id)


def judge(state: CheckpointState, trip: Trip, cfg: PatternConfig) -> tuple[CheckpointState, Trip]:
    """Count the trip's minors into the checkpoint's baseline and flag those who crossed without an adult
    where that is unusual (judged against the baseline before this trip)."""
    minors = [m for m in trip.members if is_minor(m.age, cfg.adult_age)]
    if not minors or trip.linked_by == "queue":  # in a queue nobody can tell who is with whom
        return state, trip
    accompanied = any(may_be_adult(m.age, cfg.adult_age) for m in trip.members)
    day = trip.at.date()
    history = usual.current(state.baseline, day, cfg)
    flagged: dict[str, float] = {}
    if not accompanied and usual.is_unusual(history, cfg):
        share = usual.usual_share(history, cfg)
        flagged = {m.event_id: share for m in minors}
    counts = usual.record(history, day, len(minors), 0 if accompanied else len(minors), cfg)
    return _evolve(state, {"baseline": counts}), _evolve(trip, {"unaccompanied": flagged})


def _close(state: CheckpointState, key: str, cfg: PatternConfig, memo: Memo,
           seen: Seen) -> tuple[CheckpointState, list[Delivery]]:
    """The group is complete: judge it. Every member already has the trip as it stands (sent as they
    joined); minors flagged as unaccompanied get it again with the flag, and the adults of a party
    that passed together without a travel group get it as complete (where only one side of the border
    reports, only a complete party can be told from the head of a queue)."""
    group = state.groups[key]
    groups = {k: g for k, g in state.groups.items() if k != key}
    state = _evolve(state, {"groups": groups})
    if group.queue:  # its members have their trips; those whose line grew since get them again
        return state, _line_grew(state, group, group.members, group.last_at, group.last_at + cfg.co_crossing_window,
                                 cfg)
    if group.linked_by == "co_crossing" and not group.held and group.members:
        state = _party_passed(state, group, cfg)
    if group.line:
        return state, _split_line(state, group, cfg, seen)
    if not group.members:
        return state, []
    if group.held:
        if group.near:  # an adult who may be in their party passed close by: counted, not flagged
            return _counted(state, group, group.members, cfg), []
    elif group.linked_by == "co_crossing" and not any(may_be_adult(m.age, cfg.adult_age) for m in group.members):
        if len(group.members) == 1:
            state = _note_solo(state, group.members[0], cfg, seen)
        return _hold(state, group, cfg, memo, seen)
    linked: Linked = "alone" if group.linked_by == "co_crossing" and len(group.members) == 1 else group.linked_by
    trip = _evolve(_trip(state, group, group.members, linked, cfg, seen), {"complete": True})
    if len(group.members) == 1 and not group.held:
        state = _note_solo(state, group.members[0], cfg, seen)
    state, trip = judge(state, trip, cfg)
    to = tuple(m for m in trip.members if m.event_id in trip.unaccompanied
               or (linked == "co_crossing" and is_adult(m.age, cfg.adult_age)))
    return state, [Delivery(trip, to, trip.members[-1].event_id)] if to else []


def unaccompanied_reach(state: CheckpointState, cfg: PatternConfig, memo: Memo | None = None) -> dt.timedelta:
    """How far from an adult a child passing without one may still be in their party: the widest pause
    seen within this booth's parties (its travel groups' gaps, or its children's pauses to the nearest
    adult: whichever sets its co-crossing window; `WIDEST`: but the very widest few, as a child who
    really crosses alone is measured to whichever stranger is nearest), with the margin that window
    takes over its quantile (the pauses kept are a sample, and a stranger passing between a child and
    their parent shortens the pause measured), at least that window, at most `group_complete_after`;
    `group_complete_after` until the booth's pace is learnt. (`memo`: the caller's, see `co_crossing_window`.)"""
    if memo is None:
        memo = Memo()
    if len(state.party_gaps) >= cfg.learn_window_from:
        widest = _quantile(memo, state.party_gaps, WIDEST) * cfg.window_over_gaps
    elif len(state.child_pauses) >= cfg.learn_window_from and cfg.pace_quantile is not None:
        widest = _quantile(memo, state.child_pauses, WIDEST) * cfg.window_over_pace
    else:
        return cfg.group_complete_after
    return min(max(co_crossing_window(state, cfg, memo), dt.timedelta(seconds=widest)), cfg.group_complete_after)


def _hold(state: CheckpointState, group: OpenGroup, cfg: PatternConfig, memo: Memo,
          seen: Seen) -> tuple[CheckpointState, list[Delivery]]:
    """Children who passed with no adult within the co-crossing window: judged only once no adult can
    still join them (the booth's `unaccompanied_reach` after the last of them), and never flagged if one
    passed within that reach before or after them (`near`). The window links a party
    while keeping strangers out of it, so it also leaves out a parent who passed a longer pause away (a
    booth checking each document in turn, a window not yet learnt); calling the child unaccompanied then
    accuses a family. Children passing one after another that close are one line: an adult after the
    last of them may be any one's. A line longer than a party is a queue of children (a school class
    passing without its travel group): who is with whom is a guess, so none of them is flagged. Either
    way they count into the baseline as children without an adult in their party (`_counted`)."""
    reach = unaccompanied_reach(state, cfg, memo)
    first = min(m.at for m in group.members)
    until = state.adult_until.get(group.direction)
    near = until is not None and first - reach <= until
    key = f"h\x1f{group.direction}"
    out: list[Delivery] = []
    before = state.groups.get(key)
    if before is not None:
        if first - before.last_at <= reach:
            members = (*before.members, *group.members)
            queue = len(members) > cfg.max_co_crossing_group
            if queue:  # counted now (as before they were held): none of them will be flagged
                state = _counted(state, group, members, cfg)
            line = _evolve(before, {"members": () if queue else members, "last_at": max(before.last_at, group.last_at),
                                    "near": before.near or near or queue})
            return _evolve(state, {"groups": {**state.groups, key: line}}), out
        state, out = _close(state, key, cfg, memo, seen)
    held = _evolve(group, {"held": True, "near": near})
    return _evolve(state, {"groups": {**state.groups, key: held}}), out


def _counted(state: CheckpointState, group: OpenGroup, members: tuple[Member, ...],
             cfg: PatternConfig) -> CheckpointState:
    """Children held who are not judged still count into the checkpoint's baseline as children who passed
    without an adult in their party, as they did before they were held: at a market town most children
    alone pass close to an adult, and leaving them out would make the next child alone look unusual."""
    trip = _evolve(_trip(state, group, members, "co_crossing"), {"complete": True})
    return judge(state, trip, cfg)[0]


def _near_adult(state: CheckpointState, member: Member, party_from: dt.datetime,
                cfg: PatternConfig, memo: Memo) -> CheckpointState:
    """A possible adult passed without a travel group, in a party that began passing at `party_from`:
    children held in that direction (`_hold`) are not flagged if that party began within the booth's
    `unaccompanied_reach` of them; remember when, for children passing soon after. (An adult in a travel
    group is with that group: the checkpoint says so.)"""
    if not may_be_adult(member.age, cfg.adult_age):
        return state
    update: dict[str, Any] = {}
    key = f"h\x1f{member.direction}"
    held = state.groups.get(key)
    if (held is not None and not held.near
            and min(party_from, member.at) - held.last_at <= unaccompanied_reach(state, cfg, memo)):
        update["groups"] = {**state.groups, key: _evolve(held, {"near": True})}
    until = state.adult_until.get(member.direction)
    if until is None or until < member.at:
        update["adult_until"] = {**state.adult_until, member.direction: member.at}
    return _evolve(state, update) if update else state


def _party_passed(state: CheckpointState, group: OpenGroup, cfg: PatternConfig) -> CheckpointState:
    """A party without a travel group has passed: a possible adult in it may be with a child as long after
    its last member as after them (a child a pause after the party's last child is as likely theirs)."""
    until = state.adult_until.get(group.direction)
    if ((until is not None and until >= group.last_at)
            or not any(may_be_adult(m.age, cfg.adult_age) for m in group.members)):
        return state
    return _evolve(state, {"adult_until": {**state.adult_until, group.direction: group.last_at}})


def _split_line(state: CheckpointState, group: OpenGroup, cfg: PatternConfig, seen: Seen) -> list[Delivery]:
    """A short queue has ended: two parties back to back, the first ending where the line paused longest
    (a party passes the booth one after another; the next starts after a pause).
    Each party's adults get it as their trip (it replaces the party they were sent as it grew), with the
    rest of the line nearby (a child's parent may have passed a little apart). Not judged for
    unaccompanied minors: who is with whom is a guess."""
    line = sorted(group.members, key=_order)
    pauses = sorted(((b.at - a.at, i) for i, (a, b) in enumerate(itertools.pairwise(line), 1)), reverse=True)
    # Without one longest pause nothing tells two parties apart: one party, then.
    cut = pauses[0][1] if pauses[0][0] > pauses[1][0] else len(line)
    out: list[Delivery] = []
    for party, rest in ((line[:cut], line[cut:]), (line[cut:], line[:cut])):
        if not party:
            continue
        to = tuple(m for m in party if is_adult(m.age, cfg.adult_age))
        if to:
            linked: Linked = "queue" if len(party) > 1 else "alone"
            trip = _evolve(_trip(state, group, tuple(party), linked, cfg, seen),
                           {"complete": True, "nearby": tuple(rest)})
            out.append(Delivery(trip, to, party[-1].event_id))
    return out


def _alone(state: CheckpointState, group: OpenGroup, members: tuple[Member, ...], line: tuple[Member, ...],
           cfg: PatternConfig) -> tuple[CheckpointState, list[Delivery]]:
    """Each member of a queue on a trip of their own, judged at once (a queue is never flagged), with those
    of the `line` who passed beside them so far (`_beside`)."""
    out: list[Delivery] = []
    for member in members:
        state, trip = judge(state, _in_queue(state, group, member, line, cfg), cfg)
        # For an adult only: no other state can use a trip alone (and a queue is never flagged).
        out.append(Delivery(trip, (member,) if is_adult(member.age, cfg.adult_age) else (), member.event_id))
    return state, out


def _in_queue(state: CheckpointState, group: OpenGroup, member: Member, line: tuple[Member, ...],
              cfg: PatternConfig) -> Trip:
    return _evolve(_trip(state, group, (member,), "queue"), {"complete": True, "nearby": _beside(member, line, cfg)})


def _beside(member: Member, line: tuple[Member, ...], cfg: PatternConfig) -> tuple[Member, ...]:
    """Those of a long queue who passed within the configured co-crossing window of `member`, the nearest
    in time first, no more than the rest of a party (`max_co_crossing_group`): a party queues together,
    so on the other side of the border a companion of theirs whom a busy booth kept out of their trip is
    one of them (`TripRecord.line`). They never become companions."""
    beside = cfg.co_crossing_window
    near = sorted((m for m in line if m.event_id != member.event_id and abs(m.at - member.at) <= beside),
                  key=lambda m: abs(m.at - member.at))
    return tuple(near[:cfg.max_co_crossing_group - 1])


def _queue_tail(line: tuple[Member, ...], last_at: dt.datetime, cfg: PatternConfig) -> tuple[Member, ...]:
    """What a long queue keeps of its members (in the order they came): those whose line may still grow
    (within the co-crossing window of the latest) and as many before them as `_beside` can name, at most a
    few parties' worth however busy the booth."""
    since = last_at - cfg.co_crossing_window
    growing = next((i for i, m in enumerate(line) if m.at > since), len(line))
    return line[max(0, growing - (cfg.max_co_crossing_group - 1)):][-QUEUE_TAIL_PARTIES * cfg.max_escort_group:]


def _line_grew(state: CheckpointState, group: OpenGroup, line: tuple[Member, ...], after: dt.datetime,
               until: dt.datetime, cfg: PatternConfig) -> list[Delivery]:
    """The queue's adults who passed after `after` and by `until`, less the co-crossing window, are sent
    their trip again with everyone who passed beside them: sent as they crossed, it named only those
    before them (it replaces that record)."""
    beside = cfg.co_crossing_window
    out: list[Delivery] = []
    for member in line:
        if (after - beside < member.at <= until - beside and is_adult(member.age, cfg.adult_age)
                and any(member.at < m.at <= member.at + beside for m in line)):
            out.append(Delivery(_in_queue(state, group, member, line, cfg), (member,), member.event_id))
    return out


def co_crossing_window(state: CheckpointState, cfg: PatternConfig, memo: Memo | None = None) -> dt.timedelta:
    """How far apart two travellers may pass this checkpoint and still be one party: the configured
    window, or wider where this booth passes a party further apart (a booth that checks each document
    in turn), at most `group_complete_after`. Learnt from the checkpoint's own travel groups
    (`window_over_gaps` times the 90th percentile of the gaps between their members), or, where it
    sends none, from its children passing without one (`window_over_pace` times the `pace_quantile` of
    the pauses between each and the nearest adult: `agents/patterns/pace.py`)."""
    gaps, pauses = state.party_gaps, state.child_pauses
    # Asked several times per crossing of the same state, whose gaps are the same tuples until one is
    # added: the caller's `memo` keeps the last answer, checked by identity first (it holds what it
    # compares, so no other object can have their identity while it is kept).
    if memo is None:
        memo = Memo()
    last = memo.window
    if last is not None and last[0] is gaps and last[1] is pauses and last[2] is cfg:
        return last[3]
    if len(gaps) >= cfg.learn_window_from:
        seen = _quantile(memo, gaps, 0.9) * cfg.window_over_gaps
        window = min(max(cfg.co_crossing_window, dt.timedelta(seconds=seen)), cfg.group_complete_after)
    elif len(pauses) >= cfg.learn_window_from and cfg.pace_quantile is not None:
        seen = _quantile(memo, pauses, cfg.pace_quantile) * cfg.window_over_pace
        window = min(max(cfg.co_crossing_window, dt.timedelta(seconds=seen)), cfg.group_complete_after)
    else:
        window = cfg.co_crossing_window
    memo.window = (gaps, pauses, cfg, window)
    return window


def _quantile(memo: Memo, gaps: tuple[int, ...], q: float) -> int:
    # As `co_crossing_window`'s memo, per quantile (hashing the gaps costs more than that).
    last = memo.quantiles.get(q)
    if last is not None and last[0] is gaps:
        return last[1]
    value = _any_quantile(gaps, q)
    memo.quantiles[q] = (gaps, value)
    return value


@functools.lru_cache(maxsize=4096)  # the gaps change only now and then
def _any_quantile(gaps: tuple[int, ...], q: float) -> int:
    return booth.quantile(gaps, q)


def _with_pace(state: CheckpointState, member: Member, grouped: bool, cfg: PatternConfig) -> CheckpointState:
    """Someone passed the booth: follow the line, and learn how far a child passing without a travel
    group was from the nearest adult (`pace.passed`). Not once the checkpoint's travel groups set its
    window: they keep at least as many gaps as they needed, so its children would never be asked."""
    if len(state.party_gaps) >= cfg.learn_window_from or cfg.pace_quantile is None:
        return state
    pace, learnt = booth.passed(state.pace.get(member.direction), booth.seconds(member.at),
                                adult=is_adult(member.age, cfg.adult_age),
                                child=not grouped and is_minor(member.age, cfg.adult_age),
                                reach=int(cfg.group_complete_after.total_seconds()))
    update: dict[str, Any] = {"pace": {**state.pace, member.direction: pace}}
    if learnt:
        update["child_pauses"] = (*state.child_pauses, *learnt)[-cfg.party_gaps_kept:]
    return _evolve(state, update)


def _with_gap(state: CheckpointState, group: OpenGroup, member: Member, cfg: PatternConfig) -> CheckpointState:
    """Remember how long after the group's last member this one passed (members of a travel group only)."""
    if not group.members or member.at < group.last_at:
        return state
    gap = int((member.at - group.last_at).total_seconds())
    return _evolve(state, {"party_gaps": (*state.party_gaps, gap)[-cfg.party_gaps_kept:]})


def _complete(group: OpenGroup, now: dt.datetime, window: dt.timedelta, cfg: PatternConfig) -> bool:
    """A travel group may still be joined for `group_complete_after`; a party passing without one only
    within the checkpoint's co-crossing `window` of its last member (anyone later starts another)."""
    if group.linked_by == "co_crossing":
        return now - group.last_at > window
    return now - group.last_at >= cfg.group_complete_after


def _line_may_grow(state: CheckpointState, group: OpenGroup, reach: dt.timedelta) -> bool:
    """Children held (`_hold`) while the party passing in their direction began within reach of them: if
    it is children too, it joins their line when it ends."""
    passing = state.groups.get(f"c\x1f{group.direction}")
    return passing is not None and bool(passing.members) and passing.members[0].at - group.last_at <= reach


def _due(state: CheckpointState, group: OpenGroup, now: dt.datetime, window: dt.timedelta,
         cfg: PatternConfig, memo: Memo) -> bool:
    if group.held:  # no adult passing later than the booth's reach can be theirs (`_near_adult`)
        reach = unaccompanied_reach(state, cfg, memo)
        return now - group.last_at > reach and not _line_may_grow(state, group, reach)
    return _complete(group, now, window, cfg)


def due(state: CheckpointState, now: dt.datetime, cfg: PatternConfig, memo: Memo | None = None) -> bool:
    """Some group at this checkpoint is complete by `now` (`memo`: the caller's, see `co_crossing_window`)."""
    if memo is None:
        memo = Memo()
    window = co_crossing_window(state, cfg, memo)
    return any(_due(state, g, now, window, cfg, memo) for g in state.groups.values())


def close_due(state: CheckpointState, now: dt.datetime, cfg: PatternConfig, memo: Memo | None = None,
              seen: Seen = nothing) -> tuple[CheckpointState, list[Delivery]]:
    """Close every group complete by `now`; forget old event ids (`memo`: the caller's, see
    `co_crossing_window`; `seen`: the checkpoint's stored entries of children seen alone, `agents/patterns/solo.py`:
    those noted are left in the state's `solo` for the caller to store)."""
    if memo is None:
        memo = Memo()
    trips: list[Delivery] = []
    window = co_crossing_window(state, cfg, memo)
    # Parties first: children among them are held (`_hold`), and may lengthen a line of children held
    # before them, which is then judged only if still due.
    for held in (False, True):
        complete = [(key, group) for key, group in state.groups.items()
                    if group.held == held and _due(state, group, now, window, cfg, memo)]
        for key, _ in sorted(complete, key=lambda kv: kv[1].last_at):
            if key in state.groups:
                state, closed = _close(state, key, cfg, memo, seen)
                trips.extend(closed)
    forget_before = now - 2 * cfg.group_complete_after
    if state.recent and min(state.recent.values()) < forget_before:
        state = _evolve(state, {"recent": {e: at for e, at in state.recent.items() if at >= forget_before}})
    return state, trips


def add_crossing(state: CheckpointState, member: Member, travel_group_id: str | None, now: dt.datetime,
                 cfg: PatternConfig, memo: Memo | None = None,
                 seen: Seen = nothing) -> tuple[CheckpointState, list[Delivery]]:
    """Fold one crossing in; return the trips to pass on: those completed by `now` (the stream's clock)
    and the traveller's own trip as it stands (`memo`: the caller's, see `co_crossing_window`; `seen`: as
    for `close_due`).

    A redelivered crossing (same event id, seen recently) changes nothing.
    """
    if memo is None:
        memo = Memo()
    state, trips = close_due(state, now, cfg, memo, seen)
    if member.event_id in state.recent:
        return state, trips
    state = _evolve(state, {"recent": {**state.recent, member.event_id: member.at}})
    state = _with_pace(state, member, travel_group_id is not None, cfg)
    if travel_group_id is not None:  # (its adults are its own: never near a child passing without one)
        key = f"g\x1f{member.direction}\x1f{travel_group_id}"
        group = state.groups.get(key) or _open_group("group", member)
        state = _with_gap(state, group, member, cfg)
        full = len(group.members) >= MAX_GROUP_MEMBERS
        members = group.members if full else (*group.members, member)
        joined = _evolve(group, {"members": members, "last_at": max(group.last_at, member.at)})
        state = _evolve(state, {"groups": {**state.groups, key: joined}})
        return state, trips if full else [*trips, _so_far(state, joined, member, cfg, seen)]

    key = f"c\x1f{member.direction}"
    found = state.groups.get(key)
    if found is not None and abs(member.at - found.last_at) > co_crossing_window(state, cfg, memo):
        state, closed = _close(state, key, cfg, memo, seen)
        trips.extend(closed)
        found = None
    group = found or _open_group("co_crossing", member)
    state = _near_adult(state, member, group.members[0].at if group.members else member.at, cfg, memo)
    last_at = max(group.last_at, member.at)
    if group.queue:
        line = (*group.members, member)
        state, alone = _alone(state, group, (member,), line, cfg)
        trips.extend(alone)
        trips.extend(_line_grew(state, group, line, group.last_at, last_at, cfg))
        joined = _evolve(group, {"members": _queue_tail(line, last_at, cfg), "last_at": last_at})
    elif len(group.members) + 1 > cfg.max_escort_group:
        # A long queue after all: everyone in it gets a trip of their own, replacing the party they were sent.
        line = (*group.members, member)
        state, alone = _alone(state, group, line, line, cfg)
        trips.extend(alone)
        joined = _evolve(group, {"members": _queue_tail(line, last_at, cfg), "queue": True, "line": False,
                                 "last_at": last_at})
    elif len(group.members) + 1 > cfg.max_co_crossing_group:
        # A short queue so far: split into parties when it ends (`_split_line`).
        joined = _evolve(group, {"members": (*group.members, member), "line": True, "last_at": last_at})
    else:
        joined = _evolve(group, {"members": (*group.members, member), "last_at": last_at})
        trips.append(_so_far(state, joined, member, cfg, seen))
    return _evolve(state, {"groups": {**state.groups, key: joined}}), trips
