"""An office's inspection dashboard for a year (inspections by kind and month, findings by kind and
severity, 整改 per county, 挂牌督导 coverage per zone and inspector) as a page with charts and as
Excel; and the same figures per office on the province's dashboard."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from inspections.dashboards import office_dashboard_get
from inspections.models import Finding, Inspection
from organisation.models import Office, Region
from tests.factories import CountyFactory, OfficeFactory, RegionFactory, staff_user_create
from tests.inspections.builders import inspector_make, school_make, world, zone_make
from tests.inspections.work_builders import (
    close,
    finding_make,
    inspection_make,
    obligation_of,
    rectification_make,
    visit_make,
    visit_owed,
)
from tracking.models import Assignment
from tracking.selectors.tracking import province_dashboard_get

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)
D = datetime.date


@pytest.fixture
def setting():
    """甲市督导室's 2026: two 专项督导 in April, a 挂牌督导 in May and a 整改情况督查 in June (plus
    one of 2025 and one of 乙市, not counted); findings on three of them; four 整改 items in two
    counties; zones of 甲一区 with visits owed, made and missed."""
    people = world()
    office = Office.objects.get(name="甲市督导室")
    a1, a2 = people["a1"], people["a2"]
    special = inspection_make(office, counties=[a1, a2], starts_on=D(2026, 4, 7))
    second = inspection_make(office, counties=[a1], starts_on=D(2026, 4, 20), title="校园安全专项督导")
    routine = inspection_make(office, kind=Inspection.Kind.ROUTINE, counties=[a1], starts_on=D(2026, 5, 12))
    follow_up = inspection_make(office, kind=Inspection.Kind.FOLLOW_UP, counties=[a2], starts_on=D(2026, 6, 2))
    inspection_make(office, year=2025, starts_on=D(2025, 4, 7), counties=[a1])
    inspection_make(Office.objects.get(name="乙市督导室"), counties=[people["b1"]], starts_on=D(2026, 4, 8))

    f1 = finding_make(special, a1, "课后服务收费未公示。")
    f2 = finding_make(special, a1, "作业量超标。")
    f3 = finding_make(special, a2, "消防通道堵塞。", Finding.Severity.SERIOUS)
    f4 = finding_make(second, a1, "围墙破损。", Finding.Severity.URGENT)
    finding_make(follow_up, a2, "整改台账不全。", Finding.Severity.MINOR)
    finding_make(routine, a1, "晨检记录缺失。", Finding.Severity.MINOR)
    # 甲一区: one closed on time (issued 10 April, closed 20 May: 40 days), one overdue.
    # 甲二县: one closed late (issued 10 April, due 11 May, closed 15 May: 35 days).
    r1 = rectification_make(f1, requirement="公示收费。", due=D(2026, 5, 29))
    rectification_make(f2, requirement="减轻作业负担。", due=D(2026, 5, 29))
    r3 = rectification_make(f3, requirement="清理消防通道。", due=D(2026, 5, 11))
    rectification_make(f4, requirement="修缮围墙。", due=D(2026, 7, 31))
    # 甲一区's third (f4, 围墙) is not yet due.
    close(r1, D(2026, 5, 20))
    close(r3, D(2026, 5, 15))

    # 挂牌督导 in 甲一区: zone 1 (张督学: s1 visited in the obligation's stead by acceptance, s2
    # by a recorded visit), zone 2 (李督学: s3 owed and missed, s5 not yet due), s4 in no zone.
    s1, s2, s3, s4, s5 = (school_make(a1, f"甲一区第{n}小学") for n in range(1, 6))
    zhang, li = inspector_make(a1, "张督学"), inspector_make(a1, "李督学")
    zone1 = zone_make(a1, "第一责任区", inspector=zhang, schools=[s1, s2])
    zone2 = zone_make(a1, "第二责任区", inspector=li, schools=[s3, s5])
    visit_owed(s1, D(2026, 3, 31))
    close(s1, D(2026, 3, 30), kind=Assignment.Kind.VISIT)
    visit = visit_make(s2, zhang, zone1, D(2026, 5, 20), obligation=visit_owed(s2, D(2026, 5, 29)))
    # A finding written on the visit counts with the routine visits' findings.
    Finding.objects.create(visit=visit, county=a1, school=s2, text="午休管理不规范。", severity=Finding.Severity.MINOR)
    visit_owed(s3, D(2026, 5, 29))
    visit_owed(s4, D(2026, 4, 30))
    visit_owed(s5, D(2026, 7, 31))
    return {**people, "office": office, "zone1": zone1, "zone2": zone2}


def test_the_figures_of_an_offices_year(setting):
    dashboard = office_dashboard_get(office=setting["office"], year=2026, today=TODAY)
    months = {row.kind: row.months for row in dashboard.inspections}
    assert months["special"] == [0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]
    assert months["routine"][4] == 1 and months["follow_up"][5] == 1
    assert dashboard.inspections_total == 4 and dashboard.inspection_months[3] == 2
    # Severities most serious first: urgent, serious, general, minor.
    severities = {row.kind: row.severities for row in dashboard.findings}
    assert severities["special"] == [1, 1, 2, 0]
    assert severities["routine"] == [0, 0, 0, 2] and severities["follow_up"] == [0, 0, 0, 1]
    assert dashboard.finding_severities == [1, 1, 2, 3] and dashboard.findings_total == 7

    rows = {row.name: row for row in dashboard.rectification}
    a1, a2 = rows["甲一区"], rows["甲二县"]
    assert (a1.issued, a1.open, a1.closed, a1.overdue, a1.on_time, a1.average_days) == (3, 2, 1, 1, 1, 40.0)
    assert (a2.issued, a2.open, a2.closed, a2.overdue, a2.on_time, a2.average_days) == (1, 0, 1, 0, 0, 35.0)
    total = dashboard.rectification_total
    assert (total.issued, total.open, total.closed, total.overdue, total.on_time) == (4, 2, 2, 1, 1)
    assert total.average_days == 37.5

    zones = {row.name: row for row in dashboard.zones}
    one, two, none = zones["第一责任区"], zones["第二责任区"], zones[gettext("Schools in no zone")]
    assert (one.inspector, one.due, one.fulfilled, one.coverage, one.schools, one.never_visited) == (
        "张督学",
        2,
        2,
        100,
        2,
        1,  # s1's obligation was accepted, but no visit is on record
    )
    assert (two.due, two.fulfilled, two.coverage, two.schools, two.never_visited) == (1, 0, 0, 2, 2)
    assert (none.due, none.fulfilled) == (1, 0)
    assert [(r.name, r.zones, r.due, r.fulfilled) for r in dashboard.inspectors] == [
        ("张督学", 1, 2, 2),
        ("李督学", 1, 1, 0),
    ]
    cover = dashboard.coverage_total
    assert (cover.due, cover.fulfilled, cover.schools, cover.never_visited, cover.coverage) == (4, 2, 4, 3, 50)


def test_a_withdrawn_item_counts_nowhere(setting):
    item = Finding.objects.get(text="作业量超标。").rectification
    Assignment.objects.filter(pk=obligation_of(item).pk).update(
        state=Assignment.State.WITHDRAWN, closed_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)
    )
    a1 = next(r for r in office_dashboard_get(office=setting["office"], year=2026, today=TODAY).rectification)
    assert (a1.name, a1.issued, a1.overdue) == ("甲一区", 2, 0)


@pytest.fixture
def pinned_today(monkeypatch):
    monkeypatch.setattr("inspections.views.dashboards.site_today", lambda: TODAY)
    monkeypatch.setattr("tracking.views.tracking.timezone.localdate", lambda *args: TODAY)


def test_the_page_shows_the_tables_and_their_charts(client, setting, pinned_today):
    client.force_login(setting["viewer_a"])
    page = client.get(reverse("inspections:inspection_dashboard", args=[setting["office"].pk, 2026]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<svg class="chart chart--bars"') == 5
    for text in ("第一责任区", "张督学", "甲二县", "37.5", "50%"):
        assert text in html
    assert "<script" not in html.split("<main", 1)[1]


def test_the_excel_has_the_same_figures(client, setting, pinned_today):
    client.force_login(setting["editor_a"])
    response = client.get(reverse("inspections:inspection_dashboard_xlsx", args=[setting["office"].pk, 2026]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    inspections, findings, rectification, zones, inspectors = book.worksheets
    rows = list(inspections.iter_rows(values_only=True))
    assert rows[-1][-1] == 4 and rows[-1][4] == 2
    assert list(findings.iter_rows(values_only=True))[-1][1:] == (1, 1, 2, 3, 7)
    by_county = {row[0]: row[1:] for row in rectification.iter_rows(min_row=2, values_only=True)}
    assert by_county["甲一区"] == (3, 2, 1, 1, 1, 40)
    assert by_county["甲二县"] == (1, 0, 1, 0, 0, 35)
    assert by_county[gettext("Total")] == (4, 2, 2, 1, 1, 37.5)
    by_zone = {row[1]: row[3:] for row in zones.iter_rows(min_row=2, values_only=True)}
    assert by_zone["第一责任区"] == (2, 2, 100, 2, 1)
    assert by_zone[gettext("Total")] == (4, 2, 50, 4, 3)
    assert [row[1:5] for row in inspectors.iter_rows(min_row=2, values_only=True)] == [
        ("张督学", 1, 2, 2),
        ("李督学", 1, 1, 0),
    ]


def test_the_dashboard_takes_the_same_queries_for_two_counties_and_twelve(client, setting):
    client.force_login(setting["editor_a"])
    url = reverse("inspections:inspection_dashboard", args=[setting["office"].pk, 2026])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    office = setting["office"]
    for n in range(10):
        county = CountyFactory(city=setting["city_a"], name=f"新{n}区")
        inspection = inspection_make(office, counties=[county], starts_on=D(2026, 3, 3))
        finding = finding_make(inspection, county, "问题。")
        rectification_make(finding, requirement="整改。", due=D(2026, 5, 29))
        school = school_make(county, f"新{n}区小学")
        zone_make(county, inspector=inspector_make(county, f"新{n}督学"), schools=[school])
        visit_owed(school, D(2026, 4, 30))
    assert count() == small


def test_the_selector_counts_in_a_fixed_number_of_queries(setting, django_assert_num_queries):
    office = Office.objects.get(pk=setting["office"].pk)
    office_dashboard_get(office=office, year=2026, today=TODAY)  # the content type is cached after this
    # Inspections, findings, 整改, visits owed by school, the zones' schools, zones: six, whatever
    # the number of counties.
    with django_assert_num_queries(6):
        office_dashboard_get(office=office, year=2026, today=TODAY)


def test_the_page_is_read_in_ten_queries(client, setting, pinned_today, django_assert_num_queries):
    client.force_login(setting["editor_a"])
    url = reverse("inspections:inspection_dashboard", args=[setting["office"].pk, 2026])
    client.get(url)  # the content type is cached after this
    # The session, the user, the menu's memberships, the office, and the selector's six.
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("who, status", [("editor_a", 200), ("viewer_a", 200), ("editor_b", 404), ("county_a1", 404)])
def test_who_reads_an_offices_dashboard(client, setting, who, status):
    client.force_login(setting[who])
    office = setting["office"]
    assert client.get(reverse("inspections:inspection_dashboard", args=[office.pk, 2026])).status_code == status
    assert client.get(reverse("inspections:inspection_dashboard_xlsx", args=[office.pk, 2026])).status_code == status


# --- The province's dashboard ---------------------------------------------------------------------


@pytest.fixture
def province(setting):
    region = RegionFactory(name="测试省", level=Region.Level.PROVINCE)
    Region.objects.filter(pk__in=[setting["city_a"].pk, setting["city_b"].pk]).update(parent=region)
    provincial = OfficeFactory(name="测试省教育督导室", level=Office.Level.PROVINCE, region=region)
    return {"region": region, "office": provincial}


def test_the_province_dashboard_gains_the_inspection_columns_per_city(setting, province):
    dashboard = province_dashboard_get(region=province["region"], year=2026, today=TODAY)
    assert dashboard.extra_headers == [
        gettext(label)
        for label in (
            "Inspections",
            "Findings",
            "Rectification open",
            "Rectification closed",
            "Rectification overdue",
            "School visits made / due",
        )
    ]
    rows = {row.office.name: row.extra for row in dashboard.rows}
    assert rows["甲市督导室"] == [4, 7, 2, 2, 1, "2/4 (50%)"]
    assert rows["乙市督导室"] == [1, 0, 0, 0, 0, "—"]
    # The provincial office oversees every county: the visit's finding and every visit.
    assert rows["测试省教育督导室"] == [0, 1, 0, 0, 0, "2/4 (50%)"]
    assert dashboard.total.extra == [5, 7, 2, 2, 1, "2/4 (50%)"]


def test_the_province_page_and_its_excel_show_them_in_flat_queries(client, setting, province, pinned_today):
    client.force_login(staff_user_create(office=province["office"]))
    url = reverse("tracking:province_dashboard", args=[province["region"].pk, 2026])

    def count():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200
        return len(queries), page.content.decode()

    small, html = count()
    assert gettext("School visits made / due") in html and "2/4 (50%)" in html
    for n in range(4):
        office = OfficeFactory(region=RegionFactory(parent=province["region"], name=f"新{n}市"))
        county = CountyFactory(city=office.region)
        inspection = inspection_make(office, counties=[county])
        finding = finding_make(inspection, county, "问题。")
        rectification_make(finding, requirement="整改。", due=D(2026, 5, 29))
        visit_owed(school_make(county, f"新{n}小学"), D(2026, 4, 30))
    assert count()[0] == small
    response = client.get(url + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[1]
    rows = {row[0]: row[2:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["甲市督导室"] == (4, 7, 2, 2, 1, "2/4 (50%)")


def test_the_province_page_is_read_in_fourteen_queries(
    client, setting, province, pinned_today, django_assert_num_queries
):
    client.force_login(staff_user_create(office=province["office"]))
    url = reverse("tracking:province_dashboard", args=[province["region"].pk, 2026])
    client.get(url)  # the content type and the calendar are cached after this
    # The session, the user, the menu's memberships and the province; its offices, their plans
    # by year, their assignments counted, the days sent and done; the inspections with their
    # findings, the visits' findings, the 整改 items, their obligations, the visits owed; the
    # provinces to switch to.
    with django_assert_num_queries(14):
        assert client.get(url).status_code == 200


def test_the_bar_chart_stacks_each_rows_values_in_the_legends_order():
    from plans.templatetags.charts import bar_chart

    svg = bar_chart([("甲一区", [1, 3]), ("甲二县", [2, 0])], legend=["已销号", "未完成"], tones="done open")
    assert svg.startswith('<svg class="chart chart--bars"') and svg.count("<rect") == 2 + 3
    # The longest bar (4) spans the width (430): 3 of it is three quarters, 甲二县's 2 half.
    assert 'width="322.5" height="18" class="bar bar--open"><title>甲一区 · 未完成: 3</title>' in svg
    assert 'width="215.0" height="18" class="bar bar--done"><title>甲二县 · 已销号: 2</title>' in svg
    assert "<p" in bar_chart([("甲一区", [0, 0])])
