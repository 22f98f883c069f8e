"""The size and type of a request body (contract, "Errors"): over MAX_CONTENT_LENGTH a 413 that
reads no more than the limit, a body that is not JSON a 415, both in the contract's JSON; the
portal shows its own 413 page."""

from __future__ import annotations

import io
import json

import pytest
from flask import Request
from flask.testing import EnvironBuilder

from tests.api.conftest import booking
from tests.web.conftest import soup

LIMIT = 1024 * 1024  # MAX_CONTENT_LENGTH's default: 1 MiB
FORTY_MB = 40 * 1024 * 1024


class CountingStream(io.RawIOBase):
    """`size` bytes of JSON-ish filler that count how many the app read."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = b" " * n
        self.read_bytes += n
        return n


def _too_large(response) -> None:
    assert response.status_code == 413
    assert response.get_json() == {
        "error": f"The body is larger than this API takes ({LIMIT:,} bytes); send less.",
        "code": "payload_too_large",
    }


def test_a_body_one_byte_over_the_limit_is_a_413_in_the_contracts_json(api, profile, location):
    body = json.dumps(booking(profile, location)).encode()
    padded = body[:-1] + b" " * (LIMIT + 1 - len(body)) + b"}"
    assert len(padded) == LIMIT + 1

    _too_large(api.post("/appointments", data=padded, content_type="application/json"))


def test_a_body_at_the_limit_is_read(api, profile, location):
    body = json.dumps(booking(profile, location)).encode()
    padded = body[:-1] + b" " * (LIMIT - len(body)) + b"}"

    response = api.post("/appointments", data=padded, content_type="application/json")

    assert response.status_code == 201


def test_a_40_mb_body_with_its_length_declared_is_refused_unread(api):
    stream = CountingStream(FORTY_MB)

    response = api.post(
        "/profiles",
        content_type="application/json",
        environ_overrides={"wsgi.input": stream, "CONTENT_LENGTH": str(FORTY_MB)},
    )

    _too_large(response)
    assert stream.read_bytes == 0


def test_a_streamed_40_mb_body_without_a_length_is_cut_off_at_the_limit(api):
    # A server that ends the stream itself (gunicorn, chunked uploads) says so with
    # `wsgi.input_terminated`; werkzeug then reads up to the limit, and stops.
    stream = CountingStream(FORTY_MB)
    builder = EnvironBuilder(
        api.client.application,
        "/api/v1/profiles",
        method="POST",
        headers={"x-api-key": api.key},
        content_type="application/json",
    )
    environ = builder.get_environ()
    environ.update({"wsgi.input": stream, "wsgi.input_terminated": True})

    response = api.client.open(Request(environ))

    _too_large(response)
    assert stream.read_bytes == LIMIT


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None]
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/profiles"),
        ("POST", "/appointments"),
        ("PATCH", "/appointments/00000000-0000-4000-8000-000000000001"),
        ("POST", "/appointments/00000000-0000-4000-8000-000000000001/panels"),
        ("POST", "/appointments/00000000-0000-4000-8000-000000000001/confirm"),
    ],
)
def test_a_body_that_is_not_json_is_a_415(api, method, path, content_type):
    body = b'{"first_name": "Anna"}'

    response = api.request(method, path, data=body, content_type=content_type)

    assert response.status_code == 415
    assert response.get_json() == {
        "error": "Send the body as JSON, with Content-Type: application/json.",
        "code": "unsupported_media_type",
    }


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "application/merge-patch+json"]
)
def test_json_with_a_charset_or_a_json_suffix_type_is_json(api, profile, content_type):
    response = api.patch(
        f"/profiles/{profile.id}", data=b'{"last_name": "Weber"}', content_type=content_type
    )

    assert response.status_code == 200
    assert response.get_json()["last_name"] == "Weber"


def test_the_portal_shows_its_own_page_for_a_form_over_the_limit(client):
    response = client.post(
        "/sign-in",
        data=b"email=" + b"a" * LIMIT,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
    assert response.content_type.startswith("text/html")
    assert soup(response).find("h1").get_text(strip=True) == "Too much sent"
