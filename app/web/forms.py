"""The portal's forms (Flask-WTF, CSRF on each); their validators call the domain's own rules."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)
from wtforms import ValidationError as FieldError
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from app.domain.appointments import BookingRequest
from app.domain.errors import DomainError
from app.domain.models import Panel, Profile, TestLocation
from app.domain.rules import ensure_future, parse_barcode, parse_local_time

# Reasons front desk gives for a cancellation: (value, the text the status history records).
CANCEL_REASONS = [
    SelectChoice("patient_cancelled", "Patient cancelled"),
    SelectChoice("no_show", "Patient did not attend"),
    SelectChoice("location_closed", "Location closed"),
    SelectChoice("other", "Other"),
]


class SignInForm(FlaskForm):
    """E-mail and password."""

    email = EmailField("E-mail address", validators=[InputRequired()])
    password = PasswordField("Password", validators=[InputRequired()])


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token (confirm, sign out, cancel)."""


class CancelForm(FlaskForm):
    """Front desk's cancellation, with the reason recorded in the status history."""

    reason = SelectField("Reason", choices=CANCEL_REASONS, validators=[InputRequired()])

    def reason_text(self) -> str:
        """The chosen reason as the words the history records."""
        return next(choice.label for choice in CANCEL_REASONS if choice.value == self.reason.data)


class BloodDrawForm(FlaskForm):
    """The barcode of the sample tube."""

    barcode = StringField("Sample barcode", validators=[InputRequired()])

    def validate_barcode(self, field: StringField) -> None:
        """The domain's barcode rule (digits only, 6 to 32)."""
        try:
            field.data = parse_barcode(field.data)
        except DomainError as exc:
            raise FieldError(exc.message) from None


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (the template puts them in a fieldset with a legend)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class BookingForm(FlaskForm):
    """A booking: profile, test location, a local date and time there, and optional panels.

    The time is checked with the domain's `parse_local_time` (DST gaps and overlaps) and
    `ensure_future`; an unknown location gets the message of the domain's look-up.
    """

    profile = SelectField("Patient profile", validators=[InputRequired()])
    location = SelectField("Test location", validators=[InputRequired()], validate_choice=False)
    date = DateField("Date (at the test location)", validators=[InputRequired()])
    time = TimeField("Time (local time at the test location)", validators=[InputRequired()])
    panels = CheckboxesField("Panels to order")

    def __init__(
        self,
        *,
        profile_options: Sequence[Profile],
        location_options: Sequence[TestLocation],
        panel_options: Sequence[Panel],
        find_location: Callable[[str], TestLocation],
        now: datetime,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.profile.choices = [SelectChoice("", "Choose a profile")] + [
            SelectChoice(str(p.id), p.full_name) for p in profile_options
        ]
        self.location.choices = [SelectChoice("", "Choose a test location")] + [
            SelectChoice(str(loc.id), f"{loc.city}: {loc.name} ({loc.timezone})")
            for loc in location_options
        ]
        self.panels.choices = [SelectChoice(str(p.id), p.name) for p in panel_options]
        self._find_location = find_location
        self._now = now
        self.chosen_location: TestLocation | None = None
        self.scheduled_at: datetime | None = None

    def validate_location(self, field: SelectField) -> None:
        """The location must exist (the domain's look-up decides and words the message)."""
        try:
            self.chosen_location = self._find_location(field.data)
        except DomainError as exc:
            raise FieldError(exc.message) from None

    def validate_time(self, field: TimeField) -> None:
        """The local time must exist once at the location, and lie in the future."""
        if self.chosen_location is None or self.date.data is None or field.data is None:
            return
        try:
            at = parse_local_time(self.date.data, field.data, self.chosen_location.timezone)
            ensure_future(at, now=self._now)
        except DomainError as exc:
            raise FieldError(exc.message) from None
        self.scheduled_at = at

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
