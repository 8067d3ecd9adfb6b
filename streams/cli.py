"""`borderwatch` command line: worker, watchlist tools, officer console, simulation, demo.

Each command builds Settings once and hands off to a module that does the work.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import sys
from pathlib import Path
from typing import Annotated

import orjson
import structlog
import typer

from streams.console.web.cli import console_app
from streams.settings import Settings

app = typer.Typer(help="BorderWatch: real-time screening of Mekong border events against shared watchlists.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
watchlist_app = typer.Typer(help="Load and manage watchlist entries (topic watchlist.entries).",
                            no_args_is_help=True)
alerts_app = typer.Typer(help="Duty officer tools: follow alerts, record decisions.", no_args_is_help=True)
kafka_app = typer.Typer(help="The local Apache Kafka broker used by the demo and the tests.",
                        no_args_is_help=True)
app.add_typer(watchlist_app, name="watchlist")
app.add_typer(alerts_app, name="alerts")
app.add_typer(kafka_app, name="kafka")
app.add_typer(console_app, name="console")


def configure_logging(level: str) -> None:
    """Key-value logs to stderr. Personal data is never passed to a logger in this codebase."""
    logging.basicConfig(level=level, stream=sys.stderr, format="%(message)s")
    for noisy in ("aiokafka", "kafka"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    # Faust logs every produced key and value at DEBUG ("send: topic=.. k=.. v=.."): personal data.
    for payload_logger in ("faust.topics", "faust.transport.drivers.aiokafka"):
        logging.getLogger(payload_logger).setLevel(max(logging.INFO, logging.getLevelName(level)))
    structlog.configure(
        processors=[structlog.processors.add_log_level, structlog.processors.TimeStamper(fmt="iso"),
                    structlog.processors.KeyValueRenderer(key_order=["timestamp", "level", "event"])],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )


def _settings(**overrides: object) -> Settings:
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
    configure_logging(settings.log_level)
    return settings


Bootstrap = Annotated[
    str | None, typer.Option("--bootstrap", "-b", help="Kafka bootstrap servers (env BW_KAFKA_BOOTSTRAP).")
]


@app.command()
def worker(bootstrap: Bootstrap = None,
           metrics_port: Annotated[int | None, typer.Option(help="Port for /metrics (env BW_METRICS_PORT).")] = None,
           web_port: Annotated[int | None, typer.Option(help="Faust web port, 0 = off.")] = None) -> None:
    """Run a screening worker: consume events, screen against the watchlist, publish alerts."""
    from streams.worker import run_worker

    run_worker(_settings(kafka_bootstrap=bootstrap, metrics_port=metrics_port, worker_web_port=web_port))


@app.command("topics")
def create_topics(bootstrap: Bootstrap = None) -> None:
    """Create every BorderWatch topic with its partitions and config (idempotent)."""
    from streams.topics import ensure_topics

    created = asyncio.run(ensure_topics(_settings(kafka_bootstrap=bootstrap)))
    typer.echo(f"created {len(created)} topics" + (f": {', '.join(created)}" if created else ""))


@watchlist_app.command("load")
def watchlist_load(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="JSONL or CSV file.")],
    fmt: Annotated[str | None, typer.Option("--format", help="jsonl | csv (default: by extension).")] = None,
    map_: Annotated[
        list[str] | None, typer.Option("--map", help="CSV column mapping 'Column=field', repeatable.")
    ] = None,
    bootstrap: Bootstrap = None,
) -> None:
    """Validate a watchlist file and publish its entries to watchlist.entries, with a summary."""
    from streams.watchlist_tools import load_file

    settings = _settings(kafka_bootstrap=bootstrap)
    summary = asyncio.run(load_file(settings, file, fmt, map_ or []))
    typer.echo(f"loaded {summary.loaded}, rejected {len(summary.rejected)}")
    for error in summary.rejected[:50]:
        typer.echo(f"  line {error.line}: {error.reason}", err=True)
    if summary.rejected:
        raise typer.Exit(1 if summary.loaded == 0 else 0)


@watchlist_app.command("add")
def watchlist_add(entry_json: Annotated[str, typer.Argument(help="One entry as JSON ('-' = stdin).")],
                  bootstrap: Bootstrap = None) -> None:
    """Add or replace one watchlist entry."""
    from streams.watchlist_tools import add_entry

    raw = sys.stdin.read() if entry_json == "-" else entry_json
    entry_id = asyncio.run(add_entry(_settings(kafka_bootstrap=bootstrap), raw))
    typer.echo(f"upserted {entry_id}")


@watchlist_app.command("remove")
def watchlist_remove(entry_id: str, bootstrap: Bootstrap = None) -> None:
    """Remove an entry (publishes a tombstone; compaction then deletes it)."""
    from streams.watchlist_tools import remove_entry

    asyncio.run(remove_entry(_settings(kafka_bootstrap=bootstrap), entry_id))
    typer.echo(f"removed {entry_id}")


@watchlist_app.command("list")
def watchlist_list(bootstrap: Bootstrap = None,
                   list_name: Annotated[str | None, typer.Option("--list")] = None) -> None:
    """Print the current entries (id, list, priority, source, case) — no personal data."""
    from streams.watchlist_tools import current_entries

    for entry in asyncio.run(current_entries(_settings(kafka_bootstrap=bootstrap))):
        if list_name is None or entry.list == list_name:
            typer.echo(f"{entry.entry_id}\t{entry.list}\t{entry.priority}\t{entry.source_country}\t{entry.case_ref}")


@watchlist_app.command("stats")
def watchlist_stats(bootstrap: Bootstrap = None) -> None:
    """Entries per list and per source country."""
    from collections import Counter

    from streams.watchlist_tools import current_entries

    entries = asyncio.run(current_entries(_settings(kafka_bootstrap=bootstrap)))
    typer.echo(f"total {len(entries)}")
    for (name, country), n in sorted(Counter((e.list, e.source_country) for e in entries).items()):
        typer.echo(f"{name:<18} {country} {n}")


@alerts_app.command("tail")
def alerts_tail(
    country: Annotated[
        list[str] | None, typer.Option("--country", "-c", help="Checkpoint/route country, repeatable.")
    ] = None,
    list_name: Annotated[
        list[str] | None, typer.Option("--list", "-l", help="suspect | missing_person | suspected_victim")
    ] = None,
    min_priority: Annotated[str, typer.Option(help="low | medium | high | critical")] = "low",
    from_beginning: Annotated[bool, typer.Option(help="Replay the topic from its start.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print raw alert JSON lines.")] = False,
    max_alerts: Annotated[int | None, typer.Option(help="Exit after this many alerts.")] = None,
    bootstrap: Bootstrap = None,
) -> None:
    """Live console for a duty officer: who, where, which entry, score and why."""
    from streams.console.terminal import tail_alerts

    settings = _settings(kafka_bootstrap=bootstrap)
    asyncio.run(tail_alerts(settings, countries={c.upper() for c in country or []}, lists=set(list_name or []),
                            min_priority=min_priority, from_beginning=from_beginning, json_out=json_out,
                            max_alerts=max_alerts))


@alerts_app.command("decide")
def alerts_decide(
    alert_id: str,
    decision: Annotated[str, typer.Option(help="confirmed | false_positive | escalated")],
    officer: Annotated[str, typer.Option(help="Officer id (not a name).")],
    note: Annotated[str | None, typer.Option()] = None,
    bootstrap: Bootstrap = None,
) -> None:
    """Record an officer's decision on an alert (topic alerts.decisions)."""
    from streams.console.terminal import post_decision

    asyncio.run(post_decision(_settings(kafka_bootstrap=bootstrap), alert_id, decision, officer, note))
    typer.echo(f"decision {decision} recorded for {alert_id}")


@app.command()
def simulate(
    rate: Annotated[float, typer.Option(help="Events per second.")] = 50.0,
    count: Annotated[int | None, typer.Option(help="Stop after N events (default: run until Ctrl-C).")] = None,
    hit_share: Annotated[float, typer.Option(help="Share of events that are planted watchlist hits.")] = 0.02,
    watchlist: Annotated[Path | None, typer.Option(help="Watchlist file to plant hits from.")] = None,
    seed: int = 7,
    bootstrap: Bootstrap = None,
) -> None:
    """Synthetic checkpoint traffic for the six countries with a known share of planted hits."""
    from streams.simulation.publish import run_simulation

    settings = _settings(kafka_bootstrap=bootstrap)
    sent, planted = asyncio.run(run_simulation(settings, rate=rate, count=count, hit_share=hit_share,
                                               watchlist=watchlist, seed=seed))
    typer.echo(f"sent {sent} crossings, {planted} planted watchlist hits")


@app.command()
def screen(watchlist: Annotated[Path, typer.Option(exists=True, dir_okay=False)],
           events: Annotated[Path, typer.Option(exists=True, dir_okay=False)],
           patterns: Annotated[bool, typer.Option(help="Also run the travel-pattern detectors (events in time "
                                                  "order); their alerts carry a `pattern` object.")] = False) -> None:
    """Offline batch screening: alert JSON lines on stdout, the worker's exact engine and thresholds."""
    from streams.app import screening_context
    from streams.offline import LineIssue, screen_files

    settings = _settings()
    rejected = partial = 0
    runner = None
    if patterns:
        from agents.patterns import PatternConfig, PatternRunner

        runner = PatternRunner(PatternConfig())
    for item in screen_files(watchlist, events, screening_context(settings), patterns=runner):
        if isinstance(item, LineIssue):
            rejected += not item.screened
            partial += item.screened
            typer.echo(f"line {item.number}: {item.detail}", err=True)
        else:
            sys.stdout.buffer.write(orjson.dumps(item.model_dump(mode="json")) + b"\n")
    if partial:
        typer.echo(f"{partial} event lines screened without some of their fields", err=True)
    if rejected:
        typer.echo(f"{rejected} event lines rejected", err=True)


@app.command()
def demo(rate: Annotated[float, typer.Option(help="Simulated events per second.")] = 20.0,
         duration: Annotated[float | None, typer.Option(help="Stop after N seconds (default: Ctrl-C).")] = None,
         metrics_port: int = 9108) -> None:
    """Start a local Kafka, load the sample watchlists, run a worker and traffic, show alerts live."""
    from streams.demo import run_demo

    configure_logging("WARNING")
    run_demo(rate=rate, duration=duration, metrics_port=metrics_port)


@app.command()
def report(out: Annotated[Path, typer.Option(help="HTML file to write.")] = Path("borderwatch-report.html"),
           bootstrap: Bootstrap = None) -> None:
    """Render an HTML report from the alerts topic: alerts over time, latency, top checkpoints."""
    from streams.console.terminal import read_all_alerts
    from streams.report import render_report

    alerts = asyncio.run(read_all_alerts(_settings(kafka_bootstrap=bootstrap)))
    out.write_text(render_report(alerts, dt.datetime.now(dt.UTC)), encoding="utf-8")
    typer.echo(f"wrote {out} ({len(alerts)} alerts)")


@kafka_app.command("fetch")
def kafka_fetch() -> None:
    """Download Apache Kafka and its dependencies from Maven Central into .cache/kafka (once)."""
    from streams.local_kafka import fetch

    configure_logging("INFO")
    typer.echo(str(fetch()))


@kafka_app.command("start")
def kafka_start(port: Annotated[int | None, typer.Option(help="Port (default: a free one).")] = None,
                data_dir: Annotated[Path | None, typer.Option(help="Keep data here (default: temp).")] = None) -> None:
    """Run a local broker in the foreground; prints the bootstrap address; Ctrl-C stops it."""
    import signal
    import threading

    from streams.local_kafka import LocalKafka

    configure_logging("INFO")
    kafka = LocalKafka(port=port, data_dir=data_dir)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with kafka:
        typer.echo(f"BW_KAFKA_BOOTSTRAP={kafka.bootstrap}", err=False)
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
