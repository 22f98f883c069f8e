"""The appointment list for patients, coordinators and admins."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.clock import now
from app.db import get_session
from app.domain.appointments import list_appointments
from app.web.booking import BOOKERS
from app.web.errors import handle_domain_errors
from app.web.users import current_actor, role_required

bp = Blueprint("appointments", __name__)
handle_domain_errors(bp)


@bp.get("/appointments")
@role_required(*BOOKERS)
def appointment_list() -> str:
    """The appointments the user may see, soonest first (the domain's window and access)."""
    appointments = list_appointments(get_session(), actor=current_actor(), now=now())
    return render_template("appointments/list.html", appointments=appointments)
