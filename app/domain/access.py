"""Access context: who is acting, what they may do, and which profiles and appointments they see."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, false, select, true

from app.domain.errors import Forbidden
from app.domain.models import Appointment, Profile, Role


class Permission(enum.StrEnum):
    """One thing an actor may do; API scopes and portal roles are both sets of these."""

    READ_APPOINTMENTS = "appointments:read"
    BOOK = "appointments:book"  # create, reschedule, add and remove panels
    CANCEL = "appointments:cancel"
    CONFIRM = "appointments:confirm"  # pending -> confirmed
    RECORD_DRAW = "appointments:record_draw"  # -> blood_drawn
    READ_PROFILES = "profiles:read"
    WRITE_PROFILES = "profiles:write"
    READ_LOCATIONS = "locations:read"
    READ_PANELS = "panels:read"
    MANAGE_LOCATIONS = "locations:manage"  # details, schedules, closed dates; admins only
    MANAGE_CATALOGUE = "catalogue:manage"  # panels and biomarkers; admins only
    MANAGE_USERS = "users:manage"  # portal users and their roles; admins only
    MANAGE_ORGANISATIONS = "organisations:manage"  # organisations and API keys; admins only


_P = Permission

# Contract, "Scopes": the partner platform's scopes, in its table's order. A scope reserved for
# what Vena does not serve yet (results, shipments) is a valid scope that grants nothing.
SCOPE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "TEST_SESSIONS_SCHEDULE": frozenset(
        {
            _P.BOOK,
            _P.CANCEL,
            _P.RECORD_DRAW,
            _P.READ_APPOINTMENTS,
            _P.READ_LOCATIONS,
            _P.READ_PANELS,
        }
    ),
    "TEST_SESSIONS_VIEW": frozenset({_P.READ_APPOINTMENTS, _P.READ_LOCATIONS, _P.READ_PANELS}),
    "TEST_SESSIONS_OPERATE": frozenset({_P.RECORD_DRAW, _P.READ_APPOINTMENTS}),
    "TEST_SESSIONS_MANAGE": frozenset(
        {
            _P.BOOK,
            _P.CANCEL,
            _P.CONFIRM,
            _P.RECORD_DRAW,
            _P.READ_APPOINTMENTS,
            _P.READ_LOCATIONS,
            _P.READ_PANELS,
        }
    ),
    "PROFILES_VIEW": frozenset({_P.READ_PROFILES}),
    "IMPERSONATE": frozenset({_P.READ_PROFILES}),
    "CREATE_USER": frozenset({_P.WRITE_PROFILES}),
    "LOCATIONS_VIEW": frozenset({_P.READ_LOCATIONS}),
    "RESULTS_VIEW": frozenset(),
    "SHIPMENTS_MANAGE": frozenset(),
}

_BOOKER = frozenset(
    {
        _P.READ_APPOINTMENTS,
        _P.BOOK,
        _P.CANCEL,
        _P.READ_PROFILES,
        _P.WRITE_PROFILES,
        _P.READ_LOCATIONS,
        _P.READ_PANELS,
    }
)
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.PATIENT: _BOOKER,
    Role.COORDINATOR: _BOOKER,
    Role.FRONT_DESK: frozenset(
        {
            _P.READ_APPOINTMENTS,
            _P.CANCEL,
            _P.CONFIRM,
            _P.RECORD_DRAW,
            _P.READ_PROFILES,
            _P.READ_LOCATIONS,
            _P.READ_PANELS,
        }
    ),
    Role.ADMIN: frozenset(Permission),
}


@dataclass(frozen=True)
class Actor:
    """Who performs a use case, and the access context they act in.

    `organisation_id` limits an API key, a coordinator or a patient to one organisation's
    profiles; `owner_id` further limits a patient to the profiles they own; `location_ids` limits
    front desk to their test locations. `label` is what the status history records.
    """

    label: str
    permissions: frozenset[Permission]
    organisation_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
    location_ids: frozenset[uuid.UUID] | None = None
    is_admin: bool = False
    scopes: tuple[str, ...] = field(default=())

    def can(self, permission: Permission) -> bool:
        """Answer whether this actor holds `permission`."""
        return permission in self.permissions


def actor_for_scopes(label: str, organisation_id: uuid.UUID, scopes: Iterable[str]) -> Actor:
    """The actor of an API key: the union of its scopes' permissions, in its organisation."""
    scopes = tuple(scopes)
    permissions: frozenset[Permission] = frozenset().union(
        *(SCOPE_PERMISSIONS.get(scope, frozenset()) for scope in scopes)
    )
    return Actor(
        label=label, permissions=permissions, organisation_id=organisation_id, scopes=scopes
    )


def actor_for_user(
    label: str,
    role: str,
    *,
    user_id: uuid.UUID,
    organisation_id: uuid.UUID | None,
    location_ids: Iterable[uuid.UUID] = (),
) -> Actor:
    """The actor of a portal user, by role: patients see the profiles they own, coordinators their
    organisation's, front desk the appointments of every location they work at (none without
    one), admins everything."""
    role = Role(role)
    return Actor(
        label=label,
        permissions=ROLE_PERMISSIONS[role],
        organisation_id=organisation_id if role in (Role.PATIENT, Role.COORDINATOR) else None,
        owner_id=user_id if role is Role.PATIENT else None,
        location_ids=frozenset(location_ids) if role is Role.FRONT_DESK else None,
        is_admin=role is Role.ADMIN,
    )


def ensure_permitted(actor: Actor, permission: Permission) -> None:
    """Raise Forbidden unless `actor` holds `permission`."""
    if not actor.can(permission):
        raise Forbidden()


def profile_filter(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause over Profile that keeps only the profiles `actor` may see."""
    if actor.is_admin:
        return true()
    if actor.location_ids is not None:
        return Profile.id.in_(
            select(Appointment.profile_id).where(Appointment.location_id.in_(actor.location_ids))
        )
    if actor.organisation_id is None:
        return false()
    clause = Profile.organisation_id == actor.organisation_id
    if actor.owner_id is not None:
        clause = clause & (Profile.owner_id == actor.owner_id)
    return clause


def appointment_filter(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause over Appointment that keeps only the appointments `actor` may see."""
    if actor.is_admin:
        return true()
    if actor.location_ids is not None:
        return Appointment.location_id.in_(actor.location_ids)
    return Appointment.profile_id.in_(select(Profile.id).where(profile_filter(actor)))


def can_see_profile(actor: Actor, profile: Profile) -> bool:
    """Answer whether `profile` lies in `actor`'s access context (front desk: via SQL only)."""
    if actor.is_admin:
        return True
    if actor.location_ids is not None or actor.organisation_id is None:
        return False
    if profile.organisation_id != actor.organisation_id:
        return False
    return actor.owner_id is None or profile.owner_id == actor.owner_id


def ensure_can_see_profile(actor: Actor, profile: Profile) -> None:
    """Raise Forbidden if `profile` is outside `actor`'s access context (contract: 403)."""
    if not can_see_profile(actor, profile):
        raise Forbidden()


def ensure_can_see_appointment(actor: Actor, appointment: Appointment) -> None:
    """Raise Forbidden if `appointment` is outside `actor`'s access context (contract: 403)."""
    if actor.is_admin:
        return
    if actor.location_ids is not None:
        if appointment.location_id not in actor.location_ids:
            raise Forbidden()
        return
    ensure_can_see_profile(actor, appointment.profile)


def ensure_can_run_location(actor: Actor, location_id: uuid.UUID) -> None:
    """Raise Forbidden if `actor` works at some locations only (front desk) and not this one.
    Everyone else reads any location's day: the catalogue is shared."""
    if actor.location_ids is not None and location_id not in actor.location_ids:
        raise Forbidden()
