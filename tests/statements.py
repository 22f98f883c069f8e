"""Counting the SQL statements the app runs: a list's page must cost a fixed number of them,
however many rows the list holds (no query per row)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """While the block runs, every statement the app's engine sends (SQLAlchemy's
    `before_cursor_execute` event), in order."""
    engine = app.extensions["vena.engine"]
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
