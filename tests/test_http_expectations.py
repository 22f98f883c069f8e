"""The README's expected responses (`tests/http_expectations.py`): what they accept and refuse.

Each refusal here is a README example that no longer tells the truth about the server's answer.
"""

from __future__ import annotations

import pytest

from tests.http_expectations import response_differences, variables_in

BOOKED = (
    "HTTP/1.1 201 CREATED\r\n"
    "Server: Werkzeug/3.1\r\n"
    "Content-Type: application/json\r\n"
    "Idempotent-Replayed: true\r\n"
    "\r\n"
    '{"id": "42a3", "status": "confirmed", "scheduled_at": "2026-11-23T07:00:00+01:00",'
    ' "created_at": "2026-11-21T09:00:00Z", "profile": {"id": "d6a3", "first_name": "Lena"},'
    ' "panels": [], "status_history": [{"status": "confirmed", "reason": "Booked"}],'
    ' "requires_fasting": true, "weight": null}\n'
)
PAGE = (
    "HTTP/1.1 200 OK\r\n"
    'Link: <http://127.0.0.1:5000/api/v1/appointments?cursor=abc&limit=1>; rel="next"\r\n'
    "\r\n"
    '[{"id": "a1", "status": "blood_drawn"}, {"id": "b2", "status": "cancelled"},'
    ' {"id": "c3", "status": "confirmed"}]\n'
)


def expect(text: str) -> str:
    """An expectation as the README writes it, its first line's indentation removed."""
    return "\n".join(line.strip() for line in text.strip().splitlines()) + "\n"


@pytest.mark.parametrize(
    "expectation",
    [
        "HTTP/1.1 201 CREATED",
        "HTTP/1.1 201 Created",
        "HTTP/1.1 201",
        """HTTP/1.1 201 CREATED
           idempotent-replayed: true
           Content-Type: application/...""",
        """HTTP/1.1 201 CREATED

           {"id": "...", "status": "confirmed", "scheduled_at": "...+01:00",
            "created_at": "...Z", "profile": {"id": "...", ...}, "panels": [],
            "status_history": [{"status": "confirmed", ...}], "requires_fasting": true,
            "weight": "..."}""",
        """HTTP/1.1 201 CREATED

           {"status": "confirmed", "panels": [...], ...}""",
    ],
)
def test_a_response_matches_what_the_readme_shows_of_it(expectation):
    assert response_differences(expect(expectation), BOOKED) == []


@pytest.mark.parametrize(
    ("expectation", "difference"),
    [
        ("HTTP/1.1 200 OK", "status: expected 200 OK, got 201 CREATED"),
        ("HTTP/1.1 201 ACCEPTED", "status: expected 201 ACCEPTED, got 201 CREATED"),
        (
            "HTTP/1.1 201 CREATED\nIdempotent-Replayed: false",
            "header Idempotent-Replayed: expected 'false', got ['true']",
        ),
        (
            "HTTP/1.1 201 CREATED\nRetry-After: 1",
            "header Retry-After: expected '1', got none",
        ),
        (
            'HTTP/1.1 201 CREATED\n\n{"status": "pending", ...}',
            'body.status: expected "pending", got "confirmed"',
        ),
        (
            'HTTP/1.1 201 CREATED\n\n{"barcode": "...", ...}',
            'body.barcode: missing (expected "...")',
        ),
        (
            'HTTP/1.1 201 CREATED\n\n{"profile": {"id": "..."}, ...}',
            "body.profile.first_name: present, but not shown in the README",
        ),
        (
            'HTTP/1.1 201 CREATED\n\n{"panels": [{"panel_id": "..."}], ...}',
            "body.panels: expected 1 items, got 0: []",
        ),
        (
            'HTTP/1.1 201 CREATED\n\n{"status_history": [..., {"reason": "Cancelled", ...}], ...}',
            "body.status_history: expected items like [..., {",
        ),
        (
            'HTTP/1.1 201 CREATED\n\n{"created_at": "...+01:00", ...}',
            'body.created_at: expected "...+01:00", got "2026-11-21T09:00:00Z"',
        ),
        (
            'HTTP/1.1 201 CREATED\n\n{"requires_fasting": 1, ...}',
            "body.requires_fasting: expected 1, got true",
        ),
        (
            'HTTP/1.1 201 CREATED\n\n{"profile": [...], ...}',
            'body.profile: expected an array like [...], got {"id": "d6a3"',
        ),
        (
            'HTTP/1.1 201 CREATED\n\n{"weight": 63.5, ...}',
            "body.weight: expected 63.5, got null",
        ),
    ],
)
def test_a_wrong_expectation_is_reported_with_what_the_server_answered(expectation, difference):
    found = response_differences(expectation, BOOKED)

    assert len(found) == 1
    assert found[0].startswith(difference)


def test_every_difference_is_reported_not_only_the_first():
    expectation = 'HTTP/1.1 200 OK\nIdempotent-Replayed: false\n\n{"status": "pending", ...}'

    assert len(response_differences(expectation, BOOKED)) == 3


def test_a_link_header_and_an_item_anywhere_in_a_list_can_be_shown_with_ellipses():
    expectation = expect(
        """HTTP/1.1 200 OK
           Link: <...cursor=...>; rel="next"

           [..., {"id": "b2", "status": "cancelled"}, ...]"""
    )

    assert response_differences(expectation, PAGE) == []
    assert response_differences(expectation, PAGE.replace('rel="next"', 'rel="prev"')) == [
        "header Link: expected '<...cursor=...>; rel=\"next\"', got "
        "['<http://127.0.0.1:5000/api/v1/appointments?cursor=abc&limit=1>; rel=\"prev\"']"
    ]
    missing = PAGE.replace('"cancelled"', '"pending"')
    assert response_differences(expectation, missing)[0].startswith("body: expected items like")


@pytest.mark.parametrize(
    ("pattern", "matches"),
    [
        ('[{"id": "a1", ...}, ...]', True),
        ('[..., {"id": "c3", ...}]', True),
        ('[{"id": "a1", ...}, ..., {"id": "c3", ...}]', True),
        ('[{"id": "b2", ...}, ...]', False),
        ('[..., {"id": "a1", ...}]', False),
        ('[{"id": "a1", ...}, {"id": "b2", ...}]', False),
        ("[...]", True),
        ('"..."', True),
    ],
)
def test_a_bare_ellipsis_in_a_list_stands_for_any_number_of_items(pattern, matches):
    found = response_differences(f"HTTP/1.1 200 OK\n\n{pattern}", PAGE)

    assert (found == []) is matches, found


def test_variables_take_the_values_the_session_gave_them():
    expectation = (
        'HTTP/1.1 201 CREATED\n\n{"id": "$APPOINTMENT_ID", "profile": {"id": "$P", ...}, ...}'
    )

    assert variables_in(expectation) == ["APPOINTMENT_ID", "P"]
    assert response_differences(expectation, BOOKED, {"APPOINTMENT_ID": "42a3", "P": "d6a3"}) == []
    assert response_differences(expectation, BOOKED, {"APPOINTMENT_ID": "x", "P": "d6a3"}) == [
        'body.id: expected "x", got "42a3"'
    ]
    with pytest.raises(ValueError, match=r"never set \$P"):
        response_differences(expectation, BOOKED, {"APPOINTMENT_ID": "42a3"})


def test_output_that_is_no_http_response_or_no_json_body_is_reported():
    assert response_differences("HTTP/1.1 200 OK", "curl: (7) Failed to connect\n") == [
        "the command printed no HTTP response (not an HTTP status line: "
        "'curl: (7) Failed to connect')"
    ]
    assert response_differences(
        'HTTP/1.1 200 OK\n\n{"status": "ok"}', "HTTP/1.1 200 OK\r\n\r\n<html></html>\n"
    ) == ["body: not JSON: '<html></html>'"]


@pytest.mark.parametrize(
    ("expectation", "problem"),
    [
        ('{"status": "ok"}', "not an HTTP status line"),
        ("HTTP/1.1 200 OK\nno colon here", "not a header line"),
        ("HTTP/1.1 200 OK\n\n...", "inside an object or an array"),
        ('HTTP/1.1 200 OK\n\n{"status": ok}', "not JSON with ..."),
    ],
)
def test_an_expectation_that_cannot_be_read_is_an_error_not_a_match(expectation, problem):
    with pytest.raises(ValueError, match=problem):
        response_differences(expectation, BOOKED)


def test_an_ellipsis_inside_a_string_matches_any_text_there_even_beside_escaped_quotes():
    printed = 'HTTP/1.1 409 CONFLICT\r\n\r\n{"error": "The \\"10:00\\" slot is full.", "code": "x"}'

    assert (
        response_differences(
            'HTTP/1.1 409 CONFLICT\n\n{"error": "The \\"...\\" slot is ...", ...}', printed
        )
        == []
    )
    assert response_differences(
        'HTTP/1.1 409 CONFLICT\n\n{"error": "The \\"...\\" day is ...", ...}', printed
    ) == ['body.error: expected "The \\"...\\" day is ...", got "The \\"10:00\\" slot is full."']
