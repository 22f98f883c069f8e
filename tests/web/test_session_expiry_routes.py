"""Every portal form posted without its CSRF token writes nothing and never answers with the bare
"Bad request" page (the form shown again: test_session_expiry)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.domain.models import ApiKey, Appointment, Base, ClosedDate, User
from tests.conftest import NOW
from tests.factories import PASSWORD, make_api_key, make_appointment, make_user
from tests.web.conftest import World, form_data, login, main_forms, soup
from tests.web.journey import step_url

EXPIRED = "Your session expired; check and submit again."
CHRISTMAS = date(2026, 12, 25)
NEW_PASSWORD = "a long enough sign-up password"


@dataclass
class Things:
    """What the routes' ids name: appointments (pending and confirmed), the admin, an API key,
    a closed date; with the portal `world`."""

    world: World
    pending: Appointment
    confirmed: Appointment
    admin: User
    key: ApiKey


@pytest.fixture
def things(session, world) -> Things:
    world.berlin.capacity = 3
    session.add(ClosedDate(location_id=world.berlin.id, date=CHRISTMAS, reason="Christmas"))
    session.commit()
    monday = NOW + timedelta(days=2, minutes=30)
    make_api_key(session, world.org)
    return Things(
        world=world,
        pending=make_appointment(session, world.profile, world.berlin, status="pending"),
        confirmed=make_appointment(
            session,
            world.profile,
            world.berlin,
            scheduled_at=monday + timedelta(hours=1),
            panels=[world.panel],
        ),
        admin=make_user(session, "admin"),
        key=session.scalars(select(ApiKey)).one(),
    )


def _review(t: Things) -> str:
    query = {"profile_id": t.world.profile.id, "location_id": t.world.berlin.id}
    return step_url("review", slot="2026-11-23T11:00:00Z", date="2026-11-23", **query)


# route -> (who posts, the page whose form posts there, what is typed into it)
ROUTES = {
    "/sign-in": (
        None,
        lambda t: "/sign-in",
        lambda t: {"email": t.world.coordinator.email, "password": PASSWORD},
    ),
    "/sign-up": (
        None,
        lambda t: "/sign-up",
        lambda t: {"email": "new@example.org", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    ),
    "/sign-out": ("coordinator", lambda t: "/sign-out", lambda t: {}),
    "/language": ("coordinator", lambda t: "/appointments", lambda t: {"language": "de"}),
    "/appointments/new": (
        "coordinator",
        lambda t: step_url("profile"),
        lambda t: {"profile_id": str(t.world.profile.id)},
    ),
    "/appointments/new/location": (
        "coordinator",
        lambda t: step_url("location", profile_id=t.world.profile.id),
        lambda t: {"location_id": str(t.world.berlin.id)},
    ),
    "/appointments/new/time": (
        "coordinator",
        lambda t: step_url(
            "time", profile_id=t.world.profile.id, location_id=t.world.berlin.id, date="2026-11-23"
        ),
        lambda t: {"slot": "2026-11-23T10:30:00Z"},
    ),
    "/appointments/new/review": ("coordinator", _review, lambda t: {}),
    "/appointments/<uuid:appointment_id>/cancel": (
        "coordinator",
        lambda t: f"/appointments/{t.confirmed.id}/cancel",
        lambda t: {},
    ),
    "/appointments/<uuid:appointment_id>/panels": (
        "coordinator",
        lambda t: f"/appointments/{t.confirmed.id}/panels",
        lambda t: {"panel_ids": str(t.world.panel.id)},
    ),
    "/appointments/<uuid:appointment_id>/reschedule": (
        "coordinator",
        lambda t: f"/appointments/{t.confirmed.id}/reschedule?date=2026-11-24",
        lambda t: {"slot": "2026-11-24T10:30:00Z"},
    ),
    "/desk/appointments/<uuid:appointment_id>/confirm": (
        "front_desk",
        lambda t: f"/desk/appointments/{t.pending.id}/confirm",
        lambda t: {},
    ),
    "/desk/appointments/<uuid:appointment_id>/cancel": (
        "front_desk",
        lambda t: f"/desk/appointments/{t.confirmed.id}/cancel",
        lambda t: {"reason": "patient_cancelled"},
    ),
    "/desk/appointments/<uuid:appointment_id>/blood-draw": (
        "front_desk",
        lambda t: f"/desk/appointments/{t.confirmed.id}/blood-draw",
        lambda t: {"barcode": "12345678"},
    ),
    "/profiles/new": (
        "coordinator",
        lambda t: "/profiles/new",
        lambda t: {
            "first_name": "Lena",
            "last_name": "Berg",
            "date_of_birth": "1990-01-02",
            "sex": "2",
        },
    ),
    "/profiles/<uuid:profile_id>/edit": (
        "coordinator",
        lambda t: f"/profiles/{t.world.profile.id}/edit",
        lambda t: {"first_name": "Annika"},
    ),
    "/admin/locations/new": (
        "admin",
        lambda t: "/admin/locations/new",
        lambda t: {"name": "Vena Köln"},
    ),
    "/admin/locations/<uuid:location_id>/edit": (
        "admin",
        lambda t: f"/admin/locations/{t.world.berlin.id}/edit",
        lambda t: {"name": "Vena Mitte"},
    ),
    "/admin/locations/<uuid:location_id>/schedule": (
        "admin",
        lambda t: f"/admin/locations/{t.world.berlin.id}/schedule",
        lambda t: {"capacity": "5"},
    ),
    "/admin/locations/<uuid:location_id>/closed-dates": (
        "admin",
        lambda t: f"/admin/locations/{t.world.berlin.id}/schedule",
        lambda t: {"closed-date": "2026-12-24", "closed-reason": "Christmas Eve"},
    ),
    "/admin/locations/<uuid:location_id>/closed-dates/<day>/reopen": (
        "admin",
        lambda t: f"/admin/locations/{t.world.berlin.id}/closed-dates/{CHRISTMAS}/reopen",
        lambda t: {},
    ),
    "/admin/panels/new": ("admin", lambda t: "/admin/panels/new", lambda t: {"name": "Cardio"}),
    "/admin/panels/<uuid:panel_id>/edit": (
        "admin",
        lambda t: f"/admin/panels/{t.world.panel.id}/edit",
        lambda t: {"name": "Lipids"},
    ),
    "/admin/biomarkers/new": (
        "admin",
        lambda t: "/admin/biomarkers/new",
        lambda t: {"name": "HDL cholesterol", "loinc_code": "2085-9", "unit": "mg/dL"},
    ),
    "/admin/users/new": (
        "admin",
        lambda t: "/admin/users/new",
        lambda t: {"email": "new@example.org", "password": NEW_PASSWORD, "role": "admin"},
    ),
    "/admin/users/<uuid:user_id>/role": (
        "admin",
        lambda t: f"/admin/users/{t.world.coordinator.id}/role",
        lambda t: {"role": "admin", "confirmed": "yes"},
    ),
    "/admin/organisations/new": (
        "admin",
        lambda t: "/admin/organisations/new",
        lambda t: {"slug": "initech", "name": "Initech"},
    ),
    "/admin/organisations/<uuid:organisation_id>/keys/new": (
        "admin",
        lambda t: f"/admin/organisations/{t.world.org.id}/keys/new",
        lambda t: {"name": "Partner", "scopes": "PROFILES_VIEW"},
    ),
    "/admin/organisations/<uuid:organisation_id>/keys/<uuid:key_id>/revoke": (
        "admin",
        lambda t: f"/admin/organisations/{t.world.org.id}/keys/{t.key.id}/revoke",
        lambda t: {},
    ),
}


def _snapshot(session) -> dict[str, list[str]]:
    """Every row of every table, as text: what a write would change."""
    session.rollback()  # end the test session's snapshot, to see the app's commits
    return {
        table.name: sorted(repr(tuple(row)) for row in session.execute(table.select()))
        for table in Base.metadata.sorted_tables
    }


def _form_posting_to(page, route: str, page_path: str) -> tuple[str, dict[str, list[str]]]:
    """The action and data of the POST form of `page` that posts to `route` (the footer's
    language switcher; the closed dates' form; else the one posting to the page itself), as a
    browser sends it, without its CSRF token. A page that offers no such form (an action its
    status refuses) gives its own path and no data."""
    forms = page.find_all("form", attrs={"method": "post"})
    if route == "/language" or route.endswith("/closed-dates"):
        ending = route.rsplit("/", 1)[-1]
        chosen = [form for form in forms if form["action"].endswith(ending)]
    else:
        chosen = [f for f in main_forms(page) if urlsplit(f["action"]).path == page_path]
    if not chosen:
        return page_path, {}
    data = form_data(chosen[0])
    return chosen[0]["action"], {n: v for n, v in data.items() if "csrf_token" not in n}


def test_the_table_names_every_portal_route_that_accepts_a_post(app):
    posting = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ()) and not rule.rule.startswith("/api/")
    }
    assert posting == set(ROUTES)


@pytest.mark.parametrize("route", list(ROUTES))
def test_a_post_without_its_csrf_token_writes_nothing_and_is_no_bad_request_page(
    route, client, session, things
):
    role, page_url, typed = ROUTES[route]
    if role is not None:
        user = {"admin": things.admin, "front_desk": things.world.front_desk}.get(role)
        login(client, user or things.world.coordinator)
    url = page_url(things)
    action, data = _form_posting_to(soup(client.get(url)), route, urlsplit(url).path)
    data.update(typed(things))
    before, signed_in = _snapshot(session), client.get("/appointments").status_code

    response = client.post(action, data=data)

    assert response.status_code != 400
    shown = soup(response)
    assert "Bad request" not in shown.get_text(" ", strip=True)
    if response.status_code < 300:
        assert EXPIRED in shown.find("main").get_text(" ", strip=True)
    assert _snapshot(session) == before
    assert client.get_cookie("vena_language") is None
    assert client.get("/appointments").status_code == signed_in  # not signed in, nor out
