"""A plan's lifecycle through its services: draft → in review → published → revised → archived.

Each transition checks the plan's state, writes, and leaves an audit event; publishing keeps a
numbered revision; a revision is written onto its plan in place, so every task keeps its id.
"""

import pytest
from django.core.exceptions import ValidationError

from plans.models import PlanRevision, Task, TaskTarget, WorkPlan
from plans.selectors.history import plan_action_logs
from plans.services import (
    plan_snapshot,
    work_plan_archive,
    work_plan_discard,
    work_plan_import,
    work_plan_publish,
    work_plan_return,
    work_plan_revise,
    work_plan_submit,
)
from plans.services.content import plan_content_write
from tests.factories import CountyFactory, UserFactory, WorkPlanFactory, work_plan_build

pytestmark = pytest.mark.django_db

Status = WorkPlan.Status


@pytest.fixture
def editor():
    return UserFactory(username="editor")


@pytest.fixture
def reviewer():
    return UserFactory(username="reviewer")


def draft_plan(**kwargs):
    return work_plan_build(tasks=3, status=Status.DRAFT, **kwargs)


def published_plan(editor, reviewer, **kwargs):
    plan = draft_plan(**kwargs)
    work_plan_submit(plan=plan, acting_user=editor)
    return work_plan_publish(plan=plan, acting_user=reviewer)


def actions(plan) -> list[str]:
    logs = plan_action_logs(plan_ids=[plan.pk]).order_by("datetime", "id")
    return [name.rsplit(".", 1)[-1] for name in logs.values_list("action_type", flat=True)]


def test_submitting_a_draft_puts_it_in_review_and_logs_who(editor):
    plan = draft_plan()

    plan = work_plan_submit(plan=plan, acting_user=editor)

    assert plan.status == Status.IN_REVIEW and plan.submitted_at is not None
    event = plan_action_logs(plan_ids=[plan.pk]).get()
    assert (event.action_type, event.user) == ("plans.plan.submitted", editor)


def test_submitting_a_plan_without_tasks_is_refused(editor):
    plan = WorkPlanFactory(status=Status.DRAFT)

    with pytest.raises(ValidationError) as refused:
        work_plan_submit(plan=plan, acting_user=editor)

    assert refused.value.code == "no_tasks"
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT


@pytest.mark.parametrize("status", [Status.IN_REVIEW, Status.PUBLISHED, Status.ARCHIVED])
def test_only_a_draft_can_be_submitted(editor, status):
    plan = work_plan_build(tasks=1, status=status)

    with pytest.raises(ValidationError) as refused:
        work_plan_submit(plan=plan, acting_user=editor)

    assert refused.value.code == "not_draft"
    assert "只有草稿" in refused.value.messages[0]


def test_returning_needs_a_comment_and_puts_the_plan_back_in_draft(editor, reviewer):
    plan = work_plan_submit(plan=draft_plan(), acting_user=editor)

    with pytest.raises(ValidationError) as refused:
        work_plan_return(plan=plan, acting_user=reviewer, comment="  ")
    assert refused.value.code == "comment_required"

    plan = work_plan_return(plan=plan, acting_user=reviewer, comment="第3项补充时间安排。")

    assert plan.status == Status.DRAFT
    event = plan_action_logs(plan_ids=[plan.pk]).first()
    assert (event.action_type, event.user, event.comment) == ("plans.plan.returned", reviewer, "第3项补充时间安排。")


def test_publishing_keeps_revision_one_with_what_the_plan_said(editor, reviewer):
    county = CountyFactory()
    plan = draft_plan(counties=[county])
    work_plan_submit(plan=plan, acting_user=editor)

    plan = work_plan_publish(plan=plan, acting_user=reviewer, note="首次发布")

    assert (plan.status, plan.revision) == (Status.PUBLISHED, 1)
    assert plan.published_at is not None
    revision = PlanRevision.objects.get(plan=plan)
    assert (revision.number, revision.published_by, revision.note) == (1, reviewer, "首次发布")
    assert revision.doc_number == plan.doc_number
    assert [t["title"] for t in revision.snapshot["tasks"]] == list(
        plan.tasks.order_by("number").values_list("title", flat=True)
    )
    assert revision.snapshot["tasks"][0]["counties"] == [[county.pk, county.name]]
    assert actions(plan) == ["submitted", "published"]


def test_only_a_plan_in_review_can_be_published(reviewer):
    with pytest.raises(ValidationError) as refused:
        work_plan_publish(plan=draft_plan(), acting_user=reviewer)
    assert refused.value.code == "not_in_review"


def test_a_save_based_on_an_older_version_is_refused(editor):
    plan = draft_plan()
    seen = plan.version
    work_plan_submit(plan=plan, acting_user=editor, expected_version=seen)

    with pytest.raises(ValidationError) as refused:
        work_plan_return(plan=plan, acting_user=editor, comment="x", expected_version=seen)

    assert refused.value.code == "stale"
    # The same user, in another tab: not blamed on someone else.
    assert "由您在另一个窗口或标签页保存" in refused.value.messages[0]
    assert "其他人" not in refused.value.messages[0]
    plan.refresh_from_db()
    assert plan.status == Status.IN_REVIEW


def test_every_transition_increments_the_version(editor, reviewer):
    plan = draft_plan()
    versions = [plan.version]
    plan = work_plan_submit(plan=plan, acting_user=editor)
    versions.append(plan.version)
    plan = work_plan_return(plan=plan, acting_user=reviewer, comment="再改")
    versions.append(plan.version)

    assert versions == sorted(set(versions))


# --- Revisions ---------------------------------------------------------------------------


def test_revising_makes_a_draft_copy_and_leaves_the_published_plan_as_it_is(editor, reviewer):
    plan = published_plan(editor, reviewer, counties=[CountyFactory()])
    before = plan_snapshot(plan)

    draft = work_plan_revise(plan=plan, acting_user=editor)

    assert (draft.status, draft.revision, draft.revision_of) == (Status.DRAFT, 2, plan)
    assert draft.doc_number == plan.doc_number
    assert plan_snapshot(draft)["tasks"] == before["tasks"]  # same keys, same content
    assert plan_snapshot(plan) == before
    assert set(draft.tasks.values_list("pk", flat=True)).isdisjoint(plan.tasks.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as refused:
        work_plan_revise(plan=plan, acting_user=editor)
    assert refused.value.code == "revision_open"


def test_publishing_a_revision_writes_it_onto_the_plan_in_place(editor, reviewer):
    kept, dropped = CountyFactory(), CountyFactory()
    plan = published_plan(editor, reviewer, counties=[kept, dropped])
    task_ids = dict(plan.tasks.values_list("number", "pk"))
    draft = work_plan_revise(plan=plan, acting_user=editor)
    content = plan_snapshot(draft)
    content["tasks"][0]["title"] = "改写后的第一项任务"
    content["tasks"][0]["counties"] = [[kept.pk, kept.name]]
    del content["tasks"][1]  # task 2 goes; task 3 becomes task 2
    content["entries"] = [e for e in content["entries"] if e["task"] != plan_snapshot(draft)["tasks"][1]["key"]]
    plan_content_write(plan=draft, content=content, match_by="key", acting_user=editor)
    draft.doc_number = "测教督〔2020〕99号"
    draft.save()
    work_plan_submit(plan=draft, acting_user=editor)

    published = work_plan_publish(plan=draft, acting_user=reviewer, note="删去第2项")

    assert published == plan and not WorkPlan.objects.filter(pk=draft.pk).exists()
    assert (published.revision, published.doc_number) == (2, "测教督〔2020〕99号")
    tasks = list(published.tasks.order_by("number"))
    assert [t.number for t in tasks] == [1, 2]
    # Task 1 and the old task 3 keep their rows: whatever points at them still does.
    assert [t.pk for t in tasks] == [task_ids[1], task_ids[3]]
    assert tasks[0].title == "改写后的第一项任务"
    assert list(tasks[0].counties.all()) == [kept]
    assert set(published.county_index.values_list("county", flat=True)) == {kept.pk, dropped.pk}
    assert list(published.revisions.values_list("number", "note")) == [(1, ""), (2, "删去第2项")]
    assert actions(published) == [
        "submitted",
        "published",
        "revision_started",
        "submitted",
        "published",
    ]


def test_a_revision_that_takes_a_document_number_in_use_is_refused(editor, reviewer):
    office_plan = published_plan(editor, reviewer)
    WorkPlanFactory(office=office_plan.office, doc_number="测教督〔2020〕7号")
    draft = work_plan_revise(plan=office_plan, acting_user=editor)
    draft.doc_number = "测教督〔2020〕7号"
    draft.save()
    work_plan_submit(plan=draft, acting_user=editor)

    with pytest.raises(ValidationError) as refused:
        work_plan_publish(plan=draft, acting_user=reviewer)

    assert refused.value.code == "doc_number_taken"
    assert WorkPlan.objects.filter(pk=draft.pk, status=Status.IN_REVIEW).exists()


def test_discarding_a_revision_leaves_the_plan_and_logs_it(editor, reviewer):
    plan = published_plan(editor, reviewer)
    draft = work_plan_revise(plan=plan, acting_user=editor)

    back = work_plan_discard(plan=draft, acting_user=editor)

    assert back == plan and not WorkPlan.objects.filter(pk=draft.pk).exists()
    assert actions(plan)[-1] == "revision_discarded"
    assert work_plan_revise(plan=plan, acting_user=editor).revision == 2


def test_a_published_plan_cannot_be_discarded(editor, reviewer):
    plan = published_plan(editor, reviewer)

    with pytest.raises(ValidationError) as refused:
        work_plan_discard(plan=plan, acting_user=editor)

    assert refused.value.code == "not_discardable"


def test_a_plan_in_review_cannot_be_discarded(editor):
    plan = draft_plan()
    work_plan_submit(plan=plan, acting_user=editor)

    with pytest.raises(ValidationError) as refused:
        work_plan_discard(plan=plan, acting_user=editor)

    assert refused.value.code == "not_discardable"
    assert "审核中" in refused.value.messages[0]
    assert WorkPlan.objects.filter(pk=plan.pk, status=Status.IN_REVIEW).exists()


def test_archiving_keeps_the_plan_readable_and_ends_revisions(editor, reviewer):
    plan = published_plan(editor, reviewer)
    draft = work_plan_revise(plan=plan, acting_user=editor)
    with pytest.raises(ValidationError) as refused:
        work_plan_archive(plan=plan, acting_user=reviewer)
    assert refused.value.code == "revision_open"
    work_plan_discard(plan=draft, acting_user=editor)

    plan = work_plan_archive(plan=plan, acting_user=reviewer)

    assert plan.status == Status.ARCHIVED and plan.archived_at is not None
    with pytest.raises(ValidationError):
        work_plan_revise(plan=plan, acting_user=editor)


# --- History -----------------------------------------------------------------------------


def test_every_write_is_recorded_with_who_made_it(editor, reviewer):
    county = CountyFactory()
    plan = published_plan(editor, reviewer, counties=[county])
    draft = work_plan_revise(plan=plan, acting_user=editor)
    content = plan_snapshot(draft)
    content["tasks"][0]["title"] = "新的标题"
    content["tasks"][0]["counties"] = []
    plan_content_write(plan=draft, content=content, match_by="key", acting_user=editor)
    work_plan_submit(plan=draft, acting_user=editor)
    work_plan_publish(plan=draft, acting_user=reviewer)

    task = plan.tasks.get(number=1)
    changes = list(task.history.order_by("history_date").values_list("history_type", "title", "history_user"))
    assert changes[-1] == ("~", "新的标题", reviewer.pk)
    removed = TaskTarget.history.filter(task_id=task.pk, history_type="-").get()
    assert (removed.county_id, removed.history_user) == (county.pk, reviewer)
    # The editor's change to the draft is on record too.
    draft_task = Task.history.filter(plan_id=draft.pk, title="新的标题", history_type="~").get()
    assert draft_task.history_user == editor
    assert plan.history.filter(history_user=reviewer, revision=2).exists()


# --- Re-import -----------------------------------------------------------------------------


def test_reimporting_a_draft_updates_its_rows_in_place(editor):
    from tests.plans.test_import import seed

    text = seed("004").read_text(encoding="utf-8")
    plan = work_plan_import(text=text, source_name="004.txt", acting_user=editor).plan
    ids = dict(plan.tasks.values_list("number", "pk"))
    entry_ids = set(plan.schedule_entries.values_list("pk", flat=True))

    changed = text.replace("深化教育督导体制机制改革", "深化教育督导管理体制改革", 1)
    result = work_plan_import(text=changed, source_name="004.txt", replace=True, acting_user=editor)

    assert result.replaced and result.plan == plan
    assert dict(plan.tasks.values_list("number", "pk")) == ids
    assert set(plan.schedule_entries.values_list("pk", flat=True)) == entry_ids
    assert plan.tasks.get(number=1).title.startswith("深化教育督导管理体制改革")
    assert Task.history.filter(id=ids[1], history_type="~", history_user=editor).exists()
    assert not Task.history.filter(id=ids[2], history_type="~").exists()  # unchanged, unrecorded
    assert actions(plan) == ["imported", "reimported"]


def test_publishing_on_import_goes_through_the_lifecycle():
    from tests.plans.test_import import seed

    plan = work_plan_import(data=seed("000").read_bytes(), source_name="000.txt", publish=True).plan

    assert (plan.status, plan.revision) == (Status.PUBLISHED, 1)
    assert actions(plan) == ["imported", "submitted", "published"]
    assert plan.revisions.get().snapshot["plan"]["title"] == plan.title


def test_an_issued_plan_is_never_deleted_even_by_a_queryset(editor, reviewer):
    from django.db import transaction
    from django.db.models import ProtectedError

    plan = published_plan(editor, reviewer)

    with pytest.raises(ProtectedError), transaction.atomic():
        WorkPlan.objects.filter(pk=plan.pk).delete()
    assert WorkPlan.objects.filter(pk=plan.pk).exists()
