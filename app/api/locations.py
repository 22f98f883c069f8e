"""`/locations`: the shared catalogue of test locations (contract, "Test location")."""

from __future__ import annotations

from flask import Response, jsonify, request

from app.api.auth import requires
from app.api.bodies import parse_availability_query, parse_page_query
from app.api.pages import page_response
from app.api.serializers import availability_json, location_json
from app.clock import now
from app.db import get_session
from app.domain import catalogue
from app.domain.access import Actor, Permission
from app.domain.availability import location_availability
from app.domain.rules import parse_path_id

# Free slots change with every booking; a client may reuse an answer for half a minute, as on
# the partner platform. Not shared caches: the answer is for the key that asked.
AVAILABILITY_CACHING = "private, max-age=30"


@requires(Permission.READ_LOCATIONS)
def list_locations(actor: Actor) -> Response:
    """`GET /locations?limit=&cursor=`: the test locations, a page at a time."""
    page = parse_page_query(request.args)
    return page_response(
        catalogue.list_locations(get_session(), actor=actor, **page), location_json
    )


@requires(Permission.READ_LOCATIONS)
def get_location(actor: Actor, location_id: str) -> Response:
    """`GET /locations/{id}`."""
    location = catalogue.get_location(get_session(), parse_path_id(location_id), actor=actor)
    return jsonify(location_json(location))


@requires(Permission.READ_LOCATIONS)
def get_availability(actor: Actor, location_id: str) -> Response:
    """`GET /locations/{id}/availability?start_date=&end_date=[&detail=true]`: free slots,
    with `Cache-Control: private, max-age=30` (every other answer is `no-store`)."""
    lid = parse_path_id(location_id)
    start_date, end_date, detail = parse_availability_query(request.args)
    availability = location_availability(
        get_session(), lid, actor=actor, now=now(), start_date=start_date, end_date=end_date
    )
    response = jsonify(availability_json(availability, detail=detail))
    response.headers["Cache-Control"] = AVAILABILITY_CACHING
    return response
