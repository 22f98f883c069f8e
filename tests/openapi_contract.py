"""Every `/api/v1` response a test receives is checked against the OpenAPI document (openapi-core).

`ContractClient` is the app's test client class (tests/conftest.py), so each test that calls the
API also proves the document describes what it got: a documented status for the operation, the
documented content type, body schema and headers. A response to a path or method the document
does not have must be the API's own 404 or 405 error body.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.exceptions import OpenAPIError
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from werkzeug.test import TestResponse
from werkzeug.wrappers import Request, Response

from app.api.openapi.document import PREFIX, build_document

_UNROUTED = {404: "not_found", 405: "method_not_allowed"}
_EXTENSION = "tests.openapi"


class ContractViolation(AssertionError):
    """An API response that the OpenAPI document does not describe."""


class _AnsweredRequest(WerkzeugOpenAPIRequest):
    """A request the app has read: its body stream is spent, and checking a response only
    needs the method, path and parameters."""

    @property
    def body(self) -> bytes | None:
        return None


@cache
def _openapi(document_json: str) -> OpenAPI:
    return OpenAPI.from_dict(json.loads(document_json))


def openapi_for(app: Flask) -> OpenAPI:
    """The openapi-core view of `app`'s document: built once per app, and parsed once per
    distinct document."""
    spec = app.extensions.get(_EXTENSION)
    if spec is None:
        spec = app.extensions[_EXTENSION] = _openapi(json.dumps(build_document(app)))
    return spec


def check_response(spec: OpenAPI, request: Request, response: Response) -> None:
    """Raise ContractViolation unless `spec` describes `response` to `request`; requests
    outside `/api/v1` are not checked."""
    if not (request.path == PREFIX or request.path.startswith(PREFIX + "/")):
        return
    label = f"{request.method} {request.path} -> {response.status_code}"
    try:
        spec.validate_response(_AnsweredRequest(request), WerkzeugOpenAPIResponse(response))
    except (PathNotFound, OperationNotFound) as error:
        if _is_routing_error(response):
            return
        raise ContractViolation(f"{label}: not in the document ({error})") from error
    except OpenAPIError as error:
        raise ContractViolation(f"{label}: {error}\nbody: {response.get_data(True)[:500]}") from (
            error
        )


def _is_routing_error(response: Response) -> bool:
    code = _UNROUTED.get(response.status_code)
    body: Any = response.get_json(silent=True)
    return code is not None and isinstance(body, dict) and body.get("code") == code


class ContractClient(FlaskClient):
    """A test client whose every `/api/v1` response is checked against the document."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        response = super().open(*args, **kwargs)
        check_response(openapi_for(self.application), response.request, response)
        return response
