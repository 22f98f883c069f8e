"""Documented settings and their defaults; each may be overridden by `instance/config.py` or the
environment variable of the same name."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from app.domain.accounts import PUBLIC_ORGANISATION

# Settings read from the environment when set there (strings).
ENVIRONMENT_SETTINGS = (
    "DATABASE_URL",
    "SECRET_KEY",
    "PUBLIC_ORGANISATION",
    "CALENDAR_UID_DOMAIN",
    "RATELIMIT_STORAGE_URI",
    "API_RATE_LIMIT",
    "SIGN_IN_RATE_LIMIT",
    "SIGN_IN_ADDRESS_RATE_LIMIT",
    "SIGN_UP_RATE_LIMIT",
    "TRUSTED_PROXIES",
    "TRUSTED_HOSTS",
    "MAX_CONTENT_LENGTH",
    "SESSION_COOKIE_SECURE",
    "STAFF_IDLE_TIMEOUT_MINUTES",
    "PATIENT_IDLE_TIMEOUT_MINUTES",
    "SESSION_ABSOLUTE_TIMEOUT_HOURS",
    "DATABASE_CONNECT_TIMEOUT_SECONDS",
    "DATABASE_STATEMENT_TIMEOUT_SECONDS",
    "DATABASE_LOCK_TIMEOUT_SECONDS",
    "DATABASE_POOL_TIMEOUT_SECONDS",
    "WORKER_TIMEOUT_SECONDS",
)


def defaults(instance_path: Path) -> dict[str, object]:
    """The settings a fresh checkout runs with: SQLite in `instance/`, CSRF on, safe cookies."""
    return {
        # SQLAlchemy URL; PostgreSQL: postgresql+psycopg://user@host/db
        "DATABASE_URL": f"sqlite:///{instance_path / 'vena.sqlite3'}",
        # Slug of the organisation that patients who sign up themselves belong to; the first
        # sign-up creates it when no organisation has this slug.
        "PUBLIC_ORGANISATION": PUBLIC_ORGANISATION,
        # The right-hand side of the UID of each appointment's calendar event (RFC 5545, 3.8.4.7):
        # a domain the operator controls, so the UIDs are unique worldwide. Keep it once set: a
        # calendar matches a later download (rescheduled, cancelled) to its event by the UID.
        "CALENDAR_UID_DOMAIN": "vena.example.com",
        # Seconds a SQLite writer waits for another to finish before giving up.
        "SQLITE_BUSY_TIMEOUT": 15,
        # Seconds the app waits for PostgreSQL (app/db.py, Timeouts): to connect (psycopg counts
        # at least 2), for one statement, for a lock (0 turns either of these two off), and for
        # a free connection of the process's pool (SQLite too). Over one: 503 `unavailable`.
        "DATABASE_CONNECT_TIMEOUT_SECONDS": 5,
        "DATABASE_STATEMENT_TIMEOUT_SECONDS": 10,
        "DATABASE_LOCK_TIMEOUT_SECONDS": 5,
        "DATABASE_POOL_TIMEOUT_SECONDS": 5,
        # Seconds a request may run before the server ends its worker (gunicorn's `timeout`
        # reads the same environment variable): the longest a request can live.
        "WORKER_TIMEOUT_SECONDS": 30,
        # Hours an API Idempotency-Key and its stored answer count; after that the key is new
        # again, and `flask --app app purge-idempotency-keys` deletes it.
        "IDEMPOTENCY_KEY_TTL_HOURS": 24,
        # Rows on one page of each portal list (appointments, profiles, day sheet, admin lists);
        # the pages are keyset pages (`app.domain.pages`), so a deep page costs what the first does.
        "PORTAL_PAGE_SIZE": 50,
        "WTF_CSRF_ENABLED": True,
        # Cookies only over HTTPS, named `__Host-session`: None (unset) means on unless the app
        # runs in debug or test mode; `make run` and `make serve` (plain HTTP) set it to false.
        "SESSION_COOKIE_SECURE": None,
        # A portal session ends after this many minutes without a request (staff: coordinators,
        # front desk, admins; patients), and this many hours after signing in, whatever happens.
        "STAFF_IDLE_TIMEOUT_MINUTES": 30,
        "PATIENT_IDLE_TIMEOUT_MINUTES": 120,
        "SESSION_ABSOLUTE_TIMEOUT_HOURS": 12,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Rate limits (Flask-Limiter; app/ratelimit.py). Limits are strings such as "300 per
        # minute" or "10/minute; 100/day". Where the counters live: `memory://` counts in each
        # process (one process, development); with several processes or machines, point them all
        # at one Redis, e.g. redis://127.0.0.1:6379/0, so that they share each budget.
        "RATELIMIT_STORAGE_URI": "memory://",
        # API requests per API key; requests without a valid key share one budget per address.
        "API_RATE_LIMIT": "300 per minute",
        # Sign-in attempts (every POST of the sign-in form, right or wrong) per account e-mail,
        # and per client address (a shared office address has several people signing in).
        "SIGN_IN_RATE_LIMIT": "10 per minute",
        "SIGN_IN_ADDRESS_RATE_LIMIT": "30 per minute",
        # Sign-up attempts (every POST of the sign-up form) per client address.
        "SIGN_UP_RATE_LIMIT": "10 per hour",
        # When Redis does not answer, each process counts in its own memory until it answers
        # again: the limits stay (per process) and the site stays up. False: every limited
        # request (API, sign-in) fails with 500 while Redis is down.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # Prefix of the limiter's keys, so that they are easy to tell apart in a shared Redis.
        "RATELIMIT_KEY_PREFIX": "vena",
        # Reverse proxies in front of the app that append the client's address to
        # X-Forwarded-For; 0 trusts no such header. Behind one proxy (nginx) set 1, else every
        # client has the proxy's address and shares its per-address budgets.
        "TRUSTED_PROXIES": 0,
        # The host names the site answers for (Flask's TRUSTED_HOSTS): a request naming another
        # in its Host header is refused with 400, so no link is ever built from a forged one.
        # Unset (None) in development; in production name them, e.g. "vena.example.org" (from
        # the environment, names separated by commas; ".example.org" also takes subdomains).
        "TRUSTED_HOSTS": None,
        # The largest request body, in bytes (1 MiB). A longer one is refused with 413 before it
        # is read into memory; JSON bodies of the API are a few hundred bytes.
        "MAX_CONTENT_LENGTH": 1024 * 1024,
    }


# Seconds past the worker timeout before an unfinished Idempotency-Key claim may be taken over:
# the server ends a request's worker a little after its timeout, not on the second.
CLAIM_TAKEOVER_MARGIN_SECONDS = 5


def idempotency_claim_timeout(settings: Mapping[str, Any]) -> timedelta:
    """How old a claim on an Idempotency-Key that never completed must be before a retry may
    take it over: WORKER_TIMEOUT_SECONDS, the longest a request can live, plus a margin
    (README, "Booking, and retrying safely with `Idempotency-Key`")."""
    return timedelta(
        seconds=float(settings["WORKER_TIMEOUT_SECONDS"]) + CLAIM_TAKEOVER_MARGIN_SECONDS
    )


def instance_secret_key(instance_path: Path) -> str:
    """The SECRET_KEY kept in `instance/secret_key`, generated on first use (never committed)."""
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
