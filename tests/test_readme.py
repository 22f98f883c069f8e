"""The README's partner session ("The API, with curl") runs for real and answers as it shows.

The session's ```sh blocks run in bash against the app served on a free local port, on the test
database with the demo data; `flask --app app create-api-key` runs as a real command on that
database. Every response the README shows is compared with what the server answered.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from app.seed import seed_demo
from tests.conftest import NOW
from tests.http_expectations import response_differences
from tests.live_server import serving
from tests.readme_session import README, SECTION, Step, StepRun, run_session, session_steps

# What a partner's session must show (issue 5, "A partner's view"), as text of its commands and
# of the responses shown, in the order the issue lists them.
JOURNEY = (
    ("create a key", "flask --app app create-api-key"),
    ("list locations", '"$API/locations"'),
    ("check availability", "/availability"),
    ("create a profile", '-X POST "$API/profiles"'),
    ("book with an idempotency key", '-H "Idempotency-Key: $IKEY"'),
    ("retry it", "Idempotent-Replayed: true"),
    ("add panels", "/panels"),
    ("record the blood draw", "/confirm"),
    ("cancel", '-X DELETE "$API/appointments/'),
)
ERRORS = ("400 BAD REQUEST", "403 FORBIDDEN", "409 CONFLICT", "422 UNPROCESSABLE ENTITY")


@pytest.fixture
def steps() -> list[Step]:
    """The session's steps as README.md holds them now."""
    return session_steps(README.read_text(encoding="utf-8"))


@pytest.fixture
def live_api(app: Flask, session: Session) -> Iterator[str]:
    """The app with the demo data, served by werkzeug on a free local port in a thread; yields
    the API's base URL."""
    seed_demo(session, now=NOW)
    with serving(app) as url:
        yield f"{url}/api/v1"


def _session_env(api: str, database_url: str, tmp_path: Path) -> dict[str, str]:
    """The environment a partner's shell has: this virtualenv's `flask` and `python3` first on
    PATH, the server's database and address; temporary files under `tmp_path`."""
    bin_folder = Path(sys.executable).parent
    if not (bin_folder / "flask").exists() or shutil.which("curl") is None:
        pytest.fail(f"the session needs curl and {bin_folder / 'flask'}")
    return os.environ | {
        "PATH": f"{bin_folder}{os.pathsep}{os.environ.get('PATH', '')}",
        "API": api,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "TMPDIR": str(tmp_path),
    }


def _step_failure(step: Step, run: StepRun) -> str:
    """Why `step`'s run does not match the README, or '' when it does."""
    where = f"README.md:{step.line}"
    if not run.completed:
        return f"{where} failed:\n{step.script}stdout: {run.stdout}\nstderr: {run.stderr}"
    if run.stderr:
        return f"{where} wrote to stderr: {run.stderr}"
    if step.expected is None:
        if run.stdout:
            return f"{where} printed what the README does not show: {run.stdout!r}"
        return ""
    try:
        found = response_differences(step.expected, run.stdout, run.variables)
    except ValueError as error:
        return f"{where}: the response shown after it cannot be read: {error}"
    if found:
        return f"{where} answered otherwise than the README shows:\n  " + "\n  ".join(found)
    return ""


def test_the_readme_partner_session_runs_and_every_response_is_as_shown(
    steps, live_api, database_url, tmp_path
):
    result = run_session(steps, tmp_path, _session_env(live_api, database_url, tmp_path))

    failures = [
        failure
        for step, run in zip(steps, result.steps, strict=False)
        if (failure := _step_failure(step, run))
    ]
    assert not failures, "\n\n".join(failures)
    assert result.returncode == 0, result.output
    assert len(result.steps) == len(steps)


def test_the_readme_holds_the_whole_partner_session_in_the_issues_order(steps):
    shown = [step.script + (step.expected or "") for step in steps]

    places = {}
    for what, text in JOURNEY:
        hits = [number for number, block in enumerate(shown) if text in block]
        assert hits, f"the session no longer shows how to {what} ({text!r})"
        places[what] = hits[0]
    assert list(places.values()) == sorted(places.values()), places
    responses = [step.expected for step in steps if step.expected]
    assert len(responses) >= 20
    for status in ERRORS:
        assert any(status in response for response in responses), status


@pytest.mark.parametrize(
    ("markdown", "problem"),
    [
        ("# Vena\n\nNo API section.\n", "has no section"),
        (f"{SECTION}\n\nOnly words.\n\n## Next\n\n```sh\ntrue\n```\n", "holds no ```sh"),
        (f"{SECTION}\n\n```http\nHTTP/1.1 200 OK\n```\n", "follows no ```sh"),
        (f"{SECTION}\n\n```json\n{{}}\n```\n", "would go unchecked"),
        (f"{SECTION}\n\n```sh\ncurl -si x\n", "never closed"),
    ],
)
def test_a_readme_without_a_checkable_session_is_refused(markdown, problem):
    with pytest.raises(ValueError, match=problem):
        session_steps(markdown)


def test_session_steps_pair_each_command_with_the_response_shown_after_it():
    markdown = (
        f"{SECTION}\n\nWords.\n\n```sh\nA=1\n```\n\n```sh\ncurl -si x\n```\n"
        "Some words.\n```http\nHTTP/1.1 200 OK\n```\n\n## Next\n\n```sh\nnot in the session\n```\n"
    )

    assert session_steps(markdown) == [
        Step(5, "A=1\n"),
        Step(9, "curl -si x\n", "HTTP/1.1 200 OK\n"),
    ]


def test_a_failing_command_stops_the_session_and_is_reported_with_its_output(tmp_path):
    steps = [
        Step(1, "NAME=first\necho kept\n", "HTTP/1.1 200 OK\n$NAME\n"),
        Step(2, "echo oops >&2\nfalse\n"),
        Step(3, "echo never\n"),
    ]

    result = run_session(steps, tmp_path, os.environ)

    assert result.returncode != 0
    first, second = result.steps
    assert (first.stdout, first.completed, first.variables) == ("kept\n", True, {"NAME": "first"})
    assert (second.stderr, second.completed) == ("oops\n", False)
    assert "README.md:2 failed" in _step_failure(steps[1], second)


def test_output_the_readme_does_not_show_fails_the_step():
    run = StepRun(stdout="HTTP/1.1 200 OK\r\n\r\n[]\n", stderr="", completed=True, variables={})

    assert "printed what the README does not show" in _step_failure(Step(7, "x\n"), run)
