"""The text and number rules' tables of cases: control characters, UUIDs and dates as text, huge
numbers, names as sent."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from app.domain.errors import InvalidId, ValidationError
from app.domain.profile_rules import HEIGHT_RANGE_CM, parse_handle, parse_measure, parse_name
from app.domain.rules import (
    ensure_printable_text,
    parse_iso_day,
    parse_path_id,
    parse_uuid,
    unprintable_character,
)

# Text a person writes: letters of any script, marks, digits, punctuation, symbols, spaces.
PRINTABLE = [
    "Anna-Lena O'Brien",
    "Zoë Ångström",
    "Łukasz Żółć",
    "Ame\u0301lie",  # a combining acute accent
    "Анна Шмидт",
    "김민준",
    "محمد",
    "श्रुति",  # Devanagari with its vowel signs
    "خ\u200cی",  # a zero-width non-joiner, which Persian spelling needs
    "10 % off, 3 × 2 = 6 ✓ 🩸",
    "non\u00a0breaking and\u2009thin spaces",
    "",
]
# Characters no text may hold, with the code the message names.
CONTROLS = [
    ("\x00", "U+0000"),
    ("\x01", "U+0001"),
    ("\x1b", "U+001B"),
    ("\x1f", "U+001F"),
    ("\x7f", "U+007F"),
    ("\x85", "U+0085"),
    ("\x9f", "U+009F"),
    ("\ud800", "U+D800"),
]
# What breaks a line: text in several lines only.
LINE_BREAKS = [("\t", "U+0009"), ("\n", "U+000A"), ("\r", "U+000D"), ("\u2028", "U+2028")]


@pytest.mark.parametrize("text", PRINTABLE)
@pytest.mark.parametrize("multiline", [False, True])
def test_text_of_any_script_with_marks_symbols_and_spaces_is_printable(text, multiline):
    ensure_printable_text(text, "name", multiline=multiline)
    assert unprintable_character(text, multiline=multiline) is None


@pytest.mark.parametrize(("char", "code"), CONTROLS)
@pytest.mark.parametrize("multiline", [False, True])
def test_a_control_character_is_refused_anywhere_naming_the_field_and_the_character(
    char, code, multiline
):
    with pytest.raises(ValidationError) as caught:
        ensure_printable_text(f"Anna{char}Schmidt", "handle", multiline=multiline)
    assert list(caught.value.errors) == ["handle"]
    assert code in caught.value.message
    assert caught.value.message.startswith("handle may not hold control characters")


@pytest.mark.parametrize(("char", "code"), LINE_BREAKS)
def test_tabs_and_line_breaks_are_refused_on_one_line_and_kept_in_several(char, code):
    with pytest.raises(ValidationError) as caught:
        ensure_printable_text(f"first{char}second", "name")
    assert code in caught.value.message
    assert "line breaks" in caught.value.message

    ensure_printable_text(f"first{char}second", "description", multiline=True)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("00000000-0000-4000-8000-000000000001", True),
        ("00000000000040008000000000000001", True),
        ("ABCDEF00-0000-4000-8000-00000000000A", True),
        ("\n0000000000040008000000000000001", False),  # `uuid.UUID` takes this one
        ("0000_000000040008000000000000001", False),  # and this one
        ("{00000000-0000-4000-8000-000000000001}", False),
        ("urn:uuid:00000000-0000-4000-8000-000000000001", False),
        ("００000000000040008000000000000001", False),  # full-width digits
        ("00000000-0000-4000-8000-000000000001\x00", False),
        ("", False),
    ],
)
def test_a_uuid_is_32_hex_digits_with_optional_hyphens_and_nothing_else(text, ok):
    if ok:
        assert parse_uuid(text, "profile_id") == uuid.UUID(text)
        assert parse_path_id(text) == uuid.UUID(text)
        return
    with pytest.raises(ValidationError) as caught:
        parse_uuid(text, "profile_id")
    assert list(caught.value.errors) == ["profile_id"]
    with pytest.raises(InvalidId):
        parse_path_id(text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-11-23", date(2026, 11, 23)),
        ("2026-W48-1", None),  # an ISO week date, which `date.fromisoformat` reads
        ("20261123xx", None),  # which it reads as 2026-11-23 too
        ("2026-11-2\u0663", None),
        ("2026-02-30", None),
        ("2026-11-23\n", None),
    ],
)
def test_a_day_is_written_year_month_day_in_ascii_digits(text, day):
    if day is not None:
        assert parse_iso_day(text) == day
        return
    with pytest.raises(ValueError):  # noqa: PT011 (the rule raises plain ValueError)
        parse_iso_day(text)


@pytest.mark.parametrize(
    "value",
    [10**400, -(10**400), float("inf"), float("-inf"), float("nan"), 10**20],
    ids=["1e400 as an int", "-1e400 as an int", "inf", "-inf", "nan", "1e20 as an int"],
)
def test_a_measure_too_large_for_a_float_is_out_of_range_not_an_overflow(value):
    with pytest.raises(ValidationError) as caught:
        parse_measure(value, "weight", HEIGHT_RANGE_CM, "kg")
    assert list(caught.value.errors) == ["weight"]
    assert "between" in caught.value.message


def test_a_whole_measure_in_range_is_kept():
    assert parse_measure(168, "height", HEIGHT_RANGE_CM, "cm") == 168.0


@pytest.mark.parametrize(
    ("parse", "field"),
    [
        (lambda v: parse_name(v, "first_name", required=True), "first_name"),
        (parse_handle, "handle"),
    ],
    ids=["first_name", "handle"],
)
def test_a_name_or_handle_counts_its_length_as_sent_not_once_trimmed(parse, field):
    assert parse(" " + "a" * 99) == "a" * 99
    with pytest.raises(ValidationError) as caught:
        parse(" " * 2 + "a" * 99)
    assert list(caught.value.errors) == [field]
