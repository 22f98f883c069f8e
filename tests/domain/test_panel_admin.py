"""Admins keep the catalogue: LOINC and UCUM rules, new biomarkers, panels made of them."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from app.domain.access import (
    ROLE_PERMISSIONS,
    SCOPE_PERMISSIONS,
    Permission,
    actor_for_scopes,
    actor_for_user,
)
from app.domain.errors import Conflict, Forbidden, NotFound, ValidationError
from app.domain.models import AppointmentPanel, Biomarker, Panel, Role
from app.domain.panel_admin import (
    create_biomarker,
    create_panel,
    get_panel,
    parse_loinc_code,
    parse_ucum_unit,
    update_panel,
)
from tests.factories import ALL_SCOPES, make_appointment

ADMIN = actor_for_user("admin:a@vena", "admin", user_id=uuid.uuid4(), organisation_id=None)
HDL = {"name": "HDL cholesterol", "loinc_code": "2085-9", "unit": "mg/dL"}
LOINC_FORM = "The LOINC code must be 1 to 7 digits, a hyphen and a digit, such as 2093-3."


@pytest.mark.parametrize("code", ["2093-3", "4548-4", "718-7", "13457-7", "62292-8", "1-8"])
def test_real_loinc_codes_pass_with_their_check_digit(code):
    assert parse_loinc_code(f" {code} ") == code


@pytest.mark.parametrize("code", ["2093", "2093-33", "12345678-0", "A093-3", "2093 3", "", None])
def test_a_loinc_code_of_another_form_is_refused(code):
    with pytest.raises(ValidationError) as caught:
        parse_loinc_code(code)
    assert caught.value.errors == {"loinc_code": [LOINC_FORM]}


def test_a_mistyped_loinc_code_is_caught_by_its_check_digit():
    with pytest.raises(ValidationError) as caught:
        parse_loinc_code("2093-4")
    assert caught.value.message == (
        "2093-4 is not a LOINC code: its check digit would be 3. "
        "Copy the code again from loinc.org."
    )


@pytest.mark.parametrize("unit", ["mg/dL", "%", "10*3/uL", "[IU]/L", "mL/min/{1.73_m2}"])
def test_ucum_codes_pass(unit):
    assert parse_ucum_unit(unit) == unit


@pytest.mark.parametrize("unit", ["", "mg per dL", "µg/L", "x" * 33])
def test_a_unit_that_is_not_a_ucum_code_is_refused(unit):
    with pytest.raises(ValidationError) as caught:
        parse_ucum_unit(unit)
    assert caught.value.field == "unit"


def test_a_new_biomarker_is_stored_and_its_loinc_code_is_unique(session):
    biomarker = create_biomarker(session, HDL, actor=ADMIN)
    assert (biomarker.name, biomarker.loinc_code, biomarker.unit) == (
        "HDL cholesterol",
        "2085-9",
        "mg/dL",
    )
    with pytest.raises(Conflict) as caught:
        create_biomarker(session, HDL | {"name": "HDL"}, actor=ADMIN)
    assert (caught.value.field, caught.value.message) == (
        "loinc_code",
        "The catalogue has a biomarker with LOINC code 2085-9.",
    )


def test_a_biomarker_names_every_failing_field(session):
    with pytest.raises(ValidationError) as caught:
        create_biomarker(session, {"name": " ", "loinc_code": "x", "unit": "a b"}, actor=ADMIN)
    assert set(caught.value.errors) == {"name", "loinc_code", "unit"}


def _panel_data(*biomarkers: Biomarker, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Lipids",
        "description": " Cholesterol. ",
        "requires_fasting": True,
        "biomarker_ids": [str(b.id) for b in biomarkers],
    }
    return data | changes


def test_a_panel_is_made_of_catalogue_biomarkers(session):
    hdl = create_biomarker(session, HDL, actor=ADMIN)
    panel = create_panel(session, _panel_data(hdl), actor=ADMIN)
    stored = get_panel(session, panel.id, actor=ADMIN)
    assert (stored.name, stored.description, stored.requires_fasting) == (
        "Lipids",
        "Cholesterol.",
        True,
    )
    assert [b.loinc_code for b in stored.biomarkers] == ["2085-9"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "The name is required."),
        (
            {"description": "x" * 2001},
            "description",
            "The description may have at most 2000 characters.",
        ),
        (
            {"biomarker_ids": []},
            "biomarker_ids",
            "Choose at least one biomarker the panel measures.",
        ),
        ({"biomarker_ids": ["nope"]}, "biomarker_ids", "biomarker_ids is not a valid UUID."),
        (
            {"biomarker_ids": [str(uuid.uuid4())]},
            "biomarker_ids",
            "A chosen biomarker is no longer in the catalogue.",
        ),
    ],
)
def test_a_panel_that_breaks_a_rule_is_refused(session, changes, field, message):
    hdl = create_biomarker(session, HDL, actor=ADMIN)
    with pytest.raises(ValidationError) as caught:
        create_panel(session, _panel_data(hdl, **changes), actor=ADMIN)
    assert caught.value.errors == {field: [message]}


def test_panel_names_are_unique_whatever_their_case(session, world):
    hdl = create_biomarker(session, HDL, actor=ADMIN)
    with pytest.raises(Conflict) as caught:
        create_panel(session, _panel_data(hdl, name="LIPID PANEL"), actor=ADMIN)
    assert (caught.value.field, caught.value.message) == (
        "name",
        "The catalogue has a panel called LIPID PANEL.",
    )
    other = create_panel(session, _panel_data(hdl, name="Lipids"), actor=ADMIN)
    with pytest.raises(Conflict):
        update_panel(session, other.id, _panel_data(hdl, name="Lipid panel"), actor=ADMIN)
    renamed = update_panel(
        session, world.panel.id, _panel_data(hdl, name="Lipid Panel"), actor=ADMIN
    )
    assert renamed.name == "Lipid Panel"


def test_editing_a_panel_replaces_its_biomarkers_and_appointments_keep_it(session, world):
    appointment = make_appointment(session, world.profile, world.location, panels=[world.panel])
    hdl = create_biomarker(session, HDL, actor=ADMIN)
    data = _panel_data(hdl, name="Lipid panel", requires_fasting=False)
    update_panel(session, world.panel.id, data, actor=ADMIN)
    session.expire_all()
    panel = session.get(Panel, world.panel.id)
    assert [b.name for b in panel.biomarkers] == ["HDL cholesterol"]
    assert panel.requires_fasting is False
    ordered = session.scalars(
        select(AppointmentPanel.panel_id).where(AppointmentPanel.appointment_id == appointment.id)
    )
    assert list(ordered) == [world.panel.id]


def test_editing_an_unknown_panel_is_not_found(session):
    with pytest.raises(NotFound):
        update_panel(session, uuid.uuid4(), {}, actor=ADMIN)


def test_only_admins_keep_the_catalogue(session, world):
    assert Permission.MANAGE_CATALOGUE in ROLE_PERMISSIONS[Role.ADMIN]
    assert not any(Permission.MANAGE_CATALOGUE in p for p in SCOPE_PERMISSIONS.values())
    for actor in (world.coordinator, world.desk, actor_for_scopes("k", world.org.id, ALL_SCOPES)):
        with pytest.raises(Forbidden):
            create_biomarker(session, HDL, actor=actor)
        with pytest.raises(Forbidden):
            update_panel(session, world.panel.id, {}, actor=actor)
