"""A tiny Faust app that only consumes (no decode, no send): the framework's ceiling for bench/e2e.py.

    python bench/e2e_faust_sink.py BOOTSTRAP TOPIC COUNT [events|take]

Same Faust settings as the BorderWatch worker (streams/app.py) where they matter: the event loop
(streams/worker.py, uvloop when installed), raw serializers, at-least-once, stream_wait_empty=False,
earliest offsets, a fresh consumer group. Prints one JSON line on stdout when COUNT messages were seen:
perf_counter of the first and last message, CPU seconds of the process between them, then exits.
Mode ``take`` consumes with ``stream.take_events(1000, within=0.05)`` (batched
iteration, same at-least-once acking) to measure what batching buys in the framework itself.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> None:
    bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    mode = sys.argv[4] if len(sys.argv) > 4 else "events"
    import faust

    from streams.worker import use_event_loop

    # the worker's event loop too (BW_EVENT_LOOP: uvloop when installed), so the ceiling stays comparable
    use_event_loop(os.environ.get("BW_EVENT_LOOP", "auto"))
    app = faust.App(f"bench-sink-{os.getpid()}-{int(time.time())}", broker=f"kafka://{bootstrap}",
                    store="memory://", datadir=tempfile.mkdtemp(prefix="bench-sink-"), web_enabled=False,
                    topic_allow_declare=False, consumer_auto_offset_reset="earliest",
                    processing_guarantee="at_least_once", stream_wait_empty=False, logging_config=None,
                    producer_linger_ms=5)
    source = app.topic(topic, key_serializer="raw", value_serializer="raw")
    state = {"n": 0, "t0": 0.0, "cpu0": 0.0}

    def done() -> None:
        t1, cpu1 = time.perf_counter(), time.process_time()
        print(json.dumps({"count": state["n"], "t_first": state["t0"], "t_last": t1,
                          "cpu_s": cpu1 - state["cpu0"], "mode": mode}), flush=True)
        os._exit(0)  # measurement taken; skip Faust's graceful shutdown

    def seen(k: int) -> None:
        if state["n"] == 0:
            state["t0"], state["cpu0"] = time.perf_counter(), time.process_time()
        state["n"] += k
        if state["n"] >= count:
            done()

    @app.agent(source, name="bench.sink")
    async def sink(stream):  # type: ignore[no-untyped-def]
        if mode == "take":
            async for batch in stream.take_events(1000, within=0.05):
                seen(len(batch))
        else:
            async for _event in stream.events():
                seen(1)

    worker = faust.Worker(app, loglevel="WARNING", quiet=True, redirect_stdouts=False)
    sys.argv = [sys.argv[0], "worker"]
    worker.execute_from_commandline()


if __name__ == "__main__":
    main()
