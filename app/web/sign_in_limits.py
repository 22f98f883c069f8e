"""Sign-in's rate limits, SIGN_IN_RATE_LIMIT per account e-mail and SIGN_IN_ADDRESS_RATE_LIMIT
per client address; sign-up's, SIGN_UP_RATE_LIMIT per client address; and the page an attempt
over a limit gets."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from flask import Flask, render_template, request
from flask_babel import ngettext
from flask_limiter import Limiter, RateLimitExceeded

from app.domain.accounts import sign_in_email
from app.ratelimit import checked_limit, client_address, private_digest, retry_after_seconds
from app.web.forms import SignInForm
from app.web.profile_forms import SignUpForm

SIGN_IN_ENDPOINT = "auth.sign_in"
SIGN_UP_ENDPOINT = "auth.sign_up"
# Up to this many seconds the wait is given in seconds, beyond it in whole minutes.
SECONDS_SHOWN = 90


def sign_in_email_key() -> str:
    """The per-account budget of a sign-in attempt: a digest of the e-mail as sign-in looks it
    up (`sign_in_email`), so `Anna@Example.org ` and `anna@example.org` share one budget and the
    address itself never reaches the limiter's storage."""
    return private_digest("email", sign_in_email(request.form.get("email", "")))


def limit_sign_in(app: Flask, limiter: Limiter) -> None:
    """Limit the sign-in form's POSTs, per e-mail (one account is not tried with many
    passwords) and per client address (one client does not try many accounts).

    Every attempt counts, right password or wrong, and it counts before the password is checked:
    the counter goes up atomically with the check, so parallel attempts cannot slip through
    between a check and a later count, and the attempt over the limit is refused even with the
    right password. GET (showing the form) is not limited.
    """
    # The limiter is this app's own (app/ratelimit.py), so the view is wrapped in this app's
    # view map, not decorated once at import for every app.
    view = app.view_functions[SIGN_IN_ENDPOINT]
    per_email = limiter.limit(
        checked_limit(app, "SIGN_IN_RATE_LIMIT"),
        key_func=sign_in_email_key,
        methods=["POST"],
        scope="email",
    )
    per_address = limiter.limit(
        checked_limit(app, "SIGN_IN_ADDRESS_RATE_LIMIT"),
        key_func=client_address,
        methods=["POST"],
        scope="address",
    )
    limited: Callable[..., Any] = per_email(per_address(view))
    app.view_functions[SIGN_IN_ENDPOINT] = limited
    limit_sign_up(app, limiter)


def limit_sign_up(app: Flask, limiter: Limiter) -> None:
    """Limit the sign-up form's POSTs per client address, valid or not, counted before the
    form is read (as sign-in's): one client does not create accounts in bulk, nor probe which
    e-mail addresses have one (sign-up says when an address is taken). GET is not limited."""
    per_address = limiter.limit(
        checked_limit(app, "SIGN_UP_RATE_LIMIT"),
        key_func=client_address,
        methods=["POST"],
        scope="sign-up",
    )
    limited: Callable[..., Any] = per_address(app.view_functions[SIGN_UP_ENDPOINT])
    app.view_functions[SIGN_UP_ENDPOINT] = limited


def wait_message(seconds: int) -> str:
    """The sign-in refusal's message, saying how long to wait: in seconds up to SECONDS_SHOWN,
    else in minutes, rounded up."""
    if seconds <= SECONDS_SHOWN:
        return ngettext(
            "Too many sign-in attempts. Try again in %(num)d second.",
            "Too many sign-in attempts. Try again in %(num)d seconds.",
            seconds,
        )
    return ngettext(
        "Too many sign-in attempts. Try again in %(num)d minute.",
        "Too many sign-in attempts. Try again in %(num)d minutes.",
        math.ceil(seconds / 60),
    )


def sign_up_wait_message(seconds: int) -> str:
    """The sign-up refusal's message, with the wait as `wait_message` gives it."""
    if seconds <= SECONDS_SHOWN:
        return ngettext(
            "Too many sign-ups from your address. Try again in %(num)d second.",
            "Too many sign-ups from your address. Try again in %(num)d seconds.",
            seconds,
        )
    return ngettext(
        "Too many sign-ups from your address. Try again in %(num)d minute.",
        "Too many sign-ups from your address. Try again in %(num)d minutes.",
        math.ceil(seconds / 60),
    )


def too_many_sign_ins(error: RateLimitExceeded) -> tuple[str, int, dict[str, str]]:
    """The sign-in (or sign-up) page again, the e-mail still filled in, with status 429,
    `Retry-After` in seconds (RFC 9110, section 10.2.3) and a message saying when to try
    again."""
    seconds = retry_after_seconds(error)
    if request.endpoint == SIGN_UP_ENDPOINT:
        sign_up = SignUpForm()
        sign_up.form_errors.append(sign_up_wait_message(seconds))
        page = render_template("auth/sign_up.html", form=sign_up)
    else:
        form = SignInForm()
        form.form_errors.append(wait_message(seconds))
        page = render_template("auth/sign_in.html", form=form)
    return page, 429, {"Retry-After": str(seconds)}
