"""Keyset pagination (issue 5): a list's order, its opaque cursor, and one page of its rows."""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, select, tuple_
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.types import TypeDecorator

from app.domain.errors import ValidationError
from app.domain.messages import msg

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
CURSOR_VERSION = 1
# A cursor is a few dozen bytes; anything much longer was not made here.
MAX_CURSOR_LENGTH = 512
_DIGITS = re.compile(r"[0-9]{1,6}")
_LIMIT_MESSAGE = msg("limit must be a whole number from 1 to %(most)d.", most=MAX_LIMIT)
_CURSOR_MESSAGE = msg(
    "cursor is not one this list gave out; leave it out to start from the first page."
)

T = TypeVar("T")
KeyColumn = ColumnElement[Any] | QueryableAttribute[Any]


class Page(list[T]):
    """One page of a list: its rows in the list's order (it is a list of them), and
    `next_cursor`, the opaque cursor of the page after it, None on the last page."""

    def __init__(self, rows: Iterable[T] = (), next_cursor: str | None = None) -> None:
        super().__init__(rows)
        self.next_cursor = next_cursor


@dataclass(frozen=True)
class Keyset:
    """The order of one list, as keyset pagination needs it.

    `columns` is the sort key, ascending, ending with the row's unique id, so that the order is
    total and "the rows after this one" is the row-value comparison `(columns) > (its values)`,
    which a B-tree index on the same columns answers without reading the rows before it (no
    OFFSET). `name` goes into every cursor, so a cursor of one list is refused by another.

    With `private`, the sort key holds personal data (a patient's name): cursors end up in URLs
    and logs, so they carry only the id, and the key is read back from that row when the next page
    is asked for. If that row's key changed meanwhile, the list resumes from its new place.
    """

    name: str
    columns: tuple[KeyColumn, ...]
    private: bool = False


def parse_limit(value: object, field: str = "limit") -> int:
    """A page size: a whole number from 1 to MAX_LIMIT, given as an int or as digits (a query
    string). Raises ValidationError(field) otherwise (issue 5: default 50, at most 200)."""
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_LIMIT:
        raise ValidationError(field, _LIMIT_MESSAGE)
    return value


def fetch_page(
    session: Session,
    query: Select[T],
    keyset: Keyset,
    *,
    limit: int | None,
    after: str | None,
) -> Page[T]:
    """Run `query` (one entity, with its filters and loader options, not yet ordered) in
    `keyset`'s order, starting after the row that the cursor `after` names.

    `limit` rows at most (1..MAX_LIMIT), fetching one more to learn whether a page follows; None
    returns every row (the portal's lists) and no cursor. With an index on the keyset's columns,
    a page costs one index range scan however deep it lies. Raises ValidationError("limit"), or
    ValidationError("cursor") for a cursor that is malformed, of another list, or names a row
    this query does not see.
    """
    if limit is not None:
        parse_limit(limit)
    if after:
        values = _position(session, query, keyset, decode_cursor(after, keyset))
        # A tuple of plain values binds each one with its column's type (UTCDateTime: UTC).
        query = query.where(tuple_(*keyset.columns) > values)
    query = query.add_columns(*keyset.columns).order_by(*keyset.columns)
    if limit is None:
        return Page(row[0] for row in session.execute(query))
    rows = session.execute(query.limit(limit + 1)).all()
    if len(rows) <= limit:
        return Page(row[0] for row in rows)
    last = rows[limit - 1]
    return Page((row[0] for row in rows[:limit]), encode_cursor(tuple(last[1:]), keyset))


def encode_cursor(key: Sequence[Any], keyset: Keyset) -> str:
    """The opaque cursor of the row whose sort key is `key`: URL-safe base64, without padding,
    of a small JSON `{"v": version, "list": name, "key": [...]}` (the id alone when private)."""
    values = key[-1:] if keyset.private else key
    document = {"v": CURSOR_VERSION, "list": keyset.name, "key": [_to_json(v) for v in values]}
    text = json.dumps(document, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, keyset: Keyset) -> tuple[Any, ...]:
    """The key values in a cursor of `keyset`'s list (the id alone when private), typed as the
    columns are. Raises ValidationError("cursor") for anything else."""
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError(cursor)
        raw = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True)
        document = json.loads(raw)
        columns = keyset.columns[-1:] if keyset.private else keyset.columns
        if not isinstance(document, dict) or document.keys() != {"v", "list", "key"}:
            raise ValueError(cursor)
        if document["v"] != CURSOR_VERSION or document["list"] != keyset.name:
            raise ValueError(cursor)
        key = document["key"]
        if not isinstance(key, list) or len(key) != len(columns):
            raise ValueError(cursor)
        return tuple(_from_json(v, column) for v, column in zip(key, columns, strict=True))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ValidationError("cursor", _CURSOR_MESSAGE) from None


def _position(
    session: Session, query: Select[T], keyset: Keyset, decoded: tuple[Any, ...]
) -> tuple[Any, ...]:
    """The sort key to continue after: the cursor's own, or, for a private order, the one its
    row has now, looked up within the query's filters (an access context included)."""
    if not keyset.private:
        return decoded
    lookup = select(*keyset.columns).where(keyset.columns[-1] == decoded[0])
    if query.whereclause is not None:
        lookup = lookup.where(query.whereclause)
    row = session.execute(lookup).first()
    if row is None:
        raise ValidationError("cursor", _CURSOR_MESSAGE)
    return tuple(row)


def _to_json(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str | uuid.UUID):
        return str(value)
    raise TypeError(f"a keyset column holds {type(value).__name__}, which cursors do not carry")


def _aware(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(text)
    return value


_DECODERS: dict[type, Callable[[str], Any]] = {datetime: _aware, uuid.UUID: uuid.UUID, str: str}


def _from_json(value: object, column: KeyColumn) -> Any:
    if not isinstance(value, str):
        raise TypeError(value)
    kind = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
    return _DECODERS[kind.python_type](value)
