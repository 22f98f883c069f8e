"""A page of a list as the API answers it: a bare JSON array, the next page in a `Link` header."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode, urlunsplit

from flask import Response, jsonify, request, url_for

from app.domain.pages import Page

T = TypeVar("T")


def page_response(page: Page[T], serialize: Callable[[T], Any]) -> Response:
    """The page's rows, serialized, as a bare array (contract, "Lists"), with `Link: <...>;
    rel="next"` (RFC 8288) unless it is the last page."""
    response = jsonify([serialize(row) for row in page])
    if page.next_cursor is not None:
        response.headers["Link"] = f'<{next_page_url(page.next_cursor)}>; rel="next"'
    return response


def next_page_url(cursor: str) -> str:
    """The request's own URL, root-relative, with `cursor` in place of its cursor: every other
    query parameter (the filters, `limit`) is kept as it was sent.

    Root-relative, as RFC 8288 allows (a URI reference, resolved against the request's URL): behind
    a TLS proxy the app does not know the scheme and host the client used."""
    args = [(name, value) for name, value in request.args.items(multi=True) if name != "cursor"]
    query = urlencode([*args, ("cursor", cursor)])
    path = url_for(str(request.endpoint), **(request.view_args or {}))
    return urlunsplit(("", "", path, query, ""))
