"""`seed-demo`'s appointments: every demo user has something to see on a fresh `make run`."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.draw_rules import appointment_draw_window
from app.domain.models import Appointment, Profile, TestLocation
from tests.conftest import NOW
from tests.factories import seat_counter_problems
from tests.test_cli import seed_demo_args


def _appointments(session, *conditions) -> list[Appointment]:
    session.rollback()  # see what the command committed
    query = select(Appointment).join(Profile).join(TestLocation).where(*conditions)
    return list(session.scalars(query.order_by(Appointment.scheduled_at)))


def test_the_front_desk_finds_its_next_appointments_with_a_panel_to_draw(app, session):
    app.test_cli_runner().invoke(args=seed_demo_args(app))

    berlin = _appointments(session, TestLocation.name == "Vena Berlin Mitte")
    upcoming = [a for a in berlin if a.scheduled_at > NOW and a.status == "confirmed"]
    assert len(upcoming) >= 3
    assert all(appointment.panels for appointment in upcoming)
    munich = _appointments(session, TestLocation.name == "Vena München Marienplatz")
    assert [appointment.status for appointment in munich] == ["pending"]


def test_the_front_desk_may_record_its_first_demo_draw_as_soon_as_the_demo_starts(app, session):
    app.test_cli_runner().invoke(args=seed_demo_args(app))

    berlin = _appointments(session, TestLocation.name == "Vena Berlin Mitte")
    first = next(a for a in berlin if a.scheduled_at > NOW)
    assert appointment_draw_window(first).is_open(NOW)


def test_the_demo_patient_has_an_upcoming_and_a_past_appointment(app, session):
    app.test_cli_runner().invoke(args=seed_demo_args(app))

    anna = _appointments(session, Profile.handle == "demo-anna-schmidt")
    past, upcoming = anna
    assert (past.scheduled_at < NOW, past.status, past.barcode) == (True, "blood_drawn", "40012345")
    assert [status.status for status in past.status_history] == ["confirmed", "blood_drawn"]
    assert upcoming.scheduled_at > NOW
    assert [panel.panel.name for panel in upcoming.panels] == ["Lipid panel"]


def test_the_demo_appointments_hold_their_chairs(app, session):
    app.test_cli_runner().invoke(args=seed_demo_args(app))
    assert _appointments(session)
    assert seat_counter_problems(session) == []
