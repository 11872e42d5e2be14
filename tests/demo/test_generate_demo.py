"""generate_demo: a deployment's worth of data from a seed, shaped by the rules the services
follow, refused twice without --replace, and removed without touching anything else."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.test import Client
from django.urls import reverse

from demo.data import (
    PERIOD_FORMS,
    demo_data_generate,
    demo_data_remove,
    period_read,
)
from demo.inspection_work import MODELS as INSPECTION_MODELS
from demo.models import DemoDataset
from inspections.models import Inspection, InspectorZone, Rectification, School, Visit, ZoneAssignment
from organisation.models import Membership, Office
from plans.models import PlanCounty, ScheduleEntry, Task, WorkPlan
from plans.services import plan_county_index_refresh, plan_snapshot, work_plan_import
from plans.textsearch import plan_search_grams, search_grams
from tests.conftest import SEEDS_DIR
from tests.factories import WorkPlanFactory, staff_user_create
from tracking.models import Assignment, ProgressReport
from tracking.services.assignments import assignments_planned

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 11, 30)


def generate(**kwargs):
    return demo_data_generate(scale="city", seed=kwargs.pop("seed", 7), as_of=AS_OF, **kwargs)


@pytest.fixture
def generated():
    return generate()


def test_the_city_scale_makes_five_cities_of_plans_people_and_work(generated):
    counts = generated.counts

    # Five cities: their offices and their counties' offices, ten years of plans each.
    assert counts["plans.WorkPlan"] == 50
    assert counts["organisation.Office"] == Office.objects.filter(demo_datasets__isnull=False).count() > 50
    assert 700 <= counts["plans.Task"] <= 1_400
    assert 1_800 <= counts["plans.ScheduleEntry"] <= 3_500
    assert 5_000 <= Assignment.objects.filter(kind="plan_work").count() <= 15_000
    # Each county's register (kept small at this scale) and two years of visits and inspections.
    assert 1_500 <= counts["inspections.School"] <= 3_000
    assert 10_000 <= counts["inspections.Visit"] <= 30_000
    assert 40 <= counts["inspections.Inspection"] <= 70
    assert 1_500 <= counts["tracking.ProgressReport"] <= 8_000
    # Twenty staff per city office, five per provincial office (the five cities are in four
    # provinces) and a user for each county office.
    assert counts["auth.User"] == 5 * 20 + 4 * 5 + counts["organisation.Office"] - 5 - 4
    assert Membership.objects.filter(role=Membership.Role.COUNTY, office__demo_datasets__isnull=False).count() == (
        counts["organisation.Office"] - 5 - 4
    )
    assert counts == {label: n for label, n in DemoDataset.objects.get().counts.items()}


def test_plans_have_the_statuses_of_a_real_archive(generated):
    statuses = dict.fromkeys(WorkPlan.Status.values, 0)
    for status, year in WorkPlan.objects.values_list("status", "plan_year"):
        statuses[status] += 1
        if status in (WorkPlan.Status.DRAFT, WorkPlan.Status.IN_REVIEW):
            assert year == AS_OF.year
    assert statuses[WorkPlan.Status.ARCHIVED] > statuses[WorkPlan.Status.PUBLISHED] > 0
    assert statuses[WorkPlan.Status.DRAFT] and statuses[WorkPlan.Status.IN_REVIEW]
    # Every issued plan keeps a revision per publication, the last one its content as it is.
    for plan in WorkPlan.objects.filter(status__in=WorkPlan.ISSUED)[:10]:
        assert plan.revisions.count() == plan.revision
        assert plan.revisions.get(number=plan.revision).snapshot == plan_snapshot(plan)


def test_assignments_are_what_publishing_sends(generated):
    # The generator calls the rules publishing follows (assignments_planned_from) on its own
    # rows; this guards the rows it hands them.
    for plan in WorkPlan.objects.filter(status__in=WorkPlan.ISSUED).select_related("office")[:12]:
        planned = {
            (p.task.pk if p.task else None, p.entry.pk if p.entry else None, p.county_id, p.label, p.due.date)
            for p in assignments_planned(plan=plan)
        }
        sent = set(plan.assignments.values_list("task_id", "entry_id", "county_id", "label", "due_date_rule"))
        assert sent == planned
    assert not Assignment.objects.filter(plan__status__in=[WorkPlan.Status.DRAFT, WorkPlan.Status.IN_REVIEW]).exists()


def test_states_and_reports_agree(generated):
    assert (
        not Assignment.objects.filter(state=Assignment.State.ACCEPTED, reports__review="accepted")
        .filter(closed_at__isnull=True)
        .exists()
    )
    # A visit is fulfilled by its visit record, every other obligation by a report.
    reported = Assignment.objects.exclude(kind=Assignment.Kind.VISIT)
    for state in (Assignment.State.REPORTED, Assignment.State.RETURNED, Assignment.State.ACCEPTED):
        assert not reported.filter(state=state, reports__isnull=True).exists()
    assert not Assignment.objects.filter(state=Assignment.State.ASSIGNED, reports__isnull=False).exists()
    assert not ProgressReport.objects.filter(created_at__date__gt=AS_OF).exists()


def test_a_generated_monthly_line_gives_each_county_one_assignment_per_month(generated):
    line = ScheduleEntry.objects.filter(period="每月", plan__status__in=WorkPlan.ISSUED, assignments__isnull=False)
    line = line.distinct().order_by("pk").first()
    assert line is not None
    counties = set(line.assignments.values_list("county_id", flat=True))
    for county in counties:
        sent = list(line.assignments.filter(county=county).order_by("due_date"))
        assert [a.occurrence_number for a in sent] == list(range(1, len(line.month_list) + 1))
        assert {a.occurrence_count for a in sent} == {len(line.month_list)}
        assert [a.due_date_rule.month for a in sent] == line.month_list


def test_the_plan_county_index_is_what_the_service_computes(generated):
    for plan in WorkPlan.objects.select_related("office")[:15]:
        before = set(PlanCounty.objects.filter(plan=plan).values_list("county_id", flat=True))
        plan_county_index_refresh(plan=plan)
        assert set(PlanCounty.objects.filter(plan=plan).values_list("county_id", flat=True)) == before


def test_generated_tasks_carry_the_search_grams_of_their_title_and_text(generated):
    tasks = list(Task.objects.all()[:300])
    assert tasks
    assert all(t.search_grams == search_grams(t.title, t.text) for t in tasks)


def test_generated_plans_carry_the_grams_of_their_tasks(generated):
    plans = list(WorkPlan.objects.prefetch_related("tasks")[:40])
    assert plans
    for plan in plans:
        assert plan.search_grams == plan_search_grams((t.title, t.text) for t in plan.tasks.all()), plan


def test_calendar_lines_are_read_from_periods_as_written(generated):
    for entry in ScheduleEntry.objects.all()[:300]:
        months, granularity, day = period_read(entry.period)
        assert (entry.month_list, entry.granularity, entry.deadline_day) == (list(months), granularity, day)
    assert Task.objects.filter(addresses_all_counties=True).exists()


def test_every_period_form_is_one_the_parser_reads():
    import random

    rng = random.Random(1)
    for _weight, form in PERIOD_FORMS:
        for _ in range(30):
            assert period_read(form(rng))


def test_the_same_seed_gives_the_same_data():
    first = generate(seed=11)
    second = generate(seed=11, replace=True)
    third = generate(seed=12, replace=True)

    assert (second.digest, second.counts) == (first.digest, first.counts)
    assert third.digest != first.digest
    assert DemoDataset.objects.count() == 1


def test_each_province_of_the_cities_has_an_office_whose_staff_see_its_dashboard(generated):
    provinces = Office.objects.filter(level=Office.Level.PROVINCE, demo_datasets__isnull=False)
    cities = Office.objects.filter(level=Office.Level.CITY, demo_datasets__isnull=False)

    assert sorted(p.region_id for p in provinces) == sorted({c.region.parent_id for c in cities})
    for province in provinces:
        staff = Membership.objects.filter(office=province)
        assert sorted(staff.values_list("role", flat=True)) == ["editor"] + ["viewer"] * 4
        user = staff.first().user
        response = Client()
        response.force_login(user)
        page = response.get(reverse("tracking:province_dashboard", args=[province.region_id, 2025]))
        assert page.status_code == 200
        assert province.region.name in page.content.decode()


def test_years_sets_how_many_years_of_plans_are_generated():
    summary = demo_data_generate(scale="city", seed=7, as_of=AS_OF, years=3)

    assert summary.counts["plans.WorkPlan"] == 5 * 3
    years = set(WorkPlan.objects.values_list("plan_year", flat=True))
    assert years == {2024, 2025, 2026}
    assert DemoDataset.objects.get().years == 3


def test_years_are_given_on_the_command_line():
    call_command("generate_demo", "--scale", "city", "--as-of", "2026-11-30", "--years", "2", stdout=StringIO())

    assert set(WorkPlan.objects.values_list("plan_year", flat=True)) == {2025, 2026}
    with pytest.raises(CommandError):
        call_command("generate_demo", "--scale", "city", "--years", "0", "--replace", stdout=StringIO())


def test_generating_again_without_replace_is_refused(generated):
    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_demo", "--scale", "city", "--as-of", "2026-11-30", stdout=StringIO())

    assert WorkPlan.objects.count() == 50


def test_replace_and_remove_leave_what_people_made_alone():
    seed_plan = WorkPlanFactory(title="导入的要点")
    person = staff_user_create(office=seed_plan.office)
    generate()

    out = StringIO()
    call_command("generate_demo", "--scale", "city", "--seed", "3", "--as-of", "2026-11-30", "--replace", stdout=out)

    assert "Generated" in out.getvalue() or "生成" in out.getvalue()
    assert WorkPlan.objects.count() == 51
    demo_data_remove()
    assert list(WorkPlan.objects.all()) == [seed_plan]
    assert list(Office.objects.filter(plans__isnull=False).distinct()) == [seed_plan.office]
    assert list(get_user_model().objects.all()) == [person]
    assert not Assignment.objects.exists() and not DemoDataset.objects.exists()
    for model in INSPECTION_MODELS:
        assert not model.objects.exists(), model


def test_the_seeds_import_beside_generated_data(generated):
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        result = work_plan_import(data=path.read_bytes(), source_name=path.name)
        assert result.created, path.name


def test_each_county_has_a_school_register_with_zones_of_at_most_twenty_schools(generated):
    counties = set(Office.objects.filter(level="county").values_list("county_id", flat=True))
    assert set(School.objects.values_list("county_id", flat=True)) == counties
    assert not InspectorZone.objects.filter(inspector=None).exists()
    sizes = ZoneAssignment.objects.filter(ended_on=None).values("zone").annotate(n=Count("id"))
    assert sizes and max(row["n"] for row in sizes) <= 20
    # One responsible inspector per school, the zone's, and a few schools still without one.
    assert not ZoneAssignment.objects.exclude(inspector_id=F("zone__inspector_id")).exists()
    assert School.objects.filter(status="open", assignments=None).exists()


def test_visits_fulfil_the_obligations_of_their_month_and_none_is_after_the_as_of_date(generated):
    visits = Visit.objects.select_related("obligation")
    assert visits.exists() and not visits.filter(visited_on__gt=AS_OF).exists()
    for visit in visits.order_by("pk")[:500]:
        obligation = visit.obligation
        assert (obligation.kind, obligation.subject_id, obligation.state) == ("visit", visit.school_id, "accepted")
        assert obligation.year == visit.visited_on.year and visit.visited_on <= obligation.due_date
    fulfilled = Visit.objects.values("obligation_id")
    assert not Assignment.objects.filter(kind="visit", state="accepted").exclude(pk__in=fulfilled).exists()
    # Two years of them: the same school owes its March visit each year.
    assert set(Assignment.objects.filter(kind="visit").values_list("year", flat=True)) == {AS_OF.year - 1, AS_OF.year}


def test_rectification_closes_only_when_confirmed_where_a_follow_up_is_needed(generated):
    items = Rectification.objects.all()
    assert items.filter(needs_follow_up=True).exists() and items.exclude(escalation="").exists()
    closed = Assignment.objects.filter(kind="rectification", state="accepted").values("subject_id")
    assert not items.filter(pk__in=closed, needs_follow_up=True, confirmed_by=None).exists()
    assert not items.filter(confirmed_by__isnull=False).exclude(confirmed_by__kind="follow_up").exists()
    assert items.filter(pk__in=closed).exists()
    # Every item is owed by its county, once.
    owed = Assignment.objects.filter(kind="rectification")
    assert owed.count() == items.count()
    assert Inspection.objects.filter(kind="follow_up", follows_up__isnull=False).exists()


def test_each_generated_report_is_filed_under_its_assignments_office(generated):
    reports = ProgressReport.objects.all()

    assert set(reports.values_list("assignment__kind", flat=True).distinct()) == {
        "plan_work",
        "self_assessment",
        "rectification",
        "evaluation",
    }
    assert not reports.exclude(office=F("assignment__office")).exists()
