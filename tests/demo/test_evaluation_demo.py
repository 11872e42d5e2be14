"""The evaluation work of the demo data: setup_demo's 郑州 evaluation built once, with its
obligations and results as the services keep them; generate_demo's two years of rounds for every
county of every city, with totals, grades and ranks by evaluation.scoring's rules, and removed
whole."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from demo.data import demo_data_generate, demo_data_remove
from demo.evaluation_showcase import DEMO_COUNTY, demo_evaluation_create
from demo.evaluation_work import MODELS as EVALUATION_MODELS
from evaluation.models import (
    EvaluationRound,
    Indicator,
    IndicatorSheet,
    Objection,
    Participant,
    ResultRevision,
    Score,
)
from evaluation.scoring import Thresholds, grade_of, ranks, total_of
from organisation.models import County, Office
from tests.factories import CountyFactory, OfficeFactory
from tracking.models import Assignment

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 11, 30)
ZHENGZHOU = "郑州市人民政府教育督导委员会办公室"


def _rows() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in EVALUATION_MODELS}
    counts["obligations"] = Assignment.objects.filter(kind=Assignment.Kind.EVALUATION).count()
    return counts


def _consistent(round_: EvaluationRound) -> list[Participant]:
    """Each participant's totals, grade and rank are what evaluation.scoring makes of its scores."""
    participants = list(round_.participants.all())
    finals, selves, vetoed = {}, {}, set()
    for p in participants:
        scores = list(Score.objects.filter(participant=p).select_related("indicator"))
        finals[p.pk] = total_of(s.final for s in scores)
        selves[p.pk] = total_of(s.self_score for s in scores)
        if any(s.veto_failed and s.indicator.veto for s in scores):
            vetoed.add(p.pk)
    thresholds = Thresholds(excellent=round_.excellent_min, good=round_.good_min, passing=round_.pass_min)
    ranked = ranks(finals, vetoed=vetoed)
    for p in participants:
        assert p.total == finals[p.pk] and p.self_total == selves[p.pk], p
        assert p.vetoed == (p.pk in vetoed)
        assert p.grade == grade_of(p.total, vetoed=p.vetoed, thresholds=thresholds)
        assert p.rank == ranked[p.pk]
    given = sorted(p.rank for p in participants)
    assert given[0] == 1 and given[-1] <= len(participants)
    return participants


# --- setup_demo ---------------------------------------------------------------------------------


def test_setup_demo_builds_the_zhengzhou_evaluation_once(capsys):
    call_command("setup_demo")
    once = _rows()
    assert demo_evaluation_create() is None
    call_command("setup_demo")

    assert _rows() == once
    office = Office.objects.get(name=ZHENGZHOU)
    today = timezone.localdate()
    old = EvaluationRound.objects.get(office=office, year=today.year - 1)
    current = EvaluationRound.objects.get(office=office, year=today.year)
    assert (old.status, old.revision, current.status, current.previous) == ("published", 1, "review", old)
    assert current.sheet.copied_from == old.sheet
    assert current.title in capsys.readouterr().out


def test_the_showcase_sheet_is_of_the_genre_and_every_county_is_scored():
    call_command("setup_demo")
    office = Office.objects.get(name=ZHENGZHOU)
    current = EvaluationRound.objects.get(office=office, status="review")
    items = Indicator.objects.filter(sheet=current.sheet)
    leaves = items.filter(children__isnull=True)
    assert (items.filter(level=1).count(), items.filter(level=2).count(), leaves.count()) == (4, 10, 25)
    assert leaves.aggregate(total=Sum("points"))["total"] == Decimal("100")
    assert leaves.filter(veto=True).count() == 1 and leaves.exclude(source="").count() == 2
    # Every county of 郑州, the demo county among them; scores with reasons, some reviewed.
    counties = set(County.objects.filter(city__code="410100").values_list("pk", flat=True))
    for round_ in (current, current.previous):
        participants = _consistent(round_)
        assert {p.county_id for p in participants} == counties
        assert not Score.objects.filter(participant__round=round_, score__isnull=True).exists()
        assert not Score.objects.filter(participant__round=round_, reason="").exists()
        assert Score.objects.filter(participant__round=round_, review_score__isnull=False).exists()
    figures = Score.objects.filter(participant__round=current, indicator__source__gt="")
    assert figures.count() == 2 * len(counties) and figures.exclude(figure="").exists()
    # Where the app counted nothing for a county (no 整改 due), people scored the item, with a reason.
    assert not figures.filter(figure="", reason="").exists()
    # The published results as they stood, and 金水区's answered objection.
    revision = ResultRevision.objects.get(round=current.previous)
    assert revision.results == {
        str(p.pk): {"total": str(p.total), "grade": p.grade, "rank": p.rank}
        for p in current.previous.participants.all()
    }
    objection = Objection.objects.get(participant__round=current.previous)
    assert objection.participant.county.name == DEMO_COUNTY and objection.outcome == "rejected"


def test_the_showcase_self_assessments_are_obligations_most_of_them_accepted():
    call_command("setup_demo")
    current = EvaluationRound.objects.get(office__name=ZHENGZHOU, status="review")
    participants = {p.pk: p for p in current.participants.select_related("county")}
    owed = Assignment.objects.filter(kind=Assignment.Kind.EVALUATION, office=current.office, year=current.year)
    assert {a.subject_id for a in owed} == set(participants)
    assert {a.subject_type_id for a in owed} == {ContentType.objects.get_for_model(Participant).pk}
    assert all(participants[a.subject_id].county_id == a.county_id for a in owed)
    states = sorted(owed.values_list("state", flat=True))
    assert states.count("accepted") == len(participants) - 2
    assert {"reported", "acknowledged"} <= set(states)
    mine = owed.get(county__name=DEMO_COUNTY)
    assert mine.state == "accepted" and mine.reports.get().evidence.exists()


# --- generate_demo ------------------------------------------------------------------------------


@pytest.fixture
def generated():
    return demo_data_generate(scale="city", seed=5, as_of=AS_OF)


def test_every_county_of_every_city_is_scored_on_sixty_items_for_two_years(generated):
    offices = Office.objects.filter(level="city", demo_datasets__isnull=False)
    assert offices.count() == 5
    for office in offices:
        rounds = list(EvaluationRound.objects.filter(office=office).order_by("year"))
        assert [r.year for r in rounds] == [AS_OF.year - 1, AS_OF.year]
        assert rounds[1].previous == rounds[0] and rounds[0].previous is None
        assert rounds[1].sheet.copied_from == rounds[0].sheet
        counties = set(County.objects.filter(city_id=office.region_id).values_list("pk", flat=True))
        for round_ in rounds:
            items = Indicator.objects.filter(sheet=round_.sheet)
            leaves = items.filter(children__isnull=True)
            assert (items.filter(level=1).count(), leaves.count()) == (6, 60)
            assert leaves.aggregate(total=Sum("points"))["total"] == Decimal("100")
            assert round_.status == "published" and round_.revision == 1
            participants = _consistent(round_)
            assert {p.county_id for p in participants} == counties
            assert Score.objects.filter(participant__round=round_).count() == 60 * len(counties)
            revision = ResultRevision.objects.get(round=round_)
            assert set(revision.results) == {str(p.pk) for p in participants}
    assert generated.counts["evaluation.EvaluationRound"] == 10
    assert Score.objects.exclude(review_score=None).exists() and Objection.objects.exists()
    assert not Score.objects.filter(score__isnull=False, reason="").exists()


def test_each_participant_owes_its_self_assessment_once(generated):
    participant_type = ContentType.objects.get_for_model(Participant)
    owed = Assignment.objects.filter(kind=Assignment.Kind.EVALUATION)
    assert owed.count() == Participant.objects.count()
    assert set(owed.values_list("subject_type_id", flat=True)) == {participant_type.pk}
    pairs = set(owed.values_list("subject_id", "county_id", "office_id", "year"))
    assert pairs == set(Participant.objects.values_list("pk", "county_id", "round__office_id", "round__year"))
    assert owed.filter(state="accepted").count() > 0.9 * owed.count()
    # Accepted with its report; a county that never sent it has no self-assessed score.
    assert not owed.filter(state="accepted", reports__isnull=True).exists()
    silent = owed.filter(state="acknowledged").values("subject_id")
    assert not Score.objects.filter(participant__in=silent, self_score__isnull=False).exists()


def test_this_years_round_waits_for_its_publication_day():
    demo_data_generate(scale="city", seed=5, as_of=datetime.date(2026, 11, 10))

    this_year = EvaluationRound.objects.filter(year=2026)
    assert this_year.exists() and set(this_year.values_list("status", flat=True)) == {"review"}
    assert not ResultRevision.objects.filter(round__in=this_year).exists()
    assert not Objection.objects.filter(participant__round__in=this_year).exists()


def test_removal_leaves_no_generated_evaluation_row_and_what_people_made(generated):
    office = OfficeFactory()
    county = CountyFactory()
    sheet = IndicatorSheet.objects.create(office=office, title="自建指标", year=2026)
    item = Indicator.objects.create(sheet=sheet, level=1, position=1, title="一项", points=Decimal("10"))
    round_ = EvaluationRound.objects.create(office=office, sheet=sheet, title="自建评估", year=2026)
    participant = Participant.objects.create(round=round_, county=county)
    Score.objects.create(participant=participant, indicator=item, score=Decimal("8"), reason="扣2分。")

    demo_data_remove()

    for model in (Objection, ResultRevision, Indicator, IndicatorSheet, EvaluationRound, Participant, Score):
        assert model.objects.count() == (0 if model in (Objection, ResultRevision) else 1), model
    assert not Assignment.objects.filter(kind=Assignment.Kind.EVALUATION).exists()
