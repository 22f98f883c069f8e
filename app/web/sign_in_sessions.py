"""The portal's sign-in sessions: a fresh one at sign-in, every one of the user's ended at
sign-out, and each ended by the server after its idle or absolute timeout; the cookies' names
and Secure flag.

Rules: OWASP Session Management Cheat Sheet (renew the session at sign-in, idle and absolute
timeouts enforced on the server, sign-out ends the session) and RFC 6265bis, section 4.1.3.2
(the `__Host-` cookie prefix). Settings (`app/config.py`): SESSION_COOKIE_SECURE,
STAFF_IDLE_TIMEOUT_MINUTES, PATIENT_IDLE_TIMEOUT_MINUTES, SESSION_ABSOLUTE_TIMEOUT_HOURS.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask import Flask, current_app, flash, g, request, session
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from app.clock import now
from app.db import get_session
from app.domain.models import Role, User
from app.domain.user_sessions import end_user_sessions, is_current_session
from app.web.users import PortalUser

# In the session: when it was signed in and when it last made a request (Unix seconds, from the
# app's CLOCK); the signed cookie is readable, and these say nothing about the patient.
SIGNED_IN_AT = "vena_signed_in_at"
SEEN_AT = "vena_seen_at"
SECURE_PREFIX = "__Host-"
USER_KEY = "_user_id"  # Flask-Login's key of the signed-in user in the session
_ENDED = "vena_session_ended"  # on `g`: this request's timeout message, for after loading
TIMEOUT_SETTINGS = (
    "STAFF_IDLE_TIMEOUT_MINUTES",
    "PATIENT_IDLE_TIMEOUT_MINUTES",
    "SESSION_ABSOLUTE_TIMEOUT_HOURS",
)
_FLAGS = {"1": True, "true": True, "yes": True, "on": True}
_FLAGS |= {"0": False, "false": False, "no": False, "off": False}


def _stamp() -> int:
    return int(now().timestamp())


def start_session(user: PortalUser) -> None:
    """Sign `user` in on a fresh session. Whatever the cookie held before is dropped (a CSRF
    token planted by someone else, another user's leftovers): the new session's CSRF token is
    new, and nobody who knew the old cookie knows the new one."""
    session.clear()
    login_user(user)
    session[SIGNED_IN_AT] = session[SEEN_AT] = _stamp()


def end_session(user: PortalUser) -> None:
    """Sign out: every session of `user` ends (`end_user_sessions`), on this device and on any
    other, copies of this cookie included; this cookie is emptied."""
    end_user_sessions(get_session(), user.id)
    logout_user()
    session.clear()


def load_user(token: str) -> PortalUser | None:
    """Flask-Login's user loader, for every request of a signed-in session: the user, while
    `token` (`PortalUser.get_id`: id and session version) is their current session, signed in
    by `start_session`, and neither timeout has passed; else None, and the session is emptied
    (`say_why_the_session_ended` flashes why, when a timeout ended it). A remember-me cookie,
    which carries the same token, restores no session: it was not signed in here."""
    user_id, _, version = token.partition(":")
    try:
        key, number = uuid.UUID(user_id), int(version)
    except ValueError:
        user = None
    else:
        user = get_session().get(User, key)
    stamped = isinstance(session.get(SIGNED_IN_AT), int) and isinstance(session.get(SEEN_AT), int)
    if user is None or not is_current_session(user, number) or not stamped:
        session.clear()
        return None
    ended = _timed_out(Role(user.role))
    if ended is not None:
        session.clear()
        setattr(g, _ENDED, ended)
        return None
    session[SEEN_AT] = _stamp()
    return PortalUser.from_user(user)


def say_why_the_session_ended() -> None:
    """Before each request of a signed-in session (static files aside): load the user, and when
    a timeout has just ended the session, flash why. The message is written only once the user
    is loaded (as signed out), since choosing its language reads the signed-in user."""
    if request.endpoint == "static" or USER_KEY not in session:
        return
    current_user._get_current_object()
    ended: Callable[[], str] | None = g.pop(_ENDED, None)
    if ended is not None:
        flash(ended(), "info")


def _timed_out(role: Role) -> Callable[[], str] | None:
    """Why the session of a user with `role` has ended (its message, to be written later), or
    None while it is open: idle for the role's idle timeout or longer (patients
    PATIENT_IDLE_TIMEOUT_MINUTES, staff STAFF_IDLE_TIMEOUT_MINUTES), or signed in
    SESSION_ABSOLUTE_TIMEOUT_HOURS ago or longer."""
    config = current_app.config
    signed_in, seen = session[SIGNED_IN_AT], session[SEEN_AT]
    idle = config[
        "PATIENT_IDLE_TIMEOUT_MINUTES" if role is Role.PATIENT else "STAFF_IDLE_TIMEOUT_MINUTES"
    ]
    hours = config["SESSION_ABSOLUTE_TIMEOUT_HOURS"]
    at = _stamp()
    if at - seen >= idle * 60:
        return lambda: ngettext(
            "You were signed out after %(num)d minute without activity. Sign in again.",
            "You were signed out after %(num)d minutes without activity. Sign in again.",
            idle,
        )
    if at - signed_in >= hours * 3600:
        return lambda: ngettext(
            "You were signed out %(num)d hour after signing in. Sign in again.",
            "You were signed out %(num)d hours after signing in. Sign in again.",
            hours,
        )
    return None


def _flag(setting: str, value: object) -> bool:
    """A yes/no setting: a bool, or from the environment `1`/`true`/`yes`/`on` or
    `0`/`false`/`no`/`off`. Raises ValueError naming the setting otherwise."""
    if isinstance(value, bool):
        return value
    flag = _FLAGS.get(str(value).strip().lower())
    if flag is None:
        raise ValueError(f"{setting}={value!r} must be true or false.")
    return flag


def _positive(setting: str, value: object) -> int:
    """A whole number above zero (minutes, hours). Raises ValueError naming the setting."""
    try:
        number = int(str(value))
    except ValueError:
        number = 0
    if number < 1:
        raise ValueError(f"{setting}={value!r} must be a whole number above 0.")
    return number


def init_sessions(app: Flask) -> None:
    """Check the timeout settings, settle the cookies' Secure flag and names, and say when a
    timeout has ended a session.

    SESSION_COOKIE_SECURE unset (None): Secure unless the app runs in debug or test mode
    (`make run` serves plain HTTP and sets it to false). With Secure, the session cookie and
    the remember-me cookie (Flask-Login's, which the portal does not set) are named with the
    `__Host-` prefix, which a browser keeps only from HTTPS, for this host alone, at path `/`.
    """
    for setting in TIMEOUT_SETTINGS:
        app.config[setting] = _positive(setting, app.config[setting])
    configured = app.config.get("SESSION_COOKIE_SECURE")
    secure = (
        not (app.debug or app.testing)
        if configured is None
        else _flag("SESSION_COOKIE_SECURE", configured)
    )
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = secure
    app.config["SESSION_COOKIE_NAME"] = cookie_name(app, "session")
    app.config["REMEMBER_COOKIE_NAME"] = cookie_name(app, "remember_token")
    app.before_request(say_why_the_session_ended)


def cookie_name(app: Flask, name: str) -> str:
    """`name` with the `__Host-` prefix when the app's cookies are Secure, else as it is."""
    return SECURE_PREFIX + name if app.config["SESSION_COOKIE_SECURE"] else name
