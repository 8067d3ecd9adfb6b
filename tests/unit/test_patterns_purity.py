"""agents.patterns is pure: importing it pulls in no Faust, Kafka client or streams (the shell), and its modules
keep no mutable state of their own."""

from __future__ import annotations

import ast
import subprocess
import sys

from agents.patterns.native import PACKAGE_DIR

CHECK = """
import sys
import agents.patterns
leaked = sorted(m for m in sys.modules if m.split(".")[0] in {"faust", "aiokafka", "kafka", "mode", "streams"})
print(",".join(leaked))
"""


def test_import_pulls_in_no_streaming_framework() -> None:
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == ""


_MUTABLE = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)
_MAKERS = frozenset({"dict", "list", "set", "defaultdict", "OrderedDict", "deque", "Counter", "bytearray"})
_CHANGERS = frozenset({"append", "add", "clear", "discard", "extend", "insert", "pop", "popitem", "remove",
                       "setdefault", "update", "move_to_end", "appendleft", "popleft"})


def _mutable_globals(source: str) -> list[str]:
    """Module-level names holding a mutable container (a literal or a constructor's call) that the module's
    code changes (an item set or deleted, a changing method called): state, where a table only read is a
    constant."""
    tree = ast.parse(source)
    containers: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            value = node.value
            called = value.func if isinstance(value, ast.Call) else None
            name = (called.id if isinstance(called, ast.Name)
                    else called.attr if isinstance(called, ast.Attribute) else "")
            if isinstance(value, _MUTABLE) or name in _MAKERS:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                containers.update(t.id for t in targets if isinstance(t, ast.Name))
    changed: set[str] = set()
    for node in ast.walk(tree):
        stored = isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del)
        if stored or (isinstance(node, ast.Attribute) and node.attr in _CHANGERS):
            target = node.value
        elif isinstance(node, ast.Global):
            changed.update(node.names)
            continue
        else:
            continue
        if isinstance(target, ast.Name):
            changed.add(target.id)
    return sorted(containers & changed)


def test_the_check_finds_a_module_level_memo() -> None:
    source = """
_SEEN: dict[int, int] = {}
_KEPT = collections.OrderedDict()
_LAST = []
TABLE = {"a": 1}
KEYS = frozenset({1})


def f(x: int) -> int:
    local = {}
    local[x] = TABLE["a"]
    if len(_SEEN) > 3:
        _SEEN.clear()
    _SEEN[x] = x
    _KEPT.move_to_end(x)
    _LAST.append(x)
    return x
"""
    assert _mutable_globals(source) == ["_KEPT", "_LAST", "_SEEN"]


def test_no_module_level_mutable_globals() -> None:
    """House rule: memos belong to their caller (`agents/patterns/memo.py`) or are bounded caches of pure
    functions (`functools.lru_cache`), never a module's dict."""
    found = {f.name: names for f in sorted(PACKAGE_DIR.glob("*.py")) if (names := _mutable_globals(f.read_text()))}
    assert found == {}
