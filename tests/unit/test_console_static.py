"""The console's front-end files are pinned: the vendored htmx files match the hashes in NOTICE.md,
their licences are beside them, and no page loads anything from another host (checkpoints may be offline)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "streams" / "console" / "web"


def test_vendored_files_match_their_recorded_hashes_and_have_licences() -> None:
    notice = (WEB / "static" / "NOTICE.md").read_text()
    pinned = re.findall(r"\| `([\w.-]+\.js)` \|.*\| `([0-9a-f]{64})` \|", notice)
    assert {name for name, _ in pinned} == {"htmx-2.0.11.min.js", "htmx-ext-sse-2.2.4.min.js"}
    for name, digest in pinned:
        assert hashlib.sha256((WEB / "static" / name).read_bytes()).hexdigest() == digest, name
    for licence in ("LICENSE.htmx.txt", "LICENSE.htmx-ext-sse.txt"):
        assert "Permission to use, copy, modify" in (WEB / "static" / licence).read_text()


def test_pages_load_nothing_from_another_host() -> None:
    for page in [*(WEB / "templates").glob("*.html"), WEB / "static" / "console.js", WEB / "static" / "console.css"]:
        text = page.read_text()
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), page.name
        assert "url(http" not in text and "@import" not in text, page.name
    base = (WEB / "templates" / "base.html").read_text()
    assert '/static/htmx-2.0.11.min.js' in base and '/static/htmx-ext-sse-2.2.4.min.js' in base
