"""Organisation administration: an admin adds organisations, and issues and revokes API keys."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.domain.access import Actor, Permission, ensure_permitted
from app.domain.accounts import create_api_key, create_organisation
from app.domain.errors import Conflict, NotFound, ValidationError
from app.domain.messages import msg, too_long
from app.domain.models import ApiKey, Organisation, User
from app.domain.pages import Keyset, Page, fetch_page
from app.domain.rules import ensure_printable_text
from app.domain.transactions import write_transaction

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
MAX_ORGANISATION_NAME = 200
MAX_KEY_NAME = 100
ORGANISATION_ORDER = Keyset("organisations", (Organisation.slug, Organisation.id))
# Newest first; the id orders keys issued in the same instant.
API_KEY_ORDER = Keyset("api_keys", (ApiKey.created_at, ApiKey.id), descending=True)


@dataclass(frozen=True)
class OrganisationSummary:
    """An organisation with how many portal users and unrevoked API keys it has."""

    organisation: Organisation
    users: int
    active_keys: int


def parse_slug(value: object, field: str = "slug") -> str:
    """An organisation's slug: 1 to 64 lower-case letters, digits and inner hyphens (`acme`,
    `acme-clinics`); upper case is lowered. Raises ValidationError(field)."""
    text = value.strip().lower() if isinstance(value, str) else ""
    if not _SLUG.match(text):
        raise ValidationError(
            field,
            msg(
                "The slug must be 1 to 64 letters a-z, digits and hyphens, starting and ending "
                "with a letter or digit, such as acme-clinics."
            ),
        )
    return text


def _parse_label(value: object, field: str, subject: str, most: int) -> str:
    if isinstance(value, str):
        ensure_printable_text(value, field)
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationError(field, msg("%(subject)s is required.", subject=subject))
    if len(text) > most:
        raise ValidationError(field, too_long(subject, most))
    return text


def list_organisations(
    session: Session,
    *,
    actor: Actor,
    limit: int | None = None,
    after: str | None = None,
    before: str | None = None,
) -> Page[OrganisationSummary]:
    """Organisations by slug, with their users and unrevoked keys counted: `limit` of them after
    the cursor `after` or before `before` (`pages.fetch_page`), or all without a limit. The
    counts are two grouped queries over the page's organisations, however many there are.
    Raises Forbidden, ValidationError("limit" or "cursor")."""
    ensure_permitted(actor, Permission.MANAGE_ORGANISATIONS)
    page = fetch_page(
        session, select(Organisation), ORGANISATION_ORDER, limit=limit, after=after, before=before
    )
    ids = [organisation.id for organisation in page]
    users = _count_by_organisation(session, User.organisation_id, ids)
    keys = _count_by_organisation(session, ApiKey.organisation_id, ids, ApiKey.revoked_at.is_(None))
    return Page(
        (OrganisationSummary(org, users.get(org.id, 0), keys.get(org.id, 0)) for org in page),
        page.next_cursor,
        page.previous_cursor,
    )


def _count_by_organisation(
    session: Session,
    column: InstrumentedAttribute[uuid.UUID] | InstrumentedAttribute[uuid.UUID | None],
    ids: list[uuid.UUID],
    *where: ColumnElement[bool],
) -> dict[uuid.UUID, int]:
    if not ids:
        return {}
    query = select(column, func.count()).where(column.in_(ids), *where).group_by(column)
    return {
        organisation_id: count
        for organisation_id, count in session.execute(query)
        if organisation_id
    }


def get_organisation_by_id(
    session: Session, organisation_id: uuid.UUID, *, actor: Actor
) -> Organisation:
    """One organisation. Raises Forbidden, NotFound."""
    ensure_permitted(actor, Permission.MANAGE_ORGANISATIONS)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("Organisation")
    return organisation


def list_api_keys(
    session: Session,
    organisation_id: uuid.UUID,
    *,
    actor: Actor,
    limit: int | None = None,
    after: str | None = None,
    before: str | None = None,
) -> Page[ApiKey]:
    """An organisation's API keys, revoked ones too, newest first: `limit` of them after the
    cursor `after` or before `before` (`pages.fetch_page`), or all without a limit. Raises
    Forbidden, ValidationError("limit" or "cursor")."""
    ensure_permitted(actor, Permission.MANAGE_ORGANISATIONS)
    query = select(ApiKey).where(ApiKey.organisation_id == organisation_id)
    return fetch_page(session, query, API_KEY_ORDER, limit=limit, after=after, before=before)


def add_organisation(
    session: Session, slug: object, name: object, *, actor: Actor, now: datetime
) -> Organisation:
    """Create an organisation (`create_organisation`) with a checked slug (`parse_slug`) and a
    name of 1 to 200 characters. Raises Forbidden, ValidationError (each failing field),
    Conflict (field `slug`: taken)."""
    ensure_permitted(actor, Permission.MANAGE_ORGANISATIONS)
    errors: dict[str, list[str]] = {}
    clean_slug = clean_name = ""
    try:
        clean_slug = parse_slug(slug)
    except ValidationError as error:
        errors.update(error.errors)
    try:
        clean_name = _parse_label(name, "name", msg("The name"), MAX_ORGANISATION_NAME)
    except ValidationError as error:
        errors.update(error.errors)
    if errors:
        raise ValidationError.from_errors(errors)
    return create_organisation(session, clean_slug, clean_name, now=now)


def issue_api_key(
    session: Session,
    organisation_id: uuid.UUID,
    scopes: Iterable[str],
    *,
    name: object,
    actor: Actor,
    now: datetime,
) -> tuple[ApiKey, str]:
    """Create an API key of the organisation with `scopes` (`create_api_key`) and a name of 1 to
    100 characters; returns the key and its secret, which exists only in this return value.
    Raises Forbidden, NotFound, ValidationError (`name`, `scope`)."""
    organisation = get_organisation_by_id(session, organisation_id, actor=actor)
    errors: dict[str, list[str]] = {}
    label = ""
    try:
        label = _parse_label(name, "name", msg("The key's name"), MAX_KEY_NAME)
    except ValidationError as error:
        errors["name"] = [error.message]
    scopes = list(scopes)
    if not scopes:
        errors["scope"] = [msg("Choose one or more scopes: the key may do nothing else.")]
    if errors:
        raise ValidationError.from_errors(errors)
    return create_api_key(session, organisation.slug, scopes, name=label, now=now)


def get_api_key(
    session: Session, organisation_id: uuid.UUID, key_id: uuid.UUID, *, actor: Actor
) -> ApiKey:
    """One API key of the organisation. Raises Forbidden, NotFound (also for another
    organisation's key)."""
    ensure_permitted(actor, Permission.MANAGE_ORGANISATIONS)
    api_key = session.get(ApiKey, key_id)
    if api_key is None or api_key.organisation_id != organisation_id:
        raise NotFound("API key")
    return api_key


def revoke_api_key(
    session: Session, organisation_id: uuid.UUID, key_id: uuid.UUID, *, actor: Actor, now: datetime
) -> ApiKey:
    """Revoke an API key: from `now` on it authenticates nothing (the API answers 403). Revoking
    is final; the key's row stays, for the record.

    Raises Forbidden, NotFound, Conflict when it is revoked already.
    """
    ensure_permitted(actor, Permission.MANAGE_ORGANISATIONS)
    with write_transaction(session):
        api_key = get_api_key(session, organisation_id, key_id, actor=actor)
        result = session.execute(
            update(ApiKey)
            .where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )
        if cast(CursorResult[Any], result).rowcount == 0:
            raise Conflict(msg("The API key %(name)s is revoked already.", name=api_key.name))
        session.refresh(api_key)  # as the UPDATE left it, read before the commit
    return api_key
