"""The inspections' reads: scoped by inspections.permissions, and in a number of queries that
does not grow with the inspections, counties, items or answers read."""

import pytest

from inspections.permissions import inspection_counties_shown
from inspections.selectors import (
    checklist_templates,
    inspection_choices,
    inspection_list,
    inspection_page,
    inspections_shown,
    plan_inspections,
)
from inspections.services.checklists import ItemData, checklist_template_save, self_assessment_save
from plans.services import work_plan_revise
from tests.inspections.builders import school_make
from tests.inspections.inspection_builders import inspection_make, inspection_world, self_assessment_started

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return inspection_world()


def _answer_all(inspection, county):
    self_assessment_save(
        inspection=inspection,
        county=county,
        answers={item.pk: ("met", "") for item in inspection.checklist.all()},
        acting_user=None,
    )


def test_the_list_reads_the_page_and_its_counties_in_two_queries(people, django_assert_num_queries):
    for n in range(4):
        inspection_make(people, title=f"第{n}次")
    user = people["editor_a"]
    _filterset, inspections = inspection_list(user=user, filters={"year": "2026"})

    with django_assert_num_queries(2):
        rows = [(i.title, [c.name for c in i.counties.all()], i.office.name) for i in inspections_shown(inspections)]

    assert len(rows) == 4 and rows[0][1] == ["甲一区", "甲二县"]


def test_the_list_is_none_for_bad_filters(people):
    inspection_make(people)

    filterset, inspections = inspection_list(user=people["editor_a"], filters={"kind": "weekly"})

    assert filterset.errors and not inspections.exists()


def test_the_inspections_page_reads_in_a_fixed_number_of_queries(people, django_assert_num_queries):
    inspection = self_assessment_started(people)
    school_make(people["a1"], "甲一小学")
    _answer_all(inspection, people["a1"])
    _answer_all(inspection, people["a2"])

    # counties, checklist, answers, obligations (+ the content type, cached after), tasks,
    # schools, team
    with django_assert_num_queries(7):
        page = inspection_page(inspection=inspection, counties_shown=None)

    assert [c.name for c in page.answer_counties] == ["甲一区", "甲二县"]
    assert [row.answered for row in page.self_assessments] == [16, 16]
    assert all(len(item.answers_in_order) == 2 for item in page.checklist)


def test_a_county_reads_only_its_own_row_and_answers(people):
    inspection = self_assessment_started(people)
    _answer_all(inspection, people["a1"])
    _answer_all(inspection, people["a2"])

    shown = inspection_counties_shown(people["county_a2"], inspection)
    page = inspection_page(inspection=inspection, counties_shown=shown)

    assert [c.name for c in page.counties] == ["甲二县"]
    assert {a.county_id for item in page.checklist for a in item.county_answers} == {people["a2"].pk}


def test_the_plan_lists_its_inspections_in_one_query_and_a_revision_too(people, django_assert_num_queries):
    first = self_assessment_started(people, title="第一次")
    inspection_make(people, title="第二次")
    plan = people["plan"]
    plan_inspections(plan=plan, user=people["editor_a"])  # the memberships, read once a request

    with django_assert_num_queries(1):
        rows = plan_inspections(plan=plan, user=people["editor_a"])
    assert [(number, inspection.title) for number, _title, inspection in rows] == [(1, "第一次"), (1, "第二次")]

    # A draft revision's task is its published task by key.
    revision = work_plan_revise(plan=plan, acting_user=people["editor_a"])
    rows = plan_inspections(plan=revision, user=people["editor_a"])
    assert {inspection.title for _n, _t, inspection in rows} == {first.title, "第二次"}
    assert {number for number, _t, _i in rows} == {1}
    # A county reads only what was announced to it.
    assert [i.title for _n, _t, i in plan_inspections(plan=plan, user=people["county_a1"])] == ["第一次"]


def test_the_form_choices_are_the_offices_own(people):
    school_make(people["a1"], "甲一小学")
    school_make(people["b1"], "乙一小学")

    choices = inspection_choices(offices=[people["office"]])

    assert [c.name for c in choices.counties] == ["甲一区", "甲二县"]
    assert [s.name for s in choices.schools] == ["甲一小学"]
    assert [t.number for t in choices.tasks] == [1, 2]


def test_the_templates_of_many_offices_are_read_at_once(people, django_assert_num_queries):
    checklist_template_save(
        office=people["office"],
        kind="routine",
        name="甲",
        items=[ItemData("", "一"), ItemData("", "二")],
        acting_user=None,
    )

    with django_assert_num_queries(1):
        templates = checklist_templates(offices=[people["office"]])

    assert templates[(people["office"].pk, "routine")].item_count == 2
