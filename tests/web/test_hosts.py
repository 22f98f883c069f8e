"""Links the app writes with its own address (the appointment page in an `.ics` file) come from a
Host the operator trusts (TRUSTED_HOSTS) and the scheme and host that trusted proxies forward
(TRUSTED_PROXIES), never from whatever a client writes in its headers."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from app import create_app
from tests.factories import make_appointment
from tests.web.conftest import login

SITE = "vena.example.org"
FORGED = {"Host": "evil.example"}
FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": SITE, "X-Forwarded-For": "192.0.2.7"}


def _page_url(client, appointment, headers=None) -> str:
    response = client.get(f"/appointments/{appointment.id}/calendar.ics", headers=headers or {})
    assert response.status_code == 200
    [event] = Calendar.from_ical(response.get_data()).walk("VEVENT")
    return str(event["URL"])


@pytest.mark.parametrize("app_config", [{"TRUSTED_HOSTS": [SITE, "localhost"]}])
def test_a_host_outside_trusted_hosts_is_refused_before_any_page(client):
    page = client.get("/sign-in", headers=FORGED)
    assert page.status_code == 400
    assert page.content_type == "text/plain; charset=utf-8"

    api = client.get("/api/v1/panels", headers={**FORGED, "x-api-key": "whatever"})
    assert api.status_code == 400
    assert api.get_json()["code"] == "validation_error"
    assert list(api.get_json()["details"]) == ["Host"]

    assert client.get("/sign-in", headers={"Host": SITE}).status_code == 200


@pytest.mark.parametrize(
    "app_config", [{"TRUSTED_PROXIES": 1, "TRUSTED_HOSTS": [SITE, "localhost"]}]
)
def test_behind_a_trusted_proxy_the_calendar_links_to_the_scheme_and_host_the_client_used(
    client, session, world
):
    appointment = make_appointment(session, world.profile, world.berlin)
    login(client, world.coordinator)

    url = _page_url(client, appointment, FORWARDED)

    assert url == f"https://{SITE}/appointments/{appointment.id}"


@pytest.mark.parametrize(
    "app_config", [{"TRUSTED_PROXIES": 1, "TRUSTED_HOSTS": [SITE, "localhost"]}]
)
def test_a_forwarded_host_outside_trusted_hosts_is_refused_too(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin)
    login(client, world.coordinator)

    response = client.get(
        f"/appointments/{appointment.id}/calendar.ics",
        headers={**FORWARDED, "X-Forwarded-Host": "evil.example"},
    )

    assert response.status_code == 400


def test_without_trusted_proxies_forwarded_headers_are_ignored(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin)
    login(client, world.coordinator)

    url = _page_url(client, appointment, {**FORWARDED, "X-Forwarded-Host": "evil.example"})

    assert url == f"http://localhost/appointments/{appointment.id}"


def test_the_settings_read_from_the_environment_are_typed(monkeypatch, database_url):
    monkeypatch.setenv("TRUSTED_HOSTS", f"{SITE}, .vena.example.org")
    monkeypatch.setenv("MAX_CONTENT_LENGTH", "2048")
    monkeypatch.setenv("TRUSTED_PROXIES", "2")

    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "x"})

    assert app.config["TRUSTED_HOSTS"] == [SITE, ".vena.example.org"]
    assert app.config["MAX_CONTENT_LENGTH"] == 2048
    assert app.config["TRUSTED_PROXIES"] == 2
    app.extensions["vena.engine"].dispose()


def test_trusted_hosts_are_unset_by_default(app):
    assert app.config["TRUSTED_HOSTS"] is None
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
