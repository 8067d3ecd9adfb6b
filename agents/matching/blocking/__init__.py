"""Blocking: which few watchlist entries an event meets. Keys, posting lists ordered by birth year,
the key-hit tally that ranks candidates, the prefilter that rules out namesakes from packed codes,
the index, and its bulk build."""

from agents.matching import native as _native

_native.extend(__path__, "blocking")
