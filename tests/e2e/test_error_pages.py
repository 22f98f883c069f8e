"""Error pages in the portal's layout."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot


def test_an_unknown_address_shows_the_not_found_page_with_a_way_back(page: Page):
    response = page.goto("/no-such-page")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.get_by_text("There is no page or appointment at this address.")).to_be_visible()
    screenshot(page, "not-found")
    page.get_by_role("link", name="Go to the start page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a blood draw with Vena")
