"""Signing in and out, the landing page, CSRF, and the error pages."""

from __future__ import annotations

from tests.factories import PASSWORD
from tests.web.conftest import alerts, control_by_label, login, soup, statuses, submit_form


def test_the_landing_page_offers_sign_in_to_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    link = soup(response).find("a", string="Sign in")
    assert link is not None
    assert link["href"] == "/sign-in"


def test_the_sign_in_form_labels_its_inputs(client):
    page = soup(client.get("/sign-in"))
    assert control_by_label(page, "E-mail address")["type"] == "email"
    assert control_by_label(page, "Password")["type"] == "password"


def test_a_coordinator_who_signs_in_lands_on_the_appointments(client, world):
    response = login(client, world.coordinator)
    assert response.status_code == 302
    assert response.headers["Location"] == "/appointments"
    page = soup(client.get("/appointments"))
    assert "You are signed in." in statuses(page)


def test_front_desk_who_signs_in_lands_on_the_day_sheet(client, world):
    response = login(client, world.front_desk)
    assert response.headers["Location"] == "/desk"


def test_a_wrong_password_is_refused_with_a_message(client, world):
    response = login(client, world.coordinator, password="not the password at all")
    assert response.status_code == 422
    assert "The e-mail address or the password is wrong." in alerts(soup(response))
    assert client.get("/appointments").status_code == 302


def test_an_unknown_e_mail_gets_the_same_message(client, world):
    response = submit_form(
        client, "/sign-in", {"email": "nobody@example.org", "password": "whatever it is"}
    )
    assert "The e-mail address or the password is wrong." in alerts(soup(response))


def test_a_signed_in_user_at_home_goes_to_their_page(client, world):
    login(client, world.patient)
    response = client.get("/")
    assert response.headers["Location"] == "/appointments"


def test_sign_in_returns_to_the_page_asked_for(client, world):
    assert client.get("/appointments/new").headers["Location"].startswith("/sign-in?next=")
    response = submit_form(
        client,
        "/sign-in?next=/appointments/new",
        {"email": world.coordinator.email, "password": "correct horse battery staple"},
    )
    assert response.headers["Location"] == "/appointments/new"


def test_sign_in_does_not_redirect_to_another_site(client, world):
    response = submit_form(
        client,
        "/sign-in?next=//evil.example/",
        {"email": world.coordinator.email, "password": "correct horse battery staple"},
    )
    assert response.headers["Location"] == "/appointments"


def test_sign_out_ends_the_session(client, world):
    login(client, world.coordinator)
    response = submit_form(client, "/sign-out", {})
    assert response.headers["Location"] == "/"
    assert client.get("/appointments").status_code == 302


def test_a_form_posted_without_its_csrf_token_is_refused_and_shown_again(client, world):
    response = client.post(
        "/sign-in", data={"email": world.coordinator.email, "password": PASSWORD}
    )
    assert response.status_code == 422
    assert "Your session expired; check and submit again." in soup(response).find("main").get_text()
    assert client.get("/appointments").status_code == 302  # not signed in


def test_an_unknown_page_gets_the_404_page_in_the_layout(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = soup(response)
    assert page.find("h1").get_text() == "Not found"
    assert page.find("a", class_="skip-link") is not None


def test_pages_load_only_our_own_stylesheet_and_no_inline_styles(client):
    page = soup(client.get("/"))
    assert [link["href"] for link in page.find_all("link")] == ["/static/css/vena.css"]
    assert not page.find_all(style=True)
    assert not page.find_all("script")
    with client.get("/static/css/vena.css") as stylesheet:
        assert stylesheet.status_code == 200


def test_an_unexpected_error_gets_the_500_page_without_a_stack_trace(app, client):
    def boom() -> str:
        raise RuntimeError("secret detail")

    app.add_url_rule("/boom", "boom", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    assert response.status_code == 500
    text = soup(response).get_text()
    assert "Something went wrong" in text
    assert "secret detail" not in text
    assert "Traceback" not in text
