"""axe-core over every kind of page, as anonymous and as each demo role: no serious or critical
violation on the app's own pages (the admin is Django's markup and is left out), nor any of the
moderate ones the issue found (a landmark named twice, a skipped heading level). axe-core comes
with axe-playwright-python (the test extra pins it)."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.helpers import sign_in
from tests.site_walk import ROLES, demo_site_build, page_paths

FAILING_IMPACTS = {"serious", "critical"}
ALSO_FAILING = {"landmark-unique", "heading-order", "duplicate-id", "duplicate-id-aria", "duplicate-id-active"}


def _violations(page, axe) -> list[dict]:
    results = axe.run(page, options={"resultTypes": ["violations"]})
    return [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in FAILING_IMPACTS or violation["id"] in ALSO_FAILING
    ]


# Anonymous, then the roles with the most on their pages: a page (its address, and where it led)
# is checked once, as the first role that reaches it; what differs by role within a page
# (buttons, forms) is in the markup check of every role (tests/test_page_markup.py).
BROWSER_ROLES = ("anonymous", "admin", "staff", "reviewer", "viewer", "province", "county", "inspector")
assert set(BROWSER_ROLES) == set(ROLES)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_page_has_a_serious_accessibility_violation(live_server, page):
    site = demo_site_build()
    axe = Axe()
    paths = [path for paths in page_paths(site).values() for path in paths]
    found, checked = {}, set()
    for role in BROWSER_ROLES:
        if role == "anonymous":
            page.context.clear_cookies()
        else:
            sign_in(page, live_server, role)
        for path in paths:
            if path in checked:
                continue  # checked as an earlier role
            response = page.goto(live_server.url + path)
            landed = page.url.removeprefix(live_server.url)
            if landed in checked or landed.startswith("/admin/") or response.status >= 500:
                continue
            checked.add(landed)
            for violation in _violations(page, axe):
                nodes = [" ".join(node["target"]) for node in violation["nodes"][:3]]
                found.setdefault(f"{violation['id']} ({violation['impact']})", []).append(f"{role} {landed} {nodes}")
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)
    # Every kind of page was reached by someone: the portal (county), the login page (anonymous).
    assert {"/my/", "/accounts/login/?next=/plans/", f"/plans/{site['plan'].pk}/print/"} <= checked
    assert len(checked) > 30


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_county_list_headings_fit_at_1366_pixels(live_server, page):
    demo_site_build()
    sign_in(page, live_server, "admin")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/counties/")
    # The list is of one year: each year's (the demo plans are of different years and cities).
    years = page.locator("nav.plan-tabs a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(years) > 1

    tables = 0
    for year in years:
        page.goto(f"{live_server.url}/counties/{year}")
        cut = page.evaluate(
            """() => [...document.querySelectorAll('table.county-table th')]
                     .filter(th => th.scrollWidth > th.clientWidth).map(th => th.textContent)"""
        )
        assert cut == [], year
        tables += page.locator("table.county-table").count()
    assert tables > 1
