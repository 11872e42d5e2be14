import datetime
import re
from urllib.parse import quote, urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation.models import Membership
from plans.models import PlanSource, ScheduleEntry, WorkPlan
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    ProjectFactory,
    ScheduleEntryFactory,
    SectionFactory,
    TaskFactory,
    UserFactory,
    WorkPlanFactory,
    county_user_create,
    staff_user_create,
    work_plan_build,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(staff_user_create())
    return client


@pytest.fixture
def zhenjiang_plan():
    """A plan laid out like the 镇江 2020 notice, small enough to check line by line."""
    office = OfficeFactory(name="镇江市人民政府教育督导室")
    jingkou = CountyFactory(name="京口区")
    zone = CountyFactory(name="镇江新区", kind="zone", code="", city=jingkou.city)
    plan = WorkPlanFactory(
        office=office,
        title="2020年镇江市教育督导工作要点",
        notice_title="镇江市人民政府教育督导室关于印发2020年镇江市教育督导工作要点的通知",
        doc_number="镇教督〔2020〕2号",
        issue_date=datetime.date(2020, 3, 3),
        recipients=["各市、区教育局、政府教育督导室", "市属各学校（单位）"],
        cc=["省教育督导委员会办公室", "市委宣传部"],
        notice_text="现将《2020年镇江市教育督导工作要点》印发给你们，请结合工作实际，认真贯彻落实。",
        preamble="",
        imprint="镇江市教育局办公室 2020年3月3日印发",
        notes="本要点由市督导室负责解释。",
    )
    PlanSource.objects.create(
        plan=plan,
        name="zhenjiang.txt",
        text="镇江市人民政府教育督导室……",
        sha256="0" * 64,
        warnings=[
            {"code": "duplicate_char", "params": {"line": 45, "excerpt": "组|组织开展"}},
            {
                "code": "unknown_line",
                "params": {"line": 3, "excerpt": "无法识别的结构", "target": "task %(label)s", "label": "2"},
            },
        ],
    )
    guiding = SectionFactory(
        plan=plan, position=1, label="一、", heading="指导思想", text="以习近平新时代中国特色社会主义思想为指导。"
    )
    main = SectionFactory(plan=plan, position=2, label="二、", heading="主要工作")
    sub = SectionFactory(plan=plan, position=3, level=2, label="（一）", heading="督政工作", parent=main)
    reform = TaskFactory(
        plan=plan,
        section=sub,
        number=1,
        label="1.",
        title="深化教育督导体制机制改革",
        text="深化教育督导体制机制改革。对接国家、省教育督导改革工作部署。\n第二段落的内容。",
        counties=[jingkou, zone],
    )
    TaskFactory(
        plan=plan,
        section=sub,
        number=2,
        label="2.",
        title="积极做好省督导考评迎检工作",
        text="积极做好省督导考评迎检工作。建立沟通联络机制。",
    )
    ScheduleEntryFactory(
        plan=plan,
        task=reform,
        position=1,
        period="5月、9月",
        month_set=(5, 9),
        text="召开督导工作推进会",
        counties=[jingkou],
    )
    ScheduleEntryFactory(plan=plan, task=None, position=2, period="年底前", month_set=(12,), text="完成年度考核")
    ProjectFactory(
        plan=plan,
        number=1,
        label="第一项工程",
        name="学校建设工程",
        goal="三年新建学校30所。",
        annual_target="2020年开工建设10所。",
    )
    return {"plan": plan, "jingkou": jingkou, "zone": zone, "guiding": guiding}


def content(response) -> str:
    return response.content.decode()


def task_item(html: str, number: int) -> str:
    pattern = rf'<li class="task" id="task-{number}">(.*?)</li>\s*<li class="task"'
    match = re.search(pattern, html, re.S)
    assert match, f"no task {number} followed by another"
    return match.group(1)


def calendar_row(html: str, row_id: str) -> str:
    match = re.search(rf'<tr id="{row_id}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no calendar row {row_id}"
    return match.group(1)


# --- Login and the home page ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name, args",
    [
        ("home", []),
        ("plans:plan_list", []),
        ("plans:plan_detail", [1]),
        ("tracking:county_list", []),
        ("tracking:county_detail", [1]),
    ],
)
def test_pages_send_anonymous_visitors_to_the_login_page(client, url_name, args):
    url = reverse(url_name, args=args)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_login_page_renders_the_form(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert 'name="username"' in content(response)
    assert 'name="password"' in content(response)


def test_logging_in_through_the_form_lands_on_the_plan_list(client):
    staff_user_create(user=UserFactory(username="reader", password="s3cret-pass-2026"))

    response = client.post(reverse("login"), {"username": "reader", "password": "s3cret-pass-2026"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("plans:plan_list")


def test_home_sends_a_county_user_to_their_work(client):
    county = CountyFactory()
    client.force_login(county_user_create(county=county))

    response = client.get(reverse("home"))

    assert response.url == reverse("tracking:portal")


def test_home_sends_staff_to_the_plan_list(staff_client):
    response = staff_client.get(reverse("home"))

    assert response.url == reverse("plans:plan_list")


def test_home_sends_a_superuser_without_membership_to_the_plan_list(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get(reverse("home"))

    assert response.url == reverse("plans:plan_list")


# --- Base template -------------------------------------------------------------------------


def test_navigation_offers_import_to_editors_and_admin_to_superusers_only(client):
    def nav_links(user):
        client.force_login(user)
        html = content(client.get(reverse("plans:plan_list")))
        return reverse("plans:import_upload") in html, reverse("admin:index") in html

    assert nav_links(UserFactory(is_staff=True, is_superuser=True)) == (True, True)
    assert nav_links(staff_user_create()) == (True, False)
    assert nav_links(staff_user_create(role=Membership.Role.REVIEWER)) == (True, False)
    assert nav_links(staff_user_create(role=Membership.Role.VIEWER)) == (False, False)
    assert nav_links(county_user_create(county=CountyFactory())) == (False, False)
    # Django's is_staff opens the admin door only to superusers, and grants no role here.
    assert nav_links(UserFactory(is_staff=True)) == (False, False)


def test_a_signed_in_user_without_membership_reads_a_page_that_says_so(client):
    WorkPlanFactory(title="镇江要点")
    client.force_login(UserFactory(is_staff=True))

    for url in (reverse("home"), reverse("plans:plan_list"), reverse("tracking:county_list")):
        response = client.get(url)
        assert response.status_code == 403
        assert "尚未加入任何机关" in content(response)
        assert "镇江要点" not in content(response)


def test_the_admin_is_for_superusers_only(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_base_has_language_switcher_and_logout_as_post_forms(staff_client):
    html = content(staff_client.get(reverse("plans:plan_list")))

    assert '<html lang="zh-hans">' in html
    assert re.search(rf'<form[^>]*action="{reverse("set_language")}"[^>]*method="post"', html)
    assert re.search(rf'<form[^>]*action="{reverse("logout")}"[^>]*method="post"', html)
    assert 'value="en"' in html


# --- Plan list -----------------------------------------------------------------------------


def test_plan_list_shows_each_plans_columns(staff_client, zhenjiang_plan):
    plan = zhenjiang_plan["plan"]

    html = content(staff_client.get(reverse("plans:plan_list")))

    assert "镇教督〔2020〕2号" in html
    assert f'<a href="{plan.get_absolute_url()}">2020年镇江市教育督导工作要点</a>' in html
    assert "镇江市人民政府教育督导室" in html
    assert "2020-03-03" in html
    assert 'class="badge badge--published"' in html
    row = re.search(r"<tr>\s*<td[^>]*>镇教督.*?</tr>", html, re.S).group(0)
    assert re.findall(r'<td class="num"[^>]*>(\d+)</td>', row) == ["2020", "2", "2"]


def test_plan_list_filters_by_query_parameters(staff_client):
    WorkPlanFactory(title="镇江要点", plan_year=2020)
    WorkPlanFactory(title="郑州要点", plan_year=2017)

    html = content(staff_client.get(reverse("plans:plan_list"), {"plan_year": "2017"}))

    assert "郑州要点" in html
    assert "镇江要点" not in html


def test_plan_list_with_invalid_filters_shows_no_plans_and_the_error(staff_client):
    WorkPlanFactory(title="镇江要点", plan_year=2020)

    html = content(staff_client.get(reverse("plans:plan_list"), {"plan_year": "1999"}))

    assert "镇江要点" not in html
    assert 'class="field field--error"' in html


def test_plan_list_pages_by_25_and_keeps_the_filters_in_page_links(staff_client):
    office = OfficeFactory()
    for n in range(26):
        WorkPlanFactory(office=office, title=f"要点{n:02d}")

    response = staff_client.get(reverse("plans:plan_list"), {"year": "", "office": office.name})
    second = staff_client.get(reverse("plans:plan_list"), {"office": office.name, "page": 2})

    assert len(response.context["plans"]) == 25
    assert "page=2" in content(response)
    assert quote(office.name) in re.search(r'href="(\?[^"]*page=2)"', content(response)).group(1)
    assert len(second.context["plans"]) == 1


@pytest.mark.parametrize(
    ("language", "said", "hint"),
    [
        ("zh-hans", "2 份以上工作要点", "只列出找到的前 2 份工作要点：请增加检索词或筛选条件以缩小范围。"),
        (
            "en",
            "More than 2 plans",
            "Only the first 2 plans found are listed: add a word or a filter to narrow the search.",
        ),
    ],
)
def test_plan_list_search_past_the_cap_says_more_than_it_and_to_narrow(staff_client, monkeypatch, language, said, hint):
    monkeypatch.setattr("plans.selectors.plans.SEARCH_CAP", 2)
    for n in range(3):
        WorkPlanFactory(title=f"均衡发展要点{n}")
    staff_client.post(reverse("set_language"), {"language": language, "next": "/"})

    response = staff_client.get(reverse("plans:plan_list"), {"q": "均衡发展"})
    html = content(response)

    assert len(response.context["plans"]) == 2
    assert said in html
    assert hint in html


def test_plan_list_search_within_the_cap_says_how_many(staff_client, monkeypatch):
    monkeypatch.setattr("plans.selectors.plans.SEARCH_CAP", 3)
    for n in range(3):
        WorkPlanFactory(title=f"均衡发展要点{n}")

    html = content(staff_client.get(reverse("plans:plan_list"), {"q": "均衡发展"}))

    assert "共 3 份工作要点" in html
    assert "以上" not in html
    assert "缩小范围" not in html


@pytest.mark.parametrize("page", ["2", "999", "400000000000000000", "x"])
def test_plan_list_pages_past_the_end_or_unreadable_show_the_nearest_page(staff_client, page):
    office = OfficeFactory()
    for n in range(26):
        WorkPlanFactory(office=office, title=f"要点{n:02d}")

    response = staff_client.get(reverse("plans:plan_list"), {"page": page})

    assert response.status_code == 200
    assert len(response.context["plans"]) == (25 if page == "x" else 1)


def test_county_user_sees_only_published_plans_naming_their_county(client):
    county = CountyFactory()
    work_plan_build(tasks=1, counties=[county], title="我县的要点")
    work_plan_build(tasks=1, counties=[CountyFactory()], title="他县的要点")
    work_plan_build(tasks=1, counties=[county], title="草稿要点", status=WorkPlan.Status.DRAFT)
    client.force_login(county_user_create(county=county))

    html = content(client.get(reverse("plans:plan_list")))

    assert "我县的要点" in html
    assert "他县的要点" not in html
    assert "草稿要点" not in html


# --- Plan detail ---------------------------------------------------------------------------


def test_plan_detail_reads_like_the_notice(staff_client, zhenjiang_plan):
    plan = zhenjiang_plan["plan"]

    html = content(staff_client.get(plan.get_absolute_url()))

    assert '<p class="notice-office">镇江市人民政府教育督导室</p>' in html
    assert '<p class="notice-doc-number">镇教督〔2020〕2号</p>' in html
    assert '<h1 class="notice-title">镇江市人民政府教育督导室关于印发2020年镇江市教育督导工作要点的通知</h1>' in html
    assert "各市、区教育局、政府教育督导室，市属各学校（单位）：" in html
    assert "请结合工作实际，认真贯彻落实。" in html
    assert '<time datetime="2020-03-03">2020年3月3日</time>' in html
    assert '<h2 class="plan-title">2020年镇江市教育督导工作要点</h2>' in html
    # Headings in document order, then the parts of the footer.
    order = [
        "一、指导思想",
        "以习近平新时代中国特色社会主义思想为指导。",
        "二、主要工作",
        "（一）督政工作",
        "深化教育督导体制机制改革",
        "积极做好省督导考评迎检工作",
        "学校建设工程",
        'id="calendar"',
        "省教育督导委员会办公室，市委宣传部",
        "镇江市教育局办公室 2020年3月3日印发",
        "本要点由市督导室负责解释。",
    ]
    # Within the notice itself (a table of contents may name the headings before it).
    notice = html[html.index('<article class="notice">') :]
    positions = [notice.index(text) for text in order]
    assert positions == sorted(positions)


def test_plan_detail_prints_each_task_with_bold_title_text_schedule_and_counties(staff_client, zhenjiang_plan):
    plan, jingkou, zone = zhenjiang_plan["plan"], zhenjiang_plan["jingkou"], zhenjiang_plan["zone"]

    html = content(staff_client.get(plan.get_absolute_url()))
    task = task_item(html, 1)

    assert (
        '<span class="task__number">1.</span><strong class="task__title">深化教育督导体制机制改革。</strong>对接国家'
    ) in task
    assert "<p>第二段落的内容。</p>" in task
    assert task.count("深化教育督导体制机制改革") == 1
    assert '<span class="period">5月、9月</span> 召开督导工作推进会' in task
    assert f'<a class="chip" href="{jingkou.get_absolute_url()}">京口区</a>' in task
    assert f'<a class="chip" href="{zone.get_absolute_url()}">镇江新区</a>' in task


def test_plan_detail_escapes_what_its_tasks_lines_and_chips_print(staff_client, zhenjiang_plan):
    plan, jingkou = zhenjiang_plan["plan"], zhenjiang_plan["jingkou"]
    jingkou.name = "京口<区>"
    jingkou.save()
    task = plan.tasks.get(number=2)
    task.title, task.text, task.lead_unit = "<b>考评</b>", "<b>考评</b>：“A&B”", "市<督导室>"
    task.unconfirmed_places = ["新<区>"]
    task.save()
    line = plan.schedule_entries.get(position=1)
    line.text, line.lead_unit = "召开<会>", "市&局"
    line.save()

    html = content(staff_client.get(plan.get_absolute_url()))

    assert "<b>" not in html and "<区>" not in html and "<会>" not in html
    assert (
        '<strong class="task__title">&lt;b&gt;考评&lt;/b&gt;：</strong>“A&amp;B”</p>'
        '<p class="task__lead-unit"><span class="label">牵头单位：</span> 市&lt;督导室&gt;</p>'
    ) in html
    assert '<span class="chip chip--unconfirmed" title="尚不在行政区划表中：待确认">新&lt;区&gt;？</span>' in html
    assert f'<a class="chip" href="{jingkou.get_absolute_url()}">京口&lt;区&gt;</a>' in html
    assert '召开&lt;会&gt; <span class="muted">（市&amp;局）</span> <a class="task-ref" href="#task-1">' in html


def test_plan_detail_shows_projects_with_goal_and_annual_target(staff_client, zhenjiang_plan):
    html = content(staff_client.get(zhenjiang_plan["plan"].get_absolute_url()))

    assert '<span class="project__label">第一项工程</span>学校建设工程' in html
    assert "三年新建学校30所。" in html
    assert "2020年开工建设10所。" in html


def test_plan_detail_calendar_is_a_month_table(staff_client, zhenjiang_plan):
    html = content(staff_client.get(zhenjiang_plan["plan"].get_absolute_url()))

    assert "calendar-table--month" in html
    for month in (5, 9):
        row = calendar_row(html, f"calendar-month-{month}")
        assert "召开督导工作推进会" in row
        assert '<span class="period">5月、9月</span>' in row
        assert 'href="#task-1"' in row
    assert "完成年度考核" in calendar_row(html, "calendar-month-12")
    assert "召开督导工作推进会" not in calendar_row(html, "calendar-month-6")
    assert "一月" in calendar_row(html, "calendar-month-1")  # Django's own month names


def test_plan_detail_calendar_is_a_quarter_table_when_written_by_quarter(staff_client):
    plan = WorkPlanFactory()
    task = TaskFactory(plan=plan, number=4)
    for position, (period, months) in enumerate(
        [("一季度", (1, 2, 3)), ("三季度", (7, 8, 9)), ("四季度", (10, 11, 12))], start=1
    ):
        ScheduleEntryFactory(
            plan=plan,
            task=task if position == 2 else None,
            position=position,
            period=period,
            month_set=months,
            granularity=ScheduleEntry.Granularity.QUARTER,
            text=f"工作{period}",
        )

    html = content(staff_client.get(plan.get_absolute_url()))

    assert "calendar-table--quarter" in html
    assert "calendar-month-" not in html
    assert "工作一季度" in calendar_row(html, "calendar-quarter-1")
    assert "is-empty" in re.search(r'<tr id="calendar-quarter-2"[^>]*>', html).group(0)
    assert 'href="#task-4"' in calendar_row(html, "calendar-quarter-3")
    assert "工作四季度" in calendar_row(html, "calendar-quarter-4")


def test_import_warnings_belong_to_the_issuing_offices_import_page(client, zhenjiang_plan):
    plan = zhenjiang_plan["plan"]
    source_url = reverse("plans:plan_source", args=[plan.pk])
    client.force_login(staff_user_create(office=plan.office, role=Membership.Role.VIEWER))
    office_html = content(client.get(source_url))
    notice_html = content(client.get(plan.get_absolute_url()))

    # Rendered with their parameters, the target of a warning in the reader's language.
    assert "组|组织开展" in office_html
    assert "已归入任务2" in office_html
    assert "task %(label)s" not in office_html
    # Never under the text of the notice itself.
    assert "组|组织开展" not in notice_html
    assert source_url in notice_html
    for outsider in (staff_user_create(), county_user_create(county=zhenjiang_plan["jingkou"])):
        client.force_login(outsider)
        assert client.get(source_url).status_code == 403
        html = content(client.get(plan.get_absolute_url()))
        assert source_url not in html
        assert "深化教育督导体制机制改革" in html


def test_county_user_sees_other_counties_as_plain_chips(client, zhenjiang_plan):
    client.force_login(county_user_create(county=zhenjiang_plan["jingkou"]))

    html = content(client.get(zhenjiang_plan["plan"].get_absolute_url()))

    assert f'<a class="chip" href="{zhenjiang_plan["jingkou"].get_absolute_url()}">京口区</a>' in html
    assert '<span class="chip">镇江新区</span>' in html


def test_plan_without_notice_title_is_headed_by_its_own_title(staff_client):
    plan = WorkPlanFactory(notice_title="", doc_number="", title="郑州市2017年教育督导工作要点")

    html = content(staff_client.get(plan.get_absolute_url()))

    assert '<h1 class="plan-title">郑州市2017年教育督导工作要点</h1>' in html
    assert "notice-doc-number" not in html


@pytest.mark.parametrize("which", ["elsewhere", "draft"])
def test_county_user_cannot_open_a_plan_they_may_not_read(client, which):
    county = CountyFactory()
    plan = {
        "elsewhere": work_plan_build(tasks=1, counties=[CountyFactory()]),
        "draft": work_plan_build(tasks=1, counties=[county], status=WorkPlan.Status.DRAFT),
    }[which]
    client.force_login(county_user_create(county=county))

    assert client.get(plan.get_absolute_url()).status_code == 404


def test_unknown_plan_is_not_found(staff_client):
    assert staff_client.get(reverse("plans:plan_detail", args=[987654])).status_code == 404


# --- Counties ------------------------------------------------------------------------------


def test_county_list_groups_named_counties_by_city_with_counts(staff_client, zhenjiang_plan):
    jingkou = zhenjiang_plan["jingkou"]

    html = content(staff_client.get(reverse("tracking:county_list")))

    assert f'<h2 id="city-{jingkou.city.pk}">{jingkou.city.name}</h2>' in html
    # The plan's year (2020) is the only one with work: the list shows it, and links the
    # county page of that year.
    assert "<h1>2020 年有工作任务的县（市、区）</h1>" in html
    row = re.search(rf'<a href="{jingkou.get_absolute_url()}\?year=2020">京口区</a>.*?</tr>', html, re.S).group(0)
    # plans, tasks, calendar lines naming it; assignments (none: the plan was not published
    # through the lifecycle)
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["1", "1", "1", "0"]
    assert ">镇江新区</a>" in html


def test_county_list_search_by_name(staff_client, zhenjiang_plan):
    html = content(staff_client.get(reverse("tracking:county_list"), {"q": "新区"}))

    assert ">镇江新区</a>" in html
    assert ">京口区</a>" not in html


def test_county_page_lists_tasks_and_entries_naming_it_by_plan(staff_client, zhenjiang_plan):
    plan, jingkou = zhenjiang_plan["plan"], zhenjiang_plan["jingkou"]

    html = content(staff_client.get(jingkou.get_absolute_url()))

    assert "<h1>京口区 2020 年工作</h1>" in html
    assert jingkou.city.name in html
    assert f'<a href="{plan.get_absolute_url()}">2020年镇江市教育督导工作要点</a>' in html
    assert "深化教育督导体制机制改革" in html
    assert "积极做好省督导考评迎检工作" not in html  # names no county
    assert '<span class="period">5月、9月</span>' in html
    months = re.search(r'<td class="nowrap">([^<]*)</td>\s*<td>召开督导工作推进会', html).group(1)
    assert months == "5月、9月"  # normalised, in the notices' numerals
    assert "召开督导工作推进会" in html


def test_county_user_can_open_only_their_own_county(client):
    county, other = CountyFactory(), CountyFactory()
    client.force_login(county_user_create(county=county))

    assert client.get(county.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404


# --- Admin -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        "organisation.region",
        "organisation.county",
        "organisation.countyalias",
        "organisation.office",
        "organisation.membership",
        "plans.workplan",
        "plans.section",
        "plans.task",
        "plans.project",
        "plans.scheduleentry",
    ],
)
def test_admin_lists_and_add_forms_render(client, zhenjiang_plan, model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    name = model.replace(".", "_")

    assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{name}_changelist"), {"q": "镇江"}).status_code == 200
    assert client.get(reverse(f"admin:{name}_add")).status_code == 200


def test_admin_plan_page_shows_its_parts_inline_read_only_once_published(client, zhenjiang_plan):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    plan = zhenjiang_plan["plan"]
    url = reverse("admin:plans_workplan_change", args=[plan.pk])

    html = content(client.get(url))

    assert "深化教育督导体制机制改革" in html
    assert "学校建设工程" in html
    assert "5月、9月" in html
    assert 'value="5月、9月"' not in html  # frozen: changed only through a revision
    assert 'name="status"' not in html  # the lifecycle is the services' business

    WorkPlan.objects.filter(pk=plan.pk).update(status=WorkPlan.Status.DRAFT, published_at=None)
    assert 'value="5月、9月"' in content(client.get(url))


# --- Query counts --------------------------------------------------------------------------


def assert_queries_independent_of_size(client, make_url, *, expected: int, sizes=(3, 30)):
    """Render the page for data of each size; all must take the same, pinned, number of queries.

    On a mismatch every statement of each run is printed.
    """
    runs = {}
    for size in sizes:
        url = make_url(size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        runs[size] = [query["sql"] for query in queries.captured_queries]
    counts = {size: len(statements) for size, statements in runs.items()}
    report = "\n\n".join(
        f"size {size}: {len(statements)} queries\n" + "\n".join(statements) for size, statements in runs.items()
    )
    assert len(set(counts.values())) == 1, f"query count depends on size {counts}\n{report}"
    assert counts[sizes[0]] == expected, report


def test_plan_detail_queries_do_not_depend_on_plan_size(staff_client):
    def make_url(size):
        counties = CountyFactory.create_batch(3)
        plan = work_plan_build(tasks=size, counties=counties)
        ProjectFactory.create_batch(2, plan=plan)
        return plan.get_absolute_url()

    # session, user, membership; plan; sections, tasks, task counties, projects,
    # schedule entries, entry counties.
    assert_queries_independent_of_size(staff_client, make_url, expected=10)


def test_plan_detail_query_count_is_pinned(staff_client, django_assert_num_queries):
    plan = work_plan_build(tasks=5, counties=CountyFactory.create_batch(2))

    with django_assert_num_queries(10):
        staff_client.get(plan.get_absolute_url())


def test_plan_list_queries_do_not_depend_on_plan_size(staff_client):
    office = OfficeFactory()

    def make_url(size):
        plan = work_plan_build(tasks=size, counties=CountyFactory.create_batch(3), office=office)
        county = plan.tasks.first().counties.first()
        return (
            reverse("plans:plan_list")
            + "?"
            + urlencode({"q": plan.title, "office": office.name, "status": "published", "county": county.name})
        )

    # session, user, memberships; year choices; the offices and the counties the office and
    # county filters mean; on PostgreSQL the offices the searched title names (the grams
    # index answers the rest there); the ids of the plans found, up to the search's cap (the
    # filters evaluated once); the page's plans with their counts, among those ids. Offices and
    # counties are text fields: no choices.
    expected = 9 if connection.vendor == "postgresql" else 8
    assert_queries_independent_of_size(staff_client, make_url, expected=expected)


def test_plan_list_queries_do_not_depend_on_how_many_plans_are_listed(staff_client):
    def make_url(size):
        for _ in range(size if size < 25 else 25):
            work_plan_build(tasks=2, counties=CountyFactory.create_batch(2))
        return reverse("plans:plan_list")

    # session, user, memberships; the years with their counts (which count the unfiltered
    # list too), the page's plans with their counts.
    assert_queries_independent_of_size(staff_client, make_url, expected=5)


def test_county_page_queries_do_not_depend_on_how_many_tasks_name_it(staff_client):
    def make_url(size):
        county = CountyFactory()
        work_plan_build(tasks=size, counties=[county])
        work_plan_build(tasks=size, counties=[county, CountyFactory()])
        return county.get_absolute_url()

    # session, user, membership; county; the years with work; tasks, their calendar lines;
    # schedule entries.
    assert_queries_independent_of_size(staff_client, make_url, expected=8)


def test_county_list_queries_do_not_depend_on_how_many_counties_are_named(staff_client):
    def make_url(size):
        work_plan_build(tasks=size, counties=CountyFactory.create_batch(size))
        return reverse("tracking:county_list")

    # session, user, memberships (with the cities of the user's offices, listed first); the
    # years; this year's plans naming a county; the page's counties with their cities, counts
    # and the number of counties.
    assert_queries_independent_of_size(staff_client, make_url, expected=6)


# --- The seed documents, imported ----------------------------------------------------------


ZHENJIANG_TASK_TITLES = [
    "深化教育督导体制机制改革",
    "积极做好省督导考评迎检工作",
    "完善县级政府教育工作督导考评",
    "扎实义务教育优质均衡发展创建",
    "深入推进责任督学挂牌督导",
    "继续深化学校素质教育督导评估",
    "认真开展教育热点难点问题专项督导",
    "完善幼儿园办园行为督导评估机制",
    "科学开展教育督导评估监测",
    "持续增强为促进教育事业发展保驾护航的能力",
]


def test_seeded_zhenjiang_plan_reads_like_its_notice(staff_client, seeded_plans):
    plan = seeded_plans["004"]

    html = content(staff_client.get(plan.get_absolute_url()))

    assert '<p class="notice-office">镇江市人民政府教育督导室</p>' in html
    assert '<p class="notice-doc-number">镇教督〔2020〕2号</p>' in html
    assert '<time datetime="2020-03-03">2020年3月3日</time>' in html
    titles = re.findall(r'<strong class="task__title">(.*?)[。.]?</strong>', html)
    assert titles == ZHENJIANG_TASK_TITLES
    assert "省教育督导委员会办公室，市委宣传部" in html


def test_seeded_zhenjiang_calendar_is_a_quarter_table_of_21_entries(staff_client, seeded_plans):
    html = content(staff_client.get(seeded_plans["004"].get_absolute_url()))

    assert "calendar-table--quarter" in html
    rows = {q: calendar_row(html, f"calendar-quarter-{q}") for q in range(1, 5)}
    entries = {q: row.count('<span class="period">') for q, row in rows.items()}
    assert entries == {1: 7, 2: 5, 3: 5, 4: 4}
    assert "印发《2020年镇江市教育督导工作要点》" in rows[1]
    assert "总结2020年度教育督导工作" in rows[4]
    assert all(
        f'<span class="period">{period}</span>' in rows[q]
        for q, period in enumerate(["一季度", "二季度", "三季度", "四季度"], start=1)
    )


def test_seeded_zhenjiang_task_names_its_five_counties(staff_client, seeded_plans):
    html = content(staff_client.get(seeded_plans["004"].get_absolute_url()))
    task = task_item(html, 4)

    assert set(re.findall(r'class="chip"[^>]*>(.*?)</a>', task)) == {
        "扬中市",
        "句容市",
        "丹徒区",
        "京口区",
        "镇江新区",
    }


def test_seeded_plans_are_listed_with_their_counts(staff_client, seeded_plans):
    html = content(staff_client.get(reverse("plans:plan_list")))

    row = re.search(r"<tr>\s*<td[^>]*>镇教督〔2020〕2号</td>.*?</tr>", html, re.S).group(0)
    # Year, tasks, and the counties the plan gives work to (the plan → county index).
    counties = seeded_plans["004"].county_index.count()
    assert counties >= 5
    assert re.findall(r'<td class="num"[^>]*>(\d+)</td>', row) == ["2020", "10", str(counties)]
    assert html.count('class="plan-table__title"') == 5


def test_seeded_county_page_shows_the_zhenjiang_task_naming_it(staff_client, seeded_plans):
    plan = seeded_plans["004"]
    yangzhong = plan.tasks.get(number=4).counties.get(name="扬中市")

    html = content(staff_client.get(yangzhong.get_absolute_url()))

    assert f'<a href="{plan.get_absolute_url()}">2020年镇江市教育督导工作要点</a>' in html
    assert "扎实义务教育优质均衡发展创建" in html


@pytest.mark.parametrize("seed, expected", [("000", 10), ("001", 10), ("002", 9), ("003", 9), ("004", 10)])
def test_seeded_plan_detail_takes_the_pinned_number_of_queries(
    staff_client, seeded_plans, django_assert_num_queries, seed, expected
):
    # 10 to 28 tasks, 0 to 43 calendar lines, 0 to 17 projects: ten queries, or nine when the
    # plan has no calendar (Django skips prefetching the counties of no schedule entries).
    with django_assert_num_queries(expected):
        response = staff_client.get(seeded_plans[seed].get_absolute_url())
    assert response.status_code == 200


def test_standing_work_is_listed_once_above_the_month_table(staff_client, seeded_plans):
    html = content(staff_client.get(seeded_plans["000"].get_absolute_url()))

    standing = re.search(r'<div class="calendar-standing".*?</div>', html, re.S).group(0)
    periods = re.findall(r'<span class="period">(.*?)</span>', standing)
    assert "全年" in periods and "上半年和下半年" in periods
    table = html[html.index('class="table calendar-table') :]
    assert '<span class="period">全年</span>' not in table
    assert '<span class="period">8-9月</span>' in calendar_row(html, "calendar-month-8")
