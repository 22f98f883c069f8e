"""Helpers that walk a paged list of the portal by its Next and Previous links, as a person or a
screen reader finds them: a navigation named for the list, its links marked rel=next/prev."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient

from tests.web.conftest import soup, table_by_caption


def pager_link(page: BeautifulSoup, label: str, rel: str) -> Tag | None:
    """The link marked `rel` (next, prev) in the navigation whose aria-label is `label`."""
    nav = page.find("nav", attrs={"aria-label": label})
    return nav.find("a", rel=rel) if nav is not None else None


def walk(
    client: FlaskClient, url: str, caption: str, label: str
) -> tuple[list[list[list[str]]], list[str]]:
    """Every page of the table captioned `caption` from `url` on, following the Next links of
    the navigation `label`: each page's rows, and each page's URL."""
    pages: list[list[list[str]]] = []
    urls: list[str] = []
    next_url: str | None = url
    while next_url is not None:
        response = client.get(next_url)
        assert response.status_code == 200, (next_url, response.status_code)
        page = soup(response)
        pages.append(table_by_caption(page, caption))
        urls.append(next_url)
        link = pager_link(page, label, "next")
        next_url = link["href"] if link is not None else None
    return pages, urls


def walk_back(client: FlaskClient, url: str, caption: str, label: str) -> list[list[list[str]]]:
    """The pages before the one at `url`, following its Previous links: each page's rows, in
    the list's order (the first page first)."""
    pages: list[list[list[str]]] = []
    page = soup(client.get(url))
    link = pager_link(page, label, "prev")
    while link is not None:
        page = soup(client.get(link["href"]))
        pages.insert(0, table_by_caption(page, caption))
        link = pager_link(page, label, "prev")
    return pages


def flat(pages: list[list[list[str]]], column: int = 0) -> list[str]:
    """One column of every row of every page, in order."""
    return [row[column] for rows in pages for row in rows]
