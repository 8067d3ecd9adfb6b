"""Every relative link in the README, docs/ and bench/ Markdown resolves to a file in the repository.

Result files are deleted when a newer run supersedes them (bench/results/HISTORY.md keeps the history), so a
stale link is the likely breakage. Also a script: `.venv/bin/python tests/unit/test_markdown_links.py`
prints the broken links and exits 1 when there are any.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# [text](target) and ![alt](target); the target ends at whitespace or ")" (an optional "title" may follow)
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~)")


def markdown_files() -> list[Path]:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "bench").rglob("*.md"))]
    return [f for f in files if f.is_file()]


def relative_targets(text: str) -> list[str]:
    """Link targets outside fenced code blocks that point into the repository (no scheme, no bare anchor)."""
    targets: list[str] = []
    in_fence = False
    for line in text.splitlines():
        if FENCE.match(line.strip()):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for target in LINK.findall(line):
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("#"):
                continue
            targets.append(target)
    return targets


def broken_links() -> list[str]:
    broken = []
    for md in markdown_files():
        for target in relative_targets(md.read_text(encoding="utf-8")):
            path = target.split("#", 1)[0]
            resolved = (ROOT / path.lstrip("/")) if path.startswith("/") else (md.parent / path)
            if not resolved.exists():
                broken.append(f"{md.relative_to(ROOT)}: {target}")
    return broken


def test_relative_targets_skip_urls_anchors_and_code() -> None:
    text = "[a](x.md) [b](https://e.org/y.md) [c](#top) ![d](img.png \"t\")\n```\n[e](gone.md)\n```\n"
    assert relative_targets(text) == ["x.md", "img.png"]


def test_every_relative_markdown_link_resolves() -> None:
    assert len(markdown_files()) >= 3  # the README, bench/README.md and the results at least
    assert broken_links() == []


if __name__ == "__main__":
    problems = broken_links()
    print("\n".join(problems) if problems else f"all relative links resolve ({len(markdown_files())} files)")
    sys.exit(1 if problems else 0)
