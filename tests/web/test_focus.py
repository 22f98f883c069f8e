"""After a failed submit the first field with an error takes the focus, and only that one."""

from __future__ import annotations

from tests.web.conftest import control_by_label, soup, submit_form


def test_the_first_field_with_an_error_has_autofocus(client):
    response = submit_form(
        client, "/sign-up", {"email": "not an address", "password": "short", "confirm": "x"}
    )
    page = soup(response)
    assert control_by_label(page, "E-mail address").has_attr("autofocus")
    assert not control_by_label(page, "Password").has_attr("autofocus")
    assert len(page.select("[autofocus]")) == 1


def test_a_fresh_form_takes_no_focus(client):
    assert soup(client.get("/sign-up")).select("[autofocus]") == []
