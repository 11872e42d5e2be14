"""The pages of a plan's story: its lifecycle buttons, its revisions and their differences, its
history, and what one user did."""

import re

import pytest
from django.urls import reverse

from organisation.models import Membership
from plans.models import WorkPlan
from plans.services import (
    plan_snapshot,
    work_plan_publish,
    work_plan_revise,
    work_plan_submit,
)
from plans.services.content import plan_content_write
from plans.snapshots import snapshot_diff
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    UserFactory,
    county_user_create,
    staff_user_create,
    work_plan_build,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return OfficeFactory()


@pytest.fixture
def editor(office):
    return staff_user_create(office=office, user=UserFactory(username="editor", first_name="编辑甲"))


@pytest.fixture
def reviewer(office):
    return staff_user_create(office=office, role=Membership.Role.REVIEWER)


@pytest.fixture
def revised(office, editor, reviewer):
    """A plan published twice: revision 2 retitles task 1, drops a county from it, removes task
    2 and adds a new task."""
    kept, dropped = CountyFactory(name="留下县"), CountyFactory(name="去掉县")
    plan = work_plan_build(tasks=2, counties=[kept, dropped], office=office, status=WorkPlan.Status.DRAFT)
    work_plan_submit(plan=plan, acting_user=editor)
    plan = work_plan_publish(plan=plan, acting_user=reviewer)
    draft = work_plan_revise(plan=plan, acting_user=editor)
    content = plan_snapshot(draft)
    content["tasks"][0]["title"] = "修订后的任务一"
    content["tasks"][0]["counties"] = [[kept.pk, kept.name]]
    removed_key = content["tasks"][1]["key"]
    content["tasks"][1] = {
        "key": "00000000-0000-0000-0000-000000000001",
        "number": 2,
        "label": "2.",
        "title": "新增的任务",
        "text": "新增的任务。",
        "section": content["tasks"][0]["section"],
        "lead_unit": "",
        "lead_office": None,
        "addresses_all_counties": False,
        "counties": [],
    }
    content["entries"] = [e for e in content["entries"] if e["task"] != removed_key]
    plan_content_write(plan=draft, content=content, match_by="key", acting_user=editor)
    work_plan_submit(plan=draft, acting_user=editor)
    return work_plan_publish(plan=draft, acting_user=reviewer, note="调整任务")


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_diff_names_tasks_added_removed_changed_and_counties(revised):
    first, second = (r.snapshot for r in revised.revisions.order_by("number"))

    diff = snapshot_diff(first, second)

    kinds = {(c.kind, c.item["title"]) for c in diff.tasks}
    assert ("changed", "修订后的任务一") in kinds
    assert ("added", "新增的任务") in kinds
    assert any(kind == "removed" for kind, _title in kinds)
    changed = next(c for c in diff.tasks if c.kind == "changed")
    assert [f.field for f in changed.fields] == ["title"]
    assert changed.counties_removed == ["去掉县"] and changed.counties_added == []


def test_the_compare_page_shows_the_differences_in_chinese(client, revised):
    client.force_login(county_user_create(county=CountyFactory()))
    client.force_login(staff_user_create())  # staff of another office: an issued plan's story

    page = html(client.get(reverse("plans:revision_compare", args=[revised.pk]), {"a": 1, "b": 2}))

    assert "版本差异" in page
    assert "从第 1 版到第 2 版" in page
    assert "修订后的任务一" in page and "新增的任务" in page
    assert "移除县区：" in page and "去掉县" in page
    assert re.search(r"<th scope=\"row\">标题</th>", page)


def test_a_revision_reads_as_it_was_published(client, revised):
    client.force_login(staff_user_create())

    old = html(client.get(reverse("plans:revision_detail", args=[revised.pk, 1])))
    current = html(client.get(revised.get_absolute_url()))

    assert "这是第 1 版发布时的内容" in old
    assert "去掉县" in old and "修订后的任务一" not in old
    assert "修订后的任务一" in current


def test_the_revisions_page_lists_every_publish_with_who_and_note(client, revised, reviewer):
    client.force_login(staff_user_create())

    page = html(client.get(reverse("plans:revisions", args=[revised.pk])))

    assert "第 2 版" in page and "第 1 版" in page
    assert "调整任务" in page
    assert reviewer.username in page


def test_staff_see_the_open_revision_and_what_it_changes(client, office, editor, revised):
    draft = work_plan_revise(plan=revised, acting_user=editor)
    client.force_login(editor)

    plan_page = html(client.get(revised.get_absolute_url()))
    draft_page = html(client.get(draft.get_absolute_url()))
    compare = html(client.get(reverse("plans:revision_compare", args=[revised.pk]), {"a": 2, "b": "draft"}))

    assert draft.get_absolute_url() in plan_page
    assert "第 3 版修订稿" in draft_page
    assert "两个版本内容相同" in compare
    # Another office never learns of the draft.
    client.force_login(staff_user_create())
    assert draft.get_absolute_url() not in html(client.get(revised.get_absolute_url()))
    assert client.get(reverse("plans:revision_compare", args=[revised.pk]), {"a": 2, "b": "draft"}).status_code == 400


def test_the_plan_page_offers_each_role_its_own_steps(client, office, editor, reviewer):
    plan = work_plan_build(tasks=1, office=office, status=WorkPlan.Status.DRAFT)
    viewer = staff_user_create(office=office, role=Membership.Role.VIEWER)

    def buttons(user):
        client.force_login(user)
        page = html(client.get(plan.get_absolute_url()))
        return {
            a
            for a in ("submit", "publish", "return", "revise", "archive", "discard")
            if f"/plans/{plan.pk}/{a}/" in page
        }

    assert buttons(editor) == {"submit", "discard"}
    assert buttons(viewer) == set()
    work_plan_submit(plan=plan, acting_user=editor)
    assert buttons(editor) == set()  # in review: not "删除此草稿"
    assert buttons(reviewer) == {"publish", "return"}
    work_plan_publish(plan=plan, acting_user=reviewer)
    assert buttons(editor) == {"revise"}
    assert buttons(reviewer) == {"revise", "archive"}
    assert buttons(staff_user_create()) == set()


def test_the_lifecycle_through_the_plan_page(client, office, editor, reviewer):
    plan = work_plan_build(tasks=1, office=office, status=WorkPlan.Status.DRAFT)
    client.force_login(editor)
    client.post(f"/plans/{plan.pk}/submit/", {"version": plan.version})
    plan.refresh_from_db()
    assert plan.status == "in_review"

    client.force_login(reviewer)
    response = client.post(
        f"/plans/{plan.pk}/return/", {"version": plan.version, "comment": "请补充时间安排"}, follow=True
    )
    assert "已退回编辑修改" in html(response)
    plan.refresh_from_db()

    client.force_login(editor)
    page = html(client.get(plan.get_absolute_url()))
    assert "请补充时间安排" in page  # the comment stands on the draft until it is resubmitted
    stale = client.post(f"/plans/{plan.pk}/submit/", {"version": plan.version - 1}, follow=True)
    assert f"未保存：您打开此计划后，{reviewer.username} 已于" in html(stale)
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_an_editor_may_not_publish(client, office, editor):
    plan = work_plan_build(tasks=1, office=office, status=WorkPlan.Status.DRAFT)
    work_plan_submit(plan=plan, acting_user=editor)
    client.force_login(editor)

    response = client.post(f"/plans/{plan.pk}/publish/", {"version": plan.version + 1})

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == "in_review"


def test_the_history_page_says_who_changed_what(client, office, editor, revised):
    client.force_login(staff_user_create(office=office, role=Membership.Role.VIEWER))

    page = html(client.get(reverse("plans:plan_history", args=[revised.pk])))

    assert "修订后的任务一" in page
    assert "编辑甲" in page  # the editor's change to the draft revision is on record
    assert "移除县区：去掉县" in page or "去掉县" in page
    assert "已发布" in page and "已提交审核" in page
    client.force_login(staff_user_create())
    assert client.get(reverse("plans:plan_history", args=[revised.pk])).status_code == 403


def test_an_admin_lists_one_users_actions(client, editor, revised):
    client.force_login(UserFactory(is_superuser=True))

    page = html(client.get(reverse("plans:user_audit", args=[editor.pk])))

    assert "编辑甲 的操作记录" in page
    assert "修订后的任务一" in page
    assert "已开始修订" in page
    client.force_login(editor)
    assert client.get(reverse("plans:user_audit", args=[editor.pk])).status_code == 403


def test_revision_and_history_pages_take_a_fixed_number_of_queries(
    client, office, editor, reviewer, django_assert_num_queries
):
    client.force_login(editor)
    counts = []
    for size in (2, 20):
        plan = work_plan_build(
            tasks=size, counties=CountyFactory.create_batch(2), office=office, status=WorkPlan.Status.DRAFT
        )
        work_plan_submit(plan=plan, acting_user=editor)
        work_plan_publish(plan=plan, acting_user=reviewer)
        sizes = []
        for url in (
            reverse("plans:revisions", args=[plan.pk]),
            reverse("plans:revision_detail", args=[plan.pk, 1]),
            reverse("plans:plan_history", args=[plan.pk]),
            plan.get_absolute_url(),
        ):
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            sizes.append(len(queries))
        counts.append(sizes)
    assert counts[0] == counts[1], counts
