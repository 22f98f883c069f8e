"""Double-booking race: many concurrent bookings of one slot must not take more chairs than it has.

For each backend (SQLite in a fresh temp file; PostgreSQL at `BENCH_DATABASE_URL`, default
`postgresql+psycopg://postgres@127.0.0.1:5432/vena_bench`, which is DROPPED and recreated, so
its name must contain "bench") the script:

1. prepares the database with the project's own commands (`init-db`, `seed-demo`, and
   `create-api-key` for the `demo` organisation with every scope);
2. serves it with `gunicorn -c gunicorn.conf.py -w 4 'app:create_app()'` on a free localhost
   port, the rate limits shared through `RATELIMIT_STORAGE_URI` (default the Redis at
   redis://127.0.0.1:6379/0, under a key prefix of the run's own; without an answering Redis
   each worker counts alone) and set far above the requests it makes;
3. creates 200 profiles through the API, so each booking is for a different patient;
4. for each test location (`--location`, matched by name; default "München", capacity 1, and
   "Berlin Mitte", capacity 3) takes the first free slot at least two days ahead and fires 200
   `POST /api/v1/appointments` at it at once: 200 threads, each with its own connection,
   released together by a barrier;
5. checks the answers (exactly `capacity` 201s, every other answer 409 `slot_unavailable`, no
   5xx) and the whole database: no `slot_seats` row above its location's capacity, and every
   counter equal to its slot's appointments that are not cancelled.

Run it with `make bench` (options through `BENCH_ARGS`), or `.venv/bin/python
bench/booking_race.py [--backend sqlite|postgresql|both] [--location NAME ...]`. It prints a report
per backend and location, then `RESULT: OK` or `RESULT: FAILED (...)`; the exit status is 0 only
when every check passed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/vena_bench"
DEFAULT_LOCATIONS = ["München", "Berlin Mitte"]
BENCH_REDIS = "redis://127.0.0.1:6379/0"
SCOPES = (  # every scope of the contract, as ALL_SCOPES in tests/factories.py
    "TEST_SESSIONS_SCHEDULE",
    "TEST_SESSIONS_VIEW",
    "TEST_SESSIONS_OPERATE",
    "TEST_SESSIONS_MANAGE",
    "PROFILES_VIEW",
    "CREATE_USER",
    "LOCATIONS_VIEW",
)
REQUESTS = 200


class BenchError(Exception):
    """The bench could not run: a command failed, the server did not start, an answer was odd."""


@dataclass(frozen=True)
class Answer:
    """One booking attempt: HTTP status (0: no answer), error code, latency in seconds."""

    status: int
    code: str | None
    seconds: float


class Api:
    """A small JSON client of the server under test: a new connection for every call."""

    def __init__(self, port: int, key: str) -> None:
        self.port = port
        self.headers = {"x-api-key": key, "content-type": "application/json"}

    def connection(self) -> http.client.HTTPConnection:
        """A new, not yet connected, connection to the server."""
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def call(self, method: str, path: str, body: Any = None, *, expect: int = 200) -> Any:
        """Send one request to `/api/v1{path}`; return the decoded JSON answer. Raises
        BenchError unless the status is `expect`."""
        conn = self.connection()
        try:
            payload = None if body is None else json.dumps(body)
            conn.request(method, "/api/v1" + path, payload, self.headers)
            response = conn.getresponse()
            answer = response.read().decode()
        finally:
            conn.close()
        if response.status != expect:
            raise BenchError(f"{method} {path} answered {response.status}: {answer[:300]}")
        return json.loads(answer)


def flask(env: dict[str, str], *args: str) -> str:
    """Run `flask --app app ARGS` and return its standard output."""
    command = [str(BIN / "flask"), "--app", "app", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"flask {args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def recreate_postgres(url: str) -> None:
    """Drop and create the database of `url`, connected to the `postgres` maintenance database."""
    parsed = make_url(url)
    database = parsed.database or ""
    if "bench" not in database:
        raise BenchError(f"refusing to drop {database!r}: its name lacks 'bench'")
    maintenance = parsed.set(drivername="postgresql", database="postgres")
    name = sql.Identifier(database)
    try:
        with psycopg.connect(maintenance.render_as_string(hide_password=False)) as db:
            db.autocommit = True
            db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            db.execute(sql.SQL("CREATE DATABASE {}").format(name))
    except psycopg.Error as error:
        raise BenchError(f"could not recreate {database}: {error}") from None


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(env: dict[str, str], port: int, log: Path) -> Iterator[None]:
    """Run gunicorn (4 workers) on `port` while the block runs, and stop it however the block
    ends; the block starts once `GET /healthz` answers 200."""
    command = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "-w", "4"]
    command += ["-b", f"127.0.0.1:{port}", "app:create_app()"]
    with log.open("wb") as out:
        # A session of its own: Ctrl-C reaches only this script, whose `finally` stops gunicorn.
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_healthy(server, port, log)
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_healthy(server: subprocess.Popen[bytes], port: int, log: Path) -> None:
    """Return once `GET /healthz` answers 200; raise BenchError if gunicorn exits or 30 s pass."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited ({server.returncode}): {log.read_text()[-2000:]}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass  # not listening yet
        finally:
            conn.close()
        time.sleep(0.2)
    raise BenchError("gunicorn did not answer /healthz within 30 s")


def create_profiles(api: Api, count: int) -> list[str]:
    """Create `count` profiles in the key's organisation; return their ids."""
    ids = []
    for n in range(count):
        handle = f"bench-{n:03d}"
        profile = {"handle": handle, "email": f"{handle}@example.com", "first_name": "Bench"}
        body = {**profile, "sex": 1 + n % 2, "date_of_birth": "1980-05-17"}
        ids.append(api.call("POST", "/profiles", body, expect=201)["id"])
    return ids


def find_location(api: Api, name: str) -> dict[str, Any]:
    """The one test location named `name`, or else whose name contains it (case-insensitive)."""
    locations = api.call("GET", "/locations")
    exact = [loc for loc in locations if loc["name"].casefold() == name.casefold()]
    found = exact or [loc for loc in locations if name.casefold() in loc["name"].casefold()]
    if len(found) != 1:
        raise BenchError(f"{len(found)} test locations match {name!r}")
    return dict(found[0])


def first_slot(api: Api, location_id: str) -> str:
    """The first free slot of the first day with one, at least two days ahead."""
    start = datetime.now(UTC).date() + timedelta(days=2)
    query = f"start_date={start}&end_date={start + timedelta(days=30)}&detail=true"
    days = api.call("GET", f"/locations/{location_id}/availability?{query}")["availability"]
    for day in days:
        if day["slots"]:
            return str(day["slots"][0]["start"])
    raise BenchError(f"no free slot at {location_id} in the 30 days from {start}")


def error_code(status: int, raw: bytes) -> str | None:
    """The `code` of an error answer (None for a success)."""
    if status < 400:
        return None
    try:
        return str(json.loads(raw).get("code"))
    except (ValueError, AttributeError):
        return "not a JSON object"


def race(api: Api, bookings: list[dict[str, str]]) -> tuple[list[Answer], float]:
    """Send every booking at once, one thread and connection each; return answers, wall time."""
    barrier = threading.Barrier(len(bookings) + 1)
    answers = [Answer(0, "no answer", 0.0)] * len(bookings)

    def book(index: int, payload: str) -> None:
        conn = api.connection()
        started = time.perf_counter()
        try:
            try:
                conn.connect()
            finally:  # a thread whose connect failed must not keep the others waiting
                barrier.wait(timeout=60)
            started = time.perf_counter()
            conn.request("POST", "/api/v1/appointments", payload, api.headers)
            response = conn.getresponse()
            code = error_code(response.status, response.read())
            answers[index] = Answer(response.status, code, time.perf_counter() - started)
        except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as error:
            answers[index] = Answer(0, type(error).__name__, time.perf_counter() - started)
        finally:
            conn.close()

    threads = [
        threading.Thread(target=book, args=(index, json.dumps(booking)), daemon=True)
        for index, booking in enumerate(bookings)
    ]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=60)
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return answers, time.perf_counter() - started


def slot_key(location_id: Any, at: Any) -> tuple[uuid.UUID, datetime]:
    """(location, UTC instant) from raw column values: SQLite gives strings, PostgreSQL objects."""
    instant = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
    instant = instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)
    return uuid.UUID(str(location_id)), instant


OVERBOOKED = """SELECT count(*) FROM slot_seats s JOIN test_locations l ON l.id = s.location_id
WHERE s.taken > l.capacity"""
COUNTERS = "SELECT location_id, starts_at, taken FROM slot_seats"
LIVE = """SELECT location_id, scheduled_at, count(*) FROM appointments
WHERE status <> 'cancelled' AND location_id IS NOT NULL GROUP BY location_id, scheduled_at"""


def check_database(url: str) -> tuple[int, int] | None:
    """(slots over capacity, counters that differ from their slot's appointments that are not
    cancelled, a missing counter counting as 0) across the database; None without `slot_seats`."""
    engine = create_engine(url)
    try:
        with engine.connect() as db:
            if not inspect(db).has_table("slot_seats"):
                return None
            overbooked = int(db.execute(text(OVERBOOKED)).scalar_one())
            taken = {slot_key(row[0], row[1]): row[2] for row in db.execute(text(COUNTERS))}
            booked = {slot_key(row[0], row[1]): row[2] for row in db.execute(text(LIVE))}
    finally:
        engine.dispose()
    mismatches = sum(taken.get(key, 0) != booked.get(key, 0) for key in taken.keys() | booked)
    return overbooked, mismatches


def report(title: str, capacity: int, answers: list[Answer], wall: float, url: str) -> list[str]:
    """Print the figures of one race, and check it and the database; return the failed checks."""
    statuses = Counter(f"{a.status} {a.code}" if a.code else str(a.status) for a in answers)
    ms = sorted(a.seconds * 1000 for a in answers)
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    made = sum(a.status == 201 for a in answers)
    refused = sum(a.status == 409 and a.code == "slot_unavailable" for a in answers)
    errors = sum(a.status >= 500 or a.status == 0 for a in answers)
    print(f"== {title}")
    counts = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
    print(f"   requests {len(answers)} in {wall:.2f} s · {counts}")
    print(f"   latency p50 {cuts[49]:.0f} ms · p95 {cuts[94]:.0f} ms · max {ms[-1]:.0f} ms")
    failures = [f"{made} bookings for {capacity} chairs"] * (made != capacity)
    others = len(answers) - made - refused
    failures += [f"{others} answers neither 201 nor 409 slot_unavailable"] * bool(others)
    failures += [f"{errors} server errors or no answer"] * bool(errors)
    checked = check_database(url)
    if checked is None:
        print(f"   bookings {made} / capacity {capacity} · no slot_seats table")
        failures.append("no slot_seats table (seat counter not migrated)")
    else:
        overbooked, mismatches = checked
        print(
            f"   bookings {made} / capacity {capacity} · overbooked slots {overbooked}"
            f" · counter mismatches {mismatches}"
        )
        failures += [f"{overbooked} slots over capacity"] * bool(overbooked)
        failures += [f"{mismatches} counters off"] * bool(mismatches)
    print("   " + (f"FAILED: {'; '.join(failures)}" if failures else "ok"))
    return failures


def run_backend(backend: str, url: str, locations: list[str], workdir: Path) -> list[str]:
    """Prepare the database at `url`, serve it, and race each location; return failed checks."""
    if backend == "postgresql":
        recreate_postgres(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        # Four workers need shared rate-limit storage to start (gunicorn.conf.py); the limit is
        # set far above the race's requests, so that the capacity rule, not a 429, decides.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", BENCH_REDIS),
        "RATELIMIT_KEY_PREFIX": f"vena-bench-{secrets.token_hex(4)}",
        "API_RATE_LIMIT": "1000000 per minute",
    }
    flask(env, "init-db")
    flask(env, "seed-demo", "--i-know-this-is-a-demo")
    scopes = [arg for scope in SCOPES for arg in ("--scope", scope)]
    key = flask(env, "create-api-key", "--org", "demo", "--name", "bench", *scopes)
    port = free_port()
    failures = []
    with serving(env, port, workdir / f"gunicorn-{backend}.log"):
        api = Api(port, key.strip().splitlines()[-1])
        profiles = create_profiles(api, REQUESTS)
        for name in locations:
            location = find_location(api, name)
            slot = first_slot(api, location["id"])
            booking = {"location_id": location["id"], "scheduled_at": slot}
            answers, wall = race(api, [{**booking, "profile_id": pid} for pid in profiles])
            title = f"{backend} · {location['name']} (capacity {location['capacity']}) · {slot}"
            failed = report(title, location["capacity"], answers, wall, url)
            failures += [f"{backend} {name}: {failure}" for failure in failed]
    return failures


def main() -> int:
    """Parse the options, run each backend, print the verdict; 0 only when every check passed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--location",
        action="append",
        metavar="NAME",
        help=f"a test location to race, by name; repeatable (default: {DEFAULT_LOCATIONS})",
    )
    options = parser.parse_args()
    backends = ["sqlite", "postgresql"] if options.backend == "both" else [options.backend]
    # SIGTERM unwinds like Ctrl-C, so `serving` stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="vena-bench-") as tmp:
        workdir = Path(tmp)
        for backend in backends:
            url = f"sqlite:///{workdir / 'bench.sqlite3'}"
            if backend == "postgresql":
                url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES_URL)
            try:
                failures += run_backend(
                    backend, url, options.location or DEFAULT_LOCATIONS, workdir
                )
            except (BenchError, OSError, http.client.HTTPException, SQLAlchemyError) as error:
                print(f"== {backend}: could not run: {error}")
                failures.append(f"{backend}: could not run")
    print("RESULT: " + (f"FAILED ({'; '.join(failures)})" if failures else "OK"))
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
