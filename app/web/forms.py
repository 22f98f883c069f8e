"""The portal's forms (Flask-WTF, CSRF on each); their validators call the domain's own rules."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext
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

from app.domain.draw_rules import CANCEL_REASON_WORDS, CancelReason
from app.domain.errors import DomainError
from app.domain.rules import parse_barcode
from app.web.display import message_text


class SignInForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(lazy_gettext("E-mail address"), validators=[InputRequired()])
    password = PasswordField(lazy_gettext("Password"), validators=[InputRequired()])


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token (confirm, sign out, cancel)."""


class CancelForm(FlaskForm):
    """Front desk's cancellation, with one of the domain's reasons (`CancelReason`), whose words
    the status history records."""

    reason = SelectField(lazy_gettext("Reason"), validators=[InputRequired()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reason.choices = [
            SelectChoice(reason.value, message_text(words))
            for reason, words in CANCEL_REASON_WORDS.items()
        ]

    def cancel_reason(self) -> CancelReason:
        """The chosen reason (validated to be one of the choices)."""
        return CancelReason(self.reason.data)


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
