"""The rounds' services: a round is created with its participants, asking for the
self-assessment issues one obligation per participant, self-assessment, scoring and review
save whole or not at all and recompute the totals, and the app's figures fill their items."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import ActionLog
from evaluation import actions
from evaluation.models import EvaluationRound, Indicator, Participant, Score
from evaluation.services.rounds import (
    ScoreData,
    reviews_save,
    round_save,
    round_transition,
    scores_fill_from_figures,
    scores_save,
    self_assessment_save,
)
from tests.evaluation.round_data import (
    FULL_SCORES,
    items,
    participant_of,
    round_in_scoring,
    round_make,
    round_started,
    round_world,
    scored,
    self_assessed,
    sheet_make,
)
from tests.factories import CountyFactory
from tracking.models import Assignment

pytestmark = pytest.mark.django_db
Status = EvaluationRound.Status


@pytest.fixture
def people():
    return round_world()


def _codes(error: ValidationError) -> list[str]:
    return sorted(e.code for e in error.error_list) if not hasattr(error, "error_dict") else sorted(error.error_dict)


# --- The round ---------------------------------------------------------------------------------


def test_a_round_is_created_with_a_participant_per_county_chosen(people):
    round_ = round_make(people)

    assert round_.status == Status.DRAFT
    assert sorted(round_.participants.values_list("county_id", flat=True)) == sorted([people["a1"].pk, people["a2"].pk])
    assert ActionLog.objects.filter(object_id=round_.pk, action_type=actions.ROUND_CREATED.name).count() == 1


def test_a_county_of_another_city_is_refused(people):
    with pytest.raises(ValidationError) as error:
        round_make(people, counties=[people["a1"], people["b1"]])

    assert "counties" in error.value.error_dict


def test_a_sheet_of_another_office_is_refused(people):
    other = sheet_make(people["editor_b"].memberships.get().office)
    round_ = EvaluationRound(office=people["office"], sheet=other, title="评估", year=2026)

    with pytest.raises(ValidationError) as error:
        round_save(round_=round_, counties=[people["a1"]], acting_user=people["editor_a"])

    assert "sheet" in error.value.error_dict


def test_thresholds_out_of_order_are_refused(people):
    with pytest.raises(ValidationError):
        round_make(people, excellent_min=Decimal(70), good_min=Decimal(80))


def test_participants_are_fixed_once_the_counties_were_asked(people):
    round_ = round_started(people, counties=[people["a1"]])

    with pytest.raises(ValidationError) as error:
        round_save(round_=round_, counties=[people["a1"], people["a2"]], acting_user=people["editor_a"])

    assert error.value.error_list[0].code == "fixed_after_draft"


# --- Asking for the self-assessment ------------------------------------------------------------


def test_asking_for_the_self_assessment_issues_one_obligation_per_participant(people):
    round_ = round_started(people)

    obligations = list(Assignment.objects.filter(kind=Assignment.Kind.EVALUATION))
    assert sorted((o.county_id, o.office_id, o.year) for o in obligations) == sorted(
        [(people["a1"].pk, people["office"].pk, 2026), (people["a2"].pk, people["office"].pk, 2026)]
    )
    assert {o.subject for o in obligations} == set(round_.participants.all())
    assert all(o.due_date <= datetime.date(2026, 12, 18) for o in obligations)
    # A row per participant and scored item (five items, not the two headings).
    assert Score.objects.filter(participant__round=round_).count() == 10
    event = ActionLog.objects.get(object_id=round_.pk, action_type=actions.ROUND_MOVED.name)
    assert event.data == {"from": "draft", "to": "self", "asked": 2}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"counties": []}, "no_participants"),
        ({"due": None}, "no_due"),
    ],
)
def test_the_self_assessment_needs_participants_and_a_due_date(people, change, code):
    round_ = round_make(people, **change)

    with pytest.raises(ValidationError) as error:
        round_transition(round_=round_, to=Status.SELF_ASSESSMENT, acting_user=people["editor_a"])

    assert error.value.error_list[0].code == code
    assert not Assignment.objects.filter(kind=Assignment.Kind.EVALUATION).exists()


def test_a_sheet_without_scored_items_cannot_be_assessed(people):
    from evaluation.models import IndicatorSheet

    people["sheet"] = IndicatorSheet.objects.create(office=people["office"], title="空表", year=2026)
    round_ = round_make(people, title="空评估")

    with pytest.raises(ValidationError) as error:
        round_transition(round_=round_, to=Status.SELF_ASSESSMENT, acting_user=people["editor_a"])

    assert error.value.error_list[0].code == "no_items"


def test_a_round_skips_no_stage(people):
    round_ = round_make(people)

    with pytest.raises(ValidationError) as error:
        round_transition(round_=round_, to=Status.SCORING, acting_user=people["editor_a"])

    assert error.value.error_list[0].code == "move_refused"


# --- Self-assessment ---------------------------------------------------------------------------


def test_a_self_assessment_is_saved_and_the_totals_recomputed(people):
    round_ = round_started(people)
    participant = participant_of(round_, people["a1"])

    self_assessed(people, participant)

    participant.refresh_from_db()
    assert participant.self_total == Decimal("52.00")
    assert participant.total is None
    event = ActionLog.objects.get(object_id=participant.pk, action_type=actions.SELF_SCORED.name)
    assert event.data["items"] == 5


@pytest.mark.parametrize(
    ("code", "value", "error"),
    [
        ("1.1", "10.01", "over"),
        ("1.2", "2.50", "yes_no"),
        ("2.1", "7.00", "scale"),
    ],
)
def test_a_self_score_out_of_its_method_is_refused_and_nothing_saved(people, code, value, error):
    round_ = round_started(people)
    participant = participant_of(round_, people["a1"])
    found = items(people["sheet"])

    with pytest.raises(ValidationError) as raised:
        self_assessment_save(
            participant=participant,
            entries={
                found["2.2"].pk: ScoreData(Decimal("9.00"), ""),
                found[code].pk: ScoreData(Decimal(value), ""),
            },
            acting_user=people["county_a1"],
        )

    assert [e.code for e in raised.value.error_list] == [error]
    assert not Score.objects.filter(participant=participant, self_score__isnull=False).exists()


def test_the_self_assessment_closes_once_the_round_moves_on(people):
    round_ = round_in_scoring(people)
    participant = participant_of(round_, people["a1"])

    with pytest.raises(ValidationError) as error:
        self_assessed(people, participant)

    assert error.value.error_list[0].code == "not_self"


def test_the_obligation_closes_only_once_every_item_is_self_scored(people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tracking.services.reports import report_review, report_submit

    round_ = round_started(people)
    participant = participant_of(round_, people["a1"])
    obligation = Assignment.objects.get(kind=Assignment.Kind.EVALUATION, county=people["a1"])
    self_assessed(people, participant, values={"1.1": "9.00"})
    report = report_submit(
        assignment=obligation,
        acting_user=people["county_a1"],
        progress="done",
        text="自评完成。",
        files=[SimpleUploadedFile("自评报告.pdf", b"%PDF-1.4 x")],
    )

    with pytest.raises(ValidationError) as error:
        report_review(report=report, acting_user=people["reviewer_a"], accept=True)
    assert "4" in error.value.messages[0]

    self_assessed(people, participant)
    report_review(report=report, acting_user=people["reviewer_a"], accept=True)
    obligation.refresh_from_db()
    assert obligation.state == Assignment.State.ACCEPTED


# --- Scoring -----------------------------------------------------------------------------------


def test_scores_are_saved_with_their_reasons_and_ranked(people):
    round_ = round_in_scoring(people)
    first, second = participant_of(round_, people["a1"]), participant_of(round_, people["a2"])

    scored(people, first)
    scored(people, second, values={**FULL_SCORES, "2.1": "10.00"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.total, first.rank, first.grade) == (Decimal("43.50"), 2, Participant.Grade.FAIL)
    assert (second.total, second.rank) == (Decimal("45.50"), 1)
    score = Score.objects.get(participant=first, indicator__code="2.2")
    assert (score.score, score.reason, score.scored_by) == (Decimal("7.50"), "现场查阅资料", people["editor_a"])


def test_a_score_without_its_reason_is_refused(people):
    round_ = round_in_scoring(people)
    participant = participant_of(round_, people["a1"])
    found = items(people["sheet"])

    with pytest.raises(ValidationError) as error:
        scores_save(
            participant=participant,
            entries={found["1.1"].pk: ScoreData(Decimal("8.00"), "  ")},
            acting_user=people["editor_a"],
        )

    assert error.value.error_list[0].code == "reason_required"
    assert not Score.objects.filter(participant=participant, score__isnull=False).exists()


def test_a_score_cites_only_an_inspection_of_the_office_that_visited_the_county(people):
    from tests.inspections.inspection_builders import inspection_make

    round_ = round_in_scoring(people)
    participant = participant_of(round_, people["a1"])
    found = items(people["sheet"])
    visited = inspection_make(people, counties=[people["a1"]])
    elsewhere = inspection_make(people, title="另一次督导", counties=[people["a2"]])

    with pytest.raises(ValidationError) as error:
        scores_save(
            participant=participant,
            entries={found["1.1"].pk: ScoreData(Decimal("8.00"), "查看", elsewhere.pk)},
            acting_user=people["editor_a"],
        )
    assert error.value.error_list[0].code == "inspection"

    scores_save(
        participant=participant,
        entries={found["1.1"].pk: ScoreData(Decimal("8.00"), "查看", visited.pk)},
        acting_user=people["editor_a"],
    )
    assert Score.objects.get(participant=participant, indicator=found["1.1"]).inspection == visited


def test_a_failed_veto_item_grades_the_participant_fail(people):
    round_ = round_in_scoring(people)
    participant = participant_of(round_, people["a1"])

    scored(people, participant, values={"1.1": "10.00", "1.2": "0.00", "2.1": "10.00", "2.2": "10.00", "2.3": "20.00"})

    participant.refresh_from_db()
    assert participant.vetoed
    assert participant.grade == Participant.Grade.FAIL


def test_the_review_waits_until_every_item_is_scored(people):
    round_ = round_in_scoring(people)
    scored(people, participant_of(round_, people["a1"]))

    with pytest.raises(ValidationError) as error:
        round_transition(round_=round_, to=Status.REVIEW, acting_user=people["editor_a"])

    assert error.value.error_list[0].code == "scores_missing"
    assert error.value.error_list[0].params == {"count": 5}


# --- Figures -----------------------------------------------------------------------------------


def _plan_work(people, *, tasks: int, accepted: int):
    from plans.models import WorkPlan
    from plans.services import work_plan_publish, work_plan_submit
    from tests.factories import work_plan_build
    from tracking.services.assignments import obligation_fulfil

    plan = work_plan_build(
        tasks=tasks,
        counties=[people["a1"]],
        office=people["office"],
        status=WorkPlan.Status.DRAFT,
        plan_year=2026,
        title="2026年甲市督导工作要点（评估用）",
    )
    work_plan_submit(plan=plan, acting_user=people["editor_a"])
    work_plan_publish(plan=plan, acting_user=people["reviewer_a"])
    owed = list(Assignment.objects.filter(plan=plan, county=people["a1"]).order_by("pk"))
    for assignment in owed[:accepted]:
        obligation_fulfil(assignment=assignment, acting_user=people["editor_a"])
    return owed


def test_the_plan_completion_figure_fills_its_item(people):
    round_ = round_in_scoring(people)
    owed = _plan_work(people, tasks=4, accepted=3)
    assert len(owed) == 4

    filled = scores_fill_from_figures(round_=round_, acting_user=people["editor_a"])

    # a2 owes no plan work: nothing counted, its item is left to people.
    assert filled == 1
    score = Score.objects.get(participant__county=people["a1"], participant__round=round_, indicator__code="2.3")
    assert score.score == Decimal("15.00")
    assert "3" in score.reason and "4" in score.reason and "75.00%" in score.reason
    assert score.figure == score.reason
    assert not Score.objects.get(participant__county=people["a2"], indicator__code="2.3").score
    assert ActionLog.objects.filter(object_id=round_.pk, action_type=actions.SCORED.name).count() == 1


def test_the_rectification_figure_counts_items_closed_by_their_due_date(people):
    from django.utils import timezone

    from evaluation.figures import rectification_on_time
    from tracking.services.assignments import obligation_fulfil, obligations_issue

    subjects = [CountyFactory(city=people["city_b"]) for _ in range(4)]
    dues = [
        datetime.date(2026, 12, 18),
        datetime.date(2026, 3, 31),
        datetime.date(2026, 6, 30),
        datetime.date(2027, 1, 15),
    ]
    owed = []
    for subject, due in zip(subjects, dues, strict=True):
        [assignment] = obligations_issue(
            kind=Assignment.Kind.RECTIFICATION,
            subject=subject,
            office=people["office"],
            year=2026,
            counties=[people["a1"]],
            label="整改",
            due_date=due,
            acting_user=people["editor_a"],
        )
        owed.append(assignment)
    for assignment in owed[:2]:
        obligation_fulfil(assignment=assignment, acting_user=people["editor_a"])
    closed = timezone.make_aware(datetime.datetime(2026, 12, 1, 10, 0))
    Assignment.objects.filter(pk__in=[a.pk for a in owed[:2]]).update(closed_at=closed)

    figure = rectification_on_time(
        office=people["office"], year=2026, counties=[people["a1"]], today=datetime.date(2026, 12, 31)
    )[people["a1"].pk]

    # Due by the year's end: three; closed by its due date: the first (the second was late).
    assert figure.value == Decimal(1) / Decimal(3)
    assert "33.33%" in figure.text


def test_the_visit_coverage_figure_counts_the_visits_due_so_far(people):
    from evaluation.figures import figure_of, figure_score
    from tracking.services.assignments import obligation_fulfil, obligations_issue

    school = CountyFactory(city=people["city_b"], name="某校")
    visits = obligations_issue(
        kind=Assignment.Kind.VISIT,
        subject=school,
        office=people["office"],
        year=2026,
        counties=[people["a1"]],
        label="挂牌督导",
        period="每月",
        acting_user=people["editor_a"],
    )
    today = datetime.date(2026, 6, 30)
    due = sorted((v for v in visits if v.due_date <= today), key=lambda v: v.due_date)
    assert len(due) == 6
    for visit in due[:4]:
        obligation_fulfil(assignment=visit, acting_user=people["editor_a"])

    figure = figure_of(
        Indicator.Source.VISIT_COVERAGE, office=people["office"], year=2026, county=people["a1"], today=today
    )

    assert figure.value == Decimal(4) / Decimal(6)
    assert figure_score(figure, points=Decimal(10)) == Decimal("6.67")
    assert "66.67%" in figure.text


# --- Review ------------------------------------------------------------------------------------


def _in_review(people):
    round_ = round_in_scoring(people)
    scored(people, participant_of(round_, people["a1"]))
    scored(people, participant_of(round_, people["a2"]))
    return round_transition(round_=round_, to=Status.REVIEW, acting_user=people["editor_a"])


def test_a_review_keeps_only_the_scores_it_changes(people):
    round_ = _in_review(people)
    participant = participant_of(round_, people["a1"])
    found = items(people["sheet"])

    reviews_save(
        participant=participant,
        entries={
            found["1.1"].pk: ScoreData(Decimal("9.00"), "补充材料后复核"),
            found["2.2"].pk: ScoreData(Decimal("7.50"), "与初评相同"),
        },
        acting_user=people["reviewer_a"],
    )

    rows = {s.indicator.code: s for s in Score.objects.filter(participant=participant).select_related("indicator")}
    assert (rows["1.1"].review_score, rows["1.1"].final) == (Decimal("9.00"), Decimal("9.00"))
    assert (rows["2.2"].review_score, rows["2.2"].review_reason) == (None, "")
    participant.refresh_from_db()
    assert participant.total == Decimal("44.50")
    assert ActionLog.objects.filter(object_id=participant.pk, action_type=actions.REVIEWED.name).count() == 1


def test_a_changed_review_score_needs_its_reason(people):
    round_ = _in_review(people)
    participant = participant_of(round_, people["a1"])
    found = items(people["sheet"])

    with pytest.raises(ValidationError) as error:
        reviews_save(
            participant=participant,
            entries={found["1.1"].pk: ScoreData(Decimal("9.00"), "")},
            acting_user=people["reviewer_a"],
        )

    assert error.value.error_list[0].code == "review_reason_required"


def test_scores_are_not_changed_during_the_review(people):
    round_ = _in_review(people)

    with pytest.raises(ValidationError) as error:
        scored(people, participant_of(round_, people["a1"]))

    assert error.value.error_list[0].code == "not_scoring"


# --- Zones and schools -------------------------------------------------------------------------


def test_a_round_of_zones_asks_each_zones_county_for_it(people):
    from tests.inspections.builders import zone_make

    first, second = zone_make(people["a1"], "第一责任区"), zone_make(people["a1"], "第二责任区")
    other = zone_make(people["a2"], "甲二县第一责任区")
    round_ = round_make(people, counties=[], zones=[first, second, other], target=EvaluationRound.Target.ZONE)

    assert sorted(round_.participants.values_list("county_id", "zone_id", "school_id")) == sorted(
        [(people["a1"].pk, first.pk, None), (people["a1"].pk, second.pk, None), (people["a2"].pk, other.pk, None)]
    )
    round_transition(round_=round_, to=Status.SELF_ASSESSMENT, acting_user=people["editor_a"])

    obligations = Assignment.objects.filter(kind=Assignment.Kind.EVALUATION, county=people["a1"]).order_by("label")
    assert [o.label for o in obligations] == [
        "评估自评：2026年县级教育督导工作评估（第一责任区）",
        "评估自评：2026年县级教育督导工作评估（第二责任区）",
    ]
    # The county's users self-assess each of its zones.
    self_assessed(people, participant_of_zone(round_, first))
    assert participant_of_zone(round_, first).self_total == Decimal("52.00")


def participant_of_zone(round_, zone):
    return Participant.objects.get(round=round_, zone=zone)


def test_a_round_of_schools_refuses_a_school_of_another_city(people):
    from tests.inspections.builders import school_make

    ours, theirs = school_make(people["a1"], "甲一小学"), school_make(people["b1"], "乙一小学")

    round_ = round_make(people, counties=[], schools=[ours], target=EvaluationRound.Target.SCHOOL)
    assert list(round_.participants.values_list("school_id", flat=True)) == [ours.pk]
    with pytest.raises(ValidationError) as error:
        round_make(people, title="另一评估", counties=[], schools=[theirs], target=EvaluationRound.Target.SCHOOL)
    assert "counties" in error.value.error_dict


def test_a_zones_results_page_reads_its_zone_with_it(people, django_assert_num_queries):
    from evaluation.selectors_results import participant_get
    from tests.inspections.builders import zone_make

    zone = zone_make(people["a1"], "第一责任区")
    round_ = round_make(people, counties=[], zones=[zone], target=EvaluationRound.Target.ZONE)
    pk = participant_of_zone(round_, zone).pk

    with django_assert_num_queries(2):  # the participant with its round and county; its zone
        participant = participant_get(pk=pk)
    with django_assert_num_queries(0):
        assert (participant.zone, participant.school, participant.round, participant.county) == (
            zone,
            None,
            round_,
            people["a1"],
        )
