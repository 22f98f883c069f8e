"""The document says what the server enforces (a generated client and a fuzzer agree with it):
the names' pattern, one line of text without control characters, the Idempotency-Key's
printable ASCII, a reschedule that changes something, and the 413 and 415 of every body."""

from __future__ import annotations

import re

import jsonschema_rs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.api.openapi.document import PREFIX
from app.api.openapi.patterns import latin_name_pattern
from app.domain.errors import ValidationError
from app.domain.profile_rules import parse_name


@pytest.fixture
def document(client) -> dict:
    return client.get(f"{PREFIX}/openapi.json").get_json()


def _schema(document: dict, name: str) -> dict:
    return document["components"]["schemas"][name]


def _accepted(text: str, *, required: bool) -> bool:
    try:
        parse_name(text, "first_name", required=required)
    except ValidationError:
        return False
    return True


# Names a person writes, in the scripts the rule takes and some it does not.
NAMES = [
    "Anna",
    " Anna-Lena ",
    "O'Brien",
    "D\u2019Angelo",
    "Zoë Ångström",
    "Łukasz Żółć",
    "Ame\u0301lie",  # e and a combining acute accent: NFC makes é
    "\u212bsa",  # the Ångström sign, which NFC makes Å
    "Nguyễn Thị",
    "\u00a0Anna\u2003",  # surrounding white space, which is trimmed
    "Анна",
    "안나",
    "Anna2",
    "---",
    "",
    "   ",
    "Anna\x00",
    "Anna\tLena",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("component", "required"), [("first_name", True), ("last_name", False)])
def test_the_name_pattern_takes_every_name_the_domain_takes(document, name, component, required):
    schema = _schema(document, "ProfileInput")["properties"][component]
    for matches in (
        re.fullmatch(schema["pattern"], name) is not None,
        jsonschema_rs.is_valid({"type": "string", "pattern": schema["pattern"]}, name),
    ):
        if _accepted(name, required=required):
            assert matches, name
    if name in ("Анна", "안나", "Anna2", "---"):
        assert re.fullmatch(schema["pattern"], name) is None


LATIN_AND_OTHERS = st.text(
    alphabet=st.sampled_from("aZéÅŁ\u0301\u0308 -'\u2019\u00a0\u212b\u212aд1\t\x00"),
    max_size=12,
)


@given(LATIN_AND_OTHERS)
def test_no_name_the_domain_takes_breaks_the_documented_pattern(name):
    if _accepted(name, required=True):
        assert re.fullmatch(latin_name_pattern(), name), ascii(name)
    if _accepted(name, required=False):
        assert re.fullmatch(latin_name_pattern(optional=True), name), ascii(name)


def test_one_line_of_text_and_the_idempotency_key_refuse_control_characters(document):
    handle = _schema(document, "ProfileInput")["properties"]["handle"]
    key = document["components"]["parameters"]["idempotency_key"]["schema"]
    for text, line_ok, key_ok in [
        ("crm-42 Müller", True, False),
        ("crm-42", True, True),
        ("crm\x0042", False, False),
        ("crm\n42", False, False),
        ("crm\u202842", False, False),
        ("k" * 256, True, False),
    ]:
        assert jsonschema_rs.is_valid({"pattern": handle["pattern"]}, text) is line_ok, text
        assert jsonschema_rs.is_valid(key, text) is key_ok, text
    assert (key["minLength"], key["maxLength"]) == (1, 255)


def test_a_reschedule_must_name_a_new_time_or_location(document):
    schema = _schema(document, "RescheduleRequest")
    validator = jsonschema_rs.validator_for(schema)

    assert not validator.is_valid({})
    assert not validator.is_valid({"status": "cancelled"})
    assert validator.is_valid({"scheduled_at": "2026-11-23T09:30:00Z"})
    assert validator.is_valid({"location_id": "00000000-0000-4000-8000-000000000001"})


def test_every_operation_with_a_body_documents_413_and_415_and_no_other_does(document):
    for methods in document["paths"].values():
        for operation in methods.values():
            statuses = set(operation["responses"])
            takes_body = "requestBody" in operation
            assert ({"413", "415"} <= statuses) is takes_body, operation["operationId"]
            assert bool({"413", "415"} & statuses) is takes_body, operation["operationId"]
