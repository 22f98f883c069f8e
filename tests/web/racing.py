"""Pressing one page's submit button in several tabs at the same instant, for the portal's race
tests: each tab is its own test client sharing the signed-in session cookie."""

from __future__ import annotations

import threading

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import form_data, main_forms, soup


def press_together(
    app: Flask, client: FlaskClient, page: BeautifulSoup, tabs: int
) -> list[tuple[int, str]]:
    """POST the form in <main> of `page` from `tabs` clients holding `client`'s session cookie,
    released together; each request runs in its own app context, so with its own session and
    database connection. Returns each answer's (status, <h1> text; "" for a redirect)."""
    [form] = main_forms(page)
    data, action = form_data(form), form["action"]
    cookie_name = app.config.get("SESSION_COOKIE_NAME", "session")
    cookie = client.get_cookie(cookie_name)
    assert cookie is not None
    barrier = threading.Barrier(tabs)
    answers: list[tuple[int, str]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def post() -> None:
        try:
            tab = app.test_client()
            tab.set_cookie(cookie_name, cookie.value)
            barrier.wait(timeout=10)
            response = tab.post(action, data=data)
            shown = soup(response).find("h1") if response.status_code != 302 else None
            answer = (response.status_code, shown.get_text(strip=True) if shown else "")
            with lock:
                answers.append(answer)
        except BaseException as error:  # the main thread reports it; threads must not raise
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=post) for _ in range(tabs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(answers) == tabs
    return answers
