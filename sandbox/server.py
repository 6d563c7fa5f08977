"""The sandbox HTTP server: X API v2 on `/2/...`, people's pages on `/`, knobs on `/_sandbox/...`.

Standard library only, so the tests, the benchmarks and `make run` can start it anywhere.
Bind to 127.0.0.1:0 in tests and read `base_url` (PLATFORMS.md §5).
"""

from __future__ import annotations

import importlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from typing import Any

from sandbox import faults as F
from sandbox.faults import Faults
from sandbox.store import SANDBOX_APP_BEARER, SandboxStore
from sandbox.web import WebApp
from sandbox.wire import Request, Response
from sandbox.xapi import TOO_MANY_REQUESTS, RateLimits, XApi

logger = logging.getLogger(__name__)

MAX_BODY = 1_000_000


class SandboxServer:
    """A running fake network. `start()` serves in a background thread; `stop()` ends it."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        state_path: str | os.PathLike[str] | None = None,
        store: SandboxStore | None = None,
        *,
        rate_limits: RateLimits | None = None,
        summon_rule: bool = False,
        reject_duplicates: bool = True,
    ) -> None:
        self.store = store if store is not None else SandboxStore(state_path)
        self.faults = Faults()
        self.xapi = XApi(
            self.store,
            self.faults,
            rate_limits=rate_limits,
            summon_rule=summon_rule,
            reject_duplicates=reject_duplicates,
        )
        self.web = WebApp(self.store)
        self._stopping = threading.Event()
        # Bind now, so base_url is known before start() and a busy port fails here, loudly.
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.app = self
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> SandboxServer:
        if self._thread is None:
            # stop() waits up to one poll interval; a short one keeps test teardown quick.
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.01},
                name="sandbox-http",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping in a delay fault
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def dispatch(self, request: Request) -> Response:
        """Route one request, applying any queued whole-response faults around the handler."""
        if request.path == "/_sandbox/faults":
            return self.faults.handle(request)
        method, path = request.method, request.path

        delay = self.faults.take(method, path, frozenset({F.DELAY}))
        if delay is not None and not delay.after:
            self._stopping.wait(delay.seconds)
        rate_limited = self.faults.take(method, path, frozenset({F.RATE_LIMIT}))
        if rate_limited is not None:
            return self._rate_limited(request, rate_limited.reset_in)
        error = self.faults.take(method, path, frozenset({F.SERVER_ERROR}))
        if error is not None and not error.after:
            return self._server_error(error.status)

        response = self._route(request)

        if error is not None:  # `after`: the work is done, but the client is told it failed
            response = self._server_error(error.status)
        if delay is not None and delay.after:
            self._stopping.wait(delay.seconds)
        if self.faults.take(method, path, frozenset({F.MALFORMED})) is not None:
            body = response.body or b'{"data":[{"id":"1"}]}'
            response = Response(
                response.status, body[: max(len(body) // 2, 1)], response.content_type, response.headers
            )
        return response

    def _route(self, request: Request) -> Response:
        for handler in (self.xapi.handle, self.web.handle):
            response = handler(request)
            if response is not None:
                return response
        return Response.json(404, {"error": "not found"})

    def _rate_limited(self, request: Request, reset_in: int) -> Response:
        response = Response.problem(429, TOO_MANY_REQUESTS)
        response.headers.update(
            {
                "x-rate-limit-limit": str(self.xapi.limit_for(request)),
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": str(int(time.time()) + reset_in),
            }
        )
        return response

    @staticmethod
    def _server_error(status: int) -> Response:
        title = {
            500: "Internal Server Error",
            502: "Bad Gateway",
            503: "Service Unavailable",
            504: "Gateway Timeout",
        }.get(status, "Server Error")
        return Response.problem(status, {"title": title, "detail": title, "type": "about:blank", "status": status})


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # a client that hangs up mid-delay must not block stop()
    allow_reuse_address = True
    app: SandboxServer


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "KemalaSandbox/1.0"
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx and requests expect
    # Headers and body go out in two writes; with Nagle on, the second waits for the client's
    # delayed ACK (~40 ms a request).
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def _serve(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self._send(Response.json(413, {"error": "request body too large or unreadable"}))
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        request = Request.build(self.command, self.path, dict(self.headers.items()), body)
        try:
            response = self.server.app.dispatch(request)
        except Exception:  # one broken request must not take the sandbox down
            logger.exception("sandbox: error handling %s %s", self.command, request.path)
            response = Response.problem(
                500,
                {
                    "title": "Internal Server Error",
                    "type": "about:blank",
                    "status": 500,
                    "detail": "Internal Server Error",
                },
            )
        self._send(response)

    def _send(self, response: Response) -> None:
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (e.g. its timeout during a delay fault); nothing to tell it.
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        # Paths and statuses only; tokens travel in headers, which are never logged.
        logger.debug("sandbox: " + format, *args)


def serve_forever(
    host: str = "127.0.0.1",
    port: int = 8001,
    state_path: str | os.PathLike[str] | None = None,
    simulate: bool = True,
    rate_per_minute: float = 3.0,
    *,
    ready: Callable[[SandboxServer], None] | None = None,
    stop_event: threading.Event | None = None,
) -> None:
    """Run the sandbox (and the citizen simulator) until SIGTERM, SIGINT or `stop_event`."""
    server = SandboxServer(host, port, state_path)
    stop = stop_event if stop_event is not None else threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, on_signal)
    server.start()
    simulator_thread: threading.Thread | None = None
    try:
        print(
            f"Kemala sandbox: {server.base_url}/ (X API v2 at {server.base_url}/2/, "
            f"app bearer {SANDBOX_APP_BEARER!r}, user tokens 'sandbox-user-<username>')",
            flush=True,
        )
        if simulate:
            # Imported by name, only when asked for: the simulator is a sibling module that the
            # server and its tests must not depend on.
            simulator_class = importlib.import_module("sandbox.simulator").CitizenSimulator
            simulator = simulator_class(server.store, rate_per_minute=rate_per_minute)
            simulator_thread = threading.Thread(
                target=simulator.run, args=(stop,), name="sandbox-simulator", daemon=True
            )
            simulator_thread.start()
        if ready is not None:
            ready(server)
        # Wake up now and then: signal handlers run on the main thread between waits.
        while not stop.wait(0.5):
            pass
    finally:
        stop.set()
        if simulator_thread is not None:
            simulator_thread.join(timeout=5)
        server.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
