"""The slot picker: a location, a date and that day's free slots as radio buttons, shared by the
booking journey and the reschedule form; it asks the domain (`SlotFinder`) and decides nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import DateField, Field, HiddenField, RadioField, SelectChoice, SelectField
from wtforms import ValidationError as FieldError
from wtforms.validators import InputRequired, Optional

from app.domain.errors import DomainError, ValidationError
from app.domain.models import TestLocation
from app.domain.rules import parse_instant
from app.web.slot_finder import SlotDay, SlotFinder


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
        lazy_gettext("Test location"),
        name="location_id",
        validate_choice=False,
        validators=[InputRequired(lazy_gettext("Choose a test location."))],
    )
    day = DateField(
        lazy_gettext("Date (at the test location)"), name="date", validators=[Optional()]
    )
    time = RadioField(
        lazy_gettext("Free times"),
        name="slot",
        validate_choice=False,
        validators=[InputRequired(lazy_gettext("Choose one of the free times."))],
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
        self.location.choices = [SelectChoice("", gettext("Choose a test location"))] + [
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
                gettext(
                    "The test location or date was changed after the free times were listed: "
                    "choose one of the times listed now."
                )
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
            _add_error(self.day, gettext("Enter a date such as 2026-11-23."))
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
        self.day.raw_data = [day.day.isoformat()]  # shown instead of an empty `date=`
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


class RescheduleForm(SlotPickerForm):
    """A new slot for an appointment: the location (its current one by default) and a free slot
    there; the date defaults to the appointment's own day while that can still be booked."""

    def new_slot(self) -> tuple[TestLocation, datetime]:
        """The validated form's location and slot start."""
        if self.chosen_location is None or self.scheduled_at is None:
            raise RuntimeError("new_slot() needs a form that validated")
        return self.chosen_location, self.scheduled_at
