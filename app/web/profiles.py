"""Patient profiles in the portal: `/profiles`, `/profiles/new`, `/profiles/<id>/edit`.

Patients keep their own profile and those of the family members they book for; coordinators
keep every profile of their organisation. Which profiles each one sees is the domain's rule.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from app.clock import now
from app.db import get_session
from app.domain.errors import Conflict, ValidationError
from app.domain.models import Role
from app.domain.profiles import create_profile, get_profile, list_profiles, update_profile
from app.web.errors import handle_domain_errors
from app.web.fields import add_domain_error, error_status, search_text
from app.web.i18n import adopt_own_profile, page_language
from app.web.paging import pager, requested_page
from app.web.profile_forms import SEX_NAMES, ProfileForm, profile_form_data
from app.web.users import current_actor, portal_user, role_required

bp = Blueprint("profiles", __name__)
handle_domain_errors(bp)

PROFILE_ROLES = (Role.PATIENT, Role.COORDINATOR)


@bp.get("/profiles")
@role_required(*PROFILE_ROLES)
def profile_list() -> tuple[str, int]:
    """A page of the profiles the user may see, by last and first name, or of those the search
    `q` finds by name or reference; each links to its appointments. A search holding a control
    character is no search: 400, with the message beside the search field."""
    search, search_errors = search_text(request.args)
    profiles = list_profiles(
        get_session(), actor=current_actor(), search=search or None, **requested_page()
    )
    page = render_template(
        "profiles/list.html",
        profiles=profiles,
        pages=pager(profiles, gettext("Pages of profiles")),
        sex_names=SEX_NAMES,
        search=search,
        search_errors=search_errors,
    )
    return page, 400 if search_errors else 200


@bp.route("/profiles/new", methods=["GET", "POST"])
@role_required(*PROFILE_ROLES)
def new_profile() -> Response | tuple[str, int]:
    """Add a profile; a patient's is theirs (the domain makes them its owner). A patient's first
    profile is taken to be their own and starts with their account's e-mail address."""
    session, actor, user = get_session(), current_actor(), portal_user()
    first_own = user.role is Role.PATIENT and not list_profiles(session, actor=actor)
    # A new profile speaks the language the user reads the portal in, until they choose another.
    initial = {"language": page_language(), **({"email": user.email} if first_own else {})}
    form = ProfileForm(data=initial)
    status = 200
    if form.validate_on_submit():
        try:
            create_profile(session, form.profile_data(), actor=actor, now=now())
        except (ValidationError, Conflict) as error:
            add_domain_error(form, error)
            status = error_status(error)
        else:
            adopt_own_profile(user)
            # Flash messages live in the session cookie, which is signed, not secret: no name.
            flash(gettext("The profile is saved."), "success")
            return redirect(url_for("profiles.profile_list"))
    elif form.errors:
        status = 422
    return render_template("profiles/new.html", form=form, first_own=first_own), status


@bp.route("/profiles/<uuid:profile_id>/edit", methods=["GET", "POST"])
@role_required(*PROFILE_ROLES)
def edit_profile(profile_id: uuid.UUID) -> Response | tuple[str, int]:
    """Change a profile the user may see (else 403, or 404 when there is none)."""
    session, actor = get_session(), current_actor()
    profile = get_profile(session, profile_id, actor=actor)
    form = ProfileForm(data=profile_form_data(profile))
    status = 200
    if form.validate_on_submit():
        try:
            profile = update_profile(
                session, profile_id, form.profile_data(), actor=actor, now=now()
            )
        except (ValidationError, Conflict) as error:
            add_domain_error(form, error)
            status = error_status(error)
        else:
            flash(gettext("The changes to the profile are saved."), "success")
            return redirect(url_for("profiles.profile_list"))
    elif form.errors:
        status = 422
    return render_template("profiles/edit.html", form=form, profile=profile), status
