"""The register's pages: what each role reaches, the import's two steps through the pages, and
list pages whose query counts do not grow with their rows."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from inspections.models import ChecklistAnswer, ChecklistItem, School, ZoneAssignment
from inspections.selectors import school_list, schools_shown
from inspections.templatetags.inspection_rows import checklist_rows, office_options, school_rows
from organisation.models import Office
from tests.inspections.builders import inspector_make, school_make, workbook, world, zone_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return world()


def _fill(county, count: int):
    inspector = inspector_make(county, f"督学{count}")
    schools = [school_make(county, f"{county.name}第{n}小学", is_central=n % 3 == 0) for n in range(count)]
    zone_make(county, f"责任区{count}", inspector=inspector, schools=schools[: count // 2])
    zone_make(county, f"空责任区{count}")


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path",
    [
        "/register/schools/",
        "/register/schools/?kind=primary&q=小学",
        "/register/inspectors/",
        "/register/zones/",
        "/register/coverage/",
    ],
)
def test_a_list_pages_queries_do_not_grow_with_its_rows(client, people, path):
    client.force_login(people["editor_a"])
    _fill(people["a1"], 5)
    small = _queries(client, path)
    _fill(people["a2"], 50)
    assert _queries(client, path) == small


def test_the_school_list_page_pins_its_queries(client, people, django_assert_num_queries):
    _fill(people["a1"], 5)
    client.force_login(people["editor_a"])
    client.get("/register/schools/")  # the session's first read
    # session, user, memberships, the register scope's offices, the filter's counties, the
    # count, the page, its open assignments
    with django_assert_num_queries(8):
        assert client.get("/register/schools/").status_code == 200


def test_a_county_user_of_another_county_sees_nothing_of_it(client, people):
    school = school_make(people["a2"], "二县小学")
    zone = zone_make(people["a2"], inspector=inspector_make(people["a2"]), schools=[school])
    client.force_login(people["county_a1"])
    for path in (
        f"/register/schools/{school.pk}/",
        f"/register/schools/{school.pk}/edit/",
        f"/register/schools/{school.pk}/close/",
        f"/register/zones/{zone.pk}/",
        f"/register/zones/{zone.pk}/schools/",
    ):
        assert client.get(path).status_code == 404, path
    for path in ("/register/schools/", "/register/zones/", "/register/inspectors/", "/register/coverage/"):
        body = client.get(path).content.decode()
        assert "二县小学" not in body and zone.name not in body and "甲二县" not in body, path


def test_a_viewer_reads_the_register_but_may_not_change_it(client, people):
    school = school_make(people["a1"], "一校")
    client.force_login(people["viewer_a"])
    assert client.get(f"/register/schools/{school.pk}/").status_code == 200
    assert client.get(f"/register/schools/{school.pk}/edit/").status_code == 403
    assert client.get("/register/schools/import/").status_code == 403
    assert client.post("/register/zones/new/", {"county": people["a1"].pk, "name": "x"}).status_code == 403


def test_a_county_user_imports_a_sheet_in_two_steps(client, people):
    client.force_login(people["county_a1"])
    assert client.get("/register/schools/template.xlsx").status_code == 200
    data = workbook([("", "城关小学", "小学", "公办", "是", "")])
    response = client.post("/register/schools/import/", {"file": SimpleUploadedFile("名册.xlsx", data)})
    assert "导入这些学校" in response.content.decode()
    assert not School.objects.exists()
    token = response.context["token"]
    response = client.post("/register/schools/import/confirm/", {"token": token})
    assert response.status_code == 302
    assert School.objects.get().name == "城关小学"
    # The same token does not import twice.
    client.post("/register/schools/import/confirm/", {"token": token})
    assert School.objects.count() == 1


def test_a_sheet_with_errors_shows_them_and_offers_no_import(client, people):
    client.force_login(people["county_a1"])
    data = workbook([("", "城关小学", "大学")])
    body = client.post("/register/schools/import/", {"file": SimpleUploadedFile("名册.xlsx", data)}).content.decode()
    assert "第 2 行" in body and "导入这些学校" not in body


def test_closing_and_assigning_through_the_pages(client, people):
    a1 = people["a1"]
    school, other = school_make(a1, "一校"), school_make(a1, "二校")
    inspector = inspector_make(a1)
    client.force_login(people["county_a1"])
    response = client.post("/register/zones/new/", {"county": a1.pk, "name": "城关责任区"})
    zone = a1.inspector_zones.get()
    assert response.status_code == 302
    client.post(f"/register/zones/{zone.pk}/", {"inspector": inspector.pk, "on": "2026-03-02"})
    client.post(f"/register/zones/{zone.pk}/schools/", {"schools": [school.pk, other.pk], "on": "2026-03-02"})
    assert ZoneAssignment.objects.filter(zone=zone, ended_on=None, inspector=inspector).count() == 2
    client.post(f"/register/schools/{other.pk}/close/", {"on": "2026-03-09", "merged_into": school.pk})
    other.refresh_from_db()
    assert other.status == School.Status.MERGED
    assert "一校" in client.get(f"/register/schools/{other.pk}/").content.decode()


def test_date_fields_show_their_day_as_the_date_input_reads_it(client, people):
    from django.utils import timezone

    zone = zone_make(people["a1"])
    client.force_login(people["county_a1"])
    body = client.get(f"/register/zones/{zone.pk}/").content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in body


def test_a_second_open_school_of_the_same_name_is_refused_with_a_message(client, people):
    school_make(people["a1"], "城关小学")
    client.force_login(people["county_a1"])
    response = client.post(
        "/register/schools/new/",
        {"county": people["a1"].pk, "name": "城关小学", "kind": "primary", "ownership": "public"},
    )
    assert response.status_code == 200
    assert "本县已有同名的在办学校" in response.content.decode()
    assert School.objects.count() == 1


def test_the_admin_lists_and_shows_the_register(client, people):
    from tests.factories import UserFactory

    school = school_make(people["a1"], "一校")
    inspector = inspector_make(people["a1"])
    zone = zone_make(people["a1"], inspector=inspector, schools=[school])
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for path in (
        "/admin/inspections/school/",
        f"/admin/inspections/school/{school.pk}/change/",
        f"/admin/inspections/school/{school.pk}/history/",
        "/admin/inspections/inspector/",
        f"/admin/inspections/inspector/{inspector.pk}/change/",
        "/admin/inspections/inspectorzone/",
        f"/admin/inspections/inspectorzone/{zone.pk}/change/",
    ):
        assert client.get(path).status_code == 200, path


# The template's loop the school_rows tag replaced, kept as the reference for its markup.
_SCHOOL_LOOP = """{% load i18n %}{% for school in schools %}
      <tr>
        <td><a href="{{ school.get_absolute_url }}">{{ school.name }}</a>{% if school.is_central %} <span class="badge">{% translate "central" %}</span>{% endif %}</td>
        <td>{{ school.county.name }}</td>
        <td>{{ school.get_kind_display }}</td>
        <td>{{ school.get_ownership_display }}</td>
        <td>{{ school.get_status_display }}</td>
        {% with assignment=school.open_assignments.0 %}
        <td>{% if assignment %}<a href="{{ assignment.zone.get_absolute_url }}">{{ assignment.zone.name }}</a>{% else %}—{% endif %}</td>
        <td>{% if assignment.inspector %}{{ assignment.inspector.name }}{% elif school.is_open %}<span class="badge badge--muted">{% translate "none" %}</span>{% else %}—{% endif %}</td>
        {% endwith %}
      </tr>
      {% endfor %}"""  # noqa: E501


def test_the_school_rows_are_the_templates_loop_byte_for_byte(people):
    county = people["a1"]
    inspector = inspector_make(county, "王<督学>")
    held = [school_make(county, '中心<小学> & "一"', is_central=True), school_make(county, "二小")]
    zone_make(county, "责任区'甲'", inspector=inspector, schools=held[:1])
    zone_make(county, "无督学责任区", schools=held[1:])
    school_make(county, "三小")  # in no zone
    school_make(county, "四小", status=School.Status.CLOSED, status_date=datetime.date(2025, 7, 1))
    schools = schools_shown(school_list(user=people["editor_a"])[1])
    assert len(schools) >= 4

    for language in ("zh-hans", "en"):
        with translation.override(language):
            expected = engines["django"].from_string(_SCHOOL_LOOP).render({"schools": schools})
            assert school_rows(schools) == expected


# The template's loop the checklist_rows tag replaced (inspection_detail.html).
_CHECKLIST_LOOP = """{% for item in checklist %}
        {% ifchanged item.section %}{% if item.section %}<tr class="checklist-table__section"><th scope="rowgroup" colspan="{{ columns }}">{{ item.section }}</th></tr>{% endif %}{% endifchanged %}
        <tr>
          <td>{{ item.position }}. {{ item.title }}</td>
          <td>{{ item.guidance|linebreaksbr }}</td>
          <td>{{ item.evidence|linebreaksbr }}</td>
          {% for answer in item.answers_in_order %}<td>{% if answer %}<span class="badge rating--{{ answer.rating }}"{% if answer.text %} title="{{ answer.text }}"{% endif %}>{{ answer.get_rating_display }}</span>{% else %}<span class="muted">—</span>{% endif %}</td>{% endfor %}
        </tr>
        {% endfor %}"""  # noqa: E501


def test_the_checklist_rows_are_the_templates_loop_byte_for_byte():
    odd = "<b>\"甲\" & '乙'</b>"
    ratings = list(ChecklistAnswer.Rating.values)
    items = []
    for n, section in enumerate(["", "一、组织<领导>", "一、组织<领导>", "", "二、保障", "二、保障"], start=1):
        item = ChecklistItem(
            position=n, section=section, title=f"{odd}{n}", guidance=f"看\n{odd}\r\n第三行", evidence=""
        )
        item.answers_in_order = [
            None if (n + k) % 3 == 0 else ChecklistAnswer(rating=ratings[(n + k) % len(ratings)], text=odd * (k % 2))
            for k in range(3)
        ]
        items.append(item)

    for language in ("zh-hans", "en"):
        with translation.override(language):
            expected = engines["django"].from_string(_CHECKLIST_LOOP).render({"checklist": items, "columns": 6})
            assert checklist_rows(items, 6) == expected
            assert checklist_rows([], 6) == ""


# The template's loop the plan_inspection_rows tag replaced (plan_detail.html).
_PLAN_INSPECTIONS_LOOP = """{% for number, title, inspection in carried %}
        <tr>
          <td>{% if number %}<a href="#task-{{ number }}">{{ number }}. {{ title|truncatechars:40 }}</a>{% else %}—{% endif %}</td>
          <td><a href="{{ inspection.get_absolute_url }}">{{ inspection.title }}</a> <span class="muted">{{ inspection.get_kind_display }}</span></td>
          <td><time datetime="{{ inspection.starts_on|date:'Y-m-d' }}">{{ inspection.starts_on|date:"Y-m-d" }}</time></td>
          <td><span class="badge badge--{{ inspection.status }}">{{ inspection.get_status_display }}</span></td>
        </tr>
        {% endfor %}"""  # noqa: E501


def test_a_plans_inspection_rows_are_the_templates_loop_byte_for_byte():
    from inspections.models import Inspection
    from inspections.templatetags.inspection_tags import plan_inspection_rows

    odd = "<b>\"甲\" & '乙'</b>"
    kinds, stages = list(Inspection.Kind.values), list(Inspection.Status.values)
    carried = [
        (
            n if n % 3 else None,
            f"{odd}关于开展义务教育优质均衡发展督导评估工作的任务{n}" * (n % 2 + 1),
            Inspection(
                pk=40 + n,
                title=f"{odd}{n}",
                kind=kinds[n % len(kinds)],
                status=stages[n % len(stages)],
                starts_on=datetime.date(2026, n, 9) if n % 4 else None,
            ),
        )
        for n in range(1, 9)
    ]

    for language in ("zh-hans", "en"):
        with translation.override(language):
            expected = (
                engines["django"].from_string("{% load i18n %}" + _PLAN_INSPECTIONS_LOOP).render({"carried": carried})
            )
            assert plan_inspection_rows(carried) == expected
            assert plan_inspection_rows([]) == ""


def test_the_office_options_are_the_templates_loop_byte_for_byte():
    loop = (
        '{% for choice in offices %}<option value="{{ choice.pk }}"{% if choice.pk == office.pk %} selected{% endif %}>'
        "{{ choice.name }}</option>{% endfor %}"
    )
    offices = [Office(pk=n, name=name) for n, name in enumerate(["甲市", '<乙> & "丙"', "丁'区"], start=7)]

    for chosen in offices:
        expected = engines["django"].from_string(loop).render({"offices": offices, "office": chosen})
        assert office_options(offices, chosen) == expected


def test_the_register_forms_write_their_controls_as_djangos_widgets_do(client, zone, monkeypatch):
    """The forms' shared include writes each control with the `control` tag: every page using it
    is the same byte for byte as with Django's widget templates, empty and refused."""
    import re

    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from plans.templatetags import plan_editing

    school = zone.assignments.first().school
    client.force_login(get_user_model().objects.get(username="county_a1"))
    pages = [
        ("get", reverse("inspections:zone_detail", args=[zone.pk]), None),
        ("post", reverse("inspections:zone_detail", args=[zone.pk]), {"inspector": "x", "on": "昨天"}),
        ("get", reverse("inspections:zone_create"), None),
        ("get", reverse("inspections:zone_edit", args=[zone.pk]), None),
        ("get", reverse("inspections:school_create"), None),
        ("post", reverse("inspections:school_create"), {"name": "", "kind": "nonsense"}),
        ("get", reverse("inspections:school_edit", args=[school.pk]), None),
        ("get", reverse("inspections:school_close", args=[school.pk]), None),
        ("get", reverse("inspections:inspector_create"), None),
        ("get", reverse("inspections:inspector_edit", args=[zone.inspector_id]), None),
    ]

    def read():
        answers = [getattr(client, method)(url, data) for method, url, data in pages]
        return [
            (a.status_code, re.sub(rb'(name="csrfmiddlewaretoken" value="|nonce=")[^"]+"', rb"\\1", a.content))
            for a in answers
        ]

    ours = read()
    monkeypatch.setattr(plan_editing, "_control", lambda spec, field, attrs: str(field.as_widget(attrs=attrs)))
    djangos = read()

    assert [status for status, _ in ours] == [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]
    assert all(b"<select" in page or b"<input" in page for _, page in ours)
    for (_, page), (_, by_django), (_, url, _) in zip(ours, djangos, pages, strict=True):
        assert page == by_django, url


# The include the visit_status tag replaced (_visit_status.html), with its file's last newline.
_VISIT_STATUS_INCLUDE = '{% load i18n %}{% if row.status == "visited" %}<span class="badge badge--accepted">{% translate "Visited" %}</span> {% for visit in row.visits %}<a href="{{ visit.get_absolute_url }}"><time datetime="{{ visit.visited_on|date:\'Y-m-d\' }}">{{ visit.visited_on|date:"n月j日" }}</time>{% if show_inspector %} · {{ visit.inspector.name }}{% endif %}</a>{% if not forloop.last %}、{% endif %}{% endfor %}{% elif row.status == "overdue" %}<span class="badge badge--overdue">{% translate "Overdue" %}</span> {% blocktranslate with due=row.obligation.due_date|date:"n月j日" %}was due by {{ due }}{% endblocktranslate %}{% elif row.status == "due" %}<span class="badge badge--soon">{% translate "Not yet visited" %}</span> {% blocktranslate with due=row.obligation.due_date|date:"n月j日" %}due by {{ due }}{% endblocktranslate %}{% else %}<span class="badge badge--muted">{% translate "Not yet visited" %}</span>{% if not row.obligation %} <span class="muted">{% translate "no visit due this month" %}</span>{% endif %}{% endif %}\n'  # noqa: E501


def test_a_schools_month_of_visits_is_the_includes_byte_for_byte():
    from types import SimpleNamespace

    from inspections.models import Inspector, Visit
    from inspections.templatetags.inspection_rows import visit_status

    odd = "<b>\"甲\" & '乙'</b>"
    visits = [
        Visit(pk=7 + n, visited_on=datetime.date(2026, 11, 3 + n), inspector=Inspector(name=f"{odd}{n}"))
        for n in range(3)
    ]
    due = SimpleNamespace(due_date=datetime.date(2026, 11, 30))
    rows = [
        SimpleNamespace(status="visited", visits=visits, obligation=due),
        SimpleNamespace(status="visited", visits=visits[:1], obligation=None),
        SimpleNamespace(status="overdue", visits=[], obligation=due),
        SimpleNamespace(status="due", visits=[], obligation=SimpleNamespace(due_date=datetime.date(2027, 1, 9))),
        SimpleNamespace(status="none", visits=[], obligation=None),
        SimpleNamespace(status="none", visits=[], obligation=due),
    ]
    include = engines["django"].from_string(_VISIT_STATUS_INCLUDE)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for row in rows:
                for show_inspector in (False, True):
                    context = {"row": row, "show_inspector": show_inspector}
                    assert visit_status(row, show_inspector) == include.render(context), (row.status, show_inspector)
