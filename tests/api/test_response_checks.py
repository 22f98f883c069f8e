"""The check every test's API responses go through (tests/openapi_contract.py) reports a response
that the OpenAPI document does not describe, so a green suite means the document holds."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from app.api import profiles
from tests.openapi_contract import ContractViolation, check_response, openapi_for


def _check(app: Flask, method: str, path: str, status: int, body: Any, **kwargs: Any) -> None:
    request = Request(EnvironBuilder(path=path, method=method).get_environ())
    content = body if isinstance(body, str) else json.dumps(body)
    kwargs.setdefault("mimetype", "application/json")
    check_response(openapi_for(app), request, Response(content, status=status, **kwargs))


def test_a_profile_with_a_field_the_document_lacks_fails_the_test_that_fetched_it(
    api, profile, monkeypatch
):
    def with_nickname(found):
        return {**profiles_json(found), "nickname": "Annie"}

    profiles_json = profiles.profile_json
    monkeypatch.setattr(profiles, "profile_json", with_nickname)

    with pytest.raises(ContractViolation, match="nickname"):
        api.get(f"/profiles/{profile.id}")


def test_a_profile_without_a_required_field_is_reported(app):
    with pytest.raises(ContractViolation, match="first_name"):
        _check(
            app, "GET", "/api/v1/profiles", 200, [{"id": "8f0b1a4e-8a3c-4c4e-9d55-1d2b9f3e7a10"}]
        )


def test_a_status_the_operation_does_not_document_is_reported(app):
    with pytest.raises(ContractViolation, match="418"):
        _check(app, "GET", "/api/v1/panels", 418, {"error": "teapot", "code": "teapot"})


def test_an_html_answer_from_the_api_is_reported(app):
    with pytest.raises(ContractViolation):
        _check(app, "GET", "/api/v1/panels", 200, "<p>panels</p>", mimetype="text/html")


def test_a_rate_limited_answer_without_retry_after_is_reported(app):
    body = {"error": "Too many requests.", "code": "rate_limited"}

    _check(app, "GET", "/api/v1/panels", 429, body, headers={"Retry-After": "30"})
    with pytest.raises(ContractViolation, match="Retry-After"):
        _check(app, "GET", "/api/v1/panels", 429, body)


def test_an_unknown_api_path_passes_only_with_the_apis_own_not_found_body(app, client):
    assert client.get("/api/v1/nothing-here").status_code == 404
    with pytest.raises(ContractViolation, match="not in the document"):
        _check(app, "GET", "/api/v1/nothing-here", 404, "<h1>Not found</h1>", mimetype="text/html")


def test_portal_pages_are_not_checked(app):
    _check(app, "GET", "/appointments", 200, "<p>portal</p>", mimetype="text/html")
