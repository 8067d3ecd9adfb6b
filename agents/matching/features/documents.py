"""Travel documents: same number (after normalization or OCR folding), or a different one."""

from __future__ import annotations

from rapidfuzz.distance import OSA

from agents.matching.features.base import Comparison, Context
from agents.matching.prepared import PreparedPerson

MIN_TYPO_LENGTH = 7
#: Score of a number one typo away from the other's (same issuing country).
TYPO_SCORE = 0.3


def travel_document(query: PreparedPerson, candidate: PreparedPerson, ctx: Context) -> Comparison | None:
    """Travel document numbers agree (ignoring spaces, dashes and OCR look-alikes such as O/0, I/1,
    S/5, B/8, Z/2) for the same issuing country; a different number on a document of the same type
    and country counts against."""
    # The last pair's verdict (ctx.document_pair, a PairVerdict), read and filled here: a direct call of the
    # comparison, not one through a function object.
    memo = ctx.document_pair
    if memo.query is query and memo.candidate is candidate:
        return memo.found
    found = _travel_document(query, candidate)
    memo.query, memo.candidate, memo.found = query, candidate, found
    return found


def _travel_document(query: PreparedPerson, candidate: PreparedPerson) -> Comparison | None:
    best: Comparison | None = None
    against: Comparison | None = None
    for qd in query.documents:
        for cd in candidate.documents:
            if qd.country and cd.country and qd.country != cd.country:
                continue
            if qd.number == cd.number:
                score = 1.0
            elif qd.ocr == cd.ocr:
                score = 0.95
            elif min(len(qd.ocr), len(cd.ocr)) >= MIN_TYPO_LENGTH and OSA.distance(qd.ocr, cd.ocr, score_cutoff=1) <= 1:
                score = TYPO_SCORE
            else:
                if qd.kind == cd.kind and qd.country and cd.country and against is None:
                    against = Comparison(-0.12, qd.text, cd.text)
                continue
            if best is None or score > best.score:
                best = Comparison(score, qd.text, cd.text)
    return best if best is not None else against
