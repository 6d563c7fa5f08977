"""``kemala classify``: JSON Lines in, one reading (or one error) per line out, same order."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, NoReturn, TextIO

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


def classify_jsonl(reader: PostReader, lines: Iterable[str], out: TextIO) -> tuple[int, int]:
    """Read each line of ``lines`` with ``reader`` and write one JSON line per input line to ``out``.

    A line that cannot be read yields ``{"id": <id or null>, "error": "line N: …"}`` and the run
    goes on. Returns ``(ok_count, error_count)``. Output is ASCII JSON, so any text (lone
    surrogates included) can be written to any stream.
    """
    ok_count = 0
    error_count = 0
    for line_number, line in enumerate(lines, start=1):
        result: dict[str, Any]
        try:
            record_id, text, author_location = _parse(line)
        except _BadLine as bad:
            result = {"id": bad.id, "error": f"line {line_number}: {bad.message}"}
        else:
            try:
                result = reader.read(text, author_location).to_contract(record_id)
            except Exception as error:  # one unreadable post must not stop ten thousand others
                message = f"line {line_number}: reader failed: {type(error).__name__}"
                result = {"id": record_id, "error": message}
        if "error" in result:
            error_count += 1
        else:
            ok_count += 1
        out.write(json.dumps(result, ensure_ascii=True) + "\n")
    return ok_count, error_count
