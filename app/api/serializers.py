"""Models as the contract's JSON objects: ids as strings, instants in the contract's formats."""

from __future__ import annotations

from typing import Any

from app.domain.availability import Availability, Slot
from app.domain.history_details import Move, PanelChange, Place, read_details
from app.domain.models import Appointment, Panel, Profile, StatusChange, TestLocation
from app.domain.rules import format_local, format_utc

# Vena draws blood at its test locations and ships no home kits (contract, "Appointment").
TEST_METHOD = "practitioner"

_LOCATION_FIELDS = (
    "name",
    "company_name",
    "address_line_1",
    "address_line_2",
    "city",
    "state",
    "postal_code",
    "country_name",
    "country_code",
    "timezone",
    "contact_phone",
    "email",
    "website",
    "google_maps_url",
    "image_url",
    "open_hours",
    "default_status",
    "slot_duration_minutes",
    "slot_interval_minutes",
    "capacity",
    "minimum_notice_minutes",
    "booking_horizon_days",
    "early_arrival_minutes",
)


def _measure(value: float | None) -> float | int | None:
    """A height or weight as the contract answers it: a whole number as an integer (`168`)."""
    return int(value) if value is not None and value.is_integer() else value


def profile_json(profile: Profile) -> dict[str, Any]:
    """Contract, "Profile"; `updated_at` is null until the profile is changed; a whole height or
    weight is an integer."""
    return {
        "id": str(profile.id),
        "handle": profile.handle,
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "email": profile.email,
        "phone": profile.phone,
        "sex": profile.sex,
        "date_of_birth": profile.date_of_birth.isoformat(),
        "height": _measure(profile.height),
        "weight": _measure(profile.weight),
        "language": profile.language,
        "created_at": format_utc(profile.created_at),
        "updated_at": format_utc(profile.updated_at) if profile.updated_at else None,
    }


def location_json(location: TestLocation) -> dict[str, Any]:
    """Contract, "Test location", with [Vena] `default_status`, the schedule (minutes, chairs,
    days), `early_arrival_minutes` (the draw window's start before an appointment's, CONTRACT.md
    `/confirm`) and `closed_dates: [{date, reason}]`."""
    return {
        "id": str(location.id),
        **{name: getattr(location, name) for name in _LOCATION_FIELDS},
        "closed_dates": [
            {"date": closed.date.isoformat(), "reason": closed.reason}
            for closed in location.closed_dates
        ],
    }


def availability_json(availability: Availability, *, detail: bool) -> dict[str, Any]:
    """Contract, availability: slot starts in the location's offset; with [Vena] `detail`, each
    slot is `{start, remaining, capacity}`."""
    location = availability.location

    def slot_json(slot: Slot) -> Any:
        start = format_local(slot.start, location.timezone)
        if not detail:
            return start
        return {"start": start, "remaining": slot.remaining, "capacity": slot.capacity}

    return {
        "location_id": str(location.id),
        "timezone": location.timezone,
        "slot_duration_minutes": location.slot_duration_minutes,
        "slot_interval_minutes": location.slot_interval_minutes,
        "availability": [
            {"date": day.day.isoformat(), "slots": [slot_json(slot) for slot in day.slots]}
            for day in availability.days
        ],
    }


def panel_json(panel: Panel) -> dict[str, Any]:
    """Contract, "Panel", with [Vena] `requires_fasting`."""
    return {
        "id": str(panel.id),
        "name": panel.name,
        "description": panel.description,
        "biomarkers": [
            {"name": marker.name, "loinc_code": marker.loinc_code, "unit": marker.unit}
            for marker in panel.biomarkers
        ],
        "requires_fasting": panel.requires_fasting,
    }


def appointment_json(appointment: Appointment) -> dict[str, Any]:
    """Contract, "Appointment": `scheduled_at` in the location's offset, the profile embedded,
    and [Vena] `status_history`, oldest first."""
    return {
        "id": str(appointment.id),
        "profile_id": str(appointment.profile_id),
        "location_id": str(appointment.location_id),
        "scheduled_at": format_local(appointment.scheduled_at, appointment.location.timezone),
        "status": appointment.status,
        "test_method": TEST_METHOD,
        "created_at": format_utc(appointment.created_at),
        "updated_at": format_utc(appointment.updated_at) if appointment.updated_at else None,
        "profile": profile_json(appointment.profile),
        "panels": [
            {"panel_id": str(item.panel_id), "added_at": format_utc(item.added_at)}
            for item in appointment.panels
        ],
        "shipments": [],
        "status_history": [status_change_json(change) for change in appointment.status_history],
    }


def status_change_json(change: StatusChange) -> dict[str, Any]:
    """[Vena] A status-history entry `{status, changed_at, actor, reason}`, with `details` when
    the entry has them: a reschedule's `{"from": {scheduled_at, location_id}, "to": {...}}`, each
    instant in its location's offset, or `{"panels_added" | "panels_removed": [{panel_id, name}]}`.
    """
    entry: dict[str, Any] = {
        "status": change.status,
        "changed_at": format_utc(change.changed_at),
        "actor": change.actor,
        "reason": change.reason,
    }
    details = read_details(change.details)
    if isinstance(details, Move):
        entry["details"] = {"from": _place_json(details.old), "to": _place_json(details.new)}
    elif isinstance(details, PanelChange):
        panels = [{"panel_id": str(pid), "name": name} for pid, name in details.panels]
        entry["details"] = {details.key: panels}
    return entry


def _place_json(place: Place) -> dict[str, str]:
    return {
        "scheduled_at": format_local(place.scheduled_at, place.timezone),
        "location_id": str(place.location_id),
    }
