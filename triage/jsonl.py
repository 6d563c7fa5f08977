"""``kemala classify``: JSON Lines in, one reading (or one error) per line out, same order."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, NamedTuple, NoReturn, TextIO

from triage.reading import PostReader


class _BadLine(Exception):
    def __init__(self, message: str, id: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.id = id


def _reject_constant(name: str) -> NoReturn:
    # NaN and Infinity are not JSON; accepting them would make us write invalid JSON back out.
    raise ValueError(f"{name} is not valid JSON")


def _parse(line: str) -> tuple[object, str, str | None]:
    """(id, text, author_location) of one input line, or :class:`_BadLine`."""
    if not line.strip():
        raise _BadLine('empty line: expected a JSON object with a "text" string')
    try:
        record: Any = json.loads(line, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise _BadLine(f"not valid JSON: {error}") from None
    if not isinstance(record, dict):
        raise _BadLine(f"expected a JSON object, got {type(record).__name__}")
    record_id = record.get("id")
    if "text" not in record:
        raise _BadLine('missing "text"', record_id)
    text = record["text"]
    if not isinstance(text, str):
        raise _BadLine(f'"text" must be a string, got {_json_type(text)}', record_id)
    author_location = record.get("author_location")
    if author_location is not None and not isinstance(author_location, str):
        message = f'"author_location" must be a string or null, got {_json_type(author_location)}'
        raise _BadLine(message, record_id)
    return record_id, text, author_location


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


BATCH_SIZE = 256


class _Post(NamedTuple):
    line_number: int
    id: object
    text: str
    author_location: str | None


def classify_jsonl(
    reader: PostReader, lines: Iterable[str], out: TextIO, batch_size: int = BATCH_SIZE
) -> tuple[int, int]:
    """Read each line of ``lines`` with ``reader`` and write one JSON line per input line to ``out``.

    A line that cannot be read yields ``{"id": <id or null>, "error": "line N: …"}`` and the run
    goes on. Returns ``(ok_count, error_count)``. Output is ASCII JSON, so any text (lone
    surrogates included) can be written to any stream.

    Lines are read ``batch_size`` at a time through ``reader.read_many``, and each batch's output
    is written when the batch is read. If a batch fails, its posts are read again one by one, so
    an unreadable post costs only its own line, as before.
    """
    ok_count = 0
    error_count = 0
    batch: list[tuple[int, str]] = []
    try:
        for line_number, line in enumerate(lines, start=1):
            batch.append((line_number, line))
            if len(batch) >= batch_size:
                full, batch = batch, []
                ok, errors = _classify_batch(reader, full, out)
                ok_count, error_count = ok_count + ok, error_count + errors
    finally:  # the last lines; also those read before the input itself failed (undecodable bytes)
        if batch:
            ok, errors = _classify_batch(reader, batch, out)
            ok_count, error_count = ok_count + ok, error_count + errors
    return ok_count, error_count


def _classify_batch(reader: PostReader, batch: list[tuple[int, str]], out: TextIO) -> tuple[int, int]:
    """Write one result per line of ``batch``; returns (ok, errors)."""
    results: list[dict[str, Any]] = []
    posts: list[_Post] = []
    slots: list[int] = []  # where each post's result goes in ``results``
    for line_number, line in batch:
        try:
            record_id, text, author_location = _parse(line)
        except _BadLine as bad:
            results.append({"id": bad.id, "error": f"line {line_number}: {bad.message}"})
        else:
            slots.append(len(results))
            posts.append(_Post(line_number, record_id, text, author_location))
            results.append({})
    for slot, result in zip(slots, _read_posts(reader, posts), strict=True):
        results[slot] = result
    errors = sum(1 for result in results if "error" in result)
    out.write("".join(json.dumps(result, ensure_ascii=True) + "\n" for result in results))
    return len(results) - errors, errors


def _read_posts(reader: PostReader, posts: list[_Post]) -> list[dict[str, Any]]:
    if not posts:
        return []
    try:  # the whole batch at once ...
        readings = reader.read_many([post.text for post in posts], [post.author_location for post in posts])
        return [reading.to_contract(post.id) for post, reading in zip(posts, readings, strict=True)]
    except Exception:  # noqa: S110 - ... and when that fails, post by post below, to find the unreadable one
        pass
    results: list[dict[str, Any]] = []
    for post in posts:
        try:
            results.append(reader.read(post.text, post.author_location).to_contract(post.id))
        except Exception as error:  # one unreadable post must not stop ten thousand others
            message = f"line {post.line_number}: reader failed: {type(error).__name__}"
            results.append({"id": post.id, "error": message})
    return results
