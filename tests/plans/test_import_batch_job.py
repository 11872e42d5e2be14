"""The batch import job: the notices of an office's archive imported one by one through the
command's own path, each rolled back alone when it fails, duplicates told as duplicates, a
scan sent to the single import, and nothing imported twice when the job runs again."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from audit.models import ActionLog
from jobs.models import Job
from jobs.tasks import job_run
from organisation.models import County, Membership, Office
from plans import actions
from plans.models import ImportBatchFile, PlanSource, WorkPlan
from plans.services.batches import work_plans_import_start
from tests.factories import UserFactory, staff_user_create

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fixtures" / "seeds"
GENRE = Path(__file__).resolve().parent / "parsing" / "genre"
ZHENJIANG = "镇江市人民政府教育督导室"
pytestmark = pytest.mark.django_db


def seed(prefix: str) -> tuple[str, bytes]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return path.name, path.read_bytes()


def genre(name: str) -> tuple[str, bytes]:
    return name, (GENRE / name).read_bytes()


@pytest.fixture
def admin():
    return UserFactory(is_superuser=True)


@pytest.fixture
def zhenjiang():
    return Office.objects.create(name=ZHENJIANG, level=Office.Level.CITY, region=County.objects.get(name="京口区").city)


def run(capture, **kwargs) -> Job:
    """Start the job as the page does and let it run in the process once committed (eager)."""
    with capture(execute=True):
        job = work_plans_import_start(**{"office": None, "publish": False, **kwargs})
    job.refresh_from_db()
    return job


def outcomes(job) -> list[tuple[str, str]]:
    return list(ImportBatchFile.objects.filter(job=job).values_list("name", "outcome"))


def test_good_files_are_imported_a_duplicate_is_told_and_broken_ones_refused_alone(
    admin, django_capture_on_commit_callbacks
):
    job = run(
        django_capture_on_commit_callbacks,
        user=admin,
        notices=[seed("000"), ("empty.txt", b""), seed("004"), ("again.txt", seed("004")[1]), ("table.xls", b"x")],
    )

    assert job.state == Job.State.SUCCEEDED, job.message
    assert outcomes(job) == [
        (seed("000")[0], "imported"),
        ("empty.txt", "refused"),
        (seed("004")[0], "imported"),
        ("again.txt", "duplicate"),
        ("table.xls", "refused"),
    ]
    files = {f.name: f for f in ImportBatchFile.objects.filter(job=job).select_related("plan")}
    zhenjiang = files[seed("004")[0]]
    assert (zhenjiang.plan.doc_number, zhenjiang.tasks, zhenjiang.entries) == ("镇教督〔2020〕2号", 10, 21)
    assert files["again.txt"].plan == zhenjiang.plan
    assert files["empty.txt"].reason == "文件为空。"
    assert "不支持的文件类型 .xls" in files["table.xls"].reason
    # Nothing of the refused files was written; each imported one is a plan with its source.
    assert WorkPlan.objects.count() == PlanSource.objects.count() == 2
    assert job.message == "导入 2 份，已导入过 1 份，未导入 2 份。"
    assert (job.done, job.total) == (5, 5)
    assert job.result_url == f"/import/batch/{job.pk}/"


def test_the_imports_are_recorded_against_the_user_who_started_them_and_the_files_are_removed(
    admin, django_capture_on_commit_callbacks
):
    job = run(django_capture_on_commit_callbacks, user=admin, notices=[seed("001"), seed("004")])

    logs = ActionLog.objects.filter(action_type=actions.PLAN_IMPORTED)
    assert logs.count() == 2 and {log.user_id for log in logs} == {admin.pk}
    assert all(not default_storage.exists(f["pending"]) for f in job.params["files"])


def test_imported_as_issued_the_plans_are_published_by_their_reviewer(zhenjiang, django_capture_on_commit_callbacks):
    reviewer = staff_user_create(office=zhenjiang, role=Membership.Role.REVIEWER)
    job = run(django_capture_on_commit_callbacks, user=reviewer, office=zhenjiang, publish=True, notices=[seed("004")])

    plan = WorkPlan.objects.get()
    assert job.state == Job.State.SUCCEEDED
    assert (plan.office, plan.status) == (zhenjiang, WorkPlan.Status.PUBLISHED)
    assert ActionLog.objects.filter(object_id=plan.pk, action_type=actions.PLAN_PUBLISHED, user=reviewer).exists()


def test_a_notice_of_another_office_is_refused_for_the_chosen_office(zhenjiang, django_capture_on_commit_callbacks):
    Office.objects.create(name="衡阳市教育督导委员会办公室", level=Office.Level.CITY, region=zhenjiang.region)
    editor = staff_user_create(office=zhenjiang)
    # Seed 001 is Hengyang's notice (衡教督办[2017]1号): not Zhenjiang's to import.
    job = run(django_capture_on_commit_callbacks, user=editor, office=zhenjiang, notices=[seed("001"), seed("004")])

    assert [outcome for _name, outcome in outcomes(job)] == ["refused", "imported"]
    refused = ImportBatchFile.objects.get(job=job, outcome="refused")
    assert "衡阳市教育督导委员会办公室" in refused.reason and not refused.plan
    assert WorkPlan.objects.get().office == zhenjiang


def test_a_scan_is_sent_to_the_single_import_where_its_text_is_checked(admin, django_capture_on_commit_callbacks):
    job = run(django_capture_on_commit_callbacks, user=admin, notices=[genre("huzhou_2024_scanned.pdf")])

    refused = ImportBatchFile.objects.get(job=job)
    assert refused.outcome == "refused" and "扫描件" in refused.reason
    assert not WorkPlan.objects.exists()


def test_running_the_job_again_imports_nothing_twice(admin, django_capture_on_commit_callbacks):
    job = run(django_capture_on_commit_callbacks, user=admin, notices=[seed("002"), seed("004")])
    first = outcomes(job)

    # The worker died after the job had recorded its files: the task comes again.
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED)
    job_run(job.pk)

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and outcomes(job) == first
    assert WorkPlan.objects.count() == 2


def test_a_new_job_with_the_same_files_reports_them_as_duplicates(admin, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks, user=admin, notices=[seed("002"), seed("004")])
    again = run(django_capture_on_commit_callbacks, user=admin, notices=[seed("004"), seed("002")])

    assert [outcome for _name, outcome in outcomes(again)] == ["duplicate", "duplicate"]
    assert WorkPlan.objects.count() == 2


def test_a_job_whose_user_may_no_longer_import_fails_and_imports_nothing(zhenjiang, django_capture_on_commit_callbacks):
    editor = staff_user_create(office=zhenjiang)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = work_plans_import_start(user=editor, office=zhenjiang, publish=False, notices=[seed("004")])
    Membership.objects.filter(user=editor).delete()
    for callback in callbacks:
        callback()

    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.message == "您已无权导入工作要点。"
    assert not WorkPlan.objects.exists()
