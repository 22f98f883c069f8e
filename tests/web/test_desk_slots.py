"""Front desk's day sheet lists every slot of the day with the chairs taken in it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.domain.models import ClosedDate
from tests.factories import make_appointment, make_user
from tests.web.conftest import login, soup, table_by_caption

MONDAY_1030 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
MONDAY_1045 = datetime(2026, 11, 23, 9, 45, tzinfo=UTC)


def _slot_rows(page):
    return {row[0]: row[1:] for row in table_by_caption(page, "Chairs taken in each slot")}


def _slots_section(page):
    return page.find("h2", string="Slots and chairs").parent


def test_the_day_sheet_shows_the_chairs_taken_in_every_slot(client, session, world):
    world.berlin.capacity = 3
    session.commit()
    people = (world.profile, world.patient_profile, world.other_profile)
    for profile in people[:2]:
        make_appointment(session, profile, world.berlin, scheduled_at=MONDAY_1030)
    for profile in people:
        make_appointment(session, profile, world.berlin, scheduled_at=MONDAY_1045)
    make_appointment(session, world.profile, world.berlin, status="cancelled")
    login(client, world.front_desk)
    rows = _slot_rows(soup(client.get("/desk?day=2026-11-23")))
    assert len(rows) == 42  # 07:30 to 17:45, every 15 minutes
    assert list(rows)[0] == "07:30 (UTC+01:00)"
    assert rows["07:30 (UTC+01:00)"] == ["0 of 3", "3"]
    assert rows["10:30 (UTC+01:00)"] == ["2 of 3", "1"]
    assert rows["10:45 (UTC+01:00)"] == ["3 of 3", "Full"]


def test_a_closed_day_says_the_location_is_closed(client, session, world):
    world.berlin.closed_dates.append(ClosedDate(date=date(2026, 11, 25), reason="Staff day"))
    session.commit()
    login(client, world.front_desk)
    saturday = _slots_section(soup(client.get("/desk")))
    assert saturday.find("table") is None
    assert " ".join(saturday.find("p").get_text().split()) == (
        "Vena Berlin Mitte is closed on this day: there are no slots."
    )
    staff_day = _slots_section(soup(client.get("/desk?day=2026-11-25")))
    assert "closed on this day (Staff day)" in staff_day.get_text()


def test_the_slots_follow_the_location_chosen_in_the_switcher(client, session, world):
    make_appointment(
        session,
        world.profile,
        world.new_york,
        scheduled_at=datetime(2026, 11, 23, 12, 30, tzinfo=UTC),
    )
    desk = make_user(session, "front_desk", locations=[world.berlin, world.new_york])
    login(client, desk)
    rows = _slot_rows(soup(client.get(f"/desk?location={world.new_york.id}&day=2026-11-23")))
    assert list(rows)[0] == "07:30 (UTC-05:00)"
    assert rows["07:30 (UTC-05:00)"] == ["1 of 1", "Full"]
    assert rows["08:00 (UTC-05:00)"] == ["0 of 1", "1"]
