"""The cookies' attributes: Secure and `__Host-` named unless the app runs in debug or test mode
or SESSION_COOKIE_SECURE says otherwise; HttpOnly, SameSite=Lax, host-only, path `/`."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from app import create_app
from tests.conftest import app_settings
from tests.web.conftest import soup

HTTPS = "https://localhost"


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Build apps from the test settings with `overrides`; each is disposed of afterwards."""
    made: list[Flask] = []

    def make(**overrides: object) -> Flask:
        made.append(create_app(app_settings(database_url, **overrides)))
        return made[-1]

    yield make
    for application in made:
        application.extensions["vena.engine"].dispose()


def set_cookies(response) -> dict[str, list[str]]:
    """The response's Set-Cookie headers: cookie name -> its attributes, as sent."""
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        name_value, *attributes = [part.strip() for part in header.split(";")]
        cookies[name_value.partition("=")[0]] = attributes
    return cookies


def test_in_production_the_session_cookie_is_secure_host_only_and_named_host(make_app):
    client = make_app(TESTING=False).test_client()

    cookies = set_cookies(client.get("/sign-in", base_url=HTTPS))

    assert list(cookies) == ["__Host-session"]
    attributes = cookies["__Host-session"]
    assert {"Secure", "HttpOnly", "Path=/", "SameSite=Lax"} <= set(attributes)
    assert not [attribute for attribute in attributes if attribute.startswith("Domain")]


def test_in_production_the_language_cookie_is_secure_and_named_host(make_app):
    client = make_app(TESTING=False).test_client()
    token = soup(client.get("/sign-in", base_url=HTTPS)).find("input", attrs={"name": "csrf_token"})

    response = client.post(
        "/language",
        data={"csrf_token": token["value"], "language": "de"},
        base_url=HTTPS,
        headers={"Referer": f"{HTTPS}/sign-in"},  # Flask-WTF checks it over HTTPS
    )

    attributes = set_cookies(response)["__Host-vena_language"]
    assert {"Secure", "HttpOnly", "Path=/", "SameSite=Lax"} <= set(attributes)
    page = soup(client.get("/sign-in", base_url=HTTPS))
    assert page.find("html")["lang"] == "de"


@pytest.mark.parametrize(
    ("overrides", "environment"),
    [
        ({}, {}),  # the tests' app
        ({"TESTING": False, "DEBUG": True}, {}),
        ({"TESTING": False}, {"SESSION_COOKIE_SECURE": "false"}),
    ],
    ids=["testing", "debug", "environment"],
)
def test_in_debug_tests_or_when_set_off_the_session_cookie_is_plain(
    make_app, monkeypatch, overrides, environment
):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    client = make_app(**overrides).test_client()

    cookies = set_cookies(client.get("/sign-in"))

    assert list(cookies) == ["session"]
    assert "Secure" not in cookies["session"]
    assert "HttpOnly" in cookies["session"]


def test_the_environment_can_turn_the_secure_cookie_on_in_debug(make_app, monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    client = make_app(TESTING=False, DEBUG=True).test_client()
    assert "Secure" in set_cookies(client.get("/sign-in", base_url=HTTPS))["__Host-session"]


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("SESSION_COOKIE_SECURE", "maybe"),
        ("STAFF_IDLE_TIMEOUT_MINUTES", "0"),
        ("PATIENT_IDLE_TIMEOUT_MINUTES", "two hours"),
        ("SESSION_ABSOLUTE_TIMEOUT_HOURS", "-1"),
    ],
)
def test_a_setting_that_is_not_understood_stops_the_app_naming_it(
    make_app, monkeypatch, setting, value
):
    monkeypatch.setenv(setting, value)
    with pytest.raises(ValueError, match=setting):
        make_app()
