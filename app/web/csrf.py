"""CSRF protection of every form, and what a portal form posted with a refused token gets: the
same page again, the values entered kept and a fresh token, with "Your session expired; check
and submit again", instead of a bare "Bad request" that loses the user's choices."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, g
from flask_babel import lazy_gettext
from flask_wtf import CSRFProtect, FlaskForm
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.db import get_session

# Flask-WTF's reasons that concern the token itself (an old page, a session that expired or
# was renewed). A wrong referrer on HTTPS is no expired session: it keeps the 400 page.
TOKEN_REFUSALS = frozenset(
    {
        "The CSRF token is missing.",
        "The CSRF session token is missing.",
        "The CSRF token is invalid.",
        "The CSRF token has expired.",
        "The CSRF tokens do not match.",
    }
)
EXPIRED = lazy_gettext("Your session expired; check and submit again.")
# Where the request's Session keeps the refusal, for the commit guard below.
_REFUSAL = "vena.csrf_refusal"


def init_csrf(app: Flask) -> CSRFProtect:
    """Protect every POST of `app` (the API blueprint exempts itself with `csrf.exempt`).

    Flask-WTF's own check runs before every view and answers a refused token with a 400 page.
    Here the same check (`CSRFProtect.protect`) runs instead; a token refused for a reason in
    TOKEN_REFUSALS lets the view run, marked refused (`token_refused`). Its form then refuses
    the same token in `validate_on_submit` (Flask-WTF checks it again: the request is not
    marked valid), so the view shows its form again rather than acting, and the layout says
    why. Whatever the view does, the request's database session cannot commit: a commit
    raises the refusal, the 400 page, with nothing written.
    """
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # `_check` below runs it instead
    csrf = CSRFProtect(app)
    event.listen(app.extensions["vena.sessionmaker"], "before_commit", _refuse_commit)

    @app.before_request
    def _check() -> None:
        if not current_app.config["WTF_CSRF_ENABLED"]:
            return
        try:
            csrf.protect(apply_exemptions=True)
        except CSRFError as refusal:
            if refusal.description not in TOKEN_REFUSALS:
                raise
            g.csrf_refusal = refusal
            get_session().info[_REFUSAL] = refusal

    app.add_template_global(token_refused, "token_refused")
    app.add_template_global(input_errors, "input_errors")
    return csrf


def token_refused() -> bool:
    """Whether this request's CSRF token was refused (it then writes nothing)."""
    return "csrf_refusal" in g


def input_errors(form: FlaskForm) -> Mapping[str | None, Any]:
    """`form.errors` without the CSRF token's, which the layout words as an expired session:
    what the user entered wrong, if anything."""
    return {name: errors for name, errors in form.errors.items() if name != "csrf_token"}


def _refuse_commit(session: Session) -> None:
    refusal = session.info.get(_REFUSAL)
    if refusal is not None:
        raise refusal
