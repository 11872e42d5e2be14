"""Background jobs on the embedded default: a job is recorded, runs in the process once its
transaction commits, reports progress, keeps its file, fails with a message in Chinese, runs once
however often it is started or delivered, and is its starter's alone."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import ActionLog
from jobs.models import Job
from jobs.registry import JobResult, job_kind_register
from jobs.services import job_start
from jobs.tasks import job_run
from organisation.models import Membership
from plans.models import WorkPlan
from plans.services import work_plan_publish, work_plan_submit
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    RegionFactory,
    TaskFactory,
    UserFactory,
    WorkPlanFactory,
    staff_user_create,
)

pytestmark = pytest.mark.django_db

RUNS = []


@job_kind_register("tests.count", "计数", soft_time_limit=5, time_limit=10)
def _count(job, progress) -> JobResult:
    RUNS.append(job.pk)
    for done in range(job.params["n"]):
        progress(done, job.params["n"], f"第{done}项")
    return JobResult(data="共{}项".format(job.params["n"]).encode(), name="结果.txt")


@job_kind_register("tests.refuse", "拒绝", soft_time_limit=5, time_limit=10)
def _refuse(job, progress) -> JobResult:
    raise ValidationError("该计划已删除。")


@job_kind_register("tests.crash", "崩溃", soft_time_limit=5, time_limit=10)
def _crash(job, progress) -> JobResult:
    raise RuntimeError("a bug")


@pytest.fixture
def user():
    return UserFactory()


def test_a_job_runs_once_its_transaction_commits(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(kind="tests.count", user=user, title="计数", params={"n": 3})
        assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED
    for callback in callbacks:  # the audit event's announcement, then the job's queueing
        callback()

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert (job.done, job.total) == (3, 3)
    assert job.started_at <= job.finished_at
    assert job.result_name == "结果.txt"
    assert job.result_file.read().decode() == "共3项"
    assert ActionLog.objects.get(object_id=job.pk, action_type="jobs.job.started").user == user


def test_starting_the_same_job_twice_gives_the_one_under_way(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = job_start(kind="tests.count", user=user, title="计数", params={"n": 2})
        second = job_start(kind="tests.count", user=user, title="计数", params={"n": 2})
        other = job_start(kind="tests.count", user=user, title="计数", params={"n": 4})
    assert second == first and other != first
    assert Job.objects.count() == 2
    # Once it is done, starting it again is a new job (a fresh export).
    for callback in callbacks:
        callback()
    with django_capture_on_commit_callbacks(execute=True):
        again = job_start(kind="tests.count", user=user, title="计数", params={"n": 2})
    assert again != first and again.state == Job.State.QUEUED
    assert Job.objects.get(pk=again.pk).state == Job.State.SUCCEEDED


def test_a_task_delivered_twice_runs_the_job_once(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="tests.count", user=user, title="计数", params={"n": 1})
    RUNS.clear()
    assert job_run.apply(args=[job.pk]).get() == "skipped"
    assert RUNS == []


def test_the_active_key_is_unique_in_the_database(user):
    from django.db import IntegrityError, transaction

    Job.objects.create(kind="tests.count", user=user, title="a", key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="tests.count", user=user, title="b", key="k")
    Job.objects.filter(key="k").update(state=Job.State.SUCCEEDED)
    Job.objects.create(kind="tests.count", user=user, title="c", key="k")


def test_a_refused_job_fails_with_the_domain_message(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="tests.refuse", user=user, title="拒绝", params={})
    job.refresh_from_db()
    assert (job.state, job.message) == (Job.State.FAILED, "该计划已删除。")


def test_a_broken_job_fails_with_a_plain_sentence_in_chinese(user, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="tests.crash", user=user, title="崩溃", params={})
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "a bug" not in job.message and "任务" in job.message

    client.force_login(user)
    response = client.get(job.get_absolute_url())
    assert job.message in response.content.decode() and "Refresh" not in response


def test_a_running_jobs_page_reloads_itself_until_turned_off_and_shows_its_progress(user, client):
    job = Job.objects.create(
        kind="tests.count", user=user, title="计数", key="x", state=Job.State.RUNNING, done=2, total=5
    )
    client.force_login(user)
    response = client.get(job.get_absolute_url())
    assert response["Refresh"] == "3" and client.get(reverse("jobs:job_list"))["Refresh"] == "3"
    assert 'max="5" value="2"' in response.content.decode()
    # Whom the reloading disturbs turns it off.
    stopped = client.get(job.get_absolute_url() + "?refresh=off")
    assert "Refresh" not in stopped and "不再自动刷新" in stopped.content.decode()


def test_only_its_starter_and_administrators_see_a_job(user, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="tests.count", user=user, title="计数", params={"n": 1})
    client.force_login(UserFactory())
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("jobs:job_file", args=[job.pk])).status_code == 404
    assert "计数" not in client.get(reverse("jobs:job_list")).content.decode()

    client.force_login(UserFactory(is_superuser=True))
    assert client.get(job.get_absolute_url()).status_code == 200

    client.force_login(user)
    assert "计数" in client.get(reverse("jobs:job_list")).content.decode()
    response = client.get(reverse("jobs:job_file", args=[job.pk]))
    assert b"".join(response.streaming_content).decode() == "共1项"


def test_the_job_list_reads_in_a_fixed_number_of_queries(user, client, django_assert_num_queries):
    for n in range(5):
        Job.objects.create(kind="tests.count", user=user, title=f"计数{n}", key=str(n))
    client.force_login(user)
    # Session, user, the page's count and rows; the menu reads the memberships and the 督学 record.
    with django_assert_num_queries(6):
        assert client.get(reverse("jobs:job_list")).status_code == 200


# --- 后台导出: a dashboard's workbook --------------------------------------------------------


@pytest.fixture
def published():
    region = RegionFactory(name="测试市")
    office = OfficeFactory(region=region)
    county = CountyFactory(city=region, name="测试区")
    editor = staff_user_create(office=office)
    reviewer = staff_user_create(office=office, role=Membership.Role.REVIEWER)
    plan = WorkPlanFactory(office=office, status=WorkPlan.Status.DRAFT, plan_year=2024)
    TaskFactory(plan=plan, number=1, counties=[county])
    work_plan_submit(plan=plan, acting_user=editor)
    return work_plan_publish(plan=plan, acting_user=reviewer), editor


def test_an_office_year_exported_in_the_background_gives_the_pages_workbook(
    published, client, django_capture_on_commit_callbacks
):
    plan, editor = published
    client.force_login(editor)
    url = reverse("tracking:office_dashboard_export", args=[plan.office_id, 2024])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = Job.objects.get(user=editor)
    assert response.url == job.get_absolute_url()
    assert job.state == Job.State.SUCCEEDED, job.message
    assert job.result_name.endswith(".xlsx")

    page = client.get(job.get_absolute_url()).content.decode()
    assert reverse("jobs:job_file", args=[job.pk]) in page
    data = b"".join(client.get(reverse("jobs:job_file", args=[job.pk])).streaming_content)
    direct = b"".join(
        client.get(reverse("tracking:office_dashboard", args=[plan.office_id, 2024]) + "?format=xlsx").streaming_content
    )
    ours, theirs = (openpyxl.load_workbook(io.BytesIO(d), read_only=True) for d in (data, direct))
    assert ours.sheetnames == theirs.sheetnames
    for name in ours.sheetnames:
        assert list(ours[name].values) == list(theirs[name].values)


def test_a_plan_dashboard_export_job_is_refused_to_a_stranger(published, client):
    plan, _editor = published
    client.force_login(staff_user_create(office=OfficeFactory()))
    assert client.post(reverse("tracking:plan_dashboard_export", args=[plan.pk])).status_code in (403, 404)
    assert not Job.objects.exists()


def test_an_export_whose_reader_lost_access_fails_saying_so(published, django_capture_on_commit_callbacks):
    plan, editor = published
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(kind="tracking.dashboard_export", user=editor, title="导出", params={"plan": plan.pk})
    Membership.objects.filter(user=editor).delete()
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.message == "您已无权查看此进展表。"


def test_a_job_that_cannot_be_queued_fails_saying_so(user, django_capture_on_commit_callbacks):
    from tests.jobs.broker import broker

    # Nothing listens on port 1: the broker is away.
    with broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="tests.count", user=user, title="计数", params={"n": 1})
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.message == "任务无法排队（任务服务器无法连接），请稍后重试。"
