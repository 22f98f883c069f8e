"""The booking's location step asks the database for every location's next free slot at once."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.factories import make_appointment, make_location
from tests.statements import statements
from tests.web.conftest import control_by_label, login
from tests.web.journey import described_text, open_page, step_url

MONDAY_0730 = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)


def _location_step(app, client, world):
    with statements(app) as seen:
        page = open_page(client, step_url("location", profile_id=world.profile.id))
    return page, len(seen)


def test_the_location_step_runs_as_many_statements_for_twelve_locations_as_for_three(
    app, client, session, world
):
    login(client, world.coordinator)
    hamburg = make_location(session, name="Vena Hamburg")
    make_appointment(session, world.other_profile, hamburg, scheduled_at=MONDAY_0730)
    _page, for_three = _location_step(app, client, world)
    for n in range(9):
        make_location(session, name=f"Vena Filiale {n}")

    page, for_twelve = _location_step(app, client, world)

    assert len(page("input", type="radio")) == 12
    assert for_twelve == for_three
    next_free = {
        name: described_text(page, control_by_label(page, name)).rsplit("Next free: ", 1)[1]
        for name in ("Vena Berlin Mitte", "Vena Hamburg", "Vena Filiale 8")
    }
    assert next_free == {  # each its own: Hamburg's first slot is taken
        "Vena Berlin Mitte": "Mon 23 Nov, 07:30",
        "Vena Hamburg": "Mon 23 Nov, 07:45",
        "Vena Filiale 8": "Mon 23 Nov, 07:30",
    }
