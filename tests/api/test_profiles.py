"""`/profiles`: create, read, list and change a partner's patients within its organisation."""

from __future__ import annotations

import uuid

import pytest

from tests.api.conftest import FORBIDDEN
from tests.factories import make_profile, random_id

ANNA = {
    "handle": "patient-17",
    "first_name": "Anna-Lena",
    "last_name": "O'Brien",
    "email": "anna@example.org",
    "phone": "+4930123456789",
    "sex": 2,
    "date_of_birth": "1985-04-12",
    "height": 168,
    "weight": 61.5,
    "language": "de",
}


def test_creating_a_profile_answers_201_with_the_contract_fields(api):
    response = api.post("/profiles", json=ANNA)
    assert response.status_code == 201
    body = response.get_json()
    uuid.UUID(body.pop("id"))
    assert body == {
        **ANNA,
        "created_at": "2026-11-21T09:00:00Z",
        "updated_at": None,
    }


def test_a_new_profile_speaks_english_unless_told_otherwise(api):
    body = {"first_name": "Ilkka", "sex": 1, "date_of_birth": "1970-01-31"}
    response = api.post("/profiles", json=body)
    assert response.status_code == 201
    assert response.get_json()["language"] == "en"
    assert response.get_json()["last_name"] is None


def test_unknown_profile_fields_are_ignored(api):
    response = api.post("/profiles", json={**ANNA, "favourite_colour": "teal"})
    assert response.status_code == 201
    assert "favourite_colour" not in response.get_json()


def test_creating_a_profile_names_every_invalid_field(api):
    body = {**ANNA, "first_name": "R2D2", "sex": 3, "date_of_birth": "2030-01-01"}
    response = api.post("/profiles", json=body)
    assert response.status_code == 400
    result = response.get_json()
    assert result["code"] == "validation_error"
    assert set(result["details"]) == {"first_name", "sex", "date_of_birth"}
    assert result["details"]["date_of_birth"] == ["date_of_birth must be in the past."]


def test_creating_a_profile_without_required_fields_is_refused(api):
    response = api.post("/profiles", json={"last_name": "Virtanen"})
    assert response.status_code == 400
    assert set(response.get_json()["details"]) == {"first_name", "sex", "date_of_birth"}


@pytest.mark.parametrize("sex", [[1], {"code": 1}, "1", True])
def test_a_sex_that_is_not_an_iso_5218_integer_is_refused(api, sex):
    response = api.post("/profiles", json={**ANNA, "sex": sex})
    assert response.status_code == 400
    assert list(response.get_json()["details"]) == ["sex"]


@pytest.mark.parametrize("body", [b"[1, 2]", b'"Anna"', b"{oops", b""])
def test_a_profile_body_that_is_not_a_json_object_is_refused(api, body):
    response = api.post("/profiles", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["code"] == "validation_error"
    assert list(response.get_json()["details"]) == ["body"]


def test_a_handle_is_unique_within_the_organisation(api):
    assert api.post("/profiles", json=ANNA).status_code == 201
    response = api.post("/profiles", json={**ANNA, "first_name": "Berta"})
    assert response.status_code == 409
    body = response.get_json()
    assert body["code"] == "conflict"
    assert list(body["details"]) == ["handle"]


def test_another_organisation_may_use_the_same_handle(api, api_with, other_org):
    assert api.post("/profiles", json=ANNA).status_code == 201
    other = api_with("CREATE_USER", organisation=other_org)
    assert other.post("/profiles", json=ANNA).status_code == 201


def test_reading_a_profile_answers_the_profile(api, profile):
    response = api.get(f"/profiles/{profile.id}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == str(profile.id)
    assert body["first_name"] == "Anna"
    assert body["date_of_birth"] == "1985-04-12"


def test_reading_an_unknown_profile_is_404(api):
    response = api.get(f"/profiles/{random_id()}")
    assert response.status_code == 404
    assert response.get_json()["code"] == "not_found"


def test_reading_a_profile_with_a_malformed_id_is_invalid_id(api):
    response = api.get("/profiles/anna")
    assert response.status_code == 400
    assert response.get_json()["code"] == "invalid_id"


def test_another_organisations_profile_is_forbidden(api, session, other_org):
    theirs = make_profile(session, other_org)
    for response in (
        api.get(f"/profiles/{theirs.id}"),
        api.patch(f"/profiles/{theirs.id}", json={"first_name": "Mallory"}),
    ):
        assert response.status_code == 403
        assert response.get_json() == FORBIDDEN


def test_the_list_holds_only_the_organisations_profiles(api, session, org, other_org):
    ours = make_profile(session, org, first_name="Berta")
    make_profile(session, other_org, first_name="Carla")
    response = api.get("/profiles")
    assert response.status_code == 200
    assert [p["id"] for p in response.get_json()] == [str(ours.id)]


def test_an_organisation_without_profiles_gets_an_empty_array(api):
    response = api.get("/profiles")
    assert response.status_code == 200
    assert response.get_json() == []


def test_changing_a_profile_changes_only_the_fields_given_and_sets_updated_at(api, profile):
    response = api.patch(f"/profiles/{profile.id}", json={"weight": 70, "language": "fi"})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["weight"], body["language"], body["first_name"]) == (70.0, "fi", "Anna")
    assert body["updated_at"] == "2026-11-21T09:00:00Z"
    assert api.get(f"/profiles/{profile.id}").get_json() == body


@pytest.mark.parametrize(("sent", "answered"), [(168, 168), (168.0, 168), (168.5, 168.5)])
def test_a_whole_height_or_weight_is_answered_as_an_integer_and_a_fraction_as_it_is(
    api, sent, answered
):
    created = api.post("/profiles", json={**ANNA, "height": sent, "weight": 61.0}).get_json()
    for body in (created, api.get(f"/profiles/{created['id']}").get_json()):
        # JSON's `168` reads as an int and `168.0` as a float: the type is what was sent.
        assert (body["height"], type(body["height"])) == (answered, type(answered))
        assert (body["weight"], type(body["weight"])) == (61, int)


def test_a_change_that_changes_nothing_leaves_updated_at_null(api, profile):
    response = api.patch(f"/profiles/{profile.id}", json={"first_name": profile.first_name})
    assert response.status_code == 200
    assert response.get_json()["updated_at"] is None


def test_changing_a_profile_checks_the_fields_given(api, profile):
    response = api.patch(f"/profiles/{profile.id}", json={"phone": "030 1234", "height": 900})
    assert response.status_code == 400
    assert set(response.get_json()["details"]) == {"phone", "height"}


def test_changing_a_required_field_to_null_is_refused(api, profile):
    response = api.patch(f"/profiles/{profile.id}", json={"first_name": None})
    assert response.status_code == 400
    assert response.get_json()["details"] == {"first_name": ["first_name is required."]}


def test_changing_an_unknown_profile_is_404(api):
    response = api.patch(f"/profiles/{random_id()}", json={"weight": 70})
    assert response.status_code == 404


def test_changing_a_profile_with_a_bad_id_and_a_bad_body_is_invalid_id(api):
    response = api.patch("/profiles/42", data=b"[]", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["code"] == "invalid_id"
