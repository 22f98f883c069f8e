"""The booking journey's views: profile, test location, date and time, then a review whose "Book"
button calls the booking service. Each step posts to itself and, once the domain accepts its
choice, redirects to the next with every choice in the query string (ids and the UTC slot)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from werkzeug.wrappers import Response

from app.clock import now
from app.db import get_session
from app.domain.access import Actor
from app.domain.appointments import book_appointment, find_booked, get_appointment
from app.domain.catalogue import get_location, list_locations, list_panels
from app.domain.errors import (
    AlreadyBooked,
    Conflict,
    DomainError,
    NotFound,
    SlotUnavailable,
    ValidationError,
)
from app.domain.models import Profile, Role
from app.domain.profiles import get_profile, list_profiles
from app.domain.rules import format_utc, parse_instant, parse_uuid
from app.web.booking_display import address_lines, fasting_note, location_card, matching_locations
from app.web.booking_forms import (
    Choices,
    Journey,
    LocationStepForm,
    ProfileStepForm,
    ReviewForm,
    SlotStepForm,
)
from app.web.display import local_time
from app.web.fields import add_domain_error, error_status, search_text
from app.web.paging import pager, requested_page
from app.web.slot_finder import SlotFinder
from app.web.users import current_actor, portal_user, role_required

BOOKERS = (Role.PATIENT, Role.COORDINATOR, Role.ADMIN)
SHOW_SLOTS = "show"  # the name of the slot picker's "Show free times" button
# (endpoint, title, the journey field the step chooses) of each step, in order.
STEPS = (
    ("booking.new_appointment", lazy_gettext("Patient profile"), "profile_id"),
    ("booking.choose_location", lazy_gettext("Test location"), "location_id"),
    ("booking.choose_time", lazy_gettext("Date and time"), "slot"),
    ("booking.review_booking", lazy_gettext("Review and book"), ""),
)
MAX_PROFILE_SEARCH = 100  # characters of a name or reference that step 1 searches for
T = TypeVar("T")


@dataclass(frozen=True)
class Step:
    """One entry of the step indicator; earlier steps link back with the choices kept."""

    number: int
    title: str
    url: str | None
    current: bool


def form_input() -> dict[str, Any]:
    """A GET reads a form's choices from the query string (links, redirects); a POST from the
    submitted form."""
    return {"formdata": request.args} if request.method == "GET" else {}


def submit_slot(form: Any, use_case: Callable[[], T]) -> tuple[T | None, int]:
    """Run `use_case`; a domain error goes beside its field, and a full slot offers the domain's
    next free times (`form.next_times`). Returns (its result or None, the page status)."""
    try:
        return use_case(), 200
    except SlotUnavailable as exc:
        add_domain_error(form, exc)
        form.next_times = exc.next_available
        return None, error_status(exc)
    except (ValidationError, NotFound, Conflict) as exc:
        add_domain_error(form, exc)
        return None, error_status(exc)


def _journey() -> Journey:
    return Journey.read(request.args if request.method == "GET" else request.form)


def _go(endpoint: str, journey: Journey, **changes: str | list[str] | None) -> Response:
    return redirect(url_for(endpoint, **journey.query(**changes)), 303)


def _missing_step(journey: Journey, before: int) -> Response | None:
    """A redirect to the first step before step `before` whose choice is missing, if any."""
    for endpoint, _title, field in STEPS[: before - 1]:
        if not journey.get(field):
            return _go(endpoint, journey)
    return None


def _page(template: str, number: int, journey: Journey, **context: Any) -> str:
    steps = [
        Step(
            n, str(title), url_for(endpoint, **journey.query()) if n < number else None, n == number
        )
        for n, (endpoint, title, _field) in enumerate(STEPS, start=1)
    ]
    return render_template(
        template, steps=steps, step=steps[number - 1], journey=journey, **context
    )


def _profile(actor: Actor, journey: Journey) -> Profile:
    profile_id = parse_uuid(journey.get("profile_id"), "profile_id")
    return get_profile(get_session(), profile_id, actor=actor)


@role_required(*BOOKERS)
def choose_profile() -> Response | tuple[str, int]:
    """Step 1: the patient profile, among those the user may book for: a page of them by name,
    or of those the search `q` finds by name or reference (the domain's profile search; 400 with
    the message beside it for one holding a control character). The
    form posts to the page it was shown on (search and cursor in its URL), so its choices are
    the ones the user saw; a profile chosen before (the review's "Change") stays offered."""
    session, actor, journey = get_session(), current_actor(), _journey()
    search, search_errors = search_text(request.args, most=MAX_PROFILE_SEARCH)
    shown = list_profiles(session, actor=actor, search=search or None, **requested_page())
    options = [*_chosen_profile(actor, journey, shown), *shown]
    form = ProfileStepForm(
        profile_options=options,
        find_profile=lambda value: get_profile(
            session, parse_uuid(value, "profile_id"), actor=actor
        ),
        **form_input(),
    )
    if form.validate_on_submit():
        return _go("booking.choose_location", journey, profile_id=form.profile.data)
    status = 422 if form.is_submitted() else 400 if search_errors else 200
    context = {
        "form": form,
        "search": search,
        "search_errors": search_errors,
        "pages": pager(shown, gettext("Pages of patient profiles")),
        "post_url": url_for(
            "booking.new_appointment",
            q=search or None,
            after=request.args.get("after") or None,
            before=request.args.get("before") or None,
        ),
    }
    return _page("booking/new.html", 1, journey, **context), status


def _chosen_profile(actor: Actor, journey: Journey, shown: Sequence[Profile]) -> list[Profile]:
    """The journey's profile when this page of profiles does not show it, and the user may
    still book for it (else nothing: the select then asks for a choice)."""
    chosen = journey.get("profile_id")
    if not chosen or any(str(profile.id) == chosen for profile in shown):
        return []
    try:
        return [_profile(actor, journey)]
    except DomainError:
        return []


@role_required(*BOOKERS)
def choose_location() -> Response | tuple[str, int]:
    """Step 2: the test location, from a list searchable by city and name; each shows its
    address, opening hours and next free slot."""
    session, actor, journey = get_session(), current_actor(), _journey()
    if missing := _missing_step(journey, 2):
        return missing
    profile = _profile(actor, journey)
    finder = SlotFinder(session, actor=actor, now=now())
    form = LocationStepForm(slots=finder, **form_input())
    if form.validate_on_submit():
        chosen = form.location.data
        # A slot and date belong to the location they were chosen at.
        kept = {} if chosen == journey.get("location_id") else {"date": None, "slot": None}
        return _go("booking.choose_time", journey, location_id=chosen, **kept)
    search, search_errors = search_text(request.args)
    shown = matching_locations(list_locations(session, actor=actor), search)
    next_free = finder.next_free(shown)
    cards = [location_card(location, finder, next_free[location.id]) for location in shown]
    page = _page(
        "booking/location.html",
        2,
        journey,
        form=form,
        profile=profile,
        cards=cards,
        search=search,
        search_errors=search_errors,
    )
    return page, 422 if form.is_submitted() else 400 if search_errors else 200


@role_required(*BOOKERS)
def choose_time() -> Response | tuple[str, int]:
    """Step 3: a free slot at the chosen location (date picker, Morning and Afternoon radios)
    and the panels to order."""
    session, actor, at, journey = get_session(), current_actor(), now(), _journey()
    if missing := _missing_step(journey, 3):
        return missing
    profile = _profile(actor, journey)
    finder = SlotFinder(session, actor=actor, now=at)
    location = finder.location(journey.get("location_id"))
    form = SlotStepForm(
        location_options=[location],
        slots=finder,
        panel_options=list_panels(session, actor=actor),
        **form_input(),
    )
    if SHOW_SLOTS in request.form:
        # "Show free times" posts the whole form, so no CSRF token lands in the URL.
        return _go("booking.choose_time", journey)
    if form.validate_on_submit():
        return _go("booking.review_booking", journey)
    slot_day = form.offer_slots()

    def day_url(day: date) -> str:
        return url_for("booking.choose_time", **journey.query(date=day.isoformat(), slot=None))

    context = {"form": form, "profile": profile, "location": location, "slot_day": slot_day}
    page = _page("booking/time.html", 3, journey, day_url=day_url, **context)
    return page, 422 if form.is_submitted() else 200


def _choices(actor: Actor, journey: Journey) -> Choices:
    """The journey's choices, looked up through the domain (its errors become error pages)."""
    session = get_session()
    location_id = parse_uuid(journey.get("location_id"), "location_id")
    panel_ids = tuple(parse_uuid(value, "panel_ids") for value in journey.panel_ids)
    chosen = set(panel_ids)
    return Choices(
        profile=_profile(actor, journey),
        location=get_location(session, location_id, actor=actor),
        scheduled_at=parse_instant(journey.get("slot")),
        panels=[panel for panel in list_panels(session, actor=actor) if panel.id in chosen],
        panel_ids=panel_ids,
    )


@role_required(*BOOKERS)
def review_booking() -> Response | tuple[str, int]:
    """Step 4: every choice with the fasting instruction when a panel needs it, and "Book",
    which calls the booking service; a slot taken meanwhile offers its next free times."""
    session, actor, at, journey = get_session(), current_actor(), now(), _journey()
    if missing := _missing_step(journey, 4):
        return missing
    choices = _choices(actor, journey)
    form = ReviewForm()
    status = 200
    if form.validate_on_submit():
        once = form.once(portal_user().id)
        try:
            appointment, status = submit_slot(
                form,
                lambda: book_appointment(
                    session, choices.booking_request(), actor=actor, now=at, once=once
                ),
            )
        except AlreadyBooked as booked:
            return _already_booked(booked.appointment_id), 200
        if appointment is not None:
            when = local_time(appointment.scheduled_at, choices.location.timezone)
            flash(gettext("Appointment booked for %(when)s.", when=when), "success")
            return redirect(url_for("booking.appointment_detail", appointment_id=appointment.id))
        # Refused, perhaps for the very appointment asked for: booked from another review of
        # these choices (another tab; the review opened afresh after Back) a moment before.
        if existing := find_booked(session, choices.booking_request(), actor=actor):
            return _already_booked(existing.id), 200
    elif not form.is_submitted() and (
        existing := find_booked(session, choices.booking_request(), actor=actor)
    ):
        return _already_booked(existing.id), 200
    else:
        status = 422 if form.is_submitted() else 200
        # Time passes while a review is open: its slot is checked again with the booking
        # service's rules before "Book" is offered (chairs are counted when booking).
        try:
            SlotFinder(session, actor=actor, now=at).ensure_bookable(
                choices.location, choices.scheduled_at
            )
        except DomainError as exc:
            add_domain_error(form, exc)

    def slot_url(start: datetime) -> str:
        day = start.astimezone(ZoneInfo(choices.location.timezone)).date().isoformat()
        return url_for("booking.review_booking", **journey.query(slot=format_utc(start), date=day))

    context = {"form": form, "choices": choices, "slot_url": slot_url}
    context["address"] = address_lines(choices.location)
    return _page("booking/review.html", 4, journey, **context), status


def _already_booked(appointment_id: uuid.UUID) -> str:
    """The appointment the review's choices booked before (its "Book" pressed again, or another
    review of the same choices), with its link."""
    appointment = get_appointment(get_session(), appointment_id, actor=current_actor())
    fasting = fasting_note(item.panel for item in appointment.panels)
    return render_template("booking/already_booked.html", appointment=appointment, fasting=fasting)
