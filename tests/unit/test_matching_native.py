"""agents.matching.native: the mypyc build is used only when current, and screens exactly as the source."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.matching import native
from tests.builds import printed_json

ROOT = Path(__file__).resolve().parents[2]

#: Screens the dev evaluation set and prints, per query, the matches with their scores and reasons.
SCREEN_EVALSET = """
import json, sys
from agents.matching import MatcherConfig, build_index, search
from agents.matching.native import is_compiled
from bench.evalset.generate import AT, load_evalset
from bench.quality import _subject
from schemas import WatchlistEntry

_meta, entries, queries = load_evalset(sys.argv[1])
config = MatcherConfig()
index = build_index([WatchlistEntry.model_validate(e) for e in entries], config)
out = {"compiled": is_compiled("agents.matching.search"), "results": []}
for q in queries:
    person, document = _subject(q["event"])
    out["results"].append([
        [m.entry.entry_id, round(m.score, 9), [[f.name, round(f.score, 9), f.query, f.candidate, f.explanation]
                                              for f in m.features]]
        for m in search(index, person, config, at=AT, document=document)])
print(json.dumps(out))
"""


def test_the_compiled_matcher_screens_exactly_as_the_source() -> None:
    evalset = str(ROOT / "tests/data/evalset_dev.jsonl")
    compiled, pure = printed_json(SCREEN_EVALSET, evalset, pure=False), printed_json(SCREEN_EVALSET, evalset, pure=True)
    assert compiled["compiled"] is True and pure["compiled"] is False
    assert compiled["results"] == pure["results"]
    assert sum(map(len, pure["results"])) > 500  # type: ignore[arg-type]  # the set alerts: a real comparison


def test_pure_python_on_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(native, "NATIVE_ROOT", tmp_path)
    (tmp_path / native.STAMP).write_text(native.digest() + "\n")
    monkeypatch.setenv("BW_PURE_PYTHON", "1")
    assert not native.current()


def test_the_digest_covers_every_compiled_source() -> None:
    names = {p.relative_to(native.PACKAGE_DIR).as_posix() for p in native.compiled_sources()}
    assert {"search.py", "blocking/prefilter.py", "blocking/index.py", "scripts/romanize.py",
            "features/name.py"} <= names
    assert not names & {"__init__.py", "features/__init__.py", "scripts/__init__.py", "blocking/__init__.py",
                        "native.py", "config.py"}


def test_feature_docstrings_are_read_from_the_source() -> None:
    """What officers read survives compilation: mypyc drops __doc__, the source still has it."""
    import inspect

    from agents.matching.scorer import FEATURES, _source_docstring

    for _name, func in FEATURES:
        doc = _source_docstring(func)
        assert len(doc) > 20
        if func.__doc__:  # pure Python: the same text
            assert doc == inspect.cleandoc(func.__doc__)
