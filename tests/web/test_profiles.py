"""Profiles in the portal: patients keep theirs and their family's, coordinators their
organisation's; each domain rule's message appears beside its field."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.models import Profile
from tests.factories import make_user
from tests.web.conftest import (
    control_by_label,
    field_errors,
    group_errors,
    login,
    soup,
    statuses,
    submit_form,
    submit_page,
    table_by_caption,
)

LENA = {
    "first_name": "Lena",
    "last_name": "Fischer",
    "date_of_birth": "1990-03-14",
    "sex": "2",
    "phone": "+49 30 1234567",
    "language": "de",
    "height": "168.5",
    "weight": "61",
}


def _profiles(session, **filters) -> list[Profile]:
    session.rollback()  # see what the requests committed
    return list(session.scalars(select(Profile).filter_by(**filters).order_by(Profile.first_name)))


def _names(client) -> list[str]:
    """The names in the list of profiles, sorted (the list's order of empty last names differs
    between SQLite and PostgreSQL)."""
    page = soup(client.get("/profiles"))
    if "No profiles yet." in page.find("main").get_text():
        return []
    return sorted(row[0] for row in table_by_caption(page, "Profiles"))


def _sign_up(client, email="lena@example.org"):
    password = "wombat lantern quiche"
    data = {"email": email, "password": password, "confirm": password}
    return submit_form(client, "/sign-up", data)


def test_a_new_patient_adds_their_own_profile_then_a_family_member(client, session):
    _sign_up(client)
    page = soup(client.get("/profiles/new"))
    assert control_by_label(page, "E-mail address")["value"] == "lena@example.org"
    assert control_by_label(page, "First name")["autocomplete"] == "given-name"
    response = submit_page(client, page, {**LENA, "language": "en"})

    assert response.headers["Location"] == "/profiles"
    assert "The profile is saved." in statuses(soup(client.get("/profiles")))
    page = soup(client.get("/profiles/new"))
    assert page.find("h1").get_text() == "Add a profile"
    assert control_by_label(page, "E-mail address").get("value", "") == ""
    assert control_by_label(page, "First name")["autocomplete"] == "off"
    submit_page(client, page, {"first_name": "Mia", "date_of_birth": "2019-07-01", "sex": "2"})

    assert _names(client) == ["Lena Fischer", "Mia"]
    lena, mia = _profiles(session)
    assert lena.owner_id == mia.owner_id is not None
    assert (lena.email, lena.phone, lena.language) == ("lena@example.org", "+49301234567", "en")
    assert (lena.height, lena.weight, mia.height) == (168.5, 61.0, None)
    assert lena.handle is None


def test_a_patient_sees_only_the_profiles_they_own(client, world):
    login(client, world.patient)
    assert _names(client) == ["Paula Schmidt"]


def test_another_patient_can_neither_open_nor_change_a_profile(client, session, world):
    login(client, make_user(session, "patient", org=world.org))
    url = f"/profiles/{world.patient_profile.id}/edit"

    assert _names(client) == []
    assert client.get(url).status_code == 403
    csrf = soup(client.get("/profiles/new")).find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post(url, data={**LENA, "csrf_token": csrf})
    assert response.status_code == 403
    assert [p.first_name for p in _profiles(session, owner_id=world.patient.id)] == ["Paula"]


def test_a_profile_that_does_not_exist_is_not_found(client, world):
    login(client, world.patient)
    response = client.get("/profiles/6f1c1f9e-5a4e-4c43-9e0a-000000000000/edit")
    assert response.status_code == 404


def test_a_coordinator_sees_and_edits_the_organisations_profiles(client, session, world):
    login(client, world.coordinator)
    assert _names(client) == ["Anna Schmidt", "Paula Schmidt"]

    page = soup(client.get(f"/profiles/{world.profile.id}/edit"))
    assert control_by_label(page, "Date of birth")["value"] == "1985-04-12"
    assert control_by_label(page, "Female").has_attr("checked")
    response = submit_page(client, page, {"last_name": "Schmidt-Meyer", "weight": "63.5"})

    assert response.headers["Location"] == "/profiles"
    page = soup(client.get("/profiles"))
    assert "The changes to the profile are saved." in statuses(page)
    [anna] = _profiles(session, id=world.profile.id)
    assert (anna.last_name, anna.weight, anna.owner_id) == ("Schmidt-Meyer", 63.5, None)
    assert anna.updated_at is not None


def test_a_coordinator_cannot_open_another_organisations_profile(client, world):
    login(client, world.coordinator)
    assert client.get(f"/profiles/{world.other_profile.id}/edit").status_code == 403


def test_a_bad_phone_number_gets_the_domains_message_beside_the_phone(client, session, world):
    login(client, world.patient)

    response = submit_form(client, "/profiles/new", {**LENA, "phone": "030 1234567"})

    assert response.status_code == 422
    page = soup(response)
    assert field_errors(page, "Phone number") == [
        "Enter the phone number with its country code, such as +49 30 1234567."
    ]
    assert control_by_label(page, "Phone number")["aria-invalid"] == "true"
    assert field_errors(page, "First name") == []
    assert len(_profiles(session)) == 3


def test_each_broken_rule_is_shown_beside_its_own_field(client, world):
    login(client, world.patient)
    data = {"first_name": "", "date_of_birth": "2030-01-01", "height": "400", "weight": "heavy"}

    page = soup(submit_form(client, "/profiles/new", data))

    assert field_errors(page, "First name") == ["Enter a name."]
    assert field_errors(page, "Date of birth") == ["The date of birth must be in the past."]
    assert group_errors(page, "Sex") == ["Choose the sex."]
    assert field_errors(page, "Height (cm)") == ["Enter a value from 20 to 280 cm."]
    assert field_errors(page, "Weight (kg)") == ["Enter a number in kg."]


def test_a_failed_change_leaves_the_profile_as_it_was(client, session, world):
    login(client, world.patient)
    page = soup(client.get(f"/profiles/{world.patient_profile.id}/edit"))

    response = submit_page(client, page, {"first_name": "Paula2"})

    assert response.status_code == 422
    assert field_errors(soup(response), "First name") == [
        "Use only Latin letters, spaces, hyphens and apostrophes."
    ]
    assert _profiles(session, id=world.patient_profile.id)[0].first_name == "Paula"


def test_the_form_labels_units_and_offers_the_contracts_choices(client, world):
    login(client, world.coordinator)
    page = soup(client.get("/profiles/new"))

    assert control_by_label(page, "Date of birth")["type"] == "date"
    assert control_by_label(page, "Phone number")["type"] == "tel"
    assert control_by_label(page, "Height (cm)")["type"] == "number"
    assert control_by_label(page, "Weight (kg)")["type"] == "number"
    assert {control_by_label(page, label)["value"] for label in ("Male", "Female")} == {"1", "2"}
    language = control_by_label(page, "Language")
    assert [o["value"] for o in language.find_all("option")] == ["en", "de", "fi"]
    phone_hint = page.find(id=control_by_label(page, "Phone number")["aria-describedby"])
    assert "+49 30 1234567" in phone_hint.get_text()


def test_patients_and_coordinators_find_profiles_in_the_menu_and_front_desk_does_not(client, world):
    for user, expected in ((world.patient, 1), (world.coordinator, 1), (world.front_desk, 0)):
        login(client, user)
        nav = soup(client.get("/appointments" if expected else "/desk")).find("nav")
        assert len(nav.find_all("a", string="Profiles")) == expected, user.role
        submit_form(client, "/sign-out", {})


def test_front_desk_may_not_open_the_profiles_and_visitors_must_sign_in(client, world):
    assert client.get("/profiles").headers["Location"].startswith("/sign-in")
    login(client, world.front_desk)
    assert client.get("/profiles").status_code == 403
    assert client.get("/profiles/new").status_code == 403


def test_a_coordinator_searches_the_organisations_profiles_by_name(client, world):
    login(client, world.coordinator)
    page = soup(client.get("/profiles?q=paul"))
    assert control_by_label(page, "Search by name or reference")["value"] == "paul"
    assert [row[0] for row in table_by_caption(page, "Profiles")] == ["Paula Schmidt"]

    page = soup(client.get("/profiles?q=Otto"))  # another organisation's patient
    assert "No profile matches “Otto”." in statuses(page)
    assert page.find("table") is None


def test_patients_get_no_profile_search(client, world):
    login(client, world.patient)
    assert soup(client.get("/profiles")).find("form", attrs={"role": "search"}) is None
