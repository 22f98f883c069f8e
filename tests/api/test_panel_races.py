"""Partners racing on one appointment's panels, a fresh appointment in each of hundreds of
rounds: `DELETE .../panels` against `POST .../confirm`, and two removals of one panel. The
answers are those of one order of the two requests, and no appointment is left drawn without a
panel."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from app.domain.data_checks import find_draws_without_panel
from tests.conftest import NOW
from tests.factories import make_api_key, make_appointments
from tests.races import Rounds

ROUNDS = 200
# Later the same morning, within the draw window at NOW: a second apart, one start per round.
STARTS = [NOW + timedelta(minutes=30, seconds=index) for index in range(ROUNDS)]
NO_PANEL = "409 Attach at least one panel before recording the blood draw."
DRAWN_ALREADY = "409 Cannot remove panels from an appointment that is blood drawn."


@pytest.fixture
def app_config() -> dict[str, object]:
    """A budget for the rounds' requests, over the default 300 a minute per key."""
    return {"API_RATE_LIMIT": f"{4 * ROUNDS} per minute"}


def _answer(response):
    body = response.get_json()
    return f"{response.status_code} {body.get('error', '')}".strip()


def _race(app, session, org, profile, location, panel, *actions):
    ids = make_appointments(session, profile, location, STARTS, panels=[panel])
    headers = {"x-api-key": make_api_key(session, org)}
    racers = [lambda client, aid, act=act: _answer(act(client, aid, headers)) for act in actions]
    return Rounds(racers, app.test_client).run(ROUNDS, ids.__getitem__)


def _draw(client, appointment_id, headers):
    barcode = f"{appointment_id.int % 10**12:012d}"
    path = f"/api/v1/appointments/{appointment_id}/confirm"
    return client.post(path, json={"barcode": barcode}, headers=headers)


def _remove(panel):
    body = {"panel_ids": [str(panel.id)]}  # read here: the racing threads share no session

    def remove(client, appointment_id, headers):
        path = f"/api/v1/appointments/{appointment_id}/panels"
        return client.delete(path, json=body, headers=headers)

    return remove


def test_removing_the_last_panel_while_the_draw_is_recorded_never_answers_both_200(
    app, session, org, profile, location, panel
):
    outcomes = _race(app, session, org, profile, location, panel, _draw, _remove(panel))

    session.rollback()  # read what the database holds now
    assert find_draws_without_panel(session) == []
    pairs = Counter(tuple(pair) for pair in outcomes)
    assert set(pairs) <= {("200", DRAWN_ALREADY), (NO_PANEL, "200")}, pairs


def test_two_removals_of_one_panel_answer_one_200_and_one_404(
    app, session, org, profile, location, panel
):
    outcomes = _race(app, session, org, profile, location, panel, _remove(panel), _remove(panel))

    statuses = Counter(tuple(sorted(answer[:3] for answer in pair)) for pair in outcomes)
    assert statuses == Counter({("200", "404"): ROUNDS})
