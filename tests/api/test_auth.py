"""API keys, scopes, check order and the API's own error answers."""

from __future__ import annotations

import logging

import pytest

from app.api import locations as locations_api
from tests.api.conftest import FORBIDDEN, Api
from tests.factories import random_id, revoke_api_key

ANY_ID = "00000000-0000-4000-8000-000000000000"


def test_a_request_without_a_key_is_forbidden(client):
    response = Api(client, None).get("/locations")
    assert response.status_code == 403
    assert response.get_json() == FORBIDDEN


def test_an_unknown_key_is_forbidden(client, org):
    response = Api(client, "vena_not-a-real-key").get("/locations")
    assert response.status_code == 403
    assert response.get_json() == FORBIDDEN


def test_a_revoked_key_is_forbidden(api, session, location):
    assert api.get("/locations").status_code == 200
    revoke_api_key(session, api.key)
    response = api.get("/locations")
    assert response.status_code == 403
    assert response.get_json() == FORBIDDEN


@pytest.mark.parametrize(
    ("scope", "method", "path"),
    [
        ("LOCATIONS_VIEW", "GET", "/appointments"),
        ("LOCATIONS_VIEW", "GET", "/panels"),
        ("PROFILES_VIEW", "POST", "/profiles"),
        ("PROFILES_VIEW", "PATCH", f"/profiles/{ANY_ID}"),
        ("CREATE_USER", "GET", "/profiles"),
        ("CREATE_USER", "GET", f"/profiles/{ANY_ID}"),
        ("TEST_SESSIONS_OPERATE", "GET", "/locations"),
        ("TEST_SESSIONS_VIEW", "POST", "/appointments"),
        ("TEST_SESSIONS_VIEW", "PATCH", f"/appointments/{ANY_ID}"),
        ("TEST_SESSIONS_OPERATE", "DELETE", f"/appointments/{ANY_ID}"),
        ("TEST_SESSIONS_OPERATE", "POST", f"/appointments/{ANY_ID}/panels"),
        ("TEST_SESSIONS_VIEW", "DELETE", f"/appointments/{ANY_ID}/panels"),
        ("TEST_SESSIONS_VIEW", "POST", f"/appointments/{ANY_ID}/confirm"),
        ("PROFILES_VIEW", "GET", f"/appointments/{ANY_ID}"),
        ("IMPERSONATE", "POST", "/profiles"),
        ("IMPERSONATE", "GET", "/appointments"),
        ("RESULTS_VIEW", "GET", "/appointments"),
        ("SHIPMENTS_MANAGE", "GET", "/locations"),
    ],
)
def test_a_key_without_the_operations_scope_is_forbidden(api_with, scope, method, path):
    response = api_with(scope).request(method, path, json={})
    assert response.status_code == 403
    assert response.get_json() == FORBIDDEN


@pytest.mark.parametrize(
    ("scope", "path"),
    [
        ("TEST_SESSIONS_VIEW", "/locations"),
        ("TEST_SESSIONS_VIEW", "/panels"),
        ("TEST_SESSIONS_SCHEDULE", "/panels"),
        ("TEST_SESSIONS_OPERATE", "/appointments"),
        ("LOCATIONS_VIEW", "/locations"),
        ("PROFILES_VIEW", "/profiles"),
        ("IMPERSONATE", "/profiles"),
        ("TEST_SESSIONS_SCHEDULE", "/locations"),
        ("TEST_SESSIONS_SCHEDULE", "/appointments"),
    ],
)
def test_a_scope_grants_the_reads_the_contract_lists(api_with, scope, path):
    assert api_with(scope).get(path).status_code == 200


def test_the_key_is_checked_before_the_id_format(client, org):
    response = Api(client, "vena_wrong").get("/appointments/not-a-uuid")
    assert response.status_code == 403
    assert response.get_json() == FORBIDDEN


def test_the_scope_is_checked_before_the_id_format(api_with):
    response = api_with("TEST_SESSIONS_VIEW").delete("/appointments/not-a-uuid")
    assert response.status_code == 403


def test_a_path_id_that_is_not_a_uuid_is_invalid_id(api):
    response = api.get("/appointments/12345")
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "invalid_id"
    assert "12345" in body["error"]


def test_the_id_format_is_checked_before_the_body(api):
    response = api.patch("/appointments/nope", data=b"{not json")
    assert response.status_code == 400
    assert response.get_json()["code"] == "invalid_id"


def test_the_body_is_checked_before_existence(api):
    response = api.post(f"/appointments/{random_id()}/confirm", json={"barcode": "12ab"})
    assert response.status_code == 400
    assert response.get_json()["details"] == {
        "barcode": ["barcode must be 6 to 32 digits, with nothing else."]
    }


def test_existence_is_checked_before_the_access_context(api_with, other_org):
    response = api_with("PROFILES_VIEW", organisation=other_org).get(f"/profiles/{random_id()}")
    assert response.status_code == 404
    assert response.get_json() == {"error": "Profile not found.", "code": "not_found"}


def test_malformed_json_is_a_validation_error(api):
    response = api.post("/appointments", data=b'{"profile_id": ', content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {
        "error": "The body is not valid JSON.",
        "code": "validation_error",
        "details": {"body": ["The body is not valid JSON."]},
    }


def test_an_unknown_api_path_answers_json_404(api):
    response = api.get("/nothing-here")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["code"] == "not_found"


def test_an_unknown_api_path_answers_404_even_without_a_key(client):
    response = Api(client, None).post("/nothing/here")
    assert response.status_code == 404
    assert response.get_json()["code"] == "not_found"


def test_a_method_the_path_does_not_take_answers_json_405(api):
    response = api.request("PUT", "/locations")
    assert response.status_code == 405
    assert response.get_json()["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_an_unexpected_error_is_500_without_a_trace_and_is_logged(api, monkeypatch, caplog):
    def explode(*_args, **_kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(locations_api.catalogue, "list_locations", explode)
    with caplog.at_level(logging.ERROR):
        response = api.get("/locations")
    assert response.status_code == 500
    assert response.get_json() == {
        "error": "Something went wrong on our side; try again later.",
        "code": "internal_error",
    }
    assert "database on fire" not in response.get_data(as_text=True)
    assert "GET /api/v1/locations" in caplog.text
