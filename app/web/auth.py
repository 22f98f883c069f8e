"""Sign up, sign in and sign out (`/sign-up`, `/sign-in`, `/sign-out`), the visitor's choice of
language (`/language`), and the home page that sends users onward."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_limiter import RateLimitExceeded
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.clock import now
from app.db import get_session
from app.domain.accounts import authenticate_user, register_patient
from app.domain.errors import Conflict, ValidationError
from app.domain.rules import unprintable_character
from app.web.csrf import EXPIRED, token_refused
from app.web.errors import handle_domain_errors
from app.web.fields import add_domain_error, error_status
from app.web.forms import ActionForm, SignInForm
from app.web.i18n import LANGUAGES, N_, remember_language
from app.web.profile_forms import SignUpForm
from app.web.sign_in_limits import too_many_sign_ins
from app.web.sign_in_sessions import end_session, start_session
from app.web.users import PortalUser, home_endpoint, portal_user

bp = Blueprint("auth", __name__)
handle_domain_errors(bp)
# Sign-in and sign-up are this blueprint's rate-limited views (app/web/sign_in_limits.py).
bp.register_error_handler(RateLimitExceeded, too_many_sign_ins)

BAD_SIGN_IN = N_("The e-mail address or the password is wrong.")


def _safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site (no scheme, host or `//`), else None. A control
    character refuses it too: CR and LF cannot go into a `Location` header, and a browser drops
    tabs and line breaks from a URL, so `/<TAB>/evil.example` would lead off the site."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if unprintable_character(target) is not None:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and "\\" not in target else None


@bp.get("/")
def home() -> str | Response:
    """Signed out: the landing page. Signed in: the role's own start page."""
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(portal_user().role)))
    return render_template("auth/landing.html")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response | tuple[str, int]:
    """Check the e-mail and password with the domain; then go to `next` or the role's page."""
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = authenticate_user(get_session(), form.email.data or "", form.password.data or "")
        except ValidationError as error:  # an address no account can have (a control character)
            add_domain_error(form, error)
        else:
            if user is not None:
                portal = PortalUser.from_user(user)
                start_session(portal)
                flash(gettext("You are signed in."), "success")
                target = _safe_next(request.args.get("next"))
                return redirect(target or url_for(home_endpoint(portal.role)))
            form.form_errors.append(gettext(BAD_SIGN_IN))
    status = 422 if form.errors else 200
    return render_template("auth/sign_in.html", form=form), status


@bp.route("/sign-up", methods=["GET", "POST"])
def sign_up() -> Response | tuple[str, int]:
    """A patient creates an account (`register_patient`), is signed in, and adds a profile."""
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(portal_user().role)))
    form = SignUpForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = register_patient(
                get_session(),
                form.email.data or "",
                form.password.data or "",
                now=now(),
                organisation_slug=current_app.config["PUBLIC_ORGANISATION"],
            )
        except (ValidationError, Conflict) as error:
            add_domain_error(form, error)
            status = error_status(error)
        else:
            start_session(PortalUser.from_user(user))
            flash(gettext("Your account is ready. Now add your own profile."), "success")
            return redirect(url_for("profiles.new_profile"))
    elif form.errors:
        status = 422
    return render_template("auth/sign_up.html", form=form), status


@bp.route("/sign-out", methods=["GET", "POST"])
@login_required
def sign_out() -> Response | str:
    """GET asks for confirmation; POST (with its CSRF token) signs out, ending every session
    of the user (`end_session`)."""
    form = ActionForm()
    if form.validate_on_submit():
        end_session(portal_user())
        flash(gettext("You are signed out."), "success")
        return redirect(url_for("auth.home"))
    return render_template("auth/sign_out.html", form=form)


@bp.post("/language")
def choose_language() -> Response:
    """The footer's language switcher (CSRF-protected like every form): keep `en` or `de` in
    the language cookie and go back to `next`, a path on this site (else the home page)."""
    language = request.form.get("language", "")
    if language not in LANGUAGES:
        abort(400, description=gettext("Choose English or Deutsch."))
    response = redirect(_safe_next(request.form.get("next")) or url_for("auth.home"), 303)
    if token_refused():  # the switcher has no form page of its own: back, unchanged, and why
        flash(EXPIRED, "error")
        return response
    remember_language(response, language)
    return response
