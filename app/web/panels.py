"""Changing an appointment's panels before the blood draw: tick the catalogue's panels to order,
untick those to remove; the domain adds and removes them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, SelectChoice

from app.clock import now
from app.db import get_session
from app.domain.appointments import get_appointment
from app.domain.catalogue import list_panels
from app.domain.errors import Conflict, NotFound, ValidationError
from app.domain.lifecycle import add_panels, remove_panels
from app.domain.models import Panel
from app.domain.rules import CANNOT_CHANGE_PANELS, CHANGEABLE, ensure_status
from app.web.booking_steps import BOOKERS
from app.web.errors import handle_domain_errors
from app.web.fields import add_domain_error, error_status
from app.web.forms import CheckboxesField
from app.web.users import current_actor, role_required

bp = Blueprint("panels", __name__)
handle_domain_errors(bp)


class PanelsForm(FlaskForm):
    """The panels to order, as checkboxes, and `listed`: the ids attached when the page was
    shown, so that a save changes only what this person ticked or unticked, not what someone
    else changed meanwhile."""

    panels = CheckboxesField(lazy_gettext("Panels to order"), name="panel_id")
    listed = HiddenField()

    def __init__(
        self, *, catalogue: Sequence[Panel], attached: Sequence[uuid.UUID], **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.panels.choices = [SelectChoice(str(p.id), p.name) for p in catalogue]
        if not self.is_submitted():
            self.show_attached(attached)

    def show_attached(self, attached: Sequence[uuid.UUID]) -> None:
        """Tick the attached panels and remember them as the ones shown."""
        self.panels.data = [str(panel_id) for panel_id in attached]
        self.listed.data = " ".join(str(panel_id) for panel_id in attached)

    def ticked(self) -> set[uuid.UUID]:
        """The panels ticked (each one of the choices: the form validated)."""
        return {uuid.UUID(value) for value in self.panels.data or ()}

    def shown(self) -> set[uuid.UUID]:
        """The panels that were attached when the page was shown; 400 if tampered with."""
        try:
            return {uuid.UUID(value) for value in (self.listed.data or "").split()}
        except ValueError:
            abort(400)


@bp.route("/appointments/<uuid:appointment_id>/panels", methods=["GET", "POST"])
@role_required(*BOOKERS)
def edit_panels(appointment_id: uuid.UUID) -> Response | tuple[str, int]:
    """GET shows the catalogue's panels with the attached ones ticked, or why they can no
    longer change; POST adds then removes the difference, each in its own transaction, and
    shows the domain's refusal (409 once drawn or cancelled) beside the panels."""
    session, actor = get_session(), current_actor()
    appointment = get_appointment(session, appointment_id, actor=actor)
    catalogue = list_panels(session, actor=actor)
    attached = [item.panel_id for item in appointment.panels]
    form = PanelsForm(catalogue=catalogue, attached=attached)
    status, note = 200, None
    if form.validate_on_submit():
        to_add, to_remove = _difference(catalogue, attached, form.ticked(), form.shown())
        added = False
        try:
            ensure_status(appointment.status, CHANGEABLE, CANNOT_CHANGE_PANELS)
            if to_add:
                add_panels(session, appointment_id, to_add, actor=actor, now=now())
                added = True
            if to_remove:
                remove_panels(session, appointment_id, to_remove, actor=actor, now=now())
        except (Conflict, NotFound, ValidationError) as exc:
            add_domain_error(form, exc, fallback="panels")
            status = error_status(exc)
            note = (
                gettext("The panels you ticked were added; none were removed.") if added else None
            )
        else:
            if to_add or to_remove:
                flash(gettext("Panels updated."), "success")
            else:
                flash(gettext("No change: the panels are as they were."), "info")
            return redirect(url_for("booking.appointment_detail", appointment_id=appointment_id))
        appointment = get_appointment(session, appointment_id, actor=actor)
        form.listed.data = " ".join(str(item.panel_id) for item in appointment.panels)
    elif form.is_submitted():
        status = 422
    page = render_template(
        "panels/edit.html",
        form=form,
        appointment=appointment,
        catalogue=catalogue,
        ticked={str(value) for value in form.panels.data or ()},
        changeable=appointment.status in CHANGEABLE,
        note=note,
    )
    return page, status


def _difference(
    catalogue: Sequence[Panel],
    attached: Sequence[uuid.UUID],
    ticked: set[uuid.UUID],
    shown: set[uuid.UUID],
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """The panels to add (ticked now, not shown attached, and not attached meanwhile), in the
    catalogue's order, and those to remove (shown attached, unticked, and still attached)."""
    to_add = [p.id for p in catalogue if p.id in ticked - shown and p.id not in attached]
    to_remove = [panel_id for panel_id in attached if panel_id in shown - ticked]
    return to_add, to_remove
