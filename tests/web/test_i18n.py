"""The portal in English and German: which language a request gets, the footer's language
switcher, German pages, flash messages and dates, and a complete, current German catalogue."""

from __future__ import annotations

import shlex
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.models import Profile, StatusChange
from app.web.booking_display import fasting_note
from tests.conftest import NOW
from tests.factories import APPOINTMENT_START, make_appointment, make_profile, make_user
from tests.web.conftest import (
    alerts,
    control_by_label,
    field_errors,
    fieldset_by_legend,
    form_data,
    login,
    soup,
    statuses,
    submit_form,
    submit_page,
)
from tests.web.journey import choose, open_page, step_heading, step_url

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
GERMAN = TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.po"
TEMPLATE = TRANSLATIONS / "messages.pot"
COOKIE = "vena_language"
GERMAN_BROWSER = "de-DE,de;q=0.9,en;q=0.5"


@pytest.fixture(autouse=True)
def _compiled_catalogue() -> None:
    """German pages need the compiled catalogue, which `make test` builds from the .po."""
    compiled = GERMAN.with_suffix(".mo")
    if not compiled.exists() or compiled.stat().st_mtime < GERMAN.stat().st_mtime:
        pytest.fail(f"{compiled} is missing or older than its .po: run `make translations`")


def speaks(session: Session, profile: Profile, language: str) -> None:
    """Set the profile's language, as its owner would on the profile page."""
    profile.language = language
    session.commit()


def language(page: BeautifulSoup) -> str:
    """The page's `<html lang>`."""
    return page.html["lang"]


def heading(page: BeautifulSoup) -> str:
    return page.find("h1").get_text(" ", strip=True)


def main_menu(page: BeautifulSoup, label: str) -> list[str]:
    """The link texts of the main navigation, found by its (translated) label."""
    nav = page.find("nav", attrs={"aria-label": label})
    assert nav is not None, label
    return [link.get_text(" ", strip=True) for link in nav.find_all("a")]


def switcher(page: BeautifulSoup) -> Tag | None:
    """The footer's language switcher."""
    return page.find("footer").find("form", attrs={"action": "/language"})


def choose_language(client: FlaskClient, choice: str, *, on: str = "/sign-in", **changes: str):
    """Press `choice` in the switcher of the page `on`, with the form's hidden inputs changed."""
    form = switcher(soup(client.get(on)))
    assert form is not None
    data = {name: values[0] for name, values in form_data(form).items()}
    return client.post(form["action"], data={**data, "language": choice, **changes})


def signed_in_page(client: FlaskClient, user) -> BeautifulSoup:
    """Sign in and open the page the sign-in redirects to."""
    response = login(client, user)
    assert response.status_code == 302
    return soup(client.get(response.headers["Location"]))


# Which language a request gets


def test_a_german_patient_sees_the_navigation_and_the_sign_in_message_in_german(
    client, world, session
):
    speaks(session, world.patient_profile, "de")

    page = signed_in_page(client, world.patient)

    assert language(page) == "de"
    assert main_menu(page, "Hauptnavigation") == ["Termine", "Termin buchen", "Profile"]
    assert "Sie sind angemeldet." in statuses(page)
    assert heading(page) == "Termine"
    assert page.find("title").get_text() == "Termine · Vena Blutentnahmen"


def test_a_german_patient_books_in_german_with_german_dates(client, world, session):
    speaks(session, world.patient_profile, "de")
    login(client, world.patient)

    page = open_page(client, step_url("profile"))
    assert heading(page) == "Termin buchen"
    assert step_heading(page) == "Schritt 1 von 4: Patientenprofil"
    steps = [item.get_text(" ", strip=True) for item in page.select("nav.steps li")]
    assert steps == ["Patientenprofil", "Standort", "Datum und Uhrzeit", "Prüfen und buchen"]

    refused = submit_page(client, page, {"profile_id": ""})
    assert field_errors(soup(refused), "Patientenprofil") == ["Wählen Sie ein Patientenprofil."]

    page = choose(client, page, {"profile_id": str(world.patient_profile.id)})
    assert step_heading(page) == "Schritt 2 von 4: Standort"
    page = choose(client, page, {"location_id": str(world.berlin.id)})
    assert step_heading(page) == "Schritt 3 von 4: Datum und Uhrzeit"
    legend = "Freie Zeiten am Mo., 23. Nov. 2026 in Vena Berlin Mitte (Europe/Berlin, UTC+01:00)"
    assert fieldset_by_legend(page, legend) is not None
    assert fieldset_by_legend(page, "Vormittag") is not None
    page = choose(client, page, {"slot": control_by_label(page, "10:30")["value"]})
    assert step_heading(page) == "Schritt 4 von 4: Prüfen und buchen"

    booked = submit_page(client, page, {})
    assert booked.status_code == 302
    detail = soup(client.get(booked.headers["Location"]))
    message = "Termin gebucht für Mo., 23. Nov. 2026, 10:30 (Europe/Berlin, UTC+01:00)."
    assert message in statuses(detail)
    assert heading(detail) == "Termin von Paula Schmidt"


def test_an_english_patient_sees_the_portal_in_english(client, world):
    page = signed_in_page(client, world.patient)

    assert language(page) == "en"
    assert main_menu(page, "Main") == ["Appointments", "Book an appointment", "Profiles"]
    assert "You are signed in." in statuses(page)
    page = open_page(client, step_url("profile"))
    assert step_heading(page) == "Step 1 of 4: Patient profile"


def test_a_patients_profile_language_wins_over_the_cookie_and_the_browser(client, world):
    client.set_cookie(COOKIE, "de")
    login(client, world.patient)  # Paula's profile says English

    page = soup(client.get("/appointments", headers={"Accept-Language": GERMAN_BROWSER}))

    assert language(page) == "en"
    assert heading(page) == "Appointments"


def test_finnish_has_no_catalogue_so_a_finnish_patient_gets_english(client, world, session):
    speaks(session, world.patient_profile, "fi")
    client.set_cookie(COOKIE, "de")
    login(client, world.patient)

    assert language(soup(client.get("/appointments"))) == "en"


def test_the_first_profile_a_patient_created_is_their_own_and_sets_the_language(
    client, world, session
):
    speaks(session, world.patient_profile, "de")
    child = make_profile(session, world.org, owner=world.patient, first_name="Anton")
    child.created_at = NOW + timedelta(minutes=5)
    speaks(session, child, "en")  # a family member's language is for their messages only

    assert language(signed_in_page(client, world.patient)) == "de"


def test_a_patient_without_a_profile_yet_gets_the_language_they_chose(client, world, session):
    newcomer = make_user(session, "patient", org=world.org)
    client.set_cookie(COOKIE, "de")

    page = signed_in_page(client, newcomer)

    assert language(page) == "de"
    assert "Sie sind angemeldet." in statuses(page)


def test_other_roles_get_the_language_they_chose(client, world):
    client.set_cookie(COOKIE, "de")

    page = signed_in_page(client, world.coordinator)

    assert language(page) == "de"
    assert "Sie sind angemeldet." in statuses(page)


def test_a_browser_that_asks_for_german_gets_the_sign_in_page_in_german(client):
    page = soup(client.get("/sign-in", headers={"Accept-Language": GERMAN_BROWSER}))

    assert language(page) == "de"
    assert heading(page) == "Anmelden"
    assert control_by_label(page, "E-Mail-Adresse")["type"] == "email"
    assert control_by_label(page, "Passwort")["type"] == "password"
    assert main_menu(page, "Hauptnavigation") == ["Anmelden"]


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        (None, "en"),
        ("fr-FR,fr;q=0.9", "en"),
        ("en-GB,en;q=0.9,de;q=0.8", "en"),
        ("fr-FR,de;q=0.8,en;q=0.5", "de"),
    ],
)
def test_the_browsers_best_match_decides_for_visitors_and_english_is_the_default(
    client, accept_language, expected
):
    headers = {"Accept-Language": accept_language} if accept_language else {}

    assert language(soup(client.get("/sign-in", headers=headers))) == expected


# The language switcher


def test_the_switcher_offers_each_language_in_its_own_name(client):
    form = switcher(soup(client.get("/sign-in")))

    assert form is not None
    assert form["method"] == "post"
    buttons = {button["value"]: button for button in form.find_all("button")}
    assert {value: button.get_text() for value, button in buttons.items()} == {
        "en": "English",
        "de": "Deutsch",
    }
    assert buttons["de"]["lang"] == "de"
    assert buttons["en"]["aria-pressed"] == "true"


def test_the_switcher_keeps_the_choice_in_a_cookie_and_returns_to_the_page(client):
    response = choose_language(client, "de", on="/sign-up")

    assert response.status_code == 303
    assert response.headers["Location"] == "/sign-up"
    [cookie] = [v for v in response.headers.getlist("Set-Cookie") if v.startswith(f"{COOKIE}=")]
    assert cookie.startswith(f"{COOKIE}=de;")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Max-Age=31536000" in cookie
    page = soup(client.get("/sign-up", headers={"Accept-Language": "en"}))
    assert language(page) == "de"
    assert heading(page) == "Konto erstellen"
    assert switcher(page).find("button", attrs={"value": "de"})["aria-pressed"] == "true"


def test_switching_back_to_english(client):
    client.set_cookie(COOKIE, "de")

    choose_language(client, "en")

    assert heading(soup(client.get("/sign-in", headers={"Accept-Language": "de"}))) == "Sign in"


def test_the_switcher_needs_the_csrf_token_and_without_it_goes_back_unchanged(client):
    response = client.post("/language", data={"language": "de", "next": "/sign-in"})

    assert (response.status_code, response.headers["Location"]) == (303, "/sign-in")
    assert alerts(soup(client.get("/sign-in"))) == ["Your session expired; check and submit again."]
    assert not [v for v in response.headers.getlist("Set-Cookie") if v.startswith(f"{COOKIE}=")]
    assert client.get_cookie(COOKIE) is None


def test_the_switcher_refuses_a_language_it_does_not_offer(client):
    response = choose_language(client, "fi")

    assert response.status_code == 400
    assert client.get_cookie(COOKIE) is None


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/sign-in",
        "//evil.example/sign-in",
        "/\\evil.example",
        "javascript:alert(1)",
        "",
    ],
)
def test_the_switcher_goes_back_only_to_a_page_of_this_site(client, target):
    response = choose_language(client, "de", next=target)

    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_a_patient_changes_the_language_in_their_profile_not_in_the_footer(client, world):
    page = signed_in_page(client, world.patient)

    footer = page.find("footer")
    assert switcher(page) is None
    link = footer.find("a", string="Change the language")
    assert link["href"] == f"/profiles/{world.patient_profile.id}/edit"


def test_a_patient_who_picks_german_in_their_profile_gets_german_at_once(client, world):
    login(client, world.patient)
    url = f"/profiles/{world.patient_profile.id}/edit"
    data = form_data(next(f for f in soup(client.get(url)).find_all("form") if f["action"] == url))
    data["language"] = ["de"]

    response = client.post(url, data=data)

    assert response.status_code == 302
    page = soup(client.get(response.headers["Location"]))
    assert "Die Änderungen am Profil sind gespeichert." in statuses(page)
    assert heading(page) == "Profile"


# German pages beyond the patient's


def test_front_desk_works_in_german_and_the_history_keeps_the_reason_in_english(
    app, client, world, session
):
    appointment = make_appointment(session, world.profile, world.berlin)
    app.config["CLOCK"] = lambda: APPOINTMENT_START + timedelta(minutes=20)  # not attended
    client.set_cookie(COOKIE, "de")
    login(client, world.front_desk)

    day = soup(client.get("/desk?day=2026-11-23"))
    assert heading(day) == "Vena Berlin Mitte: Montag, 23. November 2026"
    assert main_menu(day, "Hauptnavigation") == ["Tagesliste", "Nächste Stunde"]
    url = f"/desk/appointments/{appointment.id}/cancel"
    reasons = control_by_label(soup(client.get(url)), "Grund").find_all("option")
    assert "Patient nicht erschienen" in [option.get_text() for option in reasons]

    response = submit_form(client, url, {"reason": "no_show"})

    assert response.status_code == 302
    page = soup(client.get(response.headers["Location"]))
    assert "Der Termin um 10:30 Uhr ist abgesagt." in statuses(page)
    session.rollback()  # read what the request committed, not this session's old snapshot
    reason = session.scalars(
        select(StatusChange.reason)
        .where(StatusChange.appointment_id == appointment.id)
        .order_by(StatusChange.sequence.desc())
    ).first()
    assert reason == "Patient did not attend"


def test_error_pages_speak_the_visitors_language(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "de"})

    assert response.status_code == 404
    page = soup(response)
    assert language(page) == "de"
    assert heading(page) == "Nicht gefunden"


# The catalogue


def _messages(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id for message in catalog if message.id}


def _extract_options() -> list[str]:
    """The options `make translations-update` extracts with (the Makefile's EXTRACT_OPTIONS)."""
    for line in (ROOT / "Makefile").read_text().splitlines():
        if line.startswith("EXTRACT_OPTIONS :="):
            return shlex.split(line.partition(":=")[2])
    raise AssertionError("no EXTRACT_OPTIONS in the Makefile")


def test_every_message_has_a_german_translation_and_none_is_fuzzy():
    with GERMAN.open("rb") as file:
        catalog = read_po(file)

    untranslated = [
        message.id
        for message in catalog
        if message.id
        and not all(message.string if isinstance(message.string, tuple) else [message.string])
    ]
    assert untranslated == []
    assert [message.id for message in catalog if message.id and message.fuzzy] == []
    assert [(message.id, errors) for message, errors in catalog.check()] == []  # placeholders


def test_the_template_and_the_german_catalogue_hold_the_messages_of_the_sources(tmp_path):
    extracted = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "extract", *_extract_options(), "-o", str(extracted), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )

    with extracted.open("rb") as new, TEMPLATE.open("rb") as kept, GERMAN.open("rb") as german:
        sources, template, catalogue = (_messages(read_po(file)) for file in (new, kept, german))
    # Else run `make translations-update` and translate what it adds.
    assert sorted(map(str, sources ^ template)) == []
    assert sorted(map(str, template ^ catalogue)) == []


def test_the_compiled_catalogue_is_not_committed():
    ignored = (ROOT / ".gitignore").read_text().splitlines()

    assert "*.mo" in ignored


def test_the_build_compiles_the_catalogues_before_running_serving_or_testing():
    makefile = (ROOT / "Makefile").read_text().splitlines()
    prerequisites = {
        line.split(":")[0]: line.split(":", 1)[1].split("##")[0].split()
        for line in makefile
        if line.split(":")[0] in ("run", "serve", "test")
    }

    assert all("translations" in needs for needs in prerequisites.values()), prerequisites
    assert len(prerequisites) == 3


def test_the_fasting_instruction_in_german(app, world):
    world.panel.requires_fasting = True

    with app.test_request_context(headers={"Accept-Language": "de"}):
        note = fasting_note([world.panel])

    assert note == "Nüchtern: ab 20:00 Uhr am Vorabend nichts mehr essen; Wasser ist erlaubt."


def test_a_new_patients_first_profile_sets_the_language_at_once_and_at_each_sign_in(client, world):
    password = "wombat lantern quiche"
    data = {"email": "lena@example.org", "password": password, "confirm": password}
    assert submit_form(client, "/sign-up", data).status_code == 302
    profile = {"first_name": "Lena", "date_of_birth": "1990-03-14", "sex": "2", "language": "de"}
    saved = submit_form(client, "/profiles/new", profile)

    page = soup(client.get(saved.headers["Location"]))
    assert language(page) == "de"
    assert "Das Profil ist gespeichert." in statuses(page)
    client.post("/sign-out", data=form_data(soup(client.get("/sign-out")).find("main").form))
    response = submit_form(client, "/sign-in", {"email": data["email"], "password": password})

    assert "Sie sind angemeldet." in statuses(soup(client.get(response.headers["Location"])))
