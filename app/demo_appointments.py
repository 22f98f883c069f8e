"""Demo appointments for `seed-demo`: something for every demo user to see on a fresh `make run`.

They are booked through the domain's use cases at times relative to now (the next free slots), so
they obey every booking rule and hold their chairs; the one past appointment, which the use cases
would refuse, is written as the history of a draw three weeks ago. They are added once: when the
demo organisation has no appointment yet.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import demo_data
from app.domain.accounts import user_actor
from app.domain.appointments import BookingRequest, book_appointment
from app.domain.availability import next_free_slots
from app.domain.models import (
    Appointment,
    AppointmentPanel,
    AppointmentStatus,
    Organisation,
    Panel,
    Profile,
    StatusChange,
    TestLocation,
    User,
)
from app.domain.slots import take_seat
from app.domain.transactions import write_transaction

BERLIN = "Vena Berlin Mitte"
MUNICH = "Vena München Marienplatz"
# The front desk's coming hour at Berlin Mitte: these profiles take its next free slots.
DESK_PROFILES = ("demo-siobhan-oconnor", "demo-jean-luc-moreau", "demo-priya-sharma")
PAST_DRAW_BARCODE = "40012345"


def seed_appointments(session: Session, *, now: datetime) -> Counter[str]:
    """Book the demo appointments unless the demo organisation has some; returns how many.

    - the front desk's next free slots at Berlin Mitte (complete blood count ordered), and one
      at München Marienplatz, which starts bookings as pending for the desk to confirm;
    - the demo patient's own: one in about a week (lipid panel, fasting) and one drawn three
      weeks ago.
    """
    organisation = session.scalars(
        select(Organisation).where(Organisation.slug == demo_data.DEMO_ORGANISATION["slug"])
    ).one()
    booked = session.scalar(
        select(func.count())
        .select_from(Appointment)
        .join(Profile, Appointment.profile_id == Profile.id)
        .where(Profile.organisation_id == organisation.id)
    )
    if booked:
        return Counter()
    coordinator = user_actor(_user(session, "coordinator@vena.example.com"))
    profiles = {
        profile.handle: profile
        for profile in session.scalars(
            select(Profile).where(Profile.organisation_id == organisation.id)
        )
    }
    berlin, munich = _location(session, BERLIN), _location(session, MUNICH)
    blood_count, lipids = _panel(session, "Complete blood count"), _panel(session, "Lipid panel")
    desk_slots = next_free_slots(session, berlin, now, now=now)
    plan = [
        (profiles[handle], berlin, at, blood_count)
        for handle, at in zip(DESK_PROFILES, desk_slots, strict=False)
    ]
    munich_slot = next_free_slots(session, munich, now, now=now)[0]
    plan.append((profiles["demo-mikko-virtanen"], munich, munich_slot, blood_count))
    week_ahead = next_free_slots(session, berlin, now + timedelta(days=7), now=now)[0]
    plan.append((profiles["demo-anna-schmidt"], berlin, week_ahead, lipids))
    for profile, location, at, panel in plan:
        request = BookingRequest(profile.id, location.id, at, (panel.id,))
        book_appointment(session, request, actor=coordinator, now=now)
    _past_draw(session, profiles["demo-anna-schmidt"], berlin, blood_count, now=now)
    return Counter({"appointments": len(plan) + 1})


def _past_draw(
    session: Session, profile: Profile, location: TestLocation, panel: Panel, *, now: datetime
) -> None:
    """An appointment drawn about three weeks ago: booked a week before it, drawn on time,
    holding its chair as every appointment that is not cancelled does. Its slot is the first
    that was free three weeks ago, seen from a week before that."""
    booking_time = now - timedelta(days=28)
    at = next_free_slots(session, location, now - timedelta(days=21), now=booking_time)[0]
    booked_at = at - timedelta(days=7)
    with write_transaction(session):
        appointment = Appointment(
            profile_id=profile.id,
            location_id=location.id,
            scheduled_at=at,
            status=AppointmentStatus.BLOOD_DRAWN,
            barcode=PAST_DRAW_BARCODE,
            created_at=booked_at,
            updated_at=at,
        )
        appointment.panels = [AppointmentPanel(panel_id=panel.id, added_at=booked_at)]
        appointment.status_history = [
            StatusChange(
                sequence=1,
                status=AppointmentStatus.CONFIRMED,
                changed_at=booked_at,
                actor="coordinator:coordinator@vena.example.com",
                reason="Booked",
            ),
            StatusChange(
                sequence=2,
                status=AppointmentStatus.BLOOD_DRAWN,
                changed_at=at,
                actor="front_desk:frontdesk@vena.example.com",
                reason="Blood drawn",
            ),
        ]
        session.add(appointment)
        session.flush()
        take_seat(session, location.id, at)


def _user(session: Session, email: str) -> User:
    return session.scalars(select(User).where(User.email == email)).one()


def _location(session: Session, name: str) -> TestLocation:
    return session.scalars(select(TestLocation).where(TestLocation.name == name)).one()


def _panel(session: Session, name: str) -> Panel:
    return session.scalars(select(Panel).where(Panel.name == name)).one()
