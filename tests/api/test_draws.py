"""`/appointments/{id}/panels` and `/confirm`: ordering panels and recording the blood draw."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.conftest import FORBIDDEN
from tests.conftest import NOW
from tests.factories import (
    APPOINTMENT_START,
    make_appointment,
    make_location,
    make_panel,
    make_profile,
    random_id,
)

SUCCESS = {"success": True}


@pytest.fixture
def appointment(session, profile, location):
    """A confirmed appointment of organisation A, without panels."""
    return make_appointment(session, profile, location)


@pytest.fixture
def on_the_day(app):
    """The app's clock at APPOINTMENT_START, when its blood draw may be recorded."""
    app.config["CLOCK"] = lambda: APPOINTMENT_START


def test_adding_panels_answers_the_appointment_with_them(api, appointment, panel):
    response = api.post(
        f"/appointments/{appointment.id}/panels", json={"panel_ids": [str(panel.id)]}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == str(appointment.id)
    assert body["panels"] == [{"panel_id": str(panel.id), "added_at": "2026-11-21T09:00:00Z"}]


def test_panel_changes_enter_the_status_history_with_the_panels(api, session, appointment, panel):
    hba1c = make_panel(session, "HbA1c")
    path = f"/appointments/{appointment.id}"
    ids = [str(panel.id), str(hba1c.id)]
    api.post(f"{path}/panels", json={"panel_ids": ids})
    api.delete(f"{path}/panels", json={"panel_ids": [str(hba1c.id)]})
    history = api.get(path).get_json()["status_history"]
    assert history[1:] == [
        {
            "status": "confirmed",
            "changed_at": "2026-11-21T09:00:00Z",
            "actor": "api_key:test key",
            "reason": "Panels changed",
            "details": {
                "panels_added": [
                    {"panel_id": str(panel.id), "name": "Lipid panel"},
                    {"panel_id": str(hba1c.id), "name": "HbA1c"},
                ]
            },
        },
        {
            "status": "confirmed",
            "changed_at": "2026-11-21T09:00:00Z",
            "actor": "api_key:test key",
            "reason": "Panels changed",
            "details": {"panels_removed": [{"panel_id": str(hba1c.id), "name": "HbA1c"}]},
        },
    ]


def test_adding_an_attached_panel_again_changes_nothing(api, appointment, panel):
    path = f"/appointments/{appointment.id}/panels"
    first = api.post(path, json={"panel_ids": [str(panel.id)]}).get_json()
    second = api.post(path, json={"panel_ids": [str(panel.id), str(panel.id)]})
    assert second.status_code == 200
    assert second.get_json()["panels"] == first["panels"]


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({"panel_ids": []}, {"panel_ids": ["panel_ids must list at least one panel."]}),
        ({"panel_ids": ["lipids"]}, {"panel_ids": ["panel_ids is not a valid UUID."]}),
        ({}, {"panel_ids": ["panel_ids is required."]}),
    ],
)
def test_adding_panels_needs_a_list_of_panel_ids(api, appointment, body, details):
    response = api.post(f"/appointments/{appointment.id}/panels", json=body)
    assert response.status_code == 400
    assert response.get_json()["details"] == details


def test_adding_an_unknown_panel_is_404_and_adds_none(api, appointment, panel):
    unknown = random_id()
    path = f"/appointments/{appointment.id}/panels"
    response = api.post(path, json={"panel_ids": [str(panel.id), unknown]})
    assert response.status_code == 404
    assert response.get_json()["error"] == f"Panel {unknown} not found."
    assert api.get(f"/appointments/{appointment.id}").get_json()["panels"] == []


@pytest.mark.parametrize("status", ["cancelled", "blood_drawn"])
def test_panels_of_a_cancelled_or_drawn_appointment_cannot_change(
    api, session, profile, location, panel, status
):
    appointment = make_appointment(session, profile, location, status=status, panels=[panel])
    other = make_panel(session)
    path = f"/appointments/{appointment.id}/panels"
    assert api.post(path, json={"panel_ids": [str(other.id)]}).status_code == 409
    assert api.delete(path, json={"panel_ids": [str(panel.id)]}).status_code == 409


def test_removing_panels_answers_success_and_detaches_them(api, session, profile, location, panel):
    appointment = make_appointment(session, profile, location, panels=[panel])
    response = api.delete(
        f"/appointments/{appointment.id}/panels", json={"panel_ids": [str(panel.id)]}
    )
    assert response.status_code == 200
    assert response.get_json() == SUCCESS
    assert api.get(f"/appointments/{appointment.id}").get_json()["panels"] == []


def test_removing_a_panel_that_is_not_attached_is_404(api, appointment, panel):
    response = api.delete(
        f"/appointments/{appointment.id}/panels", json={"panel_ids": [str(panel.id)]}
    )
    assert response.status_code == 404
    assert response.get_json()["code"] == "not_found"


def test_another_organisations_panels_and_draws_are_forbidden(
    api, session, other_org, location, panel
):
    theirs = make_appointment(session, make_profile(session, other_org), location, panels=[panel])
    path = f"/appointments/{theirs.id}"
    for response in (
        api.post(f"{path}/panels", json={"panel_ids": [str(panel.id)]}),
        api.delete(f"{path}/panels", json={"panel_ids": [str(panel.id)]}),
        api.post(f"{path}/confirm", json={"barcode": "123456"}),
    ):
        assert response.status_code == 403
        assert response.get_json() == FORBIDDEN


def test_recording_the_draw_answers_success_and_the_status_is_blood_drawn(
    api_with, session, profile, location, panel, on_the_day
):
    operator = api_with("TEST_SESSIONS_OPERATE")
    appointment = make_appointment(session, profile, location, panels=[panel])
    response = operator.post(f"/appointments/{appointment.id}/confirm", json={"barcode": "004711"})
    assert response.status_code == 200
    assert response.get_json() == SUCCESS
    body = operator.get(f"/appointments/{appointment.id}").get_json()
    assert body["status"] == "blood_drawn"
    assert body["status_history"][-1]["reason"] == "Blood drawn"


def test_a_scheduling_key_records_the_blood_draw_as_on_the_partner_platform(
    api_with, session, profile, location, panel
):
    scheduler = api_with("TEST_SESSIONS_SCHEDULE")
    # Half an hour from now, so the draw falls on the appointment's own day and time.
    soon = make_appointment(
        session, profile, location, scheduled_at=NOW + timedelta(minutes=30), panels=[panel]
    )
    response = scheduler.post(f"/appointments/{soon.id}/confirm", json={"barcode": "004712"})
    assert response.status_code == 200
    assert response.get_json() == SUCCESS
    assert scheduler.get(f"/appointments/{soon.id}").get_json()["status"] == "blood_drawn"


def test_recording_the_draw_needs_a_panel(api, appointment, on_the_day):
    response = api.post(f"/appointments/{appointment.id}/confirm", json={"barcode": "123456"})
    assert response.status_code == 409
    assert response.get_json() == {
        "error": "Attach at least one panel before recording the blood draw.",
        "code": "conflict",
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"barcode": "12-34-56"}, "barcode must be 6 to 32 digits, with nothing else."),
        ({"barcode": "123"}, "barcode must be 6 to 32 digits, with nothing else."),
        ({"barcode": ""}, "barcode is required."),
        ({}, "barcode is required."),
    ],
)
def test_the_barcode_must_be_digits(api, appointment, body, message):
    response = api.post(f"/appointments/{appointment.id}/confirm", json=body)
    assert response.status_code == 400
    assert response.get_json()["details"] == {"barcode": [message]}


def test_a_barcode_already_used_is_a_conflict(
    api, session, org, profile, location, panel, on_the_day
):
    first = make_appointment(session, profile, location, panels=[panel])
    second = make_appointment(
        session,
        make_profile(session, org, first_name="Berta"),
        location,
        scheduled_at=NOW + timedelta(days=2, minutes=45),  # the slot after `first`'s
        panels=[panel],
    )
    assert (
        api.post(f"/appointments/{first.id}/confirm", json={"barcode": "123456"}).status_code == 200
    )
    response = api.post(f"/appointments/{second.id}/confirm", json={"barcode": "123456"})
    assert response.status_code == 409
    assert list(response.get_json()["details"]) == ["barcode"]
    assert api.get(f"/appointments/{second.id}").get_json()["status"] == "confirmed"


@pytest.mark.parametrize("status", ["cancelled", "blood_drawn"])
def test_a_cancelled_or_drawn_appointment_cannot_be_drawn(
    api, session, profile, location, panel, status, on_the_day
):
    appointment = make_appointment(session, profile, location, status=status, panels=[panel])
    response = api.post(f"/appointments/{appointment.id}/confirm", json={"barcode": "123456"})
    assert response.status_code == 409


def test_a_drawn_appointment_cannot_be_cancelled_afterwards(
    api, session, profile, location, panel, on_the_day
):
    appointment = make_appointment(session, profile, location, status="pending", panels=[panel])
    path = f"/appointments/{appointment.id}"
    assert api.post(f"{path}/confirm", json={"barcode": "123456"}).status_code == 200
    response = api.delete(path)
    assert response.status_code == 409
    assert response.get_json()["error"] == "Cannot cancel an appointment that is blood drawn."


def test_the_status_history_grows_with_each_change_and_its_actor(
    app, api, profile, location, panel
):
    booked = api.post(
        "/appointments",
        json={
            "profile_id": str(profile.id),
            "location_id": str(location.id),
            "scheduled_at": "2026-11-23T09:30:00Z",
        },
    ).get_json()
    path = f"/appointments/{booked['id']}"
    api.patch(path, json={"scheduled_at": "2026-11-24T09:30:00Z"})
    api.post(f"{path}/panels", json={"panel_ids": [str(panel.id)]})
    app.config["CLOCK"] = lambda: APPOINTMENT_START + timedelta(days=1)  # the new day, on time
    api.post(f"{path}/confirm", json={"barcode": "99887766"})
    history = api.get(path).get_json()["status_history"]
    assert [(h["status"], h["reason"]) for h in history] == [
        ("confirmed", "Booked"),
        ("confirmed", "Rescheduled"),
        ("confirmed", "Panels changed"),
        ("blood_drawn", "Blood drawn"),
    ]
    assert {h["actor"] for h in history} == {"api_key:test key"}


@pytest.mark.parametrize(
    ("clock", "message"),
    [
        (
            APPOINTMENT_START - timedelta(minutes=61),
            "It is too early to record the blood draw of the appointment on Mon 23 Nov 2026 at "
            "10:30: it can be recorded from 09:30 on Mon 23 Nov 2026 (Europe/Berlin time).",
        ),
        (
            APPOINTMENT_START + timedelta(hours=13, minutes=30),
            "The day of the appointment on Mon 23 Nov 2026 at 10:30 is over (Europe/Berlin "
            "time): its blood draw can no longer be recorded. Cancel it, or book a new "
            "appointment.",
        ),
    ],
)
def test_a_draw_outside_the_appointments_day_and_early_arrival_is_409_and_records_nothing(
    app, api, session, profile, location, panel, clock, message
):
    appointment = make_appointment(session, profile, location, status="pending", panels=[panel])
    app.config["CLOCK"] = lambda: clock
    response = api.post(f"/appointments/{appointment.id}/confirm", json={"barcode": "123456"})
    assert response.status_code == 409
    assert response.get_json() == {"error": message, "code": "conflict"}
    assert api.get(f"/appointments/{appointment.id}").get_json()["status"] == "pending"


def test_a_location_shows_from_how_many_minutes_before_the_start_a_draw_is_recorded(api, session):
    location = make_location(session, name="Vena Hamburg")
    body = api.get(f"/locations/{location.id}").get_json()
    assert body["early_arrival_minutes"] == 60
