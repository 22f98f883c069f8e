"""Coordinators, patients and admins move an appointment to another free slot."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.domain.accounts import user_actor
from app.domain.appointments import reschedule_appointment
from app.domain.errors import SlotUnavailable
from app.domain.models import Appointment
from tests.conftest import NOW
from tests.factories import make_appointment
from tests.web.conftest import (
    control_by_label,
    fieldset_by_legend,
    group_errors,
    login,
    radios,
    soup,
    statuses,
    submit_page,
)
from tests.web.journey import time_step

MONDAY_1030 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
NEXT_MONDAY_1030 = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)


def _url(appointment, **query):
    params = "&".join(f"{name}={value}" for name, value in query.items())
    return f"/appointments/{appointment.id}/reschedule" + (f"?{params}" if params else "")


def _reload(session, appointment):
    session.rollback()  # end the test session's snapshot, to see the app's commits
    return session.scalars(select(Appointment).where(Appointment.id == appointment.id)).one()


@pytest.fixture
def booked(session, world):
    """Anna's confirmed appointment on Monday 23 November at 10:30 in Berlin."""
    return make_appointment(session, world.profile, world.berlin, scheduled_at=MONDAY_1030)


def test_the_detail_page_offers_rescheduling_while_pending_or_confirmed(client, session, world):
    confirmed = make_appointment(session, world.profile, world.berlin)
    cancelled = make_appointment(session, world.profile, world.berlin, status="cancelled")
    login(client, world.coordinator)
    link = soup(client.get(f"/appointments/{confirmed.id}")).find("a", string="Reschedule")
    assert link["href"] == _url(confirmed)
    assert soup(client.get(f"/appointments/{cancelled.id}")).find("a", string="Reschedule") is None


def test_the_picker_opens_on_the_appointments_location_and_day(client, world, booked):
    login(client, world.coordinator)
    page = soup(client.get(_url(booked)))
    assert "Now booked for Mon 23 Nov 2026, 10:30 (Europe/Berlin, UTC+01:00)" in (
        page.find("main").get_text(" ", strip=True)
    )
    assert control_by_label(page, "Test location").find(selected=True)["value"] == str(
        world.berlin.id
    )
    assert control_by_label(page, "Date")["value"] == "2026-11-23"
    morning = radios(fieldset_by_legend(page, "Free times on Mon 23 Nov 2026 at Vena Berlin"))
    assert "10:30" not in morning  # its own chair, the only one
    assert "10:45" in morning


def test_rescheduling_moves_the_appointment_and_frees_the_old_slot(client, session, world, booked):
    login(client, world.coordinator)
    page = soup(client.get(_url(booked, date="2026-11-30")))
    slot = control_by_label(page, "10:30")["value"]
    response = submit_page(client, page, {"slot": slot})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/appointments/{booked.id}"
    detail = soup(client.get(response.headers["Location"]))
    assert "Rescheduled to Mon 30 Nov 2026, 10:30 (Europe/Berlin, UTC+01:00)." in statuses(detail)
    assert _reload(session, booked).scheduled_at == NEXT_MONDAY_1030

    booking = soup(client.get(time_step(world)))
    assert "10:30" in radios(fieldset_by_legend(booking, "Morning"))


def test_a_patient_reschedules_to_another_location_chosen_with_show_free_times(
    client, session, world
):
    own = make_appointment(session, world.patient_profile, world.berlin, scheduled_at=MONDAY_1030)
    login(client, world.patient)
    page = soup(client.get(_url(own)))
    changes = {"location_id": str(world.new_york.id), "date": "2026-11-24"}
    shown = submit_page(client, page, changes, button="show")
    assert shown.status_code == 303
    page = soup(client.get(shown.headers["Location"]))
    legend = "Free times on Tue 24 Nov 2026 at Vena Midtown (America/New_York, UTC-05:00)"
    slot = radios(fieldset_by_legend(page, legend))["09:00"]
    response = submit_page(client, page, {"slot": slot})
    assert response.status_code == 302
    detail = soup(client.get(response.headers["Location"]))
    assert "Rescheduled to Tue 24 Nov 2026, 09:00 (America/New_York, UTC-05:00)." in (
        statuses(detail)
    )
    moved = _reload(session, own)
    assert (moved.location_id, moved.scheduled_at) == (
        world.new_york.id,
        datetime(2026, 11, 24, 14, 0, tzinfo=UTC),
    )


def test_a_slot_taken_meanwhile_shows_the_domains_message_and_the_next_free_times(
    client, session, world, booked
):
    login(client, world.coordinator)
    page = soup(client.get(_url(booked, date="2026-11-30")))
    slot = control_by_label(page, "10:30")["value"]
    make_appointment(session, world.other_profile, world.berlin, scheduled_at=NEXT_MONDAY_1030)
    with pytest.raises(SlotUnavailable) as refused:
        reschedule_appointment(
            session,
            booked.id,
            actor=user_actor(world.coordinator),
            now=NOW,
            scheduled_at=NEXT_MONDAY_1030,
        )
    session.rollback()

    response = submit_page(client, page, {"slot": slot})
    assert response.status_code == 409
    page = soup(response)
    assert group_errors(page, "Next free times") == [refused.value.message]
    assert list(radios(fieldset_by_legend(page, "Next free times"))) == [
        "Mon 30 Nov 2026, 10:45",
        "Mon 30 Nov 2026, 11:00",
        "Mon 30 Nov 2026, 11:15",
    ]
    assert _reload(session, booked).scheduled_at == MONDAY_1030


def test_a_cancelled_appointment_cannot_be_rescheduled(client, session, world):
    cancelled = make_appointment(session, world.profile, world.berlin, status="cancelled")
    login(client, world.coordinator)
    response = client.get(_url(cancelled))
    assert response.status_code == 409
    assert "Cannot reschedule an appointment that is cancelled." in (
        soup(response).find("main").get_text()
    )


def test_front_desk_and_other_organisations_cannot_reschedule(client, world, booked):
    login(client, world.front_desk)
    assert client.get(_url(booked)).status_code == 403
    login(client, world.other_coordinator)
    assert client.get(_url(booked)).status_code == 403
