"""The portal's lists come a page at a time, with Next and Previous links that keep the
filters and search, show every row once, and cost the same few statements however long the
list is. (PORTAL_PAGE_SIZE is 2 here, so a few rows make several pages.)"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import NOW
from tests.factories import make_appointment, make_profile
from tests.statements import statements
from tests.web.conftest import control_by_label, login, soup, submit_page
from tests.web.pages import flat, pager_link, walk, walk_back

MONDAY_1030 = NOW + timedelta(days=2, minutes=30)
LIST = "/appointments"
ALL = "Appointments from two months ago to one month ahead"
CAPTION = "Appointments of patients matching"


@pytest.fixture
def app_config():
    return {"PORTAL_PAGE_SIZE": 2}


def _profiles(session, org, count, **names):
    return [make_profile(session, org, first_name=f"Patient{n}", **names) for n in range(count)]


def _appointments(session, world, count, *, status="confirmed", start=MONDAY_1030):
    """`count` appointments of new profiles of the organisation, a quarter-hour apart."""
    return [
        make_appointment(
            session,
            profile,
            world.berlin,
            scheduled_at=start + timedelta(minutes=15 * n),
            status=status,
        )
        for n, profile in enumerate(_profiles(session, world.org, count))
    ]


def _query(url):
    return parse_qs(urlsplit(url).query)


def test_the_coordinators_appointments_come_in_pages_each_row_once(client, session, world):
    made = _appointments(session, world, 5)
    login(client, world.coordinator)

    pages, urls = walk(client, LIST, ALL, "Pages of appointments")

    assert [len(rows) for rows in pages] == [2, 2, 1]
    names = flat(pages, 1)
    assert len(set(names)) == 5
    assert [name.split(" born ")[0] for name in names] == [
        a.profile.full_name for a in sorted(made, key=lambda a: a.scheduled_at)
    ]
    assert walk_back(client, urls[-1], ALL, "Pages of appointments") == pages[:-1]


def test_the_first_page_has_no_previous_link_and_the_last_no_next(client, session, world):
    _appointments(session, world, 3)
    login(client, world.coordinator)
    first = soup(client.get(LIST))
    assert pager_link(first, "Pages of appointments", "prev") is None
    last = soup(client.get(pager_link(first, "Pages of appointments", "next")["href"]))
    assert pager_link(last, "Pages of appointments", "next") is None
    assert pager_link(last, "Pages of appointments", "prev") is not None


def test_the_filters_survive_paging(client, session, world):
    _appointments(session, world, 3, status="pending")
    _appointments(session, world, 3, start=MONDAY_1030 + timedelta(days=1))
    login(client, world.coordinator)
    url = f"{LIST}?status=pending&patient=patient"

    pages, urls = walk(
        client, url, "Pending appointments of patients matching", "Pages of appointments"
    )

    assert [row[3] for rows in pages for row in rows] == ["Pending"] * 3
    assert all(_query(u).get("status") == ["pending"] for u in urls[1:])
    assert all(_query(u).get("patient") == ["patient"] for u in urls[1:])
    one_page = soup(client.get(f"{LIST}?status=pending&patient=patient0"))
    assert one_page.find("nav", attrs={"aria-label": "Pages of appointments"}) is None


def test_the_patient_filter_is_a_search_field_finding_by_name_and_reference(client, session, world):
    other = make_profile(session, world.org, first_name="Anna")
    other.handle = "A-1042"
    session.commit()
    make_appointment(session, world.profile, world.berlin)
    make_appointment(session, other, world.berlin, scheduled_at=MONDAY_1030 + timedelta(hours=1))
    make_appointment(
        session, world.patient_profile, world.berlin, scheduled_at=MONDAY_1030 + timedelta(hours=2)
    )
    login(client, world.coordinator)
    page = soup(client.get(LIST))
    assert control_by_label(page, "Patient")["type"] == "search"
    assert page.find("select", attrs={"name": "profile_id"}) is None

    by_name, _ = walk(client, f"{LIST}?patient=anna+schmidt", CAPTION, "Pages of appointments")
    by_reference, _ = walk(client, f"{LIST}?patient=a-1042", CAPTION, "Pages of appointments")

    assert flat(by_name, 1) == [
        "Anna Schmidt born 12 Apr 1985",
        "Anna Schmidt born 12 Apr 1985, reference A-1042",
    ]
    assert flat(by_reference, 1) == ["Anna Schmidt born 12 Apr 1985, reference A-1042"]


def test_a_patients_upcoming_and_past_appointments_are_paged_apart(client, session, world):
    for n in range(3):
        make_appointment(
            session,
            world.patient_profile,
            world.berlin,
            scheduled_at=MONDAY_1030 + timedelta(days=n),
        )
        make_appointment(
            session,
            world.patient_profile,
            world.berlin,
            scheduled_at=NOW - timedelta(days=n + 1),
            status="blood_drawn",
        )
    login(client, world.patient)
    first = soup(client.get(LIST))
    later = pager_link(first, "Pages of upcoming appointments", "next")["href"]
    past_later = pager_link(soup(client.get(later)), "Pages of past appointments", "next")["href"]

    upcoming, _ = walk(client, LIST, "Upcoming appointments", "Pages of upcoming appointments")
    past, _ = walk(client, LIST, "Past appointments", "Pages of past appointments")

    assert [len(rows) for rows in upcoming] == [2, 1]
    assert len(set(flat(upcoming))) == 3
    assert [len(rows) for rows in past] == [2, 1]
    assert len(set(flat(past))) == 3
    assert flat(past)[0].startswith("Fri 20 Nov 2026")  # the most recent first
    # Paging one list keeps the other one's page.
    assert "upcoming_after" in _query(past_later)


def test_the_profile_list_is_paged_and_keeps_its_search(client, session, world):
    _profiles(session, world.org, 3, last_name="Weber")
    login(client, world.coordinator)

    everyone, _ = walk(client, "/profiles", "Profiles by last name", "Pages of profiles")
    found, urls = walk(client, "/profiles?q=weber", "Profiles by last name", "Pages of profiles")

    assert len(flat(everyone)) == len(set(flat(everyone))) == 5
    assert flat(found) == ["Patient0 Weber", "Patient1 Weber", "Patient2 Weber"]
    assert _query(urls[1])["q"] == ["weber"]


def test_a_long_day_sheet_is_paged_and_keeps_its_location_and_day(client, session, world):
    _appointments(session, world, 3)
    login(client, world.front_desk)
    url = f"/desk?location={world.berlin.id}&day=2026-11-23"

    pages, urls = walk(
        client, url, "Appointments on 23 November 2026", "Pages of the day's appointments"
    )

    assert [len(rows) for rows in pages] == [2, 1]
    assert len(set(flat(pages, 1))) == 3
    assert _query(urls[1])["day"] == ["2026-11-23"]
    assert _query(urls[1])["location"] == [str(world.berlin.id)]


def test_booking_step_one_pages_and_searches_the_profiles(client, session, world):
    _profiles(session, world.org, 3, last_name="Weber")
    login(client, world.coordinator)
    page = soup(client.get("/appointments/new?q=weber"))
    first = [o.get_text() for o in control_by_label(page, "Patient profile")("option")]
    second_url = pager_link(page, "Pages of patient profiles", "next")["href"]
    second = soup(client.get(second_url))
    rest = [o.get_text() for o in control_by_label(second, "Patient profile")("option")]

    assert first[1:] == ["Patient0 Weber (born 12 Apr 1985)", "Patient1 Weber (born 12 Apr 1985)"]
    assert rest[1:] == ["Patient2 Weber (born 12 Apr 1985)"]
    assert _query(second_url)["q"] == ["weber"]
    [option] = [o for o in control_by_label(second, "Patient profile")("option") if o["value"]]
    response = submit_page(client, second, {"profile_id": option["value"]})
    assert response.status_code == 303
    assert _query(response.headers["Location"])["profile_id"] == [option["value"]]


@pytest.mark.parametrize(
    ("url", "role"),
    [
        (LIST, "coordinator"),
        ("/profiles", "coordinator"),
        ("/desk?day=2026-11-23", "front_desk"),
        ("/appointments/new", "coordinator"),
    ],
)
def test_a_page_shows_a_page_of_rows_for_as_many_statements_however_long_the_list(
    app, client, session, world, url, role
):
    login(client, getattr(world, role))
    _appointments(session, world, 3)
    with statements(app) as few:
        assert client.get(url).status_code == 200
    _appointments(session, world, 12, start=MONDAY_1030 + timedelta(hours=2))
    with statements(app) as many:
        page = soup(client.get(url))
    assert len(many) == len(few)
    rows = page.find("main").find("tbody")
    shown = rows("tr") if rows else [o for o in page("option") if o.get("value")]
    assert len(shown) == 2
