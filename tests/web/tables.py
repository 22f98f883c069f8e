"""Helpers that read tables, selects and search forms by their captions, labels and roles."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.web.conftest import control_by_label, form_data


def has_caption(page: BeautifulSoup, caption_text: str) -> bool:
    """Whether a table's <caption> starts with `caption_text`."""
    return any(
        caption.get_text(" ", strip=True).startswith(caption_text)
        for caption in page.find_all("caption")
    )


def captions(page: BeautifulSoup) -> list[str]:
    """The captions of the page's tables, in order."""
    return [caption.get_text(" ", strip=True) for caption in page.find_all("caption")]


def row_links(page: BeautifulSoup, caption_text: str) -> list[dict[str, str]]:
    """For each body row of the table captioned `caption_text`: link text (its accessible name,
    hidden words included) -> href."""
    for caption in page.find_all("caption"):
        if caption.get_text(" ", strip=True).startswith(caption_text):
            return [
                {link.get_text("", strip=False).strip(): link["href"] for link in row("a")}
                for row in caption.parent.find("tbody").find_all("tr")
            ]
    raise AssertionError(f"no table {caption_text!r}")


def option_texts(page: BeautifulSoup, label_text: str) -> list[str]:
    """The option texts of the select labelled `label_text`."""
    select = control_by_label(page, label_text)
    return [option.get_text(strip=True) for option in select.find_all("option")]


def selected_text(page: BeautifulSoup, label_text: str) -> str:
    """The text of the chosen option of the select labelled `label_text` (else the first)."""
    select = control_by_label(page, label_text)
    chosen = select.find("option", selected=True) or select.find("option")
    return chosen.get_text(strip=True)


def search_form(page: BeautifulSoup) -> Tag:
    """The form with role=search in <main>."""
    main = page.find("main")
    assert main is not None
    form = main.find("form", attrs={"role": "search"})
    assert form is not None, "no search form"
    return form


def submit_search(
    client: FlaskClient, page: BeautifulSoup, changes: dict[str, str]
) -> TestResponse:
    """Submit the page's search form (a GET) as a browser would, with `changes` made."""
    form = search_form(page)
    data = form_data(form)
    data.update({name: [value] for name, value in changes.items()})
    return client.get(form["action"], query_string=data)


def checkbox_states(page: BeautifulSoup, legend_text: str) -> dict[str, bool]:
    """The checkboxes of the fieldset whose legend starts with `legend_text`: label -> ticked."""
    for legend in page.find_all("legend"):
        if legend.get_text(" ", strip=True).startswith(legend_text):
            boxes = legend.parent.find_all("input", attrs={"type": "checkbox"})
            return {
                page.find("label", attrs={"for": box["id"]}).get_text(strip=True): box.has_attr(
                    "checked"
                )
                for box in boxes
            }
    raise AssertionError(f"no fieldset {legend_text!r}")


def described_text(page: BeautifulSoup, label_text: str) -> str:
    """The text of the elements the control labelled `label_text` names in aria-describedby."""
    control = control_by_label(page, label_text)
    parts = [page.find(id=ref) for ref in (control.get("aria-describedby") or "").split()]
    return " ".join(part.get_text(" ", strip=True) for part in parts if part is not None)
