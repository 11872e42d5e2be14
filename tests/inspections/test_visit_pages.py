"""The 挂牌督导 pages: a 督学 signs in to their own page and records visits to their schools, and
sees nothing of others'; the county's rhythm page; the month of a zone and of a county, with
their queries pinned."""

import datetime
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import ActionLog
from inspections import actions
from inspections.models import InspectorZone, School, Visit, VisitRhythm, ZoneAssignment
from inspections.visit_selectors import Month, county_month_get, inspector_page_get, zone_month_get
from inspections.visits import visit_obligations_q, visit_record, visit_rhythm_set
from supervision.localtime import site_today
from tests.factories import UserFactory
from tests.inspections.builders import inspector_make, school_make, world, zone_make
from tests.test_url_walk import _patterns, _urls
from tracking.models import Assignment

pytestmark = pytest.mark.django_db

TODAY = site_today()
LAST_MONTH = Month(TODAY.year, TODAY.month).previous


def content(response) -> str:
    return response.content.decode()


@pytest.fixture
def site():
    people = world()
    a1, a2 = people["a1"], people["a2"]
    wang = inspector_make(a1, "王督学", user=UserFactory(username="wang"))
    zhao = inspector_make(a1, "赵督学", user=UserFactory(username="zhao"))
    li = inspector_make(a2, "李督学", user=UserFactory(username="li"))
    ours = [school_make(a1, "王的第一小学"), school_make(a1, "王的第二小学")]
    zone = zone_make(a1, "第一责任区", inspector=wang, schools=ours, on=datetime.date(2020, 1, 1))
    other_zone = zone_make(a1, "第二责任区", inspector=zhao, schools=[school_make(a1, "赵的学校")])
    far_zone = zone_make(a2, "乙县责任区", inspector=li, schools=[school_make(a2, "李的学校")])
    # The rhythm from the start of last month: last month's visits are past due.
    visit_rhythm_set(
        county=a1,
        year=LAST_MONTH.year,
        period="每月",
        months=range(1, 13),
        acting_user=people["county_a1"],
        today=LAST_MONTH.first,
    )
    if LAST_MONTH.year != TODAY.year:
        visit_rhythm_set(county=a1, year=TODAY.year, period="每月", months=range(1, 13), acting_user=None)
    secret = visit_record(
        school=other_zone.assignments.get().school,
        inspector=zhao,
        visited_on=TODAY,
        topics=["safety"],
        record="赵督学的机密记录",
        acting_user=zhao.user,
    )
    return people | {
        "wang": wang,
        "zhao": zhao,
        "li": li,
        "zone": zone,
        "other_zone": other_zone,
        "far_zone": far_zone,
        "ours": ours,
        "secret": secret,
    }


def _login(client, user):
    client.force_login(user)
    return client


# --- The 督学's sign-in ---------------------------------------------------------------------------------


def test_a_督学_lands_on_their_own_page_and_the_menu_offers_only_it(client, site):
    _login(client, site["wang"].user)

    response = client.get("/")
    assert response.url == "/my/schools/"
    page = content(client.get("/my/schools/"))
    assert "我的学校" in page
    assert "王的第一小学" in page and "王的第二小学" in page
    assert "赵的学校" not in page and "李的学校" not in page
    nav = re.search(r'<nav class="site-nav".*?</nav>', page, re.S).group(0)
    assert "/plans/" not in nav and "/counties/" not in nav and "/register/" not in nav


def test_the_rest_of_the_app_refuses_a_督学_without_membership(client, site):
    _login(client, site["wang"].user)

    for path in ("/plans/", "/counties/", "/my/", "/register/schools/", "/register/visits/", "/register/rhythm/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "王的第一小学" not in content(response)


def test_a_member_without_a_督学_is_refused_the_督学_page(client, site):
    _login(client, site["county_a1"])

    assert client.get("/my/schools/").status_code == 403
    assert client.get(f"/visits/new/?school={site['ours'][0].pk}").status_code == 403


def test_a_督学_records_a_visit_on_a_phone_form_and_it_fulfils_the_month(client, site):
    school = site["ours"][0]
    _login(client, site["wang"].user)
    form = content(client.get(f"/visits/new/?school={school.pk}"))
    key = re.search(r'name="submission_key" value="([^"]+)"', form).group(1)
    data = {
        "submission_key": key,
        "visited_on": TODAY.isoformat(),
        "topics": ["teaching", "safety"],
        "record": "听课两节，查看食堂。",
        "opinion": "加强午休管理。",
    }

    response = client.post(f"/visits/new/?school={school.pk}", data)
    again = client.post(f"/visits/new/?school={school.pk}", data)

    visit = Visit.objects.get(school=school)
    assert response.url == again.url == f"/visits/{visit.pk}/"
    assert visit.obligation.state == Assignment.State.ACCEPTED
    assert visit.obligation.occurrence == f"M{TODAY.month:02d}"
    detail = content(client.get(f"/visits/{visit.pk}/"))
    assert "听课两节" in detail and "加强午休管理" in detail and "☑" in detail


def test_a_visit_dated_after_today_keeps_what_was_typed(client, site):
    school = site["ours"][0]
    _login(client, site["wang"].user)

    response = client.post(
        f"/visits/new/?school={school.pk}",
        {
            "submission_key": str(uuid.uuid4()),
            "visited_on": (TODAY + datetime.timedelta(days=1)).isoformat(),
            "record": "写了很久的记录",
        },
    )

    assert response.status_code == 200
    assert "写了很久的记录" in content(response)
    assert "日期在今天之后" in content(response)
    assert not Visit.objects.filter(school=school).exists()


def test_a_督学_reaches_no_school_of_another_zone_or_county(client, site):
    _login(client, site["wang"].user)

    for school in (site["other_zone"].assignments.get().school, site["far_zone"].assignments.get().school):
        assert client.get(f"/visits/new/?school={school.pk}").status_code == 404
        assert (
            client.post(
                f"/visits/new/?school={school.pk}",
                {"submission_key": str(uuid.uuid4()), "visited_on": TODAY.isoformat(), "record": "x"},
            ).status_code
            == 404
        )
    assert client.get(f"/visits/{site['secret'].pk}/").status_code == 404
    assert Visit.objects.count() == 1


def test_the_county_reads_its_visits_another_county_does_not(client, site):
    path = f"/visits/{site['secret'].pk}/"
    assert "赵督学的机密记录" in content(_login(client, site["county_a1"]).get(path))
    assert "赵督学的机密记录" in content(_login(client, site["viewer_a"]).get(path))
    assert _login(client, site["county_a2"]).get(path).status_code == 404
    assert _login(client, site["editor_b"]).get(path).status_code == 404


def test_walking_every_url_as_a_督学_of_another_county_shows_nothing_of_ours(client, site):
    ids = {
        "pk": sorted(
            {
                site["zone"].pk,
                site["other_zone"].pk,
                site["secret"].pk,
                *(school.pk for school in site["ours"]),
                site["wang"].pk,
            }
        ),
        "county_id": [site["a1"].pk],
    }
    secrets = ("王的第一小学", "赵的学校", "赵督学的机密记录", "第一责任区")
    _login(client, site["li"].user)
    for route in sorted(set(_patterns())):
        if route.startswith("admin/"):
            continue
        for url in _urls(route, ids):
            for suffix in ("", f"?school={site['ours'][0].pk}", f"?county={site['a1'].pk}"):
                response = client.get(url + suffix)
                assert response.status_code < 500, url
                if response.streaming:
                    continue
                for secret in secrets:
                    assert secret not in content(response), f"{url}{suffix} shows {secret}"
    assert "李的学校" in content(client.get("/my/schools/"))


# --- The school page ---------------------------------------------------------------------------------


def test_the_school_page_lists_its_visits(client, site):
    school = site["other_zone"].assignments.get().school
    page = content(_login(client, site["county_a1"]).get(school.get_absolute_url()))

    assert f"/visits/{site['secret'].pk}/" in page
    assert "记录走访" not in page  # a county user records none


# --- The rhythm ---------------------------------------------------------------------------------------


def test_the_county_office_sets_its_rhythm_on_its_page(client, site):
    _login(client, site["county_a1"])
    assert client.get("/register/rhythm/").status_code == 200

    response = client.post(
        "/register/rhythm/",
        {"county": site["a1"].pk, "year": TODAY.year, "period": "每季度", "months": [3, 6, 9, 12]},
    )

    assert response.status_code == 302
    rhythm = VisitRhythm.objects.get(county=site["a1"], year=TODAY.year)
    assert rhythm.period == "每季度" and rhythm.months == [3, 6, 9, 12]
    assert ActionLog.objects.filter(action_type=actions.VISIT_RHYTHM_SET, object_id=rhythm.pk).exists()


def test_a_rhythm_the_calendar_cannot_read_is_refused_and_kept_in_the_form(client, site):
    _login(client, site["county_a1"])

    response = client.post(
        "/register/rhythm/", {"county": site["a1"].pk, "year": TODAY.year, "period": "每两月", "months": [3]}
    )

    assert response.status_code == 200
    assert 'value="每两月"' in content(response) and "每季度" in content(response)


def test_only_those_who_keep_the_register_set_the_rhythm(client, site):
    assert _login(client, site["viewer_a"]).get("/register/rhythm/").status_code == 403
    response = _login(client, site["county_a2"]).post(
        "/register/rhythm/", {"county": site["a1"].pk, "year": TODAY.year, "period": "每月", "months": [3]}
    )
    assert response.status_code == 200  # another county: not among the choices
    assert not VisitRhythm.objects.filter(county=site["a1"], year=TODAY.year, period="每月", months=[3]).exists()


# --- The month of a zone and of a county --------------------------------------------------------------


def test_the_zones_month_shows_visited_and_overdue_schools(client, site):
    first, second = site["ours"]
    visit_record(
        school=first,
        inspector=site["wang"],
        visited_on=LAST_MONTH.first,
        topics=[],
        record="上月走访",
        acting_user=site["wang"].user,
    )

    view = zone_month_get(zone=site["zone"], month=LAST_MONTH, today=TODAY)

    statuses = {row.school.name: row.status for row in view.schools}
    assert statuses == {"王的第一小学": "visited", "王的第二小学": "overdue"}
    assert (view.counts["visited"], view.counts["overdue"], view.counts["pending"]) == (1, 1, 0)
    page = content(
        _login(client, site["county_a1"]).get(f"/register/zones/{site['zone'].pk}/visits/?month={LAST_MONTH.value}")
    )
    assert "已逾期" in page and "王督学" in page


def test_the_month_pages_refuse_other_counties(client, site):
    _login(client, site["county_a2"])
    assert client.get(f"/register/zones/{site['zone'].pk}/visits/").status_code == 404
    assert "第一责任区" not in content(client.get(f"/register/visits/?county={site['a1'].pk}"))


def _county_of_zones(county, zones: int, schools: int):
    for z in range(zones):
        inspector = inspector_make(county, f"督学{z}")
        zone = InspectorZone.objects.create(county=county, name=f"区{z}", inspector=inspector)
        made = School.objects.bulk_create(
            [School(county=county, name=f"校{z}-{n}", kind=School.Kind.PRIMARY) for n in range(schools)]
        )
        ZoneAssignment.objects.bulk_create(
            [
                ZoneAssignment(school=s, zone=zone, inspector=inspector, started_on=datetime.date(2020, 1, 1))
                for s in made
            ]
        )


def test_a_county_of_20_zones_of_20_schools_answers_in_a_handful_of_queries(site, django_assert_num_queries):
    county = site["b1"]
    _county_of_zones(county, 20, 20)
    month = Month(TODAY.year, TODAY.month)

    # zones, open assignments, obligations due in the month, visits in it, the rhythm
    with django_assert_num_queries(5):
        view = county_month_get(county=county, month=month, today=TODAY)
    assert len(view.zones) == 20 and view.counts["schools"] == 400
    zone = InspectorZone.objects.get(county=county, name="区3")
    # assignments with their schools and inspectors, obligations, visits
    with django_assert_num_queries(3):
        zone_view = zone_month_get(zone=zone, month=month, today=TODAY)
    assert len(zone_view.schools) == 20


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_month_pages_queries_do_not_grow_with_their_rows(client, site):
    _login(client, site["editor_a"])
    paths = [f"/register/visits/?county={site['a2'].pk}", f"/register/zones/{site['far_zone'].pk}/visits/"]
    small = [_queries(client, path) for path in paths]
    _county_of_zones(site["a2"], 5, 10)
    zone = InspectorZone.objects.get(county=site["a2"], name="区1")
    ZoneAssignment.objects.filter(zone=zone).update(zone=site["far_zone"])

    assert [_queries(client, path) for path in paths] == small


def test_the_督学s_page_reads_four_queries(site, django_assert_num_queries):
    # their schools with zones, the obligations due this month, the visits in it, their latest visits
    with django_assert_num_queries(4):
        page = inspector_page_get(inspector=site["wang"], today=TODAY)
    assert [row.school.name for row in page.schools] == ["王的第一小学", "王的第二小学"]


def test_the_督学s_page_queries_do_not_grow_with_their_schools(client, site):
    _login(client, site["wang"].user)
    small = _queries(client, "/my/schools/")
    zone_make(
        site["a1"],
        "王的第三责任区",
        inspector=site["wang"],
        schools=[school_make(site["a1"], f"新校{n}") for n in range(8)],
    )

    assert _queries(client, "/my/schools/") == small


# --- The account ------------------------------------------------------------------------------------


def test_only_an_administrator_links_a_督学_to_an_account(client, site):
    inspector = inspector_make(site["a1"], "钱督学")
    path = f"/register/inspectors/{inspector.pk}/edit/"
    assert 'name="user"' not in content(_login(client, site["county_a1"]).get(path))

    admin = UserFactory(is_superuser=True, is_staff=True)
    account = UserFactory(username="qian")
    response = _login(client, admin).post(
        path, {"county": site["a1"].pk, "name": "钱督学", "kind": "part_time", "user": "qian", "is_active": "on"}
    )

    assert response.status_code == 302
    inspector.refresh_from_db()
    assert inspector.user == account
    event = ActionLog.objects.get(action_type=actions.INSPECTOR_ACCOUNT_LINKED, object_id=inspector.pk)
    assert event.data["username"] == "qian"


def test_the_county_portal_lists_no_visit(client, site):
    assert Assignment.objects.filter(visit_obligations_q(county=site["a1"])).exists()
    page = content(_login(client, site["county_a1"]).get("/my/"))

    assert "王的第一小学" not in page and "挂牌督导" not in page
