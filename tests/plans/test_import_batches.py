"""`import_workpoints` imports many notices a transaction, each all or nothing, and what it
costs a notice to publish is pinned here so that it cannot creep back."""

import contextlib
import io
import json
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction

from audit.models import ActionLog
from audit.services import action_logs_announced_together, log_action
from audit.signals import action_logged
from organisation.services.calendar import official_calendar_get
from plans import actions
from plans.models import WorkPlan
from plans.services import gazetteer_get, work_plan_import, work_plan_publish, work_plan_submit
from plans.services.batches import NoticeFile, work_plans_import
from tracking.models import Assignment

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
pytestmark = pytest.mark.django_db


def seeds() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def test_a_file_that_fails_in_a_batch_is_reported_and_the_others_are_imported(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    first, second, *_ = seeds()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_workpoints", str(first), str(bad), str(second), "--publish", stdout=out, stderr=err)
    assert WorkPlan.objects.filter(status=WorkPlan.Status.PUBLISHED).count() == 2
    assert err.getvalue().count("\n") == 1 and str(bad) in err.getvalue()
    assert out.getvalue().count("#") == 2


def test_batches_of_one_import_what_one_batch_does():
    call_command("import_workpoints", *map(str, seeds()), "--publish", "--batch", "1", stdout=io.StringIO())
    assert WorkPlan.objects.filter(status=WorkPlan.Status.PUBLISHED).count() == 5
    assert Assignment.objects.exists()


def test_events_committed_in_a_block_are_announced_once_without_those_rolled_back(django_capture_on_commit_callbacks):
    plans = [work_plan_import(data=path.read_bytes(), source_name=path.name).plan for path in seeds()[:3]]
    announced = []

    def receive(sender, *, logs, **kwargs):
        announced.append(sorted(log.object_id for log in logs))

    action_logged.connect(receive)
    try:
        with action_logs_announced_together():
            with django_capture_on_commit_callbacks(execute=True):
                log_action(plans[0], actions.PLAN_SUBMITTED, user=None)
                with contextlib.suppress(RuntimeError), transaction.atomic():
                    log_action(plans[1], actions.PLAN_SUBMITTED, user=None)
                    raise RuntimeError("rolled back")
                log_action(plans[2], actions.PLAN_SUBMITTED, user=None)
            assert announced == []
    finally:
        action_logged.disconnect(receive)
    assert announced == [sorted([plans[0].pk, plans[2].pk])]


# The queries of importing and publishing one notice (seed 004: 10 tasks, 21 calendar lines,
# 5 counties): what its rows cost, written a table a statement. PostgreSQL writes a batch and
# its history rows in one statement, SQLite in two; the plan's grams (its tasks' union) one.
PUBLISH_QUERIES = {"postgresql": 36, "sqlite": 41}


def test_importing_and_publishing_a_notice_takes_a_fixed_number_of_queries(django_assert_num_queries):
    path = next(SEEDS.glob("004_*.txt"))
    # Kept per process, whichever test ran first: read before counting.
    gazetteer_get()
    official_calendar_get()
    ContentType.objects.get_for_model(WorkPlan)
    with django_assert_num_queries(PUBLISH_QUERIES[connection.vendor]):
        result = work_plan_import(data=path.read_bytes(), source_name=path.name, publish=True)
    assert result.plan.status == WorkPlan.Status.PUBLISHED
    assert result.plan.assignments.count() > 0


def test_a_file_that_cannot_be_read_is_reported_and_the_others_are_imported(tmp_path):
    first, *_ = seeds()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_workpoints", str(tmp_path / "missing.txt"), str(first), stdout=out, stderr=err)
    assert "missing.txt: 无法读取文件（No such file or directory）。" in err.getvalue()
    assert WorkPlan.objects.count() == 1


def test_batches_of_one_report_each_file_once_it_is_committed():
    files = [NoticeFile(name=path.name, read=path.read_bytes, position=n) for n, path in enumerate(seeds()[:3])]
    reported = []
    outcomes = work_plans_import(files=files, batch_size=1, on_commit=lambda done: reported.append(done))
    assert [[o.file.position for o in done] for done in reported] == [[0], [1], [2]]
    assert [o.result.created for o in outcomes] == [True, True, True]


def _published(plan: WorkPlan) -> dict:
    """What publishing left, with the parts' random keys replaced by their place."""
    revision = plan.revisions.get()
    keys = {}
    for part in ("sections", "tasks", "projects", "entries"):
        for index, item in enumerate(revision.snapshot[part]):
            keys[item["key"]] = f"{part}:{index}"
    snapshot = json.loads(
        json.dumps(revision.snapshot),
        object_hook=lambda d: {k: keys.get(v, v) if isinstance(v, str) else v for k, v in d.items()},
    )
    history = WorkPlan.history.filter(id=plan.pk).order_by("history_date", "history_id")
    return {
        "plan": WorkPlan.objects.filter(pk=plan.pk).values("status", "version", "revision").get(),
        "history": list(history.values_list("history_type", "status", "version")),
        "events": list(
            ActionLog.objects.filter(object_id=plan.pk, content_type=ContentType.objects.get_for_model(WorkPlan))
            .order_by("pk")
            .values_list("action_type", "data")
        ),
        "snapshot": snapshot,
        "assignments": sorted(
            plan.assignments.values_list(
                "task__number",
                "entry__position",
                "county_id",
                "occurrence",
                "occurrence_number",
                "occurrence_count",
                "label",
                "state",
                "due_date",
                "due_date_rule",
                "due_date_approximate",
            )
        ),
        "assignment_history": Assignment.history.filter(plan_id=plan.pk).count(),
    }


def test_a_notice_published_as_it_is_imported_is_what_submitting_and_publishing_it_make():
    path = next(SEEDS.glob("004_*.txt"))
    with transaction.atomic():
        at_once = _published(work_plan_import(data=path.read_bytes(), source_name=path.name, publish=True).plan)
        transaction.set_rollback(True)
    plan = work_plan_import(data=path.read_bytes(), source_name=path.name).plan
    plan = work_plan_publish(plan=work_plan_submit(plan=plan, acting_user=None), acting_user=None)
    step_by_step = _published(plan)
    assert at_once["assignments"] and at_once["snapshot"]["tasks"][0]["counties"] is not None
    assert at_once == step_by_step
