"""agents.patterns.native: the mypyc build is used only when current, and decides exactly as the source."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.patterns import native
from tests.builds import printed_json

ROOT = Path(__file__).resolve().parents[2]

#: Runs generated travel (both sides reporting, then one) through the in-memory runner and the worker's
#: steps (states as bytes), and prints every alert of each as JSON.
DETECT = """
import json, sys
from agents.patterns import PatternConfig
from agents.patterns.native import is_compiled
from bench.patterns.generator import generate
from bench.patterns_cost import pure, stage
from schemas.events import BorderCrossing

cfg = PatternConfig()
out = {"compiled": is_compiled("agents.patterns.steps") and is_compiled("agents.patterns.trips"), "alerts": []}
for one_sided in (False, True):
    world = generate(1, 20, 0.1, one_sided=one_sided)
    crossings = [BorderCrossing.model_validate(raw) for raw in world.events]
    for parsed in (0, 200):
        by_runner, by_stage = [], []
        pure(crossings, cfg, by_runner)
        stage([c.model_dump_json().encode() for c in crossings], [c.occurred_at for c in crossings], cfg, parsed,
              keep=by_stage)
        out["alerts"].append([a.model_dump(mode="json") for a in by_runner + by_stage])
print(json.dumps(out))
"""


def test_the_compiled_detectors_decide_exactly_as_the_source() -> None:
    compiled, pure = printed_json(DETECT, pure=False), printed_json(DETECT, pure=True)
    assert compiled["compiled"] is True and pure["compiled"] is False
    assert compiled["alerts"] == pure["alerts"]
    assert min(map(len, pure["alerts"])) > 10  # type: ignore[arg-type]  # alerts on every run: a real comparison


def test_pure_python_on_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(native, "NATIVE_ROOT", tmp_path)
    (tmp_path / native.STAMP).write_text(native.digest() + "\n")
    monkeypatch.setenv("BW_PURE_PYTHON", "1")
    assert not native.current()


def test_the_digest_covers_the_compiled_sources_and_the_models(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    names = {p.name for p in native.compiled_sources()}
    assert {"steps.py", "trips.py", "stored.py", "records.py", "person.py", "detectors.py", "messages.py"} <= names
    assert not names & {"__init__.py", "native.py", "models.py", "config.py"}  # pydantic models stay Python
    # Compiled code relies on the models' field types: editing them (or a schema) makes the build stale.
    package = tmp_path / "agents" / "patterns"
    package.mkdir(parents=True)
    for source in native.PACKAGE_DIR.glob("*.py"):
        (package / source.name).write_bytes(source.read_bytes())
    for imported in native.IMPORTED:
        (tmp_path / imported).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / imported).write_bytes((native.SOURCE_ROOT / imported).read_bytes())
    monkeypatch.setattr(native, "PACKAGE_DIR", package)
    monkeypatch.setattr(native, "SOURCE_ROOT", tmp_path)
    before = native.digest()
    assert before == native.digest()
    for edited in (package / "models.py", tmp_path / "schemas" / "events.py"):
        edited.write_bytes(edited.read_bytes() + b"\n# edited\n")
        after = native.digest()
        assert after != before
        before = after
