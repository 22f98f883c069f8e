"""The application clock: aware UTC `now`, replaceable in tests through the `CLOCK` setting."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app


def system_now() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


def now() -> datetime:
    """The app's `CLOCK()`: aware UTC; the domain receives it, never reads a clock itself."""
    value: datetime = current_app.config["CLOCK"]()
    return value
