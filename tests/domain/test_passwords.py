"""The password rule: at least 12 characters, not a common password, no composition rules."""

from __future__ import annotations

import pytest

from app.domain.accounts import hash_password, verify_password
from app.domain.errors import ValidationError
from app.domain.models import User
from app.domain.passwords import ensure_strong_password


@pytest.mark.parametrize("password", ["", "short", "eleven char", "x" * 11])
def test_a_password_under_12_characters_is_refused_with_the_minimum_named(password):
    with pytest.raises(ValidationError) as caught:
        ensure_strong_password(password)
    assert caught.value.errors == {"password": ["The password must have at least 12 characters."]}


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "123456789012",
        "qwertyuiopas",
        "iloveyou1234",
        "Password123!",
        "1q2w3e4r5t6y",
    ],
)
def test_a_commonly_used_password_is_refused_even_when_long_enough(password):
    with pytest.raises(ValidationError) as caught:
        ensure_strong_password(password)
    assert list(caught.value.errors) == ["password"]
    assert "commonly used passwords" in caught.value.message


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",  # words and spaces only
        "wombatlanternquiche",  # lower-case letters only
        "781239046512",  # digits only
        "Glühwein über Nacht",  # letters outside ASCII
        "Tschüss, Kopenhagen",
    ],
)
def test_an_uncommon_password_of_12_or_more_characters_needs_no_digits_symbols_or_capitals(
    password,
):
    ensure_strong_password(password)


def test_the_field_named_in_the_error_can_be_chosen():
    with pytest.raises(ValidationError) as caught:
        ensure_strong_password("short", field="new_password")
    assert list(caught.value.errors) == ["new_password"]


def test_hash_password_applies_the_rule_so_every_way_of_creating_users_does():
    with pytest.raises(ValidationError):
        hash_password("password1234")


def test_hash_password_gives_an_argon2id_hash_that_verifies():
    password_hash = hash_password("wombat lantern quiche")
    assert password_hash.startswith("$argon2id$")
    user = User(password_hash=password_hash)
    assert verify_password(user, "wombat lantern quiche")
    assert not verify_password(user, "wombat lantern quichE")
