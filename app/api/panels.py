"""`/panels`: the shared catalogue of orderable panels (contract, "Panel")."""

from __future__ import annotations

from flask import Response, request

from app.api.auth import requires
from app.api.bodies import parse_page_query
from app.api.pages import page_response
from app.api.serializers import panel_json
from app.db import get_session
from app.domain import catalogue
from app.domain.access import Actor, Permission


@requires(Permission.READ_PANELS)
def list_panels(actor: Actor) -> Response:
    """`GET /panels?limit=&cursor=`: the panels with their biomarkers, a page at a time."""
    page = parse_page_query(request.args)
    return page_response(catalogue.list_panels(get_session(), actor=actor, **page), panel_json)
