"""Where the rate limits count: each process alone with `memory://`; all processes together in
one Redis, whose keys never show an API key or an e-mail address; per process while Redis is
down.

Redis is the one at VENA_TEST_REDIS_URL (default redis://127.0.0.1:6379/11); each test uses a
key prefix of its own and deletes only its own keys. Without a Redis these tests are skipped,
unless VENA_REQUIRE_REDIS=1 (set by `.ci/run`) turns the skip into a failure.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Iterator

import pytest
import redis
from flask import Flask

from app import create_app
from tests.api.conftest import Api
from tests.conftest import app_settings
from tests.factories import PASSWORD, make_api_key, make_org, make_user
from tests.web.conftest import submit_form

REDIS_URL = os.environ.get("VENA_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
LIMIT = 4


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    """A client of the tests' Redis, or a skip (a failure under VENA_REQUIRE_REDIS=1)."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        client.close()
        message = f"Redis at {REDIS_URL} does not answer ({error}): start redis-server"
        if os.environ.get("VENA_REQUIRE_REDIS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    yield client
    client.close()


@pytest.fixture
def key_prefix(redis_client: redis.Redis) -> Iterator[str]:
    """This test's own RATELIMIT_KEY_PREFIX; its keys, and no others, are deleted afterwards."""
    prefix = f"vena-test-{uuid.uuid4().hex}"
    yield prefix
    for key in redis_client.scan_iter(match=f"*/{prefix}/*"):
        redis_client.delete(key)


@pytest.fixture
def app_config(key_prefix: str) -> dict[str, object]:
    return {
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": key_prefix,
        "API_RATE_LIMIT": f"{LIMIT} per hour",
    }


@pytest.fixture
def second_app(database_url: str, app_config: dict[str, object]) -> Iterator[Flask]:
    """Another app built from the same settings: a second server process."""
    application = create_app(app_settings(database_url, **app_config))
    yield application
    application.extensions["vena.engine"].dispose()


@pytest.fixture
def key(session) -> str:
    """An API key with every scope."""
    return make_api_key(session, make_org(session, "alpha"))


def test_two_processes_sharing_redis_share_one_budget_per_key(client, second_app, key):
    first, second = Api(client, key), Api(second_app.test_client(), key)
    for number in range(LIMIT):
        assert (first if number % 2 else second).get("/panels").status_code == 200
    assert first.get("/panels").status_code == 429
    assert second.get("/panels").status_code == 429


@pytest.mark.parametrize("app_config", [{"API_RATE_LIMIT": f"{LIMIT} per hour"}])
def test_with_memory_storage_each_process_counts_alone(client, second_app, key):
    first, second = Api(client, key), Api(second_app.test_client(), key)
    for _ in range(LIMIT):
        assert first.get("/panels").status_code == 200
    assert first.get("/panels").status_code == 429
    assert second.get("/panels").status_code == 200


def test_redis_keys_hold_neither_the_api_key_nor_the_e_mail(
    client, session, key, key_prefix, redis_client
):
    user = make_user(session, "patient", email="Paula.Probe@example.org")
    assert Api(client, key).get("/panels").status_code == 200
    submit_form(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    keys = [name.decode() for name in redis_client.scan_iter(match=f"*/{key_prefix}/*")]
    assert any("/key:" in name for name in keys)
    assert any("/email:" in name for name in keys)
    for secret in (key, user.email, user.email.lower(), "Paula"):
        assert not [name for name in keys if secret.lower() in name.lower()]


def _closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    "app_config",
    [
        {
            "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{_closed_port()}/0",
            "API_RATE_LIMIT": f"{LIMIT} per hour",
        }
    ],
)
def test_while_redis_is_down_the_limits_hold_in_each_process(client, key, caplog):
    api = Api(client, key)
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        for _ in range(LIMIT):
            assert api.get("/panels").status_code == 200
        assert api.get("/panels").status_code == 429
    assert "falling back to in-memory storage" in caplog.text
