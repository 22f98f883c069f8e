"""Profile use cases: create, update, read and list patients within an access context."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal_column, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain import profile_rules as pr
from app.domain.access import (
    Actor,
    Permission,
    ensure_can_see_profile,
    ensure_permitted,
    profile_filter,
)
from app.domain.errors import Conflict, Forbidden, NotFound, ValidationError
from app.domain.messages import msg
from app.domain.models import Profile
from app.domain.pages import Keyset, Page, fetch_page
from app.domain.rules import ensure_printable_text
from app.domain.transactions import Recorder, write_transaction

PROFILE_FIELDS = (
    "handle",
    "first_name",
    "last_name",
    "email",
    "phone",
    "sex",
    "date_of_birth",
    "height",
    "weight",
    "language",
)
# By last and first name; a profile without a last name sorts as if it were empty (first), on
# SQLite and PostgreSQL alike (their NULLs sort at opposite ends). The expression is written as
# the index `ix_profiles_organisation_name` has it (a literal, not a bound value), so PostgreSQL
# reads a page from that index. Names are personal data, so the cursor carries only the id
# (`Keyset.private`).
PROFILE_ORDER = Keyset(
    "profiles",
    (func.coalesce(Profile.last_name, literal_column("''")), Profile.first_name, Profile.id),
    private=True,
)


def _parsers(now: datetime) -> dict[str, Callable[[object], Any]]:
    today = now.date()
    return {
        "handle": pr.parse_handle,
        "first_name": lambda v: pr.parse_name(v, "first_name", required=True),
        "last_name": lambda v: pr.parse_name(v, "last_name", required=False),
        "email": pr.parse_email,
        "phone": pr.parse_phone,
        "sex": pr.parse_sex,
        "date_of_birth": lambda v: pr.parse_date_of_birth(v, today=today),
        "height": lambda v: pr.parse_measure(v, "height", pr.HEIGHT_RANGE_CM, "cm"),
        "weight": lambda v: pr.parse_measure(v, "weight", pr.WEIGHT_RANGE_KG, "kg"),
        "language": pr.parse_language,
    }


def parse_profile_fields(
    data: Mapping[str, object], *, now: datetime, partial: bool = False
) -> dict[str, Any]:
    """Check every profile field in `data` against the contract's rules; return the clean values.

    With `partial`, only the fields present are checked (PATCH); otherwise every field is, and a
    missing required one is an error. Text holding a control character or line break is refused
    first (`rules.ensure_printable_text`). Raises one ValidationError naming every failing field.
    """
    parsers = _parsers(now)
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name in PROFILE_FIELDS:
        if partial and name not in data:
            continue
        value = data.get(name)
        try:
            if isinstance(value, str):
                ensure_printable_text(value, name)
            clean[name] = parsers[name](value)
        except ValidationError as error:
            errors.setdefault(name, []).append(error.message)
    if errors:
        raise ValidationError.from_errors(errors)
    return clean


def create_profile(
    session: Session,
    data: Mapping[str, object],
    *,
    actor: Actor,
    now: datetime,
    organisation_id: uuid.UUID | None = None,
    record: Recorder[Profile] | None = None,
) -> Profile:
    """Create a profile in the actor's organisation (admins name `organisation_id`).

    A patient's new profile is owned by them. `record`, if given, is called with the new profile
    before the commit (`transactions.Recorder`). Raises Forbidden, ValidationError, or Conflict
    when `handle` is already used in the organisation.
    """
    ensure_permitted(actor, Permission.WRITE_PROFILES)
    clean = parse_profile_fields(data, now=now)
    org_id = actor.organisation_id or (organisation_id if actor.is_admin else None)
    if org_id is None:
        raise Forbidden(msg("Only an organisation's users and keys can create profiles."))
    with write_transaction(session):
        profile = Profile(organisation_id=org_id, owner_id=actor.owner_id, created_at=now, **clean)
        session.add(profile)
        _flush_unique_handle(session)
        if record is not None:
            record(profile)
    return profile


def update_profile(
    session: Session,
    profile_id: uuid.UUID,
    data: Mapping[str, object],
    *,
    actor: Actor,
    now: datetime,
) -> Profile:
    """Change the fields present in `data`; `updated_at` becomes `now` when a value changed (it
    is null until the first change, contract "Profile"). Raises Forbidden, ValidationError,
    NotFound, or Conflict when the new `handle` is already used in the organisation."""
    ensure_permitted(actor, Permission.WRITE_PROFILES)
    clean = parse_profile_fields(data, now=now, partial=True)
    with write_transaction(session):
        profile = _load(session, profile_id, actor)
        changed = {name: value for name, value in clean.items() if getattr(profile, name) != value}
        for name, value in changed.items():
            setattr(profile, name, value)
        if changed:
            profile.updated_at = now
        _flush_unique_handle(session)
    return profile


def get_profile(session: Session, profile_id: uuid.UUID, *, actor: Actor) -> Profile:
    """Return one profile. Raises Forbidden (no permission, or outside the access context) or
    NotFound."""
    ensure_permitted(actor, Permission.READ_PROFILES)
    return _load(session, profile_id, actor)


def list_profiles(
    session: Session,
    *,
    actor: Actor,
    search: str | None = None,
    limit: int | None = None,
    after: str | None = None,
    before: str | None = None,
) -> Page[Profile]:
    """The profiles in `actor`'s access context, by last and first name; `search` keeps those it
    matches (`profile_search`). `limit` of them after the cursor `after` or before `before`
    (see `pages.fetch_page`), or all of them without a limit. Raises Forbidden,
    ValidationError("search" holding a control character, "limit" or "cursor")."""
    ensure_permitted(actor, Permission.READ_PROFILES)
    query = select(Profile).where(profile_filter(actor))
    if search:
        ensure_printable_text(search, "search")
    if search and search.strip():
        query = query.where(profile_search(search))
    return fetch_page(session, query, PROFILE_ORDER, limit=limit, after=after, before=before)


def profile_search(search: str) -> ColumnElement[bool]:
    """A WHERE clause over Profile: each word of `search` is a part of the first name, the last
    name or the handle, in any case, so `anna schm` finds Anna Schmidt and `a-1042` the
    profile whose handle it is. The words are matched literally (LIKE's wildcards escaped)."""
    clauses = []
    for word in search.lower().split():
        text = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{text}%"
        clauses.append(
            or_(
                Profile.first_name.ilike(pattern, escape="\\"),
                Profile.last_name.ilike(pattern, escape="\\"),
                Profile.handle.ilike(pattern, escape="\\"),
            )
        )
    return and_(true(), *clauses)


def _load(session: Session, profile_id: uuid.UUID, actor: Actor) -> Profile:
    profile = session.get(Profile, profile_id)
    if profile is None:
        raise NotFound("Profile")
    ensure_can_see_profile(actor, profile)
    return profile


def _flush_unique_handle(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(
            msg("handle is already used by another profile of this organisation."), field="handle"
        ) from None
