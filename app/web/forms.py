"""The portal's forms (Flask-WTF, CSRF on each); their validators call the domain's own rules."""

from __future__ import annotations

from flask_babel import force_locale, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms import ValidationError as FieldError
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from app.domain.errors import DomainError
from app.domain.rules import parse_barcode

# Reasons front desk gives for a cancellation: (value, the text the status history records).
CANCEL_REASONS = [
    SelectChoice("patient_cancelled", lazy_gettext("Patient cancelled")),
    SelectChoice("no_show", lazy_gettext("Patient did not attend")),
    SelectChoice("location_closed", lazy_gettext("Location closed")),
    SelectChoice("other", lazy_gettext("Other")),
]


class SignInForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(lazy_gettext("E-mail address"), validators=[InputRequired()])
    password = PasswordField(lazy_gettext("Password"), validators=[InputRequired()])


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token (confirm, sign out, cancel)."""


class CancelForm(FlaskForm):
    """Front desk's cancellation, with the reason recorded in the status history."""

    reason = SelectField(
        lazy_gettext("Reason"), choices=CANCEL_REASONS, validators=[InputRequired()]
    )

    def reason_text(self) -> str:
        """The chosen reason as the words the history records: in English, whatever the page's
        language, as everyone who reads the record (partners through the API too) gets it."""
        with force_locale("en"):
            return str(
                next(choice.label for choice in CANCEL_REASONS if choice.value == self.reason.data)
            )


class BloodDrawForm(FlaskForm):
    """The barcode of the sample tube."""

    barcode = StringField(lazy_gettext("Sample barcode"), validators=[InputRequired()])

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
