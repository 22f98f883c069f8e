"""The shared catalogue: test locations and panels, readable by every permitted actor."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.access import Actor, Permission, ensure_permitted
from app.domain.errors import NotFound
from app.domain.models import Panel, TestLocation
from app.domain.pages import Keyset, Page, fetch_page

LOCATION_ORDER = Keyset(
    "locations",
    (TestLocation.country_code, TestLocation.city, TestLocation.name, TestLocation.id),
)
PANEL_ORDER = Keyset("panels", (Panel.name, Panel.id))


def list_locations(
    session: Session,
    *,
    actor: Actor,
    limit: int | None = None,
    after: str | None = None,
    before: str | None = None,
) -> Page[TestLocation]:
    """Test locations by country, city and name: `limit` of them after the cursor `after` or
    before `before` (see `pages.fetch_page`), or all of them without a limit. Raises Forbidden
    without permission, ValidationError("limit" or "cursor")."""
    ensure_permitted(actor, Permission.READ_LOCATIONS)
    query = select(TestLocation).options(selectinload(TestLocation.closed_dates))
    return fetch_page(session, query, LOCATION_ORDER, limit=limit, after=after, before=before)


def get_location(session: Session, location_id: uuid.UUID, *, actor: Actor) -> TestLocation:
    """One test location. Raises Forbidden without permission, NotFound."""
    ensure_permitted(actor, Permission.READ_LOCATIONS)
    location = session.get(TestLocation, location_id)
    if location is None:
        raise NotFound("Test location")
    return location


def list_panels(
    session: Session,
    *,
    actor: Actor,
    limit: int | None = None,
    after: str | None = None,
    before: str | None = None,
) -> Page[Panel]:
    """Panels with their biomarkers, by name: `limit` of them after the cursor `after` or before
    `before` (see `pages.fetch_page`), or all of them without a limit. Raises Forbidden without
    permission, ValidationError("limit" or "cursor")."""
    ensure_permitted(actor, Permission.READ_PANELS)
    query = select(Panel).options(selectinload(Panel.biomarkers))
    return fetch_page(session, query, PANEL_ORDER, limit=limit, after=after, before=before)
