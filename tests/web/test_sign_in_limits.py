"""Sign-in's rate limits: attempts per account e-mail and per client address, and the 429 page
that says when to try again, in English and German."""

from __future__ import annotations

import math

import pytest

from tests.factories import PASSWORD
from tests.web.conftest import alerts, control_by_label, soup, submit_form

PER_EMAIL = 10
PER_ADDRESS = 4
WRONG = "not the password at all"
GERMAN = "de"
LANGUAGE_COOKIE = "vena_language"


@pytest.fixture
def app_config() -> dict[str, object]:
    # Hour-long windows: no budget starts afresh in the middle of a test.
    return {
        "SIGN_IN_RATE_LIMIT": f"{PER_EMAIL} per hour",
        "SIGN_IN_ADDRESS_RATE_LIMIT": "100 per hour",
    }


def attempt(client, email: str, password: str = WRONG, **environ: str):
    """One POST of the sign-in form, from `REMOTE_ADDR` when given."""
    if environ:
        client.environ_base.update(environ)
    return submit_form(client, "/sign-in", {"email": email, "password": password})


def test_the_eleventh_attempt_for_one_e_mail_is_refused_even_with_the_right_password(client, world):
    for _ in range(PER_EMAIL):
        assert attempt(client, world.coordinator.email).status_code == 422
    response = attempt(client, world.coordinator.email, PASSWORD)
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= 3600
    page = soup(response)
    minutes = math.ceil(retry_after / 60)
    assert alerts(page) == [f"Too many sign-in attempts. Try again in {minutes} minutes."]
    assert control_by_label(page, "E-mail address")["value"] == world.coordinator.email
    assert client.get("/appointments").status_code == 302


def test_other_accounts_still_sign_in_while_one_is_refused(client, world):
    for _ in range(PER_EMAIL + 1):
        attempt(client, world.coordinator.email)
    response = attempt(client, world.patient.email, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/appointments"


def test_one_e_mail_has_one_budget_however_it_is_spelled(client, world):
    spellings = [world.patient.email.upper(), f"  {world.patient.email} ", world.patient.email]
    for attempt_number in range(PER_EMAIL):
        assert attempt(client, spellings[attempt_number % 3]).status_code == 422
    assert attempt(client, world.patient.email.title(), PASSWORD).status_code == 429


@pytest.mark.parametrize("app_config", [{"SIGN_IN_ADDRESS_RATE_LIMIT": f"{PER_ADDRESS} per hour"}])
def test_one_address_cannot_try_many_accounts(client, world):
    for number in range(PER_ADDRESS):
        assert attempt(client, f"guess{number}@example.org").status_code == 422
    assert attempt(client, world.coordinator.email, PASSWORD).status_code == 429
    other_address = attempt(client, world.coordinator.email, PASSWORD, REMOTE_ADDR="198.51.100.2")
    assert other_address.status_code == 302


@pytest.mark.parametrize("app_config", [{"SIGN_IN_RATE_LIMIT": "1 per minute"}])
def test_a_short_wait_is_given_in_seconds(client, world):
    attempt(client, world.patient.email)
    response = attempt(client, world.patient.email, PASSWORD)
    seconds = int(response.headers["Retry-After"])
    assert 1 <= seconds <= 60
    assert alerts(soup(response)) == [f"Too many sign-in attempts. Try again in {seconds} seconds."]


@pytest.mark.parametrize("app_config", [{"SIGN_IN_RATE_LIMIT": "1 per hour"}])
def test_the_refusal_is_in_german_for_a_german_visitor(client, world):
    client.set_cookie(LANGUAGE_COOKIE, GERMAN)
    attempt(client, world.patient.email)
    response = attempt(client, world.patient.email, PASSWORD)
    assert response.status_code == 429
    minutes = math.ceil(int(response.headers["Retry-After"]) / 60)
    expected = f"Zu viele Anmeldeversuche. Versuchen Sie es in {minutes} Minuten erneut."
    assert alerts(soup(response)) == [expected]


@pytest.mark.parametrize("app_config", [{"SIGN_IN_ADDRESS_RATE_LIMIT": "1 per hour"}])
def test_opening_the_sign_in_page_is_not_an_attempt(client, world):
    for _ in range(5):
        assert client.get("/sign-in").status_code == 200
    assert attempt(client, world.patient.email, PASSWORD).status_code == 302
