"""Drafting in the browser: starting a plan (blank or copied from last year's), the edit page's
services, forms and buttons, and who may use them."""

import datetime
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from organisation.models import County, Membership, Office, Region
from plans.models import ScheduleEntry, Task, WorkPlan
from plans.selectors.history import plan_action_logs
from plans.services import plan_snapshot, work_plan_publish, work_plan_revise, work_plan_submit
from plans.services.editing import work_plan_copy, work_plan_create, work_plan_update
from tests.factories import (
    OfficeFactory,
    ScheduleEntryFactory,
    UserFactory,
    staff_user_create,
    work_plan_build,
)
from tests.test_pages import assert_queries_independent_of_size

pytestmark = pytest.mark.django_db

Status = WorkPlan.Status


# --- Reading the edit page's form as a browser sends it -----------------------------------------


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside, self.skip, self.fields = False, 0, []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self.skip += 1
        if self.skip:
            return
        if tag == "form" and "plan-editor" in (attrs.get("class") or ""):
            self.inside = True
        if not self.inside or not attrs.get("name") and tag != "option":
            return
        name = attrs.get("name")
        if tag == "input" and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") != "checkbox" or "checked" in attrs:
                self.fields.append([name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")])
        elif tag == "textarea":
            self._textarea = [name, ""]
            self.fields.append(self._textarea)
        elif tag == "select":
            self._select = [name, None]
            self.fields.append(self._select)
        elif tag == "option" and self._select is not None and (self._select[1] is None or "selected" in attrs):
            self._select[1] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "template":
            self.skip -= 1
        elif tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def form_data(response, **changes) -> dict:
    """The edit form as a browser would post it, with `changes` ({field name: value})."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in reader.fields:
        value = value[1:] if value.startswith("\n") else value
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return data


def outline(data, kind) -> list[str]:
    return [value[2:] for value in data["outline"] if value.startswith(f"{kind}:")]


@pytest.fixture
def office():
    return OfficeFactory(name="郑州市人民政府教育督导委员会办公室", region=Region.objects.get(code="410100"))


@pytest.fixture
def editor(office):
    return staff_user_create(office=office, user=UserFactory(username="editor"))


@pytest.fixture
def draft(office):
    counties = list(County.objects.filter(name__in=["金水区", "管城回族区"]))
    return work_plan_build(
        tasks=4,
        counties=counties,
        office=office,
        status=Status.DRAFT,
        title="2025年郑州市教育督导工作要点",
        doc_number="",
    )


def edit_url(plan) -> str:
    return reverse("plans:plan_edit", args=[plan.pk])


# --- Starting a plan -------------------------------------------------------------------------------


def test_copying_last_years_plan_carries_its_content_into_the_next_year(office, editor):
    county = County.objects.get(name="金水区")
    source = work_plan_build(
        tasks=3,
        counties=[county],
        office=office,
        plan_year=2024,
        title="2024年郑州市教育督导工作要点",
        issue_date=datetime.date(2024, 2, 29),
        imprint="郑州市教育局办公室 2024年3月1日印发",
    )
    ScheduleEntryFactory(plan=source, task=None, position=4, period="2024年12月", month_set=(12,), text="完成年度考核")

    copy = work_plan_copy(source=source, acting_user=editor)

    assert (copy.plan_year, copy.status, copy.doc_number) == (2025, Status.DRAFT, "")
    assert copy.title == "2025年郑州市教育督导工作要点"
    assert copy.issue_date == datetime.date(2025, 2, 28)
    assert copy.imprint == "郑州市教育局办公室 2025年3月1日印发"
    old, new = plan_snapshot(source), plan_snapshot(copy)
    assert [t["title"] for t in new["tasks"]] == [t["title"] for t in old["tasks"]]
    assert [t["counties"] for t in new["tasks"]] == [t["counties"] for t in old["tasks"]]
    assert [(e["months"], e["text"]) for e in new["entries"]] == [(e["months"], e["text"]) for e in old["entries"]]
    assert new["entries"][-1]["period"] == "2025年12月"
    assert not {t["key"] for t in new["tasks"]} & {t["key"] for t in old["tasks"]}
    assert copy.county_index.filter(county=county).exists()
    event = plan_action_logs(plan_ids=[copy.pk]).get()
    assert (event.action_type, event.user) == ("plans.plan.created", editor)
    assert source.tasks.count() == 3  # the source is untouched


def test_a_copy_flags_every_text_that_still_names_an_earlier_year(client, office, editor):
    source = work_plan_build(tasks=3, office=office, plan_year=2017, title="2017年郑州市教育督导工作要点")
    first, second, third = source.tasks.order_by("number")
    first.text = "2017年底前完成全部县区督导评估。"
    first.save()
    second.title = "落实《2016-2020年教育督导规划》"
    second.save()
    third.text = "2021-2030年的长期规划继续实施，二〇二七年重点推进。"  # reaches the plan's year: not flagged
    third.save()
    section = source.sections.get()
    section.text = "总结二〇一七年工作。"
    section.save()
    ScheduleEntryFactory(
        plan=source, task=None, position=9, period="12月", month_set=(12,), text="报送2017年度工作总结"
    )

    copy = work_plan_copy(source=source, plan_year=2027, acting_user=editor)
    client.force_login(editor)
    html = client.get(edit_url(copy)).content.decode()

    keys = plan_snapshot(copy)
    tasks = {t["number"]: t["key"] for t in keys["tasks"]}
    assert "有 4 处文字提到 2027 年以前的年份" in html
    assert f'<a href="#s-{keys["sections"][0]["key"]}">一、主要工作</a>：二〇一七年' in html
    assert f'<a href="#t-{tasks[1]}">' in html and "：2017年</li>" in html
    assert f'<a href="#t-{tasks[2]}">' in html and "：2016-2020年</li>" in html
    assert f'<a href="#t-{tasks[3]}">' not in html
    assert f'<a href="#e-{keys["entries"][-1]["key"]}">12月：报送2017年度工作总结</a>' in html
    # Each link leads to an element of the page.
    assert f'id="t-{tasks[1]}"' in html and f'id="e-{keys["entries"][-1]["key"]}"' in html


def test_a_plan_naming_only_its_own_year_has_no_year_warning(client, office, editor):
    plan = work_plan_build(tasks=1, office=office, plan_year=2027, status=Status.DRAFT, doc_number="")
    task = plan.tasks.get()
    task.text = "2027年底前完成。"
    task.save()
    client.force_login(editor)

    assert "year-mentions" not in client.get(edit_url(plan)).content.decode()


def test_copying_into_a_year_that_already_has_that_plan_is_refused(office, editor, draft):
    work_plan_copy(source=draft, acting_user=editor)

    with pytest.raises(ValidationError) as caught:
        work_plan_copy(source=draft, acting_user=editor)

    assert caught.value.code == "year_taken"
    assert WorkPlan.objects.filter(office=office, plan_year=draft.plan_year + 1).count() == 1


def test_a_blank_plan_is_a_draft_logged_as_created(office, editor):
    plan = work_plan_create(office=office, plan_year=2026, title="2026年工作要点", acting_user=editor)

    assert (plan.status, plan.version, plan.created_by) == (Status.DRAFT, 1, editor)
    assert plan_action_logs(plan_ids=[plan.pk]).get().action_type == "plans.plan.created"
    assert plan.history.first().history_user == editor


def test_the_copy_page_offers_the_offices_latest_plan(client, office, editor):
    work_plan_build(tasks=1, office=office, plan_year=2023)
    latest = work_plan_build(tasks=1, office=office, plan_year=2024)
    work_plan_build(tasks=1, office=OfficeFactory(), plan_year=2030)  # not theirs
    client.force_login(editor)

    response = client.get(reverse("plans:plan_copy"))

    assert response.status_code == 200
    assert response.context["copy_form"].initial["source"] == latest.pk
    assert len(response.context["copy_form"].fields["source"].choices) == 2


def test_copying_from_the_page_opens_the_new_draft_for_editing(client, office, editor):
    source = work_plan_build(tasks=2, office=office, plan_year=2024, title="2024年工作要点")
    client.force_login(editor)

    response = client.post(reverse("plans:plan_copy"), {"source": source.pk, "plan_year": ""})

    copy = WorkPlan.objects.get(office=office, plan_year=2025)
    assert response.status_code == 302 and response.url == edit_url(copy)
    assert copy.tasks.count() == 2


def test_a_blank_plan_cannot_be_created_for_another_office(client, editor):
    client.force_login(editor)
    other = OfficeFactory()

    response = client.post(reverse("plans:plan_create"), {"office": other.pk, "plan_year": 2026, "title": "x"})

    assert response.status_code == 400
    assert not WorkPlan.objects.filter(office=other).exists()


# --- Saving a draft (the service) ------------------------------------------------------------------


def _content(plan) -> dict:
    snapshot = plan_snapshot(plan)
    return {
        "plan": snapshot["plan"],
        "sections": snapshot["sections"],
        "tasks": snapshot["tasks"],
        "entries": snapshot["entries"],
    }


def test_saving_renumbers_tasks_gap_free_and_keeps_the_ids_of_those_kept(editor, draft):
    ids = list(draft.tasks.order_by("number").values_list("pk", flat=True))
    content = _content(draft)
    tasks = content["tasks"]
    new = {**tasks[0], "key": "0b9c1b8e-5a7d-4a43-9a3c-3b1f6c2f4e11", "title": "新增任务", "text": "", "counties": []}
    content["tasks"] = [tasks[3], tasks[0], new, tasks[2]]  # 2 removed, 4 first, one added
    content["entries"] = [e for e in content["entries"] if e["task"] != tasks[1]["key"]]

    plan = work_plan_update(plan=draft, content=content, expected_version=draft.version, acting_user=editor)

    rows = list(Task.objects.filter(plan=plan).order_by("number"))
    assert [t.number for t in rows] == [1, 2, 3, 4]
    assert [t.label for t in rows] == ["1.", "2.", "3.", "4."]
    assert [t.pk for t in rows[:2]] + [rows[3].pk] == [ids[3], ids[0], ids[2]]
    assert rows[2].title == "新增任务" and rows[2].text == "新增任务"
    assert str(rows[2].key) != new["key"]  # a new row's key is the server's
    assert not Task.objects.filter(pk=ids[1]).exists()
    assert plan.version == 2
    assert Task.history.filter(id=rows[2].pk).first().history_user == editor


def test_a_save_based_on_an_older_version_is_refused_and_changes_nothing(editor, draft):
    content = _content(draft)
    content["plan"]["title"] = "别人的修改"
    work_plan_update(plan=draft, content=content, expected_version=1, acting_user=editor)

    mine = _content(draft)
    mine["plan"]["title"] = "我的修改"
    with pytest.raises(ValidationError) as caught:
        work_plan_update(plan=draft, content=mine, expected_version=1, acting_user=editor)

    assert caught.value.code == "stale"
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("别人的修改", 2)


def test_only_a_draft_is_saved(editor, draft):
    work_plan_submit(plan=draft, acting_user=editor)
    draft.refresh_from_db()

    with pytest.raises(ValidationError) as caught:
        work_plan_update(plan=draft, content=_content(draft), expected_version=draft.version, acting_user=editor)

    assert caught.value.code == "not_draft"


def test_sections_are_relabelled_in_order_and_their_tasks_follow(editor, draft):
    content = _content(draft)
    first = content["sections"][0]
    second = {"key": "5f0c4a59-6a5e-4c43-8c0a-1b6a3e7b2d10", "level": 2, "heading": "督学工作", "text": ""}
    third = {"key": "6f0c4a59-6a5e-4c43-8c0a-1b6a3e7b2d10", "level": 1, "heading": "保障措施", "text": ""}
    content["sections"] = [first, second, third]
    content["tasks"][0]["section"] = third["key"]

    work_plan_update(plan=draft, content=content, expected_version=1, acting_user=editor)

    sections = list(draft.sections.order_by("position"))
    assert [s.label for s in sections] == ["一、", "（一）", "二、"]
    assert sections[1].parent == sections[0]
    moved = Task.objects.get(plan=draft, key=content["tasks"][0]["key"])
    assert (moved.section, moved.number) == (sections[2], 4)


def test_an_unchanged_calendar_keeps_its_positions(editor, draft):
    before = list(ScheduleEntry.objects.filter(plan=draft).order_by("position").values_list("pk", "position"))

    work_plan_update(plan=draft, content=_content(draft), expected_version=1, acting_user=editor)

    assert list(ScheduleEntry.objects.filter(plan=draft).order_by("position").values_list("pk", "position")) == before


def test_editing_a_revision_keeps_task_ids_through_publishing(office, editor):
    reviewer = staff_user_create(office=office, role=Membership.Role.REVIEWER)
    plan = work_plan_build(tasks=3, office=office, status=Status.DRAFT)
    work_plan_submit(plan=plan, acting_user=editor)
    plan = work_plan_publish(plan=plan, acting_user=reviewer)
    ids = list(plan.tasks.order_by("number").values_list("pk", flat=True))
    revision = work_plan_revise(plan=plan, acting_user=editor)
    content = _content(revision)
    content["tasks"] = [content["tasks"][2], content["tasks"][0], content["tasks"][1]]
    content["tasks"][0]["title"] = "提前的第三项"

    work_plan_update(plan=revision, content=content, expected_version=revision.version, acting_user=editor)
    work_plan_submit(plan=revision, acting_user=editor)
    work_plan_publish(plan=revision, acting_user=reviewer, note="调整顺序")

    rows = list(Task.objects.filter(plan=plan).order_by("number"))
    assert [t.pk for t in rows] == [ids[2], ids[0], ids[1]]
    assert rows[0].title == "提前的第三项"


# --- The edit page ------------------------------------------------------------------------------------


def test_the_edit_page_saves_what_was_typed(client, editor, draft):
    client.force_login(editor)
    page = client.get(edit_url(draft))
    key = outline(form_data(page), "t")[0]

    data = form_data(
        page,
        **{
            f"t-{key}-title": "改写的任务",
            f"t-{key}-counties": "管城区 金水区",
            "plan-doc_number": "郑教督〔2025〕3号",
            "op": "save",
        },
    )
    response = client.post(edit_url(draft), data)

    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    draft.refresh_from_db()
    task = draft.tasks.get(number=1)
    assert (task.title, draft.doc_number, draft.version) == ("改写的任务", "郑教督〔2025〕3号", 2)
    assert sorted(task.counties.values_list("name", flat=True)) == ["管城回族区", "金水区"]


def test_an_unreadable_period_is_an_error_next_to_its_field_and_keeps_what_was_typed(client, editor, draft):
    client.force_login(editor)
    page = client.get(edit_url(draft))
    entry = outline(form_data(page), "e")[0]
    task = outline(form_data(page), "t")[1]

    response = client.post(
        edit_url(draft),
        form_data(page, **{f"e-{entry}-period": "明年某时", f"t-{task}-title": "保留我输入的标题", "op": "save"}),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "无法识别时间“明年某时”" in html
    assert f'id="id_e-{entry}-period_errors"' in html
    assert 'aria-invalid="true"' in html and "保留我输入的标题" in html and 'value="明年某时"' in html
    draft.refresh_from_db()
    assert draft.version == 1


def test_the_page_shows_what_a_period_was_read_as(client, editor, draft):
    client.force_login(editor)
    page = client.get(edit_url(draft))
    entry = outline(form_data(page), "e")[0]

    response = client.post(edit_url(draft), form_data(page, **{f"e-{entry}-period": "3月上旬", "op": "check"}))

    assert response.status_code == 200
    # One numeral style: not "三月 · 截止 三月10日".
    assert "读作：3月 · 截止 3月10日" in response.content.decode()
    draft.refresh_from_db()
    assert draft.version == 1  # checking saves nothing


def test_unknown_county_names_are_an_error_next_to_the_field(client, editor, draft):
    client.force_login(editor)
    page = client.get(edit_url(draft))
    task = outline(form_data(page), "t")[0]

    response = client.post(edit_url(draft), form_data(page, **{f"t-{task}-counties": "金水区、火星区", "op": "save"}))

    assert response.status_code == 400
    assert "不是本单位所辖县（市、区）：火星区。" in response.content.decode()


def test_the_buttons_add_remove_and_move_without_saving(client, editor, draft):
    client.force_login(editor)
    data = form_data(client.get(edit_url(draft)))
    first, second, third, fourth = outline(data, "t")

    data = form_data(client.post(edit_url(draft), {**data, "op": f"task-after:{first}"}))
    added = outline(data, "t")[1]
    data[f"t-{added}-title"] = ["插入的任务"]
    data = form_data(client.post(edit_url(draft), {**data, "op": f"task-remove:{third}"}))
    data = form_data(client.post(edit_url(draft), {**data, "op": f"task-up:{fourth}"}))
    assert outline(data, "t") == [first, added, fourth, second]
    assert data[f"t-{added}-title"] == ["插入的任务"]
    draft.refresh_from_db()
    assert draft.version == 1

    response = client.post(edit_url(draft), {**data, "op": "save"})

    assert response.status_code == 302
    titles = list(draft.tasks.order_by("number").values_list("number", "title"))
    assert [number for number, _title in titles] == [1, 2, 3, 4]
    assert titles[1][1] == "插入的任务"


def test_a_blank_added_task_is_left_out_when_saving(client, editor, draft):
    client.force_login(editor)
    data = form_data(client.get(edit_url(draft)))
    data = form_data(client.post(edit_url(draft), {**data, "op": "section-add"}))
    data = form_data(client.post(edit_url(draft), {**data, "op": f"task-after:{outline(data, 't')[0]}"}))

    response = client.post(edit_url(draft), {**data, "op": "save"})

    assert response.status_code == 302
    assert (draft.tasks.count(), draft.sections.count()) == (4, 1)


def test_a_save_from_an_older_page_says_so_and_links_the_newer_version(client, editor, draft):
    client.force_login(editor)
    page = client.get(edit_url(draft))
    assert (
        client.post(edit_url(draft), form_data(page, **{"plan-title": "先保存的标题", "op": "save"})).status_code == 302
    )

    response = client.post(edit_url(draft), form_data(page, **{"plan-title": "后保存的标题", "op": "save"}))

    assert response.status_code == 400
    html = response.content.decode()
    # The first save was the same user's, from the same page left open in another tab.
    assert "未保存：此计划已于" in html and "由您在另一个窗口或标签页保存" in html
    assert "他人" not in html
    assert f'href="{draft.get_absolute_url()}" target="_blank"' in html and "后保存的标题" in html
    draft.refresh_from_db()
    assert draft.title == "先保存的标题"


def test_a_save_after_a_colleagues_says_who_saved_and_when(client, office, editor, draft):
    colleague = staff_user_create(office=office, user=UserFactory(username="zhang", first_name="张三"))
    client.force_login(editor)
    page = client.get(edit_url(draft))
    client.force_login(colleague)
    assert (
        client.post(edit_url(draft), form_data(page, **{"plan-title": "张三的标题", "op": "save"})).status_code == 302
    )
    saved_at = WorkPlan.history.filter(id=draft.pk, version=2).get().history_date

    client.force_login(editor)
    response = client.post(edit_url(draft), form_data(page, **{"plan-title": "我的标题", "op": "save"}))

    assert response.status_code == 400
    html = response.content.decode()
    when = timezone.localtime(saved_at)
    assert f"张三 已于 {when.year}年{when.month}月{when.day}日 {when:%H:%M} 保存了它" in html
    assert "由您在另一个窗口" not in html


def test_a_published_plan_is_not_edited_but_sent_to_its_page(client, editor, office):
    plan = work_plan_build(tasks=1, office=office)
    client.force_login(editor)

    response = client.get(edit_url(plan))

    assert response.status_code == 302 and response.url == plan.get_absolute_url()


def test_viewers_and_other_offices_cannot_open_the_edit_page(client, office, draft):
    client.force_login(staff_user_create(office=office, role=Membership.Role.VIEWER))
    assert client.get(edit_url(draft)).status_code == 403
    client.force_login(staff_user_create())
    assert client.get(edit_url(draft)).status_code == 404
    assert client.get(reverse("plans:plan_edit_counties", args=[draft.pk]), {"q": "金"}).status_code == 404


def test_the_plan_page_and_list_link_to_editing_for_editors_only(client, office, editor, draft):
    client.force_login(editor)
    assert edit_url(draft) in client.get(draft.get_absolute_url()).content.decode()
    assert reverse("plans:plan_copy") in client.get(reverse("plans:plan_list")).content.decode()
    client.force_login(staff_user_create(office=office, role=Membership.Role.VIEWER))
    assert edit_url(draft) not in client.get(draft.get_absolute_url()).content.decode()
    assert reverse("plans:plan_copy") not in client.get(reverse("plans:plan_list")).content.decode()


def test_edit_page_queries_do_not_depend_on_plan_size(client, office, editor):
    client.force_login(editor)
    counties = list(County.objects.filter(city__code="410100")[:3])

    def make_url(size):
        plan = work_plan_build(tasks=size, counties=counties, office=office, status=Status.DRAFT, doc_number="")
        return edit_url(plan)

    # session, user, memberships; the plan; its content: sections, tasks, projects, calendar
    # lines and the counties of tasks and of lines.
    assert_queries_independent_of_size(client, make_url, expected=10, sizes=(10, 100))


# --- What the page asks as one types --------------------------------------------------------------------


def test_the_period_endpoint_reads_periods_as_people_write_them(client, editor):
    client.force_login(editor)
    url = reverse("plans:period_check")

    assert client.get(url, {"q": "8-9月"}).json()["months"] == [8, 9]
    assert client.get(url, {"q": "1月31日前"}).json()["deadline_day"] == 31
    assert client.get(url, {"q": "二季度"}).json()["months"] == [4, 5, 6]
    assert client.get(url, {"q": "全年"}).json()["months"] == list(range(1, 13))
    unread = client.get(url, {"q": "某个时候"}).json()
    assert unread["ok"] is False and "无法识别时间" in unread["error"]


def test_county_suggestions_find_short_and_older_names(client):
    luoyang = OfficeFactory(name="洛阳市教育督导室", region=Region.objects.get(code="410300"))
    user = staff_user_create(office=luoyang)
    plan = work_plan_build(tasks=1, office=luoyang, status=Status.DRAFT)
    client.force_login(user)
    url = reverse("plans:plan_edit_counties", args=[plan.pk])

    assert client.get(url, {"q": "孟津县"}).json()["results"] == ["孟津区"]
    assert client.get(url, {"q": "瀍河区"}).json()["results"] == ["瀍河回族区"]
    assert "金水区" not in client.get(url, {"q": "金"}).json()["results"]


def test_office_suggestions_find_offices_by_their_names_and_aliases_once_each_in_order(client):
    jiangsu = Region.objects.get(code="321100")
    renamed = OfficeFactory(name="镇江市人民政府教育督导委员会办公室", region=jiangsu)
    renamed.aliases.create(name="镇江市教育督导室")
    renamed.aliases.create(name="镇江市教育局督导室")
    OfficeFactory(name="镇江市京口区教育督导室")
    client.force_login(staff_user_create(office=renamed))
    url = reverse("plans:suggest", args=["offices"])

    # Found by its own name and by two aliases: named once.
    assert client.get(url, {"q": "镇江市"}).json()["results"] == [
        "镇江市京口区教育督导室",
        "镇江市人民政府教育督导委员会办公室",
    ]
    # By an old name only: the office as it is called now.
    assert client.get(url, {"q": "教育局督导"}).json()["results"] == ["镇江市人民政府教育督导委员会办公室"]
    assert client.get(url, {"q": "扬州"}).json()["results"] == []


def test_office_suggestions_stop_at_ten(client):
    for n in range(12):
        OfficeFactory(name=f"测试{n:02d}市教育督导室")
    client.force_login(staff_user_create())

    results = client.get(reverse("plans:suggest", args=["offices"]), {"q": "测试"}).json()["results"]

    assert results == [f"测试{n:02d}市教育督导室" for n in range(10)]


# --- The demo --------------------------------------------------------------------------------------------


def test_setup_demo_leaves_last_years_zhengzhou_plan_as_next_years_draft(capsys):
    call_command("setup_demo")
    call_command("setup_demo")

    office = Office.objects.get(name="郑州市人民政府教育督导委员会办公室")
    # The seed's year (setup_demo also publishes a copy of it for the current year).
    source = WorkPlan.objects.filter(office=office, status=Status.PUBLISHED).order_by("plan_year").first()
    drafts = WorkPlan.objects.filter(office=office, plan_year=source.plan_year + 1)
    assert drafts.count() == 1
    assert drafts.get().status == Status.DRAFT and drafts.get().tasks.count() == source.tasks.count()
    assert f"plans/{drafts.get().pk}/edit/" in capsys.readouterr().out


# --- How the page writes its fields --------------------------------------------------------------


def _fields_both_ways(form):
    """Each field as the edit page writes it, and with its control rendered by Django's widget
    templates instead."""
    from plans.templatetags.plan_editing import _field, _Spec

    for name in form.fields:
        field = form[name]
        by_django = _Spec(field, None)
        by_django.static = None
        for options in ({}, {"autofocus": True, "suggest": "/counties/?a=1&b=2", "show_help": False}):
            yield name, _field(_Spec(field, None), field, **options), _field(by_django, field, **options)


def test_the_edit_pages_write_their_controls_as_djangos_widgets_write_them(office, draft):
    from plans.forms_editing import (
        EntryEditForm,
        PlanCopyForm,
        PlanCreateForm,
        PlanHeaderForm,
        SectionEditForm,
        TaskEditForm,
    )

    typed = 'a <b> & "c"\n第二行'
    forms_ = [
        SectionEditForm(prefix="s-1", initial={"level": 2, "heading": typed, "text": typed}),
        SectionEditForm({"s-2-level": "x", "s-2-heading": ""}, prefix="s-2"),
        TaskEditForm(prefix="t-1", initial={"title": typed, "counties": "金水区", "all_counties": True}),
        TaskEditForm({"t-2-title": typed, "t-2-all_counties": "on"}, prefix="t-2"),
        TaskEditForm({"t-3-title": ""}, prefix="t-3"),
        EntryEditForm(prefix="e-1", initial={"period": "3月", "text": typed, "lead_unit": "督导科"}),
        EntryEditForm({"e-2-period": "明年某时", "e-2-text": typed}, prefix="e-2"),
        PlanHeaderForm(
            prefix="plan", initial={"title": typed, "plan_year": 2025, "issue_date": datetime.date(2025, 3, 1)}
        ),
        PlanHeaderForm({"plan-title": "", "plan-plan_year": "1900", "plan-issue_date": "x"}, prefix="plan"),
        # The start page's forms let the browser check required fields.
        PlanCreateForm(offices=Office.objects.filter(pk=office.pk), initial={"office": office, "title": typed}),
        PlanCreateForm({"office": "0", "plan_year": ""}, offices=Office.objects.filter(pk=office.pk)),
        PlanCopyForm(sources=[draft], initial={"source": draft.pk}),
        PlanCopyForm({"source": "x"}, sources=[draft]),
    ]
    for form in forms_:
        form.is_valid()
        for name, written, djangos in _fields_both_ways(form):
            assert written == djangos, (form.prefix, name)


def test_the_edit_page_writes_unbound_fields_as_it_writes_bound_fields(client, editor, draft, monkeypatch):
    """An unbound form's fields are read without a BoundField each (`_Unbound`): the page is the
    same byte for byte as with Django's BoundFields, first opened and after a button."""
    from plans.templatetags import plan_editing

    client.force_login(editor)
    opened = client.get(edit_url(draft))
    data = form_data(opened)
    data["op"] = f"task-down:{outline(data, 't')[0]}"  # no new block: no new random key
    typed = client.post(edit_url(draft), data)
    monkeypatch.setattr(plan_editing, "_plain", lambda field: False)
    by_django = client.get(edit_url(draft))
    typed_by_django = client.post(edit_url(draft), data)

    assert opened.content.count(b'class="field') > 20
    for ours, djangos in ((opened, by_django), (typed, typed_by_django)):
        assert ours.status_code == djangos.status_code == 200
        assert _without_tokens(ours.content) == _without_tokens(djangos.content)


def _without_tokens(content: bytes) -> bytes:
    import re

    return re.sub(rb'(name="csrfmiddlewaretoken" value="|nonce=")[^"]+"', rb"\1", content)


def test_forms_of_one_page_keep_their_own_values_and_errors():
    from plans.forms_editing import EntryEditForm, period_reading

    wrong = EntryEditForm({"e-1-period": "明年某时", "e-1-text": "甲"}, prefix="e-1")
    right = EntryEditForm({"e-2-period": "3月", "e-2-text": "乙"}, prefix="e-2")
    blank = EntryEditForm(prefix="e-3")

    assert not wrong.is_valid() and right.is_valid()
    assert list(wrong.errors) == ["period"] and not right.errors and not blank.errors
    assert (right.cleaned_data["text"], blank["text"].value()) == ("乙", None)
    assert period_reading(right["period"].value())["months"] == [3]
    assert period_reading(wrong["period"].value()) is None


def test_a_period_read_twice_reads_the_same_and_each_reading_is_the_callers_own():
    from plans.forms_editing import period_reading

    first = period_reading("3-5月")
    first["months"].append(12)
    first["summary"] = "changed"

    assert period_reading("3-5月")["months"] == [3, 4, 5]
    assert period_reading("3-5月")["summary"] != "changed"
