"""Plain request/response values shared by the sandbox's handlers.

The handlers are pure functions of a `Request`, so they can be tested without sockets and the
server stays a thin adapter around `http.server`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

JSON_TYPE = "application/json; charset=utf-8"
PROBLEM_TYPE = "application/problem+json"
HTML_TYPE = "text/html; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str  # without the query string
    query: dict[str, list[str]]
    headers: Mapping[str, str]  # looked up with lower-case names
    body: bytes = b""

    @classmethod
    def build(cls, method: str, target: str, headers: Mapping[str, str] | None = None, body: bytes = b"") -> Request:
        path, _, query = target.partition("?")
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        return cls(method.upper(), path, parse_qs(query, keep_blank_values=True), lowered, body)

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(slots=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(
        cls, status: int, payload: Any, headers: dict[str, str] | None = None, content_type: str = JSON_TYPE
    ) -> Response:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return cls(status, body, content_type, dict(headers or {}))

    @classmethod
    def problem(cls, status: int, payload: dict[str, Any]) -> Response:
        return cls.json(status, payload, content_type=PROBLEM_TYPE)

    @classmethod
    def html(cls, status: int, text: str, headers: dict[str, str] | None = None) -> Response:
        return cls(status, text.encode("utf-8"), HTML_TYPE, dict(headers or {}))
