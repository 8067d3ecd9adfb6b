"""The pure logic never imports the streaming framework or the Kafka client."""

from __future__ import annotations

import subprocess
import sys

PURE = ["agents.matching", "agents.alerting", "agents.documents", "agents.decode", "agents.screening",
        "agents.watchlist", "agents.alert_stage", "schemas"]


def test_pure_packages_import_no_faust_or_aiokafka() -> None:
    code = (
        "import sys\n"
        f"for name in {PURE!r}: __import__(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('faust', 'aiokafka', 'mode'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
