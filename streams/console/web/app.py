"""The duty officer's console: FastAPI, server-rendered pages (Jinja2) with htmx, live alerts over SSE.

Access is decided here, on the server, for every page, stream and action: an officer's session names
their account, the account names their country, and every lookup goes through that country's board
(an alert of another country is a 404, exactly like an alert that does not exist).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import secrets
import time
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Annotated, Any

import structlog
from fastapi import FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.middleware.sessions import SessionMiddleware

from schemas.watchlist import LISTS, MEKONG_COUNTRIES
from streams.console.terminal import post_decision
from streams.console.web import sla
from streams.console.web.accounts import Accounts, Officer
from streams.console.web.board import SORTS, STATUS_FILTERS, AlertView, Board, ClaimConflict, Filters
from streams.console.web.compare import action_kind, compare_rows, compared_names
from streams.console.web.cursor import decode
from streams.console.web.feed import AlertFeed, running_feed
from streams.console.web.sse import event_stream
from streams.console.web.throttle import LoginThrottle
from streams.settings import Settings

log = structlog.get_logger(__name__)

HERE = Path(__file__).parent
SESSION_HOURS = 12
LOGIN_WINDOW_S = 300.0
LOGIN_MAX_FAILURES = 5  # per username within the window
LOGIN_MAX_FAILURES_ADDRESS = 50  # per address: a checkpoint's officers may share one NAT address
REPLAY_LIMIT = 5_000  # a browser further behind than this reloads the page instead
ROW_CACHE = 512  # rendered rows kept for the other browsers of the same country
NOTE_MAX = 500
DECISIONS = ("confirmed", "false_positive", "escalated")


def session_secret(settings: Settings) -> str:
    """The cookie-signing key: from the settings, or made once and kept beside the accounts file."""
    if settings.console_session_secret is not None:
        return settings.console_session_secret.get_secret_value()
    path = settings.console_accounts.with_name("session.key")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


def create_app(settings: Settings) -> FastAPI:
    accounts = Accounts(settings.console_accounts)
    board = Board(MEKONG_COUNTRIES, epoch=uuid.uuid4().hex[:8])
    feed = AlertFeed(settings, board, settings.console_client_queue)
    user_throttle = LoginThrottle(LOGIN_MAX_FAILURES, LOGIN_WINDOW_S)
    address_throttle = LoginThrottle(LOGIN_MAX_FAILURES_ADDRESS, LOGIN_WINDOW_S)
    templates = Jinja2Templates(directory=HERE / "templates")

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with running_feed(feed):
            yield

    app = FastAPI(title="BorderWatch console", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.add_middleware(SessionMiddleware, secret_key=session_secret(settings), session_cookie="bw_console",
                       max_age=SESSION_HOURS * 3600, same_site="strict", https_only=settings.console_cookie_secure)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.state.feed = feed

    def officer_of(request: Request) -> Officer | None:
        username = request.session.get("officer")
        # read the account on every request: a removed officer loses access at once
        officer = accounts.get(username) if isinstance(username, str) else None
        if officer is None and username is not None:
            request.session.clear()
        return officer

    def require(request: Request) -> Officer:
        officer = officer_of(request)
        if officer is None:
            raise HTTPException(401, "log in first")
        return officer

    def csrf_token(request: Request) -> str:
        token = request.session.get("csrf")
        if not isinstance(token, str):
            token = request.session["csrf"] = secrets.token_urlsafe(32)
        return token

    async def check_csrf(request: Request) -> None:
        expected = request.session.get("csrf")
        sent = request.headers.get("x-csrf-token") or (await request.form()).get("csrf_token")
        if not isinstance(expected, str) or not isinstance(sent, str) or not hmac.compare_digest(expected, sent):
            raise HTTPException(403, "missing or wrong CSRF token: reload the page")

    def alert_or_404(officer: Officer, alert_id: str) -> AlertView:
        view = board.get(officer.country, alert_id)
        if view is None:
            raise HTTPException(404, "no such alert")  # the same answer for another country's alert
        return view

    def context(request: Request, officer: Officer | None, **extra: Any) -> dict[str, Any]:
        now = time.time()
        return {"request": request, "officer": officer, "csrf": csrf_token(request), "ready": feed.ready.is_set(),
                "sla_s": settings.console_sla_s, "sla_default_s": settings.console_sla_default_s,
                "deadline": lambda v: sla.deadline(v, settings.console_sla_s, settings.console_sla_default_s),
                "overdue": lambda v: sla.overdue(v, _utcnow(), settings.console_sla_s,
                                                 settings.console_sla_default_s),
                "remaining": lambda v: sla.remaining(v, _utcnow(), settings.console_sla_s,
                                                     settings.console_sla_default_s),
                "now": now, **extra}

    rendered: OrderedDict[tuple[Any, ...], str] = OrderedDict()  # one render per change, not per browser

    def render_row(request: Request, officer: Officer, view: AlertView, alert: Any) -> str:
        # a row shows nothing of the officer: the same HTML goes to every browser of the country
        key = (alert.alert_id, alert.event_id, alert.hit_count, view.status, view.claimed_by, view.first_seen)
        html = rendered.get(key)
        if html is None:
            html = rendered[key] = templates.get_template("_row.html").render(
                context(request, officer, view=view, alert=alert))
            if len(rendered) > ROW_CACHE:
                rendered.popitem(last=False)
        return html

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 401 and request.method == "GET" and request.url.path != "/stream":
            return RedirectResponse("/login", 303)
        if request.headers.get("hx-request") or request.url.path == "/stream":
            return JSONResponse({"detail": exc.detail}, exc.status_code)
        return templates.TemplateResponse(request, "error.html", context(request, officer_of(request),
                                          status=exc.status_code, detail=exc.detail), status_code=exc.status_code)

    @app.get("/favicon.ico")
    async def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/healthz")
    async def healthz() -> dict[str, Any]:
        return {"ready": feed.ready.is_set(), "browsers": feed.subscribers(), "dropped": feed.dropped_total}

    @app.get("/login", response_class=HTMLResponse)
    async def login_page(request: Request) -> Response:
        return templates.TemplateResponse(request, "login.html", context(request, None, error=None))

    @app.post("/login", response_class=HTMLResponse)
    async def login(request: Request, username: Annotated[str, Form(max_length=64)],
                    password: Annotated[str, Form(max_length=256)]) -> Response:
        await check_csrf(request)
        user = [username.strip().lower()]
        address = [request.client.host if request.client else "-"]
        now = time.monotonic()
        wait = max(user_throttle.retry_after(user, now), address_throttle.retry_after(address, now))
        if wait > 0:
            log.warning("console.login_throttled")
            return templates.TemplateResponse(
                request, "login.html", context(request, None, error=f"Too many failed logins: wait {int(wait) + 1} s."),
                status_code=429, headers={"Retry-After": str(int(wait) + 1)})
        officer = await run_in_threadpool(accounts.verify, username, password)
        if officer is None:
            user_throttle.failed(user, time.monotonic())
            address_throttle.failed(address, time.monotonic())
            log.info("console.login_failed")
            return templates.TemplateResponse(request, "login.html",
                                              context(request, None, error="Wrong username or password."),
                                              status_code=401)
        user_throttle.succeeded(user[0])
        request.session.clear()  # a fresh session (and CSRF token) on login: no fixation
        request.session.update({"officer": officer.username, "csrf": secrets.token_urlsafe(32)})
        log.info("console.login", officer=officer.username, country=officer.country)
        return RedirectResponse("/", 303)

    @app.post("/logout")
    async def logout(request: Request) -> Response:
        await check_csrf(request)
        request.session.clear()
        return RedirectResponse("/login", 303)

    def filters_from(lists: list[str] | None, checkpoint: str, status: str, sort: str) -> Filters:
        return Filters(frozenset(x for x in lists or () if x in LISTS), checkpoint.strip()[:64],
                       status if status in STATUS_FILTERS else "open", sort if sort in SORTS else "priority")

    def queue_context(request: Request, officer: Officer, filters: Filters) -> dict[str, Any]:
        cursor = feed.cursor(officer.country)
        return context(request, officer, views=board.listing(officer.country, filters), filters=filters,
                       lists=LISTS, checkpoints=board.checkpoints(officer.country), statuses=STATUS_FILTERS,
                       sorts=SORTS, cursor=cursor.encode())

    @app.get("/", response_class=HTMLResponse)
    async def queue_page(request: Request, list_: Annotated[list[str] | None, Query(alias="list")] = None,
                         checkpoint: str = "", status: str = "open", sort: str = "priority") -> Response:
        officer = require(request)
        filters = filters_from(list_, checkpoint, status, sort)
        name = "_queue.html" if request.headers.get("hx-request") else "queue.html"
        return templates.TemplateResponse(request, name, queue_context(request, officer, filters))

    @app.get("/stream")
    async def stream(request: Request, list_: Annotated[list[str] | None, Query(alias="list")] = None,
                     checkpoint: str = "", after: str = "") -> Response:
        officer = require(request)
        filters = filters_from(list_, checkpoint, "all", "priority")
        cursor = decode(request.headers.get("last-event-id")) or decode(after)

        def still_allowed() -> bool:
            return accounts.get(officer.username) == officer

        body = event_stream(feed, officer.country, filters, cursor,
                            render=lambda view, alert: render_row(request, officer, view, alert),
                            heartbeat_s=settings.console_heartbeat_s, replay_limit=REPLAY_LIMIT,
                            still_allowed=still_allowed)
        return StreamingResponse(body, media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    @app.get("/alerts/{alert_id}", response_class=HTMLResponse)
    async def review(request: Request, alert_id: str) -> Response:
        officer = require(request)
        view = alert_or_404(officer, alert_id)
        alert = view.alert
        return templates.TemplateResponse(request, "review.html", context(
            request, officer, view=view, alert=alert, rows=compare_rows(alert), names=compared_names(alert),
            kind=action_kind(alert), decisions=DECISIONS, cursor=feed.cursor(officer.country).encode()))

    @app.get("/alerts/{alert_id}/claim", response_class=HTMLResponse)
    async def claim_box(request: Request, alert_id: str) -> Response:
        """Who holds the alert now (the review page redraws it when the stream says it changed)."""
        officer = require(request)
        view = alert_or_404(officer, alert_id)
        return templates.TemplateResponse(request, "_claim.html", context(request, officer, view=view))

    async def change_claim(request: Request, alert_id: str, change: Callable[[Officer], AlertView]) -> Response:
        """Claim or release for the signed-in officer of the alert's country; 409 when someone else holds it."""
        officer = require(request)
        await check_csrf(request)
        alert_or_404(officer, alert_id)
        try:
            view = change(officer)
        except ClaimConflict as exc:
            raise HTTPException(409, str(exc)) from None
        feed.changed([(officer.country, view)])
        return templates.TemplateResponse(request, "_claim.html", context(request, officer, view=view))

    @app.post("/alerts/{alert_id}/claim", response_class=HTMLResponse)
    async def claim(request: Request, alert_id: str) -> Response:
        return await change_claim(request, alert_id, lambda officer: board.claim(
            officer.country, alert_id, officer.username, _utcnow()))

    @app.post("/alerts/{alert_id}/release", response_class=HTMLResponse)
    async def release(request: Request, alert_id: str) -> Response:
        return await change_claim(request, alert_id, lambda officer: board.release(
            officer.country, alert_id, officer.username))

    @app.post("/alerts/{alert_id}/decision", response_class=HTMLResponse)
    async def decide(request: Request, alert_id: str, decision: Annotated[str, Form()],
                     note: Annotated[str, Form(max_length=NOTE_MAX)] = "") -> Response:
        officer = require(request)
        await check_csrf(request)
        view = alert_or_404(officer, alert_id)
        if decision not in DECISIONS:
            raise HTTPException(422, f"decision must be one of {', '.join(DECISIONS)}")
        if view.claimed_by not in (None, officer.username):
            raise HTTPException(409, f"claimed by {view.claimed_by}")
        # the officer is the authenticated account, never a name typed into the form
        await post_decision(settings, alert_id, decision, officer.username, note.strip() or None)
        log.info("console.decision", officer=officer.username, country=officer.country, decision=decision)
        return templates.TemplateResponse(request, "_decided.html",
                                          context(request, officer, decision=decision, view=view))

    @app.get("/entries/{entry_id}", response_class=HTMLResponse)
    async def case(request: Request, entry_id: str) -> Response:
        officer = require(request)
        views = board.sightings(officer.country, entry_id)
        if not views:
            raise HTTPException(404, "no sightings of this entry for your country")
        return templates.TemplateResponse(request, "case.html",
                                          context(request, officer, views=views, entry=views[-1].alert))

    return app


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def serve(settings: Settings) -> None:
    """Run the console until SIGINT/SIGTERM (uvicorn on the configured host and port)."""
    import asyncio

    import uvicorn

    app = create_app(settings)
    loop = asyncio.get_running_loop()

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            # open event streams never finish by themselves: end them, so shutdown does not wait on them
            loop.call_soon_threadsafe(app.state.feed.close_all)
            super().handle_exit(sig, frame)

    server = Server(uvicorn.Config(app, host=settings.console_host, port=settings.console_port, log_config=None,
                                   access_log=False, timeout_graceful_shutdown=5))
    log.info("console.listening", url=f"http://{settings.console_host}:{settings.console_port}/")
    await server.serve()
