"""A province's year: how each city office of the province is doing with what its issued plans
sent to counties, for the provincial office's staff (and admins), in figures only; and the
Progress menu that leads every staff member to the dashboard that is theirs."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from organisation.models import Membership, Office, Region
from plans.models import WorkPlan
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    RegionFactory,
    TaskFactory,
    UserFactory,
    WorkPlanFactory,
    county_user_create,
    staff_user_create,
)
from tracking.models import Assignment
from tracking.selectors.tracking import province_dashboard_get

pytestmark = pytest.mark.django_db
State = Assignment.State
TODAY = datetime.date(2024, 9, 2)


@pytest.fixture
def province():
    return RegionFactory(name="测试省", level=Region.Level.PROVINCE)


@pytest.fixture
def province_office(province):
    return OfficeFactory(name="测试省教育督导室", level=Office.Level.PROVINCE, region=province)


def city_office(province, name):
    return OfficeFactory(name=f"{name}教育督导室", region=RegionFactory(name=name, parent=province))


def send(plan, county, state, *, due, sent=datetime.datetime(2024, 3, 1, 9, tzinfo=datetime.UTC), closed=None):
    task = plan.tasks.first() or TaskFactory(plan=plan, number=1)
    return Assignment.objects.create(
        office=plan.office,
        year=plan.plan_year,
        plan=plan,
        task=task,
        county=county,
        label=task.title,
        state=state,
        due_date=due,
        due_date_rule=due,
        created_at=sent,
        closed_at=closed,
        acknowledged_at=None if state in (State.ASSIGNED, State.WITHDRAWN) else sent + datetime.timedelta(days=1),
    )


@pytest.fixture
def cities(province):
    """甲市 issued one plan for 2024 to three counties: one done, one awaiting review, one overdue and
    never acknowledged; plus a withdrawn one (not counted) and a 2023 plan. 乙市 issued nothing for
    2024, only a draft."""
    jia, yi = city_office(province, "甲市"), city_office(province, "乙市")
    counties = [CountyFactory(city=jia.region, name=f"甲{n}县") for n in range(4)]
    plan = WorkPlanFactory(office=jia, plan_year=2024, published_at=timezone.make_aware(datetime.datetime(2024, 3, 1)))
    send(
        plan,
        counties[0],
        State.ACCEPTED,
        due=datetime.date(2024, 6, 30),
        closed=datetime.datetime(2024, 6, 20, tzinfo=datetime.UTC),
    )
    send(plan, counties[1], State.REPORTED, due=datetime.date(2024, 12, 31))
    send(plan, counties[2], State.ASSIGNED, due=datetime.date(2024, 6, 30))
    send(
        plan,
        counties[3],
        State.WITHDRAWN,
        due=datetime.date(2024, 6, 30),
        closed=datetime.datetime(2024, 4, 1, tzinfo=datetime.UTC),
    )
    WorkPlanFactory(office=jia, plan_year=2023)
    WorkPlanFactory(office=yi, plan_year=2024, status=WorkPlan.Status.DRAFT)
    return {"甲市": jia, "乙市": yi, "plan": plan, "counties": counties}


def test_each_city_office_of_the_province_is_counted_from_its_issued_plans_of_the_year(
    province, province_office, cities
):
    dashboard = province_dashboard_get(region=province, year=2024, today=TODAY)

    rows = {row.office.name: row for row in dashboard.rows}
    assert list(rows) == ["测试省教育督导室", "甲市教育督导室", "乙市教育督导室"]
    jia = rows["甲市教育督导室"]
    assert (jia.plans, jia.counties, jia.total, jia.acknowledged, jia.reported, jia.done, jia.overdue) == (
        1,
        3,
        3,
        2,
        1,
        1,
        1,
    )
    assert jia.unacknowledged == 1 and jia.completion == 33 and jia.status == "overdue"
    assert rows["乙市教育督导室"].plans == 0 and rows["乙市教育督导室"].status == "none"
    assert [row.office.name for row in dashboard.without_plans] == ["测试省教育督导室", "乙市教育督导室"]
    assert (dashboard.total.plans, dashboard.total.total, dashboard.total.done) == (1, 3, 1)
    assert dashboard.years == [2024, 2023]
    assert dashboard.chart[0] == (datetime.date(2024, 3, 1), 0) and dashboard.chart[-1] == (TODAY, 1)


def test_offices_of_other_provinces_and_other_years_are_left_out(province, cities):
    other = RegionFactory(name="外省", level=Region.Level.PROVINCE)
    stranger = city_office(other, "丙市")
    WorkPlanFactory(office=stranger, plan_year=2024)

    assert [row.office for row in province_dashboard_get(region=province, year=2024, today=TODAY).rows] == [
        cities["甲市"],
        cities["乙市"],
    ]
    assert province_dashboard_get(region=province, year=2023, today=TODAY).total.total == 0


def test_sorting_puts_the_lowest_completion_or_the_most_overdue_first(province, cities):
    done_city = city_office(province, "丁市")
    plan = WorkPlanFactory(office=done_city, plan_year=2024)
    send(
        plan,
        CountyFactory(city=done_city.region),
        State.ACCEPTED,
        due=datetime.date(2024, 6, 30),
        closed=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC),
    )

    by_completion = province_dashboard_get(region=province, year=2024, today=TODAY, sort="completion")
    by_overdue = province_dashboard_get(region=province, year=2024, today=TODAY, sort="overdue")

    assert [row.office.name for row in by_completion.rows] == ["甲市教育督导室", "丁市教育督导室", "乙市教育督导室"]
    assert by_overdue.rows[0].office.name == "甲市教育督导室"


def test_the_provincial_office_reads_its_province_and_no_other(client, province, province_office, cities):
    viewer = staff_user_create(office=province_office, role=Membership.Role.VIEWER)
    other = RegionFactory(name="外省", level=Region.Level.PROVINCE)
    client.force_login(viewer)

    page = client.get(reverse("tracking:province_dashboard", args=[province.pk, 2024]))

    assert page.status_code == 200
    text = page.content.decode()
    assert "甲市教育督导室" in text and "乙市教育督导室" in text and "未发布" in text
    # Figures only: the city offices' plans and assignments stay theirs.
    assert (
        cities["plan"].title not in text
        and reverse("tracking:office_dashboard", args=[cities["甲市"].pk, 2024]) not in text
    )
    assert client.get(reverse("tracking:province_dashboard", args=[other.pk, 2024])).status_code == 404


@pytest.mark.parametrize("who", ["city editor", "city reviewer", "county", "no membership"])
def test_nobody_else_reads_a_province(client, province, cities, who):
    user = {
        "city editor": lambda: staff_user_create(office=cities["甲市"]),
        "city reviewer": lambda: staff_user_create(office=cities["甲市"], role=Membership.Role.REVIEWER),
        "county": lambda: county_user_create(county=cities["counties"][0]),
        "no membership": lambda: UserFactory(is_staff=True),
    }[who]()
    client.force_login(user)

    response = client.get(reverse("tracking:province_dashboard", args=[province.pk, 2024]))

    assert response.status_code in (403, 404)
    assert "甲市教育督导室" not in response.content.decode()


def test_an_admin_reads_any_province_and_opens_each_office_dashboard(client, province, cities):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    text = client.get(reverse("tracking:province_dashboard", args=[province.pk, 2024])).content.decode()

    assert reverse("tracking:office_dashboard", args=[cities["甲市"].pk, 2024]) in text


def test_a_city_is_not_a_province_and_a_year_out_of_range_is_not_found(admin_client, province, cities):
    assert (
        admin_client.get(reverse("tracking:province_dashboard", args=[cities["甲市"].region.pk, 2024])).status_code
        == 404
    )
    assert admin_client.get(reverse("tracking:province_dashboard", args=[province.pk, 3000])).status_code == 404


def test_the_excel_export_has_a_row_per_office_and_the_total(admin_client, province, province_office, cities):
    response = admin_client.get(reverse("tracking:province_dashboard", args=[province.pk, 2024]) + "?format=xlsx")

    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "发文机关" and len(rows) == 5
    jia = next(row for row in rows if row[0] == "甲市教育督导室")
    # As of today (after 2024): the report awaiting review is overdue too.
    assert jia[1] == "甲市" and jia[2:] == (1, 3, 3, 2, 1, 1, 2, 1, 33)
    assert rows[-1][0] == "合计" and rows[-1][4] == 3


def test_the_page_takes_the_same_queries_for_two_cities_and_twelve(client, province, province_office, cities):
    client.force_login(staff_user_create(office=province_office))
    url = reverse("tracking:province_dashboard", args=[province.pk, 2024])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    for n in range(10):
        office = city_office(province, f"新{n}市")
        plan = WorkPlanFactory(office=office, plan_year=2024)
        for state in (State.ASSIGNED, State.ACCEPTED):
            send(
                plan,
                CountyFactory(city=office.region),
                state,
                due=datetime.date(2024, 5, 1),
                closed=datetime.datetime(2024, 5, 2, tzinfo=datetime.UTC) if state == State.ACCEPTED else None,
            )
    assert count() == small


def test_progress_leads_each_user_to_their_dashboard(client, province, province_office, cities):
    this_year = timezone.localdate().year

    client.force_login(staff_user_create(office=province_office))
    assert client.get(reverse("tracking:progress_home")).url == reverse(
        "tracking:province_dashboard", args=[province.pk, 2024]
    )

    client.force_login(staff_user_create(office=cities["甲市"]))
    assert client.get(reverse("tracking:progress_home")).url == reverse(
        "tracking:office_dashboard", args=[cities["甲市"].pk, 2024]
    )

    # An office with nothing issued yet: this year's (empty) dashboard.
    client.force_login(staff_user_create(office=cities["乙市"]))
    assert client.get(reverse("tracking:progress_home")).url == reverse(
        "tracking:office_dashboard", args=[cities["乙市"].pk, this_year]
    )

    client.force_login(county_user_create(county=cities["counties"][0]))
    assert client.get(reverse("tracking:progress_home")).url == reverse("tracking:portal")


def test_the_switch_form_goes_to_the_chosen_province_and_year(client, province, province_office, cities):
    client.force_login(staff_user_create(office=province_office))

    chosen = client.get(reverse("tracking:progress_home"), {"region": province.pk, "year": 2023})
    assert chosen.url == reverse("tracking:province_dashboard", args=[province.pk, 2023])
    for region, year in (("x", "2023"), ("-1", "2023"), (str(province.pk), "-5"), (str(province.pk), "")):
        nonsense = client.get(reverse("tracking:progress_home"), {"region": region, "year": year}, follow=True)
        assert nonsense.status_code == 200 and "请选择省份和年份" in nonsense.content.decode(), (region, year)


def test_the_office_dashboard_lists_its_years_and_leads_the_province_to_all_offices(
    client, province, province_office, cities
):
    user = staff_user_create(office=cities["甲市"])
    Membership.objects.create(user=user, office=province_office, role=Membership.Role.VIEWER)
    client.force_login(user)

    text = client.get(reverse("tracking:office_dashboard", args=[cities["甲市"].pk, 2024])).content.decode()

    assert reverse("tracking:office_dashboard", args=[cities["甲市"].pk, 2023]) in text
    assert reverse("tracking:province_dashboard", args=[province.pk, 2024]) in text
    # And from the province, back to the dashboard of the office the user works in (only).
    text = client.get(reverse("tracking:province_dashboard", args=[province.pk, 2024])).content.decode()
    assert reverse("tracking:office_dashboard", args=[cities["甲市"].pk, 2024]) in text
    assert reverse("tracking:office_dashboard", args=[cities["乙市"].pk, 2024]) not in text


def test_the_progress_menu_is_for_staff(client, province_office, cities):
    client.force_login(staff_user_create(office=province_office))
    assert reverse("tracking:progress_home") in client.get(reverse("plans:plan_list")).content.decode()

    client.force_login(county_user_create(county=cities["counties"][0]))
    assert reverse("tracking:progress_home") not in client.get(reverse("tracking:portal")).content.decode()


def test_the_headline_says_how_many_of_the_offices_issued_plans(client, province, province_office, cities):
    client.force_login(staff_user_create(office=province_office))
    url = reverse("tracking:province_dashboard", args=[province.pk, 2024])

    # Three offices, only 甲市 issued (one plan): not "3个单位已发布1份计划".
    assert "3个单位中有1个已发布计划，共1份" in client.get(url).content.decode()

    WorkPlanFactory(office=cities["乙市"], plan_year=2024, title="乙市第一份")
    WorkPlanFactory(office=cities["乙市"], plan_year=2024, title="乙市第二份")
    assert "3个单位中有2个已发布计划，共3份" in client.get(url).content.decode()

    text = client.get(reverse("tracking:province_dashboard", args=[province.pk, 2022])).content.decode()
    assert "尚无单位发布本年度计划（共3个单位）" in text and "0份" not in text


def test_progress_opens_on_this_year_not_on_next_years_plan(client, province, province_office, cities):
    this_year = timezone.localdate().year
    WorkPlanFactory(office=cities["甲市"], plan_year=this_year)
    WorkPlanFactory(office=cities["甲市"], plan_year=this_year + 1)  # issued ahead, in December
    client.force_login(staff_user_create(office=cities["甲市"]))

    assert client.get(reverse("tracking:progress_home")).url == reverse(
        "tracking:office_dashboard", args=[cities["甲市"].pk, this_year]
    )
    # Next year stays one choice away.
    text = client.get(reverse("tracking:office_dashboard", args=[cities["甲市"].pk, this_year])).content.decode()
    assert reverse("tracking:office_dashboard", args=[cities["甲市"].pk, this_year + 1]) in text

    client.force_login(staff_user_create(office=province_office))
    assert client.get(reverse("tracking:progress_home")).url == reverse(
        "tracking:province_dashboard", args=[province.pk, this_year]
    )


def test_progress_opens_on_the_latest_past_year_when_only_the_future_is_issued_besides(
    client, province, province_office, cities
):
    this_year = timezone.localdate().year
    WorkPlanFactory(office=cities["甲市"], plan_year=this_year + 1)
    client.force_login(staff_user_create(office=cities["甲市"]))

    assert client.get(reverse("tracking:progress_home")).url == reverse(
        "tracking:office_dashboard", args=[cities["甲市"].pk, 2024]
    )
