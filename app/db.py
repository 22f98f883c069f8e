"""Engine and sessionmaker; one Session per request on `g`, closed (so rolled back) at teardown;
how long the app waits for the database, and which of its errors mean "try again later"."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import psycopg
from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from app.domain.transactions import WRITE_OPTION

# Seconds a client is told to wait (Retry-After) when the database cannot answer.
UNAVAILABLE_RETRY_AFTER = 5


@dataclass(frozen=True)
class Timeouts:
    """How long the app waits for the database, in seconds (README, "Settings"); 0 turns a
    PostgreSQL statement or lock timeout off.

    `connect`: to open a connection (psycopg counts at least 2); `statement`: for one statement
    (PostgreSQL `statement_timeout`); `lock`: for a row or table lock (`lock_timeout`); `pool`:
    for a free connection of the process's pool; `sqlite_busy`: for another SQLite writer.
    """

    connect: float = 5
    statement: float = 10
    lock: float = 5
    pool: float = 5
    sqlite_busy: float = 15

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Timeouts:
        """The DATABASE_*_TIMEOUT_SECONDS and SQLITE_BUSY_TIMEOUT settings (numbers, or the
        strings the environment gives)."""
        return cls(
            connect=float(settings["DATABASE_CONNECT_TIMEOUT_SECONDS"]),
            statement=float(settings["DATABASE_STATEMENT_TIMEOUT_SECONDS"]),
            lock=float(settings["DATABASE_LOCK_TIMEOUT_SECONDS"]),
            pool=float(settings["DATABASE_POOL_TIMEOUT_SECONDS"]),
            sqlite_busy=float(settings["SQLITE_BUSY_TIMEOUT"]),
        )


def make_engine(url: str, *, timeouts: Timeouts | None = None) -> Engine:
    """Create the engine for `url`. SQLite gets WAL, foreign keys, a busy timeout, and
    `BEGIN IMMEDIATE` for write transactions; PostgreSQL a pool that checks connections, and
    `timeouts` as its connect, statement and lock timeouts. Without `timeouts` (migrations,
    tests arranging data) the drivers' own defaults apply and statements never time out."""
    # hide_parameters: SQL errors would otherwise carry patient data into logs and tracebacks.
    pool = {} if timeouts is None else {"pool_timeout": timeouts.pool}
    if url.startswith("sqlite"):
        busy = Timeouts.sqlite_busy if timeouts is None else timeouts.sqlite_busy
        if _in_memory(url):  # one connection per thread (SingletonThreadPool): no waiting
            pool = {}
        engine = create_engine(url, connect_args={"timeout": busy}, hide_parameters=True, **pool)
        _configure_sqlite(engine)
        return engine
    connect_args = {} if timeouts is None else _postgresql_timeouts(url, timeouts)
    return create_engine(
        url, pool_pre_ping=True, hide_parameters=True, connect_args=connect_args, **pool
    )


def _in_memory(url: str) -> bool:
    database = make_url(url).database
    return not database or database == ":memory:" or "mode=memory" in url


def _postgresql_timeouts(url: str, timeouts: Timeouts) -> dict[str, Any]:
    """libpq's `connect_timeout` (whole seconds) and the session's timeouts as `options`,
    after any `options` the URL itself gives (libpq: "Parameter Key Words")."""
    settings = (
        f"-c statement_timeout={round(timeouts.statement * 1000)} "
        f"-c lock_timeout={round(timeouts.lock * 1000)}"
    )
    given = make_url(url).query.get("options")
    options = " ".join(filter(None, (given if isinstance(given, str) else None, settings)))
    return {"connect_timeout": max(1, round(timeouts.connect)), "options": options}


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling would defer BEGIN; we emit it ourselves (SQLAlchemy
    # docs, "Serializable isolation / Savepoints / Transactional DDL" for pysqlite).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A writer takes the write lock up front, so it waits its turn (busy timeout) instead of
        # failing when another writer commits after its snapshot began.
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def is_unavailable(error: BaseException) -> bool:
    """Whether `error` means the database cannot answer now, rather than a bug: a lost or
    refused connection, a connect, statement, lock or pool timeout, a deadlock or another
    error of PostgreSQL's operation (DB-API `OperationalError`), SQLite's "database is locked"
    after its busy timeout. The contract answers these 503 `unavailable` with Retry-After."""
    if isinstance(error, DisconnectionError | PoolTimeout):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated or isinstance(error.orig, psycopg.OperationalError):
        return True
    # Other SQLite OperationalErrors ("no such table", a syntax error) are bugs.
    return isinstance(error.orig, sqlite3.OperationalError) and "database is locked" in str(
        error.orig
    )


def init_app(app: Flask) -> None:
    """Create the app's engine (with the timeout settings) and sessionmaker, and close the
    request's session at teardown."""
    engine = make_engine(app.config["DATABASE_URL"], timeouts=Timeouts.from_settings(app.config))
    app.extensions["vena.engine"] = engine
    # Objects keep what their transaction loaded after its commit: an answer is built from what
    # the use case returned, so a connection lost right after the COMMIT cannot fail it.
    app.extensions["vena.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(close_session)


def get_session() -> Session:
    """The current request's (or app context's) Session, created on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["vena.sessionmaker"]()
    session: Session = g.db_session
    return session


def close_session(_exc: BaseException | None = None) -> None:
    """Close the context's Session; whatever was not committed is rolled back.

    Never raises: the answer is built by now, and an error here (a ROLLBACK on a connection the
    database dropped) would replace it with the server's own 500. Such an error is logged by its
    kind only (its text may quote data), and the connection is invalidated, so the pool opens a
    fresh one instead of handing this one out again.
    """
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.close()
    except Exception as error:
        current_app.logger.warning(
            "Closing the database session failed (%s); its connection is dropped.",
            type(error).__name__,
        )
        with suppress(Exception):  # already logged; the connection is gone either way
            session.invalidate()
