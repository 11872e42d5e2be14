"""A database made before the core schema moves onto it with everything it held."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from plans.models import (
    EntryTarget,
    Membership,
    PlanCounty,
    PlanRevision,
    PlanSource,
    Task,
    TaskTarget,
    WorkPlan,
)

BEFORE = [("plans", "0002_load_divisions")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_an_existing_database_moves_onto_the_core_schema():
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("auth", "User")
    Region = old.get_model("plans", "Region")
    County = old.get_model("plans", "County")
    Office = old.get_model("plans", "Office")
    region = Region.objects.get(code="410100")
    jinshui, guancheng = County.objects.get(name="金水区"), County.objects.get(name="管城回族区")
    office = Office.objects.create(name="郑州市督导室", level="city", region=region)
    staff = User.objects.create(username="old-staff")
    old.get_model("plans", "Membership").objects.create(user=staff, office=office, role="staff")
    WorkPlan_ = old.get_model("plans", "WorkPlan")
    published = WorkPlan_.objects.create(
        office=office,
        title="2017年要点",
        plan_year=2017,
        status="published",
        published_at="2017-03-01T00:00:00Z",
        source_name="a.txt",
        source_text="原文",
        source_sha256="b" * 64,
        import_warnings=[{"code": "no_issue_date", "params": {}}],
    )
    draft = WorkPlan_.objects.create(office=office, title="2018年要点", plan_year=2018, status="draft")
    section = old.get_model("plans", "Section").objects.create(
        plan=published, position=1, level=1, label="一、", heading="督政"
    )
    tasks = [
        old.get_model("plans", "Task").objects.create(
            plan=plan,
            section=section if plan == published else None,
            number=n,
            label=f"{n}.",
            title=f"任务{n}",
            text=f"任务{n}。",
        )
        for plan in (published, draft)
        for n in (1, 2)
    ]
    tasks[0].counties.add(jinshui)
    entry = old.get_model("plans", "ScheduleEntry").objects.create(
        plan=published,
        task=tasks[0],
        position=1,
        period="3月",
        start_month=3,
        end_month=3,
        months=4,
        granularity="month",
        text="开展督导",
    )
    entry.counties.add(guancheng)

    # The lifecycle steps the core data migration wrote, while plans still kept them (the
    # audit log, audit.ActionLog, took their place after it).
    before_audit = [("plans", "0012_task_search_bigrams")]
    PlanEvent = _migrate(before_audit).loader.project_state(before_audit).apps.get_model("plans", "PlanEvent")
    assert set(PlanEvent.objects.filter(plan_id=published.pk).values_list("action", flat=True)) == {
        "imported",
        "published",
    }
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    membership = Membership.objects.get(user__username="old-staff")
    assert membership.role == Membership.Role.EDITOR
    assert Task.objects.filter(key__isnull=True).count() == 0
    assert len(set(Task.objects.values_list("key", flat=True))) == 4
    assert list(TaskTarget.objects.values_list("task_id", "county__name")) == [(tasks[0].pk, "金水区")]
    assert list(EntryTarget.objects.values_list("entry_id", "county__name")) == [(entry.pk, "管城回族区")]
    assert set(PlanCounty.objects.filter(plan_id=published.pk).values_list("county__name", flat=True)) == {
        "金水区",
        "管城回族区",
    }
    source = PlanSource.objects.get(plan_id=published.pk)
    assert (source.name, source.text, source.warnings) == ("a.txt", "原文", [{"code": "no_issue_date", "params": {}}])
    plan = WorkPlan.objects.get(pk=published.pk)
    assert plan.revision == 1
    revision = PlanRevision.objects.get(plan=plan)
    assert [t["title"] for t in revision.snapshot["tasks"]] == ["任务1", "任务2"]
    assert revision.snapshot["tasks"][0]["counties"] == [[jinshui.pk, "金水区"]]
    assert revision.snapshot["entries"][0]["counties"] == [[guancheng.pk, "管城回族区"]]
    assert WorkPlan.objects.get(pk=draft.pk).revision == 0
