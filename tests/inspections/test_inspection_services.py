"""The inspection services: creating one copies its checklist, its stages move one way with
the reasons a move is refused, the self-assessment is asked once per county, and checklists and
answers are written whole or not at all."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from audit.models import ActionLog
from inspections import actions
from inspections.checklists import default_checklist
from inspections.models import ChecklistAnswer, ChecklistItem, ChecklistTemplate, Inspection
from inspections.selectors import self_assessments
from inspections.services.checklists import (
    ItemData,
    checklist_set,
    checklist_template_save,
    self_assessment_save,
)
from inspections.services.inspections import MemberData, inspection_move, inspection_save
from tests.factories import TaskFactory, WorkPlanFactory
from tests.inspections.inspection_builders import inspection_make, inspection_world, self_assessment_started
from tracking.models import Assignment

pytestmark = pytest.mark.django_db
Status = Inspection.Status


@pytest.fixture
def people():
    return inspection_world()


def _events(inspection, action) -> list[ActionLog]:
    return list(ActionLog.objects.filter(object_id=inspection.pk, action_type=action.name).order_by("pk"))


# --- Creating and changing -----------------------------------------------------------------------


def test_a_new_inspection_copies_the_default_checklist_when_the_office_has_no_template(people):
    inspection = inspection_make(people, kind=Inspection.Kind.ROUTINE)

    titles = list(inspection.checklist.values_list("title", flat=True))
    assert titles == [item.title for item in default_checklist("routine").items]
    sections = list(dict.fromkeys(inspection.checklist.values_list("section", flat=True)))
    assert len(sections) == 8
    assert sections[0] == "校务管理和制度执行"
    assert inspection.year == 2026
    [event] = _events(inspection, actions.INSPECTION_CREATED)
    assert event.data["items"] == len(titles)


def test_a_follow_up_starts_from_one_item_about_the_rectification(people):
    inspection = inspection_make(people, kind=Inspection.Kind.FOLLOW_UP, due=None)

    assert inspection.checklist.count() == 1
    assert "整改" in inspection.checklist.get().title


def test_a_new_inspection_copies_its_offices_template_of_its_kind(people):
    checklist_template_save(
        office=people["office"],
        kind=Inspection.Kind.SPECIAL,
        name="专项督导清单",
        items=[ItemData("安全", "消防通道畅通", "实地查看", "检查记录"), ItemData("", "食堂留样")],
        acting_user=people["editor_a"],
    )
    inspection = inspection_make(people)

    rows = list(inspection.checklist.values_list("position", "section", "title", "guidance", "evidence"))
    assert rows == [(1, "安全", "消防通道畅通", "实地查看", "检查记录"), (2, "", "食堂留样", "", "")]
    # A later change of the template leaves the inspection's own checklist alone.
    template = ChecklistTemplate.objects.get(office=people["office"], kind="special")
    checklist_template_save(
        office=people["office"], kind="special", name=template.name, items=[ItemData("", "新事项")], acting_user=None
    )
    assert inspection.checklist.count() == 2


def test_a_task_of_another_year_or_office_is_refused(people):
    other_year = TaskFactory(plan=WorkPlanFactory(office=people["office"], plan_year=2025), number=1)
    inspection = Inspection(
        office=people["office"],
        kind="special",
        title="x",
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 4, 2),
    )

    with pytest.raises(ValidationError) as error:
        inspection_save(inspection=inspection, tasks=[other_year], counties=[], schools=[], team=[], acting_user=None)

    assert "tasks" in error.value.error_dict
    assert not Inspection.objects.exists()


def test_a_county_of_another_city_is_refused(people):
    inspection = Inspection(
        office=people["office"],
        kind="special",
        title="x",
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 4, 2),
    )

    with pytest.raises(ValidationError) as error:
        inspection_save(inspection=inspection, tasks=[], counties=[people["b1"]], schools=[], team=[], acting_user=None)

    assert "乙一区" in str(error.value)
    assert not Inspection.objects.exists()


def test_a_team_has_one_leader(people):
    with pytest.raises(ValidationError) as error:
        inspection_make(people, team=[MemberData("leader", "甲"), MemberData("leader", "乙")])

    assert error.value.error_dict["team"][0].code == "one_leader"
    assert not Inspection.objects.exists()


def test_a_change_is_logged_with_the_fields_changed(people):
    inspection = inspection_make(people)
    inspection.title = "改名后的督导"

    inspection_save(
        inspection=inspection,
        tasks=people["tasks"],
        counties=[people["a1"], people["a2"]],
        schools=[],
        team=[MemberData("leader", "李组长", "甲市教育局")],
        acting_user=people["editor_a"],
    )

    [event] = _events(inspection, actions.INSPECTION_CHANGED)
    assert event.data["fields"] == ["tasks", "title"]


# --- Stages --------------------------------------------------------------------------------------


def test_asking_for_the_self_assessment_issues_one_obligation_per_county(people):
    inspection = self_assessment_started(people)

    obligations = list(self_assessments(inspection).order_by("county__code"))
    assert [o.county_id for o in obligations] == [people["a1"].pk, people["a2"].pk]
    assert all(o.kind == Assignment.Kind.SELF_ASSESSMENT and o.office_id == people["office"].pk for o in obligations)
    assert obligations[0].due_date <= datetime.date(2026, 3, 10)
    assert obligations[0].year == 2026
    [event] = _events(inspection, actions.INSPECTION_MOVED)
    assert event.data == {"from": "preparing", "to": "self_assessment", "asked": 2}


def test_saving_again_asks_only_a_county_added_later(people):
    inspection = self_assessment_started(people, counties=[people["a1"]])
    for _ in range(2):
        inspection_save(
            inspection=inspection,
            tasks=people["tasks"][:1],
            counties=[people["a1"], people["a2"]],
            schools=[],
            team=[MemberData("leader", "李组长", "甲市教育局")],
            acting_user=people["editor_a"],
        )

    assert sorted(self_assessments(inspection).values_list("county_id", flat=True)) == sorted(
        [people["a1"].pk, people["a2"].pk]
    )


def test_a_county_asked_for_its_self_assessment_stays_on_the_inspection(people):
    inspection = self_assessment_started(people)

    with pytest.raises(ValidationError) as error:
        inspection_save(
            inspection=inspection,
            tasks=[],
            counties=[people["a1"]],
            schools=[],
            team=[],
            acting_user=people["editor_a"],
        )

    assert "甲二县" in str(error.value)
    assert inspection.counties.count() == 2


def test_the_due_date_is_fixed_once_the_counties_are_asked(people):
    inspection = self_assessment_started(people)
    inspection.self_assessment_due = datetime.date(2026, 3, 12)

    with pytest.raises(ValidationError) as error:
        inspection_save(
            inspection=inspection,
            tasks=[],
            counties=[people["a1"], people["a2"]],
            schools=[],
            team=[],
            acting_user=None,
        )

    assert error.value.error_dict["self_assessment_due"][0].code == "due_fixed"


def test_the_stages_follow_one_another_to_closed(people):
    inspection = self_assessment_started(people)
    for to in (Status.ON_SITE, Status.RECTIFICATION, Status.CLOSED):
        inspection = inspection_move(inspection=inspection, to=to, acting_user=people["editor_a"])

    inspection.refresh_from_db()
    assert inspection.status == Status.CLOSED
    assert inspection.closed_at is not None
    assert len(_events(inspection, actions.INSPECTION_MOVED)) == 4


def test_without_a_self_assessment_the_team_goes_on_site_directly(people):
    inspection = inspection_make(people, due=None)

    with pytest.raises(ValidationError) as error:
        inspection_move(inspection=inspection, to=Status.SELF_ASSESSMENT, acting_user=None)
    assert error.value.code == "no_due"

    inspection_move(inspection=inspection, to=Status.ON_SITE, acting_user=None)
    inspection.refresh_from_db()
    assert inspection.status == Status.ON_SITE
    assert not self_assessments(inspection).exists()


def test_an_inspection_asking_a_self_assessment_does_not_skip_it(people):
    inspection = inspection_make(people)

    with pytest.raises(ValidationError) as error:
        inspection_move(inspection=inspection, to=Status.ON_SITE, acting_user=None)

    assert error.value.code == "due_asked"
    assert "自查自评" in error.value.messages[0] or "self-assessment" in error.value.messages[0]


@pytest.mark.parametrize("to", [Status.PREPARING, Status.CLOSED, Status.RECTIFICATION, "nowhere"])
def test_a_move_out_of_order_is_refused_with_the_stages_named(people, to):
    inspection = inspection_make(people)

    with pytest.raises(ValidationError) as error:
        inspection_move(inspection=inspection, to=to, acting_user=None)

    assert error.value.code == "move_refused"
    assert "准备" in error.value.messages[0]
    inspection.refresh_from_db()
    assert inspection.status == Status.PREPARING


def test_asking_counties_needs_counties_and_a_checklist(people):
    inspection = inspection_make(people, counties=[])
    with pytest.raises(ValidationError) as error:
        inspection_move(inspection=inspection, to=Status.SELF_ASSESSMENT, acting_user=None)
    assert error.value.code == "no_counties"

    other = inspection_make(people, title="另一次")
    ChecklistItem.objects.filter(inspection=other).delete()
    with pytest.raises(ValidationError) as error:
        inspection_move(inspection=other, to=Status.SELF_ASSESSMENT, acting_user=None)
    assert error.value.code == "no_checklist"
    assert not Assignment.objects.exists()


def test_a_closed_inspection_is_not_changed(people):
    inspection = inspection_make(people, due=None)
    for to in (Status.ON_SITE, Status.RECTIFICATION, Status.CLOSED):
        inspection_move(inspection=inspection, to=to, acting_user=None)
    inspection.refresh_from_db()
    inspection.title = "x"

    with pytest.raises(ValidationError) as error:
        inspection_save(inspection=inspection, tasks=[], counties=[], schools=[], team=[], acting_user=None)

    assert error.value.code == "closed"


# --- Checklists ----------------------------------------------------------------------------------


def _items(inspection) -> list[ItemData]:
    return [ItemData(i.section, i.title, i.guidance, i.evidence, pk=i.pk) for i in inspection.checklist.all()]


def test_the_checklist_is_reordered_changed_and_added_to_in_one_save(people):
    inspection = inspection_make(people, kind=Inspection.Kind.FOLLOW_UP, due=None)
    [first] = _items(inspection)

    counts = checklist_set(
        inspection=inspection,
        items=[ItemData("新", "新增事项"), ItemData(first.section, "改过的事项", pk=first.pk)],
        acting_user=people["editor_a"],
    )

    assert counts == {"added": 1, "changed": 1, "removed": 0}
    assert list(inspection.checklist.values_list("position", "title")) == [(1, "新增事项"), (2, "改过的事项")]
    assert inspection.checklist.get(position=2).pk == first.pk
    [event] = _events(inspection, actions.CHECKLIST_EDITED)
    assert event.data == counts


def test_an_empty_or_foreign_checklist_is_refused_and_nothing_changes(people):
    inspection = inspection_make(people)
    other = inspection_make(people, title="另一次")
    before = list(inspection.checklist.values_list("pk", "title"))

    with pytest.raises(ValidationError) as error:
        checklist_set(inspection=inspection, items=[], acting_user=None)
    assert error.value.code == "empty"
    foreign = other.checklist.first()
    with pytest.raises(ValidationError) as error:
        checklist_set(inspection=inspection, items=[ItemData("", "x", pk=foreign.pk)], acting_user=None)
    assert error.value.code == "foreign_item"

    assert list(inspection.checklist.values_list("pk", "title")) == before


def test_the_checklist_stops_changing_on_site(people):
    inspection = inspection_make(people, due=None)
    inspection_move(inspection=inspection, to=Status.ON_SITE, acting_user=None)

    with pytest.raises(ValidationError) as error:
        checklist_set(inspection=inspection, items=_items(inspection), acting_user=None)

    assert error.value.code == "not_editable"


def test_an_answered_item_is_not_removed(people):
    inspection = self_assessment_started(people)
    first = inspection.checklist.first()
    self_assessment_save(
        inspection=inspection, county=people["a1"], answers={first.pk: ("met", "")}, acting_user=people["county_a1"]
    )

    with pytest.raises(ValidationError) as error:
        checklist_set(inspection=inspection, items=_items(inspection)[1:], acting_user=None)

    assert error.value.code == "answered"
    assert inspection.checklist.filter(pk=first.pk).exists()


def test_a_template_is_created_then_replaced_and_logged(people):
    office = people["office"]
    template = checklist_template_save(
        office=office,
        kind="routine",
        name="挂牌督导清单",
        items=[ItemData("一", "甲"), ItemData("二", "乙")],
        acting_user=None,
    )
    items = list(template.items.all())
    checklist_template_save(
        office=office,
        kind="routine",
        name="挂牌督导清单（修订）",
        items=[ItemData("二", "乙", pk=items[1].pk), ItemData("三", "丙")],
        acting_user=people["editor_a"],
    )

    template.refresh_from_db()
    assert template.name == "挂牌督导清单（修订）"
    assert list(template.items.values_list("position", "title")) == [(1, "乙"), (2, "丙")]
    events = list(ActionLog.objects.filter(action_type=actions.TEMPLATE_EDITED.name).order_by("pk"))
    assert [e.data["created"] for e in events] == [True, False]
    assert events[1].data["removed"] == 1


def test_a_template_without_a_name_is_refused(people):
    with pytest.raises(ValidationError):
        checklist_template_save(
            office=people["office"], kind="routine", name=" ", items=[ItemData("", "x")], acting_user=None
        )

    assert not ChecklistTemplate.objects.exists()


# --- Self-assessment answers ---------------------------------------------------------------------


def test_a_county_saves_its_answers_and_changes_them(people):
    inspection = self_assessment_started(people)
    first, second = inspection.checklist.all()[:2]

    self_assessment_save(
        inspection=inspection,
        county=people["a1"],
        answers={first.pk: ("met", "已落实"), second.pk: ("", "")},
        acting_user=people["county_a1"],
    )
    self_assessment_save(
        inspection=inspection,
        county=people["a1"],
        answers={first.pk: ("", ""), second.pk: ("partly", "部分落实")},
        acting_user=people["county_a1"],
    )

    answers = list(ChecklistAnswer.objects.filter(county=people["a1"]).values_list("item_id", "rating", "text"))
    assert answers == [(second.pk, "partly", "部分落实")]
    events = _events(inspection, actions.SELF_ASSESSMENT_ANSWERED)
    assert [e.data["answered"] for e in events] == [1, 1]


def test_a_bad_rating_saves_nothing(people):
    inspection = self_assessment_started(people)
    first, second = inspection.checklist.all()[:2]

    with pytest.raises(ValidationError):
        self_assessment_save(
            inspection=inspection,
            county=people["a1"],
            answers={first.pk: ("met", ""), second.pk: ("excellent", "")},
            acting_user=None,
        )

    assert not ChecklistAnswer.objects.exists()


def test_a_county_not_asked_or_accepted_does_not_answer(people):
    inspection = self_assessment_started(people, counties=[people["a1"]])
    item = inspection.checklist.first()

    with pytest.raises(ValidationError) as error:
        self_assessment_save(
            inspection=inspection, county=people["a2"], answers={item.pk: ("met", "")}, acting_user=None
        )
    assert error.value.code == "not_asked"

    from django.utils import timezone

    self_assessments(inspection).update(
        state=Assignment.State.ACCEPTED, acknowledged_at=timezone.now(), closed_at=timezone.now()
    )
    with pytest.raises(ValidationError) as error:
        self_assessment_save(
            inspection=inspection, county=people["a1"], answers={item.pk: ("met", "")}, acting_user=None
        )
    assert error.value.code == "accepted"


def test_a_self_assessment_is_accepted_only_once_every_item_is_answered(people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tracking.services.reports import report_review, report_submit

    inspection = self_assessment_started(people, kind=Inspection.Kind.FOLLOW_UP)
    [item] = inspection.checklist.all()
    obligation = self_assessments(inspection).get(county=people["a1"])
    report = report_submit(
        assignment=obligation,
        acting_user=people["county_a1"],
        progress="done",
        text="已完成自查。",
        files=[SimpleUploadedFile("自查报告.pdf", b"%PDF-1.4 x")],
    )

    with pytest.raises(ValidationError) as error:
        report_review(report=report, acting_user=people["editor_a"], accept=True)
    assert error.value.code == "not_closable"

    self_assessment_save(
        inspection=inspection, county=people["a1"], answers={item.pk: ("met", "")}, acting_user=people["county_a1"]
    )
    report_review(report=report, acting_user=people["editor_a"], accept=True)
    obligation.refresh_from_db()
    assert obligation.state == Assignment.State.ACCEPTED
