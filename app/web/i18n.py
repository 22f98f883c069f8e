"""The portal's languages (Flask-Babel): English and German, and which one each request gets."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Babel, get_locale, refresh
from flask_login import current_user, user_logged_in, user_logged_out
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from app.db import get_session
from app.domain.access import profile_filter
from app.domain.models import Profile, Role
from app.web.sign_in_sessions import cookie_name
from app.web.users import PortalUser

# The catalogues: app/translations/<language>/LC_MESSAGES/messages.po, compiled by `make`.
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
# English first: the default, and the language the messages are written in.
LANGUAGES = ("en", "de")
# The switcher's choices, each in its own language.
SWITCHER_NAMES = {"en": "English", "de": "Deutsch"}
LANGUAGE_COOKIE = "vena_language"
LANGUAGE_COOKIE_AGE = timedelta(days=365)
# In the session: the id of the signed-in patient's own profile, settled at sign-in ("": none).
OWN_PROFILE_KEY = "vena_own_profile"
_OWN_PROFILE = "vena_own_profile"  # on `g`: this request's reading of it


def N_(message: str) -> str:
    """Mark `message` for translation (`N_` is a keyword pybabel extracts) and return it as it
    is: for constants that stay English, since tests import them; `gettext(constant)`
    translates them where they are shown."""
    return message


@dataclass(frozen=True)
class OwnProfile:
    """The signed-in patient's own profile: the language the portal speaks to them in."""

    id: uuid.UUID
    language: str


def _first_own_profile(user: PortalUser) -> uuid.UUID | None:
    """The first profile a patient created of those they own (family members' come later)."""
    query = (
        select(Profile.id)
        .where(profile_filter(user.actor))
        .order_by(Profile.created_at, Profile.id)
        .limit(1)
    )
    found: uuid.UUID | None = get_session().scalar(query)
    return found


def _settle_own_profile(user: PortalUser) -> str:
    """Which profile is the patient's own is settled when they sign in; one who has none yet
    (just signed up) keeps the cookie's or the browser's language until they sign in again."""
    found = _first_own_profile(user) if user.role is Role.PATIENT else None
    session[OWN_PROFILE_KEY] = str(found) if found else ""
    return session[OWN_PROFILE_KEY]


def own_profile() -> OwnProfile | None:
    """The signed-in patient's own profile with its language as stored now (a change applies at
    once), or None: signed out, another role, or no profile when they signed in."""
    if _OWN_PROFILE not in g:
        setattr(g, _OWN_PROFILE, _read_own_profile())
    found: OwnProfile | None = getattr(g, _OWN_PROFILE)
    return found


def _read_own_profile() -> OwnProfile | None:
    if not current_user.is_authenticated or current_user.role is not Role.PATIENT:
        return None
    try:
        settled = session.get(OWN_PROFILE_KEY)
        if settled is None:  # a session that began before this rule did
            settled = _settle_own_profile(current_user)
        if not settled:
            return None
        query = select(Profile.language).where(
            Profile.id == uuid.UUID(settled), profile_filter(current_user.actor)
        )
        language = get_session().scalar(query)
    except SQLAlchemyError:
        # The error page of a failed transaction: the cookie's or the browser's language then.
        return None
    return OwnProfile(id=uuid.UUID(settled), language=language) if language else None


def adopt_own_profile(user: PortalUser) -> None:
    """After a patient without an own profile created one: it is their own from now on, so its
    language applies at once (to the flash message that follows too), not from the next
    sign-in. A patient who has an own profile already keeps it."""
    if user.role is not Role.PATIENT or session.get(OWN_PROFILE_KEY):
        return
    _settle_own_profile(user)
    g.pop(_OWN_PROFILE, None)
    refresh()


def select_language() -> str:
    """Flask-Babel's locale selector: a signed-in patient's own profile's language (Finnish,
    which has no catalogue, and any other falls back to English); else the visitor's choice in
    the language cookie; else the best match of the browser's Accept-Language; else English."""
    if not has_request_context():
        return LANGUAGES[0]
    own = own_profile()
    if own is not None:
        return own.language if own.language in LANGUAGES else LANGUAGES[0]
    chosen = request.cookies.get(cookie_name(current_app, LANGUAGE_COOKIE))
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or LANGUAGES[0]


def page_language() -> str:
    """The language of this request's pages, such as `de` (for `<html lang>`)."""
    locale = get_locale()
    return locale.language if locale is not None else LANGUAGES[0]


def remember_language(response: Response, language: str) -> None:
    """Keep the visitor's choice of language in a cookie for a year (like the session cookie:
    HttpOnly, SameSite=Lax, Secure and named `__Host-vena_language` when the session cookie
    is)."""
    response.set_cookie(
        cookie_name(current_app, LANGUAGE_COOKIE),
        language,
        max_age=LANGUAGE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )


def _template_context() -> dict[str, Any]:
    own = own_profile() if has_request_context() else None
    return {
        "page_language": page_language(),
        "language_names": SWITCHER_NAMES,
        "language_profile": own.id if own is not None else None,
    }


def _signed_in(_sender: object, user: PortalUser, **_extra: object) -> None:
    """Settle the patient's own profile, and choose the language again for the rest of the
    request (the flash message that follows)."""
    _settle_own_profile(user)
    g.pop(_OWN_PROFILE, None)
    refresh()


def _signed_out(_sender: object, **_extra: object) -> None:
    session.pop(OWN_PROFILE_KEY, None)
    g.pop(_OWN_PROFILE, None)
    refresh()


def init_i18n(app: Flask) -> None:
    """Set up Flask-Babel (`_`, `gettext` and `ngettext` in templates) with the locale selector,
    the templates' `page_language`, and the own profile settled on signing in."""
    Babel(
        app,
        default_locale=LANGUAGES[0],
        default_translation_directories=str(TRANSLATIONS),
        locale_selector=select_language,
    )
    app.context_processor(_template_context)
    user_logged_in.connect(_signed_in)
    user_logged_out.connect(_signed_out)
