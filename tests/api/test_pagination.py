"""Every list of the API comes a page at a time: `limit`, an opaque `cursor`, and the next page's
URL in a `Link: <...>; rel="next"` header (RFC 8288), the body staying a bare array."""

from __future__ import annotations

import re
from datetime import timedelta
from itertools import cycle
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import NOW
from tests.factories import make_appointment, make_location, make_panel, make_profile

NEXT = re.compile(r'<(?P<url>[^>]+)>; rel="next"')
LISTS = ("/profiles", "/locations", "/panels", "/appointments")


def next_url(response):
    """The URL of the next page from the Link header, or None on the last page."""
    link = response.headers.get("Link")
    if link is None:
        return None
    match = NEXT.fullmatch(link)
    assert match, link
    return match["url"]


def walk(api, path, **kwargs):
    """Every page of `path`, following the Link headers: a list of pages of ids."""
    pages = []
    response = api.get(path, **kwargs)
    while True:
        assert response.status_code == 200, response.get_json()
        pages.append([row["id"] for row in response.get_json()])
        url = next_url(response)
        if url is None:
            return pages
        response = follow(api, url)


def follow(api, url):
    """GET a root-relative URL taken from a Link header, with the client's key."""
    return api.client.get(url, headers={"x-api-key": api.key})


def _profiles(session, org, count):
    last_names = cycle(["Weber", None, "Becker", "Adler", "Becker"])
    first_names = cycle(["Mia", "Lea", "Ben"])
    made = [
        make_profile(session, org, first_name=next(first_names), last_name=next(last_names))
        for _ in range(count)
    ]
    return sorted(made, key=lambda p: (p.last_name or "", p.first_name, p.id))


def _locations(session, org, count):
    made = [make_location(session, name=f"Vena {(n * 7) % count:02d}") for n in range(count)]
    return sorted(made, key=lambda loc: (loc.country_code, loc.city, loc.name, loc.id))


def _panels(session, org, count):
    made = [make_panel(session, f"Panel {(n * 7) % count:02d}") for n in range(count)]
    return sorted(made, key=lambda panel: (panel.name, panel.id))


def _appointments(session, org, count):
    """`count` appointments in four slots, so that ties in `scheduled_at` leave the order to
    the id; each of another profile, since a person holds one appointment per start time."""
    location = make_location(session)
    made = [
        make_appointment(
            session,
            make_profile(session, org),
            location,
            scheduled_at=NOW + timedelta(days=2, hours=n % 4),
        )
        for n in range(count)
    ]
    return sorted(made, key=lambda a: (a.scheduled_at, a.id))


MAKERS = dict(zip(LISTS, (_profiles, _locations, _panels, _appointments), strict=True))


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(("limit", "count"), [(1, 5), (2, 5), (None, 53)])
def test_walking_every_page_returns_each_row_once_in_the_lists_order(
    api, session, org, path, limit, count
):
    expected = [str(row.id) for row in MAKERS[path](session, org, count)]
    query = {} if limit is None else {"limit": limit}

    pages = walk(api, path, query_string=query)

    size = limit or 50
    assert [row for page in pages for row in page] == expected
    assert [len(page) for page in pages] == [size] * (count // size) + [count % size] * bool(
        count % size
    )


@pytest.mark.parametrize("path", LISTS)
def test_a_list_that_fits_one_page_has_no_link(api, session, org, path):
    MAKERS[path](session, org, 2)
    response = api.get(path, query_string={"limit": 2})
    assert response.status_code == 200
    assert len(response.get_json()) == 2
    assert "Link" not in response.headers


def test_the_next_link_keeps_every_filter_and_the_limit(api, session, org):
    rows = _appointments(session, org, 3)
    query = {
        "status": "confirmed",
        "location_id": str(rows[0].location_id),
        "from": "2026-11-23T10:00:00+01:00",
        "to": "2026-11-30T00:00:00Z",
        "updated_since": "2026-11-01T00:00:00Z",
        "limit": "1",
    }
    response = api.get("/appointments", query_string=query)

    link = urlsplit(next_url(response))
    params = {name: values[0] for name, values in parse_qs(link.query).items()}
    assert link.path == "/api/v1/appointments"
    assert params.pop("cursor")
    assert params == query
    second = follow(api, next_url(response))
    assert [a["id"] for a in second.get_json()] == [str(rows[1].id)]


def test_the_link_replaces_the_cursor_it_was_reached_with(api, session, org):
    panels = _panels(session, org, 3)
    second = follow(api, next_url(api.get("/panels?limit=1")))

    params = parse_qs(urlsplit(next_url(second)).query)

    assert sorted(params) == ["cursor", "limit"]
    assert len(params["cursor"]) == 1
    third = follow(api, next_url(second))
    assert [p["id"] for p in third.get_json()] == [str(panels[2].id)]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("limit", ["0", "201", "-1", "ten", "2.5", "1e2"])
def test_a_limit_outside_1_to_200_is_refused_naming_limit(api, path, limit):
    response = api.get(path, query_string={"limit": limit})
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "validation_error"
    assert list(body["details"]) == ["limit"]


@pytest.mark.parametrize("path", LISTS)
def test_a_limit_of_200_is_taken(api, session, org, path):
    MAKERS[path](session, org, 1)
    response = api.get(path, query_string={"limit": "200"})
    assert response.status_code == 200
    assert len(response.get_json()) == 1


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("cursor", ["garbage!", "eyJ2IjoxfQ", "e30", "A" * 700])
def test_a_malformed_or_tampered_cursor_is_refused_naming_cursor(api, path, cursor):
    response = api.get(path, query_string={"cursor": cursor})
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "validation_error"
    assert list(body["details"]) == ["cursor"]


def test_a_cursor_of_one_list_is_refused_by_another(api, session, org):
    _locations(session, org, 2)
    cursor = parse_qs(urlsplit(next_url(api.get("/locations?limit=1"))).query)["cursor"][0]
    response = api.get("/panels", query_string={"cursor": cursor})
    assert response.status_code == 400
    assert list(response.get_json()["details"]) == ["cursor"]


def test_a_bad_filter_and_a_bad_limit_are_named_together(api):
    response = api.get("/appointments", query_string={"from": "2026-11-23T10:00", "limit": "0"})
    assert response.status_code == 400
    assert set(response.get_json()["details"]) == {"from", "limit"}


def test_without_a_key_a_bad_limit_is_still_403(client):
    response = client.get("/api/v1/appointments?limit=0")
    assert response.status_code == 403


def test_another_organisations_profiles_never_appear_on_any_page(api, session, org, other_org):
    ours = [str(p.id) for p in _profiles(session, org, 3)]
    _profiles(session, other_org, 3)
    assert [row for page in walk(api, "/profiles?limit=1") for row in page] == ours


def test_another_organisations_profile_cursor_is_refused(api, api_with, session, org, other_org):
    _profiles(session, other_org, 2)
    theirs = api_with("PROFILES_VIEW", organisation=other_org)
    cursor = parse_qs(urlsplit(next_url(theirs.get("/profiles?limit=1"))).query)["cursor"][0]
    response = api.get("/profiles", query_string={"cursor": cursor})
    assert response.status_code == 400
    assert list(response.get_json()["details"]) == ["cursor"]


def test_appointments_booked_between_pages_are_not_repeated_and_none_are_skipped(api, session, org):
    rows = _appointments(session, org, 4)
    first = api.get("/appointments?limit=2")
    profile, location = rows[0].profile, rows[0].location
    make_appointment(session, profile, location, scheduled_at=NOW + timedelta(days=1))
    later = make_appointment(session, profile, location, scheduled_at=NOW + timedelta(days=9))

    rest = walk(api, next_url(first).removeprefix("/api/v1"))

    assert [a["id"] for a in first.get_json()] == [str(a.id) for a in rows[:2]]
    assert [row for page in rest for row in page] == [str(a.id) for a in (*rows[2:], later)]
