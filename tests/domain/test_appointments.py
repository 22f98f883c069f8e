"""Appointment use cases: the status machine, history, panels, and no half-written changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain.access import actor_for_scopes
from app.domain.appointments import (
    BookingRequest,
    book_appointment,
    get_appointment,
    reschedule_appointment,
)
from app.domain.draw_rules import CancelReason
from app.domain.errors import Conflict, Forbidden, NotFound, ValidationError
from app.domain.lifecycle import (
    add_panels,
    cancel_appointment,
    confirm_appointment,
    record_blood_draw,
    remove_panels,
)
from app.domain.models import Appointment, StatusChange
from tests.conftest import NOW
from tests.factories import (
    make_appointment,
    make_location,
    make_panel,
    random_id,
    seat_counter_problems,
)

NEXT_MONDAY_1030_BERLIN = NOW + timedelta(days=2, minutes=30)


def _book(session, world, **overrides):
    request = BookingRequest(
        profile_id=overrides.get("profile_id", world.profile.id),
        location_id=overrides.get("location_id", world.location.id),
        scheduled_at=overrides.get("scheduled_at", NEXT_MONDAY_1030_BERLIN),
        panel_ids=overrides.get("panel_ids", (world.panel.id,)),
    )
    return book_appointment(session, request, actor=world.coordinator, now=NOW)


def _history(session, appointment_id):
    return [
        (change.status, change.reason)
        for change in session.scalars(
            select(StatusChange)
            .where(StatusChange.appointment_id == appointment_id)
            .order_by(StatusChange.sequence)
        )
    ]


def test_a_booking_starts_in_the_locations_default_status_with_a_history_entry(session, world):
    appointment = _book(session, world)
    assert appointment.status == "confirmed"
    assert [p.panel_id for p in appointment.panels] == [world.panel.id]
    [entry] = appointment.status_history
    assert (entry.status, entry.actor, entry.reason) == (
        "confirmed",
        "coordinator:c@acme",
        "Booked",
    )


def test_a_location_that_starts_bookings_as_pending_gets_pending_ones(session, world):
    pending_place = make_location(session, name="Vena Helsinki", default_status="pending")
    assert _book(session, world, location_id=pending_place.id).status == "pending"


@pytest.mark.parametrize("offset", [timedelta(0), -timedelta(minutes=1), -timedelta(days=200)])
def test_a_booking_now_or_in_the_past_is_refused_and_nothing_is_stored(session, world, offset):
    with pytest.raises(ValidationError) as caught:
        _book(session, world, scheduled_at=NOW + offset)
    assert caught.value.field == "scheduled_at"
    assert session.scalar(select(func.count()).select_from(Appointment)) == 0


def test_booking_for_another_organisations_profile_is_forbidden(session, world):
    with pytest.raises(Forbidden):
        _book(session, world, profile_id=world.other_profile.id)


@pytest.mark.parametrize("missing", ["profile_id", "location_id", "panel_ids"])
def test_booking_with_an_unknown_profile_location_or_panel_is_not_found(session, world, missing):
    import uuid

    value = (uuid.UUID(random_id()),) if missing == "panel_ids" else uuid.UUID(random_id())
    with pytest.raises(NotFound):
        _book(session, world, **{missing: value})


def test_a_key_without_the_schedule_scope_cannot_book(session, world):
    viewer = actor_for_scopes("api_key:viewer", world.org.id, ["TEST_SESSIONS_VIEW"])
    request = BookingRequest(world.profile.id, world.location.id, NEXT_MONDAY_1030_BERLIN)
    with pytest.raises(Forbidden):
        book_appointment(session, request, actor=viewer, now=NOW)


def test_the_lifecycle_pending_confirmed_blood_drawn_is_recorded_in_order(session, world):
    appointment = make_appointment(
        session, world.profile, world.location, status="pending", panels=[world.panel]
    )
    confirm_appointment(session, appointment.id, actor=world.desk, now=NOW)
    record_blood_draw(
        session, appointment.id, "4006381333931", actor=world.desk, now=NEXT_MONDAY_1030_BERLIN
    )
    drawn = get_appointment(session, appointment.id, actor=world.coordinator)
    assert (drawn.status, drawn.barcode) == ("blood_drawn", "4006381333931")
    assert _history(session, appointment.id) == [
        ("pending", "Booked"),
        ("confirmed", "Confirmed"),
        ("blood_drawn", "Blood drawn"),
    ]


def test_only_a_pending_appointment_can_be_confirmed(session, world):
    appointment = make_appointment(session, world.profile, world.location, status="confirmed")
    with pytest.raises(Conflict, match="confirmed"):
        confirm_appointment(session, appointment.id, actor=world.desk, now=NOW)


def test_a_blood_draw_needs_a_panel(session, world):
    appointment = make_appointment(session, world.profile, world.location)
    with pytest.raises(Conflict, match="panel"):
        record_blood_draw(session, appointment.id, "123456", actor=world.desk, now=NOW)
    assert _history(session, appointment.id) == [("confirmed", "Booked")]


def test_a_used_barcode_is_a_conflict_and_leaves_the_appointment_as_it_was(session, world):
    first = make_appointment(session, world.profile, world.location, panels=[world.panel])
    an_hour_later = NEXT_MONDAY_1030_BERLIN + timedelta(hours=1)
    second = make_appointment(
        session, world.profile, world.location, scheduled_at=an_hour_later, panels=[world.panel]
    )
    record_blood_draw(session, first.id, "123456", actor=world.desk, now=NEXT_MONDAY_1030_BERLIN)
    with pytest.raises(Conflict) as caught:
        record_blood_draw(session, second.id, "123456", actor=world.desk, now=an_hour_later)
    assert caught.value.field == "barcode"
    assert get_appointment(session, second.id, actor=world.desk).status == "confirmed"
    assert _history(session, second.id) == [("confirmed", "Booked")]


@pytest.mark.parametrize("status", ["blood_drawn", "cancelled"])
def test_after_the_draw_or_a_cancellation_nothing_more_can_change(session, world, status):
    appointment = make_appointment(session, world.profile, world.location, status=status)
    with pytest.raises(Conflict):
        cancel_appointment(session, appointment.id, actor=world.coordinator, now=NOW)
    with pytest.raises(Conflict):
        reschedule_appointment(
            session,
            appointment.id,
            actor=world.coordinator,
            now=NOW,
            scheduled_at=NEXT_MONDAY_1030_BERLIN + timedelta(days=1),
        )
    with pytest.raises(Conflict):
        add_panels(session, appointment.id, [world.panel.id], actor=world.coordinator, now=NOW)
    with pytest.raises(Conflict):
        record_blood_draw(session, appointment.id, "123456", actor=world.desk, now=NOW)
    assert get_appointment(session, appointment.id, actor=world.coordinator).status == status


def test_cancelling_keeps_the_panels_and_records_who_and_why(session, world):
    appointment = _book(session, world)
    ten_minutes_late = NEXT_MONDAY_1030_BERLIN + timedelta(minutes=10)
    cancel_appointment(
        session, appointment.id, actor=world.desk, now=ten_minutes_late, reason=CancelReason.NO_SHOW
    )
    cancelled = get_appointment(session, appointment.id, actor=world.coordinator)
    assert cancelled.status == "cancelled"
    assert [p.panel_id for p in cancelled.panels] == [world.panel.id]
    last = cancelled.status_history[-1]
    assert (last.status, last.actor, last.reason) == (
        "cancelled",
        "front_desk:d@acme",
        "Patient did not attend",
    )


def test_rescheduling_moves_time_and_location_and_keeps_the_status(session, world):
    appointment = _book(session, world)
    helsinki = make_location(session, name="Vena Helsinki", timezone="Europe/Helsinki")
    later = NEXT_MONDAY_1030_BERLIN + timedelta(days=3)
    reschedule_appointment(
        session,
        appointment.id,
        actor=world.coordinator,
        now=NOW,
        scheduled_at=later,
        location_id=helsinki.id,
    )
    moved = get_appointment(session, appointment.id, actor=world.coordinator)
    assert (moved.scheduled_at, moved.location_id, moved.status) == (
        later,
        helsinki.id,
        "confirmed",
    )
    assert _history(session, appointment.id)[-1] == ("confirmed", "Rescheduled")


def test_updated_at_is_empty_until_the_first_change_after_booking(session, world):
    appointment = _book(session, world)
    assert get_appointment(session, appointment.id, actor=world.coordinator).updated_at is None
    later = NOW + timedelta(minutes=5)
    cancel_appointment(session, appointment.id, actor=world.coordinator, now=later)
    assert get_appointment(session, appointment.id, actor=world.coordinator).updated_at == later


def _last_details(session, appointment_id):
    return session.scalars(
        select(StatusChange.details)
        .where(StatusChange.appointment_id == appointment_id)
        .order_by(StatusChange.sequence.desc())
        .limit(1)
    ).one()


def test_a_reschedule_records_the_time_and_location_it_moved_from_and_to(session, world):
    appointment = _book(session, world)
    helsinki = make_location(session, name="Vena Helsinki", timezone="Europe/Helsinki")
    later = NEXT_MONDAY_1030_BERLIN + timedelta(days=3)
    reschedule_appointment(
        session,
        appointment.id,
        actor=world.coordinator,
        now=NOW,
        scheduled_at=later,
        location_id=helsinki.id,
    )
    assert _last_details(session, appointment.id) == {
        "from": {
            "scheduled_at": "2026-11-23T09:30:00Z",
            "location_id": str(world.location.id),
            "location_name": "Vena Berlin Mitte",
            "timezone": "Europe/Berlin",
        },
        "to": {
            "scheduled_at": "2026-11-26T09:30:00Z",
            "location_id": str(helsinki.id),
            "location_name": "Vena Helsinki",
            "timezone": "Europe/Helsinki",
        },
    }


def test_panel_changes_are_recorded_by_name_in_the_current_status(session, world):
    appointment = _book(session, world)
    hba1c, ferritin = make_panel(session, "HbA1c"), make_panel(session, "Ferritin")
    add_panels(
        session,
        appointment.id,
        [world.panel.id, hba1c.id, ferritin.id],
        actor=world.coordinator,
        now=NOW,
    )
    remove_panels(session, appointment.id, [world.panel.id], actor=world.coordinator, now=NOW)
    hba1c.name = "Glycated haemoglobin (HbA1c)"  # a later rename leaves the history as it was
    session.commit()
    history = session.scalars(
        select(StatusChange)
        .where(StatusChange.appointment_id == appointment.id)
        .order_by(StatusChange.sequence)
    ).all()
    assert [(h.status, h.reason, h.details) for h in history] == [
        ("confirmed", "Booked", None),
        (
            "confirmed",
            "Panels changed",
            {
                "panels_added": [
                    {"panel_id": str(hba1c.id), "name": "HbA1c"},
                    {"panel_id": str(ferritin.id), "name": "Ferritin"},
                ]
            },
        ),
        (
            "confirmed",
            "Panels changed",
            {"panels_removed": [{"panel_id": str(world.panel.id), "name": "Lipid panel"}]},
        ),
    ]


def test_rescheduling_into_the_past_is_refused(session, world):
    appointment = _book(session, world)
    with pytest.raises(ValidationError):
        reschedule_appointment(
            session, appointment.id, actor=world.coordinator, now=NOW, scheduled_at=NOW
        )


def test_adding_an_attached_panel_again_changes_nothing(session, world):
    appointment = _book(session, world)
    extra = make_panel(session, "HbA1c")
    add_panels(
        session, appointment.id, [world.panel.id, extra.id], actor=world.coordinator, now=NOW
    )
    add_panels(session, appointment.id, [extra.id], actor=world.coordinator, now=NOW)
    panels = get_appointment(session, appointment.id, actor=world.coordinator).panels
    assert sorted(p.panel.name for p in panels) == ["HbA1c", "Lipid panel"]
    assert [reason for _status, reason in _history(session, appointment.id)] == [
        "Booked",
        "Panels changed",
    ]


def test_removing_a_panel_that_is_not_attached_is_not_found(session, world):
    appointment = _book(session, world, panel_ids=())
    with pytest.raises(NotFound, match="not attached"):
        remove_panels(session, appointment.id, [world.panel.id], actor=world.coordinator, now=NOW)


def test_an_empty_panel_list_is_a_validation_error(session, world):
    appointment = _book(session, world)
    with pytest.raises(ValidationError) as caught:
        add_panels(session, appointment.id, [], actor=world.coordinator, now=NOW)
    assert caught.value.field == "panel_ids"


def test_a_person_cannot_hold_two_appointments_at_the_same_time(session, world):
    first = _book(session, world)
    elsewhere = make_location(session, name="Vena Potsdam", capacity=2)

    with pytest.raises(Conflict, match="has another appointment at this time") as caught:
        _book(session, world, location_id=elsewhere.id)

    assert caught.value.field == "scheduled_at"
    session.rollback()
    booked = session.scalars(select(Appointment).where(Appointment.profile_id == world.profile.id))
    assert [appointment.id for appointment in booked] == [first.id]
    assert seat_counter_problems(session) == []


def test_a_cancelled_appointment_leaves_its_time_free_for_the_same_person(session, world):
    first = _book(session, world)
    cancel_appointment(session, first.id, actor=world.coordinator, now=NOW)

    again = _book(session, world)

    assert again.scheduled_at == first.scheduled_at


def test_rescheduling_onto_another_appointment_of_the_same_person_is_refused(session, world):
    roomy = make_location(session, name="Vena Potsdam", capacity=2)
    _book(session, world, location_id=roomy.id)
    an_hour_later = NEXT_MONDAY_1030_BERLIN + timedelta(hours=1)
    later = _book(session, world, location_id=roomy.id, scheduled_at=an_hour_later)

    with pytest.raises(Conflict, match="has another appointment at this time"):
        reschedule_appointment(
            session,
            later.id,
            actor=world.coordinator,
            now=NOW,
            scheduled_at=NEXT_MONDAY_1030_BERLIN,
        )

    session.rollback()
    moved = get_appointment(session, later.id, actor=world.coordinator)
    assert moved.scheduled_at == an_hour_later
    assert seat_counter_problems(session) == []
