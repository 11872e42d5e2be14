"""A job's page in the browser: it reloads itself while the job runs, without any script, until
the file is there to download; the jobs' pages have no serious accessibility violation."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from jobs.models import Job
from tests.browser.helpers import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _job(user, key, state, **fields) -> Job:
    return Job.objects.create(
        kind="tracking.dashboard_export",
        user=user,
        title="测试市教育督导室, 2026（Excel）",
        key=key,
        state=state,
        started_at=timezone.now(),
        **fields,
    )


def test_a_running_jobs_page_reloads_itself_until_its_file_is_ready_without_javascript(live_server, browser):
    user = UserFactory()
    job = _job(user, "running", Job.State.RUNNING, done=1, total=2, message="正在生成工作簿")
    context = browser.new_context(java_script_enabled=False, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        sign_in(page, live_server, user.username)
        page.goto(live_server.url + job.get_absolute_url())
        expect(page.locator("progress")).to_have_attribute("value", "1")
        expect(page.get_by_text("正在生成工作簿")).to_be_visible()

        job.result_file.save("walk.xlsx", ContentFile(b"PK"), save=False)
        job.result_name, job.state, job.done, job.finished_at = "进展表.xlsx", Job.State.SUCCEEDED, 2, timezone.now()
        job.save()

        link = page.get_by_role("link", name=re.compile("下载 进展表.xlsx"))
        expect(link).to_be_visible(timeout=15_000)
        expect(page.locator("progress")).to_have_count(0)
    finally:
        context.close()


def test_the_jobs_pages_have_no_serious_accessibility_violation(live_server, page):
    user = UserFactory()
    jobs = [
        _job(user, "running", Job.State.RUNNING, done=1, total=2),
        _job(user, "failed", Job.State.FAILED, message="您已无权查看此进展表。"),
    ]
    sign_in(page, live_server, user.username)
    axe = Axe()
    found = {}
    # Without the reloading (?refresh=off), which would cut axe's run short.
    for path in ["/jobs/?refresh=off", *(job.get_absolute_url() + "?refresh=off" for job in jobs)]:
        page.goto(live_server.url + path)
        for violation in axe.run(page, options={"resultTypes": ["violations"]}).response["violations"]:
            if violation["impact"] in ("serious", "critical") or violation["id"] == "heading-order":
                found.setdefault(violation["id"], []).append(path)
    assert found == {}
