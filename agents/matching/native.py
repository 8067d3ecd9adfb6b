"""The matcher compiled to C with mypyc, used only while it matches the source exactly.

The matching code is `mypy --strict` Python; mypyc compiles those same files into extension
modules (faster name preparation and comparison, the same results). `scripts/setup`
builds them into `.native/` (`agents.matching.native.build()`) and writes a stamp: a digest
of the compiled sources. At import, the package puts `.native/` first on its `__path__` only when
the stamp matches the sources on disk, so an edited file is never shadowed by an old build (the
pure-Python modules run instead, and `scripts/setup` rebuilds). `BW_PURE_PYTHON=1` disables it.

Stdlib only and never compiled itself: it runs before any matching module is imported. What the
two compiled packages share is in agents/mypyc_build.py.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from agents.mypyc_build import STAMP, compile_into, digest_of, is_compiled, put_first, stamped

PACKAGE_DIR = Path(__file__).resolve().parent  # agents/matching (sources)
SOURCE_ROOT = PACKAGE_DIR.parent.parent  # the directory holding the `agents` package
NATIVE_ROOT = Path(os.environ.get("BW_NATIVE_DIR") or SOURCE_ROOT / ".native")
#: Left as Python: package initialisers (they set up the paths), this file, the pydantic
#: configuration model (mypyc cannot compile pydantic models), the ICU wrapper and the thai2rom
#: model's runner, its file rewriter and its batched reading ahead (C libraries already). The index
#: is compiled since its posting lists are arrays (agents/matching/blocking/postings.py): before,
#: compiled code boxed a new int each time it stored a slot in a list (bench/results/matcher-1m.md).
NOT_COMPILED = frozenset({"__init__.py", "native.py", "config.py", "icu_transforms.py", "thai_model.py",
                          "onnx_batch.py", "thai_ahead.py", "tally.py", "phonetic_core.py", "sketch_core.py"})
#: Written in C, each with a Python twin of the same name (in NOT_COMPILED) that runs when the
#: build is not current; the build holds both or neither.
C_SOURCES = (PACKAGE_DIR / "blocking" / "tally.c", PACKAGE_DIR / "scripts" / "phonetic_core.c",
             PACKAGE_DIR / "sketch_core.c")
#: The sub-packages, each of which calls `extend` with its name.
SUBPACKAGES = ("features", "scripts", "blocking")


def compiled_sources() -> list[Path]:
    """The matcher's source files mypyc compiles, in a fixed order."""
    files = sorted(PACKAGE_DIR.glob("*.py"))
    for sub in SUBPACKAGES:
        files += sorted((PACKAGE_DIR / sub).glob("*.py"))
    return [f for f in files if f.name not in NOT_COMPILED]


def digest() -> str:
    """Of the compiled sources' paths and bytes, and the interpreter they are compiled for."""
    return digest_of(SOURCE_ROOT, [*compiled_sources(), *C_SOURCES])


def current() -> bool:
    """A build exists and was made from exactly the sources on disk."""
    return stamped(NATIVE_ROOT, digest())


def extend(package_path: list[str], subpackage: str = "") -> None:
    """Called by `agents.matching` and each of its SUBPACKAGES with their `__path__`: the compiled
    modules are then found before the source ones (when the build is current)."""
    if _active():
        put_first(package_path, NATIVE_ROOT, NATIVE_ROOT / "agents" / "matching" / subpackage)


@lru_cache(maxsize=1)
def _active() -> bool:
    # Decided once per process: both packages must agree, and the digest costs a read of the sources.
    return current()


def source_path(module_name: str) -> Path:
    """The source file of a matching module, compiled or not (compiled functions carry no docstring)."""
    parts = module_name.split(".")
    base = SOURCE_ROOT.joinpath(*parts)
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def build() -> int:
    """Compile the sources into NATIVE_ROOT and stamp them; 0 on success. Needs mypy (mypyc) and a C compiler."""
    return compile_into(NATIVE_ROOT, SOURCE_ROOT, compiled_sources(), digest(), C_SOURCES)


__all__ = ["STAMP", "build", "compiled_sources", "current", "digest", "extend", "is_compiled",
           "source_path"]
