"""API authentication: the `x-api-key` header becomes an Actor; a decorator checks its scope."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from flask import g, request
from sqlalchemy.exc import SQLAlchemyError

from app.db import get_session
from app.domain.access import Actor, Permission
from app.domain.accounts import authenticate_api_key
from app.domain.errors import Forbidden

P = ParamSpec("P")
R = TypeVar("R")

API_KEY_HEADER = "x-api-key"
# The attribute `requires` sets on a view, so the OpenAPI document can list the view's scopes.
_PERMISSION_ATTRIBUTE = "required_permission"


def current_actor() -> Actor | None:
    """The actor of the request's API key, or None if the key is missing, unknown or revoked.

    Looked up once per request: the rate limit's key (`app/api/limits.py`) needs it before the
    view's scope check does. A failed look-up raises its database error again instead of asking
    once more, so a database that does not answer holds the request up for one timeout only.
    """
    failed: SQLAlchemyError | None = g.get("api_actor_error")
    if failed is not None:
        raise failed
    if "api_actor" not in g:
        try:
            g.api_actor = authenticate_api_key(get_session(), request.headers.get(API_KEY_HEADER))
        except SQLAlchemyError as error:
            g.api_actor_error = error
            raise
    actor: Actor | None = g.api_actor
    return actor


def requires(
    permission: Permission,
) -> Callable[[Callable[Concatenate[Actor, P], R]], Callable[P, R]]:
    """Make a view need a valid key whose scopes grant `permission`; the view gets the Actor first.

    This is the contract's first check, so it runs before the path id or the body is looked at;
    any failure is Forbidden (contract: 403 with the fixed body, whatever the reason).
    """

    def decorate(view: Callable[Concatenate[Actor, P], R]) -> Callable[P, R]:
        @wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            actor = current_actor()
            if actor is None or not actor.can(permission):
                raise Forbidden()
            return view(actor, *args, **kwargs)

        setattr(wrapper, _PERMISSION_ATTRIBUTE, permission)
        return wrapper

    return decorate


def required_permission(view: Callable[..., object]) -> Permission | None:
    """The permission `requires` made `view` need, or None for a view that needs no key."""
    permission = getattr(view, _PERMISSION_ATTRIBUTE, None)
    return permission if isinstance(permission, Permission) else None
