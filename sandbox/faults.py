"""Fault injection: make the next N responses for a path misbehave the way platforms do.

Rules are queued in order; each request consumes at most one matching rule of each family
(whole-response faults in the server, page faults inside search). Tests use the Python API;
a running sandbox takes the same rules as JSON on `POST /_sandbox/faults`.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any

from sandbox.wire import Request, Response

# Whole-response faults, applied by the server around any handler.
RATE_LIMIT = "rate_limit"  # 429 with the platform's headers and body
SERVER_ERROR = "server_error"  # 5xx (503 by default); `after=True` does the work first
MALFORMED = "malformed"  # 200 whose body is cut-off JSON
DELAY = "delay"  # wait `seconds` before answering (client timeouts); `after=True` does the work first
# Page faults, applied by the X search handler to an otherwise good page.
MISSING_FIELD = "missing_field"  # drop `field` (or set it to `value`) in item `index`
DUPLICATE = "duplicate"  # repeat the next page's first item at the end of this page
EMPTY_PAGE = "empty_page"  # no items; next_token still points at the same results

RESPONSE_KINDS = frozenset({RATE_LIMIT, SERVER_ERROR, MALFORMED, DELAY})
PAGE_KINDS = frozenset({MISSING_FIELD, DUPLICATE, EMPTY_PAGE})
ALL_KINDS = RESPONSE_KINDS | PAGE_KINDS


@dataclass(slots=True)
class Fault:
    kind: str
    path: str  # exact path, or a prefix ending in "*"
    times: int = 1
    method: str | None = None  # None matches any method
    status: int = 503
    reset_in: int = 60  # seconds until x-rate-limit-reset, for RATE_LIMIT
    seconds: float = 0.0  # for DELAY
    after: bool = False  # SERVER_ERROR/DELAY: perform the request, then fail (outcome unknown)
    field: str = "text"  # for MISSING_FIELD
    value: Any = None  # for MISSING_FIELD: replace instead of removing when not None
    index: int = 0  # for MISSING_FIELD
    skip: int = 0  # let this many matching requests through first (e.g. fail only the second page)

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path


class Faults:
    """A thread-safe queue of fault rules."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[Fault] = []

    def add(self, kind: str, path: str, *, times: int = 1, **options: Any) -> Fault:
        if kind not in ALL_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {sorted(ALL_KINDS)}")
        if times < 1:
            raise ValueError("times must be at least 1")
        allowed = {f.name for f in fields(Fault)} - {"kind", "path", "times"}
        unknown = set(options) - allowed
        if unknown:
            raise ValueError(f"unknown fault options {sorted(unknown)}")
        fault = Fault(kind=kind, path=path, times=times, **options)
        with self._lock:
            self._rules.append(fault)
        return fault

    def rate_limit(self, path: str, *, times: int = 1, reset_in: int = 60, skip: int = 0) -> Fault:
        return self.add(RATE_LIMIT, path, times=times, reset_in=reset_in, skip=skip)

    def server_error(
        self, path: str, *, times: int = 1, status: int = 503, after: bool = False, skip: int = 0
    ) -> Fault:
        return self.add(SERVER_ERROR, path, times=times, status=status, after=after, skip=skip)

    def malformed(self, path: str, *, times: int = 1, skip: int = 0) -> Fault:
        return self.add(MALFORMED, path, times=times, skip=skip)

    def delay(self, path: str, seconds: float, *, times: int = 1, after: bool = False) -> Fault:
        return self.add(DELAY, path, times=times, seconds=seconds, after=after)

    def missing_field(
        self, path: str, *, field: str = "text", index: int = 0, value: Any = None, times: int = 1
    ) -> Fault:
        return self.add(MISSING_FIELD, path, times=times, field=field, index=index, value=value)

    def duplicate(self, path: str, *, times: int = 1) -> Fault:
        return self.add(DUPLICATE, path, times=times)

    def empty_page(self, path: str, *, times: int = 1) -> Fault:
        return self.add(EMPTY_PAGE, path, times=times)

    def take(self, method: str, path: str, kinds: frozenset[str]) -> Fault | None:
        """Consume one use of the first rule of `kinds` that matches this request."""
        with self._lock:
            for fault in self._rules:
                if fault.kind in kinds and fault.matches(method, path):
                    if fault.skip > 0:
                        fault.skip -= 1
                        continue
                    fault.times -= 1
                    if fault.times <= 0:
                        self._rules.remove(fault)
                    return fault
        return None

    def take_all(self, method: str, path: str, kinds: frozenset[str]) -> list[Fault]:
        """Consume one use of each kind in `kinds` that has a matching rule (page faults combine)."""
        taken = []
        for kind in sorted(kinds):
            fault = self.take(method, path, frozenset({kind}))
            if fault is not None:
                taken.append(fault)
        return taken

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(f) for f in self._rules]

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def handle(self, request: Request) -> Response:
        """`/_sandbox/faults`: GET lists, POST adds one rule or a list, DELETE clears."""
        if request.method == "GET":
            return Response.json(200, {"faults": self.pending()})
        if request.method == "DELETE":
            self.clear()
            return Response.json(200, {"faults": []})
        if request.method != "POST":
            return Response.json(405, {"error": "use GET, POST or DELETE"})
        try:
            payload = json.loads(request.body or b"null")
            specs = payload if isinstance(payload, list) else [payload]
            for spec in specs:
                if not isinstance(spec, dict):
                    raise ValueError("each fault is a JSON object")
                options = dict(spec)
                kind = str(options.pop("kind"))
                path = str(options.pop("path"))
                times = int(options.pop("times", 1))
                self.add(kind, path, times=times, **options)
        except (ValueError, KeyError, TypeError) as exc:
            return Response.json(400, {"error": f"bad fault: {exc}"})
        return Response.json(201, {"faults": self.pending()})
