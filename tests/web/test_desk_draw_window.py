"""Front desk and the draw window: "Record blood draw" only for a confirmed appointment on its
local day from the location's early arrival before its start, else the sheet says from when;
"did not attend" only once the appointment has begun."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import APPOINTMENT_START, make_appointment
from tests.web.conftest import alerts, field_errors, login, main_forms, soup, submit_form
from tests.web.test_desk import MONDAY, status_of


@pytest.fixture
def pending(session, world):
    """Monday at Berlin: Anna pending at 10:30 with a panel."""
    return make_appointment(
        session, world.profile, world.berlin, status="pending", panels=[world.panel]
    )


def _actions(page, name):
    """The actions in the day sheet's row of the patient `name`, as the page shows them: each
    link's visible words, each hint's text."""
    row = next(tr for tr in page.select("tbody tr") if name in tr.get_text())
    return [
        str(li.a.contents[0]).strip() if li.a else li.get_text(strip=True)
        for li in row.select("ul.actions li")
    ]


def test_the_desk_offers_the_draw_only_on_the_day_within_the_hour_before_and_says_from_when(
    app, client, session, world, pending
):
    confirmed = make_appointment(
        session,
        world.other_profile,
        world.berlin,
        scheduled_at=APPOINTMENT_START,
        panels=[world.panel],
    )
    login(client, world.front_desk)
    url = f"/desk/appointments/{confirmed.id}/blood-draw"

    saturday = soup(client.get(MONDAY))
    assert _actions(saturday, "Otto") == ["Blood draw from 09:30", "Cancel"]
    assert _actions(saturday, "Anna") == ["Confirm", "Cancel"]  # pending: confirm it first
    assert saturday.find("a", href=url) is None
    page = soup(client.get(url))
    assert main_forms(page) == []
    assert alerts(page) == [
        "It is too early to record the blood draw of the appointment on Mon 23 Nov 2026 at "
        "10:30: it can be recorded from 09:30 on Mon 23 Nov 2026 (Europe/Berlin time)."
    ]

    app.config["CLOCK"] = lambda: APPOINTMENT_START - timedelta(hours=1)
    login(client, world.front_desk)  # two days later: the idle session has ended
    on_the_day = soup(client.get(MONDAY))
    assert _actions(on_the_day, "Otto") == ["Record blood draw", "Cancel"]
    assert _actions(on_the_day, "Anna") == ["Confirm", "Cancel"]
    draw_page = soup(client.get(f"/desk/appointments/{pending.id}/blood-draw"))
    assert main_forms(draw_page) == []
    assert "This appointment is pending: confirm it before recording its blood draw." in (
        draw_page.find("main").get_text(" ", strip=True)
    )

    app.config["CLOCK"] = lambda: APPOINTMENT_START + timedelta(hours=14)  # Tuesday 01:30
    login(client, world.front_desk)
    assert _actions(soup(client.get(MONDAY)), "Otto") == ["Day over: no blood draw", "Cancel"]


def test_did_not_attend_before_the_start_is_refused_beside_the_reason(
    client, session, world, pending
):
    login(client, world.front_desk)
    url = f"/desk/appointments/{pending.id}/cancel"
    response = submit_form(client, url, {"reason": "no_show"})
    assert response.status_code == 409
    assert field_errors(soup(response), "Reason") == [
        "The patient can be recorded as not attending only once the appointment has begun, at "
        "10:30 on Mon 23 Nov 2026."
    ]
    assert status_of(session, pending) == "pending"
