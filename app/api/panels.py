"""`/panels`: the shared catalogue of orderable panels (contract, "Panel")."""

from __future__ import annotations

from flask import Response, jsonify

from app.api.auth import requires
from app.api.serializers import panel_json
from app.db import get_session
from app.domain import catalogue
from app.domain.access import Actor, Permission


@requires(Permission.READ_PANELS)
def list_panels(actor: Actor) -> Response:
    """`GET /panels`: every panel with its biomarkers, as an array."""
    return jsonify(
        [panel_json(panel) for panel in catalogue.list_panels(get_session(), actor=actor)]
    )
