"""Tabs (or servers) pressing "Book" on one review, or "Reschedule" on one picker, at the same
instant: the database decides, so the change is made once and every other press shows what was
done, never an error, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.domain.models import Appointment
from tests.factories import make_appointment, seat_counter_problems
from tests.web.conftest import control_by_label, login, soup
from tests.web.journey import walk_to_review
from tests.web.racing import press_together

TABS = 4
MONDAY_1030 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
NEXT_MONDAY_1030 = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)


def _appointments(session) -> list[Appointment]:
    session.rollback()  # end the test session's snapshot, to see the app's commits
    return list(session.scalars(select(Appointment)))


def test_simultaneous_presses_of_book_book_once_and_the_others_show_it_already_booked(
    app, client, session, world
):
    world.berlin.capacity = TABS  # chairs for every press: only the token stops a second one
    session.commit()
    login(client, world.coordinator)
    review = walk_to_review(client, world)

    answers = press_together(app, client, review, TABS)

    assert sorted(answers) == [(200, "Already booked")] * (TABS - 1) + [(302, "")]
    assert len(_appointments(session)) == 1
    assert seat_counter_problems(session) == []


def test_simultaneous_presses_of_book_in_a_slot_with_one_chair_never_say_it_is_full(
    app, client, session, world
):
    login(client, world.coordinator)
    review = walk_to_review(client, world)

    answers = press_together(app, client, review, TABS)

    assert sorted(answers) == [(200, "Already booked")] * (TABS - 1) + [(302, "")]
    assert len(_appointments(session)) == 1


def test_simultaneous_presses_of_reschedule_move_once_and_every_press_says_rescheduled(
    app, client, session, world
):
    booked = make_appointment(session, world.profile, world.berlin, scheduled_at=MONDAY_1030)
    login(client, world.coordinator)
    page = soup(client.get(f"/appointments/{booked.id}/reschedule?date=2026-11-30"))
    page.find(id=control_by_label(page, "10:30")["id"])["checked"] = ""

    answers = press_together(app, client, page, TABS)

    assert answers == [(302, "")] * TABS
    [moved] = _appointments(session)
    assert moved.scheduled_at == NEXT_MONDAY_1030
    assert seat_counter_problems(session) == []
