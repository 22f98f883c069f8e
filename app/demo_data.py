"""The demo data `seed-demo` loads: real addresses and time zones, LOINC-coded panels, users.

Addresses are real places; the locations, e-mail addresses and websites are Vena's demo ones
(`.test` domains), and the phone numbers come from ranges reserved for fiction where the country
has one. The password is for local demos only.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

DEMO_ORGANISATION = {"slug": "demo", "name": "Demo Health"}
DEMO_PASSWORD = "vena-demo-password"  # demo only: never seed a shared or public database
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _hours(*spans: str) -> list[dict[str, str]]:
    """`_hours("07:00-12:00", "13:00-17:00")` -> the contract's open_hours list for one day."""
    return [dict(zip(("open", "close"), span.split("-"), strict=True)) for span in spans]


def _week(
    weekdays: list[dict[str, str]],
    saturday: list[dict[str, str]] | None = None,
    sunday: list[dict[str, str]] | None = None,
) -> dict[str, list[dict[str, str]]]:
    week = {day: weekdays for day in WEEKDAYS[:5]}
    return week | {"saturday": saturday or [], "sunday": sunday or []}


def _location(
    key: str, *, name: str, address: str, country_name: str, **fields: Any
) -> dict[str, Any]:
    city, state = fields.get("city"), fields.get("state")
    parts = (address, city, state if state != city else None, fields.get("postal_code"))
    place = ", ".join([*(part for part in parts if part), country_name])
    return {
        "name": name,
        "address_line_1": address,
        "country_name": country_name,
        "email": f"{key}@vena.example.com",
        "website": f"https://vena.example.com/locations/{key}",
        "google_maps_url": f"https://www.google.com/maps/search/?api=1&query={quote_plus(place)}",
        "default_status": "confirmed",
        **fields,
    }


LOCATIONS: list[dict[str, Any]] = [
    _location(
        "berlin-mitte",
        slot_duration_minutes=10,
        slot_interval_minutes=15,
        capacity=3,
        minimum_notice_minutes=60,
        # Draws from 90 minutes before the start: the desk's first demo appointment, booked at
        # the next free slot an hour or more ahead, can be drawn as soon as the demo starts.
        early_arrival_minutes=90,
        closed_dates=[
            ("2026-12-25", "Christmas Day"),
            ("2026-12-26", "Second Day of Christmas"),
            ("2027-01-01", "New Year's Day"),
            ("2027-03-08", "International Women's Day (Berlin)"),
        ],
        name="Vena Berlin Mitte",
        company_name="Vena Labs GmbH",
        address="Friedrichstraße 68",
        postal_code="10117",
        city="Berlin",
        state="Berlin",
        country_name="Germany",
        country_code="DE",
        timezone="Europe/Berlin",
        contact_phone="+493023125010",
        open_hours=_week(_hours("07:00-12:00", "13:00-17:00"), _hours("08:00-12:00")),
    ),
    _location(
        "muenchen-marienplatz",
        slot_duration_minutes=10,
        slot_interval_minutes=15,
        capacity=1,
        minimum_notice_minutes=60,
        closed_dates=[
            ("2026-12-25", "Christmas Day"),
            ("2026-12-26", "Second Day of Christmas"),
            ("2027-01-01", "New Year's Day"),
            ("2027-01-06", "Epiphany (Bavaria)"),
        ],
        name="Vena München Marienplatz",
        company_name="Vena Labs GmbH",
        address="Marienplatz 8",
        postal_code="80331",
        city="München",
        state="Bayern",
        country_name="Germany",
        country_code="DE",
        timezone="Europe/Berlin",
        contact_phone="+498999998010",
        # Bookings here wait for the front desk to confirm them.
        default_status="pending",
        open_hours=_week(_hours("07:30-12:30", "13:30-16:30")),
    ),
    _location(
        "helsinki-keskusta",
        slot_duration_minutes=10,
        slot_interval_minutes=15,
        capacity=2,
        minimum_notice_minutes=60,
        closed_dates=[
            ("2026-12-24", "Christmas Eve"),
            ("2026-12-25", "Christmas Day"),
            ("2026-12-26", "St Stephen's Day"),
            ("2027-01-01", "New Year's Day"),
            ("2027-01-06", "Epiphany"),
        ],
        name="Vena Helsinki Keskusta",
        company_name="Vena Labs Oy",
        address="Aleksanterinkatu 52",
        postal_code="00100",
        city="Helsinki",
        state="Uusimaa",
        country_name="Finland",
        country_code="FI",
        timezone="Europe/Helsinki",
        contact_phone="+35894245010",
        open_hours=_week(_hours("07:00-15:00"), _hours("09:00-13:00")),
    ),
    _location(
        "london-harley-street",
        slot_duration_minutes=10,
        slot_interval_minutes=10,
        capacity=2,
        minimum_notice_minutes=60,
        closed_dates=[
            ("2026-12-25", "Christmas Day"),
            ("2026-12-28", "Boxing Day (substitute day)"),
            ("2027-01-01", "New Year's Day"),
        ],
        name="Vena London Harley Street",
        company_name="Vena Labs Ltd",
        address="10 Harley Street",
        postal_code="W1G 9PF",
        city="London",
        country_name="United Kingdom",
        country_code="GB",
        timezone="Europe/London",
        contact_phone="+442079460123",
        open_hours=_week(_hours("08:00-18:00"), _hours("09:00-13:00")),
    ),
    _location(
        "new-york-midtown",
        slot_duration_minutes=10,
        slot_interval_minutes=15,
        capacity=4,
        minimum_notice_minutes=60,
        closed_dates=[
            ("2026-11-26", "Thanksgiving Day"),
            ("2026-12-25", "Christmas Day"),
            ("2027-01-01", "New Year's Day"),
            ("2027-01-18", "Martin Luther King Jr. Day"),
        ],
        name="Vena New York Midtown",
        company_name="Vena Labs Inc.",
        address="350 Fifth Avenue",
        postal_code="10118",
        city="New York",
        state="NY",
        country_name="United States",
        country_code="US",
        timezone="America/New_York",
        contact_phone="+12125550142",
        open_hours=_week(_hours("07:00-12:00", "12:30-16:00"), _hours("08:00-12:00")),
    ),
    _location(
        "los-angeles-third-street",
        slot_duration_minutes=10,
        slot_interval_minutes=15,
        capacity=2,
        minimum_notice_minutes=60,
        closed_dates=[
            ("2026-11-26", "Thanksgiving Day"),
            ("2026-12-25", "Christmas Day"),
            ("2027-01-01", "New Year's Day"),
        ],
        name="Vena Los Angeles Third Street",
        company_name="Vena Labs Inc.",
        address="8631 West Third Street",
        postal_code="90048",
        city="Los Angeles",
        state="CA",
        country_name="United States",
        country_code="US",
        timezone="America/Los_Angeles",
        contact_phone="+13105550177",
        open_hours=_week(_hours("06:30-14:30"), _hours("07:00-11:00")),
    ),
    _location(
        "kolkata-park-street",
        slot_duration_minutes=15,
        slot_interval_minutes=20,
        capacity=3,
        minimum_notice_minutes=120,
        closed_dates=[("2026-12-25", "Christmas Day"), ("2027-01-26", "Republic Day")],
        name="Vena Kolkata Park Street",
        company_name="Vena Labs India Pvt. Ltd.",
        address="17 Park Street",
        postal_code="700016",
        city="Kolkata",
        state="West Bengal",
        country_name="India",
        country_code="IN",
        timezone="Asia/Kolkata",
        contact_phone="+913340001234",
        # Bookings here wait for the lab to confirm them.
        default_status="pending",
        open_hours=_week(
            _hours("07:00-13:00", "16:00-19:00"),
            _hours("07:00-13:00", "16:00-19:00"),
            _hours("07:00-10:00"),
        ),
    ),
    _location(
        "adelaide-rundle-mall",
        slot_duration_minutes=10,
        slot_interval_minutes=15,
        capacity=2,
        minimum_notice_minutes=60,
        closed_dates=[
            ("2026-12-25", "Christmas Day"),
            ("2027-01-01", "New Year's Day"),
            ("2027-01-26", "Australia Day"),
        ],
        name="Vena Adelaide Rundle Mall",
        company_name="Vena Labs Pty Ltd",
        address="77 Rundle Mall",
        postal_code="5000",
        city="Adelaide",
        state="SA",
        country_name="Australia",
        country_code="AU",
        timezone="Australia/Adelaide",
        contact_phone="+61870101234",
        open_hours=_week(_hours("07:30-15:30"), _hours("08:00-11:00")),
    ),
]

# (name, LOINC code, UCUM unit) per panel; codes checked against loinc.org.
PANELS: list[dict[str, Any]] = [
    {
        "name": "Lipid panel",
        "description": "Total, HDL and LDL cholesterol and triglycerides.",
        "requires_fasting": True,
        "biomarkers": [
            ("Cholesterol, total", "2093-3", "mg/dL"),
            ("HDL cholesterol", "2085-9", "mg/dL"),
            ("LDL cholesterol (calculated)", "13457-7", "mg/dL"),
            ("Triglycerides", "2571-8", "mg/dL"),
        ],
    },
    {
        "name": "HbA1c",
        "description": "Average blood glucose over the last two to three months.",
        "requires_fasting": False,
        "biomarkers": [("Hemoglobin A1c", "4548-4", "%")],
    },
    {
        "name": "TSH",
        "description": "Thyroid-stimulating hormone, the first test of thyroid function.",
        "requires_fasting": False,
        "biomarkers": [("Thyrotropin (TSH)", "3016-3", "mIU/L")],
    },
    {
        "name": "Complete blood count",
        "description": "Red and white cells, hemoglobin, hematocrit and platelets.",
        "requires_fasting": False,
        "biomarkers": [
            ("Hemoglobin", "718-7", "g/dL"),
            ("Hematocrit", "4544-3", "%"),
            ("White blood cells", "6690-2", "10*3/uL"),
            ("Platelets", "777-3", "10*3/uL"),
            ("Red blood cells", "789-8", "10*6/uL"),
        ],
    },
    {
        "name": "Ferritin",
        "description": "The body's iron stores.",
        "requires_fasting": False,
        "biomarkers": [("Ferritin", "2276-4", "ng/mL")],
    },
    {
        "name": "Glucose, fasting",
        "description": "Blood glucose after at least eight hours without food.",
        "requires_fasting": True,
        "biomarkers": [("Glucose (fasting)", "1558-6", "mg/dL")],
    },
    {
        "name": "Vitamin D (25-OH)",
        "description": "25-hydroxyvitamin D (D2 + D3), the measure of vitamin D status.",
        "requires_fasting": False,
        # 62292-8 is total 25-OH vitamin D (D2 + D3); 1989-3 would be 25-OH vitamin D3 alone.
        "biomarkers": [("Vitamin D, 25-hydroxy (D2 + D3)", "62292-8", "ng/mL")],
    },
]

# One sign-in per role; `locations` names the test locations the front desk works at.
USERS: list[dict[str, Any]] = [
    {"email": "patient@vena.example.com", "role": "patient", "organisation": "demo"},
    {"email": "coordinator@vena.example.com", "role": "coordinator", "organisation": "demo"},
    {
        "email": "frontdesk@vena.example.com",
        "role": "front_desk",
        "locations": ["Vena Berlin Mitte", "Vena München Marienplatz"],
    },
    {"email": "admin@vena.example.com", "role": "admin"},
]

# Profiles of the demo organisation; `owner` is the e-mail of the patient user who owns one.
PROFILES: list[dict[str, Any]] = [
    {
        "handle": "demo-anna-schmidt",
        "owner": "patient@vena.example.com",
        "first_name": "Anna",
        "last_name": "Schmidt",
        "email": "anna.schmidt@example.com",
        "sex": 2,
        "date_of_birth": "1985-04-12",
        "height": 168,
        "weight": 61,
        "language": "de",
    },
    {
        "handle": "demo-mikko-virtanen",
        "first_name": "Mikko",
        "last_name": "Virtanen",
        "sex": 1,
        "date_of_birth": "1979-09-03",
        "height": 182,
        "weight": 84,
        "language": "fi",
    },
    {
        "handle": "demo-siobhan-oconnor",
        "first_name": "Siobhán",
        "last_name": "O'Connor",
        "phone": "+442079460456",
        "sex": 2,
        "date_of_birth": "1992-01-22",
        "language": "en",
    },
    {
        "handle": "demo-jean-luc-moreau",
        "first_name": "Jean-Luc",
        "last_name": "Moreau",
        "sex": 1,
        "date_of_birth": "1968-11-30",
        "language": "en",
    },
    {
        "handle": "demo-priya-sharma",
        "first_name": "Priya",
        "last_name": "Sharma",
        "email": "priya.sharma@example.com",
        "sex": 2,
        "date_of_birth": "1995-07-08",
        "language": "en",
    },
]
