"""Lifecycle use cases racing on one appointment, a fresh one in each of hundreds of rounds, each
on its own session: every use case locks the appointment before it reads the panels its rule
depends on, so the outcomes are those of one order or the other, never a mix."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from app.domain.data_checks import find_draws_without_panel
from app.domain.errors import Conflict, NotFound
from app.domain.lifecycle import record_blood_draw, remove_panels
from tests.conftest import NOW
from tests.factories import make_appointments
from tests.races import Rounds

ROUNDS = 200
# Later the same morning, within the draw window at NOW: a second apart, one start per round.
STARTS = [NOW + timedelta(minutes=30, seconds=index) for index in range(ROUNDS)]

DRAWN = "drawn"
REMOVED = "removed"
NO_PANEL = "conflict: Attach at least one panel before recording the blood draw."
DRAWN_ALREADY = "conflict: Cannot remove panels from an appointment that is blood drawn."
NOT_ATTACHED = "not found"


def _outcome(action, success):
    """`action(session, appointment_id)` as a racer: its outcome in words."""

    def run(session, appointment_id):
        try:
            action(session, appointment_id)
        except Conflict as error:
            return f"conflict: {error.message}"
        except NotFound:
            return NOT_ATTACHED
        finally:
            session.close()
        return success

    return run


def _race(app, session, world, *actions):
    ids = make_appointments(session, world.profile, world.location, STARTS, panels=[world.panel])
    sessions = app.extensions["vena.sessionmaker"]
    return Rounds(actions, sessions, lambda racer: racer.close()).run(ROUNDS, ids.__getitem__)


def test_a_draw_racing_the_removal_of_the_last_panel_never_leaves_a_draw_without_a_panel(
    app, session, world
):
    panel_id = world.panel.id  # read here: the racing threads share no session

    def draw(racer, appointment_id):
        barcode = f"{appointment_id.int % 10**12:012d}"
        record_blood_draw(racer, appointment_id, barcode, actor=world.desk, now=NOW)

    def remove(racer, appointment_id):
        remove_panels(racer, appointment_id, [panel_id], actor=world.coordinator, now=NOW)

    outcomes = _race(app, session, world, _outcome(draw, DRAWN), _outcome(remove, REMOVED))

    session.rollback()  # read what the database holds now
    assert find_draws_without_panel(session) == []
    pairs = Counter(tuple(pair) for pair in outcomes)
    assert set(pairs) <= {(DRAWN, DRAWN_ALREADY), (NO_PANEL, REMOVED)}, pairs


def test_two_removals_of_one_panel_at_once_remove_it_once_and_the_other_finds_it_gone(
    app, session, world
):
    panel_id = world.panel.id  # read here: the racing threads share no session

    def remove(racer, appointment_id):
        remove_panels(racer, appointment_id, [panel_id], actor=world.coordinator, now=NOW)

    outcomes = _race(app, session, world, _outcome(remove, REMOVED), _outcome(remove, REMOVED))

    pairs = Counter(tuple(sorted(pair)) for pair in outcomes)
    assert pairs == Counter({(NOT_ATTACHED, REMOVED): ROUNDS})
