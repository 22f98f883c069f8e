"""Admins add organisations, issue API keys shown once, and revoke them; only admins may."""

from __future__ import annotations

import pytest

from tests.factories import make_user
from tests.web.conftest import (
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

NEW_ORG = "/admin/organisations/new"


@pytest.fixture
def admin(client, session, world):
    """The client, signed in as an admin."""
    login(client, make_user(session, "admin"))
    return client


def _org_url(org) -> str:
    return f"/admin/organisations/{org.id}"


def _issue(client, org, name: str = "Acme CRM", scopes=("LOCATIONS_VIEW",)):
    return submit_form(client, f"{_org_url(org)}/keys/new", {"name": name, "scopes": list(scopes)})


def _session_cookie(app, client) -> dict:
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.loads(cookie.value) if cookie else {}


def test_admins_see_the_organisations_with_their_users_and_keys(admin, world):
    page = soup(admin.get("/admin/organisations"))
    assert page.find("nav", attrs={"aria-label": "Main"}).find("a", string="Organisations")
    rows = table_by_caption(page, "Organisations, by slug")
    assert rows == [["Acme", "acme", "2", "0"], ["Globex", "globex", "1", "0"]]
    assert page.find("a", string="Acme")["href"] == _org_url(world.org)


def test_an_admin_adds_an_organisation_and_lands_on_its_page(admin):
    response = submit_form(admin, NEW_ORG, {"slug": "Initech", "name": "Initech Labs"})
    page = soup(admin.get(response.headers["Location"]))
    assert statuses(page) == ["The organisation Initech Labs is added."]
    assert page.find("h1").get_text() == "Initech Labs"
    assert "Initech Labs has no API keys." in page.find("main").get_text()


def test_a_bad_slug_and_a_taken_one_are_refused_beside_the_slug(admin, world):
    response = submit_form(admin, NEW_ORG, {"slug": "acme clinics", "name": ""})
    assert response.status_code == 422
    page = soup(response)
    assert field_errors(page, "Slug") == [
        "The slug must be 1 to 64 letters a-z, digits and hyphens, starting and ending with a "
        "letter or digit, such as acme-clinics."
    ]
    assert field_errors(page, "Name") == ["The name is required."]
    response = submit_form(admin, NEW_ORG, {"slug": "acme", "name": "Acme again"})
    assert response.status_code == 409
    assert field_errors(soup(response), "Slug") == [
        "An organisation with slug 'acme' exists already."
    ]


def test_a_new_key_is_shown_once_uncached_and_works_against_the_api(admin, app, world):
    form = soup(admin.get(f"{_org_url(world.org)}/keys/new"))
    scopes = fieldset_by_legend(form, "Scopes")
    assert len(scopes.find_all("input", attrs={"type": "checkbox"})) == 10
    assert "RESULTS_VIEW (reserved: grants nothing yet)" in scopes.get_text(" ", strip=True)
    response = _issue(admin, world.org)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = soup(response)
    assert "Copy the key now: it cannot be shown again." in page.find("main").get_text()
    secret = control_by_label(page, "API key for the x-api-key header")["value"]
    assert secret.startswith("vena_")
    assert secret not in str(_session_cookie(app, admin))
    assert statuses(page) == ["The API key Acme CRM of Acme is issued."]

    api = app.test_client()
    answer = api.get("/api/v1/locations", headers={"x-api-key": secret})
    assert answer.status_code == 200
    assert {location["name"] for location in answer.get_json()} == {
        "Vena Berlin Mitte",
        "Vena Midtown",
    }
    org_page = admin.get(_org_url(world.org))
    assert secret not in org_page.get_data(as_text=True)
    [row] = table_by_caption(soup(org_page), "API keys of Acme")
    assert (row[0], row[1], row[2], row[4]) == ("Acme CRM", secret[:11], "LOCATIONS_VIEW", "In use")


def test_a_key_without_a_name_or_scopes_is_refused_beside_them(admin, world):
    response = _issue(admin, world.org, name=" ", scopes=())
    assert response.status_code == 422
    page = soup(response)
    assert field_errors(page, "Name") == ["The key's name is required."]
    assert group_errors(page, "Scopes") == [
        "Choose one or more scopes: the key may do nothing else."
    ]


def test_a_revoked_key_is_refused_by_the_api_after_a_confirmation(admin, app, world):
    secret = control_by_label(soup(_issue(admin, world.org)), "API key for the x-api-key")["value"]
    org_page = soup(admin.get(_org_url(world.org)))
    revoke = next(a for a in org_page.select("main a") if a.get_text().startswith("Revoke"))
    assert revoke.get_text(" ", strip=True) == "Revoke Acme CRM"
    confirm = soup(admin.get(revoke["href"]))
    assert confirm.find("h1").get_text() == "Revoke the API key Acme CRM?"
    api = app.test_client()
    assert api.get("/api/v1/locations", headers={"x-api-key": secret}).status_code == 200

    response = submit_page(admin, confirm, {})
    assert response.headers["Location"] == _org_url(world.org)
    page = soup(admin.get(_org_url(world.org)))
    assert statuses(page) == [
        "The API key Acme CRM is revoked: requests with it are refused from now on."
    ]
    assert table_by_caption(page, "API keys of Acme")[0][4].startswith("Revoked 21 Nov 2026")
    # The contract answers a revoked key like a missing one: 403 with its fixed body.
    refused = api.get("/api/v1/locations", headers={"x-api-key": secret})
    assert refused.status_code == 403
    assert refused.get_json() == {"error": "Forbidden", "code": "forbidden"}
    again = soup(admin.get(revoke["href"]))
    assert again.find("h1").get_text() == "The API key Acme CRM is revoked"
    assert not again.select("main form")


def _admin_urls(world) -> list[str]:
    org, berlin, panel = _org_url(world.org), f"/admin/locations/{world.berlin.id}", world.panel
    return [
        "/admin/locations",
        "/admin/locations/new",
        f"{berlin}/edit",
        f"{berlin}/schedule",
        "/admin/panels",
        "/admin/panels/new",
        f"/admin/panels/{panel.id}/edit",
        "/admin/biomarkers/new",
        "/admin/users",
        "/admin/users/new",
        f"/admin/users/{world.patient.id}/role",
        "/admin/organisations",
        NEW_ORG,
        org,
        f"{org}/keys/new",
        f"{org}/keys/{world.org.id}/revoke",
    ]


@pytest.mark.parametrize("role", ["coordinator", "patient", "front_desk"])
def test_non_admins_get_403_on_every_admin_page(client, world, role):
    user = {"coordinator": world.coordinator, "patient": world.patient}.get(role, world.front_desk)
    login(client, user)
    assert {url: client.get(url).status_code for url in _admin_urls(world)} == dict.fromkeys(
        _admin_urls(world), 403
    )
    assert client.post(f"{_org_url(world.org)}/keys/new", data={"name": "x"}).status_code in (
        400,
        403,
    )
    page = soup(client.get("/", follow_redirects=True))
    assert not page.select('nav a[href^="/admin/"]')


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    response = client.get("/admin/organisations")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
