"""A form posted with an expired or missing CSRF token is shown again with "Your session expired;
check and submit again", the values entered (never a password) and a fresh token; nothing is
written, and submitting the page shown then succeeds (every route: test_session_expiry_routes)."""

from __future__ import annotations

import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.db import get_session
from app.domain.models import Appointment, Biomarker, Organisation
from app.domain.transactions import write_transaction
from tests.conftest import NOW
from tests.factories import PASSWORD, make_org, make_user
from tests.web.conftest import alerts, control_by_label, login, soup, submit_page
from tests.web.journey import walk_to_review

EXPIRED = "Your session expired; check and submit again."
HDL = {"name": "HDL cholesterol", "loinc_code": "2085-9", "unit": "mg/dL"}


class _TwoHoursAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 2 * 3600  # past WTF_CSRF_TIME_LIMIT (one hour)


def expired_token(app, client) -> str:
    """A CSRF token of `client`'s session, signed two hours ago: expired."""
    with client.session_transaction() as cookie:
        raw = cookie["csrf_token"]
    signer = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token", signer=_TwoHoursAgo)
    return signer.dumps(raw)


def refused_token(kind: str, app, client) -> str:
    """The token a form is posted with: `expired`, or `missing` (empty)."""
    return expired_token(app, client) if kind == "expired" else ""


def _count(session, model) -> int:
    session.rollback()  # end the test session's snapshot, to see the app's commits
    return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("kind", ["expired", "missing"])
def test_a_review_with_a_refused_token_is_shown_again_and_the_second_press_books(
    kind, app, client, session, world
):
    login(client, world.coordinator)
    review = walk_to_review(client, world, panels=("Lipid panel",))

    response = submit_page(client, review, {"csrf_token": refused_token(kind, app, client)})

    assert response.status_code == 422
    page = soup(response)
    assert alerts(page) == [EXPIRED]
    summary = page.find("dl").get_text(" ", strip=True)
    assert "Anna Schmidt" in summary
    assert "Mon 23 Nov 2026, 10:30" in summary
    assert "Lipid panel" in summary
    assert _count(session, Appointment) == 0

    booked = submit_page(client, page, {})

    assert booked.status_code == 302
    assert _count(session, Appointment) == 1


@pytest.mark.parametrize("kind", ["expired", "missing"])
def test_an_admin_form_with_a_refused_token_keeps_the_values_and_saves_on_the_second_submit(
    kind, app, client, session, world
):
    login(client, make_user(session, "admin"))
    catalogue = _count(session, Biomarker)
    form = soup(client.get("/admin/biomarkers/new"))
    entered = {
        "name": HDL["name"],
        "loinc_code": HDL["loinc_code"],
        "unit": HDL["unit"],
        "csrf_token": refused_token(kind, app, client),
    }

    response = submit_page(client, form, entered)

    assert response.status_code == 422
    page = soup(response)
    assert alerts(page) == [EXPIRED]
    assert control_by_label(page, "Name")["value"] == HDL["name"]
    assert control_by_label(page, "LOINC code")["value"] == HDL["loinc_code"]
    assert control_by_label(page, "Unit")["value"] == HDL["unit"]
    assert _count(session, Biomarker) == catalogue

    saved = submit_page(client, page, {})

    assert saved.status_code == 302
    assert _count(session, Biomarker) == catalogue + 1
    assert (
        session.scalar(select(Biomarker.name).where(Biomarker.loinc_code == HDL["loinc_code"]))
        == (HDL["name"])
    )


@pytest.mark.parametrize("kind", ["expired", "missing"])
def test_sign_in_with_a_refused_token_keeps_the_email_not_the_password_and_signs_in_after(
    kind, app, client, world
):
    form = soup(client.get("/sign-in"))
    client.get("/sign-in")  # the session now holds a CSRF token for `expired_token` to sign
    entered = {
        "email": world.coordinator.email,
        "password": PASSWORD,
        "csrf_token": refused_token(kind, app, client),
    }

    response = submit_page(client, form, entered)

    assert response.status_code == 422
    page = soup(response)
    assert alerts(page) == [EXPIRED]
    assert control_by_label(page, "E-mail address")["value"] == world.coordinator.email
    assert control_by_label(page, "Password").get("value", "") == ""
    assert client.get("/appointments").status_code == 302  # still signed out

    signed_in = submit_page(client, page, {"password": PASSWORD})

    assert signed_in.status_code == 302
    assert client.get("/appointments").status_code == 200


def test_a_view_that_writes_without_checking_its_form_cannot_commit_with_a_refused_token(
    app, client, session
):
    def careless() -> str:  # a view that forgot `validate_on_submit`
        with write_transaction(get_session()) as writing:
            writing.add(Organisation(slug="careless", name="Careless", created_at=NOW))
        return "written"

    app.add_url_rule("/careless", "careless", careless, methods=["POST"])
    make_org(session, "acme")
    client.get("/sign-in")

    response = client.post("/careless", data={"csrf_token": expired_token(app, client)})

    assert response.status_code == 400
    assert "The CSRF token has expired." in soup(response).get_text(" ", strip=True)
    assert session.scalars(select(Organisation.slug)).all() == ["acme"]
