"""Admins list portal users, add one, and change a user's role after confirming it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.models import User
from tests.factories import PASSWORD, make_user
from tests.web.conftest import (
    alerts,
    control_by_label,
    field_errors,
    fieldset_by_legend,
    group_errors,
    login,
    soup,
    statuses,
    submit_form,
    submit_page,
    table_by_caption,
)

NEW_USER = "/admin/users/new"


@pytest.fixture
def signed_in_admin(session, world):
    """The admin user, for tests that sign in themselves."""
    return make_user(session, "admin", email="admin@vena.example.com")


@pytest.fixture
def admin(client, signed_in_admin):
    """The client, signed in as an admin."""
    login(client, signed_in_admin)
    return client


def _boxes(page, legend: str) -> dict[str, str]:
    fieldset = fieldset_by_legend(page, legend)
    return {
        fieldset.find("label", attrs={"for": box["id"]}).get_text(" ", strip=True): box["value"]
        for box in fieldset.find_all("input", attrs={"type": "checkbox"})
    }


def _role_url(user) -> str:
    return f"/admin/users/{user.id}/role"


def test_admins_see_every_user_with_role_and_what_it_works_for(admin, world):
    page = soup(admin.get("/admin/users"))
    assert page.find("nav", attrs={"aria-label": "Main"}).find("a", string="Users")
    rows = {row[0]: row[1:] for row in table_by_caption(page, "Portal users, by e-mail")}
    coordinator = world.coordinator.email
    assert rows[coordinator] == ["Coordinator", "Acme", f"Change role of {coordinator}"]
    assert rows[world.front_desk.email][:2] == ["Front desk", "Vena Berlin Mitte"]
    assert rows["admin@vena.example.com"][:2] == ["Admin", "everything"]
    assert page.find("a", string="New user")["href"] == NEW_USER


def test_an_admin_adds_front_desk_for_two_locations_who_can_then_sign_in(admin, app, world):
    page = soup(admin.get(NEW_USER))
    locations = _boxes(page, "Test locations")
    assert list(locations) == ["Vena Berlin Mitte, Berlin", "Vena Midtown, Berlin"]
    data = {
        "email": "Desk@Example.org",
        "role": "front_desk",
        "organisation": "",
        "locations": list(locations.values()),
        "password": PASSWORD,
    }
    response = submit_form(admin, NEW_USER, data)
    assert response.headers["Location"] == "/admin/users"
    page = soup(admin.get("/admin/users"))
    assert statuses(page) == ["The new user can sign in now as Front desk."]
    rows = {row[0]: row[1:3] for row in table_by_caption(page, "Portal users")}
    assert rows["desk@example.org"] == ["Front desk", "Vena Berlin Mitte and Vena Midtown"]
    browser = app.test_client()
    signed_in = submit_form(
        browser, "/sign-in", {"email": "desk@example.org", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert "/sign-in" not in signed_in.headers["Location"]


def test_a_new_user_without_what_the_role_needs_or_a_strong_password_is_refused(admin, world):
    data = {"email": "carla@example.org", "role": "coordinator", "password": "short"}
    response = submit_form(admin, NEW_USER, data)
    assert response.status_code == 422
    page = soup(response)
    assert field_errors(page, "Organisation") == ["A coordinator needs an organisation."]
    response = submit_form(admin, NEW_USER, data | {"role": "front_desk"})
    assert group_errors(soup(response), "Test locations") == [
        "Front desk needs one or more test locations."
    ]
    response = submit_form(admin, NEW_USER, data | {"organisation": "acme"})
    assert field_errors(soup(response), "Initial password") == [
        "The password must have at least 12 characters."
    ]
    taken = data | {"email": world.coordinator.email, "organisation": "acme", "password": PASSWORD}
    response = submit_form(admin, NEW_USER, taken)
    assert response.status_code == 409
    assert field_errors(soup(response), "E-mail address") == [
        f"A user with e-mail {world.coordinator.email} exists already."
    ]


def test_a_role_change_is_confirmed_before_it_applies(admin, session, world):
    page = soup(admin.get(_role_url(world.coordinator)))
    assert control_by_label(page, "Role").find("option", selected=True)["value"] == "coordinator"
    assert control_by_label(page, "Organisation").find("option", selected=True)["value"] == "acme"
    locations = list(_boxes(page, "Test locations").values())
    data = {"role": "front_desk", "organisation": "acme", "locations": locations}
    confirm = submit_form(admin, _role_url(world.coordinator), data)
    assert confirm.status_code == 200
    confirm_page = soup(confirm)
    email = world.coordinator.email
    assert confirm_page.find("h1").get_text() == f"Change the role of {email}?"
    summary = [dd.get_text(" ", strip=True) for dd in confirm_page.select("dl.summary dd")]
    assert summary == ["Coordinator: Acme", "Front desk: Vena Berlin Mitte and Vena Midtown"]
    session.rollback()
    assert session.get(User, world.coordinator.id).role == "coordinator"

    response = submit_page(admin, confirm_page, {})
    assert response.headers["Location"] == "/admin/users"
    page = soup(admin.get("/admin/users"))
    assert statuses(page) == ["The user is now Front desk (Vena Berlin Mitte and Vena Midtown)."]
    session.rollback()  # end the snapshot read before the change, to see it
    user = session.scalars(select(User).where(User.email == email)).one()
    assert (user.role, user.organisation_id) == ("front_desk", None)
    assert len(user.locations) == 2


def test_the_only_admin_cannot_give_up_the_role(admin, signed_in_admin):
    url = _role_url(signed_in_admin)
    confirm = soup(submit_form(admin, url, {"role": "coordinator", "organisation": "acme"}))
    response = submit_page(admin, confirm, {})
    assert response.status_code == 409
    page = soup(response)
    assert field_errors(page, "Role") == [
        "admin@vena.example.com is the only admin: make another user an admin first."
    ]
    assert alerts(page) == ["Please correct the fields marked below."]


@pytest.mark.parametrize("role", ["coordinator", "patient", "front_desk"])
def test_other_roles_may_not_open_the_user_pages(client, world, role):
    user = {"coordinator": world.coordinator, "patient": world.patient}.get(role, world.front_desk)
    login(client, user)
    for url in ("/admin/users", NEW_USER, _role_url(world.patient)):
        assert client.get(url).status_code == 403
    page = soup(client.get("/", follow_redirects=True))
    assert page.find("a", href="/admin/users") is None
