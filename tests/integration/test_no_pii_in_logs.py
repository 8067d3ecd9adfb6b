"""No personal data (names, document numbers, dates of birth) and no secrets in worker logs, even at DEBUG.

Planted, distinctive values go through every path of a worker — watchlist load, a matching crossing,
a non-matching one, a document check, malformed events that carry them — and the whole worker log
(stdout + stderr) is then scanned for them, case-insensitively.
"""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest

from tests.factories import document_check_dict, entry_dict, live_crossing
from tests.helpers import SetUpBroker, kafka_producer, running_worker, watch

pytestmark = pytest.mark.integration

PLANTED = {"full_name": "Zyxqwv Plonkbert", "given_names": "Zyxqwv", "surname": "Plonkbert",
           "aliases": ["Plonky Zyxqwvson"], "date_of_birth": "1933-03-03", "sex": "M", "nationality": "LAO",
           "documents": [{"type": "P", "number": "QQ7654321", "issuing_country": "LAO"}]}
STRANGER = {"full_name": "Grumvald Quexbottom", "date_of_birth": "1944-04-04", "sex": "F", "nationality": "KHM",
            "documents": [{"type": "P", "number": "QQ1112223", "issuing_country": "KHM"}]}
SECRET = "s3cr3t-Kafka-Passw0rd-do-not-log"
FORBIDDEN = ["Zyxqwv", "Plonkbert", "Plonky", "QQ7654321", "1933-03-03", "19330303", "330303",
             "Grumvald", "Quexbottom", "QQ1112223", "1944-04-04", "440404", "case-pii-ref", SECRET]


def forbidden_hits(text: str) -> list[str]:
    return [f for f in FORBIDDEN if re.search(re.escape(f), text, re.IGNORECASE)]


async def test_worker_logs_carry_no_personal_data_or_secrets(broker_with_watchlist: SetUpBroker,
                                                             tmp_path: Path) -> None:
    broker = await broker_with_watchlist(
        [entry_dict("E-PII", PLANTED, case_ref="case-pii-ref", source_country="LAO"),
         entry_dict("E-BAD", {**PLANTED, "sex": "not-a-sex"})],
        BW_LOG_LEVEL="DEBUG", BW_KAFKA_SASL_USERNAME="worker", BW_KAFKA_SASL_PASSWORD=SECRET)
    settings = broker.settings
    assert broker.summary.loaded == 1

    with running_worker(broker.env, tmp_path, "pii-worker") as worker:
        worker.wait_watchlist(1)
        async with watch(settings, settings.topic_alerts, settings.topic_dead_letter) as seen, \
                kafka_producer(settings) as producer:
            # An invalid watchlist record on the topic itself (the loader would have refused it).
            await producer.send_and_wait(settings.topic_watchlist,
                                         orjson.dumps({"entry_id": "E-RAW", "person": PLANTED}), key=b"E-RAW")
            bad_schema = live_crossing(PLANTED, checkpoint_country="LAO", checkpoint_id="LAO-CP01",
                                       direction="sideways")
            bad_json = b'{"traveler": {"full_name": "Zyxqwv Plonkbert", "documents": [{"number": "QQ7654321"'
            hit = live_crossing(PLANTED, checkpoint_country="LAO", checkpoint_id="LAO-CP01")
            miss = live_crossing(STRANGER, checkpoint_country="KHM", checkpoint_id="KHM-CP01")
            doc_check = document_check_dict(PLANTED, event_id="dc-pii", occurred_at=hit["occurred_at"],
                                            checkpoint_id="LAO-CP01", checkpoint_country="LAO",
                                            document=PLANTED["documents"][0])
            for topic, key, value in (
                (settings.topic_crossings, b"bad-schema", orjson.dumps(bad_schema)),
                (settings.topic_crossings, b"bad-json", bad_json),
                (settings.topic_crossings, miss["event_id"].encode(), orjson.dumps(miss)),
                (settings.topic_document_checks, b"dc-pii", orjson.dumps(doc_check)),
                (settings.topic_crossings, hit["event_id"].encode(), orjson.dumps(hit)),
            ):
                await producer.send_and_wait(topic, value, key=key, partition=0)
            await seen.wait_for(lambda d: "original_b64" in d, topic=settings.topic_dead_letter,
                                count=2, timeout=30.0)
            alerts = await seen.wait_for(lambda a: a.get("event_id") in (hit["event_id"], "dc-pii"),
                                         topic=settings.topic_alerts, count=2, timeout=30.0)
            assert {a["entry_id"] for a in alerts} == {"E-PII"}
        assert worker.proc.poll() is None
    # the worker has stopped: its log (stdout + stderr) is complete
    log_text = worker.log_path.read_text(encoding="utf-8", errors="replace")
    assert "level='debug'" in log_text or "[DEBUG]" in log_text, "the worker did not log at DEBUG"
    hits = forbidden_hits(log_text)
    lines = [line[:300] for line in log_text.splitlines() if forbidden_hits(line)][:10]
    assert not hits, f"personal data or secrets in worker logs: {hits}\n" + "\n".join(lines)
