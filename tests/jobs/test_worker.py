"""One job through a real `celery -A supervision worker` process and the real Redis on
127.0.0.1:6379, on the test database (SQLite in a file: see tests/conftest.py, or PostgreSQL).

Skipped when Redis is unreachable, except under CI, where that is a failure (`make redis-ready`
starts it)."""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from jobs.models import Job
from jobs.services import job_start
from organisation.models import Membership
from plans.models import WorkPlan
from plans.services import work_plan_publish, work_plan_submit
from tests.conftest import _ci
from tests.factories import CountyFactory, OfficeFactory, RegionFactory, TaskFactory, WorkPlanFactory, staff_user_create
from tests.jobs.broker import broker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)
# A database number of its own; each run also listens on a queue of its own, so two runs at once
# (SQLite and PostgreSQL) never take each other's jobs.
REDIS_URL = f"redis://{REDIS[0]}:{REDIS[1]}/13"
WAIT_SECONDS = 120


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        name = str(db["NAME"])
        assert Path(name).is_file(), "the worker needs the SQLite test database in a file"
        return f"sqlite:///{name}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def redis_queue():
    if not _redis_reachable():
        if _ci():
            pytest.fail(f"Redis is required under CI and is not reachable on {REDIS[0]}:{REDIS[1]} (make redis-ready)")
        pytest.skip(f"no Redis on {REDIS[0]}:{REDIS[1]} (make redis-ready starts one; CI would fail here)")
    queue = f"test-jobs-{uuid.uuid4().hex[:12]}"
    with broker(REDIS_URL, queue=queue):
        yield queue


@pytest.fixture
def worker(redis_queue, tmp_path):
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "MEDIA_ROOT": settings.MEDIA_ROOT,
        "SECRET_KEY": "test",
    }
    env.pop("DEBUG", None)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "supervision", "worker", "--pool=solo", "-Q", redis_queue]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_job_runs_in_a_real_worker_through_redis(worker):
    process, log = worker
    region = RegionFactory(name="测试市")
    office = OfficeFactory(region=region)
    editor = staff_user_create(office=office)
    plan = WorkPlanFactory(office=office, status=WorkPlan.Status.DRAFT, plan_year=2024)
    TaskFactory(plan=plan, number=1, counties=[CountyFactory(city=region, name="测试区")])
    work_plan_submit(plan=plan, acting_user=editor)
    work_plan_publish(plan=plan, acting_user=staff_user_create(office=office, role=Membership.Role.REVIEWER))

    job = job_start(
        kind="tracking.dashboard_export",
        user=editor,
        office=office,
        title="测试市进展表",
        params={"office": office.pk, "year": 2024},
    )
    # Queued, not run here: the worker process takes it from Redis.
    assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED

    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if not job.is_active or process.poll() is not None:
            break
        time.sleep(0.5)
    output = log.read_text(errors="replace")[-4000:]
    assert job.state == Job.State.SUCCEEDED, f"{job.state} {job.message}\n{output}"
    assert job.started_at is not None and job.result_name.endswith(".xlsx")
    assert job.result_file.read()[:2] == b"PK"
    assert "Task jobs.job_run[" in output and "succeeded" in output
