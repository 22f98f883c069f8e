"""Control characters typed or pasted into the portal's inputs get the domain's message beside
the field (never a 500: PostgreSQL refuses NUL in text), and a `next` holding one is no place
to go back to."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from app.domain.models import Panel, Profile
from tests.api.idempotency import count
from tests.factories import PASSWORD, make_user
from tests.web.conftest import (
    control_by_label,
    field_errors,
    login,
    soup,
    submit_form,
    table_by_caption,
)
from tests.web.test_i18n import choose_language

ONE_LINE = "Remove the character {code}: only one line of text without control characters fits."


def _message(code: str) -> str:
    return ONE_LINE.format(code=code)


@pytest.fixture
def admin(client, session, world):
    """The client, signed in as an admin."""
    login(client, make_user(session, "admin"))
    return client


@pytest.mark.parametrize(("char", "code"), [("\x00", "U+0000"), ("\x1b", "U+001B")])
def test_a_control_character_in_the_sign_in_e_mail_is_shown_beside_it(client, world, char, code):
    email = world.coordinator.email.replace("@", f"{char}@")

    response = submit_form(client, "/sign-in", {"email": email, "password": PASSWORD})

    assert response.status_code == 422
    assert field_errors(soup(response), "E-mail address") == [_message(code)]


@pytest.mark.parametrize(
    "target",
    ["/appointments\r\nSet-Cookie: a=b", "/\t/evil.example/", "/\n/evil.example/", "/a\x00b"],
    ids=["CRLF header", "tab before a second slash", "newline before a second slash", "NUL"],
)
def test_sign_in_goes_home_instead_of_to_a_next_with_a_control_character(client, world, target):
    response = submit_form(
        client,
        f"/sign-in?next={quote(target)}",
        {"email": world.coordinator.email, "password": PASSWORD},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/appointments"


def test_the_language_switch_goes_home_instead_of_to_a_next_with_a_line_break(client):
    response = choose_language(client, "de", next="/x\r\nLocation: //evil")

    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_a_profile_search_with_a_nul_shows_the_message_beside_the_search(client, world):
    login(client, world.coordinator)

    response = client.get("/profiles?q=Paula%00")

    assert response.status_code == 400
    page = soup(response)
    assert field_errors(page, "Search by name or reference") == [_message("U+0000")]
    assert control_by_label(page, "Search by name or reference")["value"] == ""
    assert table_by_caption(page, "Profiles")  # the unfiltered list


def test_a_location_search_with_a_line_break_shows_the_message_beside_the_search(client, world):
    login(client, world.patient)

    response = client.get(
        f"/appointments/new/location?profile_id={world.patient_profile.id}&q=Ber%0Alin"
    )

    assert response.status_code == 400
    assert field_errors(soup(response), "Search by city or name") == [_message("U+000A")]


def test_a_nul_in_a_profiles_name_is_shown_beside_it_and_nothing_is_stored(client, session, world):
    login(client, world.patient)
    before = count(session, Profile)
    data = {
        "first_name": "Le\x00na",
        "last_name": "Fischer\r\n",
        "date_of_birth": "1990-03-14",
        "sex": "2",
    }

    response = submit_form(client, "/profiles/new", data)

    assert response.status_code == 422
    page = soup(response)
    assert field_errors(page, "First name") == [_message("U+0000")]
    assert field_errors(page, "Last name") == [_message("U+000D")]
    assert count(session, Profile) == before


def test_an_admin_sees_a_control_character_in_a_location_beside_its_input(admin, world):
    response = submit_form(
        admin, f"/admin/locations/{world.berlin.id}/edit", {"name": "Vena\x00Berlin"}
    )

    assert response.status_code == 422
    assert field_errors(soup(response), "Name") == [_message("U+0000")]


def test_a_closing_reason_is_one_line(admin, world):
    response = submit_form(
        admin,
        f"/admin/locations/{world.berlin.id}/schedule",
        {"closed-date": "2026-12-25", "closed-reason": "Christmas\nDay"},
        action=f"/admin/locations/{world.berlin.id}/closed-dates",
    )

    assert response.status_code == 422
    assert field_errors(soup(response), "Reason") == [_message("U+000A")]


def test_a_panel_description_may_span_lines_but_holds_no_control_character(admin, session, world):
    page = soup(admin.get("/admin/panels/new"))
    biomarker = page.find("input", attrs={"name": "biomarker_ids"})["value"]
    data = {"name": "Cardio", "biomarker_ids": [biomarker]}

    refused = submit_form(admin, "/admin/panels/new", data | {"description": "HDL\x07 only"})
    assert refused.status_code == 422
    assert field_errors(soup(refused), "Description") == ["Remove the control character U+0007."]

    kept = submit_form(admin, "/admin/panels/new", data | {"description": "HDL\r\nLDL"})
    assert kept.status_code == 302
    session.rollback()
    assert session.query(Panel).filter_by(name="Cardio").one().description == "HDL\r\nLDL"


def test_booking_step_one_shows_a_search_with_a_nul_beside_the_search(client, world):
    login(client, world.coordinator)

    response = client.get("/appointments/new?q=Paula%00")

    assert response.status_code == 400
    assert field_errors(soup(response), "Search by name or reference") == [_message("U+0000")]


def test_the_appointment_lists_patient_search_with_a_nul_is_shown_beside_it(client, world):
    login(client, world.coordinator)

    response = client.get("/appointments?patient=Paula%00")

    assert response.status_code == 400
    assert field_errors(soup(response), "Patient") == [_message("U+0000")]
