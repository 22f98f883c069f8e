"""Profile field rules (contract, "Profile")."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.domain.errors import ValidationError
from app.domain.profiles import parse_profile_fields

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
VALID = {"first_name": "Anna", "sex": 2, "date_of_birth": "1985-04-12"}


def test_a_minimal_profile_gets_the_default_language():
    clean = parse_profile_fields(VALID, now=NOW)
    assert clean["language"] == "en"
    assert clean["last_name"] is None


@pytest.mark.parametrize(
    "name", ["Anna", "Jürgen", "Zoë O'Neil", "Anne-Sophie", "Ørjan", "D’Angelo", "Łukasz"]
)
def test_latin_names_with_accents_spaces_hyphens_and_apostrophes_are_accepted(name):
    assert parse_profile_fields({**VALID, "first_name": name}, now=NOW)["first_name"] == name


@pytest.mark.parametrize("name", ["Иван", "李", "Anna2", "R2-D2", "Anna!", "-", "x" * 101, ""])
def test_other_scripts_digits_symbols_empty_or_long_names_are_refused(name):
    with pytest.raises(ValidationError) as caught:
        parse_profile_fields({**VALID, "first_name": name}, now=NOW)
    assert "first_name" in caught.value.errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sex", 0),
        ("sex", 9),
        ("sex", True),
        ("sex", "2"),
        ("date_of_birth", "2026-11-21"),
        ("date_of_birth", "2030-01-01"),
        ("date_of_birth", "12/04/1985"),
        ("email", "anna@"),
        ("phone", "030 123456"),
        ("phone", "+999123"),
        ("height", 0),
        ("height", -170),
        ("height", 400),
        ("weight", 0),
        ("weight", "70"),
        ("language", "fr"),
    ],
)
def test_each_field_rule_names_its_field(field, value):
    with pytest.raises(ValidationError) as caught:
        parse_profile_fields({**VALID, field: value}, now=NOW)
    assert list(caught.value.errors) == [field]


def test_every_failing_field_is_reported_at_once():
    with pytest.raises(ValidationError) as caught:
        parse_profile_fields({"first_name": "", "sex": 3}, now=NOW)
    assert set(caught.value.errors) == {"first_name", "sex", "date_of_birth"}


def test_contact_and_body_fields_are_normalised():
    clean = parse_profile_fields(
        {
            **VALID,
            "email": "Anna@Example.org",
            "phone": "+4930123456789",
            "height": 168,
            "weight": 61.5,
        },
        now=NOW,
    )
    assert clean["phone"] == "+4930123456789"
    assert clean["email"] == "Anna@example.org"
    assert (clean["height"], clean["weight"]) == (168.0, 61.5)


def test_a_partial_update_checks_only_the_fields_given():
    assert parse_profile_fields({"language": "de"}, now=NOW, partial=True) == {"language": "de"}
