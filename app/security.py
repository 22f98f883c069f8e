"""Security headers on every response: CSP, HSTS, nosniff, Referrer-Policy, frame-ancestors,
and `Cache-Control: no-store` on everything but the static files."""

from __future__ import annotations

from flask import Flask, Response, request

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


# Pages and API answers may carry patient data (contract, "Caching and retries": `no-store`);
# a view that knows better says so itself (availability). Static files keep Flask's caching.
NO_STORE = "no-store"
STATIC_ENDPOINT = "static"


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != STATIC_ENDPOINT:
        response.headers.setdefault("Cache-Control", NO_STORE)
    return response


def init_security_headers(app: Flask) -> None:
    """Add the headers to every response the app sends."""
    app.after_request(_add_headers)
