"""Keyset pagination: a list's order, its opaque cursor, and one page of its rows, forwards from
a cursor (the API's `Link: rel="next"`) or backwards from one (the portal's "Previous page")."""

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
    """One page of a list: its rows in the list's order (it is a list of them), `next_cursor`,
    the opaque cursor to ask for the page after it (`after`), None on the last page, and
    `previous_cursor`, the cursor to ask for the page before it (`before`), None on the first."""

    def __init__(
        self,
        rows: Iterable[T] = (),
        next_cursor: str | None = None,
        previous_cursor: str | None = None,
    ) -> None:
        super().__init__(rows)
        self.next_cursor = next_cursor
        self.previous_cursor = previous_cursor


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

    With `descending`, every column sorts from the highest down (newest first), and "after"
    becomes `(columns) < (its values)`: the same index, read backwards.
    """

    name: str
    columns: tuple[KeyColumn, ...]
    private: bool = False
    descending: bool = False


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
    before: str | None = None,
) -> Page[T]:
    """Run `query` (one entity, with its filters and loader options, not yet ordered) in
    `keyset`'s order, starting after the row that the cursor `after` names, or ending just
    before the row that `before` names (a page back: its rows still in the list's order).

    `limit` rows at most (1..MAX_LIMIT), fetching one more to learn whether a page follows (or,
    going back, precedes); None returns every row (and no cursors). With an index on the
    keyset's columns, a page costs one index range scan however deep it lies. The page's
    `previous_cursor` is set when rows may lie before it: it came from a cursor, or going back
    found more. Raises ValidationError("limit"), or ValidationError("cursor") for a cursor that
    is malformed, of another list, names a row this query does not see, or for both cursors.
    """
    if limit is not None:
        parse_limit(limit)
    if after and before:
        raise ValidationError("cursor", _CURSOR_MESSAGE)
    backwards = bool(before)
    cursor = before or after
    if cursor:
        values = _position(session, query, keyset, decode_cursor(cursor, keyset))
        # A tuple of plain values binds each one with its column's type (UTCDateTime: UTC).
        key = tuple_(*keyset.columns)
        query = query.where(key < values if backwards != keyset.descending else key > values)
    reverse = backwards != keyset.descending
    order = [column.desc() if reverse else column.asc() for column in keyset.columns]
    query = query.add_columns(*keyset.columns).order_by(*order)
    if limit is None:
        rows = list(session.execute(query))
        return Page(row[0] for row in (rows[::-1] if backwards else rows))
    rows = list(session.execute(query.limit(limit + 1)))
    more, rows = len(rows) > limit, rows[:limit]
    if backwards:
        rows.reverse()
    first = encode_cursor(tuple(rows[0][1:]), keyset) if rows else None
    last = encode_cursor(tuple(rows[-1][1:]), keyset) if rows else None
    if backwards:
        return Page((row[0] for row in rows), last, first if more else None)
    return Page((row[0] for row in rows), last if more else None, first if cursor else None)


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
