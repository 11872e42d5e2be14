"""The plan's history and a user's audit page read the audit log: steps as lines, no
bookkeeping of revision copies, and a pinned number of queries whatever the size."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import WorkPlan
from plans.services import work_plan_publish, work_plan_revise, work_plan_submit
from plans.services.editing import work_plan_update
from tests.factories import CountyFactory, UserFactory, work_plan_build
from tests.plans.test_editing import _content
from tests.plans.test_revision_pages import editor, html, office, reviewer, revised  # noqa: F401

pytestmark = pytest.mark.django_db


def _badges(page: str) -> list[str]:
    return re.findall(r'<span class="badge badge--muted">([^<]+)</span>', page)


def test_the_users_audit_page_lists_their_edits_and_steps_but_not_the_revision_copy(client, editor, revised):
    client.force_login(UserFactory(is_superuser=True))

    page = html(client.get(reverse("plans:user_audit", args=[editor.pk])))

    assert "修订后的任务一" in page and "新增的任务" in page
    assert "已开始修订" in page and "已提交审核" in page
    # Created by the editor: only the task they added, not the copy made to revise the plan.
    assert _badges(page).count("新建") == 1, _badges(page)


def test_the_users_audit_page_lists_their_county_work_steps(client, revised, office):
    from tests.factories import county_user_create
    from tracking.models import Assignment
    from tracking.services.reports import assignments_acknowledge

    assignment = Assignment.objects.filter(plan=revised).first()
    county_user = county_user_create(county=assignment.county)
    assignments_acknowledge(assignments=[assignment], acting_user=county_user)
    client.force_login(UserFactory(is_superuser=True))

    page = html(client.get(reverse("plans:user_audit", args=[county_user.pk])))

    assert "已签收任务" in page
    assert f'href="{revised.get_absolute_url()}"' in page


def _grown(office, editor, reviewer, size: int) -> WorkPlan:
    """A plan of `size` tasks, published, revised, edited `size` times and published again."""
    plan = work_plan_build(tasks=size, counties=CountyFactory.create_batch(2), office=office, status="draft")
    work_plan_submit(plan=plan, acting_user=editor)
    plan = work_plan_publish(plan=plan, acting_user=reviewer)
    draft = work_plan_revise(plan=plan, acting_user=editor)
    for n in range(size):
        content = _content(draft)
        content["tasks"][0]["title"] = f"第{n}次修改"
        draft = work_plan_update(plan=draft, content=content, expected_version=draft.version, acting_user=editor)
    work_plan_submit(plan=draft, acting_user=editor)
    return work_plan_publish(plan=draft, acting_user=reviewer)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_history_page_takes_a_pinned_number_of_queries(client, office, editor, reviewer):
    client.force_login(UserFactory(is_superuser=True))
    counts = {}
    for size in (2, 12):
        plan = _grown(office, editor, reviewer, size)
        counts[size] = _queries(client, reverse("plans:plan_history", args=[plan.pk]))

    # As tests/test_plan_history.py pins it (the audit log read once, in place of the plan
    # events). The audit page's are pinned in tests/audit/test_user_audit.py.
    assert counts[2] == counts[12] == 16, counts
