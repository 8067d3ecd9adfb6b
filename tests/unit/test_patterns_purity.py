"""agents.patterns is pure: importing it pulls in no Faust, Kafka client or streams (the shell)."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
import agents.patterns
leaked = sorted(m for m in sys.modules if m.split(".")[0] in {"faust", "aiokafka", "kafka", "mode", "streams"})
print(",".join(leaked))
"""


def test_import_pulls_in_no_streaming_framework() -> None:
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == ""
