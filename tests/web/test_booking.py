"""Coordinators and patients book a free slot, read and cancel appointments in the browser."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.accounts import user_actor
from app.domain.appointments import BookingRequest, book_appointment
from app.domain.errors import DomainError
from app.domain.models import Appointment, ClosedDate
from tests.conftest import NOW
from tests.factories import make_appointment, random_id
from tests.web.conftest import (
    alerts,
    control_by_label,
    field_errors,
    fieldset_by_legend,
    group_errors,
    login,
    radios,
    soup,
    statuses,
    submit_form,
    submit_page,
)

MONDAY = "Free times on Mon 23 Nov 2026 at Vena Berlin Mitte"
MONDAY_1030 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def _new(world, day="2026-11-23", location=None, **query):
    """The booking page for a location and date, as "Show free times" opens it."""
    location_id = (location or world.berlin).id
    params = {"location_id": str(location_id), "date": day, **query}
    return "/appointments/new?" + "&".join(f"{name}={value}" for name, value in params.items())


def _open(client, url):
    return soup(client.get(url))


def _book(client, world, label="10:30", **changes):
    """Open Monday's list at Berlin, choose Anna and the radio labelled `label`, and book."""
    page = _open(client, _new(world))
    chosen = {"profile_id": str(world.profile.id), "slot": control_by_label(page, label)["value"]}
    return submit_page(client, page, {**chosen, **changes})


def _fill_monday(session, world):
    """Take every chair of every slot on Monday at Berlin (07:30 to 17:45, one chair each)."""
    first = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)
    for step in range(42):
        at = first + timedelta(minutes=15 * step)
        make_appointment(session, world.other_profile, world.berlin, scheduled_at=at)


def _domain_refusal(session, world, at):
    """The error the booking service raises for Anna at Berlin at `at`."""
    request = BookingRequest(
        profile_id=world.profile.id, location_id=world.berlin.id, scheduled_at=at
    )
    with pytest.raises(DomainError) as refused:
        book_appointment(session, request, actor=user_actor(world.coordinator), now=NOW)
    session.rollback()
    return refused.value


def _count(session):
    session.rollback()  # end the test session's snapshot, to see the app's commits
    return session.scalar(select(func.count()).select_from(Appointment))


def _text(tag):
    """A tag's text as a person reads it: words separated by single spaces."""
    return " ".join(tag.get_text().split())


def _rows(page, table=None):
    table = table or page.find("table")
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in table.find("tbody").find_all("tr")
    ]


def test_the_booking_form_labels_every_input_and_lists_monday_in_local_time(client, world):
    login(client, world.coordinator)
    page = _open(client, f"/appointments/new?location_id={world.berlin.id}")
    day = control_by_label(page, "Date")
    assert (day["type"], day["value"]) == ("date", "2026-11-23")  # the first day with a slot
    assert (day["min"], day["max"]) == ("2026-11-21", "2027-02-19")
    locations = control_by_label(page, "Test location")
    assert "Berlin: Vena Berlin Mitte (Europe/Berlin)" in locations.get_text()
    slots = fieldset_by_legend(page, MONDAY)
    assert slots.legend.get_text(strip=True) == f"{MONDAY} (Europe/Berlin, UTC+01:00)"
    morning = radios(fieldset_by_legend(slots, "Morning"))
    afternoon = radios(fieldset_by_legend(slots, "Afternoon"))
    assert list(morning)[:2] == ["07:30", "07:45"]
    assert morning["10:30"] == "2026-11-23T09:30:00Z"
    assert (list(morning)[-1], list(afternoon)[0], list(afternoon)[-1]) == (
        "11:45",
        "12:00",
        "17:45",
    )
    assert "Panels to order" in [legend.get_text(strip=True) for legend in page("legend")]
    for control in page.select("main input:not([type=hidden]), main select"):
        assert page.find("label", attrs={"for": control["id"]}) is not None, control


def test_a_coordinator_books_the_10_30_slot_next_monday(client, session, world):
    login(client, world.coordinator)
    response = _book(client, world, panel_id=[str(world.panel.id)])
    assert response.status_code == 302
    session.rollback()  # end the test session's snapshot, to see the app's commit
    appointment = session.scalars(select(Appointment)).one()
    assert appointment.scheduled_at == MONDAY_1030
    assert [item.panel_id for item in appointment.panels] == [world.panel.id]
    assert response.headers["Location"] == f"/appointments/{appointment.id}"
    detail = soup(client.get(response.headers["Location"]))
    assert "Appointment booked for Mon 23 Nov 2026, 10:30 (Europe/Berlin, UTC+01:00)." in (
        statuses(detail)
    )

    page = soup(client.get("/appointments"))
    [row] = _rows(page)
    assert row[0] == "Mon 23 Nov 2026, 10:30 (Europe/Berlin, UTC+01:00)"
    assert row[1] == "Anna Schmidt"
    assert row[3] == "Confirmed"
    assert "10:30" not in radios(fieldset_by_legend(_open(client, _new(world)), MONDAY))


def test_show_free_times_reopens_the_page_for_the_new_choices_and_keeps_them(client, world):
    login(client, world.coordinator)
    page = _open(client, _new(world))
    changes = {
        "profile_id": str(world.profile.id),
        "location_id": str(world.new_york.id),
        "date": "2026-11-24",
        "panel_id": [str(world.panel.id)],
    }
    response = submit_page(client, page, changes, button="show")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/appointments/new?")
    page = _open(client, response.headers["Location"])
    assert control_by_label(page, "Patient profile").find(selected=True).get_text() == (
        "Anna Schmidt"
    )
    assert control_by_label(page, "Test location").find(selected=True)["value"] == str(
        world.new_york.id
    )
    assert control_by_label(page, "Date")["value"] == "2026-11-24"
    assert control_by_label(page, "Lipid panel").has_attr("checked")
    legend = "Free times on Tue 24 Nov 2026 at Vena Midtown (America/New_York, UTC-05:00)"
    assert radios(fieldset_by_legend(page, legend))["07:30"] == "2026-11-24T12:30:00Z"


def test_a_fully_booked_day_says_so_and_links_the_next_free_day(client, session, world):
    _fill_monday(session, world)
    login(client, world.coordinator)
    page = _open(client, _new(world, profile_id=world.profile.id))
    slots = fieldset_by_legend(page, MONDAY)
    assert radios(slots) == {}
    assert _text(slots.find("p")) == (
        "No free times on Mon 23 Nov 2026 at Vena Berlin Mitte. "
        "The next free day is Tue 24 Nov 2026."
    )
    link = slots.find("a", string="Tue 24 Nov 2026")
    tuesday = _open(client, link["href"])
    assert control_by_label(tuesday, "Date")["value"] == "2026-11-24"
    assert control_by_label(tuesday, "Patient profile").find(selected=True)["value"] == str(
        world.profile.id
    )
    assert "07:30" in radios(fieldset_by_legend(tuesday, "Free times on Tue 24 Nov 2026"))
    # Without a date the page opens on the first day with a free slot.
    first = _open(client, f"/appointments/new?location_id={world.berlin.id}")
    assert control_by_label(first, "Date")["value"] == "2026-11-24"


def test_a_closed_day_says_the_location_is_closed_and_why(client, session, world):
    world.berlin.closed_dates.append(ClosedDate(date=date(2026, 11, 25), reason="Staff day"))
    session.commit()
    login(client, world.coordinator)
    saturday = fieldset_by_legend(_open(client, _new(world, "2026-11-21")), "Free times on")
    assert _text(saturday.find("p")) == (
        "Vena Berlin Mitte is closed on Sat 21 Nov 2026. The next free day is Mon 23 Nov 2026."
    )
    staff_day = fieldset_by_legend(_open(client, _new(world, "2026-11-25")), "Free times on")
    assert _text(staff_day.find("p")).startswith(
        "Vena Berlin Mitte is closed on Wed 25 Nov 2026 (Staff day). The next free day is Thu 26"
    )


def test_a_slot_taken_meanwhile_shows_the_domains_message_and_the_next_free_times(
    client, session, world
):
    login(client, world.coordinator)
    page = _open(client, _new(world))
    chosen = {"profile_id": str(world.profile.id), "slot": control_by_label(page, "10:30")["value"]}
    make_appointment(session, world.other_profile, world.berlin, scheduled_at=MONDAY_1030)
    refusal = _domain_refusal(session, world, MONDAY_1030)

    response = submit_page(client, page, chosen)
    assert response.status_code == 409
    page = soup(response)
    assert group_errors(page, "Next free times") == [refusal.message]
    offered = radios(fieldset_by_legend(page, "Next free times at Vena Berlin Mitte"))
    assert list(offered) == [
        "Mon 23 Nov 2026, 10:45",
        "Mon 23 Nov 2026, 11:00",
        "Mon 23 Nov 2026, 11:15",
    ]
    assert _count(session) == 1

    response = submit_page(client, page, {"slot": offered["Mon 23 Nov 2026, 10:45"]})
    assert response.status_code == 302
    assert _count(session) == 2


def test_a_time_that_is_not_a_slot_gets_the_domains_message_beside_the_slots(
    client, session, world
):
    off_grid = datetime(2026, 11, 23, 9, 37, tzinfo=UTC)
    refusal = _domain_refusal(session, world, off_grid)
    login(client, world.coordinator)
    response = _book(client, world, slot="2026-11-23T09:37:00Z")
    assert response.status_code == 422
    assert group_errors(soup(response), MONDAY) == [refusal.message]
    assert _count(session) == 0


def test_a_slot_value_without_a_zone_gets_the_domains_parse_message(client, world):
    login(client, world.coordinator)
    response = _book(client, world, slot="2026-11-23T10:30")
    assert response.status_code == 422
    assert group_errors(soup(response), MONDAY) == [
        "scheduled_at has no time zone: add Z or an offset such as +02:00."
    ]


def test_booking_without_choosing_a_time_asks_for_one(client, world):
    login(client, world.coordinator)
    page = _open(client, _new(world))
    response = submit_page(client, page, {"profile_id": str(world.profile.id)})
    assert response.status_code == 422
    assert group_errors(soup(response), MONDAY) == ["Choose one of the free times."]


def test_a_date_changed_without_showing_its_times_books_nothing_and_lists_them(
    client, session, world
):
    login(client, world.coordinator)
    response = _book(client, world, date="2026-11-24")
    assert response.status_code == 422
    page = soup(response)
    [message] = group_errors(page, "Free times on Tue 24 Nov 2026")
    assert message.startswith("The test location or date was changed")
    assert _count(session) == 0


def test_a_date_that_cannot_be_booked_gets_a_message_beside_the_date(client, world):
    login(client, world.coordinator)
    page = _open(client, _new(world, "2026-11-20"))
    assert field_errors(page, "Date") == ["Choose a date from Sat 21 Nov 2026 to Fri 19 Feb 2027."]
    assert page.find("input", attrs={"type": "radio"}) is None


def test_the_last_free_chair_of_a_slot_is_pointed_out(client, session, world):
    world.berlin.capacity = 3
    session.commit()
    for _ in range(2):
        make_appointment(session, world.other_profile, world.berlin, scheduled_at=MONDAY_1030)
    login(client, world.coordinator)
    morning = radios(fieldset_by_legend(_open(client, _new(world)), "Morning"))
    assert "10:30 (last chair)" in morning
    assert "10:45" in morning


def test_an_unknown_location_gets_the_domain_message_beside_the_location(client, world):
    login(client, world.coordinator)
    response = _book(client, world, location_id=random_id())
    assert field_errors(soup(response), "Test location") == ["Test location not found."]
    page = _open(client, f"/appointments/new?location_id={random_id()}")
    assert field_errors(page, "Test location") == ["Test location not found."]


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
    page = _open(client, _new(world, "2026-11-24"))
    options = control_by_label(page, "Patient profile")
    assert [o.get_text() for o in options.find_all("option") if o["value"]] == ["Paula Schmidt"]
    assert options.find(selected=True).get_text() == "Paula Schmidt"  # the only one: chosen
    slot = control_by_label(page, "10:30")["value"]
    response = submit_page(client, page, {"profile_id": str(world.profile.id), "slot": slot})
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
