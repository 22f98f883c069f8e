"""The unit of work: one write use case, one transaction, committed here or rolled back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.errors import Conflict
from app.domain.messages import msg

# Execution option that marks a write transaction; the engine set-up in `app.db` turns it into
# `BEGIN IMMEDIATE` on SQLite so two writers queue instead of failing on a stale snapshot.
WRITE_OPTION = "vena_write"

T = TypeVar("T")

# A use case that takes a `record` callback calls it with its result inside its transaction, just
# before the commit: whatever the callback writes commits or rolls back with the use case, and an
# error it raises undoes the whole change (issue 5 stores an API answer with its booking this way).
Recorder = Callable[[T], None]


@contextmanager
def write_transaction(session: Session) -> Iterator[Session]:
    """Run a write use case in a fresh transaction: commit if the block succeeds, else roll back.

    A read-only transaction the caller left open (loading the signed-in user, say) is ended first,
    and whatever the session holds from earlier transactions is expired, so the use case reads
    current data. The session keeps what the use case loaded after the commit (`app.db` sets
    `expire_on_commit=False`): its caller answers from that, with no read after the commit. A
    constraint violation that the use case did not map itself becomes Conflict (contract: 409).
    """
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("write_transaction needs a session without pending changes")
    if session.in_transaction():
        session.rollback()
    session.expire_all()
    session.connection(execution_options={WRITE_OPTION: True})
    try:
        yield session
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            msg("The change conflicts with existing data; reload and try again.")
        ) from None
    except BaseException:
        session.rollback()
        raise
