"""No page needs inline code: under the Content-Security-Policy (scripts and styles from our own
files only), Chromium refuses nothing on any page, the admin's included."""

import pytest

from plans.models import WorkPlan
from tests.browser.helpers import sign_in
from tests.factories import UserFactory, county_user_create
from tracking.models import Assignment

PAGES = [
    "/plans/",
    "/plans/{plan}/",
    "/plans/{plan}/revisions/",
    "/plans/{plan}/history/",
    "/plans/{plan}/source/",
    "/plans/{plan}/dashboard/",
    "/progress/",
    "/plans/{plan}/print/",
    "/plans/{plan}/calendar/",
    "/counties/",
    "/import/",
    "/plans/new/",
    "/admin/",
    "/admin/plans/workplan/",
    "/admin/plans/workplan/{plan}/change/",
    "/admin/organisation/county/",
    "/accounts/tokens/",
    "/api/docs/",
    "/api/redoc/",
]

# What the policy refuses on purpose: ReDoc's bundle always asks its CDN for the "API docs by
# Redocly" logo (no option turns it off); refused, the image hides itself and nothing else is missing.
REFUSED_ON_PURPOSE = {"/api/redoc/": "https://cdn.redoc.ly/redoc/logo-mini.svg"}


def violations_on(page, url) -> list[str]:
    seen = []
    page.on("console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None)
    response = page.goto(url)
    assert response.status < 400, (url, response.status)
    page.wait_for_load_state("networkidle")
    return seen


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_page_is_refused_anything_by_the_content_security_policy(live_server, page, seeded_plans):
    UserFactory(username="root", is_superuser=True, is_staff=True)
    plan = seeded_plans["000"]
    assignment = Assignment.objects.filter(plan=plan).select_related("county").first()
    county_user_create(county=assignment.county, user=UserFactory(username="county-x"))

    sign_in(page, live_server, "root")
    refused = {}
    for path in PAGES:
        url = live_server.url + path.format(plan=plan.pk)
        found = [text for text in violations_on(page, url) if REFUSED_ON_PURPOSE.get(path, "\0") not in text]
        if found:
            refused[path] = found
    sign_in(page, live_server, "county-x")
    for path in ("/my/", f"/assignments/{assignment.pk}/"):
        found = violations_on(page, live_server.url + path)
        if found:
            refused[path] = found

    assert refused == {}
    assert WorkPlan.objects.exists()
