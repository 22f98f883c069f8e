"""What a status-history entry's `details` record: where a reschedule moved an appointment from
and to, or which panels a change added or removed (contract, "Appointment", [Vena]).

The stored forms (JSON in `status_changes.details`) are written and read here only:

- a reschedule: `{"from": PLACE, "to": PLACE}`, each PLACE `{"scheduled_at": "...Z" (UTC),
  "location_id", "location_name", "timezone"}`;
- a panel change: `{"panels_added": [{"panel_id", "name"}, ...]}` or `{"panels_removed": [...]}`.

A history entry says what happened then, so it keeps the location's and panels' names (and the
location's zone) as they were: a later rename in the catalogue does not rewrite it, and reading the
history needs no query for them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.domain.messages import msg
from app.domain.models import Panel, TestLocation
from app.domain.rules import format_utc, parse_instant

PANELS_ADDED = "panels_added"
PANELS_REMOVED = "panels_removed"
# The reason a panel change's entry records.
PANELS_CHANGED = msg("Panels changed")


@dataclass(frozen=True)
class Place:
    """Where and when an appointment was: its slot start (aware, UTC) and its test location's id,
    name and IANA time zone at the time."""

    scheduled_at: datetime
    location_id: uuid.UUID
    location_name: str
    timezone: str

    @classmethod
    def of(cls, scheduled_at: datetime, location: TestLocation) -> Place:
        """The place of an appointment at `scheduled_at` at `location`."""
        return cls(scheduled_at, location.id, location.name, location.timezone)


@dataclass(frozen=True)
class Move:
    """A reschedule: the place it left (`old`) and the place it moved to (`new`)."""

    old: Place
    new: Place


@dataclass(frozen=True)
class PanelChange:
    """Panels added (`key` PANELS_ADDED) or removed (PANELS_REMOVED): (panel id, name) pairs,
    in the order they were asked for."""

    key: str
    panels: tuple[tuple[uuid.UUID, str], ...]


def move_details(old: Place, new: Place) -> dict[str, Any]:
    """The stored details of a reschedule from `old` to `new`."""
    return {"from": _place_json(old), "to": _place_json(new)}


def panel_details(key: str, panels: Iterable[Panel]) -> dict[str, Any]:
    """The stored details of a panel change: `key` is PANELS_ADDED or PANELS_REMOVED."""
    return {key: [{"panel_id": str(panel.id), "name": panel.name} for panel in panels]}


def read_details(details: Mapping[str, Any] | None) -> Move | PanelChange | None:
    """The details an entry stored, as a Move or a PanelChange; None for an entry without any."""
    if not details:
        return None
    if "from" in details:
        return Move(_place(details["from"]), _place(details["to"]))
    key = PANELS_ADDED if PANELS_ADDED in details else PANELS_REMOVED
    return PanelChange(
        key, tuple((uuid.UUID(item["panel_id"]), item["name"]) for item in details[key])
    )


def _place_json(place: Place) -> dict[str, str]:
    return {
        "scheduled_at": format_utc(place.scheduled_at),
        "location_id": str(place.location_id),
        "location_name": place.location_name,
        "timezone": place.timezone,
    }


def _place(stored: Mapping[str, str]) -> Place:
    return Place(
        parse_instant(stored["scheduled_at"]),
        uuid.UUID(stored["location_id"]),
        stored["location_name"],
        stored["timezone"],
    )
