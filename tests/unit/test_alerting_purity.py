"""agents.alerting and agents.documents are pure: importing them pulls in no Kafka client or Faust."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
import agents.alerting, agents.documents
leaked = sorted(m for m in sys.modules if m.split(".")[0] in {"faust", "aiokafka", "kafka", "mode"})
print(",".join(leaked))
"""


def test_import_pulls_in_no_faust_or_aiokafka() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
