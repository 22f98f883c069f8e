"""The portal's pages of a list: which page the query string asks for (`after` or `before` a
cursor, `app.domain.pages`), and the links to the pages on either side of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlunsplit

from flask import current_app, request, url_for

from app.domain.pages import Page

PAGE_SIZE_SETTING = "PORTAL_PAGE_SIZE"
CURSOR_NAMES = ("after", "before")


def requested_page(prefix: str = "") -> dict[str, Any]:
    """The domain's paging arguments for the page the query string asks for: `limit` (the
    PORTAL_PAGE_SIZE setting) and the cursor in `<prefix>after` or `<prefix>before` (none: the
    first page). A page with two lists gives each its own `prefix`."""
    return {
        "limit": int(current_app.config[PAGE_SIZE_SETTING]),
        "after": request.args.get(f"{prefix}after") or None,
        "before": request.args.get(f"{prefix}before") or None,
    }


@dataclass(frozen=True)
class Pager:
    """The links between the pages of one list: `label` names the list for the navigation's
    `aria-label`; each URL is None where there is no such page."""

    label: str
    previous_url: str | None
    next_url: str | None

    @property
    def shown(self) -> bool:
        """Whether the list has more than this page."""
        return self.previous_url is not None or self.next_url is not None


def pager(page: Page[Any], label: str, prefix: str = "") -> Pager:
    """The links to the pages before and after `page`: the request's own URL, root-relative,
    with every query value kept (filters, search, another list's page) but this list's cursor,
    which is replaced. Nothing else goes into the URL: cursors carry no personal data."""
    mine = {prefix + name for name in CURSOR_NAMES}
    kept = [(name, value) for name, value in request.args.items(multi=True) if name not in mine]
    path = url_for(str(request.endpoint), **(request.view_args or {}))

    def link(name: str, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        return urlunsplit(("", "", path, urlencode([*kept, (prefix + name, cursor)]), ""))

    return Pager(label, link("before", page.previous_cursor), link("after", page.next_cursor))
