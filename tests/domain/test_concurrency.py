"""Concurrent use cases on separate sessions: the database decides, exactly one wins."""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import func, select

from app.domain.errors import Conflict
from app.domain.lifecycle import cancel_appointment, record_blood_draw
from app.domain.models import StatusChange
from tests.conftest import NOW
from tests.factories import make_appointment

RACERS = 6


def _race(app, action):
    """Run `action(session)` in RACERS threads released at once; count outcomes by name."""
    barrier = threading.Barrier(RACERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        db_session = app.extensions["vena.sessionmaker"]()
        try:
            barrier.wait()
            action(db_session, index)
            outcome = "ok"
        except Conflict:
            outcome = "conflict"
        except Exception as error:  # noqa: BLE001  # any other outcome is a failure to report
            outcome = repr(error)
        finally:
            db_session.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(outcomes)


def test_many_simultaneous_cancels_of_one_appointment_give_one_success(app, session, world):
    appointment = make_appointment(session, world.profile, world.location)
    appointment_id = appointment.id
    outcomes = _race(
        app,
        lambda s, _i: cancel_appointment(s, appointment_id, actor=world.coordinator, now=NOW),
    )
    assert outcomes == Counter({"ok": 1, "conflict": RACERS - 1})
    session.rollback()  # end this session's snapshot from before the race
    cancelled_entries = session.scalar(
        select(func.count()).where(
            StatusChange.appointment_id == appointment_id, StatusChange.status == "cancelled"
        )
    )
    assert cancelled_entries == 1


def test_one_barcode_recorded_on_many_appointments_at_once_is_taken_by_one(app, session, world):
    ids = [
        make_appointment(session, world.profile, world.location, panels=[world.panel]).id
        for _ in range(RACERS)
    ]
    outcomes = _race(
        app,
        lambda s, i: record_blood_draw(s, ids[i], "987654321", actor=world.desk, now=NOW),
    )
    assert outcomes == Counter({"ok": 1, "conflict": RACERS - 1})
