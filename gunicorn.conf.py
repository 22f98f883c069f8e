"""gunicorn's settings for Vena (`gunicorn -c gunicorn.conf.py -w 4 'app:create_app()'`; gunicorn
also reads this file by itself when started in the repository).

- `timeout`: seconds a worker may spend on one request before gunicorn restarts it, from
  WORKER_TIMEOUT_SECONDS (default 30), the same variable the app reads for the longest a
  request can live; `graceful_timeout` lets requests under way finish as long on a restart.
- Header limits above gunicorn's defaults, so that a long header (an `Idempotency-Key` of 10,000
  characters) reaches the app, which answers it with the contract's JSON 400, instead of
  gunicorn's own HTML error.
- Each worker, once it has loaded the app, refuses to start when several workers would each
  count the rate limits alone (`app.ratelimit.unshared_storage_problem`): the server exits
  with a message naming RATELIMIT_STORAGE_URI.
"""

from __future__ import annotations

import os
import sys
from typing import Any

timeout = int(os.environ.get("WORKER_TIMEOUT_SECONDS", "30"))
graceful_timeout = timeout
# Bytes of one header line, of the request line, and the number of header fields (gunicorn's
# defaults: 8190, 4094, 100; 8190 is the most the request line may be given).
limit_request_field_size = 32768
limit_request_line = 8190
limit_request_fields = 200
# No control socket (gunicorn 25.1+): its default path is one per user, which a second gunicorn
# on the machine (another checkout, the tests) would take over.
control_socket_disable = True

# gunicorn's exit status for a worker that fails to boot: the arbiter then stops the server.
WORKER_BOOT_ERROR = 3


def post_worker_init(worker: Any) -> None:
    """Stop the server before any request is served when the app's rate limits would be
    counted apart by several workers."""
    from app.ratelimit import unshared_storage_problem

    config = getattr(worker.wsgi, "config", {})
    problem = unshared_storage_problem(config, worker.cfg.workers)
    if problem is not None:
        worker.log.error("Vena cannot start: %s", problem)
        sys.exit(WORKER_BOOT_ERROR)
