"""Builds the OpenAPI 3.1 document from the app's `/api/v1` routes, and serves it.

Paths and methods are read from the URL map, scopes from the permission each view `requires`
(`app.domain.access.SCOPE_PERMISSIONS`), the rest from `app.api.openapi.operations`; so a new
route without a description, or one whose scopes change, changes the document with it.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Response, current_app, jsonify

from app.api.auth import API_KEY_HEADER, required_permission
from app.api.openapi.errors import ERROR_RESPONSES, ERROR_SCHEMAS
from app.api.openapi.inputs import INPUT_SCHEMAS
from app.api.openapi.operations import OPERATIONS, path_ids
from app.api.openapi.parameters import PARAMETERS
from app.api.openapi.schemas import OBJECT_SCHEMAS, Schema
from app.domain.access import SCOPE_PERMISSIONS, Permission

PREFIX = "/api/v1"
SECURITY_SCHEME = "apiKey"
_CACHE_KEY = "vena.openapi"
_RULE_ARGUMENT = re.compile(r"<(?:[a-z]+:)?(\w+)>")
_PATH_PARAMETER = re.compile(r"{(\w+)}")

INFO = {
    "title": "Vena partner API",
    "version": "1.0.0",
    "description": "Book, reschedule and cancel blood draws for a partner organisation's "
    "patients. Every key belongs to one organisation and reaches only its profiles and their "
    "appointments; test locations and panels are a shared catalogue. Errors are "
    '`{"error", "code", "details"?}`; lists are bare JSON arrays.',
}


def scopes_granting(permission: Permission) -> list[str]:
    """The contract's scopes that grant `permission`, in the contract's order."""
    return [scope for scope, granted in SCOPE_PERMISSIONS.items() if permission in granted]


def _security(permission: Permission | None) -> list[dict[str, list[str]]]:
    # OpenAPI 3.1, Security Requirement Object: for a non-OAuth scheme the list holds role
    # names; each alternative is one scope that suffices.
    if permission is None:
        return []
    return [{SECURITY_SCHEME: [scope]} for scope in scopes_granting(permission)]


def _operation(name: str, path: str, permission: Permission | None) -> Schema:
    description = OPERATIONS.get(name)
    if description is None:
        raise KeyError(f"the API view {name} has no entry in app.api.openapi.operations")
    ids = path_ids(_PATH_PARAMETER.findall(path))
    security = _security(permission)
    operation: Schema = {
        "operationId": name,
        "summary": description.summary,
        "tags": [description.tag],
        "security": security,
        "parameters": description.parameters(ids),
        "responses": description.responses(ids, secured=bool(security)),
    }
    if security:
        scopes = ", ".join(f"`{alternative[SECURITY_SCHEME][0]}`" for alternative in security)
        operation["description"] = f"Needs a key with one of the scopes {scopes}."
    if not operation["parameters"]:
        del operation["parameters"]
    if description.body:
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{description.body}"}}
            },
        }
    return operation


def build_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document (a JSON-ready dict) of `app`'s `/api/v1` routes.

    Raises KeyError for a route whose view has no entry in `OPERATIONS`, ValueError for a path
    parameter that is not one of the described ids.
    """
    paths: dict[str, dict[str, Schema]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if not rule.endpoint.startswith("api.") or not rule.rule.startswith(PREFIX + "/"):
            continue
        view = app.view_functions[rule.endpoint]
        path = _RULE_ARGUMENT.sub(r"{\1}", rule.rule.removeprefix(PREFIX))
        name = rule.endpoint.removeprefix("api.")
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(
                name, path, required_permission(view)
            )
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "servers": [{"url": PREFIX, "description": "Relative to the host that serves this."}],
        "tags": [
            {"name": tag} for tag in ("Profiles", "Locations", "Panels", "Appointments", "Document")
        ],
        "paths": paths,
        "components": {
            "schemas": {**OBJECT_SCHEMAS, **INPUT_SCHEMAS, **ERROR_SCHEMAS},
            "parameters": PARAMETERS,
            "responses": ERROR_RESPONSES,
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "apiKey",
                    "in": "header",
                    "name": API_KEY_HEADER,
                    "description": "A partner key (shown once when created). Operations list "
                    "the scopes that grant them as role names.",
                }
            },
        },
    }


def get_openapi_document() -> Response:
    """`GET /api/v1/openapi.json`: the document, built once per app; no key needed."""
    document = current_app.extensions.get(_CACHE_KEY)
    if document is None:
        document = current_app.extensions[_CACHE_KEY] = build_document(current_app)
    return jsonify(document)
