"""A plan's history reads as what people did: a revision's copy is bookkeeping, a publication
is one line with its differences, and the lines can be filtered by person and kind."""

import re

import pytest
from django.urls import reverse

from organisation.models import Membership
from plans.services import work_plan_discard, work_plan_revise
from tests.factories import staff_user_create
from tests.plans.test_revision_pages import editor, html, office, reviewer, revised  # noqa: F401

pytestmark = pytest.mark.django_db


def _badges(page: str) -> list[str]:
    return re.findall(r'<span class="badge badge--muted">([^<]+)</span>', page)


def test_a_published_revision_is_one_line_with_its_changes_and_no_copy_bookkeeping(client, office, revised):
    client.force_login(staff_user_create(office=office, role=Membership.Role.VIEWER))

    page = html(client.get(reverse("plans:plan_history", args=[revised.pk])))

    # Revision 2 retitled task 1 (and dropped a county), removed task 2 with its calendar line,
    # and added a task: four places on the comparison page.
    assert "第 2 版发布，改动 4 处" in page
    compare = reverse("plans:revision_compare", args=[revised.pk]) + "?a=1&amp;b=2"
    assert f'href="{compare}"' in page
    assert "（第 2 版）" not in page.split("第 2 版发布")[0]  # no second "published" line above it
    badges = _badges(page)
    # Created: the plan as first written (header, section, two tasks, two calendar lines) and
    # the task the editor added; nothing of the copy made to revise it, nor of what publishing
    # wrote onto the plan.
    assert badges.count("新建") == 7, badges
    # Deleted: what the editor removed in the draft (task 2, its calendar line, their counties
    # and the county dropped from task 1); not the copy's removal on publication.
    assert badges.count("删除") == 7, badges
    assert badges.count("修改") == 3, badges  # two submissions and the retitled task


def test_a_discarded_revision_leaves_only_its_steps(client, office, editor, revised):
    before = _badges(html(_history(client, office, revised)))
    draft = work_plan_revise(plan=revised, acting_user=editor)
    work_plan_discard(plan=draft, acting_user=editor)

    page = html(_history(client, office, revised))

    assert _badges(page) == before
    assert "已开始修订" in page and "已放弃修订" in page


def _history(client, office, plan, **params):
    client.force_login(staff_user_create(office=office, role=Membership.Role.VIEWER))
    return client.get(reverse("plans:plan_history", args=[plan.pk]), params)


def test_the_history_filters_by_person_and_kind(client, office, editor, reviewer, revised):
    page = html(_history(client, office, revised, user=editor.pk, kind="changed"))

    assert _badges(page) == ["修改"] * 3
    assert "修订后的任务一" in page
    assert "改动 4 处" not in page  # the reviewer published

    page = html(_history(client, office, revised, user=reviewer.pk, kind="lifecycle"))

    assert "第 2 版发布，改动 4 处" in page and "已发布" in page
    assert _badges(page) == [] and "已提交审核" not in page


@pytest.mark.parametrize("params", [{"kind": "everything"}, {"user": "abc"}, {"user": "999999"}])
def test_a_filter_the_page_does_not_offer_is_refused_in_chinese(client, office, revised, params):
    response = _history(client, office, revised, **params)

    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()


def test_the_history_page_takes_a_pinned_number_of_queries(client, office, revised, django_assert_num_queries):
    client.force_login(staff_user_create(office=office, role=Membership.Role.VIEWER))
    url = reverse("plans:plan_history", args=[revised.pk])

    # Session and user, membership, the plan; its history tables (plan, sections, tasks,
    # projects, calendar, counties of tasks and of calendar lines), who wrote them, county
    # names, steps, and the revisions' contents to count their differences.
    with django_assert_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200
