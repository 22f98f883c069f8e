"""The booking journey's forms, one per step, and the choices carried between the steps; each
form asks the domain to look up or check what it was given, and words nothing itself."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, RadioField, SelectChoice, SelectField
from wtforms import ValidationError as FieldError
from wtforms.validators import InputRequired

from app.domain.appointments import BookingRequest
from app.domain.booking_tokens import OneTimeToken, new_booking_token, parse_booking_token
from app.domain.errors import DomainError
from app.domain.models import Panel, Profile, TestLocation
from app.web.booking_display import fasting_note
from app.web.forms import CheckboxesField
from app.web.identity import profile_label
from app.web.slot_finder import SlotFinder
from app.web.slot_forms import SlotPickerForm

# What the journey carries in its query strings and hidden fields: ids, the local date being
# browsed and the chosen slot's UTC instant. Never a patient's details.
JOURNEY_FIELDS = ("profile_id", "location_id", "date", "slot", "panel_id")


class Journey:
    """The choices made so far in the booking journey, as the query string or form held them."""

    def __init__(self, values: Mapping[str, list[str]]) -> None:
        self._values = {name: list(values.get(name, [])) for name in JOURNEY_FIELDS}

    @classmethod
    def read(cls, source: MultiDict[str, str]) -> Journey:
        """The journey's fields from a query string or submitted form; blanks left out."""
        return cls({name: [v for v in source.getlist(name) if v] for name in JOURNEY_FIELDS})

    def get(self, name: str) -> str:
        """The first value of `name`, or "" when it has none."""
        return next(iter(self._values[name]), "")

    @property
    def panel_ids(self) -> list[str]:
        """The chosen panels' ids, as given."""
        return list(self._values["panel_id"])

    def query(self, **changes: str | list[str] | None) -> dict[str, Any]:
        """The journey as query values for `url_for`, with `changes` made (None drops one)."""
        values = dict(self._values)
        for name, value in changes.items():
            values[name] = [] if value is None else [value] if isinstance(value, str) else value
        return {name: items for name, items in values.items() if items}

    def hidden(self, *names: str) -> list[tuple[str, str]]:
        """(name, value) pairs of hidden inputs carrying the fields `names`."""
        return [(name, value) for name in names for value in self._values[name]]


class ProfileStepForm(FlaskForm):
    """Step 1: whose blood is drawn, among the profiles the user may book for: one page of
    them (those a search found), each named with its date of birth and reference, so that two
    people of the same name are told apart (`identity.profile_label`)."""

    profile = SelectField(
        lazy_gettext("Patient profile"),
        name="profile_id",
        validators=[InputRequired(lazy_gettext("Choose a patient profile."))],
    )

    def __init__(
        self,
        *,
        profile_options: Sequence[Profile],
        find_profile: Callable[[str], Profile],
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.profile.choices = [SelectChoice("", gettext("Choose a profile"))] + [
            SelectChoice(str(p.id), profile_label(p)) for p in profile_options
        ]
        if not self.is_submitted() and not self.profile.data and len(profile_options) == 1:
            self.profile.data = str(profile_options[0].id)
        self._find_profile = find_profile

    def validate_profile(self, field: SelectField) -> None:
        """The domain's look-up decides whether the user may book for the profile."""
        if field.errors:
            return
        try:
            self._find_profile(field.data)
        except DomainError as exc:
            raise FieldError(exc.message) from None


class LocationStepForm(FlaskForm):
    """Step 2: the test location, one radio button per location listed."""

    location = RadioField(
        lazy_gettext("Test location"),
        name="location_id",
        validate_choice=False,
        validators=[InputRequired(lazy_gettext("Choose a test location."))],
    )

    def __init__(self, *, slots: SlotFinder, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._slots = slots

    def validate_location(self, field: RadioField) -> None:
        """The location must exist (the domain's look-up decides and words the message)."""
        try:
            self._slots.location(field.data)
        except DomainError as exc:
            raise FieldError(exc.message) from None


class SlotStepForm(SlotPickerForm):
    """Step 3: a free slot at the chosen location (the shared picker) and the panels to order.

    The slot must pass the booking service's own slot rules (`SlotFinder.ensure_bookable`)
    before the review; whether a chair is still free is decided when booking."""

    panels = CheckboxesField(lazy_gettext("Panels to order"), name="panel_id")

    def __init__(self, *, panel_options: Sequence[Panel], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.panels.choices = [
            SelectChoice(
                str(p.id),
                gettext("%(panel)s (requires fasting)", panel=p.name)
                if p.requires_fasting
                else p.name,
            )
            for p in panel_options
        ]

    def validate_time(self, field: RadioField) -> None:
        """The picker's checks, then the domain's: in the future and a bookable slot start."""
        super().validate_time(field)
        if self.chosen_location is None or self.scheduled_at is None:
            return
        try:
            self._slots.ensure_bookable(self.chosen_location, self.scheduled_at)
        except DomainError as exc:
            raise FieldError(exc.message) from None


class ReviewForm(FlaskForm):
    """Step 4's "Book" button: its CSRF token and a one-time booking token (a fresh one each
    time the review is shown; `booking_tokens`); the choices travel in hidden inputs written
    from the journey. The fields hold the booking service's messages beside the item each
    concerns, and `next_times` the service's next free slots when the chosen one filled up
    meanwhile."""

    profile = HiddenField(name="profile_id")
    location = HiddenField(name="location_id")
    time = HiddenField(name="slot")
    panels = HiddenField(name="panel_id")
    booking_token = HiddenField(name="booking_token")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.next_times: list[datetime] = []
        if not self.is_submitted():
            self.booking_token.data = new_booking_token()

    def validate_booking_token(self, field: HiddenField) -> None:
        """The token must be one the review handed out (the domain's rule)."""
        try:
            parse_booking_token(field.data)
        except DomainError as exc:
            raise FieldError(exc.message) from None

    def once(self, user_id: uuid.UUID) -> OneTimeToken:
        """The validated booking token, scoped to the signed-in user `user_id`."""
        return OneTimeToken(user_id=user_id, token=self.booking_token.data)


@dataclass(frozen=True)
class Choices:
    """The journey's choices, looked up in the domain, as the review shows them."""

    profile: Profile
    location: TestLocation
    scheduled_at: datetime
    panels: list[Panel]
    panel_ids: tuple[uuid.UUID, ...]

    @property
    def fasting(self) -> str | None:
        """The fasting instruction when a chosen panel requires fasting."""
        return fasting_note(self.panels)

    def booking_request(self) -> BookingRequest:
        """The choices as the domain's BookingRequest (every panel id given, even one unknown:
        the booking service names it)."""
        return BookingRequest(
            profile_id=self.profile.id,
            location_id=self.location.id,
            scheduled_at=self.scheduled_at,
            panel_ids=self.panel_ids,
        )
