"""Bodies list their fields in the contract's order, as a partner reading them would expect."""

from tests.factories import make_api_key, make_appointment, make_location, make_org, make_profile


def test_an_appointment_body_lists_its_fields_in_the_contracts_order(client, session):
    org = make_org(session)
    appointment = make_appointment(session, make_profile(session, org), make_location(session))
    key = make_api_key(session, org)
    body = client.get(f"/api/v1/appointments/{appointment.id}", headers={"x-api-key": key})
    assert list(body.get_json())[:8] == [
        "id",
        "profile_id",
        "location_id",
        "scheduled_at",
        "status",
        "test_method",
        "created_at",
        "updated_at",
    ]
