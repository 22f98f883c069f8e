"""Helpers for the booking journey's tests: its step URLs, and walking its steps as a browser
does (open a step, make a choice, follow the redirect)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient

from app.domain.models import TestLocation
from tests.web.conftest import World, control_by_label, form_data, soup, submit_page

STEP_PATHS = {
    "profile": "/appointments/new",
    "location": "/appointments/new/location",
    "time": "/appointments/new/time",
    "review": "/appointments/new/review",
}
MONDAY = "2026-11-23"


def step_url(step: str, **query: object) -> str:
    """The URL of a step with `query` (a list value repeats its name)."""
    pairs = [
        (name, str(item))
        for name, value in query.items()
        for item in (value if isinstance(value, list | tuple) else [value])
    ]
    return STEP_PATHS[step] + (f"?{urlencode(pairs)}" if pairs else "")


def query_of(url: str) -> dict[str, list[str]]:
    """The query string of `url`, parsed."""
    return parse_qs(urlsplit(url).query)


def open_page(client: FlaskClient, url: str) -> BeautifulSoup:
    """GET `url`, which must answer 200, as soup."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return soup(response)


def step_heading(page: BeautifulSoup) -> str:
    """The step's heading, such as `Step 2 of 4: Test location`."""
    return page.find("h2", id="step-heading").get_text(" ", strip=True)


def current_step(page: BeautifulSoup) -> str:
    """The text of the step indicator's entry marked aria-current="step"."""
    [current] = page.select('nav[aria-label="Booking steps"] [aria-current="step"]')
    return current.get_text(" ", strip=True)


def choose(
    client: FlaskClient, page: BeautifulSoup, changes: dict[str, str | list[str]], **kwargs: str
) -> BeautifulSoup:
    """Submit the step's form with `changes`; it must redirect (303) to the next page, which is
    opened and returned."""
    response = submit_page(client, page, changes, **kwargs)
    assert response.status_code == 303, soup(response).find("main")
    return open_page(client, response.headers["Location"])


def time_step(
    world: World, day: str = MONDAY, location: TestLocation | None = None, **query: object
) -> str:
    """The time step's URL for Anna at `location` (Berlin) on `day`."""
    location_id = (location or world.berlin).id
    return step_url("time", profile_id=world.profile.id, location_id=location_id, date=day, **query)


def walk_to_review(
    client: FlaskClient,
    world: World,
    *,
    label: str = "10:30",
    panels: tuple[str, ...] = (),
    day: str = MONDAY,
) -> BeautifulSoup:
    """From step 1 to the review, as a browser: Anna, Berlin, `day` at the radio `label`, and the
    panels labelled `panels`."""
    page = open_page(client, step_url("profile"))
    page = choose(client, page, {"profile_id": str(world.profile.id)})
    page = choose(client, page, {"location_id": control_by_label(page, world.berlin.name)["value"]})
    if control_by_label(page, "Date")["value"] != day:
        page = choose(client, page, {"date": day}, button="show")
    chosen = {
        "slot": control_by_label(page, label)["value"],
        "panel_id": [control_by_label(page, name)["value"] for name in panels],
    }
    return choose(client, page, chosen)


def search_locations(client: FlaskClient, page: BeautifulSoup, text: str) -> BeautifulSoup:
    """Type `text` into the location search and submit it (a GET form)."""
    form = page.find("form", attrs={"role": "search"})
    data = form_data(form)
    data[control_by_label(page, "Search by city or name")["name"]] = [text]
    pairs = [(name, value) for name, values in data.items() for value in values]
    return open_page(client, f"{form['action']}?{urlencode(pairs)}")


def described_text(page: BeautifulSoup, control: Tag) -> str:
    """The text of the elements `control` names in aria-describedby, as a person reads it."""
    parts = [page.find(id=ref) for ref in control.get("aria-describedby", "").split()]
    return " ".join(" ".join(part.get_text(" ").split()) for part in parts if part is not None)
