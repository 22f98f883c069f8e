"""`/api/docs`: the partner API's interactive reference (Swagger UI, vendored; no CDN)."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("api_docs", __name__)


@bp.get("/api/docs")
def api_reference() -> str:
    """The reference page; its script (`static/js/api-docs.js`) loads the OpenAPI document from
    `/api/v1/openapi.json`. Partners read it without signing in."""
    return render_template("api_docs/reference.html")
