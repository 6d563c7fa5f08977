"""Write a batch of prepared rows with one `executemany`, below the ORM: ingest's write path.

`insert_rows` inserts rows (reading their new ids back by a unique column), `add_to_column` adds to a counter
of many rows.

Why this exists: `QuerySet.bulk_create` compiles every value of every row through the field machinery
(`pre_save`, `get_db_prep_save`, a placeholder per value) and ingest also paid for building a model instance
per row that was thrown away after the INSERT. Measured on the 2-core benchmark machine
(`bench.ingest --profile`), that was ~55% of a page of 100 posts, and ingest ran at ~650 posts/s while
SQLite took the same rows at ~30,000 posts/s. Writing plain tuples with `executemany` removes most of it
(see BENCHMARKS.md, notes, for the figures after).

What it keeps of the ORM's behaviour, so that a row written here is the row `Model(**row).save()` or
`bulk_create` would have written (`tests/test_batchwrite.py` compares them column by column):

- every concrete column is written: a field missing from the row gets its default (`field.get_default()`);
- `auto_now` / `auto_now_add` fields get the time of the call (one `timezone.now()` for all its rows);
- values are converted by the field itself (`get_db_prep_save`: datetimes to UTC as the backend stores
  them, numbers, enums to their values), except text and foreign-key ids, which the ORM passes through
  unchanged, and JSON, which is encoded with the field's encoder exactly as the backend does — or taken as
  given when the caller has encoded it already (`EncodedJson`: ingest proves a raw payload clean with one
  encoder pass and reuses that text);
- it runs on the caller's connection and transaction (ingest's, with the cursor update).

What it does not do: signals, `save()` overrides, validation, or returning the new ids in the rows' order.
Ids are read back by a unique column instead (`key=`), in one query, which works the same on SQLite and
PostgreSQL. Only for models whose rows need none of the rest.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.fields.json import JSONField
from django.utils import timezone

# Fields whose values Django hands to the driver as they are (str/None, int/None): no conversion needed.
_PASS_THROUGH = frozenset(
    {"CharField", "TextField", "SlugField", "URLField", "EmailField", "ForeignKey", "OneToOneField"}
)
_KEY_CHUNK = 500  # ids read back per query: far under every backend's parameter limit


@dataclass(frozen=True, slots=True)
class EncodedJson:
    """A JSON field value given as its encoded text (ASCII JSON, as `json.dumps` writes it), stored as is."""

    text: str


def insert_rows(
    model: type[models.Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    key: str | None = None,
    using: str = "default",
) -> dict[Any, int]:
    """INSERT `rows` (values by field attname, e.g. `case_id`) into `model`'s table, in order, with one executemany.

    With `key` (a unique field's attname) return the new ids by each row's key value; else return {}.
    """
    if key is not None:
        _check_unique(model, key)
    if not rows:
        return {}
    connection = connections[using]
    plan = _plan(model, connection)
    if unknown := rows[0].keys() - plan.attnames:  # a misspelt column would silently get its default
        raise ValueError(f"{model.__name__} has no column {', '.join(sorted(unknown))}")
    now = timezone.now()
    stamps = {attname: convert(now) for attname, convert in plan.stamped}  # converted once for all rows
    params = []
    for row in rows:
        full = {**plan.defaults, **row, **stamps}
        for attname, make in plan.made:
            if attname not in row:
                full[attname] = make()  # a callable default (dict, list, uuid4) is called for each row
        params.append([convert(full[attname]) if convert else full[attname] for attname, convert in plan.columns])
    with connection.cursor() as cursor:
        cursor.executemany(plan.sql, params)
    if key is None:
        return {}
    return ids_by_key(model, key, [row[key] for row in rows], using=using)


def ids_by_key(model: type[models.Model], key: str, values: Iterable[Any], *, using: str = "default") -> dict[Any, int]:
    """The ids of `model`'s rows by the value of `key`, a unique field's attname (one query per 500 values)."""
    _check_unique(model, key)
    connection = connections[using]
    table, column, pk = _names(connection, model, key)
    values = list(values)
    found: dict[Any, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(values), _KEY_CHUNK):
            chunk = values[start : start + _KEY_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT {column}, {pk} FROM {table} WHERE {column} IN ({marks})", chunk)  # noqa: S608
            found.update(cursor.fetchall())
    return found


def add_to_column(
    model: type[models.Model], attname: str, increments: Mapping[int, int], *, using: str = "default"
) -> None:
    """Add `increments[pk]` to the `attname` column of each row, with one executemany (as `F(attname) + n`).

    Like QuerySet.update, it leaves auto_now fields alone.
    """
    if not increments:
        return
    connection = connections[using]
    table, column, pk = _names(connection, model, attname)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {column} = {column} + %s WHERE {pk} = %s",  # noqa: S608
            [(count, pk_value) for pk_value, count in increments.items()],
        )


def _field(model: type[models.Model], attname: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(attname)
    if not isinstance(field, models.Field) or not field.concrete:
        raise ValueError(f"{model.__name__}.{attname} is not a column")
    return field


def _check_unique(model: type[models.Model], attname: str) -> None:
    field = _field(model, attname)
    if not (field.unique or field.primary_key):
        raise ValueError(f"{model.__name__}.{attname} is not unique: ids cannot be read back by it")


def _names(connection: BaseDatabaseWrapper, model: type[models.Model], attname: str) -> tuple[str, str, str]:
    """The quoted names of the model's table, of the column of `attname` and of its primary key.

    Names in this module's SQL come only from here and _make_plan: from the model's _meta, quoted; values are
    always parameters.
    """
    quote = connection.ops.quote_name
    pk = model._meta.pk
    assert pk is not None
    return quote(model._meta.db_table), quote(str(_field(model, attname).column)), quote(str(pk.column))


@dataclass(frozen=True, slots=True)
class _Plan:
    sql: str
    columns: tuple[tuple[str, Callable[[Any], Any] | None], ...]  # (attname, converter or None) in SQL order
    attnames: frozenset[str]
    defaults: dict[str, Any]  # every column's constant default, overridden by the row's values
    made: tuple[tuple[str, Callable[[], Any]], ...]  # columns whose default is a callable
    stamped: tuple[tuple[str, Callable[[Any], Any]], ...]  # auto_now(_add) columns: the time of the call


_plans: dict[tuple[type[models.Model], str, str], _Plan] = {}


def _plan(model: type[models.Model], connection: BaseDatabaseWrapper) -> _Plan:
    cache_key = (model, connection.alias, connection.vendor)
    plan = _plans.get(cache_key)
    if plan is None:
        plan = _plans[cache_key] = _make_plan(model, connection)
    return plan


def _make_plan(model: type[models.Model], connection: BaseDatabaseWrapper) -> _Plan:
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    placeholders: list[str] = []
    columns: list[tuple[str, Callable[[Any], Any] | None]] = []
    for field in fields:
        if _stamped(field):
            placeholders.append("%s")
            columns.append((field.attname, None))  # converted once per call, see stamped
        elif isinstance(field, JSONField):
            placeholders.append("%s::jsonb" if connection.vendor == "postgresql" else "%s")
            columns.append((field.attname, _json_converter(field)))
        else:
            placeholders.append("%s")
            columns.append((field.attname, _converter(field, connection)))
    table = quote(model._meta.db_table)
    names = ", ".join(quote(str(f.column)) for f in fields)
    # Table and column names come from the model's _meta and are quoted (see _names); values are parameters.
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(placeholders)})"  # noqa: S608
    return _Plan(
        sql=sql,
        columns=tuple(columns),
        attnames=frozenset(f.attname for f in fields),
        defaults={f.attname: f.get_default() for f in fields if not _called(f)},
        made=tuple((f.attname, f.get_default) for f in fields if _called(f)),
        stamped=tuple((f.attname, _prep(f, connection)) for f in fields if _stamped(f)),
    )


def _converter(field: models.Field[Any, Any], connection: BaseDatabaseWrapper) -> Callable[[Any], Any] | None:
    if field.get_internal_type() in _PASS_THROUGH:
        return None
    return _prep(field, connection)


def _prep(field: models.Field[Any, Any], connection: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    prep = field.get_db_prep_save

    def convert(value: Any) -> Any:
        return None if value is None else prep(value, connection)

    return convert


def _json_converter(field: JSONField) -> Callable[[Any], Any]:
    encoder = field.encoder

    def convert(value: Any) -> Any:
        if type(value) is EncodedJson:
            return value.text
        if value is None:  # SQL NULL, as JSONField.get_db_prep_save does
            return None
        # What the backends send: SQLite stores this text, PostgreSQL parses it into jsonb.
        return json.dumps(value, cls=encoder)

    return convert


def _called(field: models.Field[Any, Any]) -> bool:
    return field.has_default() and callable(field.default)


def _stamped(field: models.Field[Any, Any]) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
