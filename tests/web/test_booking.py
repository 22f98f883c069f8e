"""Coordinators and patients book, read and cancel appointments in the browser."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.domain.models import Appointment
from tests.factories import make_appointment, random_id
from tests.web.conftest import (
    alerts,
    control_by_label,
    field_errors,
    login,
    soup,
    statuses,
    submit_form,
)

TIME_LABEL = "Time (local time at the test location)"


def _booking(world, **changes):
    data = {
        "profile": str(world.profile.id),
        "location": str(world.berlin.id),
        "date": "2026-11-23",
        "time": "10:30",
    }
    data.update(changes)
    return data


def _rows(page, table=None):
    table = table or page.find("table")
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in table.find("tbody").find_all("tr")
    ]


def test_the_booking_form_labels_every_input_and_names_the_local_time(client, world):
    login(client, world.coordinator)
    page = soup(client.get("/appointments/new"))
    assert control_by_label(page, "Date")["type"] == "date"
    assert control_by_label(page, TIME_LABEL)["type"] == "time"
    locations = control_by_label(page, "Test location")
    assert "Berlin: Vena Berlin Mitte (Europe/Berlin)" in locations.get_text()
    legends = [legend.get_text(strip=True) for legend in page.find_all("legend")]
    assert "Panels to order" in legends
    for control in page.select("main input:not([type=hidden]), main select"):
        assert page.find("label", attrs={"for": control["id"]}) is not None, control


def test_a_coordinator_books_next_monday_at_10_30_berlin_time(client, session, world):
    login(client, world.coordinator)
    response = submit_form(
        client, "/appointments/new", _booking(world, panels=[str(world.panel.id)])
    )
    assert response.status_code == 302
    session.rollback()  # end the test session's snapshot, to see the app's commit
    appointment = session.scalars(select(Appointment)).one()
    assert appointment.scheduled_at == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    assert response.headers["Location"] == f"/appointments/{appointment.id}"
    detail = soup(client.get(response.headers["Location"]))
    assert any("Appointment booked for" in text for text in statuses(detail))

    page = soup(client.get("/appointments"))
    [row] = _rows(page)
    assert row[0] == "Mon 23 Nov 2026, 10:30 (Europe/Berlin, UTC+01:00)"
    assert row[1] == "Anna Schmidt"
    assert row[3] == "Confirmed"
    assert page.find("time")["datetime"] == "2026-11-23T10:30:00+01:00"


def test_a_time_in_the_past_gets_the_domain_message_beside_the_time(client, world):
    login(client, world.coordinator)
    response = submit_form(client, "/appointments/new", _booking(world, date="2026-11-20"))
    assert response.status_code == 422
    [message] = field_errors(soup(response), TIME_LABEL)
    assert "in the past" in message


def test_a_time_skipped_by_daylight_saving_gets_a_message_beside_the_time(client, world):
    login(client, world.coordinator)
    response = submit_form(
        client, "/appointments/new", _booking(world, date="2027-03-28", time="02:30")
    )
    [message] = field_errors(soup(response), TIME_LABEL)
    assert "does not exist on 2027-03-28 in Europe/Berlin" in message


def test_a_time_repeated_when_the_clocks_go_back_gets_a_message(client, world):
    login(client, world.coordinator)
    response = submit_form(
        client, "/appointments/new", _booking(world, date="2027-10-31", time="02:30")
    )
    [message] = field_errors(soup(response), TIME_LABEL)
    assert "happens twice" in message


def test_an_unknown_location_gets_the_domain_message_beside_the_location(client, world):
    login(client, world.coordinator)
    response = submit_form(client, "/appointments/new", _booking(world, location=random_id()))
    assert field_errors(soup(response), "Test location") == ["Test location not found."]


def test_the_detail_page_shows_the_address_panels_and_status_history(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin, panels=[world.panel])
    login(client, world.coordinator)
    page = soup(client.get(f"/appointments/{appointment.id}"))
    assert "Friedrichstraße 68" in page.find("address").get_text()
    assert "Lipid panel" in page.find("dl").get_text()
    history = page.find("table", attrs={"aria-labelledby": "history"})
    assert _rows(page, history) == [
        ["Confirmed", "Sat 21 Nov 2026, 10:00 (Europe/Berlin, UTC+01:00)", "test", "Booked"]
    ]


def test_cancelling_asks_first_then_cancels(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin)
    login(client, world.coordinator)
    detail = soup(client.get(f"/appointments/{appointment.id}"))
    link = detail.find("a", string="Cancel appointment")
    assert link["href"] == f"/appointments/{appointment.id}/cancel"
    confirmation = client.get(link["href"])
    assert confirmation.status_code == 200
    assert soup(confirmation).find("h1").get_text() == "Cancel this appointment?"

    response = submit_form(client, link["href"], {})
    assert response.status_code == 302
    page = soup(client.get(response.headers["Location"]))
    assert "The appointment is cancelled." in statuses(page)
    assert page.find("dl").find("span", class_="status").get_text() == "Cancelled"
    assert page.find("a", string="Cancel appointment") is None


def test_cancelling_a_cancelled_appointment_shows_the_conflict(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin, status="cancelled")
    login(client, world.coordinator)
    response = submit_form(client, f"/appointments/{appointment.id}/cancel", {})
    assert response.status_code == 409
    assert "Cannot cancel an appointment that is cancelled." in alerts(soup(response))


def test_a_coordinator_cannot_open_another_organisations_appointment(client, session, world):
    appointment = make_appointment(session, world.other_profile, world.berlin)
    login(client, world.coordinator)
    response = client.get(f"/appointments/{appointment.id}")
    assert response.status_code == 403
    assert soup(response).find("h1").get_text() == "Not allowed"
    assert client.get(f"/appointments/{appointment.id}/cancel").status_code == 403


def test_an_unknown_appointment_gets_the_404_page(client, world):
    login(client, world.coordinator)
    response = client.get(f"/appointments/{random_id()}")
    assert response.status_code == 404
    assert "Appointment not found." in soup(response).find("main").get_text()


def test_a_patient_sees_and_books_only_for_their_own_profiles(client, session, world):
    make_appointment(session, world.profile, world.berlin)
    make_appointment(session, world.patient_profile, world.berlin)
    login(client, world.patient)
    assert [row[1] for row in _rows(soup(client.get("/appointments")))] == ["Paula Schmidt"]
    options = control_by_label(soup(client.get("/appointments/new")), "Patient profile")
    assert [o.get_text() for o in options.find_all("option") if o["value"]] == ["Paula Schmidt"]
    response = submit_form(client, "/appointments/new", _booking(world))
    assert response.status_code == 422
    assert field_errors(soup(response), "Patient profile") == ["Not a valid choice."]


def test_front_desk_cannot_book(client, world):
    login(client, world.front_desk)
    assert client.get("/appointments/new").status_code == 403
    assert client.get("/appointments").status_code == 403


def test_an_admin_sees_every_organisations_appointments(client, session, world):
    from tests.factories import make_user

    make_appointment(session, world.profile, world.berlin)
    make_appointment(session, world.other_profile, world.new_york)
    login(client, make_user(session, "admin"))
    names = sorted(row[1] for row in _rows(soup(client.get("/appointments"))))
    assert names == ["Anna Schmidt", "Otto Schmidt"]
