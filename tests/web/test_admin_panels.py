"""Admins keep the panels and biomarkers in the portal; the domain's messages show."""

from __future__ import annotations

import pytest

from tests.factories import make_user
from tests.web.conftest import (
    control_by_label,
    field_errors,
    fieldset_by_legend,
    group_errors,
    login,
    soup,
    statuses,
    submit_form,
    table_by_caption,
)

NEW_PANEL = "/admin/panels/new"
NEW_BIOMARKER = "/admin/biomarkers/new"
HDL = {"name": "HDL cholesterol", "loinc_code": "2085-9", "unit": "mg/dL"}


@pytest.fixture
def admin(client, session, world):
    """The client, signed in as an admin."""
    login(client, make_user(session, "admin"))
    return client


def _boxes(page, legend: str) -> dict[str, str]:
    """The checkboxes of the fieldset `legend`: label text -> value."""
    fieldset = fieldset_by_legend(page, legend)
    return {
        fieldset.find("label", attrs={"for": box["id"]}).get_text(" ", strip=True): box["value"]
        for box in fieldset.find_all("input", attrs={"type": "checkbox"})
    }


def test_admins_see_the_panels_and_the_biomarkers_and_links_to_add_them(admin, world):
    page = soup(admin.get("/admin/panels"))
    nav = page.find("nav", attrs={"aria-label": "Main"})
    assert nav.find("a", string="Panels")["aria-current"] == "page"
    [row] = table_by_caption(page, "Panels that patients and partners can order")
    marker = world.panel.biomarkers[0]
    assert row == [
        "Lipid panel Test panel",
        "Not needed",
        marker.name,
        "Edit Lipid panel",
    ]
    assert table_by_caption(page, "Biomarkers in the catalogue") == [
        [marker.name, marker.loinc_code, "mg/dL"]
    ]
    assert page.find("a", string="New panel")["href"] == NEW_PANEL
    assert page.find("a", string="New biomarker")["href"] == NEW_BIOMARKER


def test_an_admin_adds_a_biomarker_and_then_a_panel_measuring_it(admin, world):
    response = submit_form(admin, NEW_BIOMARKER, HDL)
    assert response.headers["Location"] == "/admin/panels#biomarkers"
    page = soup(admin.get("/admin/panels"))
    assert statuses(page) == [
        "HDL cholesterol (LOINC 2085-9) is in the catalogue: choose it on a panel's page."
    ]
    form = soup(admin.get(NEW_PANEL))
    boxes = _boxes(form, "Biomarkers measured")
    hdl_value = boxes["HDL cholesterol (LOINC 2085-9, mg/dL)"]
    response = submit_form(
        admin,
        NEW_PANEL,
        {
            "name": "Cardio",
            "description": "HDL only.",
            "requires_fasting": "y",
            "biomarker_ids": [hdl_value],
        },
    )
    assert response.headers["Location"] == "/admin/panels"
    page = soup(admin.get("/admin/panels"))
    assert statuses(page) == ["The panel Cardio is added."]
    rows = table_by_caption(page, "Panels")
    assert rows[0] == ["Cardio HDL only.", "Required", "HDL cholesterol", "Edit Cardio"]


def test_a_mistyped_loinc_code_and_a_unit_with_spaces_are_refused_beside_them(admin):
    response = submit_form(admin, NEW_BIOMARKER, HDL | {"loinc_code": "2085-8", "unit": "mg dL"})
    assert response.status_code == 422
    page = soup(response)
    assert field_errors(page, "LOINC code") == [
        "2085-8 is not a LOINC code: its check digit would be 9. "
        "Copy the code again from loinc.org."
    ]
    assert field_errors(page, "Unit (UCUM)") == [
        "The unit must be a UCUM code of 1 to 32 characters without spaces, such as mg/dL."
    ]


def test_a_loinc_code_in_the_catalogue_already_is_refused_beside_it(admin):
    submit_form(admin, NEW_BIOMARKER, HDL)
    response = submit_form(admin, NEW_BIOMARKER, HDL | {"name": "HDL"})
    assert response.status_code == 409
    assert field_errors(soup(response), "LOINC code") == [
        "The catalogue has a biomarker with LOINC code 2085-9."
    ]


def test_editing_a_panel_shows_its_choices_and_needs_a_biomarker(admin, world):
    url = f"/admin/panels/{world.panel.id}/edit"
    page = soup(admin.get(url))
    assert page.find("h1").get_text() == "Edit Lipid panel"
    assert control_by_label(page, "Name")["value"] == "Lipid panel"
    [box] = fieldset_by_legend(page, "Biomarkers measured").find_all("input")
    assert box.has_attr("checked")
    assert not control_by_label(page, "The patient must fast").has_attr("checked")
    response = submit_form(admin, url, {"name": "Lipid panel", "description": ""})
    assert response.status_code == 422
    assert group_errors(soup(response), "Biomarkers measured") == [
        "Choose at least one biomarker the panel measures."
    ]


def test_an_admin_renames_a_panel_and_makes_it_need_fasting(admin, world):
    url = f"/admin/panels/{world.panel.id}/edit"
    marker = str(world.panel.biomarkers[0].id)
    data = {"name": "Lipids", "requires_fasting": "y", "biomarker_ids": [marker]}
    response = submit_form(admin, url, data)
    assert response.headers["Location"] == "/admin/panels"
    page = soup(admin.get("/admin/panels"))
    assert statuses(page) == ["The panel Lipids is saved."]
    assert table_by_caption(page, "Panels")[0][:2] == ["Lipids Test panel", "Required"]


def test_a_second_panel_of_the_same_name_is_refused_beside_the_name(admin, world):
    marker = str(world.panel.biomarkers[0].id)
    response = submit_form(admin, NEW_PANEL, {"name": "lipid panel", "biomarker_ids": [marker]})
    assert response.status_code == 409
    assert field_errors(soup(response), "Name") == ["The catalogue has a panel called lipid panel."]


@pytest.mark.parametrize("role", ["coordinator", "patient", "front_desk"])
def test_other_roles_may_not_open_the_catalogue_pages(client, world, role):
    user = {"coordinator": world.coordinator, "patient": world.patient}.get(role, world.front_desk)
    login(client, user)
    for url in ("/admin/panels", NEW_PANEL, NEW_BIOMARKER, f"/admin/panels/{world.panel.id}/edit"):
        assert client.get(url).status_code == 403
    page = soup(client.get("/", follow_redirects=True))
    assert page.find("a", href="/admin/panels") is None
