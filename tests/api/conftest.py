"""API test fixtures: an organisation with a full-scope key, a location, a panel, a profile."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from app.domain.models import Organisation, Panel, Profile, TestLocation
from tests.api.fuzz_world import fuzz_summary
from tests.factories import make_api_key, make_location, make_org, make_panel, make_profile

FORBIDDEN = {"error": "Forbidden", "code": "forbidden"}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config):
    """Say how many requests the fuzzer (test_fuzz.py) generated, and what they got."""
    summary = fuzz_summary(config)
    if summary:
        terminalreporter.write_line(summary)


class Api:
    """A test client for `/api/v1` that sends one organisation's key (or none)."""

    def __init__(self, client: FlaskClient, key: str | None) -> None:
        self.client = client
        self.key = key

    def request(self, method: str, path: str, **kwargs: Any) -> TestResponse:
        """Send `method` to `/api/v1{path}`; `json=` and `data=` pass through."""
        headers = {"x-api-key": self.key} if self.key is not None else {}
        return self.client.open("/api/v1" + path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("DELETE", path, **kwargs)


def booking(
    profile: Profile, location: TestLocation, at: str = "2026-11-23T09:30:00Z"
) -> dict[str, str]:
    """A booking body for `profile` at `location`."""
    return {"profile_id": str(profile.id), "location_id": str(location.id), "scheduled_at": at}


@pytest.fixture
def org(session: Session) -> Organisation:
    """Organisation A, the one whose key the `api` fixture sends."""
    return make_org(session, "alpha")


@pytest.fixture
def other_org(session: Session) -> Organisation:
    """Organisation B, whose profiles A's key must not reach."""
    return make_org(session, "beta")


@pytest.fixture
def api(client: FlaskClient, session: Session, org: Organisation) -> Api:
    """A client with a key of organisation A holding every scope."""
    return Api(client, make_api_key(session, org))


@pytest.fixture
def api_with(client: FlaskClient, session: Session, org: Organisation) -> Callable[..., Api]:
    """Make a client with a key of organisation A holding only the scopes given."""

    def build(*scopes: str, organisation: Organisation | None = None) -> Api:
        return Api(client, make_api_key(session, organisation or org, scopes))

    return build


@pytest.fixture
def location(session: Session) -> TestLocation:
    """A Berlin test location whose appointments start `confirmed`."""
    return make_location(session)


@pytest.fixture
def panel(session: Session) -> Panel:
    """A panel with one biomarker."""
    return make_panel(session, "Lipid panel", requires_fasting=True)


@pytest.fixture
def profile(session: Session, org: Organisation) -> Profile:
    """A profile of organisation A."""
    return make_profile(session, org)
