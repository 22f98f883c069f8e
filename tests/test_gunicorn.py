"""gunicorn with the repository's gunicorn.conf.py, run for real: several workers counting the
rate limits alone refuse to start; one worker starts, with the timeouts from the environment
and header limits that let a long header reach the app."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.ratelimit import unshared_storage_problem

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
# Seconds to wait for gunicorn to start or stop on a busy machine.
START_SECONDS = 90
# What gunicorn's own settings may come from besides the file: none of it in these tests.
GUNICORN_ENVIRONMENT = ("GUNICORN_CMD_ARGS", "WEB_CONCURRENCY", "WORKER_TIMEOUT_SECONDS")


def gunicorn_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """The environment of a server process: a SQLite file in `tmp_path`, rate limits in each
    process's memory, then `settings`."""
    env = {name: value for name, value in os.environ.items() if name not in GUNICORN_ENVIRONMENT}
    return env | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'gunicorn.sqlite3'}",
        "SECRET_KEY": "gunicorn-test-secret",
        "RATELIMIT_STORAGE_URI": "memory://",
        **settings,
    }


def gunicorn(*options: str) -> list[str]:
    """The README's production command with `options`, on any free local port."""
    return [str(GUNICORN), "-c", "gunicorn.conf.py", *options, "-b", "127.0.0.1:0"] + [
        "app:create_app()"
    ]


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """gunicorn with one worker, serving; yields its port once /healthz answers."""
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            gunicorn("-w", "1"), cwd=ROOT, env=gunicorn_env(tmp_path), stdout=out, stderr=out
        )
    try:
        yield _wait_until_serving(server, log)
    finally:
        server.terminate()
        server.wait(timeout=START_SECONDS)


def _wait_until_serving(server: subprocess.Popen[bytes], log: Path) -> int:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.returncode}:\n{log.read_text()}")
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())
        if found and _health(int(found[1])) == 200:
            return int(found[1])
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not serve within {START_SECONDS} s:\n{log.read_text()}")


def _health(port: int) -> int | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def test_two_workers_counting_rate_limits_in_memory_refuse_to_start(tmp_path):
    result = subprocess.run(
        gunicorn("-w", "2"),
        cwd=ROOT,
        env=gunicorn_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=START_SECONDS,
    )
    assert result.returncode != 0
    assert "Vena cannot start: RATELIMIT_STORAGE_URI is 'memory://'" in result.stderr
    assert "Listening at" in result.stderr  # it did begin, and stopped before serving


def _send(port: int, method: str, path: str, headers: dict[str, str]) -> tuple[int, str, bytes]:
    """One request; the answer's status, Content-Type and body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=b"{}", headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def test_one_worker_starts_and_a_header_of_ten_thousand_characters_reaches_the_app(one_worker):
    long_key = {"Idempotency-Key": "k" * 10_000}

    status, content_type, body = _send(one_worker, "GET", "/healthz", long_key)
    assert (status, content_type, json.loads(body)) == (200, "application/json", {"status": "ok"})

    # The API answers such a request itself, with the contract's JSON error (the missing key,
    # or the Idempotency-Key's length), not gunicorn's HTML 431.
    headers = {**long_key, "Content-Type": "application/json"}
    status, content_type, body = _send(one_worker, "POST", "/api/v1/appointments", headers)
    assert status in (400, 403), body
    assert content_type == "application/json"
    assert "code" in json.loads(body)


def test_the_worker_timeout_comes_from_the_environment(tmp_path):
    result = subprocess.run(
        gunicorn("--print-config"),
        cwd=ROOT,
        env=gunicorn_env(tmp_path, WORKER_TIMEOUT_SECONDS="45"),
        capture_output=True,
        text=True,
        timeout=START_SECONDS,
    )
    settings = dict(re.findall(r"^(\w+) += (.*)$", result.stdout, flags=re.MULTILINE))
    assert (settings["timeout"], settings["graceful_timeout"]) == ("45", "45")
    assert int(settings["limit_request_field_size"]) >= 10_000 + len("Idempotency-Key: ")


@pytest.mark.parametrize(
    ("config", "workers"),
    [
        ({"RATELIMIT_STORAGE_URI": "memory://"}, 1),
        ({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}, 4),
        ({"RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_ENABLED": False}, 4),
    ],
)
def test_one_worker_or_shared_storage_or_no_limits_may_start(config, workers):
    assert unshared_storage_problem(config, workers) is None


def test_the_refusal_says_how_much_looser_the_limits_would_be_and_what_to_set():
    problem = unshared_storage_problem({"RATELIMIT_STORAGE_URI": "memory://"}, 4)
    assert problem is not None
    assert "each of the 4 workers would count the rate limits alone" in problem
    assert "Set RATELIMIT_STORAGE_URI to a Redis all workers reach" in problem
