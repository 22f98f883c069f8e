"""Error pages in the portal's layout (never a stack trace) and the mapping of domain errors."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, render_template, request
from flask_babel import lazy_gettext
from flask_babel.speaklater import LazyString
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from app.db import UNAVAILABLE_RETRY_AFTER, is_unavailable
from app.domain.errors import Conflict, Forbidden, NotFound, ValidationError
from app.web.users import render_without_database

ERROR_TEXT = {
    400: (
        lazy_gettext("Bad request"),
        lazy_gettext("The request could not be understood. Reload the page and try again."),
    ),
    403: (lazy_gettext("Not allowed"), lazy_gettext("Your account may not open this page.")),
    404: (
        lazy_gettext("Not found"),
        lazy_gettext("There is no page or appointment at this address."),
    ),
    405: (lazy_gettext("Not allowed"), lazy_gettext("This page cannot be used that way.")),
    409: (
        lazy_gettext("Not possible now"),
        lazy_gettext("The appointment's state does not allow this."),
    ),
    413: (
        lazy_gettext("Too much sent"),
        lazy_gettext(
            "What the form sent is larger than this site takes. Go back, shorten it and send it "
            "again."
        ),
    ),
    500: (
        lazy_gettext("Something went wrong"),
        lazy_gettext("The error has been logged. Please try again later."),
    ),
    503: (
        lazy_gettext("Not available right now"),
        lazy_gettext(
            "Vena cannot reach its database at the moment. Please try again in a few seconds; "
            "if you had just sent a form, check whether it was saved before sending it again."
        ),
    ),
}
# Flask-WTF's reasons for refusing a form (in English only), as the 400 page words them.
CSRF_ERRORS = {
    "The CSRF token is missing.": lazy_gettext("The CSRF token is missing."),
    "The CSRF session token is missing.": lazy_gettext("The CSRF session token is missing."),
    "The CSRF token is invalid.": lazy_gettext("The CSRF token is invalid."),
    "The CSRF token has expired.": lazy_gettext("The CSRF token has expired."),
    "The CSRF tokens do not match.": lazy_gettext("The CSRF tokens do not match."),
    "The referrer header is missing.": lazy_gettext("The referrer header is missing."),
    "The referrer does not match the host.": lazy_gettext("The referrer does not match the host."),
}


def error_page(code: int, message: str | LazyString | None = None) -> tuple[str, int]:
    """The error page for `code`, in the portal's layout. A 5xx page renders without the
    database, which may be what failed: a user not loaded yet counts as signed out."""
    if code >= 500:
        render_without_database()
    title, default = ERROR_TEXT.get(code, ERROR_TEXT[500])
    page = render_template("errors/error.html", code=code, title=title, message=message or default)
    return page, code


def _http_error(error: HTTPException) -> HTTPException | tuple[str, int]:
    # The JSON API answers its own errors; only the portal's pages get the HTML layout.
    if request.path.startswith("/api/"):
        return error
    code = error.code or 500
    # A 400's description is ours or Flask-WTF's ("The CSRF token is missing."), safe to show.
    description = error.description if code == 400 else None
    return error_page(code, CSRF_ERRORS.get(description or "", description))


def _server_error(error: InternalServerError) -> Response | tuple[str, int]:
    if request.path.startswith("/api/"):
        return error.get_response()
    return error_page(500)


def _database_error(error: SQLAlchemyError) -> tuple[str, int, dict[str, str]]:
    """The 503 page with Retry-After when the database cannot answer (`app.db.is_unavailable`);
    any other database error is a bug and goes on to the 500 page (raised again, so it is
    logged with its traceback like every unhandled error)."""
    if not is_unavailable(error):
        raise error
    current_app.logger.warning(
        "Database unavailable in %s %s (%s)", request.method, request.path, type(error).__name__
    )
    page, code = error_page(503)
    return page, code, {"Retry-After": str(UNAVAILABLE_RETRY_AFTER)}


def _forbidden(_error: Forbidden) -> tuple[str, int]:
    return error_page(403)


def _not_found(error: NotFound) -> tuple[str, int]:
    return error_page(404, error.message)


def _conflict(error: Conflict) -> tuple[str, int]:
    return error_page(409, error.message)


def _invalid(error: ValidationError) -> tuple[str, int]:
    return error_page(400, error.message)


def handle_domain_errors(blueprint: Blueprint) -> None:
    """In `blueprint`'s views, show a domain error no form caught as its page: Forbidden 403,
    NotFound 404, Conflict 409, ValidationError 400, each with the domain's message."""
    blueprint.register_error_handler(Forbidden, _forbidden)
    blueprint.register_error_handler(NotFound, _not_found)
    blueprint.register_error_handler(Conflict, _conflict)
    blueprint.register_error_handler(ValidationError, _invalid)


def init_error_pages(app: Flask) -> None:
    """Render 400, 403, 404, 405, 413, 500 and 503 (the database cannot answer) as pages of the
    portal (outside `/api/`, whose blueprint answers its own errors first)."""
    for code in (400, 403, 404, 405, 413):
        app.register_error_handler(code, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
    app.register_error_handler(SQLAlchemyError, _database_error)
