"""Changing an appointment's panels before the blood draw, in the browser."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from app.domain.accounts import user_actor
from app.domain.lifecycle import add_panels
from app.domain.models import Appointment, AppointmentPanel
from tests.conftest import NOW
from tests.factories import make_appointment, make_panel, make_user, random_id
from tests.web.conftest import (
    alerts,
    group_errors,
    login,
    main_forms,
    soup,
    statuses,
    submit_page,
)
from tests.web.tables import checkbox_states, described_text

LEGEND = "Panels to order"


def _url(appointment):
    return f"/appointments/{appointment.id}/panels"


def _attached(session, appointment):
    session.rollback()  # end the test session's snapshot, to see the app's commits
    query = select(AppointmentPanel.panel_id).where(
        AppointmentPanel.appointment_id == appointment.id
    )
    return set(session.scalars(query))


def _set_status(session, appointment, status):
    session.execute(
        update(Appointment).where(Appointment.id == appointment.id).values(status=status)
    )
    session.commit()


def test_the_page_lists_the_catalogue_with_the_attached_panels_ticked(client, session, world):
    glucose = make_panel(session, "Glucose, fasting", requires_fasting=True)
    appointment = make_appointment(session, world.profile, world.berlin, panels=[world.panel])
    login(client, world.coordinator)
    page = soup(client.get(_url(appointment)))
    assert page.find("h1").get_text() == "Panels for Anna Schmidt's appointment"
    assert checkbox_states(page, LEGEND) == {"Glucose, fasting": False, "Lipid panel": True}
    about = described_text(page, "Glucose, fasting")
    assert about.startswith("Requires fasting before the blood draw.")
    assert f"Biomarkers: {glucose.biomarkers[0].name} (mg/dL)." in about
    assert "Requires fasting" not in described_text(page, "Lipid panel")
    back = page.find("a", string="Back to the appointment")
    assert back["href"] == f"/appointments/{appointment.id}"


def test_ticking_a_panel_attaches_it(client, session, world):
    glucose = make_panel(session, "Glucose, fasting", requires_fasting=True)
    appointment = make_appointment(session, world.profile, world.berlin, panels=[world.panel])
    login(client, world.coordinator)
    page = soup(client.get(_url(appointment)))
    response = submit_page(client, page, {"panel_id": [str(world.panel.id), str(glucose.id)]})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/appointments/{appointment.id}"
    assert "Panels updated." in statuses(soup(client.get(response.headers["Location"])))
    assert _attached(session, appointment) == {world.panel.id, glucose.id}


def test_unticking_a_panel_removes_it_and_ticking_another_adds_it(client, session, world):
    hba1c = make_panel(session, "HbA1c")
    appointment = make_appointment(session, world.profile, world.berlin, panels=[world.panel])
    login(client, world.patient)  # a patient, for their own profile's appointment
    own = make_appointment(session, world.patient_profile, world.berlin, panels=[world.panel])
    response = submit_page(client, soup(client.get(_url(own))), {"panel_id": [str(hba1c.id)]})
    assert response.status_code == 302
    assert _attached(session, own) == {hba1c.id}
    assert _attached(session, appointment) == {world.panel.id}


def test_unticking_every_panel_leaves_none(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin, panels=[world.panel])
    login(client, world.coordinator)
    response = submit_page(client, soup(client.get(_url(appointment))), {"panel_id": []})
    assert response.status_code == 302
    assert _attached(session, appointment) == set()


def test_saving_keeps_a_panel_someone_else_added_meanwhile(client, session, world):
    hba1c = make_panel(session, "HbA1c")
    appointment = make_appointment(session, world.profile, world.berlin, panels=[world.panel])
    login(client, world.coordinator)
    page = soup(client.get(_url(appointment)))
    actor = user_actor(world.coordinator)
    add_panels(session, appointment.id, [hba1c.id], actor=actor, now=NOW)
    response = submit_page(client, page, {})  # saved unchanged: HbA1c was not on the page
    assert response.status_code == 302
    assert "No change: the panels are as they were." in statuses(
        soup(client.get(_url(appointment)))
    )
    assert _attached(session, appointment) == {world.panel.id, hba1c.id}


def test_a_drawn_appointment_says_why_its_panels_cannot_change(client, session, world):
    appointment = make_appointment(
        session, world.profile, world.berlin, status="blood_drawn", panels=[world.panel]
    )
    login(client, world.coordinator)
    response = client.get(_url(appointment))
    assert response.status_code == 200
    page = soup(response)
    assert main_forms(page) == []
    assert "The blood has been drawn, so the panels can no longer change." in page.get_text(" ")


def test_saving_after_the_blood_was_drawn_is_refused_with_a_409(client, session, world):
    hba1c = make_panel(session, "HbA1c")
    appointment = make_appointment(session, world.profile, world.berlin, panels=[world.panel])
    login(client, world.coordinator)
    page = soup(client.get(_url(appointment)))
    _set_status(session, appointment, "blood_drawn")
    response = submit_page(client, page, {"panel_id": [str(world.panel.id), str(hba1c.id)]})
    assert response.status_code == 409
    refused = soup(response)
    assert "Cannot change the panels of an appointment that is blood drawn." in alerts(refused)
    assert main_forms(refused) == []
    assert _attached(session, appointment) == {world.panel.id}


def test_unticking_a_panel_someone_else_removed_meanwhile_is_no_error(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin, panels=[world.panel])
    login(client, world.coordinator)
    page = soup(client.get(_url(appointment)))
    session.execute(
        delete(AppointmentPanel).where(AppointmentPanel.appointment_id == appointment.id)
    )
    session.commit()
    response = submit_page(client, page, {"panel_id": []})
    assert response.status_code == 302
    assert _attached(session, appointment) == set()


def test_a_panel_outside_the_catalogue_is_refused_beside_the_panels(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin, panels=[world.panel])
    login(client, world.coordinator)
    page = soup(client.get(_url(appointment)))
    response = submit_page(client, page, {"panel_id": [random_id()]})
    assert response.status_code == 422
    assert group_errors(soup(response), LEGEND) != []
    assert _attached(session, appointment) == {world.panel.id}


def test_another_organisations_appointment_is_403(client, session, world):
    theirs = make_appointment(session, world.other_profile, world.berlin, panels=[world.panel])
    login(client, world.coordinator)
    assert client.get(_url(theirs)).status_code == 403
    ours = make_appointment(session, world.profile, world.berlin)
    page = soup(client.get(_url(ours)))
    [form] = main_forms(page)
    form["action"] = _url(theirs)
    assert submit_page(client, page, {"panel_id": []}).status_code == 403
    assert _attached(session, theirs) == {world.panel.id}


def test_front_desk_cannot_change_panels(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin)
    login(client, world.front_desk)
    assert client.get(_url(appointment)).status_code == 403


def test_an_admin_changes_any_organisations_panels(client, session, world):
    appointment = make_appointment(session, world.other_profile, world.berlin)
    login(client, make_user(session, "admin"))
    page = soup(client.get(_url(appointment)))
    response = submit_page(client, page, {"panel_id": [str(world.panel.id)]})
    assert response.status_code == 302
    assert _attached(session, appointment) == {world.panel.id}
