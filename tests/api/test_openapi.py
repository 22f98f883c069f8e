"""The OpenAPI document: valid 3.1, served without a key, one operation per route with the scopes
the API enforces, and the issue-5 features described as the other branches build them."""

from __future__ import annotations

import uuid

from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate
from sqlalchemy.orm import Session

from app.api.openapi.document import PREFIX
from app.api.openapi.parameters import ID_NAMES
from app.domain.models import Organisation
from tests.factories import ALL_SCOPES, make_api_key

LISTS = {"list_profiles", "list_locations", "list_panels", "list_appointments"}
IDEMPOTENT = {
    "create_profile",
    "book_appointment",
    "record_blood_draw",
    "reschedule_appointment",
    "cancel_appointment",
}


def _document(client: FlaskClient) -> dict:
    response = client.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _operations(document: dict) -> dict[str, tuple[str, str, dict]]:
    return {
        operation["operationId"]: (path, method, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }


def _resolve(document: dict, item: dict) -> dict:
    if "$ref" not in item:
        return item
    _, section, kind, name = item["$ref"].split("/")
    return document[section][kind][name]


def _parameters(document: dict, operation: dict) -> dict[str, dict]:
    """The operation's parameters by name, each with its schema resolved."""
    parameters = [_resolve(document, p) for p in operation.get("parameters", [])]
    return {p["name"]: {**p, "schema": _resolve(document, p["schema"])} for p in parameters}


def _codes(document: dict, response: dict) -> set[str]:
    """The error codes a response's body may carry."""
    schema = _resolve(document, response)["content"]["application/json"]["schema"]
    bodies = [_resolve(document, body) for body in schema.get("oneOf", [schema])]
    return {code for body in bodies for code in body["properties"]["code"]["enum"]}


def test_the_document_is_valid_openapi_3_1_and_needs_no_key(client):
    response = client.get(f"{PREFIX}/openapi.json")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"].startswith("3.1.")
    validate(document)


def test_every_api_route_is_one_operation_named_after_its_view(app: Flask, client):
    routes = {
        (
            rule.rule.removeprefix(PREFIX).replace("<", "{").replace(">", "}"),
            method.lower(),
            rule.endpoint.removeprefix("api."),
        )
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }

    described = {
        (path, method, name) for name, (path, method, _) in _operations(_document(client)).items()
    }

    assert described == routes
    assert {name for _, _, name in routes} >= {"book_appointment", "cancel_appointment"}


def test_each_operation_lists_exactly_the_scopes_that_open_it(
    client: FlaskClient, session: Session, org: Organisation
):
    keys = {scope: make_api_key(session, org, (scope,)) for scope in ALL_SCOPES}
    document = _document(client)
    mismatches = []
    for name, (path, method, operation) in _operations(document).items():
        if not operation["security"]:
            continue
        listed = {alternative["apiKey"][0] for alternative in operation["security"]}
        assert all(len(alternative["apiKey"]) == 1 for alternative in operation["security"])
        url = PREFIX + path.format_map({key: uuid.uuid4() for key in ID_NAMES})
        for scope, key in keys.items():
            response = client.open(url, method=method, headers={"x-api-key": key}, json={})
            if (response.status_code != 403) != (scope in listed):
                mismatches.append((name, scope, response.status_code))

    assert mismatches == []


def test_the_only_operation_without_a_key_is_the_document_itself(client):
    operations = _operations(_document(client))

    assert [name for name, (*_, op) in operations.items() if not op["security"]] == [
        "get_openapi_document"
    ]


def test_every_operation_with_a_key_answers_403_429_with_retry_after_and_500(client):
    document = _document(client)

    for name, (*_, operation) in _operations(document).items():
        responses = operation["responses"]
        if operation["security"]:
            assert {"403", "429", "500"} <= set(responses), name
        limited = _resolve(document, responses["429"])
        assert limited["headers"]["Retry-After"]["required"] is True


def test_every_list_is_paginated_by_limit_and_cursor_with_a_link_header(client):
    document = _document(client)

    for name, (*_, operation) in _operations(document).items():
        parameters = _parameters(document, operation)
        if name not in LISTS:
            assert "limit" not in parameters, name
            continue
        assert parameters["limit"]["schema"] == {
            "type": "integer",
            "minimum": 1,
            "maximum": 200,
            "default": 50,
        }
        assert parameters["cursor"]["schema"] == {
            "type": "string",
            "minLength": 1,
            "maxLength": 512,
            "pattern": "^[A-Za-z0-9_=-]+$",
        }
        assert "Link" in operation["responses"]["200"]["headers"]
        assert (
            operation["responses"]["200"]["content"]["application/json"]["schema"]["type"]
            == "array"
        )


def test_appointments_are_filtered_by_ids_status_and_instants(client):
    document = _document(client)
    *_, operation = _operations(document)["list_appointments"]

    schemas = {name: p["schema"] for name, p in _parameters(document, operation).items()}

    assert schemas["profile_id"]["format"] == schemas["location_id"]["format"] == "uuid"
    assert schemas["status"]["enum"] == ["pending", "confirmed", "blood_drawn", "cancelled"]
    for name in ("from", "to", "updated_since"):
        assert schemas[name]["format"] == "date-time"


def test_the_creating_posts_and_an_appointments_patch_and_delete_take_an_idempotency_key(client):
    document = _document(client)

    for name, (path, method, operation) in _operations(document).items():
        key = _parameters(document, operation).get("Idempotency-Key")
        if name not in IDEMPOTENT:
            assert key is None, name
            continue
        assert method == "post" or (path, method) in {
            ("/appointments/{appointment_id}", "patch"),
            ("/appointments/{appointment_id}", "delete"),
        }
        assert (key["in"], key["required"]) == ("header", False)
        assert key["schema"] == {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "pattern": "^[\\u0020-\\u007E]{1,255}$",
        }
        success = next(
            response
            for status, response in operation["responses"].items()
            if status.startswith("2")
        )
        assert success["headers"]["Idempotent-Replayed"]["schema"] == {
            "type": "string",
            "enum": ["true"],
        }
        assert _codes(document, operation["responses"]["422"]) == {"idempotency_key_reused"}
        assert "idempotency_key_in_use" in _codes(document, operation["responses"]["409"])
        in_use = _resolve(document, operation["responses"]["409"])
        assert in_use["headers"]["Retry-After"]["schema"]["type"] == "integer"


def test_every_operation_with_a_key_answers_503_unavailable_with_retry_after(client):
    document = _document(client)

    for name, (*_, operation) in _operations(document).items():
        if not operation["security"]:
            assert "503" not in operation["responses"], name
            continue
        unavailable = operation["responses"]["503"]
        assert _codes(document, unavailable) == {"unavailable"}, name
        assert _resolve(document, unavailable)["headers"]["Retry-After"]["required"] is True


def test_a_full_slot_is_documented_with_the_next_free_starts(client):
    document = _document(client)
    *_, operation = _operations(document)["book_appointment"]

    codes = _codes(document, operation["responses"]["409"])
    details = document["components"]["schemas"]["SlotUnavailableError"]["properties"]["details"]

    assert {"conflict", "slot_unavailable"} <= codes
    assert details["required"] == ["next_available"]
    assert details["properties"]["next_available"]["items"]["format"] == "date-time"
