"""The booking journey's date and time step: a date picker and that day's free slots as radios
grouped by morning and afternoon, in the location's local time, with the panels to order."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain.accounts import user_actor
from app.domain.appointments import BookingRequest, book_appointment
from app.domain.errors import DomainError
from app.domain.models import ClosedDate
from tests.conftest import NOW
from tests.factories import make_appointment, make_panel, make_profile, random_id
from tests.web.conftest import (
    control_by_label,
    field_errors,
    fieldset_by_legend,
    group_errors,
    login,
    radios,
    soup,
    submit_page,
)
from tests.web.journey import open_page, query_of, step_heading, step_url, time_step

MONDAY = "Free times on Mon 23 Nov 2026 at Vena Berlin Mitte"
MONDAY_1030 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def _text(tag):
    """A tag's text as a person reads it: words separated by single spaces."""
    return " ".join(tag.get_text().split())


def _choose(client, world, label="10:30", **changes):
    """Open Monday's list at Berlin, choose the radio labelled `label`, and continue."""
    page = open_page(client, time_step(world))
    return submit_page(client, page, {"slot": control_by_label(page, label)["value"], **changes})


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


def test_the_time_step_labels_every_input_and_lists_monday_in_local_time(client, session, world):
    make_panel(session, "Fasting glucose", requires_fasting=True)
    login(client, world.coordinator)
    page = open_page(client, time_step(world, day=""))
    assert step_heading(page) == "Step 3 of 4: Date and time"
    day = control_by_label(page, "Date")
    assert (day["type"], day["value"]) == ("date", "2026-11-23")  # the first day with a slot
    assert (day["min"], day["max"]) == ("2026-11-21", "2027-02-19")
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
    panels = fieldset_by_legend(page, "Panels to order")
    assert [label.get_text() for label in panels("label")] == [
        "Fasting glucose (requires fasting)",
        "Lipid panel",
    ]
    for control in page.select("main input:not([type=hidden]), main select"):
        assert page.find("label", attrs={"for": control["id"]}) is not None, control


def test_continuing_with_a_slot_and_panels_opens_the_review(client, world):
    login(client, world.coordinator)
    response = _choose(client, world, panel_id=[str(world.panel.id)])
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/appointments/new/review?")
    assert query_of(response.headers["Location"]) == {
        "profile_id": [str(world.profile.id)],
        "location_id": [str(world.berlin.id)],
        "date": ["2026-11-23"],
        "slot": ["2026-11-23T09:30:00Z"],
        "panel_id": [str(world.panel.id)],
    }


def test_show_free_times_reopens_the_step_for_the_new_date_and_keeps_the_panels(client, world):
    login(client, world.coordinator)
    page = open_page(client, time_step(world, location=world.new_york))
    changes = {"date": "2026-11-24", "panel_id": [str(world.panel.id)]}
    response = submit_page(client, page, changes, button="show")
    assert response.status_code == 303
    page = open_page(client, response.headers["Location"])
    assert control_by_label(page, "Date")["value"] == "2026-11-24"
    assert control_by_label(page, "Lipid panel").has_attr("checked")
    legend = "Free times on Tue 24 Nov 2026 at Vena Midtown (America/New_York, UTC-05:00)"
    assert radios(fieldset_by_legend(page, legend))["07:30"] == "2026-11-24T12:30:00Z"


def test_a_fully_booked_day_says_so_and_links_the_next_free_day(client, session, world):
    _fill_monday(session, world)
    login(client, world.coordinator)
    slots = fieldset_by_legend(open_page(client, time_step(world)), MONDAY)
    assert radios(slots) == {}
    assert _text(slots.find("p")) == (
        "No free times on Mon 23 Nov 2026 at Vena Berlin Mitte. "
        "The next free day is Tue 24 Nov 2026."
    )
    tuesday = open_page(client, slots.find("a", string="Tue 24 Nov 2026")["href"])
    assert control_by_label(tuesday, "Date")["value"] == "2026-11-24"
    assert "07:30" in radios(fieldset_by_legend(tuesday, "Free times on Tue 24 Nov 2026"))
    # Without a date the step opens on the first day with a free slot.
    first = open_page(client, time_step(world, day=""))
    assert control_by_label(first, "Date")["value"] == "2026-11-24"


def test_a_closed_day_says_the_location_is_closed_and_why(client, session, world):
    world.berlin.closed_dates.append(ClosedDate(date=date(2026, 11, 25), reason="Staff day"))
    session.commit()
    login(client, world.coordinator)
    saturday = fieldset_by_legend(open_page(client, time_step(world, "2026-11-21")), "Free times")
    assert _text(saturday.find("p")) == (
        "Vena Berlin Mitte is closed on Sat 21 Nov 2026. The next free day is Mon 23 Nov 2026."
    )
    staff_day = fieldset_by_legend(open_page(client, time_step(world, "2026-11-25")), "Free times")
    assert _text(staff_day.find("p")).startswith(
        "Vena Berlin Mitte is closed on Wed 25 Nov 2026 (Staff day). The next free day is Thu 26"
    )


def test_a_time_that_is_not_a_slot_gets_the_domains_message_beside_the_slots(
    client, session, world
):
    refusal = _domain_refusal(session, world, datetime(2026, 11, 23, 9, 37, tzinfo=UTC))
    login(client, world.coordinator)
    response = _choose(client, world, slot="2026-11-23T09:37:00Z")
    assert response.status_code == 422
    assert group_errors(soup(response), MONDAY) == [refusal.message]


def test_a_slot_value_without_a_zone_gets_the_domains_parse_message(client, world):
    login(client, world.coordinator)
    response = _choose(client, world, slot="2026-11-23T10:30")
    assert response.status_code == 422
    assert group_errors(soup(response), MONDAY) == [
        "scheduled_at has no time zone: add Z or an offset such as +02:00."
    ]


def test_continuing_without_choosing_a_time_asks_for_one(client, world):
    login(client, world.coordinator)
    response = submit_page(client, open_page(client, time_step(world)), {})
    assert response.status_code == 422
    assert group_errors(soup(response), MONDAY) == ["Choose one of the free times."]


def test_a_date_changed_without_showing_its_times_lists_them_again(client, world):
    login(client, world.coordinator)
    response = _choose(client, world, date="2026-11-24")
    assert response.status_code == 422
    [message] = group_errors(soup(response), "Free times on Tue 24 Nov 2026")
    assert message.startswith("The test location or date was changed")


def test_a_date_that_cannot_be_booked_gets_a_message_beside_the_date(client, world):
    login(client, world.coordinator)
    page = open_page(client, time_step(world, "2026-11-20"))
    assert field_errors(page, "Date") == ["Choose a date from Sat 21 Nov 2026 to Fri 19 Feb 2027."]
    assert page.find("input", attrs={"type": "radio"}) is None


def test_the_last_free_chair_of_a_slot_is_pointed_out(client, session, world):
    world.berlin.capacity = 3
    session.commit()
    for profile in (world.other_profile, make_profile(session, world.other_org, first_name="Olga")):
        make_appointment(session, profile, world.berlin, scheduled_at=MONDAY_1030)
    login(client, world.coordinator)
    morning = radios(fieldset_by_legend(open_page(client, time_step(world)), "Morning"))
    assert "10:30 (last chair)" in morning
    assert "10:45" in morning


def test_an_unknown_location_in_the_address_gets_the_domains_not_found_page(client, world):
    login(client, world.coordinator)
    url = step_url("time", profile_id=world.profile.id, location_id=random_id())
    response = client.get(url)
    assert response.status_code == 404
    assert "Test location not found." in soup(response).find("main").get_text()
