"""Alert activity report: one self-contained HTML page (inline SVG, inline CSS, no JavaScript, no
external resources), safe to mail or archive.

    html = render_report(alerts, now=datetime.now(UTC))

``alerts`` are dicts shaped like :class:`schemas.Alert` (as read from the ``alerts`` topic;
timestamps may be RFC 3339 strings or aware datetimes). The report shows aggregates only: alerts
over time by checkpoint country and by list, the screening latency distribution
(``created_at - occurred_at``), and the busiest checkpoints. It never prints names, document
numbers, case references or any other personal data. Pure function: no I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MEKONG_COUNTRIES: tuple[str, ...] = ("CHN", "MMR", "LAO", "THA", "KHM", "VNM")
COUNTRY_NAMES = {
    "CHN": "China", "MMR": "Myanmar", "LAO": "Laos", "THA": "Thailand", "KHM": "Cambodia",
    "VNM": "Viet Nam", "OTHER": "Other",
}
LISTS: tuple[str, ...] = ("suspect", "missing_person", "suspected_victim")
LIST_NAMES = {
    "suspect": "Suspect", "missing_person": "Missing person", "suspected_victim": "Suspected victim",
    "other": "Other",
}
PRIORITIES: tuple[str, ...] = ("critical", "high", "medium", "low")

#: Colour-blind-safe palette (Okabe-Ito), one colour per series.
COUNTRY_COLOURS = {
    "CHN": "#D55E00", "MMR": "#E69F00", "LAO": "#009E73", "THA": "#0072B2", "KHM": "#CC79A7",
    "VNM": "#56B4E9", "OTHER": "#999999",
}
LIST_COLOURS = {
    "suspect": "#D55E00", "missing_person": "#0072B2", "suspected_victim": "#009E73", "other": "#999999",
}

#: Latency histogram edges in seconds (the screening budget is 50 ms).
LATENCY_EDGES: tuple[float, ...] = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
LATENCY_BUDGET_S = 0.05
#: Candidate bin widths for the time axis; the smallest giving at most MAX_BINS bins is used.
BIN_SIZES: tuple[dt.timedelta, ...] = tuple(
    dt.timedelta(minutes=m) for m in (1, 5, 15, 30, 60, 180, 360, 720, 1440, 10080)
)
MAX_BINS = 48
TOP_CHECKPOINTS = 10


@dataclass(frozen=True, slots=True)
class _Alert:
    alert_id: str
    created: dt.datetime
    occurred: dt.datetime | None
    country: str
    list: str
    priority: str
    checkpoint: str
    retrospective: bool


def _ts(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.astimezone(dt.UTC)


def _country(value: Any) -> str:
    code = value.strip().upper() if isinstance(value, str) else ""
    return code if code in MEKONG_COUNTRIES else "OTHER"


def _parse(raw: Mapping[str, Any]) -> _Alert | None:
    if not isinstance(raw, Mapping):
        return None
    created = _ts(raw.get("created_at"))
    if created is None:
        return None
    lst = raw.get("list")
    prio = raw.get("priority")
    return _Alert(
        alert_id=str(raw.get("alert_id") or id(raw)),
        created=created,
        occurred=_ts(raw.get("occurred_at")),
        country=_country(raw.get("checkpoint_country")),
        list=lst if lst in LISTS else "other",
        priority=prio if prio in PRIORITIES else "other",
        checkpoint=str(raw.get("checkpoint_id") or "?")[:64],
        retrospective=raw.get("retrospective") is True,
    )


def _dedupe(alerts: Iterable[Mapping[str, Any]]) -> tuple[list[_Alert], int, int]:
    """First publication of each alert_id (updates re-publish the same alert); counts of updates
    and unreadable records."""
    first: dict[str, _Alert] = {}
    updates = skipped = 0
    for raw in alerts:
        a = _parse(raw)
        if a is None:
            skipped += 1
            continue
        prev = first.get(a.alert_id)
        if prev is None:
            first[a.alert_id] = a
        else:
            updates += 1
            if a.created < prev.created:
                first[a.alert_id] = a
    return sorted(first.values(), key=lambda a: (a.created, a.alert_id)), updates, skipped


def _quantile(sorted_values: Sequence[float], q: float) -> float | None:
    if not sorted_values:
        return None
    idx = min(len(sorted_values) - 1, max(0, math.ceil(q * len(sorted_values)) - 1))
    return sorted_values[idx]


def _fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms" if seconds >= 0.001 else f"{seconds * 1000:.2f} ms"
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _fmt_edge(seconds: float) -> str:
    return f"{seconds * 1000:g} ms" if seconds < 1 else f"{seconds:g} s"


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


# --- SVG building blocks ------------------------------------------------------------------------


def _stacked_bars(
    title: str,
    bins: Sequence[dt.datetime],
    bin_size: dt.timedelta,
    series: Sequence[tuple[str, str, str, Sequence[int]]],  # (key, label, colour, counts per bin)
) -> str:
    width, height, left, right, top, bottom = 860, 260, 48, 12, 14, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(1, len(bins))
    totals = [sum(s[3][i] for s in series) for i in range(len(bins))]
    peak = max(totals, default=0)
    ymax = _nice_max(peak)
    bar_w = plot_w / n
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{_esc(title)}">',
        f"<title>{_esc(title)}</title>",
    ]
    for tick in _ticks(ymax):
        y = top + plot_h - plot_h * tick / ymax
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">{tick}</text>')
    label_every = max(1, math.ceil(n / 8))
    for i, start in enumerate(bins):
        x = left + i * bar_w
        y = top + plot_h
        for key, label, colour, counts in series:
            c = counts[i]
            if not c:
                continue
            h = plot_h * c / ymax
            y -= h
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{max(bar_w - 2, 1):.1f}" height="{h:.1f}" '
                f'fill="{colour}" data-series="{_esc(key)}"><title>{_esc(label)}: {c} '
                f"({start:%Y-%m-%d %H:%M} UTC, {_fmt_bin(bin_size)})</title></rect>"
            )
        if i % label_every == 0:
            fmt = "%m-%d" if bin_size >= dt.timedelta(days=1) else "%m-%d %H:%M"
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" class="tick" '
                f'text-anchor="middle">{start.strftime(fmt)}</text>'
            )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" class="axis"/>'
    )
    parts.append("</svg>")
    legend = "".join(
        f'<span class="key"><i style="background:{colour}"></i>{_esc(label)} ({sum(counts)})</span>'
        for _key, label, colour, counts in series
        if sum(counts)
    )
    return "".join(parts) + f'<div class="legend">{legend}</div>'


def _hbars(title: str, rows: Sequence[tuple[str, int, str]], *, unit: str = "") -> str:
    """Horizontal bar chart: rows of (label, value, colour)."""
    width, row_h, left, right, top = 860, 22, 230, 60, 6
    height = top * 2 + row_h * max(1, len(rows))
    vmax = max((v for _, v, _ in rows), default=0) or 1
    plot_w = width - left - right
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{_esc(title)}"><title>{_esc(title)}</title>'
    ]
    for i, (label, value, colour) in enumerate(rows):
        y = top + i * row_h
        w = plot_w * value / vmax
        parts.append(
            f'<text x="{left - 8}" y="{y + 15}" class="label" text-anchor="end">{_esc(label)}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{colour}">'
            f"<title>{_esc(label)}: {value}{unit}</title></rect>"
            f'<text x="{left + w + 6:.1f}" y="{y + 15}" class="value">{value}{unit}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _nice_max(value: float) -> int:
    if value <= 0:
        return 1
    magnitude = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return max(1, math.ceil(step * magnitude))
    return math.ceil(value)  # pragma: no cover


def _ticks(ymax: int) -> list[int]:
    step = max(1, ymax // 4)
    return list(range(0, ymax + 1, step))


def _fmt_bin(size: dt.timedelta) -> str:
    minutes = int(size.total_seconds() // 60)
    if minutes % 1440 == 0:
        return f"{minutes // 1440} d bins"
    if minutes % 60 == 0:
        return f"{minutes // 60} h bins"
    return f"{minutes} min bins"


def _time_bins(alerts: Sequence[_Alert], now: dt.datetime) -> tuple[list[dt.datetime], dt.timedelta]:
    start = min((a.created for a in alerts), default=now - dt.timedelta(hours=24))
    start = min(start, now - dt.timedelta(hours=1))
    span = now - start
    size = next((b for b in BIN_SIZES if span / b <= MAX_BINS), BIN_SIZES[-1])
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    first = epoch + size * ((start - epoch) // size)
    count = max(1, math.ceil((now - first) / size))
    if first + size * count <= now:
        count += 1
    return [first + size * i for i in range(count)], size


# --- the report ---------------------------------------------------------------------------------

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:24px auto;
max-width:900px;color:#1b1f24;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;
padding-bottom:4px}.meta{color:#57606a;margin:0 0 16px}
.tiles{display:flex;flex-wrap:wrap;gap:10px}.tile{border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;
min-width:120px}.tile b{display:block;font-size:20px}.tile span{color:#57606a;font-size:12px}
.chart{max-width:100%;height:auto;display:block}.grid{stroke:#eaeef2}.axis{stroke:#8c959f}
.tick{font-size:11px;fill:#57606a}.label{font-size:12px;fill:#1b1f24}.value{font-size:12px;fill:#57606a}
.budget{stroke:#cf222e;stroke-dasharray:4 3}.legend{margin:4px 0 0 48px}
.key{display:inline-block;margin-right:14px;font-size:12px}.key i{display:inline-block;width:10px;height:10px;
margin-right:4px;border-radius:2px}
table{border-collapse:collapse;margin-top:8px}td,th{padding:3px 10px;border-bottom:1px solid #eaeef2;
text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}.note{color:#57606a;font-size:12px}
"""


def render_report(alerts: Iterable[Mapping[str, Any]], now: dt.datetime) -> str:
    """Render the alert report as a complete HTML document (UTF-8 text)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(dt.UTC)
    items, updates, skipped = _dedupe(alerts)
    bins, size = _time_bins(items, now)

    def bin_index(ts: dt.datetime) -> int:
        return min(len(bins) - 1, max(0, int((ts - bins[0]) // size)))

    by_country: dict[str, list[int]] = defaultdict(lambda: [0] * len(bins))
    by_list: dict[str, list[int]] = defaultdict(lambda: [0] * len(bins))
    for a in items:
        i = bin_index(a.created)
        by_country[a.country][i] += 1
        by_list[a.list][i] += 1

    live = [a for a in items if not a.retrospective and a.occurred is not None]
    latencies = sorted(max(0.0, (a.created - a.occurred).total_seconds()) for a in live)  # type: ignore[operator]
    p50, p95, p99 = (_quantile(latencies, q) for q in (0.5, 0.95, 0.99))
    over_budget = sum(1 for v in latencies if v > LATENCY_BUDGET_S)

    priorities = Counter(a.priority for a in items)
    checkpoints = Counter((a.checkpoint, a.country) for a in items)
    retro = sum(1 for a in items if a.retrospective)

    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        "<title>BorderWatch alert report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>BorderWatch alert report</h1>",
        f'<p class="meta">Generated {now:%Y-%m-%d %H:%M} UTC · '
        f"{bins[0]:%Y-%m-%d %H:%M} – {now:%Y-%m-%d %H:%M} UTC · {_fmt_bin(size)}</p>",
        '<div class="tiles">',
        _tile(len(items), "alerts"),
        *(_tile(priorities.get(p, 0), f"{p} priority") for p in PRIORITIES),
        _tile(retro, "retrospective"),
        _tile(updates, "repeat-hit updates"),
        _tile(_fmt_duration(p50), "latency p50"),
        _tile(_fmt_duration(p99), "latency p99"),
        "</div>",
    ]
    if skipped:
        out.append(f'<p class="note">{skipped} unreadable record(s) skipped.</p>')

    country_series = [
        (c, f"{c} {COUNTRY_NAMES[c]}", COUNTRY_COLOURS[c], by_country.get(c, [0] * len(bins)))
        for c in (*MEKONG_COUNTRIES, "OTHER")
    ]
    list_series = [
        (name, LIST_NAMES[name], LIST_COLOURS[name], by_list.get(name, [0] * len(bins)))
        for name in (*LISTS, "other")
    ]
    out += [
        "<h2>Alerts over time by checkpoint country</h2>",
        _stacked_bars("Alerts over time by checkpoint country", bins, size, country_series),
        "<h2>Alerts over time by list</h2>",
        _stacked_bars("Alerts over time by list", bins, size, list_series),
    ]

    out.append("<h2>Screening latency (created_at − occurred_at)</h2>")
    if latencies:
        edges = LATENCY_EDGES
        counts = [0] * (len(edges) + 1)
        for v in latencies:
            counts[next((i for i, e in enumerate(edges) if v <= e), len(edges))] += 1
        labels = [f"≤ {_fmt_edge(edges[0])}"]
        labels += [f"{_fmt_edge(lo)} – {_fmt_edge(hi)}" for lo, hi in itertools.pairwise(edges)]
        labels.append(f"> {_fmt_edge(edges[-1])}")
        rows = [
            (label, c, "#0072B2" if (i < len(edges) and edges[i] <= LATENCY_BUDGET_S) else "#D55E00")
            for i, (label, c) in enumerate(zip(labels, counts, strict=True))
        ]
        out.append(_hbars("Screening latency distribution", rows))
        out.append(
            f'<p class="note">{len(latencies)} live alerts · p50 {_fmt_duration(p50)} · p95 '
            f"{_fmt_duration(p95)} · p99 {_fmt_duration(p99)} · {over_budget} over the "
            f"{_fmt_duration(LATENCY_BUDGET_S)} budget (orange). Retrospective alerts are excluded.</p>"
        )
    else:
        out.append('<p class="note">No live alerts with an occurrence time in this period.</p>')

    out.append(f"<h2>Top {TOP_CHECKPOINTS} checkpoints</h2>")
    top = sorted(checkpoints.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_CHECKPOINTS]
    if top:
        out.append(
            _hbars("Alerts per checkpoint", [(f"{cp} ({c})", n, COUNTRY_COLOURS[c]) for (cp, c), n in top])
        )
        out.append("<table><thead><tr><th>Checkpoint</th><th>Country</th>")
        out.append("".join(f'<th class="n">{_esc(LIST_NAMES[name])}</th>' for name in LISTS))
        out.append('<th class="n">Total</th></tr></thead><tbody>')
        per_list = Counter((a.checkpoint, a.country, a.list) for a in items)
        for (cp, c), n in top:
            cells = "".join(f'<td class="n">{per_list.get((cp, c, name), 0)}</td>' for name in LISTS)
            out.append(f"<tr><td>{_esc(cp)}</td><td>{_esc(c)}</td>{cells}<td class=\"n\">{n}</td></tr>")
        out.append("</tbody></table>")
    else:
        out.append('<p class="note">No alerts in this period.</p>')

    out.append(
        '<p class="note">Aggregates only: this report contains no names, document numbers or case '
        "references.</p></body></html>"
    )
    return "\n".join(out) + "\n"


def _tile(value: object, label: str) -> str:
    return f'<div class="tile"><b>{_esc(value)}</b><span>{_esc(label)}</span></div>'


__all__ = ["render_report"]
