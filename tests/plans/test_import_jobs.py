"""`import_workpoints --jobs N` writes with N processes, an issuing office's notices all in one
of them: what it imports, accepts and refuses is what one process does. Run on PostgreSQL for
real (processes of their own, each with its connection); SQLite refuses the option."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import ActionLog
from organisation.models import Office
from plans.models import PlanRevision, PlanSource, Task, WorkPlan
from tracking.models import Assignment

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="--jobs writes from several processes: PostgreSQL only"
)


def notices(tmp_path: Path) -> list[Path]:
    """The five seeds, with what makes a run refuse or skip files: the same text again under
    another name, another text with a 文号 already taken, an empty file and a missing one,
    spread among the others."""
    seeds = sorted(SEEDS.glob("*.txt"))
    again = tmp_path / "again.txt"
    again.write_bytes(seeds[1].read_bytes())
    taken = tmp_path / "taken.txt"
    taken.write_bytes(seeds[2].read_bytes().replace("。".encode(), "；".encode(), 1))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    return [seeds[0], seeds[1], empty, seeds[2], again, tmp_path / "missing.txt", taken, seeds[3], seeds[4]]


def run(files: list[Path], *options: str) -> tuple[list[str], list[str], int]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_workpoints", "--publish", *options, *map(str, files), stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    plans = dict(WorkPlan.objects.values_list("pk", "doc_number"))
    # A plan's id depends on which process wrote it first: named by its 文号.
    named = [re.sub(r"#(\d+)", lambda m: f"#{plans[int(m.group(1))]}", line) for line in out.getvalue().splitlines()]
    return named, err.getvalue().splitlines(), code


def state() -> dict:
    return {
        "plans": sorted(WorkPlan.objects.values_list("office__name", "doc_number", "status", "version", "revision")),
        "tasks": Task.objects.count(),
        "sources": PlanSource.objects.count(),
        "revisions": PlanRevision.objects.count(),
        "assignments": sorted(
            Assignment.objects.values_list("plan__doc_number", "county__code", "label", "due_date", "occurrence")
        ),
        "events": sorted(ActionLog.objects.values_list("action_type", "office__name")),
        "offices": sorted(Office.objects.values_list("name", flat=True)),
    }


def clear() -> None:
    """What a run wrote, gone: published plans too (which only this test deletes)."""
    from django.db.models.signals import pre_delete

    from plans.receivers import issued_plans_stay

    offices = set(Office.objects.filter(plans__isnull=False).values_list("pk", flat=True))
    pre_delete.disconnect(issued_plans_stay, sender=WorkPlan)
    try:
        Assignment.objects.all().delete()
        WorkPlan.objects.all().delete()
    finally:
        pre_delete.connect(issued_plans_stay, sender=WorkPlan)
    ActionLog.objects.all().delete()
    Office.objects.filter(pk__in=offices).delete()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_writer_processes_import_refuse_and_report_what_one_process_does(tmp_path):
    files = notices(tmp_path)
    one = run(files, "--batch", "2")
    one_state = state()
    clear()

    two = run(files, "--batch", "2", "--jobs", "2")

    assert two == one
    assert state() == one_state
    out, err, code = two
    assert code == 1
    reported = [line for line in out if not line.startswith(" ")]
    assert [line.startswith(path.name) for line, path in zip(reported, files[:2] + files[3:5] + files[7:])] == [
        True
    ] * 6
    # The same text again: the plan imported from the second seed, nothing written.
    assert reported[3].startswith("again.txt：此前已导入")
    assert re.search(r"#([^：，]+)", reported[3]).group(1) == re.search(r"#([^：，]+)", reported[1]).group(1)
    assert [line.split(":")[0].split("：")[0] for line in err] == [str(files[2]), str(files[5]), str(files[6])]
    assert WorkPlan.objects.filter(status=WorkPlan.Status.PUBLISHED).count() == 5


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_more_writers_than_offices_leave_the_others_idle(tmp_path):
    seeds = sorted(SEEDS.glob("*.txt"))[:2]
    out, err, code = run(seeds, "--jobs", "4")
    assert (code, err) == (0, [])
    assert [line.split("：")[0] for line in out if not line.startswith(" ")] == [path.name for path in seeds]
    assert WorkPlan.objects.filter(status=WorkPlan.Status.PUBLISHED).count() == 2


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's refusal")
@pytest.mark.django_db
def test_more_than_one_job_is_refused_on_sqlite():
    seeds = sorted(SEEDS.glob("*.txt"))[:2]
    with pytest.raises(CommandError, match="--jobs 大于 1 需要 PostgreSQL"):
        call_command("import_workpoints", "--jobs", "2", *map(str, seeds), stdout=io.StringIO())
    assert not WorkPlan.objects.exists()


@postgresql_only
@pytest.mark.django_db
def test_more_than_one_job_is_refused_inside_a_transaction():
    seeds = sorted(SEEDS.glob("*.txt"))[:2]
    with pytest.raises(CommandError, match="不能在事务内运行"):
        call_command("import_workpoints", "--jobs", "2", *map(str, seeds), stdout=io.StringIO())
    assert not WorkPlan.objects.exists()
