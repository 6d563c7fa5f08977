"""The sandbox's own pages: the fake network as a person sees it, plus a form to post as a citizen.

Every piece of post and profile text is untrusted (DESIGN.md non-negotiables), so all of it goes
through `esc()`; the only script is a fixed inline reload loop allowed by its CSP hash.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from urllib.parse import parse_qs

from sandbox.store import SandboxStore, parse_time
from sandbox.wire import Request, Response

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    JAKARTA: tzinfo = ZoneInfo("Asia/Jakarta")
except (ImportError, ZoneInfoNotFoundError):  # pragma: no cover - machines without tzdata
    # Jakarta has had no DST since 1964, so a fixed offset is exact for any post we show.
    JAKARTA = timezone(timedelta(hours=7), "WIB")

_STATUS_RE = re.compile(r"^/([A-Za-z0-9_]{1,30})/status/([0-9]{1,19})/?$")
_SHORT_STATUS_RE = re.compile(r"^/(?:i/web/)?status/([0-9]{1,19})/?$")
THREADS_ON_PAGE = 50

# Reload every 5 s, but not while someone is typing into a form.
_RELOAD_JS = (
    "setInterval(function(){var a=document.activeElement;"
    "var typing=a&&(a.tagName==='INPUT'||a.tagName==='TEXTAREA');"
    "var filled=Array.prototype.some.call(document.querySelectorAll('textarea'),"
    "function(t){return t.value!=='';});"
    "if(!typing&&!filled){location.reload();}},5000);"
)
_RELOAD_HASH = base64.b64encode(hashlib.sha256(_RELOAD_JS.encode()).digest()).decode()
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{_RELOAD_HASH}'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

_CSS = """
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
background:#f4f6f8;color:#14171a}header{background:#0b5d3b;color:#fff;padding:.8rem 1rem}
header h1{margin:0;font-size:1.15rem}header p{margin:.2rem 0 0;font-size:.85rem;opacity:.85}
main{max-width:42rem;margin:0 auto;padding:.75rem}
form.post{background:#fff;border-radius:10px;padding:.75rem;margin-bottom:1rem;display:grid;gap:.4rem}
input,textarea,button{font:inherit;padding:.45rem;border:1px solid #ccd;border-radius:6px;width:100%}
textarea{min-height:4.5rem}button{background:#0b5d3b;color:#fff;border:0;cursor:pointer}
.thread{background:#fff;border-radius:10px;padding:.6rem .75rem;margin-bottom:.8rem}
.post{padding:.45rem 0;border-top:1px solid #eef}.post:first-child{border-top:0}
.reply{margin-left:1.1rem;padding-left:.6rem;border-left:3px solid #cfe3d8}.who{font-weight:600}
.handle,.time,.meta{color:#5b6670;font-size:.85rem}
.text{white-space:pre-wrap;overflow-wrap:anywhere;margin:.2rem 0}
.here{background:#fffbe6}.repost{color:#5b6670;font-size:.85rem}details{font-size:.85rem}
details form{display:grid;gap:.3rem;margin-top:.3rem}a{color:#0b5d3b}
@media (max-width:480px){main{padding:.4rem}.reply{margin-left:.5rem}}
"""


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def jakarta_time(created_at: str) -> str:
    return parse_time(created_at).astimezone(JAKARTA).strftime("%d %b %Y %H:%M WIB")


class WebApp:
    """Handles `/`, `/<user>/status/<id>` and the `/_sandbox/*` helpers; None for other paths."""

    def __init__(self, store: SandboxStore) -> None:
        self.store = store

    def handle(self, request: Request) -> Response | None:
        path, method = request.path, request.method
        if path == "/" and method == "GET":
            return self.index()
        match = _STATUS_RE.match(path)
        if match and method == "GET":
            return self.status(match.group(1), match.group(2))
        match = _SHORT_STATUS_RE.match(path)
        if match and method == "GET":
            tweet = self.store.get(match.group(1))
            if tweet is None:
                return self._not_found()
            return Response(302, headers={"Location": self._url(tweet)})
        if path == "/_sandbox/state.json" and method == "GET":
            return self.state()
        if path == "/_sandbox/post" and method == "POST":
            return self.post(request)
        if path == "/_sandbox/accounts" and method == "POST":
            return self.create_account(request)
        if path in ("/", "/_sandbox/state.json", "/_sandbox/post", "/_sandbox/accounts"):
            return Response.json(405, {"error": "method not allowed"})
        return None

    # ------------------------------------------------------------------ pages

    def index(self) -> Response:
        seen: list[str] = []
        for tweet in self.store.timeline(THREADS_ON_PAGE * 10):
            if tweet["conversation_id"] not in seen:
                seen.append(tweet["conversation_id"])
            if len(seen) >= THREADS_ON_PAGE:
                break
        threads = "".join(self._thread(self.store.thread(cid)) for cid in seen)
        if not threads:
            threads = '<p class="meta">No posts yet. Post one above, or start the simulator.</p>'
        return self._page("Kemala sandbox", self._post_form() + threads, reload=True)

    def status(self, username: str, tweet_id: str) -> Response:
        tweet = self.store.get(tweet_id)
        if tweet is None:
            return self._not_found()
        canonical = self._url(tweet)
        if canonical != f"/{username}/status/{tweet_id}":
            return Response(302, headers={"Location": canonical})  # X fixes the handle the same way
        thread = self.store.thread(tweet["conversation_id"])
        note = ""
        if not self.store.is_latest(tweet_id):
            latest = tweet["edit_history_tweet_ids"][-1]
            note = (
                '<p class="meta">This is an older version of an edited post. '
                f'<a href="/status/{esc(latest)}">See the latest</a>.</p>'
            )
            thread = [tweet, *thread] if tweet not in thread else thread
        elif not any(t["id"] == tweet_id for t in thread):
            thread = [tweet]
        body = note + self._thread(thread, highlight=tweet_id) + '<p><a href="/">← All posts</a></p>'
        return self._page(f"Post {tweet_id}", body, reload=False)

    def state(self) -> Response:
        snapshot = self.store.snapshot()
        for account in snapshot["accounts"]:
            account.pop("token", None)  # the debug view is not where credentials are handed out
        return Response.json(200, snapshot)

    # ------------------------------------------------------------------ helpers for people

    def post(self, request: Request) -> Response:
        fields, wants_json = self._form(request)
        username = fields.get("username", "").strip().lstrip("@")
        text = fields.get("text", "")
        in_reply_to = fields.get("in_reply_to_id", "").strip() or None
        try:
            self.store.ensure_account(username, fields.get("name") or None, fields.get("location") or None)
            tweet = self.store.create_post(username=username, text=text, in_reply_to_id=in_reply_to)
        except (ValueError, KeyError) as exc:
            message = str(exc).strip("'\"")
            if wants_json:
                return Response.json(400, {"error": message})
            return self._page(
                "Not posted",
                f'<p>Not posted: {esc(message)}</p><p><a href="/">Back</a></p>',
                reload=False,
                status=400,
            )
        if wants_json:
            return Response.json(201, tweet)
        return Response(303, headers={"Location": "/"})

    def create_account(self, request: Request) -> Response:
        fields, _ = self._form(request)
        try:
            account = self.store.ensure_account(
                fields.get("username", "").strip().lstrip("@"),
                fields.get("name") or None,
                fields.get("location") or None,
            )
        except ValueError as exc:
            return Response.json(400, {"error": str(exc)})
        # The token is what an agency source is configured with in Kemala.
        return Response.json(201, account)

    @staticmethod
    def _form(request: Request) -> tuple[dict[str, str], bool]:
        content_type = (request.header("content-type") or "").lower()
        if "json" in content_type:
            try:
                payload = json.loads(request.body or b"{}")
            except ValueError:
                payload = {}
            if not isinstance(payload, dict):
                payload = {}
            return {k: "" if v is None else str(v) for k, v in payload.items()}, True
        parsed = parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
        return {k: v[-1] for k, v in parsed.items()}, False

    # ------------------------------------------------------------------ rendering

    def _url(self, tweet: dict[str, Any]) -> str:
        account = self.store.account_by_id(tweet["author_id"])
        return f"/{account['username'] if account else 'i'}/status/{tweet['id']}"

    def _thread(self, posts: list[dict[str, Any]], highlight: str | None = None) -> str:
        if not posts:
            return ""
        depth: dict[str, int] = {}
        parts = []
        for tweet in posts:
            parents = [r["id"] for r in tweet.get("referenced_tweets", []) if r["type"] == "replied_to"]
            level = depth.get(parents[0], 0) + 1 if parents else 0
            depth[tweet["id"]] = level
            parts.append(self._post(tweet, level, highlight))
        return f'<section class="thread">{"".join(parts)}</section>'

    def _post(self, tweet: dict[str, Any], level: int, highlight: str | None) -> str:
        author = self.store.account_by_id(tweet["author_id"]) or {"username": "?", "name": "?"}
        url = self._url(tweet)
        classes = "post" + (" reply" if level else "") + (" here" if tweet["id"] == highlight else "")
        style = f' style="margin-left:{min(level, 4) * 1.1:.1f}rem"' if level > 1 else ""
        text = tweet.get("note_tweet", {}).get("text", tweet["text"])
        extra = []
        if any(r["type"] == "retweeted" for r in tweet.get("referenced_tweets", [])):
            extra.append('<div class="repost">🔁 repost</div>')
        place_id = tweet.get("geo", {}).get("place_id")
        place = self.store.place(place_id) if place_id else None
        meta = []
        if place:
            meta.append(f"📍 {esc(place['full_name'])}")
        if len(tweet["edit_history_tweet_ids"]) > 1:
            meta.append("edited")
        location = author.get("location")
        if location:
            meta.append(f"profile: {esc(location)}")
        return (
            f'<article class="{classes}"{style} id="p{esc(tweet["id"])}">{"".join(extra)}'
            f'<div><span class="who">{esc(author["name"])}</span> '
            f'<span class="handle">@{esc(author["username"])}</span> · '
            f'<a class="time" href="{esc(url)}">{esc(jakarta_time(tweet["created_at"]))}</a></div>'
            f'<p class="text">{esc(text)}</p>'
            + (f'<div class="meta">{" · ".join(meta)}</div>' if meta else "")
            + f'<details><summary>Reply</summary><form method="post" action="/_sandbox/post">'
            f'<input type="hidden" name="in_reply_to_id" value="{esc(tweet["id"])}">'
            f'<input name="username" placeholder="your handle" required pattern="@?[A-Za-z0-9_]{{1,30}}">'
            f'<textarea name="text" required placeholder="Reply to @{esc(author["username"])}"></textarea>'
            f"<button>Reply</button></form></details></article>"
        )

    @staticmethod
    def _post_form() -> str:
        return (
            '<form class="post" method="post" action="/_sandbox/post">'
            '<input name="username" placeholder="handle, e.g. warga_smg" required '
            'pattern="@?[A-Za-z0-9_]{1,30}"><input name="name" placeholder="display name (optional)">'
            '<textarea name="text" required '
            'placeholder="Jalan rusak di depan pasar, mohon diperbaiki #KemalaJateng"></textarea>'
            "<button>Post as a citizen</button></form>"
        )

    def _page(self, title: str, body: str, *, reload: bool, status: int = 200) -> Response:
        now = datetime.now(UTC).astimezone(JAKARTA).strftime("%H:%M:%S WIB")
        script = f"<script>{_RELOAD_JS}</script>" if reload else ""
        page = (
            '<!doctype html><html lang="id"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{esc(title)}</title><style>{_CSS}</style>{script}</head><body>"
            "<header><h1>Kemala sandbox</h1><p>A local social network that speaks the X API v2 · "
            f"updated {esc(now)}</p></header><main>{body}</main></body></html>"
        )
        return Response.html(status, page, headers=dict(SECURITY_HEADERS))

    def _not_found(self) -> Response:
        return self._page(
            "Not found",
            '<p>This post does not exist or was deleted.</p><p><a href="/">Back</a></p>',
            reload=False,
            status=404,
        )
