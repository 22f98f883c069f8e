"""The API's rate limit (API_RATE_LIMIT): one budget per API key across every `/api/v1` route,
and one per client address for requests whose key is missing, unknown or revoked.

When it is checked: after the key is looked up, before everything the contract orders after it
(the scope, the path id, the body ...). Keying by the looked-up key, not by whatever the header
holds, means a made-up key gets no fresh budget of its own: it counts against its address, so
guessing keys is limited too. The look-up is the one the scope check needs anyway (memoised per
request), a single indexed SELECT.
"""

from __future__ import annotations

from typing import cast

from flask import Blueprint, Flask, request
from flask_limiter import Limiter
from sqlalchemy.exc import SQLAlchemyError

from app.api.auth import API_KEY_HEADER, current_actor
from app.ratelimit import checked_limit, client_address, private_digest

BY_KEY = "key"
BY_ADDRESS = "address"


def api_limit_key() -> str:
    """The budget a request counts against: `key:<digest of the API key>` for a valid key (the
    raw key never reaches the limiter's storage), else `address:<client address>`."""
    try:
        actor = current_actor()
    except SQLAlchemyError:
        # The view reports the database fault (503 or 500); raised here, Flask-Limiter would take it
        # for its own storage failing and switch to per-process counting for a while.
        actor = None
    if actor is None:
        return f"{BY_ADDRESS}:{client_address()}"
    return private_digest(BY_KEY, request.headers[API_KEY_HEADER])


def limited_by_key() -> bool:
    """Whether this request counts against its API key's budget (else its address's)."""
    return api_limit_key().startswith(f"{BY_KEY}:")


def limit_api(app: Flask, limiter: Limiter) -> None:
    """Put API_RATE_LIMIT on the API blueprint (registered as `api`), one budget shared by all
    its routes (scope `api`)."""
    # Taken from the app, not imported: app.api.blueprint imports this module (through errors).
    blueprint = cast(Blueprint, app.blueprints["api"])
    limiter.shared_limit(checked_limit(app, "API_RATE_LIMIT"), scope="api", key_func=api_limit_key)(
        blueprint
    )
