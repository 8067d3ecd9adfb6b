"""Screening: blocking (a handful of candidates per event), then scoring with per-list thresholds."""

from __future__ import annotations

import math
from datetime import datetime

from agents.matching.config import MatcherConfig
from agents.matching.features import Context
from agents.matching.index import WatchlistIndex, document_keys, name_token_keys, pair_key
from agents.matching.prepared import PreparedPerson, prepare_person
from agents.matching.scorer import Match, score_pair
from schemas.person import Document, Person

DOCUMENT_KEY_WEIGHT = 10.0
PAIR_KEY_WEIGHT = 2.0
BIRTH_YEAR_BONUS = 1.5


def _birth_years(prepared: PreparedPerson, slack: int) -> tuple[int, int] | None:
    if prepared.dob is not None:
        return prepared.dob[0] - slack, prepared.dob[0] + slack
    if prepared.year_range is not None:
        return prepared.year_range[0] - slack, prepared.year_range[1] + slack
    return None


def _rank_by_birth_year(index: WatchlistIndex, query: PreparedPerson, hits: dict[int, float]) -> None:
    """Break ties between many name-key hits with the birth year (one year of slack)."""
    years = _birth_years(query, 1)
    if years is None:
        return
    low, high = years
    for slot in hits:
        prepared = index.prepared_at(slot)
        if prepared is None:
            continue
        cand_years = _birth_years(prepared, 0)
        if cand_years is not None and cand_years[0] <= high and low <= cand_years[1]:
            hits[slot] += BIRTH_YEAR_BONUS


def _candidate_slots(index: WatchlistIndex, query: PreparedPerson) -> list[int]:
    config = index.config
    hits: dict[int, float] = {}
    for key in document_keys(query):
        for slot in index.posting(key):
            hits[slot] = hits.get(slot, 0.0) + DOCUMENT_KEY_WEIGHT
    tokens = name_token_keys(query)
    common = sorted(t for t in tokens if index.is_common(t))
    smallest: list[int] | None = None
    for tok in tokens:
        if tok in common:
            continue
        posting = index.posting("t" + tok)
        if not posting:
            continue
        if len(posting) > config.max_posting:
            if smallest is None or len(posting) < len(smallest):
                smallest = posting
            continue
        weight = 1.0 / (1.0 + math.log10(1.0 + len(posting)))
        for slot in posting:
            hits[slot] = hits.get(slot, 0.0) + weight
    used_pair = False
    for i, a in enumerate(common):
        for b in common[i + 1 :]:
            posting = index.posting(pair_key(a, b))
            if not posting:
                continue
            if len(posting) > config.max_posting:
                if smallest is None or len(posting) < len(smallest):
                    smallest = posting
                continue
            used_pair = True
            for slot in posting:
                hits[slot] = hits.get(slot, 0.0) + PAIR_KEY_WEIGHT
    if not used_pair and common and smallest is None:
        for tok in common:
            posting = index.posting("t" + tok)
            if smallest is None or len(posting) < len(smallest):
                smallest = posting
    if smallest is not None and len(hits) < config.max_candidates and len(smallest) <= config.max_common_scan:
        years = _birth_years(query, config.common_scan_year_slack)
        if years is not None:
            low, high = years
            for slot in smallest:
                prepared = index.prepared_at(slot)
                if prepared is None or slot in hits:
                    continue
                cand_years = _birth_years(prepared, 0)
                if cand_years is not None and cand_years[0] <= high and low <= cand_years[1]:
                    hits[slot] = 0.5
    if len(hits) > config.max_candidates:
        _rank_by_birth_year(index, query, hits)
    ranked = sorted(hits.items(), key=lambda kv: -kv[1])
    return [slot for slot, _ in ranked[: config.max_candidates]]


def candidates(index: WatchlistIndex, person: Person, document: Document | None = None) -> list[str]:
    """Entry ids that blocking proposes for this person (before scoring), best key hits first."""
    query = prepare_person(person, document)
    out: list[str] = []
    for slot in _candidate_slots(index, query):
        entry = index.entry_at(slot)
        if entry is not None:
            out.append(entry.entry_id)
    return out


def screen(
    index: WatchlistIndex,
    person: Person,
    config: MatcherConfig,
    *,
    at: datetime,
    document: Document | None = None,
) -> list[Match]:
    """Watchlist entries matching the person at or above their list's threshold, best first.

    Entries whose `valid_until` is before `at` are skipped. `document` is the inspected document of
    a document check, compared in addition to the person's own documents.
    """
    query = prepare_person(person, document)
    ctx = Context(config=config, token_rarity=index.token_rarity)
    matches: list[Match] = []
    for slot in _candidate_slots(index, query):
        entry = index.entry_at(slot)
        prepared = index.prepared_at(slot)
        if entry is None or prepared is None:
            continue
        if entry.valid_until is not None and entry.valid_until < at:
            continue
        score, reasons = score_pair(query, prepared, ctx)
        if score >= config.threshold(entry.list):
            matches.append(Match(entry, round(score, 4), reasons))
    matches.sort(key=lambda m: (-m.score, m.entry.entry_id))
    return matches
