"""`flask --app app purge-idempotency-keys`, run through Flask's CLI runner (test_cli.py's style;
a file of its own because that one is long already)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain.idempotency import claim_key, fingerprint
from app.domain.idempotency_models import IdempotencyKey
from tests.conftest import NOW
from tests.factories import make_org

DAY = timedelta(hours=24)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _claim(session, org, key, at):
    request_fingerprint = fingerprint("POST", "/api/v1/profiles", {}, {"first_name": key})
    claim_key(
        session, org.id, key, request_fingerprint, now=at, ttl=DAY, claim_timeout=timedelta(0)
    )


def _keys(session) -> list[str]:
    session.rollback()  # see what the command committed
    return list(session.scalars(select(IdempotencyKey.key).order_by(IdempotencyKey.key)))


def test_purge_deletes_the_keys_older_than_24_hours_and_says_how_many(runner, session):
    org = make_org(session, "acme")
    _claim(session, org, "a-day-old", NOW - DAY)
    _claim(session, org, "two-days-old", NOW - 2 * DAY)
    _claim(session, org, "an-hour-old", NOW - timedelta(hours=1))

    result = runner.invoke(args=["purge-idempotency-keys"])

    assert result.exit_code == 0, result.output
    assert result.output == "Deleted 2 expired idempotency keys.\n"
    assert _keys(session) == ["an-hour-old"]


def test_purge_with_nothing_expired_deletes_nothing(runner, session):
    org = make_org(session, "acme")
    _claim(session, org, "fresh", NOW)

    result = runner.invoke(args=["purge-idempotency-keys"])

    assert result.exit_code == 0, result.output
    assert result.output == "Deleted 0 expired idempotency keys.\n"
    assert _keys(session) == ["fresh"]


def test_purge_follows_the_ttl_setting(app, runner, session):
    app.config["IDEMPOTENCY_KEY_TTL_HOURS"] = 1
    org = make_org(session, "acme")
    _claim(session, org, "an-hour-old", NOW - timedelta(hours=1))

    result = runner.invoke(args=["purge-idempotency-keys"])

    assert result.output == "Deleted 1 expired idempotency key.\n"
    assert _keys(session) == []
