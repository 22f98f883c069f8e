"""The status history on an appointment's page says where and when a reschedule moved it, and
which panels were added or removed, in the page's language and local time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.access import actor_for_scopes
from app.domain.appointments import reschedule_appointment
from app.domain.lifecycle import add_panels, remove_panels
from tests.conftest import NOW
from tests.factories import ALL_SCOPES, make_appointment, make_panel
from tests.web.conftest import login, soup

LANGUAGE_COOKIE = "vena_language"
TUESDAY_1100_BERLIN = NOW + timedelta(days=3, hours=1)  # Tue 24 Nov 2026, 10:00 UTC


def _why(client, appointment) -> list[str]:
    """The history's "Why" cells, oldest first."""
    page = soup(client.get(f"/appointments/{appointment.id}"))
    history = page.find("section", attrs={"aria-labelledby": "history-heading"}).table
    return [tr("td")[3].get_text(" ", strip=True) for tr in history.tbody("tr")]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Booked",
                "Rescheduled Moved from Mon 23 Nov 10:30 to Tue 24 Nov 11:00 at Vena Berlin Mitte",
                "Panels changed Panels added: HbA1c",
                "Panels changed Panels removed: Lipid panel",
            ],
        ),
        (
            "de",
            [
                "Gebucht",
                "Verschoben Verschoben von Mo., 23. Nov. 10:30 auf Di., 24. Nov. 11:00 in "
                "Vena Berlin Mitte",
                "Laborpanels geändert Laborpanels hinzugefügt: HbA1c",
                "Laborpanels geändert Laborpanels entfernt: Lipid panel",
            ],
        ),
    ],
)
def test_the_history_says_where_a_move_went_and_which_panels_changed(
    client, session, world, language, expected
):
    appointment = make_appointment(session, world.profile, world.berlin, panels=[world.panel])
    partner = actor_for_scopes("api_key:Partner CRM", world.org.id, ALL_SCOPES)
    reschedule_appointment(
        session, appointment.id, actor=partner, now=NOW, scheduled_at=TUESDAY_1100_BERLIN
    )
    hba1c = make_panel(session, "HbA1c")
    add_panels(session, appointment.id, [hba1c.id], actor=partner, now=NOW)
    remove_panels(session, appointment.id, [world.panel.id], actor=partner, now=NOW)
    client.set_cookie(LANGUAGE_COOKIE, language)
    login(client, world.coordinator)

    assert _why(client, appointment) == expected


def test_a_move_to_another_zone_names_both_places_and_the_old_times_zone(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin)
    partner = actor_for_scopes("api_key:Partner CRM", world.org.id, ALL_SCOPES)
    tuesday_0900_new_york = NOW + timedelta(days=3, hours=5)  # 14:00 UTC
    reschedule_appointment(
        session,
        appointment.id,
        actor=partner,
        now=NOW,
        scheduled_at=tuesday_0900_new_york,
        location_id=world.new_york.id,
    )
    login(client, world.coordinator)

    # The page's times are New York's now; the old one says it was Berlin's.
    assert _why(client, appointment)[-1] == (
        "Rescheduled Moved from Mon 23 Nov 10:30 (Europe/Berlin) at Vena Berlin Mitte "
        "to Tue 24 Nov 09:00 at Vena Midtown"
    )
