"""The migration that files each report under its assignment's office: reports sent before it
count in their office's 待办 after it, their history rows too."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F

from organisation.models import Membership
from plans.models import WorkPlan
from plans.services import work_plan_publish, work_plan_submit
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    RegionFactory,
    county_user_create,
    staff_user_create,
    work_plan_build,
)
from tracking.models import Assignment, ProgressReport
from tracking.services.reports import report_submit

BEFORE, AFTER = ("tracking", "0008_assignment_county_plan_idx"), ("tracking", "0011_report_office_required")


@pytest.mark.django_db(transaction=True)
def test_reports_sent_before_the_migration_take_their_assignments_office():
    offices = [OfficeFactory(region=RegionFactory(name=f"测试{n}市")) for n in range(2)]
    for office in offices:
        county = CountyFactory(city=office.region)
        plan = work_plan_build(tasks=1, counties=[county], office=office, status=WorkPlan.Status.DRAFT)
        work_plan_submit(plan=plan, acting_user=staff_user_create(office=office))
        work_plan_publish(plan=plan, acting_user=staff_user_create(office=office, role=Membership.Role.REVIEWER))
        assignment = Assignment.objects.get(plan=plan)
        report_submit(
            assignment=assignment, acting_user=county_user_create(county=county), progress="done", text="完成"
        )
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])

    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([AFTER])

        reports = ProgressReport.objects.all()
        assert sorted(reports.values_list("office_id", flat=True)) == sorted(office.pk for office in offices)
        assert not reports.exclude(office=F("assignment__office")).exists()
        history = ProgressReport.history.all()
        assert history.count() == 2 and not history.exclude(office_id=F("assignment__office_id")).exists()
    finally:
        # Going back to BEFORE unapplied what depends on the later migrations too: the tests
        # after this one need the whole schema.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
