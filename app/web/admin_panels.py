"""Admins' catalogue pages: the panels, adding and editing one, and adding a biomarker."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from app.db import get_session
from app.domain.catalogue import list_panels
from app.domain.errors import Conflict, ValidationError
from app.domain.models import Panel, Role
from app.domain.panel_admin import (
    create_biomarker,
    create_panel,
    get_panel,
    list_biomarkers,
    update_panel,
)
from app.web.admin_forms import BiomarkerForm, PanelForm
from app.web.errors import handle_domain_errors
from app.web.fields import AS_NAMED, add_domain_error, error_status
from app.web.paging import pager, requested_page
from app.web.users import current_actor, role_required

bp = Blueprint("admin_panels", __name__, url_prefix="/admin")
handle_domain_errors(bp)

BIOMARKER_PAGES = "biomarkers_"  # the biomarkers' cursor, beside the panels' on one page


@bp.get("/panels")
@role_required(Role.ADMIN)
def panel_list() -> str:
    """The panels with their biomarkers, and the catalogue's biomarkers: each list a page at a
    time, paged on its own (`biomarkers_` before the biomarkers' cursor)."""
    session, actor = get_session(), current_actor()
    panels = list_panels(session, actor=actor, **requested_page())
    biomarkers = list_biomarkers(session, actor=actor, **requested_page(BIOMARKER_PAGES))
    return render_template(
        "admin/panels.html",
        panels=panels,
        panel_pages=pager(panels, gettext("Pages of panels")),
        biomarkers=biomarkers,
        biomarker_pages=pager(biomarkers, gettext("Pages of biomarkers"), BIOMARKER_PAGES),
    )


def _panel_page(form: PanelForm, panel: Panel | None, status: int) -> tuple[str, int]:
    return render_template("admin/panel_form.html", form=form, panel=panel), status


@bp.route("/panels/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_panel() -> Response | tuple[str, int]:
    """Add a panel made of biomarkers from the catalogue."""
    session, actor = get_session(), current_actor()
    form = PanelForm.for_catalogue(list_biomarkers(session, actor=actor))
    status = 200
    if form.validate_on_submit():
        try:
            panel = create_panel(session, form.panel_data(), actor=actor)
        except (ValidationError, Conflict) as exc:
            add_domain_error(form, exc, names=AS_NAMED)
            status = error_status(exc)
        else:
            flash(gettext("The panel %(name)s is added.", name=panel.name), "success")
            return redirect(url_for("admin_panels.panel_list"))
    elif form.is_submitted():
        status = 422
    return _panel_page(form, None, status)


@bp.route("/panels/<uuid:panel_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_panel(panel_id: uuid.UUID) -> Response | tuple[str, int]:
    """Change a panel's name, description, fasting rule and biomarkers."""
    session, actor = get_session(), current_actor()
    panel = get_panel(session, panel_id, actor=actor)
    form = PanelForm.for_catalogue(list_biomarkers(session, actor=actor), panel)
    status = 200
    if form.validate_on_submit():
        try:
            panel = update_panel(session, panel_id, form.panel_data(), actor=actor)
        except (ValidationError, Conflict) as exc:
            add_domain_error(form, exc, names=AS_NAMED)
            status = error_status(exc)
        else:
            flash(gettext("The panel %(name)s is saved.", name=panel.name), "success")
            return redirect(url_for("admin_panels.panel_list"))
    elif form.is_submitted():
        status = 422
    return _panel_page(form, panel, status)


@bp.route("/biomarkers/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_biomarker() -> Response | tuple[str, int]:
    """Add a biomarker to the catalogue, for panels to measure."""
    session, actor = get_session(), current_actor()
    form = BiomarkerForm()
    status = 200
    if form.validate_on_submit():
        try:
            biomarker = create_biomarker(session, form.biomarker_data(), actor=actor)
        except (ValidationError, Conflict) as exc:
            add_domain_error(form, exc, names=AS_NAMED)
            status = error_status(exc)
        else:
            flash(
                gettext(
                    "%(name)s (LOINC %(code)s) is in the catalogue: choose it on a panel's page.",
                    name=biomarker.name,
                    code=biomarker.loinc_code,
                ),
                "success",
            )
            return redirect(url_for("admin_panels.panel_list") + "#biomarkers")
    elif form.is_submitted():
        status = 422
    return render_template("admin/biomarker_new.html", form=form), status
