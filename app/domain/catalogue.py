"""The shared catalogue: test locations and panels, readable by every permitted actor."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.access import Actor, Permission, ensure_permitted
from app.domain.errors import NotFound
from app.domain.models import Panel, TestLocation


def list_locations(session: Session, *, actor: Actor) -> list[TestLocation]:
    """Every test location, by country, city and name. Raises Forbidden without permission."""
    ensure_permitted(actor, Permission.READ_LOCATIONS)
    query = (
        select(TestLocation)
        .options(selectinload(TestLocation.closed_dates))
        .order_by(TestLocation.country_code, TestLocation.city, TestLocation.name, TestLocation.id)
    )
    return list(session.scalars(query))


def get_location(session: Session, location_id: uuid.UUID, *, actor: Actor) -> TestLocation:
    """One test location. Raises Forbidden without permission, NotFound."""
    ensure_permitted(actor, Permission.READ_LOCATIONS)
    location = session.get(TestLocation, location_id)
    if location is None:
        raise NotFound("Test location")
    return location


def list_panels(session: Session, *, actor: Actor) -> list[Panel]:
    """Every panel with its biomarkers, by name. Raises Forbidden without permission."""
    ensure_permitted(actor, Permission.READ_PANELS)
    query = select(Panel).options(selectinload(Panel.biomarkers)).order_by(Panel.name)
    return list(session.scalars(query))
