"""Every text input of the API, read from the OpenAPI document so that a new field or parameter
is covered the day it is documented: control characters in any body field or query parameter,
empty and repeated query values, and numbers too large for a float, each a 400 naming the input
(never a 500, and on SQLite never stored). PostgreSQL refuses NUL in text, so this is where a
500 showed."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from app import create_app
from app.api.openapi.document import build_document
from app.domain.models import Profile
from tests.api.idempotency import count

# Inserted in the middle of a value that is otherwise well formed.
CONTROLS = ["\x00", "\x01", "\x1f", "\x7f", "\x85", "\u2028", "\t", "\n", "\r"]
HUGE = "1" + "0" * 400  # a JSON integer too large for a float


def _document() -> dict[str, Any]:
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "inputs"})
    return build_document(app)


DOCUMENT = _document()


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        *_, kind, name = node["$ref"].split("/")
        node = DOCUMENT["components"][kind][name]
    return node


def _operations() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(operationId, METHOD, path with random ids, operation) for each operation with a key."""
    found = []
    for path, methods in DOCUMENT["paths"].items():
        for method, operation in methods.items():
            if operation["security"]:
                ids = {name: str(uuid.uuid4()) for name in ("profile_id", "location_id")}
                ids["appointment_id"] = str(uuid.uuid4())
                found.append(
                    (operation["operationId"], method.upper(), path.format(**ids), operation)
                )
    return found


def _sample(schema: dict[str, Any]) -> Any:
    """A well-formed value of `schema` (string, integer, boolean, enum, uuid, date, date-time)."""
    schema = _resolve(schema)
    if "enum" in schema:
        return schema["enum"][0]
    kinds = schema.get("type", "string")
    kind = next(k for k in ([kinds] if isinstance(kinds, str) else kinds) if k != "null")
    formats = {
        "uuid": str(uuid.uuid4()),
        "date": "1990-01-01",
        "date-time": "2026-11-23T09:30:00Z",
        "email": "anna@example.com",
    }
    if kind == "string":
        if schema.get("pattern", "").startswith(r"^\+"):
            return "+4930123456789"
        return formats.get(schema.get("format", ""), "Anna")
    if kind == "integer":
        return schema.get("minimum", 1)
    if kind == "number":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    if kind == "array":
        return [_sample(schema["items"])]
    raise AssertionError(f"no sample for {schema}")


def _broken(value: str, char: str) -> str:
    middle = len(value) // 2
    return value[:middle] + char + value[middle:]


def _body_schema(operation: dict[str, Any]) -> dict[str, Any]:
    return _resolve(operation["requestBody"]["content"]["application/json"]["schema"])


BODY_TEXT_FIELDS = [
    (name, method, path, field)
    for name, method, path, operation in _operations()
    if "requestBody" in operation
    for field, schema in _body_schema(operation)["properties"].items()
    if isinstance(sample := _sample(schema), str)
    or (isinstance(sample, list) and isinstance(sample[0], str))
]
QUERY_PARAMETERS = [
    (name, path, parameter["name"], parameter["schema"])
    for name, method, path, operation in _operations()
    if method == "GET"
    for parameter in map(_resolve, operation.get("parameters", []))
    if parameter["in"] == "query"
]


def _valid_body(operation: dict[str, Any]) -> dict[str, Any]:
    schema = _body_schema(operation)
    return {field: _sample(schema["properties"][field]) for field in schema.get("required", [])}


def _operation(name: str) -> dict[str, Any]:
    return next(op for op_name, _m, _p, op in _operations() if op_name == name)


def test_the_tables_cover_every_body_and_query_parameter_the_document_lists():
    fields = {(name, field) for name, _m, _p, field in BODY_TEXT_FIELDS}
    assert {("create_profile", "handle"), ("update_profile", "first_name")} <= fields
    assert {("book_appointment", "scheduled_at"), ("remove_panels", "panel_ids")} <= fields
    assert ("record_blood_draw", "barcode") in fields
    parameters = {(name, parameter) for name, _p, parameter, _s in QUERY_PARAMETERS}
    assert {("list_appointments", "updated_since"), ("list_panels", "cursor")} <= parameters
    assert ("get_availability", "detail") in parameters


@pytest.mark.parametrize(
    ("name", "method", "path", "field"),
    BODY_TEXT_FIELDS,
    ids=[f"{name}.{field}" for name, _m, _p, field in BODY_TEXT_FIELDS],
)
def test_a_control_character_in_any_body_text_is_a_400_naming_the_field(
    api, session, name, method, path, field
):
    operation = _operation(name)
    schema = _body_schema(operation)["properties"][field]
    for char in CONTROLS:
        body = _valid_body(operation)
        sample = _sample(schema)
        if isinstance(sample, list):
            body[field] = [_broken(sample[0], char)]
        else:
            body[field] = _broken(sample, char)

        response = api.request(method, path, json=body)

        assert response.status_code == 400, (char, response.get_json())
        assert response.get_json()["code"] == "validation_error"
        assert field in response.get_json()["details"], (char, response.get_json())
    assert count(session, Profile) == 0


@pytest.mark.parametrize(
    ("name", "path", "parameter", "schema"),
    QUERY_PARAMETERS,
    ids=[f"{name}.{parameter}" for name, _p, parameter, _s in QUERY_PARAMETERS],
)
def test_a_query_parameter_with_a_control_character_empty_or_repeated_is_a_400_naming_it(
    api, name, path, parameter, schema
):
    value = str(_sample(schema)).lower()  # booleans as the query writes them
    for query in [
        *([(parameter, _broken(value, char))] for char in CONTROLS),
        [(parameter, "")],
        [(parameter, value), (parameter, value)],
    ]:
        response = api.get(path, query_string=query)

        assert response.status_code == 400, (query, response.get_json())
        assert list(response.get_json()["details"]) == [parameter], query


@pytest.mark.parametrize("field", ["height", "weight", "sex"])
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_number_too_large_for_a_float_is_a_400_naming_the_field(
    api, session, profile, field, method
):
    raw = f'{{"first_name": "Anna", "sex": 2, "date_of_birth": "1990-01-01", "{field}": {HUGE}}}'
    path = "/profiles" if method == "POST" else f"/profiles/{profile.id}"

    response = api.request(method, path, data=raw, content_type="application/json")

    assert response.status_code == 400
    assert list(response.get_json()["details"]) == [field]
    assert count(session, Profile) == 1


def test_a_nul_in_the_handle_is_refused_and_not_stored(api, session):
    body = {"first_name": "Anna", "sex": 2, "date_of_birth": "1990-01-01", "handle": "crm\x0042"}

    response = api.post("/profiles", json=body)

    assert response.status_code == 400
    assert response.get_json()["details"] == {
        "handle": ["handle may not hold control characters, tabs or line breaks (it holds U+0000)."]
    }
    assert count(session, Profile) == 0


def test_a_path_id_with_a_line_break_is_an_invalid_id(api):
    response = api.get(f"/profiles/%0A{'0' * 31}")
    assert response.status_code == 400
    assert response.get_json()["code"] == "invalid_id"
