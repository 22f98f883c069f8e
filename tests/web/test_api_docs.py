"""`/api/docs`: the API reference page loads without a sign-in, from this site's files only, with
no inline script (the CSP forbids it), and points Swagger UI at the served OpenAPI document."""

from __future__ import annotations

import re
from pathlib import Path

from tests.web.conftest import soup

VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor" / "swagger-ui"


def test_the_reference_page_loads_with_a_title_and_a_language(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    page = soup(response)
    assert page.html["lang"] == "en"
    assert page.title.string == "Vena partner API reference"
    assert page.h1.get_text(strip=True) == "Vena partner API reference"


def test_the_reference_page_uses_only_local_assets_and_no_inline_script(client):
    page = soup(client.get("/api/docs"))

    scripts = page.find_all("script")
    assets = [s["src"] for s in scripts] + [link["href"] for link in page.find_all("link")]
    assert all(script.get("src") and not script.string for script in scripts)
    assert {"/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/js/api-docs.js"} <= set(
        assets
    )
    for url in assets:
        assert url.startswith("/static/"), url
        with client.get(url) as response:
            assert response.status_code == 200, url


def test_swagger_ui_is_pointed_at_the_served_document(client):
    root = soup(client.get("/api/docs")).find(id="swagger-ui")

    document = client.get(root["data-document-url"])

    assert document.status_code == 200
    assert document.get_json()["info"]["title"] == "Vena partner API"


def test_the_vendored_swagger_ui_is_the_version_its_readme_names(client):
    readme = (VENDOR / "README.md").read_text()
    bundle = (VENDOR / "swagger-ui-bundle.js").read_text()

    named = re.search(r"swagger-ui-dist (\d+\.\d+\.\d+)", readme)
    assert named is not None
    assert f'PACKAGE_VERSION:"{named.group(1)}"' in bundle
    assert (VENDOR / "LICENSE").exists()
