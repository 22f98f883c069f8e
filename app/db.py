"""Engine and sessionmaker; one Session per request on `g`, closed (so rolled back) at teardown."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from app.domain.transactions import WRITE_OPTION


def make_engine(url: str, *, sqlite_busy_timeout: float = 15) -> Engine:
    """Create the engine for `url`. SQLite gets WAL, foreign keys, a busy timeout, and
    `BEGIN IMMEDIATE` for write transactions; PostgreSQL a pool that checks connections."""
    # hide_parameters: SQL errors would otherwise carry patient data into logs and tracebacks.
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": sqlite_busy_timeout}, hide_parameters=True
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


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


def init_app(app: Flask) -> None:
    """Create the app's engine and sessionmaker, and close the request's session at teardown."""
    engine = make_engine(
        app.config["DATABASE_URL"], sqlite_busy_timeout=app.config["SQLITE_BUSY_TIMEOUT"]
    )
    app.extensions["vena.engine"] = engine
    app.extensions["vena.sessionmaker"] = sessionmaker(engine)
    app.teardown_appcontext(close_session)


def get_session() -> Session:
    """The current request's (or app context's) Session, created on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["vena.sessionmaker"]()
    session: Session = g.db_session
    return session


def close_session(_exc: BaseException | None = None) -> None:
    """Close the context's Session; whatever was not committed is rolled back."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
