"""Admins' organisation pages: the organisations, adding one, and each one's API keys: issuing
a key (shown once, in the POST's own response) and revoking one (confirmed)."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from app.clock import now
from app.db import get_session
from app.domain.errors import Conflict, ValidationError
from app.domain.models import Role
from app.domain.organisation_admin import (
    add_organisation,
    get_api_key,
    get_organisation_by_id,
    issue_api_key,
    list_api_keys,
    list_organisations,
    revoke_api_key,
)
from app.web.admin_account_forms import KEY_FIELDS, ApiKeyForm, OrganisationForm
from app.web.errors import handle_domain_errors
from app.web.fields import AS_NAMED, add_domain_error, error_status
from app.web.forms import ActionForm
from app.web.paging import pager, requested_page
from app.web.users import current_actor, role_required

bp = Blueprint("admin_orgs", __name__, url_prefix="/admin")
handle_domain_errors(bp)


def _to_organisation(organisation_id: uuid.UUID) -> Response:
    return redirect(url_for("admin_orgs.organisation", organisation_id=organisation_id))


@bp.get("/organisations")
@role_required(Role.ADMIN)
def organisation_list() -> str:
    """A page of the organisations by slug, with their users and API keys in use counted."""
    rows = list_organisations(get_session(), actor=current_actor(), **requested_page())
    pages = pager(rows, gettext("Pages of organisations"))
    return render_template("admin/organisations.html", rows=rows, pages=pages)


@bp.route("/organisations/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_organisation() -> Response | tuple[str, int]:
    """Add an organisation: a customer whose users and API keys see its profiles."""
    session, actor = get_session(), current_actor()
    form = OrganisationForm()
    status = 200
    if form.validate_on_submit():
        try:
            organisation = add_organisation(
                session, form.slug.data, form.name.data, actor=actor, now=now()
            )
        except (ValidationError, Conflict) as exc:
            add_domain_error(form, exc, names=AS_NAMED)
            status = error_status(exc)
        else:
            flash(gettext("The organisation %(name)s is added.", name=organisation.name), "success")
            return _to_organisation(organisation.id)
    elif form.is_submitted():
        status = 422
    return render_template("admin/organisation_new.html", form=form), status


@bp.get("/organisations/<uuid:organisation_id>")
@role_required(Role.ADMIN)
def organisation(organisation_id: uuid.UUID) -> str:
    """An organisation and a page of its API keys, newest first, revoked ones too."""
    session, actor = get_session(), current_actor()
    organisation = get_organisation_by_id(session, organisation_id, actor=actor)
    api_keys = list_api_keys(session, organisation_id, actor=actor, **requested_page())
    return render_template(
        "admin/organisation.html",
        organisation=organisation,
        api_keys=api_keys,
        pages=pager(api_keys, gettext("Pages of API keys")),
    )


@bp.route("/organisations/<uuid:organisation_id>/keys/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_api_key(organisation_id: uuid.UUID) -> Response | tuple[str, int]:
    """Issue an API key. The key is rendered in this POST's response only, never stored in
    plain text, put in a URL or a (cookie-held) flash message, and the page is not cached."""
    session, actor = get_session(), current_actor()
    organisation = get_organisation_by_id(session, organisation_id, actor=actor)
    form = ApiKeyForm()
    status = 200
    if form.validate_on_submit():
        try:
            api_key, secret = issue_api_key(
                session,
                organisation_id,
                form.scopes.data or [],
                name=form.name.data,
                actor=actor,
                now=now(),
            )
        except ValidationError as exc:
            add_domain_error(form, exc, names=KEY_FIELDS)
            status = error_status(exc)
        else:
            flash(
                gettext(
                    "The API key %(key)s of %(organisation)s is issued.",
                    key=api_key.name,
                    organisation=organisation.name,
                ),
                "success",
            )
            page = render_template(
                "admin/api_key_created.html",
                organisation=organisation,
                api_key=api_key,
                secret=secret,
            )
            response = make_response(page)
            response.headers["Cache-Control"] = "no-store"
            return response
    elif form.is_submitted():
        status = 422
    page = render_template("admin/api_key_new.html", form=form, organisation=organisation)
    return page, status


@bp.route(
    "/organisations/<uuid:organisation_id>/keys/<uuid:key_id>/revoke", methods=["GET", "POST"]
)
@role_required(Role.ADMIN)
def revoke_key(organisation_id: uuid.UUID, key_id: uuid.UUID) -> Response | str:
    """GET asks "Revoke the key ...?"; POST revokes it for good."""
    session, actor = get_session(), current_actor()
    organisation = get_organisation_by_id(session, organisation_id, actor=actor)
    api_key = get_api_key(session, organisation_id, key_id, actor=actor)
    form = ActionForm()
    if form.validate_on_submit():
        revoke_api_key(session, organisation_id, key_id, actor=actor, now=now())
        flash(
            gettext(
                "The API key %(key)s is revoked: requests with it are refused from now on.",
                key=api_key.name,
            ),
            "success",
        )
        return _to_organisation(organisation_id)
    return render_template(
        "admin/api_key_revoke.html", form=form, organisation=organisation, api_key=api_key
    )
