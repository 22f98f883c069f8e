"""The signed-in portal user for Flask-Login, its domain actor, and role checks for views."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import UserMixin, current_user, login_required

from app.domain.access import Actor
from app.domain.accounts import user_actor
from app.domain.models import Role, User

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True, eq=False)
class PortalUser(UserMixin):
    """A snapshot of a `User` for one request: Flask-Login's user object, holding the domain
    actor, so the model and the domain stay free of flask_login."""

    id: uuid.UUID
    email: str
    role: Role
    organisation_id: uuid.UUID | None
    location_ids: tuple[uuid.UUID, ...]  # front desk's locations, by name; the first is the default
    actor: Actor
    session_version: int

    @classmethod
    def from_user(cls, user: User) -> PortalUser:
        """Copy what the portal needs from the model, with the actor the domain computes."""
        return cls(
            id=user.id,
            email=user.email,
            role=Role(user.role),
            organisation_id=user.organisation_id,
            location_ids=tuple(location.id for location in user.locations),
            actor=user_actor(user),
            session_version=user.session_version,
        )

    def get_id(self) -> str:
        """What Flask-Login keeps in the session cookie: `<user id>:<session version>`, so the
        cookie stops working once the version moves on (`app.domain.user_sessions`)."""
        return f"{self.id}:{self.session_version}"


def portal_user() -> PortalUser:
    """The signed-in user of this request (call only from views that require sign-in)."""
    return cast(PortalUser, current_user._get_current_object())


def current_actor() -> Actor:
    """The domain actor of the signed-in user."""
    return portal_user().actor


def role_required(*roles: Role) -> Callable[[View], View]:
    """Require sign-in (else redirect to the sign-in page) and one of `roles` (else 403)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if portal_user().role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return cast(View, login_required(wrapped))

    return decorator


def home_endpoint(role: Role) -> str:
    """The endpoint a user of `role` starts at after signing in."""
    return "desk.day_sheet" if role is Role.FRONT_DESK else "appointments.appointment_list"
