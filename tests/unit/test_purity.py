"""agents/ is the functional core: no module under it imports the shell (streams/), Faust or a Kafka client.

Checked two ways, so neither a lazy in-function import nor a transitive one slips through: every
`import` statement of every file under agents/ (including those inside functions and TYPE_CHECKING
blocks), and what importing every module of the package actually loads.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import agents

FORBIDDEN = ("streams", "faust", "aiokafka", "kafka", "mode")
AGENTS_DIR = Path(agents.__file__).resolve().parent


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def _all_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages([str(AGENTS_DIR)], prefix="agents."))


def test_no_file_under_agents_imports_the_shell_or_a_broker_client() -> None:
    files = sorted(AGENTS_DIR.rglob("*.py"))
    assert len(files) > 40  # the walk really covers the package
    offenders = {str(f.relative_to(AGENTS_DIR)): sorted(_imported_roots(f) & set(FORBIDDEN)) for f in files}
    assert {f: bad for f, bad in offenders.items() if bad} == {}


def test_importing_every_agents_module_loads_no_faust_kafka_or_streams() -> None:
    modules = _all_modules()
    assert "agents.matching.blocking.bulk_build" in modules and "agents.alerting.stage" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == ""
