"""The pattern detectors compiled to C with mypyc, used only while the build matches the source exactly.

As the matcher (agents/matching/native.py): the code over the models is `mypy --strict` Python, which
mypyc compiles into extension modules with the same results. `scripts/setup` builds them into
`.native-patterns/` (`agents.patterns.native.build()`) and writes a stamp, a digest of every source of
the package (the models included: compiled code relies on their field types) and of the modules it
imports from elsewhere. At import, `agents.patterns` puts the build first on its `__path__` only when the
stamp matches the sources on disk, so an edited file is never shadowed by an old build (the pure-Python
modules run instead). `BW_PURE_PYTHON=1` disables it. A directory of its own, not the matcher's
`.native/`: each build empties its directory first.

Stdlib only and never compiled itself: it runs before any module of the package is imported.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from agents.mypyc_build import STAMP, compile_into, digest_of, is_compiled, put_first, stamped

PACKAGE_DIR = Path(__file__).resolve().parent  # agents/patterns (sources)
SOURCE_ROOT = PACKAGE_DIR.parent.parent  # the directory holding the `agents` package
NATIVE_ROOT = Path(os.environ.get("BW_NATIVE_PATTERNS_DIR") or SOURCE_ROOT / ".native-patterns")
#: Left as Python: the package initialiser (it sets up the path), this file, the pydantic models (mypyc
#: cannot compile them: `models`, `config`, and `ordered`'s annotated type), the age range (a NamedTuple
#: pydantic validates as a field type) and the alert wording (not on the per-crossing path).
NOT_COMPILED = frozenset({"__init__.py", "native.py", "models.py", "config.py", "ordered.py", "age.py", "alerts.py"})
#: Modules from elsewhere whose types compiled code relies on: a change there makes the build stale too.
IMPORTED = ("schemas/events.py", "schemas/person.py", "schemas/alerts.py", "agents/alerting/ids.py")


def compiled_sources() -> list[Path]:
    """The package's source files mypyc compiles, in a fixed order."""
    return [f for f in sorted(PACKAGE_DIR.glob("*.py")) if f.name not in NOT_COMPILED]


def digest() -> str:
    """Of the package's sources and those it relies on (paths and bytes), and the interpreter."""
    return digest_of(SOURCE_ROOT, [*sorted(PACKAGE_DIR.glob("*.py")), *(SOURCE_ROOT / p for p in IMPORTED)])


def current() -> bool:
    """A build exists and was made from exactly the sources on disk."""
    return stamped(NATIVE_ROOT, digest())


def extend(package_path: list[str]) -> None:
    """Called by `agents.patterns` with its `__path__`: the compiled modules are then found before the
    source ones (when the build is current)."""
    if _active():
        put_first(package_path, NATIVE_ROOT, NATIVE_ROOT / "agents" / "patterns")


@lru_cache(maxsize=1)
def _active() -> bool:
    # Decided once per process: the digest costs a read of the sources.
    return current()


def build() -> int:
    """Compile the sources into NATIVE_ROOT and stamp them; 0 on success. Needs mypy (mypyc) and a C compiler."""
    return compile_into(NATIVE_ROOT, SOURCE_ROOT, compiled_sources(), digest())


__all__ = ["STAMP", "build", "compiled_sources", "current", "digest", "extend", "is_compiled"]
