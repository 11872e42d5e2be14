"""The API's schema and its documentation pages, served from our own static files."""

import re

import pytest
from django.core.management import call_command

from tests.factories import staff_user_create

pytestmark = pytest.mark.django_db


def test_the_schema_describes_every_endpoint_without_a_warning(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text(encoding="utf-8")
    for path in ("/api/plans/", "/api/calendar-lines/", "/api/obligations/{id}/reports/", "/api/rectifications/"):
        assert f"{path}:" in schema
    assert "scheme: bearer" in schema


def test_the_schema_and_docs_are_for_signed_in_users(client):
    for path in ("/api/schema/", "/api/docs/", "/api/redoc/"):
        assert client.get(path).status_code in (401, 403), path


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_docs_load_nothing_from_elsewhere(client, path):
    client.force_login(staff_user_create())
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources), sources
    assert "<style" not in html and "<script>" not in html


def test_swagger_uis_start_script_is_a_file_of_its_own(client):
    client.force_login(staff_user_create())
    html = client.get("/api/docs/").content.decode()
    script = re.search(r'<script src="(/api/docs/\?script=[^"]*)"', html).group(1)
    response = client.get(script.replace("&amp;", "&"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


def test_only_redocs_page_allows_inline_styles(client):
    client.force_login(staff_user_create())
    redoc = client.get("/api/redoc/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in redoc and "script-src 'self';" in redoc + ";"
    assert "'unsafe-inline'" not in client.get("/api/docs/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in client.get("/accounts/tokens/")["Content-Security-Policy"]
