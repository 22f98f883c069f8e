"""A client generated from the OpenAPI document by a standard generator (openapi-python-client)
finds a free slot, books it and cancels it: the document is complete enough to be used.

The client is generated into a temporary folder (never committed) and talks to the app in-process
through httpx's WSGI transport; the same client against `make run` needs only another base URL.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from app.api.openapi.document import PREFIX
from tests.factories import make_api_key

GENERATOR = Path(sys.executable).parent / "openapi-python-client"
PACKAGE = "vena_client"


@pytest.fixture
def generated(client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The client package generated from the served document; fails on any generator warning."""
    (tmp_path / "openapi.json").write_text(json.dumps(client.get(f"{PREFIX}/openapi.json").json))
    # No post hooks: the generator would format its output with ruff, which is not needed here.
    (tmp_path / "config.yaml").write_text("post_hooks: []\n")
    run = subprocess.run(
        [
            GENERATOR,
            "generate",
            "--path",
            tmp_path / "openapi.json",
            "--meta",
            "none",
            "--output-path",
            tmp_path / PACKAGE,
            "--config",
            tmp_path / "config.yaml",
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module(PACKAGE)
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def _operation(group: str, name: str) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.api.{group}.{name}")


def test_a_generated_client_books_the_first_free_slot_and_cancels_it(
    app, session, org, location, profile, generated
):
    api = generated.AuthenticatedClient(
        base_url=f"http://localhost{PREFIX}",
        token=make_api_key(session, org),
        prefix="",
        auth_header_name="x-api-key",
        httpx_args={"transport": httpx.WSGITransport(app=app)},
    )
    models = importlib.import_module(f"{PACKAGE}.models")

    [found] = _operation("locations", "list_locations").sync(client=api)
    availability = _operation("locations", "get_availability").sync(
        location_id=found.id, client=api
    )
    first_slot = next(slot for day in availability.availability for slot in day.slots)
    booking = models.BookingRequest(
        profile_id=profile.id, location_id=found.id, scheduled_at=first_slot
    )
    booked = _operation("appointments", "book_appointment").sync_detailed(client=api, body=booking)
    cancel = _operation("appointments", "cancel_appointment")
    cancelled = cancel.sync(appointment_id=booked.parsed.id, client=api)
    again = cancel.sync_detailed(appointment_id=booked.parsed.id, client=api)

    assert booked.status_code == 201
    assert booked.parsed.scheduled_at == first_slot
    assert cancelled.status == models.AppointmentStatus.CANCELLED
    assert [entry.status.value for entry in cancelled.status_history] == ["confirmed", "cancelled"]
    assert again.status_code == 409
    assert isinstance(again.parsed, models.ConflictError)
