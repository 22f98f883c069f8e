"""Rate limits: each app's own Flask-Limiter, the keys it counts by, and the `Retry-After` value.

The limits themselves are set where they apply: the API's in `app/api/limits.py`, sign-in's in
`app/web/sign_in_limits.py`. Settings (`app/config.py`): RATELIMIT_STORAGE_URI, API_RATE_LIMIT,
SIGN_IN_RATE_LIMIT, SIGN_IN_ADDRESS_RATE_LIMIT, RATELIMIT_IN_MEMORY_FALLBACK_ENABLED,
RATELIMIT_KEY_PREFIX, TRUSTED_PROXIES.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from collections.abc import Mapping

from flask import Flask, current_app, request
from flask_limiter import Limiter, RateLimitExceeded
from limits import parse_many

EXTENSION = "vena.limiter"
# Storage that counts in each process alone (limits' in-memory storage).
PROCESS_STORAGE = "memory://"


def client_address() -> str:
    """The client's IP address, the key of the per-address budgets. Behind TRUSTED_PROXIES
    reverse proxies it is the address they forwarded (`app.request_checks`), else the
    connection's own."""
    return request.remote_addr or "unknown"


def private_digest(kind: str, value: str) -> str:
    """`kind:<hex>`, a limiter key part standing for a secret or personal `value` (an API key,
    an e-mail address): HMAC-SHA256 keyed with SECRET_KEY, 128 bits in hex.

    Whoever can list the Redis keys sees these parts; the digest is the same for the same value
    every time, but it cannot be turned back into the value, nor matched against a list of
    guessed e-mail addresses without the SECRET_KEY.
    """
    secret = current_app.config["SECRET_KEY"]
    key = secret if isinstance(secret, bytes) else str(secret).encode()
    digest = hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}:{digest[:32]}"


def checked_limit(app: Flask, setting: str) -> str:
    """The rate limit string of `setting` ("300 per minute", "10/minute; 100/day"), checked when
    the app starts. Raises ValueError naming the setting when Flask-Limiter cannot read it."""
    value = str(app.config[setting])
    try:
        parse_many(value)
    except ValueError:
        raise ValueError(
            f"{setting}={value!r} is not a rate limit such as '300 per minute'."
        ) from None
    return value


def init_rate_limits(app: Flask) -> Limiter:
    """Give `app` its own Limiter, configured from the app's RATELIMIT_* settings.

    One Limiter per app, not one per module: each holds its own storage, so two apps in one
    process (the tests) count apart unless their RATELIMIT_STORAGE_URI is the same Redis, exactly
    as two server processes do.
    """
    limiter = Limiter(key_func=client_address, app=app)
    app.extensions[EXTENSION] = limiter
    return limiter


def unshared_storage_problem(config: Mapping[str, object], workers: int) -> str | None:
    """Why `workers` server processes must not start with these settings, or None.

    Each of several processes counting in its own memory lets every client through `workers`
    times as often as the limits say, so more than one worker needs RATELIMIT_STORAGE_URI to
    name storage they share (Redis). Rate limits switched off (RATELIMIT_ENABLED false) need
    none. The message names the setting and how to fix it.
    """
    storage = str(config.get("RATELIMIT_STORAGE_URI") or PROCESS_STORAGE)
    if workers <= 1 or not config.get("RATELIMIT_ENABLED", True):
        return None
    if not storage.startswith(PROCESS_STORAGE):
        return None
    return (
        f"RATELIMIT_STORAGE_URI is {storage!r}: each of the {workers} workers would count the "
        f"rate limits alone, letting {workers} times as many requests through. Set "
        "RATELIMIT_STORAGE_URI to a Redis all workers reach (redis://127.0.0.1:6379/0), or run "
        "one worker (-w 1)."
    )


def current_limiter() -> Limiter:
    """The Limiter of the app handling the request."""
    limiter: Limiter = current_app.extensions[EXTENSION]
    return limiter


def retry_after_seconds(error: RateLimitExceeded) -> int:
    """Whole seconds, at least 1, until the limit that refused this request lets requests
    through again: the value of `Retry-After` (RFC 9110, section 10.2.3: delay-seconds)."""
    breached = current_limiter().current_limit
    if breached is None:
        return int(error.limit.limit.get_expiry())
    return max(1, math.ceil(breached.window.reset_time - time.time()))
