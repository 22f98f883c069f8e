"""Database faults for tests: a connection lost under a request, a database that is down, and
one that accepts connections and never answers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.wrappers import Response

from app.db import Timeouts, get_session, make_engine

Fault = Callable[[], None]


def drop_connection(session: Session) -> None:
    """Lose the connection `session` holds (opening one, in a transaction, if it holds none) as
    a dropped network link or a restarted server loses it: on PostgreSQL its server process is
    terminated; SQLite has no server, so its file handle is closed under it."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        connection.connection.dbapi_connection.close()  # type: ignore[union-attr]
        return
    pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with connection.engine.connect() as other:
        # The second argument waits (milliseconds) until the process has ended.
        other.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})


class Faults:
    """What the next request of an app meets: `mid_request` runs after the app's own hooks,
    before the view; `after_view` once the view has answered, before the teardown. Each runs
    once. Create it before the app's first request (Flask takes hooks only until then)."""

    def __init__(self, app: Flask) -> None:
        self.mid_request: Fault | None = None
        self.after_view: Fault | None = None
        app.before_request(self._before_view)
        app.after_request(self._after_view)

    def lose_connection_mid_request(self) -> None:
        """The request's connection answers its first statement, then is lost."""
        self.mid_request = lambda: drop_connection(get_session())

    def lose_connection_after_view(self) -> None:
        """The connection is lost after the view answered (its transaction committed), with a
        transaction open, so the teardown's ROLLBACK meets a dead connection."""
        self.after_view = lambda: drop_connection(get_session())

    def _before_view(self) -> None:
        fault, self.mid_request = self.mid_request, None
        if fault is not None:
            fault()

    def _after_view(self, response: Response) -> Response:
        fault, self.after_view = self.after_view, None
        if fault is not None:
            fault()
        return response


def closed_port() -> int:
    """A local TCP port nothing listens on: a connection there is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def silent_server() -> Iterator[int]:
    """A TCP server on a free local port that accepts every connection and never answers, as a
    hung database server does; yields its port, and closes every connection at the end."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, name="silent-server", daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        listener.close()


@contextmanager
def database_at(app: Flask, url: str) -> Iterator[None]:
    """Point `app`'s sessions (and health check) at the database `url` (one that is down, say)
    with the app's own timeouts; restore the app's database afterwards."""
    engine = make_engine(url, timeouts=Timeouts.from_settings(app.config))
    extensions = app.extensions
    saved = extensions["vena.engine"], extensions["vena.sessionmaker"]
    extensions["vena.engine"], extensions["vena.sessionmaker"] = engine, sessionmaker(engine)
    try:
        yield
    finally:
        extensions["vena.engine"], extensions["vena.sessionmaker"] = saved
        engine.dispose()
