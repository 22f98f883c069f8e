"""Front desk's next hour: the appointments of the coming 60 minutes at a location, soonest
first, with their actions, which return to the next hour."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.factories import make_appointment, make_location, make_user
from tests.web.conftest import login, soup, statuses, submit_form, table_by_caption
from tests.web.test_desk import parts

# NOW is Saturday 09:00 UTC, 10:00 in Berlin; a draw there takes 10 minutes.


def at(hour, minute):
    return datetime(2026, 11, 21, hour, minute, tzinfo=UTC)


def test_the_next_hour_lists_the_coming_60_minutes_soonest_first(client, session, world):
    for when, status in [
        (at(9, 45), "pending"),
        (at(8, 45), "confirmed"),  # 09:45-09:55 Berlin: over
        (at(8, 55), "confirmed"),  # 09:55-10:05: under way
        (at(9, 15), "cancelled"),
        (at(10, 0), "confirmed"),  # 11:00: past the hour
    ]:
        make_appointment(session, world.profile, world.berlin, scheduled_at=when, status=status)
    make_appointment(session, world.profile, world.new_york, scheduled_at=at(9, 15))
    login(client, world.front_desk)

    page = soup(client.get("/desk/next"))

    assert page.find("h1").get_text() == "Vena Berlin Mitte: the next hour"
    assert "Sat 21 Nov 2026, 10:00 to 11:00" in page.find("main").get_text()
    rows = table_by_caption(page, "3 appointments in the next hour")
    assert [row[:3] for row in rows] == [
        ["09:55 (UTC+01:00)", "Anna Schmidt born 12 Apr 1985", "Confirmed"],
        ["10:15 (UTC+01:00)", "Anna Schmidt born 12 Apr 1985", "Cancelled"],
        ["10:45 (UTC+01:00)", "Anna Schmidt born 12 Apr 1985", "Pending"],
    ]
    actions = [
        [a.contents[0] for a in row.select("ul.actions a")] for row in page.select("tbody tr")
    ]
    assert actions == [["Cancel"], [], ["Confirm", "Cancel"]]  # no panel: nothing to draw yet
    notes = [
        [li.get_text(strip=True) for li in row.select("ul.actions li.hint")]
        for row in page.select("tbody tr")
    ]
    assert notes == [
        ["No panel ordered: nothing to draw yet"],
        [],
        ["No panel ordered: nothing to draw yet"],
    ]


def test_the_next_hour_without_appointments_says_so(client, world):
    login(client, world.front_desk)
    page = soup(client.get("/desk/next"))
    assert "No appointments in the next hour." in page.find("main").get_text()


def test_the_next_hour_reaches_past_local_midnight(client, session, world):
    marquesas = make_location(session, name="Vena Marquesas", timezone="Pacific/Marquesas")
    for when in (at(9, 15), at(9, 45)):  # 23:45 on Friday and 00:15 on Saturday there
        make_appointment(session, world.profile, marquesas, scheduled_at=when)
    login(client, make_user(session, "front_desk", location=marquesas))

    page = soup(client.get("/desk/next"))

    rows = table_by_caption(page, "2 appointments in the next hour")
    assert [row[0] for row in rows] == ["23:45 (UTC-09:30)", "00:15 (UTC-09:30)"]


def test_an_action_from_the_next_hour_returns_to_it(client, session, world):
    appointment = make_appointment(
        session, world.profile, world.berlin, scheduled_at=at(9, 30), status="pending"
    )
    login(client, world.front_desk)
    page = soup(client.get("/desk/next"))
    link = page.select_one('a[href*="/confirm"]')["href"]
    assert parts(link) == (f"/desk/appointments/{appointment.id}/confirm", {"back": ["next"]})
    confirm_page = soup(client.get(link))
    assert confirm_page.find("a", string="Back to the next hour") is not None

    response = submit_form(client, link, {})

    next_hour = ("/desk/next", {"location": [str(world.berlin.id)]})
    assert parts(response.headers["Location"]) == next_hour
    back = soup(client.get(response.headers["Location"]))
    assert "The appointment at 10:30 is confirmed." in statuses(back)


def test_the_desk_views_link_to_each_other_at_the_same_location(client, world):
    login(client, world.front_desk)
    nav = soup(client.get("/desk/next")).find("nav", attrs={"aria-label": "Desk views"})
    links = {a.get_text(strip=True): parts(a["href"]) for a in nav.find_all("a")}
    location = {"location": [str(world.berlin.id)]}
    assert links == {"Day sheet": ("/desk", location), "Next hour": ("/desk/next", location)}
    assert nav.find("a", attrs={"aria-current": "page"}).get_text() == "Next hour"
