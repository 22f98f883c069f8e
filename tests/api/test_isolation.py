"""Organisation A's key against organisation B's objects, operation by operation: every operation
of the document that takes an id (in its path, body or query) is sent B's profile or appointment
and answers 403 with the contract's body; every other one answers as usual, and no answer names
B's objects."""

from __future__ import annotations

from typing import Any

import pytest

from app.api.openapi.document import PREFIX
from app.api.openapi.operations import OPERATIONS
from tests.api.conftest import FORBIDDEN
from tests.api.fuzz_world import World, build_world

# A valid body of each kind, given B's ids where the body takes a profile.
BODIES: dict[str, Any] = {
    "ProfileInput": lambda w: {"first_name": "Eve", "sex": 2, "date_of_birth": "1990-01-01"},
    "ProfileChanges": lambda w: {"first_name": "Eve"},
    "BookingRequest": lambda w: {
        "profile_id": w.other["profile"],
        "location_id": w.own["location"],
        "scheduled_at": w.slots[0],
    },
    "RescheduleRequest": lambda w: {"scheduled_at": w.slots[0]},
    "PanelsRequest": lambda w: {"panel_ids": [w.own["panel"]]},
    "BarcodeRequest": lambda w: {"barcode": "4006381333931"},
}
# Path ids: B's profile and appointment; locations are the shared catalogue's.
PATH_KINDS = {"profile_id": "profile", "appointment_id": "appointment", "location_id": "location"}


@pytest.fixture
def world(session, org, other_org) -> World:
    """A's key and objects, B's profile and appointment."""
    return build_world(session, org, other_org)


def _request(document: dict, name: str, world: World) -> tuple[str, str, Any]:
    """The method, URL and JSON body of operation `name`, aimed at B's objects."""
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if operation["operationId"] != name:
                continue
            ids = {key: world.other[kind] for key, kind in PATH_KINDS.items()}
            url = PREFIX + path.format_map(ids)
            if name == "list_appointments":
                url += f"?profile_id={world.other['profile']}"
            body = operation.get("requestBody")
            schema = body["content"]["application/json"]["schema"]["$ref"] if body else None
            json = BODIES[schema.rsplit("/", 1)[-1]](world) if schema else None
            return method.upper(), url, json
    raise LookupError(name)


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_a_key_of_one_organisation_never_reaches_anothers_objects(client, world, name):
    document = client.get(f"{PREFIX}/openapi.json").get_json()
    method, url, json = _request(document, name, world)

    response = client.open(url, method=method, json=json, headers={"x-api-key": world.key})

    if world.names_other(url, json):
        assert (response.status_code, response.get_json()) == (403, FORBIDDEN)
    else:
        assert 200 <= response.status_code < 300, response.get_json()
        assert not world.names_other(response.get_data(as_text=True))
