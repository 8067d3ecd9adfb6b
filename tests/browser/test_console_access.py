"""Access per agency, enforced on the server: pages, the stream and every action check the session's
officer and their country; POSTs need the CSRF token; logins are throttled; a removed account is out at
its next request. Plain HTTP (httpx) against the console process: no browser needed to prove the server
refuses."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest

from tests.browser.conftest import PASSWORD, THAI_ONLY
from tests.factories import SUSPECT, live_crossing
from tests.helpers import kafka_producer, wait_until, watch

pytestmark = pytest.mark.integration


@contextlib.contextmanager
def session(url: str, username: str | None = None, password: str = PASSWORD) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=10) as client:
        if username is not None:
            response = client.post("/login", data={"username": username, "password": password,
                                                   "csrf_token": csrf(client, "/login")})
            assert response.status_code == 303 and response.headers["location"] == "/", response.text[-500:]
        yield client


def csrf(client: httpx.Client, page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def sse_alert_ids(client: httpx.Client, after: str) -> list[str]:
    """The alert ids a stream replays from `after` until it reports being caught up."""
    ids: list[str] = []
    event = ""
    with client.stream("GET", "/stream", params={"after": after}) as stream:
        assert stream.status_code == 200
        for line in stream.iter_lines():
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "alert":
                ids += re.findall(r'data-alert-id="([^"]+)"', line)
            elif line == "data: " and event == "status":
                return ids  # the empty status event closes the replay
    raise AssertionError("the stream ended before catching up")


@pytest.fixture(scope="module")
async def thai_alert(stack: Any) -> dict[str, Any]:
    return await new_thai_alert(stack, "THA-ACCESS-1")


async def new_thai_alert(stack: Any, checkpoint_id: str) -> dict[str, Any]:
    """An alert on an entry Thailand shares with nobody, seen at a Thai checkpoint, once the console has it."""
    event = live_crossing(SUSPECT, checkpoint_id=checkpoint_id)
    topic = f"{stack.settings.topic_alerts}.THA"
    async with watch(stack.settings, topic) as alerts, kafka_producer(stack.settings) as producer:
        await producer.send_and_wait(stack.settings.topic_crossings, orjson.dumps(event),
                                     key=event["event_id"].encode())
        found = await alerts.wait_for(lambda a: a["event_id"] == event["event_id"], timeout=15)
    assert found[0]["entry_id"] == THAI_ONLY["entry_id"] and found[0]["route_to"] == ["THA"]
    with session(stack.console.url, "tha.duty") as thai:
        wait_until(lambda: thai.get(f"/alerts/{found[0]['alert_id']}").status_code == 200, 15,
                   "the console to show the Thai alert to a Thai officer")
    return found[0]


@pytest.fixture
def thai(stack: Any) -> Iterator[httpx.Client]:
    with session(stack.console.url, "tha.duty") as client:
        yield client


@pytest.fixture
def khm(stack: Any) -> Iterator[httpx.Client]:
    with session(stack.console.url, "khm.duty") as client:
        yield client


def test_nothing_without_a_session(stack: Any, thai_alert: dict[str, Any]) -> None:
    with session(stack.console.url) as anonymous:
        for path in ("/", f"/alerts/{thai_alert['alert_id']}", f"/entries/{thai_alert['entry_id']}"):
            response = anonymous.get(path)
            assert response.status_code == 303 and response.headers["location"] == "/login", path
        assert anonymous.get("/stream").status_code == 401
        assert anonymous.post(f"/alerts/{thai_alert['alert_id']}/decision",
                              data={"decision": "confirmed"}).status_code == 401
        assert "Somchai" not in anonymous.get("/healthz").text


async def test_another_country_gets_404_on_every_page_stream_and_action(
        stack: Any, thai_alert: dict[str, Any], thai: httpx.Client, khm: httpx.Client) -> None:
    alert_id = thai_alert["alert_id"]
    assert thai.get(f"/alerts/{alert_id}").status_code == 200
    assert khm.get(f"/alerts/{alert_id}").status_code == 404
    assert khm.get("/alerts/does-not-exist").status_code == 404  # the same answer: nothing leaks
    assert khm.get(f"/entries/{thai_alert['entry_id']}").status_code == 404
    token = csrf(khm, "/")
    for action in ("claim", "release"):
        assert khm.post(f"/alerts/{alert_id}/{action}", headers={"X-CSRF-Token": token}).status_code == 404
    async with watch(stack.settings, stack.settings.topic_decisions) as decisions:
        refused = khm.post(f"/alerts/{alert_id}/decision", data={"decision": "confirmed", "csrf_token": token})
        assert refused.status_code == 404
        sentinel = thai.post(f"/alerts/{alert_id}/decision",
                             data={"decision": "escalated", "note": "refer to RTP", "officer": "someone-else",
                                   "csrf_token": csrf(thai, f"/alerts/{alert_id}")})
        assert sentinel.status_code == 200
        found = await decisions.wait_for(lambda d: d["alert_id"] == alert_id, timeout=15)
    # only the Thai decision reached the topic, under the session's officer whatever the form said
    assert [(d["decision"], d["officer"]) for d in found] == [("escalated", "tha.duty")]
    assert [d for d in decisions.values() if d["alert_id"] == alert_id] == found

    assert alert_id in sse_alert_ids(thai, "0:-1")  # a replay from the start of Thailand's topic has it
    assert alert_id not in sse_alert_ids(khm, "0:-1")  # Cambodia's never does
    assert khm.get("/", params={"status": "all"}).text.count(alert_id) == 0


def test_every_post_needs_the_csrf_token(stack: Any, thai_alert: dict[str, Any], thai: httpx.Client) -> None:
    alert_id = thai_alert["alert_id"]
    for path, data in ((f"/alerts/{alert_id}/decision", {"decision": "confirmed"}),
                       (f"/alerts/{alert_id}/claim", {}), ("/logout", {})):
        assert thai.post(path, data=data).status_code == 403, path
        assert thai.post(path, data={**data, "csrf_token": "forged"}).status_code == 403, path
    with httpx.Client(base_url=stack.console.url, timeout=10) as fresh:
        assert fresh.post("/login", data={"username": "tha.duty", "password": PASSWORD}).status_code == 403


async def test_claims_keep_a_second_officer_off(stack: Any) -> None:
    added = stack.console.cli("user", "add", "tha.second", "--country", "THA", "--agency", "Immigration Bureau",
                              "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    alert = await new_thai_alert(stack, "THA-ACCESS-2")
    with session(stack.console.url, "tha.duty") as first, session(stack.console.url, "tha.second") as second:
        page = f"/alerts/{alert['alert_id']}"
        claimed = first.post(f"{page}/claim", headers={"X-CSRF-Token": csrf(first, page)})
        assert claimed.status_code == 200 and "claimed by you" in claimed.text
        token = csrf(second, page)
        assert second.post(f"{page}/claim", headers={"X-CSRF-Token": token}).status_code == 409
        assert second.post(f"{page}/decision", data={"decision": "confirmed", "csrf_token": token}).status_code == 409
        assert "claimed by tha.duty" in second.get(page).text
        assert first.post(f"{page}/release", headers={"X-CSRF-Token": csrf(first, page)}).status_code == 200
        assert second.post(f"{page}/claim", headers={"X-CSRF-Token": token}).status_code == 200


def test_logins_are_throttled_and_removed_accounts_are_out(stack: Any) -> None:
    added = stack.console.cli("user", "add", "khm.temp", "--country", "KHM", "--agency", "GDI", "--password-stdin",
                              stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    with session(stack.console.url, "khm.temp") as officer:
        assert officer.get("/").status_code == 200
        assert stack.console.cli("user", "remove", "khm.temp").returncode == 0
        gone = officer.get("/")
        assert gone.status_code == 303 and gone.headers["location"] == "/login"
        assert officer.get("/stream").status_code == 401

    with httpx.Client(base_url=stack.console.url, timeout=10) as guesser:
        codes = [guesser.post("/login", data={"username": "khm.duty", "password": f"guess {i}",
                                              "csrf_token": csrf(guesser, "/login")}).status_code for i in range(6)]
        assert codes == [401] * 5 + [429]
        right = guesser.post("/login", data={"username": "khm.duty", "password": PASSWORD,
                                             "csrf_token": csrf(guesser, "/login")})
        assert right.status_code == 429 and int(right.headers["retry-after"]) > 0  # even the right password
    with session(stack.console.url, "tha.duty") as other:  # another officer at the same address is not blocked
        assert other.get("/").status_code == 200


def test_passwords_are_stored_as_argon2_hashes(stack: Any) -> None:
    import sqlite3

    with sqlite3.connect(stack.env["BW_CONSOLE_ACCOUNTS"]) as db:
        hashes = [row[0] for row in db.execute("SELECT password_hash FROM officers")]
    assert hashes and all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def test_case_view_lists_the_country_s_sightings_of_an_entry(thai_alert: dict[str, Any], thai: httpx.Client) -> None:
    page = thai.get(f"/entries/{thai_alert['entry_id']}")
    assert page.status_code == 200
    assert thai_alert["checkpoint_id"] in page.text and f"/alerts/{thai_alert['alert_id']}" in page.text


def test_streams_send_heartbeats_while_nothing_happens(thai: httpx.Client) -> None:
    with thai.stream("GET", "/stream") as stream:  # BW_CONSOLE_HEARTBEAT_S=1 in this stack
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        assert any(line == ": heartbeat" for line, _ in zip(lines, range(50), strict=False))
