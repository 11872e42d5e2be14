"""Publishing, correcting and objecting to an evaluation's results: the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import ActionLog
from evaluation import actions
from evaluation.models import EvaluationRound, Objection, Participant, ResultRevision, Score
from evaluation.services import results as services
from evaluation.services.results import ScoreChange
from organisation.models import Membership
from schedule.workdays import OfficialCalendar
from tests.evaluation.results_data import items_of, round_build
from tests.factories import CountyFactory, OfficeFactory, county_user_create, staff_user_create

pytestmark = pytest.mark.django_db

D = datetime.date
PUBLISHED_ON = D(2026, 9, 30)  # a Wednesday, the day before the National Day break


@pytest.fixture
def today(monkeypatch):
    """Publication on 30 September 2026 under a calendar with the National Day break (1–7 October
    off, Saturday 10 October worked)."""
    calendar = OfficialCalendar.from_days(
        days_off=[D(2026, 10, day) for day in range(1, 8)], working_days=[D(2026, 10, 10)], years=[2026]
    )
    monkeypatch.setattr(services, "official_calendar_get", lambda: calendar)
    monkeypatch.setattr(services, "site_today", lambda: PUBLISHED_ON)
    monkeypatch.setattr("evaluation.permissions.site_today", lambda: PUBLISHED_ON)
    return PUBLISHED_ON


@pytest.fixture
def office():
    return OfficeFactory()


@pytest.fixture
def reviewer(office):
    return staff_user_create(role=Membership.Role.REVIEWER, office=office)


@pytest.fixture
def counties():
    return [CountyFactory(name=f"甲{index}区") for index in range(3)]


def _log(action) -> list[ActionLog]:
    return list(ActionLog.objects.filter(action_type=str(action)))


def test_publishing_with_missing_final_scores_is_refused_naming_what_is_missing(office, reviewer, counties, today):
    round_ = round_build(
        office=office, counties=counties, finals={counties[1]: [Decimal(5), None, None], counties[2]: [1, 2, None]}
    )

    with pytest.raises(ValidationError) as refused:
        services.round_publish(round_=round_, acting_user=reviewer)

    message = refused.value.messages[0]
    assert "甲1区" in message and "2" in message and "甲2区" in message and "甲0区" not in message
    round_.refresh_from_db()
    assert round_.status == EvaluationRound.Status.REVIEW and round_.revision == 0
    assert not ResultRevision.objects.exists()


def test_only_a_round_in_review_is_published(office, reviewer, counties, today):
    round_ = round_build(office=office, counties=counties, status=EvaluationRound.Status.SCORING)

    with pytest.raises(ValidationError):
        services.round_publish(round_=round_, acting_user=reviewer)


def test_publishing_locks_the_results_as_revision_1_with_the_window_on_working_days(office, reviewer, counties, today):
    round_ = round_build(office=office, counties=counties)

    services.round_publish(round_=round_, acting_user=reviewer)

    round_.refresh_from_db()
    assert round_.status == EvaluationRound.Status.PUBLISHED and round_.revision == 1
    assert round_.published_at is not None
    # Five working days after 30 September: 8, 9, Saturday 10 (worked), 12, 13 October.
    assert round_.objection_until == D(2026, 10, 13)
    revision = ResultRevision.objects.get(round=round_)
    assert revision.number == 1 and revision.reason == "公布" and revision.created_by == reviewer
    first = Participant.objects.get(round=round_, county=counties[0])
    assert revision.results[str(first.pk)] == {"total": "30.00", "grade": "excellent", "rank": 1}
    assert len(_log(actions.RESULTS_PUBLISHED)) == 1
    with pytest.raises(ValidationError):
        services.scores_locked_check(round_)


def test_the_window_without_a_holiday_counts_weekdays(office, reviewer, counties, monkeypatch):
    monkeypatch.setattr(services, "official_calendar_get", lambda: OfficialCalendar(years=frozenset({2026})))
    monkeypatch.setattr(services, "site_today", lambda: PUBLISHED_ON)
    round_ = round_build(office=office, counties=counties)

    services.round_publish(round_=round_, acting_user=reviewer, note="经审定公布")

    round_.refresh_from_db()
    assert round_.objection_until == D(2026, 10, 7)
    assert ResultRevision.objects.get(round=round_).reason == "经审定公布"


def test_equal_totals_share_a_rank_and_the_next_rank_skips(office, reviewer, today):
    counties = [CountyFactory() for _ in range(4)]
    round_ = round_build(
        office=office,
        counties=counties,
        finals={
            counties[0]: ["9.50", "9.50", "9"],
            counties[1]: ["10", "9", "9"],
            counties[2]: ["10", "10", "8"],
            counties[3]: ["7", "7", "7"],
        },
    )

    ranks = dict(Participant.objects.filter(round=round_).values_list("county_id", "rank"))

    assert [ranks[c.pk] for c in counties] == [1, 1, 1, 4]


def test_a_correction_is_the_next_revision_with_its_reason_and_the_new_ranks(office, reviewer, counties, today):
    round_ = round_build(office=office, counties=counties)
    services.round_publish(round_=round_, acting_user=reviewer)
    third = Participant.objects.get(round=round_, county=counties[2])
    item = items_of(round_)[0]

    revision = services.round_correct(
        round_=round_,
        changes=[ScoreChange(participant=third, indicator=item, score=Decimal("10"), reason="材料补正")],
        reason="复核发现计分错误",
        acting_user=reviewer,
    )

    round_.refresh_from_db()
    third.refresh_from_db()
    assert revision.number == 2 and round_.revision == 2 and revision.reason == "复核发现计分错误"
    score = Score.objects.get(participant=third, indicator=item)
    assert score.final == Decimal("10.00") and score.review_reason == "材料补正" and score.reviewed_by == reviewer
    # 甲2区: 8 × 3 = 24, now 10 + 8 + 8 = 26, still behind 甲1区 (27).
    assert third.total == Decimal("26.00")
    first = ResultRevision.objects.get(round=round_, number=1).results[str(third.pk)]
    assert first["total"] == "24.00" and revision.results[str(third.pk)]["total"] == "26.00"
    logged = _log(actions.RESULTS_CORRECTED)
    assert len(logged) == 1 and logged[0].data["changes"][0]["before"] == "8.00"


def test_a_correction_can_change_the_ranking(office, reviewer, counties, today):
    round_ = round_build(office=office, counties=counties)
    services.round_publish(round_=round_, acting_user=reviewer)
    third = Participant.objects.get(round=round_, county=counties[2])
    items = items_of(round_)

    services.round_correct(
        round_=round_,
        changes=[ScoreChange(participant=third, indicator=item, score=Decimal("10")) for item in items],
        reason="申诉复核",
        acting_user=reviewer,
    )

    third.refresh_from_db()
    assert third.rank == 1 and Participant.objects.get(round=round_, county=counties[0]).rank == 1
    assert Participant.objects.get(round=round_, county=counties[1]).rank == 3


def test_a_correction_needs_a_reason_a_published_round_and_a_score_within_the_points(office, reviewer, counties, today):
    round_ = round_build(office=office, counties=counties)
    participant = Participant.objects.get(round=round_, county=counties[1])
    item = items_of(round_)[0]
    change = [ScoreChange(participant=participant, indicator=item, score=Decimal("10"))]

    with pytest.raises(ValidationError):
        services.round_correct(round_=round_, changes=change, reason="改", acting_user=reviewer)
    services.round_publish(round_=round_, acting_user=reviewer)
    with pytest.raises(ValidationError):
        services.round_correct(round_=round_, changes=change, reason="  ", acting_user=reviewer)
    with pytest.raises(ValidationError):
        services.round_correct(
            round_=round_,
            changes=[ScoreChange(participant=participant, indicator=item, score=Decimal("10.01"))],
            reason="改",
            acting_user=reviewer,
        )
    assert EvaluationRound.objects.get(pk=round_.pk).revision == 1
    assert Score.objects.get(participant=participant, indicator=item).final == Decimal("9.00")


def test_objections_are_taken_within_the_window_and_refused_after(office, reviewer, counties, today, monkeypatch):
    round_ = round_build(office=office, counties=counties)
    participant = Participant.objects.get(round=round_, county=counties[1])
    county_user = county_user_create(county=counties[1])
    with pytest.raises(ValidationError):
        services.objection_raise(participant=participant, indicator=None, text="不服", acting_user=county_user)
    services.round_publish(round_=round_, acting_user=reviewer)
    participant.refresh_from_db()

    objection = services.objection_raise(
        participant=participant, indicator=items_of(round_)[1], text="第2项材料已提交", acting_user=county_user
    )

    assert objection.is_open and objection.raised_by == county_user
    assert len(_log(actions.OBJECTION_RAISED)) == 1
    monkeypatch.setattr(services, "site_today", lambda: D(2026, 10, 14))
    with pytest.raises(ValidationError):
        services.objection_raise(participant=participant, indicator=None, text="逾期申诉", acting_user=county_user)
    assert Objection.objects.count() == 1


def test_an_upheld_objection_corrects_the_score_as_a_revision_citing_it_and_is_answered_once(
    office, reviewer, counties, today
):
    round_ = round_build(office=office, counties=counties)
    services.round_publish(round_=round_, acting_user=reviewer)
    participant = Participant.objects.get(round=round_, county=counties[1])
    item = items_of(round_)[1]
    objection = services.objection_raise(
        participant=participant, indicator=item, text="材料已提交", acting_user=county_user_create(county=counties[1])
    )

    services.objection_answer(
        objection=objection, outcome="upheld", answer="经核实予以更正", score=Decimal("10"), acting_user=reviewer
    )

    objection.refresh_from_db()
    assert objection.outcome == "upheld" and objection.answered_by == reviewer
    revision = ResultRevision.objects.get(round=round_, number=2)
    assert f"{objection.pk}" in revision.reason and "申诉" in revision.reason
    assert Score.objects.get(participant=participant, indicator=item).final == Decimal("10.00")
    assert len(_log(actions.OBJECTION_ANSWERED)) == 1
    with pytest.raises(ValidationError):
        services.objection_answer(objection=objection, outcome="rejected", answer="再答", acting_user=reviewer)


def test_a_rejected_objection_leaves_the_results(office, reviewer, counties, today):
    round_ = round_build(office=office, counties=counties)
    services.round_publish(round_=round_, acting_user=reviewer)
    participant = Participant.objects.get(round=round_, county=counties[1])
    objection = services.objection_raise(
        participant=participant, indicator=None, text="不服", acting_user=county_user_create(county=counties[1])
    )

    with pytest.raises(ValidationError):
        services.objection_answer(
            objection=objection, outcome="rejected", answer="维持", score=Decimal("1"), acting_user=reviewer
        )
    services.objection_answer(objection=objection, outcome="rejected", answer="维持原评分", acting_user=reviewer)

    assert EvaluationRound.objects.get(pk=round_.pk).revision == 1
    assert Objection.objects.get().outcome == "rejected"
