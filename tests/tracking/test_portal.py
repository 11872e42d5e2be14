"""The county portal, urgent first: returned work, then overdue, due within 7 working days, the
rest of this month, later, across plans; the tiles filter the list; "by plan" and "by month"
stay as other views; a fixed number of queries whatever the amount of work."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

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
from tracking.models import Assignment

pytestmark = pytest.mark.django_db
State = Assignment.State
TODAY = datetime.date(2024, 3, 12)  # a Tuesday: 7 working days reach 21 March


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


@pytest.fixture
def office():
    return OfficeFactory(region=RegionFactory(name="测试市"))


@pytest.fixture
def county(office):
    return CountyFactory(city=office.region, name="测试一区")


def published(office, county, *, tasks, year, title):
    plan = work_plan_build(
        tasks=tasks, counties=[county], office=office, status=WorkPlan.Status.DRAFT, plan_year=year, title=title
    )
    work_plan_submit(plan=plan, acting_user=staff_user_create(office=office))
    return work_plan_publish(plan=plan, acting_user=staff_user_create(office=office, role=Membership.Role.REVIEWER))


def set_state(assignment, *, due, state=None):
    now = timezone.now()
    fields = {"due_date": due}
    if state is not None:
        fields |= {"state": state, "acknowledged_at": now}
    if state == State.ACCEPTED:
        fields["closed_at"] = now
    Assignment.objects.filter(pk=assignment.pk).update(**fields)


@pytest.fixture
def work(office, county):
    """A newer plan whose work is mostly in the future, an older one whose work is overdue."""
    newer = published(office, county, tasks=4, year=2024, title="2024年测试市督导工作要点")
    older = published(office, county, tasks=3, year=2023, title="2023年测试市督导工作要点")
    n = list(Assignment.objects.filter(plan=newer).order_by("task__number"))
    o = list(Assignment.objects.filter(plan=older).order_by("task__number"))
    set_state(n[0], due=datetime.date(2024, 12, 31))
    set_state(n[1], due=datetime.date(2024, 3, 28))
    set_state(n[2], due=datetime.date(2024, 3, 15))
    set_state(n[3], due=datetime.date(2024, 6, 28), state=State.RETURNED)
    set_state(o[0], due=datetime.date(2024, 2, 1))
    set_state(o[1], due=datetime.date(2024, 3, 1), state=State.REPORTED)
    set_state(o[2], due=datetime.date(2024, 1, 31), state=State.ACCEPTED)
    return {
        "returned": [n[3]],
        "overdue": [o[0], o[1]],
        "soon": [n[2]],
        "this_month": [n[1]],
        "later": [n[0]],
        "done": [o[2]],
        "newer": newer,
        "older": older,
    }


def order(html, assignments):
    """The assignments in the order the page lists them (those it lists)."""
    found = {a.pk: html.find(f'href="/assignments/{a.pk}/"') for a in assignments}
    return [pk for pk, at in sorted(found.items(), key=lambda item: item[1]) if at >= 0]


def every(work):
    return [a for key in ("returned", "overdue", "soon", "this_month", "later", "done") for a in work[key]]


def test_the_portal_lists_returned_then_overdue_then_soon_this_month_and_later_across_plans(client, county, work):
    client.force_login(county_user_create(county=county))

    html = client.get(reverse("tracking:portal")).content.decode()

    assert order(html, every(work)) == [a.pk for a in every(work)]
    headings = re.findall(r'<h2 id="group-\d+">([^<]+)</h2>', html)
    assert headings == ["已退回", "已逾期", "7个工作日内到期", "本月稍后到期", "以后到期"]
    for key, n in (("returned", 1), ("overdue", 2), ("soon", 1), ("this_month", 1), ("later", 1), ("done", 1)):
        assert re.search(rf'href="/my/\?show={key}"[^>]*><span class="stat__n">{n}</span>', html), key
    assert work["older"].title in html  # each item says its plan


def test_a_tile_filters_the_list_and_the_filter_shows_and_clears(client, county, work):
    client.force_login(county_user_create(county=county))

    html = client.get(reverse("tracking:portal"), {"show": "overdue"}).content.decode()

    assert order(html, every(work)) == [a.pk for a in work["overdue"]]
    assert "正在显示：已逾期" in html
    assert '<a href="/my/">显示全部未完成工作</a>' in html
    assert re.search(r'stat--overdue stat--active"><a href="/my/\?show=overdue" aria-current="true"', html)
    done = client.get(reverse("tracking:portal"), {"show": "done"}).content.decode()
    assert order(done, every(work)) == [a.pk for a in work["done"]]
    assert work["done"][0].plan.title in done  # its plan, read after the done work
    nonsense = client.get(reverse("tracking:portal"), {"show": "<script>"}).content.decode()
    assert order(nonsense, every(work)) == [a.pk for a in every(work)] and "正在显示" not in nonsense


def test_by_plan_stays_as_a_second_view_and_keeps_the_filter(client, county, work):
    client.force_login(county_user_create(county=county))

    by_plan = client.get(reverse("tracking:portal"), {"view": "plan"}).content.decode()
    filtered = client.get(reverse("tracking:portal"), {"view": "plan", "show": "overdue"}).content.decode()

    assert by_plan.index(work["newer"].title) < by_plan.index(work["older"].title)
    assert "按计划" in by_plan and 'href="/my/?view=plan&amp;show=overdue"' not in by_plan
    assert f'value="{work["newer"].pk}"' in by_plan  # acknowledge all of a plan
    assert order(filtered, every(work)) == [a.pk for a in work["overdue"]]
    assert f'value="{work["newer"].pk}"' not in filtered  # no work of the newer plan is overdue
    assert '<a href="/my/?view=plan">显示全部未完成工作</a>' in filtered
    assert 'href="/my/?show=overdue"' in filtered  # back to urgent first, filter kept


@pytest.mark.parametrize("query", [{}, {"view": "plan"}, {"view": "month"}, {"show": "overdue"}, {"show": "done"}])
def test_the_portal_takes_a_pinned_number_of_queries_whatever_the_work(
    client, office, county, work, query, django_assert_num_queries
):
    client.force_login(county_user_create(county=county))
    client.get(reverse("tracking:portal"))  # the session is read once signed in

    # session, user, memberships; counties; open work; the latest done work with its count,
    # and their plans.
    with django_assert_num_queries(7):
        client.get(reverse("tracking:portal"), query)
    published(office, county, tasks=30, year=2024, title="2024年专项督导工作安排")
    with django_assert_num_queries(7):
        client.get(reverse("tracking:portal"), query)
