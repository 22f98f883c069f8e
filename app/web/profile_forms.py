"""The sign-up form and the profile form; their rules are the domain's, with the domain's words."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
)
from wtforms import ValidationError as FieldError
from wtforms.validators import EqualTo, InputRequired
from wtforms.widgets import DateInput, NumberInput

from app.domain.errors import ValidationError
from app.domain.models import Profile
from app.domain.passwords import ensure_strong_password
from app.domain.profile_rules import LANGUAGES, SEXES, parse_email

# The languages by their own names, for people who read only that one.
LANGUAGE_NAMES = {
    "en": lazy_gettext("English"),
    "de": lazy_gettext("Deutsch (German)"),
    "fi": lazy_gettext("Suomi (Finnish)"),
}
_SEX_WORDS = {"male": lazy_gettext("Male"), "female": lazy_gettext("Female")}
SEX_NAMES = {  # ISO/IEC 5218
    code: _SEX_WORDS.get(name, name.capitalize()) for code, name in sorted(SEXES.items())
}
# Separators people type inside a phone number; the domain takes E.164 without them.
_PHONE_SEPARATORS = re.compile(r"[\s\-().]")


class SignUpForm(FlaskForm):
    """A patient's new account: e-mail, and the password twice."""

    email = EmailField(
        lazy_gettext("E-mail address"),
        validators=[InputRequired(lazy_gettext("Enter your e-mail address."))],
    )
    password = PasswordField(
        lazy_gettext("Password"), validators=[InputRequired(lazy_gettext("Choose a password."))]
    )
    confirm = PasswordField(
        lazy_gettext("Password again"),
        validators=[
            InputRequired(lazy_gettext("Enter the password a second time.")),
            EqualTo(
                "password", lazy_gettext("The two passwords differ: enter the same one twice.")
            ),
        ],
    )

    def validate_email(self, field: EmailField) -> None:
        """The domain's e-mail rule (email-validator, no DNS look-up)."""
        try:
            parse_email(field.data)
        except ValidationError as exc:
            raise FieldError(exc.message) from None

    def validate_password(self, field: PasswordField) -> None:
        """The domain's password rule: 12 characters or more, not a common password."""
        try:
            ensure_strong_password(field.data or "")
        except ValidationError as exc:
            raise FieldError(exc.message) from None


class ProfileForm(FlaskForm):
    """A patient profile. Field names are the domain's, so its messages land beside them; the
    values go to `create_profile`/`update_profile` as typed (numbers and dates that do not parse
    too), and the domain decides and words every rule."""

    first_name = StringField(lazy_gettext("First name"))
    last_name = StringField(lazy_gettext("Last name"))
    date_of_birth = StringField(lazy_gettext("Date of birth"), widget=DateInput())
    sex = RadioField(
        lazy_gettext("Sex"),
        choices=[SelectChoice(str(code), name) for code, name in SEX_NAMES.items()],
        validate_choice=False,
    )
    email = EmailField(lazy_gettext("E-mail address"))
    phone = TelField(
        lazy_gettext("Phone number"), filters=[lambda v: _PHONE_SEPARATORS.sub("", v or "")]
    )
    language = SelectField(
        lazy_gettext("Language for messages"),
        choices=[SelectChoice(code, LANGUAGE_NAMES.get(code, code)) for code in LANGUAGES],
        validate_choice=False,
    )
    height = StringField(lazy_gettext("Height (cm)"), widget=NumberInput(step="any"))
    weight = StringField(lazy_gettext("Weight (kg)"), widget=NumberInput(step="any"))

    def profile_data(self) -> dict[str, object]:
        """The submitted values as the domain's profile fields (no `handle`: the portal keeps
        whatever the profile has)."""
        return {
            "first_name": self.first_name.data,
            "last_name": self.last_name.data,
            "date_of_birth": self.date_of_birth.data,
            "sex": _number(self.sex.data, int),
            "email": self.email.data,
            "phone": self.phone.data,
            "language": self.language.data,
            "height": _number(self.height.data, float),
            "weight": _number(self.weight.data, float),
        }


def profile_form_data(profile: Profile) -> dict[str, Any]:
    """A stored profile as the form's initial values."""
    return {
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "date_of_birth": profile.date_of_birth.isoformat(),
        "sex": str(profile.sex),
        "email": profile.email,
        "phone": profile.phone,
        "language": profile.language,
        "height": _measure_text(profile.height),
        "weight": _measure_text(profile.weight),
    }


def _measure_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else repr(value)


def _number(value: str | None, kind: type[int] | type[float]) -> object:
    """`value` as a number, None when empty, else the text itself for the domain to refuse."""
    if value is None or not value.strip():
        return None
    try:
        return kind(value.strip().replace(",", "."))
    except ValueError:
        return value
