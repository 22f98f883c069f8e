"""Browser tests: the app served on a local port, driven by Playwright through Debian's Chromium.

Chromium is found at `CHROMIUM` (default /usr/bin/chromium). Without it these tests are skipped,
unless `VENA_REQUIRE_BROWSER=1` (set by `.ci/run`) turns the skip into a failure. With
`VENA_SCREENSHOTS=<folder>` (`make screenshots`), `screenshot(page, name)` saves PNGs there.
`sign_in(page, user)` signs a user in through the form; `tab_to` and `skip_to_main` move the
focus as a keyboard user does; `summary_value` reads an appointment summary's entry.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from app.domain.models import User
from tests.factories import PASSWORD
from tests.live_server import serving

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = os.environ.get("VENA_SCREENSHOTS")
# The page fixture's viewport; a test that resizes the page to a phone's puts it back.
DESKTOP = {"width": 1280, "height": 900}
# Enough Tab presses to cross any page of the portal; more means the target is not reachable.
TAB_LIMIT = 60


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e as a browser test."""
    for item in items:
        if "tests/e2e/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the run."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: apt-get install -y chromium"
        if os.environ.get("VENA_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            # Running as root (CI containers) needs --no-sandbox.
            args=["--no-sandbox", "--disable-dev-shm-usage"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served by werkzeug on a free local port, in a thread; yields its base URL."""
    with serving(app) as url:
        yield url


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A fresh browser tab (own cookies) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(page: Page, name: str) -> None:
    """Save a full-page PNG as `<VENA_SCREENSHOTS>/<name>.png` when that folder is set."""
    if SCREENSHOTS:
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def sign_in(page: Page, user: User, password: str = PASSWORD) -> None:
    """Sign `user` in through the sign-in form and wait for the portal to say so."""
    page.goto("/sign-in")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status").filter(has_text="You are signed in.")).to_be_visible()


def summary_value(page: Page, term: str) -> Locator:
    """The value beside `term` in the page's summary list: the <dd> after the <dt> that reads
    `term` (the portal's appointment summaries: Patient, When, Test location, Status ...)."""
    return (
        page.get_by_role("main")
        .get_by_role("term")
        .filter(has_text=re.compile(rf"^{re.escape(term)}$"))
        .locator("xpath=following-sibling::dd[1]")
    )


def _has_focus(target: Locator) -> bool:
    """Whether `target` holds the keyboard focus now."""
    return bool(target.evaluate("element => element === document.activeElement"))


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until `target` has the focus, as a keyboard user moves through a page; fails
    when it is not reached within TAB_LIMIT presses."""
    for _ in range(TAB_LIMIT):
        if _has_focus(target):
            return
        page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement && document.activeElement.outerHTML")
    raise AssertionError(f"Tab x {TAB_LIMIT} never reached {target}; the focus is on {focused}")


def skip_to_main(page: Page) -> None:
    """On a page just opened: Tab to the "Skip to main content" link and follow it, so the next
    Tab reaches the page's own content instead of the site navigation."""
    skip = page.get_by_role("link", name="Skip to main content")
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
