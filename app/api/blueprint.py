"""The `/api/v1` blueprint: its URL map, CSRF exemption and error handlers."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_wtf import CSRFProtect

from app.api import appointments, locations, panels, profiles
from app.api.errors import register_error_handlers
from app.api.openapi.document import get_openapi_document

api = Blueprint("api", __name__, url_prefix="/api/v1")

# Path ids are plain strings: the key and scope are checked before the id's format (contract).
_ROUTES = (
    ("/openapi.json", get_openapi_document, "GET"),
    ("/profiles", profiles.list_profiles, "GET"),
    ("/profiles", profiles.create_profile, "POST"),
    ("/profiles/<profile_id>", profiles.get_profile, "GET"),
    ("/profiles/<profile_id>", profiles.update_profile, "PATCH"),
    ("/locations", locations.list_locations, "GET"),
    ("/locations/<location_id>", locations.get_location, "GET"),
    ("/locations/<location_id>/availability", locations.get_availability, "GET"),
    ("/panels", panels.list_panels, "GET"),
    ("/appointments", appointments.list_appointments, "GET"),
    ("/appointments", appointments.book_appointment, "POST"),
    ("/appointments/<appointment_id>", appointments.get_appointment, "GET"),
    ("/appointments/<appointment_id>", appointments.reschedule_appointment, "PATCH"),
    ("/appointments/<appointment_id>", appointments.cancel_appointment, "DELETE"),
    ("/appointments/<appointment_id>/panels", appointments.add_panels, "POST"),
    ("/appointments/<appointment_id>/panels", appointments.remove_panels, "DELETE"),
    ("/appointments/<appointment_id>/confirm", appointments.record_blood_draw, "POST"),
)

for _rule, _view, _method in _ROUTES:
    api.add_url_rule(_rule, view_func=_view, methods=[_method])

register_error_handlers(api)


def init_api(app: Flask, csrf: CSRFProtect) -> None:
    """Register the API; it authenticates by `x-api-key`, so it is exempt from CSRF."""
    csrf.exempt(api)
    app.register_blueprint(api)
