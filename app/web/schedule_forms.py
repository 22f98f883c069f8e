"""Forms of the admin's schedule page: weekly hours and slot settings, and a closed date."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from flask_babel import gettext, lazy_gettext
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import DateField, Field, IntegerField, StringField
from wtforms import ValidationError as FieldError
from wtforms.validators import InputRequired
from wtforms.widgets import NumberInput, TimeInput

from app.domain.closure_rules import MAX_REASON_LENGTH
from app.domain.errors import DomainError, ValidationError
from app.domain.models import TestLocation
from app.domain.schedule_rules import (
    SETTING_LIMITS,
    OpenHours,
    ScheduleChange,
    ensure_setting,
    parse_open_hours,
)
from app.domain.slots import WEEKDAYS
from app.web.display import weekday_name
from app.web.fields import add_domain_error

PERIODS_PER_DAY = 2  # enough for "07:30-12:00 and 13:00-18:00"; more if a location has them


def _setting_rule(name: str) -> Callable[[FlaskForm, Field], None]:
    """A field validator that applies the domain's limits of the setting `name`."""

    def check(_form: FlaskForm, field: Field) -> None:
        if field.data is None:
            return
        try:
            ensure_setting(name, field.data)
        except DomainError as exc:
            raise FieldError(exc.message) from None

    return check


def _setting(name: str, label: LazyString, step: int = 1) -> IntegerField:
    low, high, _subject, _unit = SETTING_LIMITS[name]
    return IntegerField(
        label,
        validators=[InputRequired(), _setting_rule(name)],
        widget=NumberInput(step=step, min=low, max=high),
    )


def time_field_name(weekday: str, index: int, end: str) -> str:
    """The form field of one end (`open` or `close`) of a day's period number `index` (from 0)."""
    return f"{weekday}_{index}_{end}"


class ScheduleForm(FlaskForm):
    """A location's schedule: a row per weekday with `periods` opening/closing time pairs (empty
    pairs mean closed), and the slot settings. Build it with `for_location`.

    The hours are checked with the domain's `parse_open_hours` and each setting with its
    `ensure_setting`; the domain's messages land beside the inputs they name.
    """

    periods: ClassVar[int] = PERIODS_PER_DAY

    slot_duration_minutes = _setting(
        "slot_duration_minutes", lazy_gettext("Slot duration (minutes one blood draw takes)")
    )
    slot_interval_minutes = _setting(
        "slot_interval_minutes",
        lazy_gettext("Slot interval (minutes from one slot start to the next)"),
        step=5,
    )
    capacity = _setting("capacity", lazy_gettext("Capacity (chairs drawing at the same time)"))
    minimum_notice_minutes = _setting(
        "minimum_notice_minutes",
        lazy_gettext("Minimum notice (minutes between booking and the slot)"),
    )
    booking_horizon_days = _setting(
        "booking_horizon_days", lazy_gettext("Booking horizon (days ahead a slot may be booked)")
    )

    @classmethod
    def for_location(cls, location: TestLocation, **kwargs: Any) -> ScheduleForm:
        """The form for `location`, filled with its current schedule; each weekday gets as many
        time pairs as the location's busiest day needs, and at least two."""
        hours: Mapping[str, list[dict[str, str]]] = location.open_hours
        periods = max([PERIODS_PER_DAY, *(len(hours.get(day) or []) for day in WEEKDAYS)])
        form_class = type(cls.__name__, (cls,), {"periods": periods})
        data: dict[str, object] = {name: getattr(location, name) for name in SETTING_LIMITS}
        for weekday in WEEKDAYS:
            day = weekday_name(weekday)
            stored = hours.get(weekday) or []
            for index in range(periods):
                for end, word in (("open", gettext("Opens")), ("close", gettext("Closes"))):
                    name = time_field_name(weekday, index, end)
                    # TRANSLATORS: keep ": " before the end: the page shows only what follows it.
                    label = gettext(
                        "%(day)s, period %(number)d: %(end)s", day=day, number=index + 1, end=word
                    )
                    setattr(form_class, name, StringField(label, widget=TimeInput()))
                    if index < len(stored):
                        data[name] = stored[index][end]
        form: ScheduleForm = form_class(data=data, **kwargs)
        return form

    def rows(self) -> list[tuple[str, list[tuple[Field, Field]]]]:
        """Each weekday's name with its (opens, closes) field pairs, Monday first."""
        return [
            (
                weekday_name(weekday),
                [
                    (
                        self[time_field_name(weekday, i, "open")],
                        self[time_field_name(weekday, i, "close")],
                    )
                    for i in range(self.periods)
                ],
            )
            for weekday in WEEKDAYS
        ]

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        """The fields' own checks, then the domain's rules for the weekly hours."""
        valid = super().validate(extra_validators)
        try:
            self.open_hours: OpenHours = parse_open_hours(self._hours_data())
        except ValidationError as exc:
            self.show_domain_error(exc)
            return False
        return valid

    def _hours_data(self) -> dict[str, list[dict[str, str]]]:
        return {
            weekday: [
                {
                    end: self[time_field_name(weekday, i, end)].data or ""
                    for end in ("open", "close")
                }
                for i in range(self.periods)
            ]
            for weekday in WEEKDAYS
        }

    def schedule_change(self) -> ScheduleChange:
        """The validated form as the domain's ScheduleChange."""
        return ScheduleChange(
            open_hours=self.open_hours,
            **{name: self[name].data for name in SETTING_LIMITS},
        )

    def show_domain_error(self, error: DomainError) -> None:
        """Put `error`'s messages beside the inputs they name: the domain's
        `open_hours.monday.0.close` is this form's `monday_0_close`."""
        if isinstance(error, ValidationError):
            error = ValidationError.from_errors(
                {
                    name.removeprefix("open_hours.").replace(".", "_"): messages
                    for name, messages in error.errors.items()
                }
            )
        add_domain_error(self, error)


class ClosedDateForm(FlaskForm):
    """A date on which the location closes, with the reason (the domain checks both)."""

    date = DateField(
        lazy_gettext("Date to close (local date at the location)"), validators=[InputRequired()]
    )
    reason = StringField(lazy_gettext("Reason"), render_kw={"maxlength": MAX_REASON_LENGTH})
