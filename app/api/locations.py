"""`/locations`: the shared catalogue of test locations (contract, "Test location")."""

from __future__ import annotations

from flask import Response, jsonify

from app.api.auth import requires
from app.api.serializers import location_json
from app.db import get_session
from app.domain import catalogue
from app.domain.access import Actor, Permission
from app.domain.rules import parse_path_id


@requires(Permission.READ_LOCATIONS)
def list_locations(actor: Actor) -> Response:
    """`GET /locations`: every test location, as an array."""
    return jsonify(
        [location_json(loc) for loc in catalogue.list_locations(get_session(), actor=actor)]
    )


@requires(Permission.READ_LOCATIONS)
def get_location(actor: Actor, location_id: str) -> Response:
    """`GET /locations/{id}`."""
    location = catalogue.get_location(get_session(), parse_path_id(location_id), actor=actor)
    return jsonify(location_json(location))
