"""An appointment's page: local time with its zone, the address with a map link, the panels
with the fasting instruction, the status history, and the actions its status allows."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import make_appointment, make_panel, random_id
from tests.web.conftest import alerts, login, soup, statuses, submit_form

FASTING = "Fasting: no food after 20:00 the evening before; water is fine."


def _page(client, appointment):
    response = client.get(f"/appointments/{appointment.id}")
    assert response.status_code == 200
    return soup(response)


def _summary(page):
    """The summary list: each term's text -> its description's text."""
    return {
        dt.get_text(strip=True): " ".join(dt.find_next("dd").get_text(" ").split())
        for dt in page.find("dl", class_="summary")("dt")
    }


def _actions(page):
    """The texts of the links in the list labelled "Actions"."""
    actions = page.find("ul", attrs={"aria-labelledby": "actions"})
    return [link.get_text(" ", strip=True) for link in actions("a")]


def test_the_page_shows_the_local_time_address_panels_and_status_history(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin, panels=[world.panel])
    login(client, world.coordinator)
    page = _page(client, appointment)
    summary = _summary(page)
    assert summary["When"] == "Mon 23 Nov 2026, 10:30 (Europe/Berlin, UTC+01:00)"
    assert summary["Test location"].startswith(
        "Vena Berlin Mitte Friedrichstraße 68 10117 Berlin Germany"
    )
    assert summary["Panels"] == "Lipid panel"
    history = page.find("section", attrs={"aria-labelledby": "history-heading"}).table
    rows = [[td.get_text(" ", strip=True) for td in tr("td")] for tr in history.tbody("tr")]
    assert rows == [["Confirmed", "Sat 21 Nov 2026, 10:00", "test", "Booked"]]


def test_the_map_link_searches_openstreetmap_for_the_address(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin)
    login(client, world.coordinator)
    link = _page(client, appointment).find("a", string="Map of Vena Berlin Mitte (OpenStreetMap)")
    url = urlsplit(link["href"])
    assert (url.scheme, url.netloc, url.path) == ("https", "www.openstreetmap.org", "/search")
    assert parse_qs(url.query) == {"query": ["Friedrichstraße 68, 10117 Berlin, Germany"]}
    assert "noopener" in link["rel"]


def test_the_map_link_is_the_locations_own_google_maps_address_when_set(client, session, world):
    world.berlin.google_maps_url = "https://www.google.com/maps/search/?api=1&query=Vena"
    session.commit()
    appointment = make_appointment(session, world.profile, world.berlin)
    login(client, world.coordinator)
    link = _page(client, appointment).find("a", string="Map of Vena Berlin Mitte (Google Maps)")
    assert link["href"] == "https://www.google.com/maps/search/?api=1&query=Vena"
    assert "noopener" in link["rel"]


def test_a_map_address_that_is_not_http_falls_back_to_openstreetmap(client, session, world):
    world.berlin.google_maps_url = "javascript:alert(1)"
    session.commit()
    appointment = make_appointment(session, world.profile, world.berlin)
    login(client, world.coordinator)
    page = _page(client, appointment)
    assert page.find("a", string="Map of Vena Berlin Mitte (OpenStreetMap)") is not None
    assert "javascript:" not in str(page.find("main"))


def test_the_fasting_instruction_appears_only_when_a_panel_requires_fasting(client, session, world):
    fasting = make_panel(session, "Fasting glucose", requires_fasting=True)
    plain = make_appointment(session, world.profile, world.berlin, panels=[world.panel])
    fasted = make_appointment(
        session,
        world.profile,
        world.berlin,
        scheduled_at=plain.scheduled_at + timedelta(days=1),  # Anna's next one, a day later
        panels=[fasting, world.panel],
    )
    login(client, world.coordinator)
    assert FASTING not in _page(client, plain).get_text()
    panels = _page(client, fasted).find("dt", string="Panels").find_next("dd")
    assert sorted(li.get_text() for li in panels("li")) == ["Fasting glucose", "Lipid panel"]
    assert panels.find(class_="notice").get_text(strip=True) == FASTING


@pytest.mark.parametrize("status", ["pending", "confirmed"])
def test_a_pending_or_confirmed_appointment_offers_every_action(client, session, world, status):
    appointment = make_appointment(session, world.profile, world.berlin, status=status)
    login(client, world.coordinator)
    page = _page(client, appointment)
    assert _actions(page) == [
        "Reschedule",
        "Cancel appointment",
        "Change panels",
        "Add to calendar",
        "Back to the appointments",
    ]
    calendar = page.find("a", string="Add to calendar")
    assert calendar["href"] == f"/appointments/{appointment.id}/calendar.ics"


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        ("cancelled", ["Calendar file showing the cancellation", "Back to the appointments"]),
        ("blood_drawn", ["Back to the appointments"]),
    ],
)
def test_a_cancelled_or_drawn_appointment_offers_no_change(client, session, world, status, actions):
    appointment = make_appointment(session, world.profile, world.berlin, status=status)
    login(client, world.coordinator)
    assert _actions(_page(client, appointment)) == actions


def test_front_desk_gets_the_desks_actions(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin)
    login(client, world.front_desk)
    assert _actions(_page(client, appointment)) == [
        "Record blood draw",
        "Cancel appointment",
        "Back to the day sheet",
    ]


def test_cancelling_asks_first_then_cancels(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin)
    login(client, world.coordinator)
    link = _page(client, appointment).find("a", string="Cancel appointment")
    assert link["href"] == f"/appointments/{appointment.id}/cancel"
    confirmation = client.get(link["href"])
    assert soup(confirmation).find("h1").get_text() == "Cancel this appointment?"

    response = submit_form(client, link["href"], {})
    assert response.status_code == 302
    page = soup(client.get(response.headers["Location"]))
    assert "The appointment is cancelled." in statuses(page)
    assert _summary(page)["Status"] == "Cancelled"
    assert "Cancel appointment" not in _actions(page)
    history = page.find("section", attrs={"aria-labelledby": "history-heading"}).table
    who = [tr("td")[2].get_text(" ", strip=True) for tr in history.tbody("tr")]
    assert who == ["test", f"{world.coordinator.email} (coordinator)"]


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
