"""German pages beyond the templates: the domain's messages in German, with German
dates and plurals; English pages show the portal's wording; the API keeps the English text."""

from __future__ import annotations

from datetime import UTC, datetime

from app.domain.messages import msg, msg_plural
from app.web.display import message_text
from tests.factories import make_appointment, make_user
from tests.web.conftest import login, soup, submit_form
from tests.web.test_admin_schedule import _save_schedule
from tests.web.test_i18n import speaks

COOKIE = "vena_language"


def _error_beside(page, field_id: str) -> list[str]:
    box = page.find(id=f"{field_id}-error")
    assert box is not None, field_id
    return [p.get_text(" ", strip=True) for p in box.find_all("p")]


def test_a_german_admin_reads_the_capacity_conflict_in_german_with_a_german_date(
    client, session, world
):
    login(client, make_user(session, "admin"))
    _save_schedule(client, world.berlin, {"Capacity (chairs drawing at the same time)": "3"})
    session.rollback()  # leave the snapshot read before the app's commit, to write after it
    monday = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    for profile in (world.profile, world.patient_profile):
        make_appointment(session, profile, world.berlin, scheduled_at=monday)
    client.set_cookie(COOKIE, "de")

    response = _save_schedule(
        client, world.berlin, {"Kapazität (gleichzeitig belegte Entnahmeplätze)": "1"}
    )

    assert response.status_code == 409
    [message] = _error_beside(soup(response), "capacity")
    assert "Mo., 30. Nov. 2026" in message
    assert "10:30" in message
    assert "chairs" not in message
    assert "booked" not in message


def test_a_german_patient_reads_the_phone_rule_in_german(client, session, world):
    speaks(session, world.patient_profile, "de")
    login(client, world.patient)
    data = {
        "first_name": "Lena",
        "last_name": "Fischer",
        "date_of_birth": "1990-03-14",
        "sex": "2",
        "phone": "12345",
        "language": "de",
    }

    page = soup(submit_form(client, "/profiles/new", data))

    [message] = _error_beside(page, "phone")
    assert message.startswith("Geben Sie die Telefonnummer")


def test_a_message_keeps_its_english_text_for_the_api_and_its_template_for_the_portal():
    day = datetime(2026, 11, 30, tzinfo=UTC).date()
    message = msg("%(location)s is already closed on %(day)s.", location="Vena Berlin", day=day)
    assert message == "Vena Berlin is already closed on Mon 30 Nov 2026."
    assert message.template == "%(location)s is already closed on %(day)s."
    assert message.params == {"location": "Vena Berlin", "day": day}


def test_a_plural_message_chooses_its_english_form_by_the_number():
    one = msg_plural("%(num)d chair is booked.", "%(num)d chairs are booked.", 1)
    two = msg_plural("%(num)d chair is booked.", "%(num)d chairs are booked.", 2)
    assert (one, two) == ("1 chair is booked.", "2 chairs are booked.")


def test_text_that_is_not_a_domain_message_is_shown_as_it_is(app):
    with app.test_request_context():
        assert message_text("Already translated.") == "Already translated."


def test_a_german_patient_reads_the_recorded_reasons_of_the_history_in_german(
    client, session, world
):
    appointment = make_appointment(session, world.patient_profile, world.berlin)
    appointment.status_history[0].reason = "Booked"
    session.commit()
    speaks(session, world.patient_profile, "de")
    login(client, world.patient)

    page = soup(client.get(f"/appointments/{appointment.id}"))

    history = page.find("section", attrs={"aria-labelledby": "history-heading"}).table
    assert [tr("td")[3].get_text(strip=True) for tr in history.tbody("tr")] == ["Gebucht"]


def test_a_family_member_added_on_german_pages_starts_with_german(client, session, world):
    speaks(session, world.patient_profile, "de")
    login(client, world.patient)

    page = soup(client.get("/profiles/new"))

    chosen = page.find("select", attrs={"name": "language"}).find("option", selected=True)
    assert chosen["value"] == "de"
