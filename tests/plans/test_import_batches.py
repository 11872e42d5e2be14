"""`import_workpoints` imports many notices a transaction, each all or nothing, and what it
costs a notice to publish is pinned here so that it cannot creep back."""

import contextlib
import io
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction

from audit.services import action_logs_announced_together, log_action
from audit.signals import action_logged
from organisation.services.calendar import official_calendar_get
from plans import actions
from plans.models import WorkPlan
from plans.services import gazetteer_get, work_plan_import
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
PUBLISH_QUERIES = {"postgresql": 50, "sqlite": 55}


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
