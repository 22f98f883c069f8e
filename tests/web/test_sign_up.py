"""Patients sign up at `/sign-up`: the domain's e-mail and password rules beside their fields."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.accounts import PUBLIC_ORGANISATION
from app.domain.models import Organisation, User
from tests.factories import make_user
from tests.web.conftest import (
    alerts,
    control_by_label,
    field_errors,
    login,
    soup,
    statuses,
    submit_form,
)

PASSWORD = "wombat lantern quiche"


def _sign_up(client, email="lena@example.org", password=PASSWORD, confirm=None):
    data = {"email": email, "password": password, "confirm": confirm or password}
    return submit_form(client, "/sign-up", data)


def _users(session) -> list[User]:
    session.rollback()  # see what the request committed
    return list(session.scalars(select(User)))


def test_the_landing_and_sign_in_pages_link_to_sign_up(client):
    for url in ("/", "/sign-in"):
        link = soup(client.get(url)).find("a", string="Create an account")
        assert link is not None, url
        assert link["href"] == "/sign-up"


def test_the_sign_up_form_labels_its_inputs_and_says_what_a_password_needs(client):
    page = soup(client.get("/sign-up"))

    email = control_by_label(page, "E-mail address")
    password = control_by_label(page, "Password")
    again = control_by_label(page, "Password again")
    assert email["type"] == "email"
    assert (password["type"], password["autocomplete"]) == ("password", "new-password")
    assert (again["type"], again["autocomplete"]) == ("password", "new-password")
    hint = page.find(id=password["aria-describedby"])
    assert "At least 12 characters" in hint.get_text()


def test_a_new_patient_is_signed_in_and_sent_to_add_their_profile(client, session):
    response = _sign_up(client, email="Lena@Example.org")

    assert response.status_code == 302
    assert response.headers["Location"] == "/profiles/new"
    page = soup(client.get("/profiles/new"))
    assert "Your account is ready. Now add your own profile." in statuses(page)
    assert page.find("h1").get_text() == "Add your profile"
    [user] = _users(session)
    assert (user.email, user.role) == ("lena@example.org", "patient")
    assert session.get(Organisation, user.organisation_id).slug == PUBLIC_ORGANISATION


def test_a_password_under_12_characters_is_refused_beside_the_password(client, session):
    response = _sign_up(client, password="short pass")

    assert response.status_code == 422
    page = soup(response)
    assert field_errors(page, "Password") == ["The password must have at least 12 characters."]
    assert control_by_label(page, "Password")["aria-invalid"] == "true"
    assert _users(session) == []


def test_a_common_password_is_refused_beside_the_password(client, session):
    response = _sign_up(client, password="password1234")

    assert response.status_code == 422
    [message] = field_errors(soup(response), "Password")
    assert "commonly used passwords" in message
    assert _users(session) == []


def test_a_different_second_password_is_refused_beside_it(client, session):
    response = _sign_up(client, confirm="wombat lantern quiches")

    assert response.status_code == 422
    page = soup(response)
    assert field_errors(page, "Password again") == [
        "The two passwords differ: enter the same one twice."
    ]
    assert field_errors(page, "Password") == []
    assert _users(session) == []


def test_a_malformed_e_mail_is_refused_beside_the_e_mail(client, session):
    response = _sign_up(client, email="lena@")

    assert response.status_code == 422
    [message] = field_errors(soup(response), "E-mail address")
    assert message.startswith("This e-mail address is not valid")


def test_an_e_mail_with_an_account_already_is_refused_beside_the_e_mail(client, session):
    make_user(session, "patient", email="lena@example.org")

    response = _sign_up(client, email="LENA@example.org")

    assert response.status_code == 409
    page = soup(response)
    assert field_errors(page, "E-mail address") == [
        "A user with e-mail LENA@example.org exists already."
    ]
    assert "Please correct the fields marked below." in alerts(page)
    assert len(_users(session)) == 1


def test_a_signed_in_user_is_sent_on_from_sign_up(client, session):
    login(client, make_user(session, "patient"))

    assert client.get("/sign-up").headers["Location"] == "/appointments"
