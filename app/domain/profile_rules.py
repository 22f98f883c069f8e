"""Rules for a profile's fields (contract, "Profile"): names, sex, birth date, contact, body."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import email_validator
import phonenumbers

from app.domain.errors import ValidationError
from app.domain.messages import msg
from app.domain.rules import ensure_printable_text, parse_iso_day

LANGUAGES = ("en", "de", "fi")
SEXES = {1: "male", 2: "female"}  # ISO/IEC 5218
HEIGHT_RANGE_CM = (20.0, 280.0)
WEIGHT_RANGE_KG = (0.2, 650.0)
_E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")
NAME_PUNCTUATION = {" ", "-", "'", "\u2019"}


def is_latin_name(value: str) -> bool:
    """Answer whether `value` holds only Latin-script letters, spaces, hyphens and apostrophes,
    with at least one letter (contract: `first_name`, `last_name`)."""
    has_letter = False
    for char in value:
        if char in NAME_PUNCTUATION:
            continue
        if not char.isalpha() or not unicodedata.name(char, "").startswith("LATIN"):
            return False
        has_letter = True
    return has_letter


def parse_name(value: object, field: str, *, required: bool) -> str | None:
    """Return a trimmed person name of 1 to 100 characters, or None when optional and empty.

    Raises ValidationError(field) for a missing required name, one longer than 100 characters
    as sent or once normalised, or other scripts, digits and symbols.
    """
    too_long = msg("%(field)s must be at most 100 characters.", field=field)
    if isinstance(value, str) and len(value) > 100:
        raise ValidationError(field, too_long)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(field, msg("%(field)s is required.", field=field))
        return None
    if not isinstance(value, str):
        raise ValidationError(field, msg("%(field)s must be text.", field=field))
    name = unicodedata.normalize("NFC", value.strip())
    if len(name) > 100:
        raise ValidationError(field, too_long)
    if not is_latin_name(name):
        raise ValidationError(
            field,
            msg(
                "%(field)s may hold only Latin letters, spaces, hyphens and apostrophes.",
                field=field,
            ),
        )
    return name


def parse_sex(value: object, field: str = "sex") -> int:
    """Return the ISO/IEC 5218 code 1 (male) or 2 (female); raise ValidationError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in SEXES:
        raise ValidationError(field, msg("sex must be 1 (male) or 2 (female), as in ISO/IEC 5218."))
    return value


def parse_date_of_birth(value: object, *, today: date, field: str = "date_of_birth") -> date:
    """Return a birth date given as `YYYY-MM-DD` (or a date) that lies before `today`."""
    if isinstance(value, str):
        try:
            value = parse_iso_day(value)
        except ValueError:
            value = None
    if not isinstance(value, date):
        raise ValidationError(field, msg("date_of_birth must be a date in the form YYYY-MM-DD."))
    if value >= today:
        raise ValidationError(field, msg("date_of_birth must be in the past."))
    if value.year < 1900:
        raise ValidationError(field, msg("date_of_birth must be after 1900-01-01."))
    return value


def parse_email(value: object, field: str = "email") -> str | None:
    """Return a normalised e-mail address, or None for an empty one (no DNS look-up)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValidationError(field, msg("email must be text."))
    ensure_printable_text(value, field)
    try:
        result = email_validator.validate_email(value.strip(), check_deliverability=False)
    except email_validator.EmailNotValidError as error:
        raise ValidationError(
            field, msg("email is not valid: %(reason)s", reason=str(error))
        ) from None
    return result.normalized


def parse_phone(value: object, field: str = "phone") -> str | None:
    """Return a phone number in E.164 (`+4930123456789`), or None for an empty one.

    Raises ValidationError(field) unless the value is already E.164 and a valid number.
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _E164.match(value.strip()):
        raise ValidationError(field, msg("phone must be in E.164 form, such as +4930123456789."))
    try:
        number = phonenumbers.parse(value.strip(), None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(field, msg("phone is not a valid number for its country code."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_measure(
    value: object, field: str, bounds: tuple[float, float], unit: str
) -> float | None:
    """Return a positive body measure within `bounds` (in `unit`), or None when absent (None;
    an empty string is no number, and the portal's form sends None for an empty input).

    The bounds are compared with the number as given, before it becomes a float: an integer
    too large for a float (400 digits) is refused like any other out of range, not an
    OverflowError. Raises ValidationError(field).
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(
            field, msg("%(field)s must be a number in %(unit)s.", field=field, unit=unit)
        )
    low, high = bounds
    if not low <= value <= high:
        raise ValidationError(
            field,
            msg(
                "%(field)s must be between %(low)s and %(high)s %(unit)s.",
                field=field,
                low=f"{low:g}",
                high=f"{high:g}",
                unit=unit,
            ),
        )
    return float(value)


def parse_language(value: object, field: str = "language") -> str:
    """Return one of the contract's languages (`en`, `de`, `fi`); None (absent) means `en`."""
    if value is None:
        return "en"
    if value not in LANGUAGES:
        raise ValidationError(
            field, msg("language must be one of %(languages)s.", languages=", ".join(LANGUAGES))
        )
    return str(value)


def parse_handle(value: object, field: str = "handle") -> str | None:
    """Return the partner's own reference (1 to 100 characters as sent, then trimmed), or None
    when absent."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 100:
        raise ValidationError(field, msg("handle must be text of at most 100 characters."))
    return value.strip() or None
