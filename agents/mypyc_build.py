"""A package compiled to C with mypyc, used only while the build matches its sources exactly: what
`agents/matching/native.py` and `agents/patterns/native.py` share. Each of those says which files are
compiled, where the build goes and what its stamp covers; this module checks the stamp, puts a current
build first on the package's path, and builds.

Stdlib only and never compiled itself: it runs before any compiled module is imported.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

STAMP = "stamp"


def digest_of(source_root: Path, paths: Iterable[Path]) -> str:
    """Of the files' paths (relative to `source_root`) and bytes, and the interpreter they are compiled for."""
    h = hashlib.sha256(sys.implementation.cache_tag.encode())
    for path in paths:
        h.update(path.relative_to(source_root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def stamped(native_root: Path, digest: str) -> bool:
    """A build in `native_root` was made from exactly the sources of `digest` (never with BW_PURE_PYTHON)."""
    if os.environ.get("BW_PURE_PYTHON"):
        return False
    try:
        return (native_root / STAMP).read_text().strip() == digest
    except OSError:
        return False


def put_first(package_path: list[str], native_root: Path, native_dir: Path) -> None:
    """The compiled modules in `native_dir` are found before the package's sources."""
    if str(native_root) not in sys.path:
        sys.path.append(str(native_root))  # mypyc's shared runtime module lives at the build root
    if str(native_dir) not in package_path:
        package_path.insert(0, str(native_dir))


def is_compiled(module_name: str) -> bool:
    """Whether an imported module is the mypyc build (an extension module) rather than source."""
    module = sys.modules.get(module_name)
    return module is not None and not str(getattr(module, "__file__", "")).endswith(".py")


def compile_into(native_root: Path, source_root: Path, sources: Sequence[Path], digest: str,
                 c_sources: Sequence[Path] = ()) -> int:
    """Compile `sources` (and plain C extensions) into `native_root` and stamp the build with `digest`;
    0 on success. Needs mypy (mypyc) and a C compiler. The directory is emptied first."""
    import shutil
    import tempfile

    from mypyc.build import mypycify
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    relative = [str(p.relative_to(source_root)) for p in sources]
    shutil.rmtree(native_root, ignore_errors=True)
    cwd = Path.cwd()
    os.chdir(source_root)  # mypyc names modules after their paths relative to the working directory
    try:
        with tempfile.TemporaryDirectory(prefix="bw-mypyc-") as tmp:
            extensions = mypycify(relative, opt_level="3", target_dir=tmp, verbose=False)
            for c_source in c_sources:
                path = c_source.relative_to(source_root)
                name = ".".join(path.with_suffix("").parts)
                extensions.append(Extension(name, [str(path)], extra_compile_args=["-O3", "-Wall"]))
            dist = Distribution({"ext_modules": extensions})
            command = build_ext(dist)
            command.build_lib, command.build_temp, command.parallel = str(native_root), tmp, os.cpu_count() or 1
            command.ensure_finalized()
            command.run()
    finally:
        os.chdir(cwd)
    (native_root / STAMP).write_text(digest + "\n")
    return 0
