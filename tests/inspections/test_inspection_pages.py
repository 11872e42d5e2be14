"""The inspections' pages per role: what the office's staff, the county visited, another county,
a viewer and the province reach; the forms that keep what was typed; the pages' query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import ChecklistAnswer, ChecklistTemplate, Inspection
from inspections.selectors import self_assessments
from inspections.services.checklists import self_assessment_save
from inspections.services.inspections import inspection_move
from tests.inspections.inspection_builders import inspection_make, inspection_world, self_assessment_started

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return inspection_world()


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _form_data(people, **overrides) -> dict:
    data = {
        "office": people["office"].pk,
        "kind": "special",
        "title": "2026年校园安全专项督导",
        "description": "检查校园安全工作。",
        "starts_on": "2026-04-13",
        "ends_on": "2026-04-17",
        "self_assessment_due": "2026-04-03",
        "tasks": [people["tasks"][0].pk],
        "counties": [people["a1"].pk, people["a2"].pk],
        "team-TOTAL_FORMS": "2",
        "team-INITIAL_FORMS": "0",
        "team-0-role": "leader",
        "team-0-name": "李组长",
        "team-0-unit": "甲市教育局",
        "team-1-role": "member",
        "team-1-name": "",
    }
    data.update(overrides)
    return data


# --- Creating and editing ------------------------------------------------------------------------


def test_staff_create_an_inspection_with_its_checklist_and_team(client, people):
    client.force_login(people["editor_a"])

    response = client.post("/inspections/new/", _form_data(people))

    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inspections/{inspection.pk}/"
    assert inspection.year == 2026 and inspection.created_by == people["editor_a"]
    assert list(inspection.tasks.all()) == [people["tasks"][0]]
    assert inspection.checklist.count() == 16
    assert list(inspection.team.values_list("role", "name", "unit")) == [("leader", "李组长", "甲市教育局")]


def test_the_form_offers_tasks_grouped_by_plan_and_the_offices_counties(client, people):
    client.force_login(people["editor_a"])

    html = _html(client.get("/inspections/new/"))

    assert '<optgroup label="2026 · 2026年甲市教育督导工作要点">' in html
    assert "1. 开展专项督导第1项" in html
    assert "甲一区" in html and "甲二县" in html and "乙一区" not in html


def test_a_refused_form_keeps_what_was_typed(client, people):
    client.force_login(people["editor_a"])

    html = _html(
        client.post(
            "/inspections/new/",
            _form_data(people, ends_on="2026-04-01", **{"team-1-role": "leader", "team-1-name": "王副组长"}),
        )
    )

    assert "实地督导结束日期不能早于开始日期" in html
    assert 'value="2026年校园安全专项督导"' in html
    assert 'value="王副组长"' in html
    assert not Inspection.objects.exists()


def test_two_leaders_are_refused_on_the_page(client, people):
    client.force_login(people["editor_a"])

    html = _html(client.post("/inspections/new/", _form_data(people, **{"team-1-role": "leader", "team-1-name": "王"})))

    assert "一次督导检查只能有一名组长" in html
    assert not Inspection.objects.exists()


def test_a_county_of_another_city_cannot_be_posted(client, people):
    client.force_login(people["editor_a"])

    html = _html(client.post("/inspections/new/", _form_data(people, counties=[people["b1"].pk])))

    assert not Inspection.objects.exists()
    assert "field--error" in html


@pytest.mark.parametrize("who", ["viewer_a", "county_a1", "editor_b", "province"])
def test_only_the_offices_editors_create_or_edit(client, people, who):
    inspection = inspection_make(people)
    client.force_login(people[who])

    if who in ("viewer_a", "province"):
        assert client.get("/inspections/new/").status_code == 403
    assert client.get(f"/inspections/{inspection.pk}/edit/").status_code in (403, 404)
    assert client.post(f"/inspections/{inspection.pk}/status/", {"to": "self_assessment"}).status_code in (403, 404)
    assert client.get(f"/inspections/{inspection.pk}/checklist/").status_code in (403, 404)


def test_the_edit_form_shows_the_team_and_saves_changes(client, people):
    inspection = inspection_make(people)
    client.force_login(people["editor_a"])
    html = _html(client.get(f"/inspections/{inspection.pk}/edit/"))
    assert 'value="李组长"' in html

    data = _form_data(people, title="改名", **{"team-TOTAL_FORMS": "1", "team-INITIAL_FORMS": "1"})
    data.pop("office")
    response = client.post(f"/inspections/{inspection.pk}/edit/", data)

    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.title == "改名"


# --- The inspection's page -----------------------------------------------------------------------


def test_staff_move_the_inspection_on_and_the_counties_are_asked(client, people):
    inspection = inspection_make(people)
    client.force_login(people["editor_a"])

    html = _html(client.get(f"/inspections/{inspection.pk}/"))
    assert "通知各县（市、区）开展自查自评" in html
    assert "开始实地督导" not in html

    response = client.post(f"/inspections/{inspection.pk}/status/", {"to": "self_assessment"}, follow=True)
    html = _html(response)
    assert "督导检查已转入“自查自评”阶段" in html
    assert self_assessments(inspection).count() == 2
    assert "0 / 16" in html


def test_a_refused_move_says_why(client, people):
    inspection = inspection_make(people)
    client.force_login(people["editor_a"])

    html = _html(client.post(f"/inspections/{inspection.pk}/status/", {"to": "on_site"}, follow=True))

    assert "请先通知自查自评，再开始实地督导" in html
    inspection.refresh_from_db()
    assert inspection.status == "preparing"


def test_the_page_links_the_plan_tasks(client, people):
    inspection = inspection_make(people)
    client.force_login(people["editor_a"])

    html = _html(client.get(f"/inspections/{inspection.pk}/"))

    assert f'href="/plans/{people["plan"].pk}/#task-1"' in html


def _answered(people) -> Inspection:
    inspection = self_assessment_started(people)
    first = inspection.checklist.first()
    self_assessment_save(
        inspection=inspection, county=people["a1"], answers={first.pk: ("met", "甲一已落实")}, acting_user=None
    )
    self_assessment_save(
        inspection=inspection, county=people["a2"], answers={first.pk: ("not_met", "甲二未落实")}, acting_user=None
    )
    return inspection


def test_staff_see_the_answers_of_every_county_side_by_side(client, people):
    inspection = _answered(people)
    client.force_login(people["viewer_a"])

    html = _html(client.get(f"/inspections/{inspection.pk}/"))

    table = html[html.index('class="table checklist-table"') :]
    assert '<th scope="col">甲一区</th>' in table and '<th scope="col">甲二县</th>' in table
    assert "rating--met" in table and "rating--not_met" in table


def test_a_county_sees_only_its_own_part(client, people):
    inspection = _answered(people)
    client.force_login(people["county_a1"])

    html = _html(client.get(f"/inspections/{inspection.pk}/"))

    assert "甲一区" in html
    assert "甲二县" not in html and "rating--not_met" not in html
    assert f"/self-assessment/{people['a2'].pk}/" not in html
    assert "通知各县" not in html


def test_another_countys_user_and_another_office_do_not_read_it(client, people):
    inspection = _answered(people)
    for who in ("editor_b",):
        client.force_login(people[who])
        assert client.get(f"/inspections/{inspection.pk}/").status_code == 404
    b_user = __import__("tests.factories", fromlist=["county_user_create"]).county_user_create(county=people["b1"])
    client.force_login(b_user)
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 404
    assert client.get(f"/inspections/{inspection.pk}/self-assessment/{people['a1'].pk}/").status_code == 404


def test_a_county_does_not_see_an_inspection_still_in_preparation(client, people):
    inspection = inspection_make(people)
    client.force_login(people["county_a1"])

    assert client.get(f"/inspections/{inspection.pk}/").status_code == 404
    assert "2026年春季开学专项督导" not in _html(client.get("/inspections/"))


def test_the_province_reads_the_inspection(client, people):
    inspection = _answered(people)
    client.force_login(people["province"])

    html = _html(client.get(f"/inspections/{inspection.pk}/"))

    assert "甲二县" in html
    assert "修改督导检查" not in html


# --- The list ------------------------------------------------------------------------------------


def test_the_list_filters_by_year_kind_status_and_county(client, people):
    inspection_make(people, counties=[people["a1"]], title="甲一专项")
    self_assessment_started(people, counties=[people["a2"]], title="甲二专项")
    client.force_login(people["editor_a"])

    assert "甲一专项" in _html(client.get(f"/inspections/?county={people['a1'].pk}"))
    assert "甲二专项" not in _html(client.get(f"/inspections/?county={people['a1'].pk}"))
    html = _html(client.get("/inspections/?status=self_assessment&kind=special&year=2026"))
    assert "甲二专项" in html and "甲一专项" not in html
    assert "没有符合条件的督导检查" in _html(client.get("/inspections/?year=2025"))
    assert "没有符合条件的督导检查" in _html(client.get("/inspections/?county=abc"))


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        _html(client.get(path))
    return len(queries)


@pytest.mark.parametrize("who", ["editor_a", "county_a1", "province"])
def test_the_list_and_page_queries_do_not_grow_with_the_rows(client, people, who):
    client.force_login(people[who])
    first = _answered(people)
    small = (_queries(client, "/inspections/"), _queries(client, f"/inspections/{first.pk}/"))
    for n in range(5):
        inspection = _answered(people) if n % 2 else inspection_make(people, title=f"第{n}次")
        if n % 2:
            inspection_move(inspection=inspection, to="on_site", acting_user=None)
    assert (_queries(client, "/inspections/"), _queries(client, f"/inspections/{first.pk}/")) == small


def test_the_list_page_pins_its_queries(client, people, django_assert_num_queries):
    for n in range(3):
        inspection_make(people, title=f"第{n}次")
    client.force_login(people["editor_a"])
    client.get("/inspections/")
    # session, user, memberships; the register scope's offices and the filter's counties; the
    # count, the page, its counties
    with django_assert_num_queries(8):
        _html(client.get("/inspections/"))


def test_the_inspection_page_pins_its_queries(client, people, django_assert_num_queries):
    inspection = _answered(people)
    client.force_login(people["editor_a"])
    client.get(f"/inspections/{inspection.pk}/")
    # session, user, memberships; the inspection; its counties, checklist, answers, obligations,
    # tasks, schools, team; its history
    with django_assert_num_queries(12):
        _html(client.get(f"/inspections/{inspection.pk}/"))


def test_the_menu_links_the_inspections_for_members(client, people):
    client.force_login(people["county_a1"])
    assert 'href="/inspections/"' in _html(client.get("/register/schools/"))


# --- The checklist and the templates -------------------------------------------------------------


def _checklist_post(items, extra=()) -> dict:
    rows = [*items, *extra]
    data = {"items-TOTAL_FORMS": str(len(rows)), "items-INITIAL_FORMS": str(len(items))}
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"items-{n}-{key}"] = value
    return data


def test_the_checklist_is_reordered_removed_and_added_to_in_one_form(client, people):
    inspection = inspection_make(people, kind="follow_up", due=None)
    [item] = inspection.checklist.all()
    client.force_login(people["editor_a"])
    assert "整改要求已落实到位" in _html(client.get(f"/inspections/{inspection.pk}/checklist/"))

    data = _checklist_post(
        [{"id": item.pk, "title": item.title, "ORDER": "2"}],
        [{"id": "", "section": "回头看", "title": "台账完整", "ORDER": "1"}],
    )
    response = client.post(f"/inspections/{inspection.pk}/checklist/", data)

    assert response.status_code == 302
    assert list(inspection.checklist.values_list("title", flat=True)) == ["台账完整", item.title]


def test_an_emptied_checklist_is_refused_and_kept(client, people):
    inspection = inspection_make(people, kind="follow_up", due=None)
    [item] = inspection.checklist.all()
    client.force_login(people["editor_a"])

    html = _html(
        client.post(
            f"/inspections/{inspection.pk}/checklist/",
            _checklist_post([{"id": item.pk, "title": "改了但删除", "ORDER": "1", "DELETE": "on"}]),
        )
    )

    assert "检查清单至少要有一项" in html
    assert "改了但删除" in html
    assert inspection.checklist.get().title == item.title


def test_the_template_page_offers_the_default_and_saves_the_offices_own(client, people):
    client.force_login(people["editor_a"])
    html = _html(client.get("/inspections/templates/"))
    assert "专项督导" in html and "使用默认清单" in html

    url = f"/inspections/templates/{people['office'].pk}/routine/"
    html = _html(client.get(url))
    assert "校务管理和制度执行" in html
    data = {"name": "挂牌督导清单", **_checklist_post([], [{"section": "安全", "title": "校门值守", "ORDER": "1"}])}
    assert client.post(url, data).status_code == 302

    template = ChecklistTemplate.objects.get(office=people["office"], kind="routine")
    assert list(template.items.values_list("section", "title")) == [("安全", "校门值守")]
    assert "挂牌督导清单" in _html(client.get("/inspections/templates/"))


@pytest.mark.parametrize("who", ["viewer_a", "editor_b", "county_a1"])
def test_others_do_not_edit_an_offices_template(client, people, who):
    client.force_login(people[who])

    assert client.get(f"/inspections/templates/{people['office'].pk}/routine/").status_code == 403


def test_an_unknown_kind_has_no_template_page(client, people):
    client.force_login(people["editor_a"])

    assert client.get(f"/inspections/templates/{people['office'].pk}/weekly/").status_code == 404


# --- The county's self-assessment ----------------------------------------------------------------


def _answer_post(inspection, ratings: dict) -> dict:
    data = {}
    for item in inspection.checklist.all():
        rating, text = ratings.get(item.position, ("", ""))
        data[f"rating_{item.pk}"] = rating
        data[f"text_{item.pk}"] = text
    return data


def test_the_county_answers_its_checklist(client, people):
    inspection = self_assessment_started(people)
    client.force_login(people["county_a1"])
    url = f"/inspections/{inspection.pk}/self-assessment/{people['a1'].pk}/"
    assert "保存自查自评" in _html(client.get(url))

    response = client.post(url, _answer_post(inspection, {1: ("met", "已建立制度"), 2: ("partly", "")}))

    assert response.status_code == 302
    assert ChecklistAnswer.objects.filter(county=people["a1"]).count() == 2
    html = _html(client.get(url))
    assert "已建立制度" in html and "已作答 2 / 16 项" in html


def test_the_obligation_page_shows_the_checklist_and_the_link_to_answer(client, people):
    inspection = _answered(people)
    obligation = self_assessments(inspection).get(county=people["a1"])
    client.force_login(people["county_a1"])

    html = _html(client.get(f"/assignments/{obligation.pk}/"))

    assert "自查自评清单" in html and "已作答 1 / 16 项" in html
    assert f"/inspections/{inspection.pk}/self-assessment/{people['a1'].pk}/" in html
    assert "rating--met" in html


def test_staff_read_a_countys_answers_but_do_not_change_them(client, people):
    inspection = _answered(people)
    client.force_login(people["editor_a"])
    url = f"/inspections/{inspection.pk}/self-assessment/{people['a2'].pk}/"

    html = _html(client.get(url))

    assert "甲二未落实" in html and "保存自查自评" not in html
    assert client.post(url, _answer_post(inspection, {1: ("met", "")})).status_code == 403


def test_a_county_does_not_answer_for_another(client, people):
    inspection = self_assessment_started(people)
    client.force_login(people["county_a1"])

    assert client.get(f"/inspections/{inspection.pk}/self-assessment/{people['a2'].pk}/").status_code == 404


def test_an_accepted_self_assessment_is_read_only(client, people):
    from django.utils import timezone

    inspection = _answered(people)
    self_assessments(inspection).filter(county=people["a1"]).update(
        state="accepted", acknowledged_at=timezone.now(), closed_at=timezone.now()
    )
    client.force_login(people["county_a1"])
    url = f"/inspections/{inspection.pk}/self-assessment/{people['a1'].pk}/"

    assert "保存自查自评" not in _html(client.get(url))
    assert client.post(url, _answer_post(inspection, {1: ("not_met", "")})).status_code == 403


# --- The plan's page -----------------------------------------------------------------------------


def test_the_plan_page_lists_the_inspections_carrying_out_its_tasks(client, people):
    inspection = self_assessment_started(people)
    client.force_login(people["editor_a"])

    html = _html(client.get(f"/plans/{people['plan'].pk}/"))

    section = html[html.index('class="card plan-inspections"') :]
    assert f'href="/inspections/{inspection.pk}/"' in section
    assert 'href="#task-1"' in section and "自查自评" in section


def test_the_plan_page_hides_an_inspection_the_reader_does_not_read(client, people):
    inspection_make(people)
    client.force_login(people["editor_b"])  # reads the issued plan, not the other office's inspection

    html = _html(client.get(f"/plans/{people['plan'].pk}/"))

    assert "plan-inspections" not in html


def test_a_plan_page_with_inspections_takes_one_query_more(client, people, django_assert_num_queries):
    from tests.factories import TaskFactory, WorkPlanFactory

    other = WorkPlanFactory(office=people["office"], plan_year=2026, title="没有督导检查的要点")
    TaskFactory(plan=other, number=1)
    self_assessment_started(people)
    client.force_login(people["editor_a"])
    client.get(other.get_absolute_url())
    with CaptureQueriesContext(connection) as without:
        html = _html(client.get(other.get_absolute_url()))
    plain = len(without)  # read now: the next request empties the connection's log
    assert "plan-inspections" not in html

    # The inspections and their tasks in one query, however many there are (both notices are
    # cached: their first reading is the same whether inspections carry out their tasks).
    for n in range(3):
        inspection_make(people, title=f"再一次{n}")
    client.get(f"/plans/{people['plan'].pk}/")
    with django_assert_num_queries(plain + 1):
        html = _html(client.get(f"/plans/{people['plan'].pk}/"))
    assert len(re.findall(r'href="/inspections/\d+/"', html)) == 4


def test_a_draft_revisions_page_lists_the_inspections_of_its_tasks(client, people):
    from plans.services import work_plan_revise

    inspection = self_assessment_started(people)
    revision = work_plan_revise(plan=people["plan"], acting_user=people["editor_a"])
    client.force_login(people["editor_a"])

    html = _html(client.get(revision.get_absolute_url()))

    section = html[html.index('class="card plan-inspections"') :]
    assert f'href="/inspections/{inspection.pk}/"' in section and 'href="#task-1"' in section


def test_the_history_lists_each_step_for_staff_only(client, people):
    inspection = _answered(people)
    client.force_login(people["editor_a"])
    html = _html(client.get(f"/inspections/{inspection.pk}/"))
    history = html[html.index('id="events-heading"') :]
    assert "创建了督导检查" in history and "督导检查转入下一阶段" in history and "填写了自查自评: 甲二县" in history

    client.force_login(people["county_a1"])
    assert 'id="events-heading"' not in _html(client.get(f"/inspections/{inspection.pk}/"))


@pytest.mark.parametrize(
    "path, data",
    [
        ("/inspections/new/", {"office": "x", "tasks": ["abc"], "team-TOTAL_FORMS": "x"}),
        ("/inspections/new/", {"team-TOTAL_FORMS": "1", "team-INITIAL_FORMS": "0", "team-0-user": "nobody"}),
        ("/inspections/{pk}/status/", {"to": "closed; drop table"}),
        (
            "/inspections/{pk}/checklist/",
            {
                "items-TOTAL_FORMS": "2",
                "items-INITIAL_FORMS": "0",
                "items-0-id": "99999999999",
                "items-0-title": "x",
                "items-0-ORDER": "a",
            },
        ),
        ("/inspections/{pk}/checklist/", {}),
        ("/inspections/templates/{office}/routine/", {"name": "", "items-TOTAL_FORMS": "1"}),
    ],
)
def test_nonsense_is_refused_and_nothing_is_written(client, people, path, data):
    inspection = inspection_make(people)
    before = (Inspection.objects.count(), inspection.checklist.count(), ChecklistTemplate.objects.count())
    client.force_login(people["editor_a"])

    response = client.post(path.format(pk=inspection.pk, office=people["office"].pk), data)

    assert response.status_code in (200, 302)
    inspection.refresh_from_db()
    assert inspection.status == "preparing"
    assert (Inspection.objects.count(), inspection.checklist.count(), ChecklistTemplate.objects.count()) == before


def test_nonsense_answers_are_refused_and_nothing_is_written(client, people):
    inspection = self_assessment_started(people)
    item = inspection.checklist.first()
    client.force_login(people["county_a1"])

    response = client.post(
        f"/inspections/{inspection.pk}/self-assessment/{people['a1'].pk}/", {f"rating_{item.pk}": "excellent"}
    )

    assert response.status_code == 200 and "field--error" in response.content.decode()
    assert not ChecklistAnswer.objects.exists()
