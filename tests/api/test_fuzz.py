"""Schemathesis fuzzes every operation of the OpenAPI document in-process, with a key holding
every scope: no 5xx, every answer as the document says (status, content type, headers, body),
every request the document calls invalid refused (negative data, with a 4xx), and organisation
A's key never reaches organisation B's objects (fuzz_world.py).

`VENA_FUZZ_EXAMPLES` sets the random requests per operation and test (default 100: about 3,900
requests in all, a minute on SQLite and a minute and a half on PostgreSQL on two cores).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app import create_app
from app.api.openapi.document import build_document
from tests.api.fuzz_world import TARGETS, World, build_world, record_case

EXAMPLES = int(os.environ.get("VENA_FUZZ_EXAMPLES", "100"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def _document() -> dict:
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "fuzz"})
    return build_document(app)


# Every phase: the document's examples, the coverage phase's boundary values, wrong types,
# missing fields and unsupported methods, then random requests.
schema = schemathesis.openapi.from_dict(_document())
# Random requests whose ids and instants Hypothesis may aim at known objects and slots; the other
# phases cannot draw that extra data. Valid requests only: aiming replaces the very ids that a
# negative case would have broken.
aimed_schema = schemathesis.openapi.from_dict(
    _document(),
    config=schemathesis.Config.from_dict(
        {
            "phases": {"examples": {"enabled": False}, "coverage": {"enabled": False}},
            "generation": {"mode": "positive"},
        }
    ),
)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def world(session, org, other_org) -> World:
    """The fuzzer's data: A's key and objects, B's profile and appointment."""
    return build_world(session, org, other_org)


def _aim(case, world: World, data) -> None:
    """Let Hypothesis point the case's ids (path, query, body) at A's or B's objects and its
    instant at a slot (fuzz_world.py)."""

    def aimed(values: dict) -> dict:
        return {
            name: world.pick(name, data.draw(st.sampled_from(TARGETS), label=name), value)
            for name, value in values.items()
        }

    if case.path_parameters:
        case.path_parameters = aimed(case.path_parameters)
    if case.query:
        case.query = aimed(case.query)
    if isinstance(case.body, dict):
        body = aimed(case.body)
        instant = body.get("scheduled_at")
        if isinstance(instant, str) and not data.draw(st.booleans(), label="keep scheduled_at"):
            body["scheduled_at"] = data.draw(st.sampled_from(world.slots), label="scheduled_at")
        case.body = body


def _ensure_isolated(case, response, world: World) -> None:
    """No 2xx answer names B's objects, and a request that names one in its path, body or query
    is refused (a 4xx: 403 once it is well formed, which test_isolation.py pins down)."""
    label = f"{case.method} {case.formatted_path} -> {response.status_code}"
    if 200 <= response.status_code < 300:
        assert not world.names_other(response.text), label
        # OPTIONS, which the coverage phase also sends, lists the allowed methods of any URL.
        if case.method.upper() == case.operation.method.upper():
            assert not world.names_other(case.path_parameters, case.body, case.query), label


def _send(case, app, world: World, request) -> None:
    """Send the case with A's key in place of the generated one. A negative case that leaves the
    key out goes without one (and must be refused): adding it would send a valid request."""
    headers = {"x-api-key": world.key} if "x-api-key" in (case.headers or {}) else {}
    response = case.call_and_validate(app=app, headers=headers, checks=CHECKS)
    record_case(request.config, case.operation.label, response.status_code)
    _ensure_isolated(case, response, world)


@schema.parametrize()
@SETTINGS
def test_generated_requests_get_documented_answers_and_never_another_organisations_objects(
    case, app, world, request
):
    _send(case, app, world, request)


@aimed_schema.given(data=st.data())
@aimed_schema.parametrize()
@SETTINGS
def test_requests_aimed_at_known_objects_get_documented_answers_and_stay_in_the_organisation(
    case, data, app, world, request
):
    _aim(case, world, data)

    _send(case, app, world, request)
