"""Portal lists at 1,000 and at 1,000,000 appointments: every list page must cost about the same.

Each size (`--sizes`, default `1k,1M`; `bench/portal_fill.py` says what each loads) gets a
PostgreSQL database of its own: the largest `BENCH_LISTS_DATABASE_URL` (default
`postgresql+psycopg://postgres@127.0.0.1:5432/vena_bench_lists`), each other one the same name
with `_<size>` added (`vena_bench_lists_1k`). Each is DROPPED and recreated (its name must
contain "bench"), built with the project's migrations and filled with `generate_series`;
`--reuse` measures the databases a previous run left instead.

It signs in as each role through the sign-in form (the Flask test client: no network in the
figures) and asks for each list page, the sizes taking turns request by request (`--repeat`
each) so a shared machine's load falls on both alike. Per page: the median time at each size
and their ratio, statements, HTML size, and the list SELECT's execution time and plan
(`EXPLAIN ANALYZE`, median of 3); a plan reading a big table whole (a Seq Scan) is named.

Run it with `make bench-lists` or `.venv/bin/python bench/portal_pages.py [--sizes 1k,1M]
[--repeat N] [--reuse] [--plans]`. The exit status is 0 only when every page answered 200 and
every ratio is at most `--goal` (1.5).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from booking_race import BenchError, recreate_postgres
from flask import Flask
from flask.testing import FlaskClient
from portal_fill import BUSY_DAY, NOW, PASSWORD, SIZES, fill
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.domain.accounts import hash_password
from app.migrate import upgrade_database

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/vena_bench_lists"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
NEXT = re.compile(r'<a href="([^"]+)" rel="next">')
BIG_TABLES = ("appointments", "profiles", "users", "api_keys", "status_changes", "organisations")
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")
EXECUTION = re.compile(r"Execution Time: ([0-9.]+) ms")
# The test client speaks plain HTTP, so the session cookie goes without Secure (as `make run`).
SETTINGS = {"SECRET_KEY": "bench", "CLOCK": lambda: NOW, "SESSION_COOKIE_SECURE": False}


@dataclass
class Result:
    """One page at one size: request times (ms), HTML bytes, statements, the list SELECTs'
    execution ms and plans, and the big tables they scan whole."""

    times: list[float] = field(default_factory=list)
    size: int = 0
    statements: int = 0
    select_ms: float = 0.0
    plans: list[str] = field(default_factory=list)
    scans: set[str] = field(default_factory=set)


@dataclass
class Site:
    """One size's app, its engine, and a signed-in client per role."""

    label: str
    app: Flask
    engine: Engine
    clients: dict[str, FlaskClient] = field(default_factory=dict)

    def client(self, role: str) -> FlaskClient:
        """A client signed in through the form as the bench user of `role`."""
        if role not in self.clients:
            client = self.app.test_client()
            match = CSRF.search(client.get("/sign-in").get_data(as_text=True))
            if match is None:
                raise BenchError("no CSRF token on the sign-in page")
            data = {"csrf_token": match[1], "email": f"{role}@bench.example", "password": PASSWORD}
            if client.post("/sign-in", data=data).status_code != 302:
                raise BenchError(f"{self.label}: signing in as {role} failed")
            self.clients[role] = client
        return self.clients[role]


def ids(engine: Engine) -> dict[str, str]:
    """The ids the pages' URLs name: a location, the desk's, the bench organisation."""
    queries = {
        "location": "SELECT id FROM test_locations WHERE name = 'Bench 001'",
        "desk": "SELECT id FROM test_locations WHERE name = 'Bench 000'",
        "bench": "SELECT id FROM organisations WHERE slug = 'bench'",
    }
    with engine.connect() as connection:
        return {name: str(connection.scalar(text(sql))) for name, sql in queries.items()}


def pages() -> Iterator[tuple[str, str, str]]:
    """(label, role, URL) of each page measured, the URL with the `ids` to fill in; `deep:`
    pages are five Next links on."""
    coordinator = [
        ("appointments, page 1 (where a coordinator lands)", "/appointments"),
        ("appointments, 5th page", "deep:/appointments"),
        ("appointments, pending", "/appointments?status=pending"),
        ("appointments, patient “anna”", "/appointments?patient=anna"),
        ("appointments, at one location", "/appointments?location_id={location}"),
        ("appointments, one week", "/appointments?from=2026-11-23&to=2026-11-29"),
        ("profiles, page 1", "/profiles"),
        ("profiles, 5th page", "deep:/profiles"),
        ("profiles, search “anna”", "/profiles?q=anna"),
        ("booking step 1", "/appointments/new"),
        ("booking step 1, search “anna”", "/appointments/new?q=anna"),
    ]
    yield from ((label, "coordinator", url) for label, url in coordinator)
    yield "a patient's appointments", "patient", "/appointments"
    yield (
        "desk day sheet (120 appointments)",
        "front_desk",
        "/desk?location={desk}&day=" + str(BUSY_DAY),
    )
    admin = [
        ("admin: users", "/admin/users"),
        ("admin: users, 5th page", "deep:/admin/users"),
        ("admin: test locations", "/admin/locations"),
        ("admin: panels and biomarkers", "/admin/panels"),
        ("admin: organisations", "/admin/organisations"),
        ("admin: an organisation's API keys", "/admin/organisations/{bench}"),
    ]
    yield from ((label, "admin", url) for label, url in admin)


def deep(client: FlaskClient, url: str, hops: int = 4) -> str:
    """The URL `hops` Next links after `url`."""
    for _ in range(hops):
        found = NEXT.search(client.get(url).get_data(as_text=True))
        if found is None:
            raise BenchError(f"{url} has no next page")
        url = found[1].replace("&amp;", "&")
    return url


@contextmanager
def recorded(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every statement the engine runs while the block runs, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        seen.append((statement, params))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def first_look(site: Site, role: str, url: str) -> Result:
    """Ask once: the answer's size and statements, and its list SELECTs explained."""
    result = Result()
    with recorded(site.engine) as seen:
        response = site.client(role).get(url)
    if response.status_code != 200:
        raise BenchError(f"{site.label}: {url} answered {response.status_code}")
    result.size, result.statements = len(response.get_data()), len(seen)
    lists = [(sql, params) for sql, params in seen if sql.startswith("SELECT") and "LIMIT" in sql]
    with site.engine.connect() as connection:
        for sql, params in lists:
            runs = []
            for _ in range(3):
                explained = connection.exec_driver_sql("EXPLAIN ANALYZE " + sql, params)
                plan = "\n".join(row[0] for row in explained)
                runs.append(float(EXECUTION.findall(plan)[0]))
            result.select_ms += statistics.median(runs)
            result.plans.append(plan)
            result.scans |= {name for name in SEQ_SCAN.findall(plan) if name in BIG_TABLES}
    return result


def prepare(url: str, label: str, reuse: bool) -> None:
    """Recreate and fill the database of size `label`, unless `reuse` finds it filled."""
    size = SIZES[label]
    if reuse:
        try:
            engine = create_engine(url)
            with engine.connect() as connection:
                found = connection.scalar(text("SELECT count(*) FROM test_locations"))
            engine.dispose()
            if found == size.locations:
                upgrade_database(url)
                return
        except OperationalError:
            pass
    recreate_postgres(url)
    upgrade_database(url)
    engine = create_engine(url)
    started = time.perf_counter()
    try:
        fill(engine, size, hash_password(PASSWORD))
    finally:
        engine.dispose()
    print(f"{label}: filled in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def run(urls: dict[str, str], repeat: int) -> dict[str, dict[str, Result]]:
    """Measure every page at every size, the sizes taking turns request by request."""
    sites = [
        Site(label, app, app.extensions["vena.engine"])
        for label, app in (
            (label, create_app({**SETTINGS, "DATABASE_URL": url})) for label, url in urls.items()
        )
    ]
    results: dict[str, dict[str, Result]] = {site.label: {} for site in sites}
    names = {site.label: ids(site.engine) for site in sites}
    try:
        for label, role, template in pages():
            found = {site.label: template.format(**names[site.label]) for site in sites}
            if template.startswith("deep:"):
                found = {
                    s.label: deep(s.client(role), found[s.label].removeprefix("deep:"))
                    for s in sites
                }
            for site in sites:
                results[site.label][label] = first_look(site, role, found[site.label])
            for _ in range(repeat):
                for site in sites:
                    started = time.perf_counter()
                    site.client(role).get(found[site.label]).close()
                    results[site.label][label].times.append((time.perf_counter() - started) * 1000)
            print(f"  {label}", file=sys.stderr)
    finally:
        for site in sites:
            site.engine.dispose()
    return results


def report(results: dict[str, dict[str, Result]], goal: float, show_plans: bool) -> bool:
    """Print the table; True when every page's ratio of the largest size to the smallest is
    within `goal`."""
    labels = list(results)
    small, large = results[labels[0]], results[labels[-1]]
    times = " | ".join(f"{label}: ms" for label in labels)
    selects = " | ".join(f"{label}: SELECT ms" for label in labels)
    print(f"| page | {times} | ratio | {selects} | statements | KB | plan at {labels[-1]} |")
    print("| --- |" + " --- |" * (2 * len(labels) + 4))
    ok = True
    for page, result in large.items():
        medians = [statistics.median(results[label][page].times) for label in labels]
        ratio = medians[-1] / medians[0]
        ok = ok and ratio <= goal
        ms = " | ".join(f"{median:.1f}" for median in medians)
        select = " | ".join(f"{results[label][page].select_ms:.2f}" for label in labels)
        counts = "/".join(str(results[label][page].statements) for label in labels)
        scans = ", ".join(f"Seq Scan on {name}" for name in sorted(result.scans)) or "index"
        size = f"{small[page].size / 1024:.0f}/{result.size / 1024:.0f}"
        print(f"| {page} | {ms} | {ratio:.2f} | {select} | {counts} | {size} | {scans} |")
    for page, result in large.items() if show_plans else ():
        print(f"\n== {page} ({labels[-1]})\n" + "\n\n".join(result.plans))
    return ok


def main() -> int:
    """Parse the options, prepare each size, measure, report; 0 only within the goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,1M", help=f"comma-separated, of {', '.join(SIZES)}")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--goal", type=float, default=1.5)
    parser.add_argument("--reuse", action="store_true", help="measure the databases as left")
    parser.add_argument("--plans", action="store_true", help="print each list SELECT's plan")
    options = parser.parse_args()
    labels = options.sizes.split(",")
    if any(label not in SIZES for label in labels):
        raise BenchError(f"--sizes takes {', '.join(SIZES)}")
    base = make_url(os.environ.get("BENCH_LISTS_DATABASE_URL", DEFAULT_URL))
    urls = {
        label: base.set(
            database=base.database if label == labels[-1] else f"{base.database}_{label.lower()}"
        ).render_as_string(hide_password=False)
        for label in labels
    }
    for label, url in urls.items():
        prepare(url, label, options.reuse)
    ok = report(run(urls, options.repeat), options.goal, options.plans)
    print("RESULT: " + ("OK" if ok else f"FAILED (a ratio above {options.goal})"))
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"could not run: {error}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
