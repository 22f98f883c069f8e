"""Admins' user pages: every portal user, adding one, and changing a user's role (confirmed)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from app.clock import now
from app.db import get_session
from app.domain.access import Actor
from app.domain.accounts import create_user
from app.domain.catalogue import list_locations
from app.domain.errors import Conflict, NotFound, ValidationError
from app.domain.models import Role, User
from app.domain.organisation_admin import list_organisations
from app.domain.rules import parse_uuid
from app.domain.user_admin import get_user, list_users, update_user_role
from app.web.admin_account_forms import (
    ROLE_NAMES,
    USER_FIELDS,
    NewUserForm,
    RoleForm,
    UserRoleForm,
    user_role_data,
)
from app.web.errors import handle_domain_errors
from app.web.fields import add_domain_error, error_status
from app.web.paging import pager, requested_page
from app.web.users import current_actor, role_required

bp = Blueprint("admin_users", __name__, url_prefix="/admin")
handle_domain_errors(bp)


def _choices(session: Session, actor: Actor) -> dict[str, Any]:
    return {
        "organisations": [row.organisation for row in list_organisations(session, actor=actor)],
        "locations": list_locations(session, actor=actor),
    }


def works_for(role: str, organisation_name: str | None, location_names: list[str]) -> str:
    """What a role works for, in words: `Acme`, `Vena Berlin Mitte and Vena Midtown`, or `-`."""
    if role == Role.FRONT_DESK:
        if len(location_names) > 1:
            return gettext(
                "%(first)s and %(last)s",
                first=", ".join(location_names[:-1]),
                last=location_names[-1],
            )
        return location_names[0] if location_names else gettext("no test location")
    if role in (Role.PATIENT, Role.COORDINATOR):
        return organisation_name or gettext("no organisation")
    return gettext("everything")


def _user_works_for(user: User) -> str:
    organisation = user.organisation.name if user.organisation else None
    return works_for(user.role, organisation, [location.name for location in user.locations])


def _form_works_for(form: RoleForm, choices: dict[str, Any]) -> str:
    organisations = {org.slug: org.name for org in choices["organisations"]}
    locations = {str(location.id): location.name for location in choices["locations"]}
    return works_for(
        form.role.data,
        organisations.get(form.organisation.data),
        [locations[value] for value in form.locations.data or [] if value in locations],
    )


@bp.get("/users")
@role_required(Role.ADMIN)
def user_list() -> str:
    """A page of the portal users by e-mail: role, and the organisation or locations each one
    works for."""
    users = list_users(get_session(), actor=current_actor(), **requested_page())
    rows = [(user, ROLE_NAMES[Role(user.role)], _user_works_for(user)) for user in users]
    pages = pager(users, gettext("Pages of users"))
    return render_template("admin/users.html", rows=rows, pages=pages)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_user() -> Response | tuple[str, int]:
    """Add a portal user with a first password (the domain's password rule applies)."""
    session, actor = get_session(), current_actor()
    form = NewUserForm.for_choices(**_choices(session, actor), data={"role": Role.COORDINATOR})
    status = 200
    if form.validate_on_submit():
        links = form.link_data()
        try:
            user = create_user(
                session,
                form.email.data or "",
                form.password.data or "",
                form.role.data,
                now=now(),
                organisation_slug=links["organisation_slug"],
                location_ids=[parse_uuid(value, "locations") for value in links["location_ids"]],
            )
        except (ValidationError, Conflict, NotFound) as exc:
            add_domain_error(form, exc, names=USER_FIELDS)
            status = error_status(exc)
        else:
            # No e-mail address in the session cookie (signed, but readable): it may be a
            # patient's; the list that follows shows it.
            flash(
                gettext(
                    "The new user can sign in now as %(role)s.", role=ROLE_NAMES[Role(user.role)]
                ),
                "success",
            )
            return redirect(url_for("admin_users.user_list"))
    elif form.is_submitted():
        status = 422
    return render_template("admin/user_new.html", form=form), status


@bp.route("/users/<uuid:user_id>/role", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def change_role(user_id: uuid.UUID) -> Response | tuple[str, int]:
    """Choose a new role (GET, then POST); a confirmation page repeats the change, and its POST
    (`confirmed`) applies it."""
    session, actor = get_session(), current_actor()
    user = get_user(session, user_id, actor=actor)
    choices = _choices(session, actor)
    form = UserRoleForm.for_choices(**choices, data=user_role_data(user))
    status = 200
    if form.validate_on_submit():
        before = (ROLE_NAMES[Role(user.role)], _user_works_for(user))
        after = (ROLE_NAMES[Role(form.role.data)], _form_works_for(form, choices))
        if form.confirmed.data != "yes":
            page = render_template(
                "admin/user_role_confirm.html", form=form, user=user, before=before, after=after
            )
            return page, 200
        links = form.link_data()
        try:
            update_user_role(
                session,
                user_id,
                form.role.data,
                actor=actor,
                organisation_slug=links["organisation_slug"],
                location_ids=links["location_ids"],
            )
        except (ValidationError, Conflict, NotFound) as exc:
            add_domain_error(form, exc, names=USER_FIELDS)
            status = error_status(exc)
        else:
            flash(
                gettext(
                    "The user is now %(role)s (%(works_for)s).",
                    role=after[0],
                    works_for=after[1],
                ),
                "success",
            )
            return redirect(url_for("admin_users.user_list"))
    elif form.is_submitted():
        status = 422
    return render_template("admin/user_role.html", form=form, user=user), status
