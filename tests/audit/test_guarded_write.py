"""One guarded write for drafts: every writer locks the plan, refuses a page opened at an older
version, moves the version once, keeps the county index and logs one event."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import ActionLog
from plans import actions
from plans.models import PlanCounty, Task, WorkPlan
from plans.outputs.excel_import import plan_schedule_import
from plans.services import work_plan_import
from plans.services.drafts import draft_write
from plans.services.editing import work_plan_update
from plans.services.lifecycle import work_plan_submit
from tests.factories import CountyFactory, UserFactory
from tests.plans.test_editing import _content
from tests.plans.test_import import seed
from tests.plans.test_outputs import workbook_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def stale(draft, editor):
    """The draft as a page opened it, before someone else saved it."""
    version = draft.version
    WorkPlan.objects.filter(pk=draft.pk).update(version=version + 1)
    return version


def _refused_as_stale(write) -> None:
    before = ActionLog.objects.count()
    with pytest.raises(ValidationError) as refused:
        write()
    assert refused.value.code == "stale"
    assert "未保存" in refused.value.messages[0]
    assert ActionLog.objects.count() == before


def test_the_edit_page_refuses_an_older_version(draft, editor, stale):
    _refused_as_stale(
        lambda: work_plan_update(plan=draft, content=_content(draft), expected_version=stale, acting_user=editor)
    )


def test_the_excel_import_refuses_an_older_version(draft, editor, stale):
    data = workbook_of(draft)
    _refused_as_stale(lambda: plan_schedule_import(plan=draft, data=data, expected_version=stale, acting_user=editor))


def test_a_notice_reimport_refuses_an_older_version_of_the_draft(editor):
    text = seed("004").read_text(encoding="utf-8")
    plan = work_plan_import(text=text, acting_user=editor).plan
    _refused_as_stale(
        lambda: work_plan_import(
            text=text + "\n", acting_user=editor, replace=True, expected_version=plan.version - 1 or 99
        )
    )
    assert WorkPlan.objects.get(pk=plan.pk).version == plan.version


def test_the_guarded_write_refuses_a_plan_that_is_no_longer_a_draft(draft, editor):
    work_plan_submit(plan=draft, acting_user=editor)
    draft.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        with draft_write(plan=draft, expected_version=draft.version, acting_user=editor, action=actions.PLAN_EDITED):
            raise AssertionError("the block must not run")

    assert refused.value.code == "not_draft"


def test_the_guarded_write_moves_the_version_once_and_undoes_everything_on_error(draft, editor):
    with draft_write(plan=draft, expected_version=draft.version, acting_user=editor, action=actions.PLAN_EDITED) as w:
        w.plan.notes = "一"
        w.fields.append("notes")
    draft.refresh_from_db()
    assert (draft.version, draft.notes) == (2, "一")

    with pytest.raises(RuntimeError):
        with draft_write(plan=draft, expected_version=2, acting_user=editor, action=actions.PLAN_EDITED) as w:
            Task.objects.filter(plan=draft).update(title="半途")
            raise RuntimeError

    draft.refresh_from_db()
    assert draft.version == 2
    assert not Task.objects.filter(plan=draft, title="半途").exists()
    assert ActionLog.objects.filter(action_type="plans.plan.edited").count() == 1


# --- The admin's editors -------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _task_form(task, **changes) -> dict:
    data = {
        "plan": task.plan_id,
        "section": task.section_id or "",
        "number": task.number,
        "label": task.label,
        "title": task.title,
        "text": task.text,
        "lead_unit": task.lead_unit,
        "lead_office": "",
        "unconfirmed_places": "[]",
        "plan_version": task.plan.version,
        "_save": "Save",
    }
    if task.addresses_all_counties:
        data["addresses_all_counties"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_admins_task_editor_refreshes_the_county_index_and_logs_the_edit(admin_client, draft, office):
    others = CountyFactory.create_batch(2, city=office.region)
    task = Task.objects.filter(plan=draft).first()
    version = draft.version

    response = admin_client.post(
        reverse("admin:plans_task_change", args=[task.pk]), _task_form(task, addresses_all_counties="on")
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == version + 1
    assert {c.pk for c in others} <= set(PlanCounty.objects.filter(plan=draft).values_list("county_id", flat=True))
    entry = ActionLog.objects.get(action_type="plans.plan.edited")
    assert entry.data == {"source": "admin", "part": "task", "what": "changed", "version": version + 1}


def test_the_admins_task_editor_refuses_an_older_version(admin_client, draft):
    task = Task.objects.filter(plan=draft).first()
    form = _task_form(task, title="管理员的修改")
    WorkPlan.objects.filter(pk=draft.pk).update(version=draft.version + 1)

    response = admin_client.post(reverse("admin:plans_task_change", args=[task.pk]), form)

    assert response.status_code == 200
    assert "未保存" in response.content.decode()
    task.refresh_from_db()
    assert task.title != "管理员的修改"
    assert not ActionLog.objects.exists()


def test_the_admins_task_editor_adds_nothing_to_a_published_plan(admin_client, draft, editor, reviewer):
    from tests.audit.test_state_changes import published

    plan = published(draft, editor, reviewer)
    task = Task.objects.filter(plan=plan).first()
    form = _task_form(task, number=9, title="后门任务", plan_version=None)

    response = admin_client.post(reverse("admin:plans_task_add"), form)

    assert response.status_code == 200
    assert not Task.objects.filter(plan=plan, title="后门任务").exists()


def test_the_admins_plan_editor_refuses_an_older_version(admin_client, draft):
    url = reverse("admin:plans_workplan_change", args=[draft.pk])
    form = {
        "office": draft.office_id,
        "title": "管理员改的标题",
        "plan_year": draft.plan_year,
        "doc_number": draft.doc_number,
        "issue_date": draft.issue_date.isoformat() if draft.issue_date else "",
        "plan_version": draft.version,
        "notice_title": draft.notice_title,
        "recipients": json.dumps(draft.recipients, ensure_ascii=False),
        "cc": json.dumps(draft.cc, ensure_ascii=False),
        "notice_text": draft.notice_text,
        "preamble": draft.preamble,
        "imprint": draft.imprint,
        "notes": draft.notes,
        "created_by": "",
        "_save": "Save",
    }
    if draft.projects_first:
        form["projects_first"] = "on"
    for prefix in ("sections", "tasks", "projects", "schedule_entries"):
        form.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    WorkPlan.objects.filter(pk=draft.pk).update(version=draft.version + 1)

    response = admin_client.post(url, form)

    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.title != "管理员改的标题"

    form["plan_version"] = draft.version
    response = admin_client.post(url, form)

    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.title == "管理员改的标题"
    entry = ActionLog.objects.get()
    assert entry.action_type == "plans.plan.edited" and "title" in entry.data["fields"]
