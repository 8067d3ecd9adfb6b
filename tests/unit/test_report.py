"""streams.report.render_report on generated alerts."""

from __future__ import annotations

import datetime as dt
import random
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from schemas import Alert
from streams.report import render_report
from tests import factories

NOW = factories.NOW.replace(hour=12)
COUNTRIES = ["CHN", "MMR", "LAO", "THA", "KHM", "VNM"]
LISTS = ["suspect", "missing_person", "suspected_victim"]


def make_alert(i: int, rng: random.Random, **over: object) -> dict:
    country = rng.choice(COUNTRIES)
    occurred = NOW - dt.timedelta(minutes=rng.uniform(1, 23 * 60))
    latency = rng.choice([0.004, 0.012, 0.03, 0.04, 0.08, 1.5])
    alert = {
        "alert_id": f"al-{i}",
        "created_at": (occurred + dt.timedelta(seconds=latency)).isoformat(),
        "event_id": f"evt-{i}",
        "event_type": "border_crossing",
        "occurred_at": occurred.isoformat(),
        "entry_id": f"wl-{i % 7}",
        "list": rng.choice(LISTS),
        "priority": rng.choice(["low", "medium", "high", "critical"]),
        "score": 0.9,
        "checkpoint_id": f"{country}-CP-{i % 4}",
        "checkpoint_country": country,
        "direction": "entry",
        "traveler_name": f"Secret Traveller {i}",
        "traveler_document": f"DOC{i:07d}",
        "watchlist_name": f"Secret Listed {i}",
        "case_ref": f"CASE-SECRET-{i}",
        "source_country": "KHM",
        "source_agency": "Agency",
        "recommended_action": "Refer",
        "route_to": [country],
        "reasons": [],
        "matcher_version": "1",
        "thresholds": {"suspect": 0.8},
        "watchlist_version": 1,
    }
    alert.update(over)
    Alert.model_validate(alert)  # generated alerts follow the wire contract
    return alert


@pytest.fixture(scope="module")
def alerts() -> list[dict]:
    rng = random.Random(5)
    return [make_alert(i, rng) for i in range(300)]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)


def test_self_contained_html(alerts: list[dict]) -> None:
    page = render_report(alerts, NOW)
    assert page.startswith("<!DOCTYPE html>")
    parser = _Collector()
    parser.feed(page)
    assert "svg" in parser.tags and "style" in parser.tags
    assert "script" not in parser.tags and "link" not in parser.tags and "img" not in parser.tags
    assert not re.search(r"https?://|url\(|@import", page)
    for name, value in parser.attrs:
        assert not (name in ("src", "href") and value), (name, value)
    # every inline SVG is well-formed XML
    svgs = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert len(svgs) == 4
    for svg in svgs:
        ET.fromstring(svg)


def test_no_personal_data(alerts: list[dict]) -> None:
    page = render_report(alerts, NOW)
    for needle in ("Secret Traveller", "Secret Listed", "CASE-SECRET", "DOC000"):
        assert needle not in page


def test_counts_by_country_and_list(alerts: list[dict]) -> None:
    page = render_report(alerts, NOW)
    assert '<div class="tile"><b>300</b><span>alerts</span></div>' in page
    for code in COUNTRIES:
        n = sum(1 for a in alerts if a["checkpoint_country"] == code)
        bars = re.findall(rf'data-series="{code}"><title>[^:]+: (\d+) ', page)
        assert sum(map(int, bars)) == n
        assert f"({n})</span>" in page
    for name in LISTS:
        bars = re.findall(rf'data-series="{name}"><title>[^:]+: (\d+) ', page)
        assert sum(map(int, bars)) == sum(1 for a in alerts if a["list"] == name)


def test_latency_distribution_and_quantiles() -> None:
    rng = random.Random(1)
    fast = [make_alert(i, rng) for i in range(99)]
    for a in fast:
        occurred = dt.datetime.fromisoformat(a["occurred_at"])
        a["created_at"] = (occurred + dt.timedelta(milliseconds=20)).isoformat()
    slow = make_alert(99, rng)
    slow_occurred = dt.datetime.fromisoformat(slow["occurred_at"])
    slow["created_at"] = (slow_occurred + dt.timedelta(seconds=2)).isoformat()
    retro = make_alert(100, rng, retrospective=True, occurred_at="2026-10-01T00:00:00+00:00")
    page = render_report([*fast, slow, retro], NOW)
    assert "p50 20 ms" in page and "p99 20 ms" in page  # 1 slow out of 100 live alerts
    assert "1 over the 50 ms budget" in page
    assert "100 live alerts" in page  # the retrospective alert is excluded from latency
    assert re.search(r"10 ms – 25 ms: 99<", page)
    assert re.search(r"1 s – 2.5 s: 1<", page)


def test_top_checkpoints_table(alerts: list[dict]) -> None:
    page = render_report(alerts, NOW)
    counts: dict[str, int] = {}
    for a in alerts:
        counts[a["checkpoint_id"]] = counts.get(a["checkpoint_id"], 0) + 1
    best = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    rows = re.findall(r"<tr><td>([^<]+)</td><td>[A-Z]+</td>.*?<td class=\"n\">(\d+)</td></tr>", page)
    assert len(rows) == 10
    assert max(int(n) for _, n in rows) == best[1]
    assert [int(n) for _, n in rows] == sorted((int(n) for _, n in rows), reverse=True)


def test_updates_deduplicated_and_bad_records_skipped() -> None:
    rng = random.Random(2)
    a = make_alert(1, rng)
    update = {**a, "update": True, "hit_count": 2, "created_at": NOW.isoformat()}
    page = render_report([a, update, {"created_at": "not a time"}, {"nope": 1}], NOW)
    assert '<b>1</b><span>alerts</span>' in page
    assert '<b>1</b><span>repeat-hit updates</span>' in page
    assert "2 unreadable record(s) skipped" in page


def test_escapes_hostile_values() -> None:
    rng = random.Random(3)
    a = make_alert(1, rng, checkpoint_id='<script>alert("x")</script>', checkpoint_country="<b>")
    page = render_report([a], NOW)
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "OTHER" in page


def test_empty_and_pure() -> None:
    page = render_report([], NOW)
    assert "No alerts in this period" in page
    assert "<b>0</b><span>alerts</span>" in page
    rng = random.Random(4)
    data = [make_alert(i, rng) for i in range(20)]
    assert render_report(data, NOW) == render_report(iter(list(data)), NOW)
    with pytest.raises(ValueError):
        render_report(data, NOW.replace(tzinfo=None))


def test_long_periods_use_coarser_bins() -> None:
    rng = random.Random(6)
    old = make_alert(1, rng, created_at="2026-10-01T00:00:00+00:00", occurred_at="2026-10-01T00:00:00+00:00")
    page = render_report([old, make_alert(2, rng)], NOW)
    assert "7 d bins" in page  # 58 days: daily bins would exceed MAX_BINS
    bars = re.findall(r"<rect ", page)
    assert len(bars) < 200
