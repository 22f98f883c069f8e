"""Signing in with the keyboard alone, in a real browser."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from app.web.auth import BAD_SIGN_IN
from tests.e2e.conftest import screenshot
from tests.factories import PASSWORD, make_org, make_user


def test_a_coordinator_signs_in_with_the_keyboard_and_sees_the_appointments(page: Page, session):
    user = make_user(session, "coordinator", org=make_org(session))
    page.goto("/sign-in")
    screenshot(page, "sign-in")
    page.get_by_label("E-mail").focus()
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Appointments")


def test_a_wrong_password_is_shown_on_the_form(page: Page, session):
    user = make_user(session, "patient", org=make_org(session))
    page.goto("/sign-in")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_text(BAD_SIGN_IN)).to_be_visible()
