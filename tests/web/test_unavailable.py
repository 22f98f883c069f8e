"""The portal when the database fails: its own 503 page with Retry-After, rendered without the
database (the signed-in user counts as unknown), never the server's bare error text; a genuine
bug still gets the 500 page."""

from __future__ import annotations

import pytest
from flask_login import login_required
from sqlalchemy.exc import ProgrammingError

from tests.faults import Faults, closed_port, database_at
from tests.web.conftest import login, soup

DOWN = "Not available right now"


@pytest.fixture
def app_config() -> dict[str, object]:
    """Errors are answered as in production: an unhandled one gets the 500 page instead of
    being raised into the test, so a failing error page shows as the server's own answer."""
    return {"PROPAGATE_EXCEPTIONS": False}


@pytest.fixture
def faults(app) -> Faults:
    return Faults(app)


def _assert_down_page(response) -> None:
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert response.headers["Retry-After"] == "5"
    page = soup(response)
    assert page.find("h1").get_text(strip=True) == DOWN
    assert page.find("a", class_="brand") is not None  # the portal's layout, not bare text
    assert "check whether it was saved" in page.find("main").get_text(" ", strip=True)


def test_a_signed_in_page_with_the_database_down_answers_the_portals_503_page(app, client, world):
    login(client, world.coordinator)

    with database_at(app, f"postgresql+psycopg://vena@127.0.0.1:{closed_port()}/vena"):
        response = client.get("/appointments")

    _assert_down_page(response)
    page = soup(response)
    assert world.coordinator.email not in page.get_text()  # the user was never loaded
    assert client.get("/appointments").status_code == 200  # still signed in once it is back


def test_a_signed_in_patients_page_with_the_database_down_answers_the_503_page(app, client, world):
    login(client, world.patient)

    with database_at(app, f"postgresql+psycopg://vena@127.0.0.1:{closed_port()}/vena"):
        response = client.get("/profiles")

    _assert_down_page(response)


def test_a_connection_lost_mid_request_answers_the_503_page(client, faults, world):
    login(client, world.coordinator)
    faults.lose_connection_mid_request()

    response = client.get("/appointments")

    _assert_down_page(response)
    assert client.get("/appointments").status_code == 200


def test_a_genuine_database_bug_on_a_signed_in_page_still_answers_the_500_page(app, world):
    @app.route("/broken")
    @login_required
    def broken() -> str:
        raise ProgrammingError("SELECT nonsense", {}, Exception("syntax error"))

    client = app.test_client()
    login(client, world.coordinator)

    response = client.get("/broken")

    assert response.status_code == 500
    assert "Retry-After" not in response.headers
    assert soup(response).find("h1").get_text(strip=True) == "Something went wrong"
