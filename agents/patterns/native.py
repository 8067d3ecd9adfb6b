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

import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent  # agents/patterns (sources)
SOURCE_ROOT = PACKAGE_DIR.parent.parent  # the directory holding the `agents` package
NATIVE_ROOT = Path(os.environ.get("BW_NATIVE_PATTERNS_DIR") or SOURCE_ROOT / ".native-patterns")
STAMP = "stamp"
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
    h = hashlib.sha256(sys.implementation.cache_tag.encode())
    for path in [*sorted(PACKAGE_DIR.glob("*.py")), *(SOURCE_ROOT / p for p in IMPORTED)]:
        h.update(path.relative_to(SOURCE_ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def current() -> bool:
    """A build exists and was made from exactly the sources on disk."""
    if os.environ.get("BW_PURE_PYTHON"):
        return False
    try:
        return (NATIVE_ROOT / STAMP).read_text().strip() == digest()
    except OSError:
        return False


def extend(package_path: list[str]) -> None:
    """Called by `agents.patterns` with its `__path__`: the compiled modules are then found before the
    source ones (when the build is current)."""
    if not _active():
        return
    native_dir = NATIVE_ROOT / "agents" / "patterns"
    if str(native_dir) not in package_path:
        package_path.insert(0, str(native_dir))


@lru_cache(maxsize=1)
def _active() -> bool:
    # Decided once per process: the digest costs a read of the sources.
    active = current()
    if active and str(NATIVE_ROOT) not in sys.path:
        sys.path.append(str(NATIVE_ROOT))  # mypyc's shared runtime module lives at the build root
    return active


def is_compiled(module_name: str) -> bool:
    """Whether an imported module is the mypyc build (an extension module) rather than source."""
    module = sys.modules.get(module_name)
    return module is not None and not str(getattr(module, "__file__", "")).endswith(".py")


def build() -> int:
    """Compile the sources into NATIVE_ROOT and stamp them; 0 on success. Needs mypy (mypyc) and a C compiler."""
    import shutil
    import tempfile

    from mypyc.build import mypycify
    from setuptools import Distribution
    from setuptools.command.build_ext import build_ext

    sources = [str(p.relative_to(SOURCE_ROOT)) for p in compiled_sources()]
    wanted = digest()
    shutil.rmtree(NATIVE_ROOT, ignore_errors=True)
    cwd = Path.cwd()
    os.chdir(SOURCE_ROOT)  # mypyc names modules after their paths relative to the working directory
    try:
        with tempfile.TemporaryDirectory(prefix="bw-mypyc-patterns-") as tmp:
            extensions = mypycify(sources, opt_level="3", target_dir=tmp, verbose=False)
            dist = Distribution({"ext_modules": extensions})
            command = build_ext(dist)
            command.build_lib, command.build_temp, command.parallel = str(NATIVE_ROOT), tmp, os.cpu_count() or 1
            command.ensure_finalized()
            command.run()
    finally:
        os.chdir(cwd)
    (NATIVE_ROOT / STAMP).write_text(wanted + "\n")
    return 0
