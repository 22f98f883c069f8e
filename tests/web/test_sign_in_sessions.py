"""A portal session ends for good: at sign-out, with a new role or password (every copy of the
cookie), after the role's idle timeout and after the absolute one; signing in starts afresh."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.accounts import user_actor
from app.domain.user_admin import update_user_role
from tests.conftest import NOW
from tests.factories import make_user
from tests.web.conftest import login, soup, statuses, submit_form

NEW_PASSWORD = "a completely different passphrase"


def copy_of_cookie(app, client):
    """A second browser holding a copy of `client`'s session cookie, as taken before a change."""
    name = app.config["SESSION_COOKIE_NAME"]
    other = app.test_client()
    other.set_cookie(name, client.get_cookie(name).value)
    return other


def signed_out(response) -> bool:
    """Whether the portal sent this request to the sign-in page."""
    return response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def clock_at(app, **elapsed: float) -> None:
    """Move the app's clock to NOW plus `elapsed` (timedelta's keywords)."""
    app.config["CLOCK"] = lambda: NOW + timedelta(**elapsed)


def test_a_cookie_copied_before_sign_out_no_longer_opens_the_appointments(app, client, world):
    login(client, world.coordinator)
    copy = copy_of_cookie(app, client)
    assert copy.get("/appointments").status_code == 200

    submit_form(client, "/sign-out", {})

    assert signed_out(copy.get("/appointments"))
    assert signed_out(client.get("/appointments"))


def test_signing_out_ends_the_users_session_in_another_browser_too(app, client, world):
    login(client, world.coordinator)
    elsewhere = app.test_client()
    login(elsewhere, world.coordinator)

    submit_form(client, "/sign-out", {})

    assert signed_out(elsewhere.get("/appointments"))
    login(elsewhere, world.coordinator)
    assert elsewhere.get("/appointments").status_code == 200


def test_a_cookie_copied_before_a_role_change_no_longer_opens_the_portal(
    app, client, session, world
):
    login(client, world.coordinator)
    copy = copy_of_cookie(app, client)
    admin = make_user(session, "admin")

    update_user_role(
        session, world.coordinator.id, "patient", actor=user_actor(admin), organisation_slug="acme"
    )

    assert signed_out(copy.get("/appointments"))
    assert signed_out(client.get("/profiles"))


def test_saving_a_role_unchanged_keeps_the_users_sessions(app, client, session, world):
    login(client, world.coordinator)
    admin = make_user(session, "admin")

    update_user_role(
        session,
        world.coordinator.id,
        "coordinator",
        actor=user_actor(admin),
        organisation_slug="acme",
    )

    assert client.get("/appointments").status_code == 200


def test_a_cookie_copied_before_a_password_change_no_longer_opens_the_portal(
    app, client, session, world
):
    login(client, world.patient)
    copy = copy_of_cookie(app, client)

    result = app.test_cli_runner().invoke(
        args=["set-password", world.patient.email.upper(), "--password", NEW_PASSWORD]
    )

    assert result.exit_code == 0, result.output
    assert f"New password set for {world.patient.email}" in result.output
    assert signed_out(copy.get("/appointments"))
    assert signed_out(client.get("/appointments"))
    assert login(client, world.patient).status_code == 422
    assert login(client, world.patient, NEW_PASSWORD).headers["Location"] == "/appointments"


@pytest.mark.parametrize(
    ("role", "idle_minutes"),
    [("coordinator", 30), ("front_desk", 30), ("admin", 30), ("patient", 120)],
)
def test_a_session_ends_after_the_roles_idle_timeout_without_a_request(
    app, client, session, world, role, idle_minutes
):
    user = {"coordinator": world.coordinator, "front_desk": world.front_desk}.get(role)
    user = user or (world.patient if role == "patient" else make_user(session, "admin"))
    home = login(client, user).headers["Location"]
    clock_at(app, minutes=idle_minutes - 1)
    assert client.get(home).status_code == 200
    clock_at(app, minutes=2 * (idle_minutes - 1))  # each request starts the idle time afresh
    assert client.get(home).status_code == 200

    clock_at(app, minutes=2 * (idle_minutes - 1) + idle_minutes)
    response = client.get(home)

    assert signed_out(response)
    expected = f"You were signed out after {idle_minutes} minutes without activity. Sign in again."
    assert expected in statuses(soup(client.get(response.headers["Location"])))
    clock_at(app, minutes=2 * (idle_minutes - 1) + idle_minutes + 1)
    assert signed_out(client.get(home))


@pytest.mark.parametrize("app_config", [{"STAFF_IDLE_TIMEOUT_MINUTES": "5"}])
def test_the_idle_timeout_is_a_setting(app, client, world):
    login(client, world.coordinator)
    clock_at(app, minutes=4)
    assert client.get("/appointments").status_code == 200
    clock_at(app, minutes=9)
    assert signed_out(client.get("/appointments"))


def test_a_session_in_use_ends_twelve_hours_after_signing_in(app, client, world):
    login(client, world.coordinator)
    for minutes in range(25, 12 * 60, 25):
        clock_at(app, minutes=minutes)
        assert client.get("/appointments").status_code == 200, minutes

    clock_at(app, hours=12)
    response = client.get("/appointments")

    assert signed_out(response)
    page = soup(client.get(response.headers["Location"]))
    assert "You were signed out 12 hours after signing in. Sign in again." in statuses(page)


def test_signing_in_starts_a_new_session_whose_csrf_token_is_new(client, world):
    before = soup(client.get("/sign-in")).find("input", attrs={"name": "csrf_token"})["value"]
    with client.session_transaction() as planted:
        planted["planted_by"] = "someone who knew this cookie"
        csrf_before = planted["csrf_token"]

    login(client, world.coordinator)

    with client.session_transaction() as renewed:
        assert "planted_by" not in renewed
        assert renewed.get("csrf_token") != csrf_before
    response = client.post("/sign-out", data={"csrf_token": before})
    assert response.status_code == 400
    assert client.get("/appointments").status_code == 200


def test_a_session_from_before_session_versions_is_signed_out(app, client, world):
    with client.session_transaction() as old:
        old["_user_id"] = str(world.coordinator.id)
        old["_fresh"] = True
    assert signed_out(client.get("/appointments"))
