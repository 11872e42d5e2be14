"""Existing plans move onto the core schema: every part gets its own key, targets move to their
own tables and into the plan → county index, bureau staff become editors, the import source
leaves the plan row, and every issued plan gets its first revision (what it is now)."""
import uuid
from collections import defaultdict

from django.db import migrations

from plans.snapshots import snapshot_build

BATCH = 500


def _give_keys(model):
    rows = list(model.objects.filter(key__isnull=True).only("pk"))
    for row in rows:
        row.key = uuid.uuid4()
    model.objects.bulk_update(rows, ["key"], batch_size=BATCH)


def _copy_targets(apps):
    Task = apps.get_model("plans", "Task")
    ScheduleEntry = apps.get_model("plans", "ScheduleEntry")
    TaskTarget = apps.get_model("plans", "TaskTarget")
    EntryTarget = apps.get_model("plans", "EntryTarget")
    PlanCounty = apps.get_model("plans", "PlanCounty")
    by_plan = defaultdict(set)
    task_rows = Task.counties.through.objects.values_list("task_id", "county_id", "task__plan_id")
    TaskTarget.objects.bulk_create(
        [TaskTarget(task_id=task, county_id=county) for task, county, _plan in task_rows],
        batch_size=BATCH,
    )
    for _task, county, plan in task_rows:
        by_plan[plan].add(county)
    entry_rows = ScheduleEntry.counties.through.objects.values_list(
        "scheduleentry_id", "county_id", "scheduleentry__plan_id"
    )
    EntryTarget.objects.bulk_create(
        [EntryTarget(entry_id=entry, county_id=county) for entry, county, _plan in entry_rows],
        batch_size=BATCH,
    )
    for _entry, county, plan in entry_rows:
        by_plan[plan].add(county)
    PlanCounty.objects.bulk_create(
        [PlanCounty(plan_id=plan, county_id=county) for plan, counties in by_plan.items() for county in counties],
        batch_size=BATCH,
    )


def _sources_and_revisions(apps):
    WorkPlan = apps.get_model("plans", "WorkPlan")
    PlanSource = apps.get_model("plans", "PlanSource")
    PlanRevision = apps.get_model("plans", "PlanRevision")
    PlanEvent = apps.get_model("plans", "PlanEvent")
    for plan in WorkPlan.objects.all():
        if plan.source_text or plan.source_sha256:
            PlanSource.objects.create(
                plan=plan,
                name=plan.source_name,
                text=plan.source_text,
                sha256=plan.source_sha256,
                warnings=plan.import_warnings,
                created_by_id=plan.created_by_id,
                created_at=plan.created_at,
            )
            PlanEvent.objects.create(
                plan=plan, action="imported", actor_id=plan.created_by_id, created_at=plan.created_at
            )
        if plan.status == "archived" and plan.archived_at is None:
            plan.archived_at = plan.updated_at
        if plan.status not in ("published", "archived"):
            plan.save(update_fields=["archived_at"])
            continue
        plan.revision = 1
        plan.save(update_fields=["revision", "archived_at"])
        PlanRevision.objects.create(
            plan=plan,
            number=1,
            doc_number=plan.doc_number,
            published_at=plan.published_at,
            snapshot=_snapshot(apps, plan),
        )
        PlanEvent.objects.create(
            plan=plan, action="published", revision=1, created_at=plan.published_at
        )


def _snapshot(apps, plan):
    TaskTarget = apps.get_model("plans", "TaskTarget")
    EntryTarget = apps.get_model("plans", "EntryTarget")
    task_counties, entry_counties = defaultdict(list), defaultdict(list)
    for task, county, name in TaskTarget.objects.filter(task__plan=plan).order_by(
        "county__code", "county__name"
    ).values_list("task_id", "county_id", "county__name"):
        task_counties[task].append((county, name))
    for entry, county, name in EntryTarget.objects.filter(entry__plan=plan).order_by(
        "county__code", "county__name"
    ).values_list("entry_id", "county_id", "county__name"):
        entry_counties[entry].append((county, name))
    return snapshot_build(
        plan=plan,
        sections=list(plan.sections.order_by("position")),
        tasks=list(plan.tasks.order_by("number")),
        projects=list(plan.projects.order_by("number")),
        entries=list(plan.schedule_entries.order_by("position")),
        task_counties=task_counties,
        entry_counties=entry_counties,
    )


def forwards(apps, schema_editor):
    for name in ("Section", "Task", "Project", "ScheduleEntry"):
        _give_keys(apps.get_model("plans", name))
    _copy_targets(apps)
    apps.get_model("plans", "Membership").objects.filter(role="staff").update(role="editor")
    _sources_and_revisions(apps)


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_core_schema")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
