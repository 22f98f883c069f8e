"""The app served for real on a local port, for tests that drive it from outside the process
(the browser tests, the README's curl session)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from flask import Flask
from werkzeug.serving import make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


def _buffered(wsgi_app: WSGIApplication) -> WSGIApplication:
    """`wsgi_app` with each response read whole (and closed) before werkzeug writes it. A page
    that navigates on while a style sheet is still being sent drops that connection; werkzeug
    then leaves the file's iterator unclosed, a ResourceWarning the suite treats as an error."""

    def buffered(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        iterable = wsgi_app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()

    return buffered


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve `app` with werkzeug on a free local port, in a thread; yields its base URL, such as
    `http://127.0.0.1:41237`, and stops the server on leaving."""
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
