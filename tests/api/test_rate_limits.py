"""The API's rate limit: a budget per key across all routes, one per address without a valid
key, and the contract's 429 answer with `Retry-After`."""

from __future__ import annotations

import pytest

from tests.api.conftest import FORBIDDEN, Api
from tests.factories import make_api_key, random_id, revoke_api_key

LIMIT = 3
# A window far longer than any test, so that no budget starts afresh in the middle of one.
WINDOW_SECONDS = 3600
ELSEWHERE = {"REMOTE_ADDR": "203.0.113.7"}


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"API_RATE_LIMIT": f"{LIMIT} per hour"}


def spend_budget(api: Api, **kwargs: object) -> None:
    """Make the LIMIT requests the budget allows (they pass the limit whatever they answer)."""
    for _ in range(LIMIT):
        assert api.get("/panels", **kwargs).status_code != 429


def assert_rate_limited(response, holder: str) -> None:
    """A 429 with the contract's body naming `holder`'s budget, and `Retry-After` in seconds."""
    assert response.status_code == 429
    body = response.get_json()
    assert body["code"] == "rate_limited"
    assert set(body) == {"error", "code"}
    assert f"Too many requests for {holder}: the limit is {LIMIT} per 1 hour." in body["error"]
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= WINDOW_SECONDS
    assert f"Try again in {retry_after} seconds." in body["error"]


def test_the_request_after_the_keys_budget_gets_429_with_retry_after(api):
    spend_budget(api)
    assert_rate_limited(api.get("/panels"), "this API key")


def test_one_budget_covers_every_route_and_method_of_the_api(api, location, profile):
    assert api.get("/panels").status_code == 200
    assert api.get(f"/locations/{location.id}").status_code == 200
    assert api.get(f"/profiles/{profile.id}").status_code == 200
    assert_rate_limited(api.post("/profiles", json={}), "this API key")


def test_two_keys_have_separate_budgets(api, session, org):
    spend_budget(api)
    other = Api(api.client, make_api_key(session, org))
    assert other.get("/panels").status_code == 200
    assert api.get("/panels").status_code == 429


def test_the_limit_is_checked_before_the_scope_the_id_and_the_body(api_with):
    viewer = api_with("LOCATIONS_VIEW")
    spend_budget(viewer)
    assert viewer.post("/appointments", json={}).status_code == 429
    assert viewer.get("/appointments/not-a-uuid").status_code == 429
    assert viewer.get(f"/appointments/{random_id()}").status_code == 429


def test_requests_without_a_key_share_one_budget_per_address(client, org):
    anonymous = Api(client, None)
    for _ in range(LIMIT):
        assert anonymous.get("/panels").get_json() == FORBIDDEN
    assert_rate_limited(anonymous.get("/panels"), "this address without a valid API key")
    assert anonymous.get("/panels", environ_base=ELSEWHERE).status_code == 403


def test_made_up_keys_get_no_budget_of_their_own(client, org):
    for attempt in range(LIMIT):
        assert Api(client, f"vena_guess-{attempt}").get("/panels").status_code == 403
    response = Api(client, "vena_guess-next").get("/panels")
    assert_rate_limited(response, "this address without a valid API key")


def test_a_valid_key_is_not_slowed_by_guessing_from_its_address(api, client):
    for attempt in range(LIMIT + 1):
        Api(client, f"vena_guess-{attempt}").get("/panels")
    assert api.get("/panels").status_code == 200


def test_a_revoked_key_falls_back_to_its_addresss_budget(api, session):
    spend_budget(api)
    revoke_api_key(session, api.key)
    assert api.get("/panels").get_json() == FORBIDDEN


def test_the_portal_and_health_check_are_not_counted_against_the_api(api, client):
    for _ in range(LIMIT + 1):
        assert client.get("/healthz").status_code == 200
        assert client.get("/").status_code == 200
    assert api.get("/panels").status_code == 200
