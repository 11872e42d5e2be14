"""setup_demo (run by every `make run`): a published plan of the current year whose work is
spread around today, as a user sees it in an ordinary month, a demo county whose reminders
reach an address, and nothing created twice."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from demo.month import demo_current_plan_create
from demo.showcase import demo_accounts_create
from inspections.models import School, Visit, ZoneAssignment
from organisation.models import CountyContact, Membership, Office
from plans.models import WorkPlan
from plans.services import work_plan_import
from tests.conftest import SEEDS_DIR
from tracking.models import Assignment, ProgressReport, Reminder
from tracking.selectors.tracking import dashboard_get
from tracking.services.reminders import reminder_send_to_county

pytestmark = pytest.mark.django_db
State = Assignment.State
ZHENGZHOU = "郑州市人民政府教育督导委员会办公室"


def _rows() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (WorkPlan, Assignment, ProgressReport, CountyContact, Office, get_user_model(), Reminder, School)
    }


def _states(plan: WorkPlan, today: datetime.date) -> dict[str, int]:
    """How many of the plan's assignments are in each state a user tells apart."""
    mine = Assignment.objects.filter(plan=plan)
    week = today + datetime.timedelta(days=7)
    return {
        "accepted": mine.filter(state=State.ACCEPTED).count(),
        "awaiting review": mine.filter(state=State.REPORTED).count(),
        "returned": mine.filter(state=State.RETURNED).count(),
        "overdue": mine.filter(state__in=[State.ASSIGNED, State.ACKNOWLEDGED], due_date__lt=today).count(),
        "due this week": mine.filter(state__in=Assignment.OPEN, due_date__gte=today, due_date__lte=week).count(),
        "later": mine.filter(state__in=Assignment.OPEN, due_date__gt=week).count(),
    }


def test_setup_demo_publishes_this_years_plan_under_way_and_creates_nothing_twice(capsys):
    today = timezone.localdate()
    call_command("setup_demo")
    once = _rows()
    call_command("setup_demo")

    assert _rows() == once
    plan = WorkPlan.objects.get(office__name=ZHENGZHOU, plan_year=today.year)
    assert plan.status == WorkPlan.Status.PUBLISHED
    states = _states(plan, today)
    assert all(states[name] for name in ("accepted", "awaiting review", "returned", "overdue", "due this week")), states
    assert states["returned"] == 1 and states["overdue"] <= 8, states
    # The chart draws: weeks since publication, with work done along them.
    chart = dashboard_get(plans=[plan], title=plan.title, today=today).chart
    assert len(chart) >= 2 and chart[-1][1] == states["accepted"] and chart[0][1] < chart[-1][1]
    out = capsys.readouterr().out
    assert plan.title in out and "jinshui-dudao@example.org" in out


def test_the_demo_county_sees_every_state_and_its_reminders_reach_an_address(
    client, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    call_command("setup_demo")
    county_user = get_user_model().objects.get(username="county")
    plan = WorkPlan.objects.get(office__name=ZHENGZHOU, plan_year=today.year)
    jinshui = Assignment.objects.filter(plan=plan, county__name="金水区", county__city__code="410100")

    assert {"accepted", "reported", "returned", "acknowledged"} <= set(jinshui.values_list("state", flat=True))
    assert jinshui.filter(state=State.ACKNOWLEDGED, due_date__lt=today).exists()
    client.force_login(county_user)
    assert plan.title in client.get(reverse("tracking:portal")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        reminder_send_to_county(
            county=jinshui.first().county, acting_user=get_user_model().objects.get(username="staff")
        )
    assert mail.outbox[0].to == ["jinshui-dudao@example.org"]


@pytest.mark.parametrize(
    "today",
    [datetime.date(2031, 1, 5), datetime.date(2032, 2, 29), datetime.date(2033, 7, 1), datetime.date(2034, 12, 31)],
)
def test_whatever_the_day_the_plan_shows_each_state(today):
    work_plan_import(data=next(SEEDS_DIR.glob("000_*.txt")).read_bytes(), source_name="000.txt", publish=True)
    demo_accounts_create()

    plan, created = demo_current_plan_create(today=today)

    assert created and plan.plan_year == today.year
    states = _states(plan, today)
    assert all(states[name] for name in ("accepted", "awaiting review", "returned", "overdue", "due this week")), states
    assert len(dashboard_get(plans=[plan], title=plan.title, today=today).chart) >= 2
    assert demo_current_plan_create(today=today) == (plan, False)


def test_the_demo_county_has_a_register_half_covered_by_its_zone(client):
    call_command("setup_demo")

    schools = School.objects.filter(county__name="金水区", county__city__code="410100")
    covered = ZoneAssignment.objects.filter(school__in=schools, ended_on=None).count()
    assert (schools.count(), covered) == (7, 4)
    client.force_login(get_user_model().objects.get(username="county"))
    county = schools.first().county
    page = client.get(reverse("inspections:coverage"), {"county": county.pk}).content.decode()
    # The uncovered schools are named; a covered one is not among them.
    assert "金水区第八中学" in page and "金水区育才学校" in page and "金水区第二中学" not in page


def test_the_demo_督学_signs_in_to_their_schools_and_a_visit(client, capsys):
    call_command("setup_demo")

    assert "inspector" in capsys.readouterr().out
    user = get_user_model().objects.get(username="inspector")
    assert user.inspector.name == "王督学" and not Membership.objects.filter(user=user).exists()
    client.force_login(user)
    assert client.get("/").url == reverse("inspections:my_schools")
    page = client.get(reverse("inspections:my_schools")).content.decode()
    assert "金水区第二中学" in page and "金水区第八中学" not in page
    assert Visit.objects.filter(inspector=user.inspector).count() == 1
