"""Builders for the rounds' tests: the inspections' world (a city office with two counties, its
editor, reviewer and county users, another office's editor), an indicator sheet built directly,
and a round at any stage."""

import datetime
from decimal import Decimal

from evaluation.models import EvaluationRound, Indicator, IndicatorSheet, Participant
from evaluation.services.rounds import ScoreData, round_save, round_transition, scores_save, self_assessment_save
from tests.inspections.inspection_builders import inspection_world

YEAR = 2026
DUE = datetime.date(2026, 12, 18)
Method = Indicator.Method


def round_world() -> dict:
    people = inspection_world()
    people["sheet"] = sheet_make(people["office"])
    return people


def sheet_make(office, *, title: str = "县级教育督导评估指标", year: int = YEAR) -> IndicatorSheet:
    """Two 一级 headings and five items worth 55 points: points by rule (10), yes/no veto (5),
    a scale (10), deductions (10), and the completion of plan work from the app's figures (20)."""
    sheet = IndicatorSheet.objects.create(office=office, title=title, year=year)
    one = Indicator.objects.create(sheet=sheet, level=1, position=1, code="一", title="组织领导", points=Decimal(15))
    Indicator.objects.create(
        sheet=sheet,
        parent=one,
        level=2,
        position=2,
        code="1.1",
        title="督导机构健全",
        points=Decimal(10),
        rule="机构、人员、经费落实的得满分。",
        evidence="机构设置文件",
    )
    Indicator.objects.create(
        sheet=sheet,
        parent=one,
        level=2,
        position=3,
        code="1.2",
        title="未发生重大安全责任事故",
        points=Decimal(5),
        method=Method.YES_NO,
        veto=True,
    )
    two = Indicator.objects.create(sheet=sheet, level=1, position=4, code="二", title="督导实施", points=Decimal(40))
    Indicator.objects.create(
        sheet=sheet,
        parent=two,
        level=2,
        position=5,
        code="2.1",
        title="督导报告质量",
        points=Decimal(10),
        method=Method.SCALE,
        scale=[["A", "1"], ["B", "0.8"], ["C", "0.6"]],
    )
    Indicator.objects.create(
        sheet=sheet,
        parent=two,
        level=2,
        position=6,
        code="2.2",
        title="整改落实",
        points=Decimal(10),
        method=Method.DEDUCTION,
    )
    Indicator.objects.create(
        sheet=sheet,
        parent=two,
        level=2,
        position=7,
        code="2.3",
        title="工作要点完成情况",
        points=Decimal(20),
        source=Indicator.Source.PLAN_COMPLETION,
    )
    return sheet


def items(sheet) -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(sheet=sheet, children__isnull=True)}


def round_make(
    people, *, counties=None, zones=(), schools=(), due=DUE, title="2026年县级教育督导工作评估", **fields
) -> EvaluationRound:
    round_ = EvaluationRound(
        office=people["office"],
        sheet=people["sheet"],
        title=title,
        year=YEAR,
        self_assessment_due=due,
        scoring_from=datetime.date(2026, 12, 21),
        scoring_until=datetime.date(2026, 12, 25),
        **fields,
    )
    return round_save(
        round_=round_,
        counties=counties if counties is not None else [people["a1"], people["a2"]],
        zones=zones,
        schools=schools,
        acting_user=people["editor_a"],
    )


def participant_of(round_, county) -> Participant:
    return Participant.objects.get(round=round_, county=county)


def round_started(people, **kwargs) -> EvaluationRound:
    round_ = round_make(people, **kwargs)
    return round_transition(round_=round_, to=EvaluationRound.Status.SELF_ASSESSMENT, acting_user=people["editor_a"])


FULL_SELF = {"1.1": "9.00", "1.2": "5.00", "2.1": "10.00", "2.2": "8.00", "2.3": "20.00"}
FULL_SCORES = {"1.1": "8.00", "1.2": "5.00", "2.1": "8.00", "2.2": "7.50", "2.3": "15.00"}


def self_assessed(people, participant, values=FULL_SELF, user=None) -> None:
    found = items(people["sheet"])
    self_assessment_save(
        participant=participant,
        entries={found[code].pk: ScoreData(Decimal(v), "已自查") for code, v in values.items()},
        acting_user=user or people["county_a1"],
    )


def scored(people, participant, values=FULL_SCORES) -> None:
    found = items(people["sheet"])
    scores_save(
        participant=participant,
        entries={found[code].pk: ScoreData(Decimal(v), "现场查阅资料") for code, v in values.items()},
        acting_user=people["editor_a"],
    )


def round_in_scoring(people) -> EvaluationRound:
    """A round whose counties self-assessed, now at its scoring stage."""
    round_ = round_started(people)
    self_assessed(people, participant_of(round_, people["a1"]))
    self_assessed(people, participant_of(round_, people["a2"]), user=people["county_a2"])
    return round_transition(round_=round_, to=EvaluationRound.Status.SCORING, acting_user=people["editor_a"])
