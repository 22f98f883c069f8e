"""Keyset pagination: page 1,000 of `GET /appointments` must cost what page 1 costs.

The script recreates a PostgreSQL database (`BENCH_PAGES_DATABASE_URL`, default
`postgresql+psycopg://postgres@127.0.0.1:5432/vena_bench_pages`, which is DROPPED and recreated,
so its name must contain "bench"), builds the schema with the project's migrations, and fills it:
one organisation with 1,000 profiles and `--appointments` appointments (default 100,000), another
with a tenth of that, which the first one's key must never see; all within the list's default
window (two months back, one month ahead), a dozen or so to each quarter-hour slot, each with a
panel and a status history entry as a booking leaves them. Then, through the API (the Flask test
client, so no network in the figures) with `limit=100`:

1. it walks every page by its `Link` headers, timing each, and checks that every appointment of
   the organisation came exactly once, soonest first, and no other organisation's;
2. it asks for page 1, page 500 and page 1,000 again (`--repeat` times each), records the list's
   own SELECT, and runs it again under `EXPLAIN (ANALYZE, BUFFERS)` (median of 5 runs);
3. for contrast, it runs the same SELECT with `OFFSET` in place of the keyset.

Run it with `make bench-pages` or `.venv/bin/python bench/pagination.py [--appointments N]
[--repeat N] [--plans]`. It prints a table (and the plans with `--plans`); the exit status is 0
only when the walk was complete and in order.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from booking_race import SCOPES, BenchError, recreate_postgres
from flask.testing import FlaskClient
from pagination_fill import NOW, fill
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session

from app import create_app
from app.domain.access import actor_for_scopes, appointment_filter
from app.domain.appointment_filters import APPOINTMENT_ORDER, appointment_clauses
from app.domain.appointment_store import DETAIL
from app.domain.models import (
    Appointment,
    Organisation,
    Profile,
)
from app.migrate import upgrade_database

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/vena_bench_pages"
LIMIT = 100
DEEP_PAGE = 1_000
NEXT = re.compile(r'<(?P<url>[^>]+)>; rel="next"')
EXPLAIN_RUNS = 5


@dataclass
class Measure:
    """One row of the table: what was asked, its API time and its SELECT's plan figures."""

    label: str
    api_ms: list[float]
    execution_ms: float
    buffers: str
    plan: list[str]


@contextmanager
def list_select(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """While the block runs, collect each `SELECT ... FROM appointments ... LIMIT` the engine
    runs, with its parameters: the list's own query (not its eager loads), to explain later."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "FROM appointments" in statement and "LIMIT" in statement:
            seen.append((statement, params))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
    if not seen:
        raise BenchError("the list's SELECT was not seen")


def explain(engine: Engine, statement: tuple[str, Any]) -> tuple[float, str, list[str]]:
    """Run `statement` under EXPLAIN (ANALYZE, BUFFERS) EXPLAIN_RUNS times: the median
    execution ms, and the last run's top node shared buffers and plan lines."""
    sql, params = statement
    runs: list[float] = []
    with engine.connect() as connection:
        for _ in range(EXPLAIN_RUNS):
            result = connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = [row[0] for row in result]
            execution = next(line for line in plan if line.startswith("Execution Time"))
            runs.append(float(execution.split()[2]))
    buffers = next((line.split("Buffers: ")[1] for line in plan if "Buffers:" in line), "")
    return statistics.median(runs), buffers, plan


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    """(milliseconds, result) of one call."""
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def walk(client: FlaskClient, key: str) -> tuple[list[dict[str, Any]], list[float], list[str]]:
    """Every page of the list by its Link headers: the rows, each page's ms, each page's URL."""
    headers = {"x-api-key": key}
    url: str | None = f"/api/v1/appointments?limit={LIMIT}"
    rows: list[dict[str, Any]] = []
    times: list[float] = []
    urls: list[str] = []
    while url is not None:
        ms, response = timed(partial(client.get, url, headers=headers))
        if response.status_code != 200:
            raise BenchError(f"{url} answered {response.status_code}: {response.get_data()[:300]}")
        rows.extend(response.get_json())
        times.append(ms)
        urls.append(url)
        match = NEXT.fullmatch(response.headers.get("Link", ""))
        url = match["url"] if match else None
    return rows, times, urls


def check(rows: list[dict[str, Any]], engine: Engine) -> list[str]:
    """What is wrong with the walked rows: one missing, repeated, of the other organisation,
    or out of order."""
    with engine.connect() as connection:
        ours = select(Profile.id).join(Organisation).where(Organisation.slug == "bench")
        query = select(Appointment.id).where(Appointment.profile_id.in_(ours))
        expected = set(connection.scalars(query))
    keys = [(datetime.fromisoformat(r["scheduled_at"]), uuid.UUID(r["id"])) for r in rows]
    walked = {key[1] for key in keys}
    problems = [f"{len(expected - walked)} appointments missing"] * bool(expected - walked)
    problems += [f"{len(walked - expected)} of another organisation"] * bool(walked - expected)
    problems += [f"{len(keys) - len(walked)} rows repeated"] * (len(walked) != len(keys))
    problems += ["not soonest first"] * (keys != sorted(keys))
    return problems


@contextmanager
def bench_app(url: str) -> Iterator[tuple[FlaskClient, Engine]]:
    """The app on the bench database, its clock fixed at NOW, and its engine."""
    # The walk asks for every page at once; the API's rate limit would cut it short.
    settings = {"DATABASE_URL": url, "SECRET_KEY": "bench", "CLOCK": lambda: NOW}
    app = create_app({**settings, "RATELIMIT_ENABLED": False})
    try:
        yield app.test_client(), app.extensions["vena.engine"]
    finally:
        app.extensions["vena.engine"].dispose()


def measure(
    client: FlaskClient, key: str, engine: Engine, url: str, label: str, repeat: int
) -> Measure:
    """Ask for `url` `repeat` times, then explain the list's SELECT it ran."""
    with list_select(engine) as seen:
        times = [
            timed(lambda: client.get(url, headers={"x-api-key": key}))[0] for _ in range(repeat)
        ]
    execution, buffers, plan = explain(engine, seen[-1])
    return Measure(label, times, execution, buffers, plan)


def offset_measure(engine: Engine, offset: int) -> Measure:
    """The list's SELECT with OFFSET instead of the keyset, explained, for contrast."""
    with Session(engine) as session, list_select(engine) as seen:
        org_id = session.scalar(select(Organisation.id).where(Organisation.slug == "bench"))
        if org_id is None:
            raise BenchError("no bench organisation")
        actor = actor_for_scopes("bench", org_id, SCOPES)
        query = (
            select(Appointment)
            .where(appointment_filter(actor), *appointment_clauses(now=NOW))
            .options(*DETAIL)
            .order_by(*APPOINTMENT_ORDER.columns)
            .offset(offset)
            .limit(LIMIT + 1)
        )
        ms, _ = timed(lambda: session.scalars(query).all())
    execution, buffers, plan = explain(engine, seen[-1])
    label = f"OFFSET {offset:,} instead of a cursor (contrast; the query alone, no HTTP)"
    return Measure(label, [ms], execution, buffers, plan)


def report(measures: list[Measure], walk_times: list[float], plans: bool) -> None:
    """Print the table, and the plans when asked."""
    cuts = statistics.quantiles(walk_times, n=100, method="inclusive")
    print(
        f"walk: {len(walk_times)} pages in {sum(walk_times) / 1000:.1f} s · per page p50 "
        f"{cuts[49]:.1f} ms · p95 {cuts[94]:.1f} ms · max {max(walk_times):.1f} ms"
    )
    print()
    print("| request | ms per request (median) | SELECT execution ms (median) | buffers |")
    print("| --- | --- | --- | --- |")
    for m in measures:
        median = statistics.median(m.api_ms)
        print(f"| {m.label} | {median:.1f} | {m.execution_ms:.2f} | {m.buffers} |")
    for m in measures if plans else []:
        print(f"\n== {m.label}\n" + "\n".join(m.plan))


def main() -> int:
    """Parse the options, fill, walk, measure and report; 0 only when the walk was correct."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appointments", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--plans", action="store_true", help="print each EXPLAIN ANALYZE plan")
    options = parser.parse_args()
    url = os.environ.get("BENCH_PAGES_DATABASE_URL", DEFAULT_URL)
    recreate_postgres(url)
    upgrade_database(url)
    fill_engine = create_engine(url)
    try:
        fill_ms, key = timed(lambda: fill(fill_engine, options.appointments))
    finally:
        fill_engine.dispose()
    others = options.appointments // 10
    print(f"filled {options.appointments:,} + {others:,} appointments in {fill_ms / 1000:.0f} s")
    with bench_app(url) as (client, engine):
        rows, walk_times, urls = walk(client, key)
        problems = check(rows, engine)
        deep = min(DEEP_PAGE, len(urls))
        measures = [
            measure(client, key, engine, urls[page - 1], label, options.repeat)
            for page, label in [
                (1, "page 1 (no cursor)"),
                (deep // 2, f"page {deep // 2:,} (cursor)"),
                (deep, f"page {deep:,} (cursor)"),
            ]
        ]
        measures.append(offset_measure(engine, (deep - 1) * LIMIT))
    report(measures, walk_times, options.plans)
    print("RESULT: " + (f"FAILED ({'; '.join(problems)})" if problems else "OK"))
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"could not run: {error}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
