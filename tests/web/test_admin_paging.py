"""The admin lists come a page at a time: users, test locations, panels and biomarkers (each
paged on its own), organisations and their API keys. (PORTAL_PAGE_SIZE is 2 here.)"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from app.domain.models import ApiKey
from tests.conftest import NOW
from tests.factories import make_api_key, make_location, make_org, make_panel, make_user
from tests.statements import statements
from tests.web.conftest import login, soup, table_by_caption
from tests.web.pages import flat, pager_link, walk, walk_back


@pytest.fixture
def app_config():
    return {"PORTAL_PAGE_SIZE": 2}


@pytest.fixture
def admin(client, session, world):
    """The client, signed in as an admin."""
    login(client, make_user(session, "admin"))
    return client


@pytest.mark.parametrize(
    ("url", "caption", "label", "rows"),
    [
        ("/admin/users", "Portal users", "Pages of users", 6),
        ("/admin/locations", "Test locations", "Pages of test locations", 3),
        ("/admin/organisations", "Organisations", "Pages of organisations", 3),
    ],
)
def test_each_admin_list_shows_every_row_once_across_its_pages(
    admin, session, url, caption, label, rows
):
    make_location(session, name="Vena Aachen")
    make_org(session, "initech")
    pages, urls = walk(admin, url, caption, label)

    assert [len(page) for page in pages[:-1]] == [2] * (len(pages) - 1)
    assert len(flat(pages)) == len(set(flat(pages))) == rows
    assert walk_back(admin, urls[-1], caption, label) == pages[:-1]


def test_the_users_cursor_carries_no_e_mail_address(admin, world):
    page = soup(admin.get("/admin/users"))
    link = pager_link(page, "Pages of users", "next")["href"]
    assert "@" not in link
    assert "example.org" not in link


def test_panels_and_biomarkers_are_paged_each_on_their_own(admin, session):
    for name in ("Ferritin panel", "HbA1c", "Thyroid panel"):
        make_panel(session, name)
    first = soup(admin.get("/admin/panels"))
    biomarkers_next = pager_link(first, "Pages of biomarkers", "next")["href"]
    second = soup(admin.get(biomarkers_next))
    panels_next = pager_link(second, "Pages of panels", "next")["href"]
    both = soup(admin.get(panels_next))

    assert [row[0] for row in table_by_caption(first, "Panels")] == [
        "Ferritin panel Test panel",
        "HbA1c Test panel",
    ]
    assert table_by_caption(second, "Panels") == table_by_caption(first, "Panels")
    assert table_by_caption(second, "Biomarkers") != table_by_caption(first, "Biomarkers")
    assert table_by_caption(both, "Biomarkers") == table_by_caption(second, "Biomarkers")
    assert [row[0] for row in table_by_caption(both, "Panels")] == [
        "Lipid panel Test panel",
        "Thyroid panel Test panel",
    ]
    assert "biomarkers_after" in parse_qs(urlsplit(panels_next).query)


def test_an_organisations_api_keys_are_paged_newest_first(admin, session, world):
    for _ in range(3):
        make_api_key(session, world.org)
    created = sorted(session.query(ApiKey).filter_by(organisation_id=world.org.id), key=id)
    for n, key in enumerate(created):
        key.name, key.created_at = f"Key {n}", NOW - timedelta(days=n)
    session.commit()
    url = f"/admin/organisations/{world.org.id}"

    pages, _ = walk(admin, url, "API keys of Acme", "Pages of API keys")

    assert [[row[0] for row in page] for page in pages] == [["Key 0", "Key 1"], ["Key 2"]]


@pytest.mark.parametrize("url", ["/admin/users", "/admin/organisations", "/admin/panels"])
def test_an_admin_page_shows_a_page_of_rows_for_as_many_statements_however_long_the_list(
    app, admin, session, world, url
):
    with statements(app) as few:
        assert admin.get(url).status_code == 200
    for n in range(6):
        org = make_org(session)
        make_user(session, "coordinator", org=org)
        make_api_key(session, org)
        make_panel(session, f"Panel {n:02d}")
    with statements(app) as many:
        page = soup(admin.get(url))
    assert len(many) == len(few)
    assert len(page.find("main").find("tbody")("tr")) == 2
