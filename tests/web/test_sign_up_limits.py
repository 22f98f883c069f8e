"""Sign-up's rate limit: SIGN_UP_RATE_LIMIT attempts per client address, then the sign-up page
again with 429 and `Retry-After`."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import func, select

from app.domain.models import User
from tests.web.conftest import alerts, control_by_label, soup, submit_form

PER_ADDRESS = 3
PASSWORD = "wombat lantern quiche"


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"SIGN_UP_RATE_LIMIT": f"{PER_ADDRESS} per hour"}


def sign_up(client, email: str, **environ: str):
    """One POST of the sign-up form, from `REMOTE_ADDR` when given."""
    client.environ_base.update(environ)
    data = {"email": email, "password": PASSWORD, "confirm": PASSWORD}
    return submit_form(client, "/sign-up", data)


def _users(session) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(User))


def test_sign_ups_over_the_limit_of_one_address_get_429_and_no_account(app, session):
    for number in range(PER_ADDRESS):
        assert sign_up(app.test_client(), f"new{number}@example.org").status_code == 302

    response = sign_up(app.test_client(), "one-too-many@example.org")

    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= 3600
    page = soup(response)
    minutes = math.ceil(retry_after / 60)
    assert alerts(page) == [f"Too many sign-ups from your address. Try again in {minutes} minutes."]
    assert control_by_label(page, "E-mail address")["value"] == "one-too-many@example.org"
    assert _users(session) == PER_ADDRESS


def test_a_refused_sign_up_counts_too_and_another_address_still_signs_up(app, session):
    for _ in range(PER_ADDRESS):
        assert sign_up(app.test_client(), "not an address").status_code == 422
    assert sign_up(app.test_client(), "lena@example.org").status_code == 429

    other = sign_up(app.test_client(), "lena@example.org", REMOTE_ADDR="198.51.100.7")

    assert other.status_code == 302
    assert _users(session) == 1


def test_opening_the_sign_up_page_is_not_an_attempt(client):
    for _ in range(PER_ADDRESS + 2):
        assert client.get("/sign-up").status_code == 200
    assert sign_up(client, "lena@example.org").status_code == 302
