"""`/locations` and `/panels`: the shared catalogue, readable by every organisation's key."""

from __future__ import annotations

from tests.factories import BERLIN_HOURS, make_location, random_id

LOCATION_FIELDS = {
    "id",
    "name",
    "company_name",
    "address_line_1",
    "address_line_2",
    "city",
    "state",
    "postal_code",
    "country_name",
    "country_code",
    "timezone",
    "contact_phone",
    "email",
    "website",
    "google_maps_url",
    "image_url",
    "open_hours",
    "default_status",
}


def test_the_location_list_is_an_array_of_contract_locations(api, location):
    response = api.get("/locations")
    assert response.status_code == 200
    (body,) = response.get_json()
    assert set(body) >= LOCATION_FIELDS
    assert body["id"] == str(location.id)
    assert body["timezone"] == "Europe/Berlin"
    assert body["open_hours"] == BERLIN_HOURS
    assert body["default_status"] == "confirmed"
    assert body["address_line_2"] is None


def test_every_organisation_reads_the_shared_catalogue(api_with, other_org, location):
    response = api_with("LOCATIONS_VIEW", organisation=other_org).get(f"/locations/{location.id}")
    assert response.status_code == 200
    assert response.get_json()["name"] == "Vena Berlin Mitte"


def test_a_location_shows_its_default_status(api, session):
    pending = make_location(
        session, name="Vena Mumbai", timezone="Asia/Kolkata", default_status="pending"
    )
    body = api.get(f"/locations/{pending.id}").get_json()
    assert (body["timezone"], body["default_status"]) == ("Asia/Kolkata", "pending")


def test_an_unknown_location_is_404(api):
    response = api.get(f"/locations/{random_id()}")
    assert response.status_code == 404
    assert response.get_json() == {"error": "Test location not found.", "code": "not_found"}


def test_a_location_id_that_is_not_a_uuid_is_invalid_id(api):
    response = api.get("/locations/berlin")
    assert response.status_code == 400
    assert response.get_json()["code"] == "invalid_id"


def test_the_panel_list_is_an_array_of_panels_with_their_biomarkers(api, panel):
    response = api.get("/panels")
    assert response.status_code == 200
    (body,) = response.get_json()
    marker = panel.biomarkers[0]
    assert body == {
        "id": str(panel.id),
        "name": "Lipid panel",
        "description": "Test panel",
        "biomarkers": [{"name": marker.name, "loinc_code": marker.loinc_code, "unit": "mg/dL"}],
        "requires_fasting": True,
    }


def test_an_empty_catalogue_is_an_empty_array(api):
    assert api.get("/panels").get_json() == []
    assert api.get("/locations").get_json() == []
