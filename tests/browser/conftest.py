"""The console against the real stack: a local Apache Kafka broker, a screening worker process, a console
process (`borderwatch console`), officer accounts made with `borderwatch console user add`, and Debian's
chromium driven by Selenium through /usr/bin/chromedriver."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from streams.demo import stop_process
from streams.testkit import free_port
from tests.factories import SUSPECT, entry_dict
from tests.helpers import running_worker, set_up_broker, wait_until

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PASSWORD = "correct horse battery staple"
OFFICERS = {"tha.duty": ("THA", "Immigration Bureau"), "tha.night": ("THA", "Immigration Bureau"),
            "khm.duty": ("KHM", "General Department of Immigration")}
#: Owned by Thailand and shared with no one else: a sighting in Thailand goes to alerts.THA only.
THAI_ONLY = entry_dict("E-THA-ONLY", SUSPECT, shared_with=["THA"])
#: A Cambodian suspect shared with every country: the sentinel that proves Cambodia's stream is live.
KHM_SUSPECT = {"full_name": "Sok Dara", "given_names": "Dara", "surname": "Sok", "date_of_birth": "1983-06-02",
               "sex": "M", "nationality": "KHM",
               "documents": [{"type": "P", "number": "N0123456", "issuing_country": "KHM"}]}
SHARED_KHM = entry_dict("E-KHM-ALL", KHM_SUSPECT, source_country="KHM")
#: A missing child reported by Viet Nam, shared with every country: a critical alert (15-minute clock).
MISSING = {"full_name": "Nguyễn Thị Hồng", "given_names": "Thị Hồng", "surname": "Nguyễn",
           "date_of_birth": "2012-09-30", "sex": "F", "nationality": "VNM"}
MISSING_VNM = entry_dict("E-VNM-MISSING", MISSING, list="missing_person", source_country="VNM", priority="critical",
                         source_agency="Ministry of Public Security", victim_support_contact="VNM victim support desk")
ENTRIES = [THAI_ONLY, SHARED_KHM, MISSING_VNM]


@dataclass
class Console:
    env: dict[str, str]
    port: int
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "streams.cli", "console", *args], env={**os.environ, **self.env},
                              input=stdin, capture_output=True, text=True, timeout=60)

    def health(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
            return dict(json.loads(response.read()))

    def start(self) -> Console:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "streams.cli", "console"],
                                         env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)

        def ready() -> bool:
            assert self.proc is not None and self.proc.poll() is None, self.log_path.read_text()[-3000:]
            return bool(self.health()["ready"])
        wait_until(ready, 30, "the console to catch up with Kafka")
        return self

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc)
            self.proc = None


@dataclass
class Stack:
    env: dict[str, str]
    settings: Any
    console: Console
    worker: Any


@pytest.fixture(scope="module")
async def stack(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("console")
    setup = await set_up_broker(kafka_bootstrap, f"c{os.urandom(4).hex()}", tmp, ENTRIES,
                                BW_CONSOLE_ACCOUNTS=str(tmp / "officers.sqlite3"), BW_CONSOLE_PORT=str(free_port()),
                                BW_CONSOLE_HOST="127.0.0.1", BW_CONSOLE_COOKIE_SECURE="false",
                                BW_CONSOLE_HEARTBEAT_S="1")
    assert setup.summary.loaded == len(ENTRIES) and not setup.summary.rejected
    env, settings = setup.env, setup.settings
    # a critical alert's SLA runs out within the test (the console reads this from its environment as JSON)
    console = Console({**env, "BW_CONSOLE_SLA_S": '{"critical": 5}'}, int(env["BW_CONSOLE_PORT"]), tmp / "console.log")
    for username, (country, agency) in OFFICERS.items():
        added = console.cli("user", "add", username, "--country", country, "--agency", agency, "--password-stdin",
                            stdin=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
    with running_worker(env, tmp) as worker:
        worker.wait_watchlist(len(ENTRIES))
        console.start()
        try:
            yield Stack(env, settings, console, worker)
        finally:
            console.stop()


@pytest.fixture
def browser() -> Iterator[Callable[[], Any]]:
    """A factory of headless chromium sessions, each with a fresh profile; all quit at the end."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    drivers: list[Any] = []
    profiles: list[str] = []

    def new() -> Any:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        profiles.append(tempfile.mkdtemp(prefix="bw-chromium-"))
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000",
                    f"--user-data-dir={profiles[-1]}"):
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        drivers.append(driver)
        return driver

    yield new
    for driver in drivers:
        driver.quit()
    for profile in profiles:
        shutil.rmtree(profile, ignore_errors=True)
