"""The API's documentation pages draw the schema in the browser, from our own files only."""

import pytest

from tests.browser.helpers import sign_in
from tests.factories import UserFactory, staff_user_create


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_and_redoc_show_the_endpoints(live_server, page):
    staff_user_create(user=UserFactory(username="docs-reader"))
    sign_in(page, live_server, "docs-reader")
    elsewhere, ours = [], (live_server.url, f"blob:{live_server.url}")  # ReDoc searches in a worker of its own
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith(ours) else None)

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector("text=/api/obligations/{id}/reports/")
    page.goto(f"{live_server.url}/api/redoc/")
    page.wait_for_selector("text=/api/calendar-lines/", state="attached")
    # ReDoc's hard-coded logo is asked for and refused by the policy; nothing else leaves the site.
    assert [url for url in elsewhere if "cdn.redoc.ly/redoc/logo-mini.svg" not in url] == []
