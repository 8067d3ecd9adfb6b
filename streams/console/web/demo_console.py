"""The web console for `borderwatch demo`: its own process, a throw-away accounts file with one duty
officer per Mekong country (`demo.tha`, `demo.khm`, ...) sharing one password made for this run."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from schemas.watchlist import MEKONG_COUNTRIES
from streams.console.web.accounts import Accounts


@dataclass
class DemoConsole:
    proc: subprocess.Popen[bytes]
    url: str
    password: str
    usernames: list[str]


def _port(preferred: int) -> int:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            probe.bind(("127.0.0.1", 0))
            return int(probe.getsockname()[1])


def start_demo_console(bootstrap: str, workdir: Path, preferred_port: int = 8088,
                       timeout: float = 30.0) -> DemoConsole:
    accounts_path = workdir / "officers.sqlite3"
    password = secrets.token_urlsafe(12)
    accounts = Accounts(accounts_path)
    usernames = [accounts.add(f"demo.{c.lower()}", c, "Demo duty desk", password).username for c in MEKONG_COUNTRIES]
    port = _port(preferred_port)
    env = {**os.environ, "BW_KAFKA_BOOTSTRAP": bootstrap, "BW_CONSOLE_ACCOUNTS": str(accounts_path),
           "BW_CONSOLE_PORT": str(port), "BW_CONSOLE_HOST": "127.0.0.1",
           "BW_CONSOLE_COOKIE_SECURE": "false"}  # plain HTTP on localhost for the demo only
    with (workdir / "console.log").open("ab") as log:
        proc = subprocess.Popen([sys.executable, "-m", "streams.cli", "console"], env=env, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}healthz", timeout=2):
                break
        except OSError:
            time.sleep(0.2)
    return DemoConsole(proc, url, password, usernames)
