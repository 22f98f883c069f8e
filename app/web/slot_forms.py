"""The slot picker: a location, a date and that day's free slots as radio buttons, shared by the
booking and reschedule forms; it asks the domain for availability and checks nothing itself."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import (
    DateField,
    Field,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
)
from wtforms import ValidationError as FieldError
from wtforms.validators import InputRequired, Optional

from app.domain.access import Actor
from app.domain.appointments import BookingRequest
from app.domain.availability import (
    MAX_DAYS_AHEAD,
    DayAvailability,
    Slot,
    day_slots,
    location_availability,
)
from app.domain.catalogue import get_location
from app.domain.errors import DomainError, ValidationError
from app.domain.models import Panel, Profile, TestLocation
from app.domain.rules import parse_instant, parse_uuid
from app.web.display import day_label
from app.web.forms import CheckboxesField

SEARCH_DAYS = timedelta(days=14)  # the slot picker asks for availability two weeks at a time


@dataclass(frozen=True)
class SlotDay:
    """What the slot picker shows for one local date at a location: its free slots, or why it
    has none (`closed`: no opening hours or a closed date; else every chair is taken), and the
    next date with a free slot among those that can be booked (`first_day` to `last_day`)."""

    location: TestLocation
    day: date
    first_day: date
    last_day: date
    slots: list[Slot]
    closed: bool
    closed_reason: str | None
    next_free_day: date | None

    def groups(self) -> list[tuple[str, list[Slot]]]:
        """The free slots as "Morning" (before 12:00 local time) and "Afternoon", each left out
        when it has none."""
        zone = ZoneInfo(self.location.timezone)
        morning = [slot for slot in self.slots if slot.start.astimezone(zone).hour < 12]
        afternoon = [slot for slot in self.slots if slot.start.astimezone(zone).hour >= 12]
        groups = [("Morning", morning), ("Afternoon", afternoon)]
        return [(name, slots) for name, slots in groups if slots]

    @property
    def offsets_differ(self) -> bool:
        """Whether the clocks change during the listed slots, so each time needs its offset."""
        zone = ZoneInfo(self.location.timezone)
        return len({slot.start.astimezone(zone).utcoffset() for slot in self.slots}) > 1


class SlotFinder:
    """The slot picker's look-ups in the domain, for one request's session, actor and clock."""

    def __init__(self, session: Session, *, actor: Actor, now: datetime) -> None:
        self._session = session
        self._actor = actor
        self._now = now

    def location(self, value: str) -> TestLocation:
        """The test location a form value names. Raises ValidationError, NotFound, Forbidden."""
        location_id = parse_uuid(value, "location_id")
        return get_location(self._session, location_id, actor=self._actor)

    def day(
        self, location: TestLocation, wanted: date | None, *, preferred: date | None = None
    ) -> SlotDay:
        """The free slots of `wanted` (a local date); without it, of `preferred` if that can be
        booked, else of the first date with a free slot (today there if none has).

        The dates that can be booked run from today at the location to the end of its booking
        horizon (at most the availability window's 90 days). Raises ValidationError("date")
        for a date outside them.
        """
        zone = ZoneInfo(location.timezone)
        first = self._now.astimezone(zone).date()
        horizon = (self._now + timedelta(days=location.booking_horizon_days)).astimezone(zone)
        last = min(horizon.date(), first + timedelta(days=MAX_DAYS_AHEAD))
        if wanted is not None and not first <= wanted <= last:
            raise ValidationError(
                "date", f"Choose a date from {day_label(first)} to {day_label(last)}."
            )
        if wanted is None and preferred is not None and first <= preferred <= last:
            wanted = preferred
        free_days = self._free_days(location, wanted or first, last)
        found = next(free_days, None)
        chosen = wanted or (found.day if found else first)
        slots: list[Slot] = []
        if found is not None and found.day == chosen:
            slots, found = found.slots, next(free_days, None)
        closed = False
        if not slots:
            _location, every_slot = day_slots(self._session, location.id, chosen, actor=self._actor)
            closed = not every_slot
        return SlotDay(
            location=location,
            day=chosen,
            first_day=first,
            last_day=last,
            slots=slots,
            closed=closed,
            closed_reason=next((c.reason for c in location.closed_dates if c.date == chosen), None),
            next_free_day=found.day if found else None,
        )

    def _free_days(
        self, location: TestLocation, start: date, last: date
    ) -> Iterator[DayAvailability]:
        # Two weeks at a time: the day wanted and the next free one are nearly always in the
        # first, and a whole horizon's slots take several times longer to compute.
        while start <= last:
            end = min(start + SEARCH_DAYS - timedelta(days=1), last)
            availability = location_availability(
                self._session,
                location.id,
                actor=self._actor,
                now=self._now,
                start_date=start,
                end_date=end,
            )
            yield from (day for day in availability.days if day.slots)
            start = end + timedelta(days=1)


def _add_error(field: Field, message: str) -> None:
    if message not in field.errors:
        field.errors = [*field.errors, message]


class SlotPickerForm(FlaskForm):
    """A test location, a local date there, and one of that date's free slots as a radio list:
    shared by booking and rescheduling.

    A slot's value is its instant in UTC (`2026-11-23T09:30:00Z`), read with the domain's
    `parse_instant`; whether it is still a free slot is the booking service's to decide, so a
    slot taken meanwhile gets the domain's message and its next free times (`next_times`).
    `listed_for` names the location and date the listed slots belong to: a submission whose
    location or date was changed after the list was shown books nothing, and lists again.
    """

    location = SelectField(
        "Test location",
        name="location_id",
        validate_choice=False,
        validators=[InputRequired("Choose a test location.")],
    )
    day = DateField("Date (at the test location)", name="date", validators=[Optional()])
    time = RadioField(
        "Free times",
        name="slot",
        validate_choice=False,
        validators=[InputRequired("Choose one of the free times.")],
    )
    listed_for = HiddenField()

    def __init__(
        self,
        *,
        location_options: Sequence[TestLocation],
        slots: SlotFinder,
        preferred_day: date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.location.choices = [SelectChoice("", "Choose a test location")] + [
            SelectChoice(str(loc.id), f"{loc.city}: {loc.name} ({loc.timezone})")
            for loc in location_options
        ]
        if not self.is_submitted() and not self.location.data and len(location_options) == 1:
            self.location.data = str(location_options[0].id)
        self._slots = slots
        self._preferred_day = preferred_day
        self.chosen_location: TestLocation | None = None
        self.scheduled_at: datetime | None = None
        self.next_times: list[datetime] = []

    def _listing(self) -> str:
        day = self.day.data.isoformat() if self.day.data else ""
        return f"{self.location.data} {day}"

    def validate_location(self, field: SelectField) -> None:
        """The location must exist (the domain's look-up decides and words the message)."""
        try:
            self.chosen_location = self._slots.location(field.data)
        except DomainError as exc:
            raise FieldError(exc.message) from None

    def validate_time(self, field: RadioField) -> None:
        """The slot must be an instant with a zone, chosen from the list of this location and
        date (not one listed before either was changed)."""
        if self.listed_for.data != self._listing():
            raise FieldError(
                "The test location or date was changed after the free times were listed: "
                "choose one of the times listed now."
            )
        try:
            self.scheduled_at = parse_instant(field.data)
        except DomainError as exc:
            raise FieldError(exc.message) from None

    def offer_slots(self) -> SlotDay | None:
        """The free slots of the chosen location and date, for the radio list, or None when
        there is no usable location or date (its message is then beside its field). Without
        a date it is the preferred one, else the first with a free slot; the form keeps it."""
        if not self.location.data or self.location.errors or self.day.errors:
            return None
        if self.day.process_errors and "".join(self.day.raw_data or ()).strip():
            _add_error(self.day, "Enter a date such as 2026-11-23.")
            return None
        try:
            location = self.chosen_location or self._slots.location(self.location.data)
        except DomainError as exc:
            _add_error(self.location, exc.message)
            return None
        try:
            day = self._slots.day(location, self.day.data, preferred=self._preferred_day)
        except ValidationError as exc:
            _add_error(self.day, exc.message)
            return None
        self.location.data = str(location.id)
        self.day.data = day.day
        self.listed_for.data = self._listing()
        return day

    def query(self, day: date | None = None) -> dict[str, Any]:
        """The choices as the page's query string (`location_id`, `date`, `slot` ...), for
        "Show free times" and links to other dates; `day` replaces the date and drops the slot."""
        query = {
            field.name: _query_values(field.data)
            for field in self
            if not isinstance(field, HiddenField)
        }
        if day is not None:
            query.update({self.day.name: [day.isoformat()], self.time.name: []})
        return {name: values for name, values in query.items() if values}


def _query_values(data: object) -> list[str]:
    if data is None or data == "":
        return []
    if isinstance(data, list):
        return [str(value) for value in data]
    if isinstance(data, date):
        return [data.isoformat()]
    return [str(data)]


class BookingForm(SlotPickerForm):
    """A booking: a patient profile, a free slot at a test location, and optional panels."""

    profile = SelectField(
        "Patient profile",
        name="profile_id",
        validators=[InputRequired("Choose a patient profile.")],
    )
    panels = CheckboxesField("Panels to order", name="panel_id")

    def __init__(
        self,
        *,
        profile_options: Sequence[Profile],
        panel_options: Sequence[Panel],
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.profile.choices = [SelectChoice("", "Choose a profile")] + [
            SelectChoice(str(p.id), p.full_name) for p in profile_options
        ]
        if not self.is_submitted() and not self.profile.data and len(profile_options) == 1:
            self.profile.data = str(profile_options[0].id)
        self.panels.choices = [SelectChoice(str(p.id), p.name) for p in panel_options]

    def booking_request(self) -> BookingRequest:
        """The validated form as the domain's BookingRequest."""
        if self.chosen_location is None or self.scheduled_at is None:
            raise RuntimeError("booking_request() needs a form that validated")
        return BookingRequest(
            profile_id=uuid.UUID(self.profile.data),
            location_id=self.chosen_location.id,
            scheduled_at=self.scheduled_at,
            panel_ids=tuple(uuid.UUID(value) for value in self.panels.data or ()),
        )


class RescheduleForm(SlotPickerForm):
    """A new slot for an appointment: the location (its current one by default) and a free slot
    there; the date defaults to the appointment's own day while that can still be booked."""

    def new_slot(self) -> tuple[TestLocation, datetime]:
        """The validated form's location and slot start."""
        if self.chosen_location is None or self.scheduled_at is None:
            raise RuntimeError("new_slot() needs a form that validated")
        return self.chosen_location, self.scheduled_at
