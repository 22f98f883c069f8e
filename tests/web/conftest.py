"""Portal test helpers: sign in and submit forms with their CSRF token, read pages with soup."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from app.domain.models import Organisation, Panel, Profile, TestLocation, User
from tests.factories import PASSWORD, make_location, make_org, make_panel, make_profile, make_user


def soup(response: TestResponse) -> BeautifulSoup:
    """The response's HTML, parsed."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def main_forms(page: BeautifulSoup) -> list[Tag]:
    """The POST forms inside <main> (the header's sign-out form is left out)."""
    main = page.find("main")
    assert main is not None
    return [form for form in main.find_all("form") if form.get("method", "").lower() == "post"]


def submit_form(
    client: FlaskClient, url: str, data: dict[str, object], *, action: str | None = None
) -> TestResponse:
    """Open `url`, take the POST form in <main> (the one posting to `action`, if given), and
    submit `data` with the form's hidden inputs, the CSRF token among them."""
    page = soup(client.get(url))
    forms = main_forms(page)
    if action is not None:
        forms = [form for form in forms if form.get("action") == action]
    assert forms, f"no POST form on {url}"
    form = forms[0]
    fields: dict[str, object] = {
        field["name"]: field.get("value", "")
        for field in form.find_all("input", attrs={"type": "hidden"})
    }
    fields.update(data)
    return client.post(form.get("action") or url, data=fields)


def form_data(form: Tag) -> dict[str, list[str]]:
    """What a browser submits from `form` as the page shows it: hidden and text values, the
    selected options, the checked boxes and radios (no button)."""
    data: dict[str, list[str]] = {}
    for control in form.find_all(["input", "select", "textarea"]):
        name = control.get("name")
        if not name or control.has_attr("disabled"):
            continue
        if control.name == "select":
            options = control.find_all("option")
            chosen = [option for option in options if option.has_attr("selected")] or options[:1]
            values = [option.get("value", option.get_text()) for option in chosen]
        elif control.get("type") in ("checkbox", "radio"):
            if not control.has_attr("checked"):
                continue
            values = [control.get("value", "on")]
        elif control.name == "textarea":
            values = [control.get_text()]
        else:
            values = [control.get("value", "")]
        data.setdefault(name, []).extend(values)
    return data


def submit_page(
    client: FlaskClient,
    page: BeautifulSoup,
    changes: dict[str, str | list[str]],
    *,
    button: str | None = None,
) -> TestResponse:
    """Submit the POST form in <main> of `page` as a browser would: what the page shows, with
    `changes` made, pressing the button named `button` (else the form's plain submit)."""
    [form] = main_forms(page)
    data = form_data(form)
    data.update({name: [v] if isinstance(v, str) else v for name, v in changes.items()})
    if button is not None:
        pressed = form.find("button", attrs={"name": button})
        assert pressed is not None, f"no button {button!r}"
        data[button] = [pressed.get("value", "")]
    return client.post(form["action"], data=data)


def fieldset_by_legend(page: BeautifulSoup, legend_text: str) -> Tag:
    """The fieldset whose <legend> starts with `legend_text`."""
    for legend in page.find_all("legend"):
        if legend.get_text(" ", strip=True).startswith(legend_text):
            return legend.parent
    raise AssertionError(f"no fieldset {legend_text!r}")


def group_errors(page: BeautifulSoup, legend_text: str) -> list[str]:
    """The error messages linked (aria-describedby) to the fieldset of `legend_text`."""
    fieldset = fieldset_by_legend(page, legend_text)
    messages: list[str] = []
    for ref in (fieldset.get("aria-describedby") or "").split():
        described = page.find(id=ref)
        if described is not None and "field-error" in (described.get("class") or []):
            messages.extend(p.get_text(" ", strip=True) for p in described.find_all("p"))
    return messages


def radios(fieldset: Tag) -> dict[str, str]:
    """The radio buttons inside `fieldset`: label text -> value."""
    return {
        fieldset.find("label", attrs={"for": radio["id"]}).get_text(" ", strip=True): radio["value"]
        for radio in fieldset.find_all("input", attrs={"type": "radio"})
    }


def table_by_caption(page: BeautifulSoup, caption_text: str) -> list[list[str]]:
    """The body rows (cell texts) of the table whose <caption> starts with `caption_text`."""
    for caption in page.find_all("caption"):
        if caption.get_text(" ", strip=True).startswith(caption_text):
            return [
                [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
                for row in caption.parent.find("tbody").find_all("tr")
            ]
    raise AssertionError(f"no table {caption_text!r}")


def login(client: FlaskClient, user: User, password: str = PASSWORD) -> TestResponse:
    """Sign `user` in through the sign-in form."""
    return submit_form(client, "/sign-in", {"email": user.email, "password": password})


def field_errors(page: BeautifulSoup, label_text: str) -> list[str]:
    """The error messages linked (aria-describedby) to the input labelled `label_text`."""
    control = control_by_label(page, label_text)
    messages: list[str] = []
    for ref in (control.get("aria-describedby") or "").split():
        described = page.find(id=ref)
        if described is not None and "field-error" in (described.get("class") or []):
            messages.extend(p.get_text(" ", strip=True) for p in described.find_all("p"))
    return messages


def control_by_label(page: BeautifulSoup, label_text: str) -> Tag:
    """The input or select whose <label> starts with `label_text`."""
    for label in page.find_all("label"):
        if label.get_text(" ", strip=True).startswith(label_text):
            control = page.find(id=label["for"])
            assert control is not None
            return control
    raise AssertionError(f"no label {label_text!r}")


def alerts(page: BeautifulSoup) -> list[str]:
    """Texts of the elements with role=alert (errors) on the page."""
    return [tag.get_text(" ", strip=True) for tag in page.find_all(attrs={"role": "alert"})]


def statuses(page: BeautifulSoup) -> list[str]:
    """Texts of the flash messages with role=status on the page."""
    return [tag.get_text(" ", strip=True) for tag in page.find_all(attrs={"role": "status"})]


@dataclass
class World:
    """Two organisations, a Berlin location with a front desk, profiles and users."""

    org: Organisation
    other_org: Organisation
    berlin: TestLocation
    new_york: TestLocation
    panel: Panel
    coordinator: User
    other_coordinator: User
    patient: User
    front_desk: User
    new_york_desk: User
    profile: Profile
    patient_profile: Profile
    other_profile: Profile


@pytest.fixture
def world(session: Session) -> World:
    """The data most portal tests start from."""
    org, other_org = make_org(session, "acme"), make_org(session, "globex")
    berlin = make_location(session)
    new_york = make_location(session, name="Vena Midtown", timezone="America/New_York")
    patient = make_user(session, "patient", org=org)
    return World(
        org=org,
        other_org=other_org,
        berlin=berlin,
        new_york=new_york,
        panel=make_panel(session, "Lipid panel"),
        coordinator=make_user(session, "coordinator", org=org),
        other_coordinator=make_user(session, "coordinator", org=other_org),
        patient=patient,
        front_desk=make_user(session, "front_desk", location=berlin),
        new_york_desk=make_user(session, "front_desk", location=new_york),
        profile=make_profile(session, org, first_name="Anna"),
        patient_profile=make_profile(session, org, owner=patient, first_name="Paula"),
        other_profile=make_profile(session, other_org, first_name="Otto"),
    )
