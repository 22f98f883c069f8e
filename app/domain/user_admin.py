"""User administration: an admin lists portal users and changes what a user's role works for."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.domain.access import Actor, Permission, ensure_permitted
from app.domain.accounts import ORGANISATION_ROLES, ensure_role_links, get_organisation
from app.domain.errors import Conflict, NotFound, ValidationError
from app.domain.messages import msg, msg_plural
from app.domain.models import Profile, Role, TestLocation, User
from app.domain.pages import Keyset, Page, fetch_page
from app.domain.rules import parse_uuid
from app.domain.transactions import write_transaction
from app.domain.user_sessions import move_session_version_on

# By e-mail address, which is personal data: the cursor carries the user's id only.
USER_ORDER = Keyset("users", (User.email, User.id), private=True)


def parse_role(value: object, field: str = "role") -> Role:
    """One of the portal's roles (`Role`). Raises ValidationError(field)."""
    try:
        return Role(str(value))
    except ValueError:
        raise ValidationError(
            field, msg("The role must be one of %(roles)s.", roles=", ".join(Role))
        ) from None


def list_users(
    session: Session,
    *,
    actor: Actor,
    limit: int | None = None,
    after: str | None = None,
    before: str | None = None,
) -> Page[User]:
    """Portal users with their organisation and locations, by e-mail: `limit` of them after the
    cursor `after` or before `before` (`pages.fetch_page`), or all without a limit. Raises
    Forbidden, ValidationError("limit" or "cursor")."""
    ensure_permitted(actor, Permission.MANAGE_USERS)
    query = select(User).options(selectinload(User.organisation), selectinload(User.locations))
    return fetch_page(session, query, USER_ORDER, limit=limit, after=after, before=before)


def get_user(session: Session, user_id: uuid.UUID, *, actor: Actor) -> User:
    """One portal user. Raises Forbidden, NotFound."""
    ensure_permitted(actor, Permission.MANAGE_USERS)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("User")
    return user


def update_user_role(
    session: Session,
    user_id: uuid.UUID,
    role: object,
    *,
    actor: Actor,
    organisation_slug: str | None = None,
    location_ids: Iterable[object] = (),
) -> User:
    """Give a user `role`, working for the organisation or test locations it needs (the rules of
    `create_user`: `ensure_role_links`); links the role does not use are cleared.

    A change ends every session of the user (`move_session_version_on`): they sign in again
    to work in the new role. Raises Forbidden, ValidationError (role, missing link), NotFound
    (user, organisation, test location), Conflict when the change would leave no admin (field
    `role`), or move a user away from the organisation whose profiles they own (field
    `organisation`).
    """
    ensure_permitted(actor, Permission.MANAGE_USERS)
    new_role = parse_role(role)
    ids = {parse_uuid(value, "locations") for value in location_ids}
    with write_transaction(session):
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("User")
        organisation = None
        if new_role in ORGANISATION_ROLES and organisation_slug:
            organisation = get_organisation(session, organisation_slug)
        locations = _locations(session, ids) if new_role is Role.FRONT_DESK else []
        ensure_role_links(
            new_role, has_organisation=organisation is not None, location_count=len(locations)
        )
        if user.role == Role.ADMIN and new_role is not Role.ADMIN:
            _ensure_another_admin(session, user)
        if organisation is not None:
            _ensure_owned_profiles_stay_visible(session, user, organisation.id, organisation.name)
        before = (user.role, user.organisation_id, {location.id for location in user.locations})
        user.role = new_role
        user.organisation_id = organisation.id if organisation is not None else None
        user.locations = locations
        if before != (new_role, user.organisation_id, {location.id for location in locations}):
            move_session_version_on(session, user.id)
        session.flush()
        session.refresh(user, ["locations"])  # in the relationship's order, before the commit
    return user


def _locations(session: Session, ids: set[uuid.UUID]) -> list[TestLocation]:
    found = list(session.scalars(select(TestLocation).where(TestLocation.id.in_(ids))))
    if len(found) < len(ids):
        raise NotFound("Test location")
    return found


def _ensure_another_admin(session: Session, user: User) -> None:
    # Lock the admins' rows, so two admins demoting each other at once cannot both succeed.
    admins = session.scalars(select(User.id).where(User.role == Role.ADMIN).with_for_update())
    if not any(admin_id != user.id for admin_id in admins):
        raise Conflict(
            msg("%(email)s is the only admin: make another user an admin first.", email=user.email),
            field="role",
        )


def _ensure_owned_profiles_stay_visible(
    session: Session, user: User, organisation_id: uuid.UUID, organisation_name: str
) -> None:
    owned = session.scalar(
        select(func.count())
        .select_from(Profile)
        .where(Profile.owner_id == user.id, Profile.organisation_id != organisation_id)
    )
    if owned:
        raise Conflict(
            msg_plural(
                "%(email)s owns %(num)d profile of another organisation, which they would no "
                "longer see in %(organisation)s.",
                "%(email)s owns %(num)d profiles of another organisation, which they would no "
                "longer see in %(organisation)s.",
                owned,
                email=user.email,
                organisation=organisation_name,
            ),
            field="organisation",
        )
