"""The results pages: ranking (provisional before publication), Excel, comparison, a participant's
sheet, publication, corrections and objections, who may see what, and the queries they read."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from evaluation.models import EvaluationRound, Objection, Participant, ResultRevision, Score
from evaluation.selectors_results import ranking_get
from evaluation.services import results as services
from organisation.models import Membership
from tests.evaluation.results_data import items_of, round_build, sheet_build
from tests.factories import CountyFactory, OfficeFactory, county_user_create, staff_user_create

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 6, 1)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(services, "site_today", lambda: TODAY)
    monkeypatch.setattr("evaluation.permissions.site_today", lambda: TODAY)
    return TODAY


@pytest.fixture
def office():
    return OfficeFactory()


@pytest.fixture
def reviewer(office):
    return staff_user_create(role=Membership.Role.REVIEWER, office=office)


@pytest.fixture
def editor(office):
    return staff_user_create(office=office)


@pytest.fixture
def counties():
    return [CountyFactory(name=f"乙{index}区") for index in range(3)]


@pytest.fixture
def round_(office, counties):
    return round_build(office=office, counties=counties)


def _participant(round_, county) -> Participant:
    return Participant.objects.get(round=round_, county=county)


# --- Ranking -----------------------------------------------------------------------------------


def test_staff_see_the_ranking_marked_provisional_before_publication(client, editor, round_):
    client.force_login(editor)

    html = client.get(f"/evaluation/{round_.pk}/results/").content.decode()

    assert "暂定" in html and "乙0区" in html and "30.00" in html


def test_counties_read_the_ranking_only_once_published(client, reviewer, round_, counties):
    county_user = county_user_create(county=counties[2])
    client.force_login(county_user)
    assert client.get(f"/evaluation/{round_.pk}/results/").status_code == 404

    services.round_publish(round_=round_, acting_user=reviewer)

    html = client.get(f"/evaluation/{round_.pk}/results/").content.decode()
    assert "乙0区" in html and "暂定" not in html
    # Its own sheet is linked; the others' are not, and the item comparison stays with staff.
    own = _participant(round_, counties[2])
    assert f"/evaluation/participants/{own.pk}/" in html
    assert f"/evaluation/participants/{_participant(round_, counties[0]).pk}/" not in html
    assert client.get(f"/evaluation/{round_.pk}/comparison/").status_code == 404


def test_a_county_not_taking_part_never_reads_the_ranking(client, reviewer, round_):
    client.force_login(county_user_create(county=CountyFactory(name="丙区")))
    services.round_publish(round_=round_, acting_user=reviewer)

    assert client.get(f"/evaluation/{round_.pk}/results/").status_code == 404


def test_publishing_from_the_page_refuses_missing_scores_and_then_publishes(client, reviewer, editor, office, counties):
    round_ = round_build(office=office, counties=counties, finals={counties[0]: [1, None, 2]})
    client.force_login(editor)
    assert client.post(f"/evaluation/{round_.pk}/publish/").status_code == 403
    client.force_login(reviewer)

    refused = client.post(f"/evaluation/{round_.pk}/publish/", follow=True).content.decode()
    assert "乙0区" in refused and EvaluationRound.objects.get(pk=round_.pk).status == "review"
    Score.objects.filter(participant__round=round_, score=None).update(score=Decimal(3), reason="补评")
    client.post(f"/evaluation/{round_.pk}/publish/", {"note": "审定公布"})

    round_.refresh_from_db()
    assert round_.is_published and ResultRevision.objects.get(round=round_).reason == "审定公布"


def test_the_page_the_excel_and_the_participants_give_the_same_exact_totals(client, editor, office):
    counties = [CountyFactory() for _ in range(2)]
    sheet = sheet_build(office=office, items=3, points="0.1")
    round_ = round_build(
        office=office,
        counties=counties,
        sheet=sheet,
        finals={counties[0]: ["0.1", "0.1", "0.1"], counties[1]: ["0.1", "0.05", "0"]},
    )
    client.force_login(editor)

    page = client.get(f"/evaluation/{round_.pk}/results/").content.decode()
    book = load_workbook(io.BytesIO(client.get(f"/evaluation/{round_.pk}/results.xlsx").content))

    totals = {p.pk: p.total for p in Participant.objects.filter(round=round_)}
    assert sorted(totals.values()) == [Decimal("0.15"), Decimal("0.30")]
    ranking = book.worksheets[0]
    excel = [ranking.cell(row=row, column=4) for row in (2, 3)]
    assert [Decimal(str(cell.value)).quantize(Decimal("0.01")) for cell in excel] == [
        Decimal("0.30"),
        Decimal("0.15"),
    ]
    assert all(cell.number_format == "0.00" for cell in excel)
    assert [row.participant.total for row in ranking_get(round_=round_).rows] == [Decimal("0.30"), Decimal("0.15")]
    assert ">0.30<" in page and ">0.15<" in page
    scores = book.worksheets[1]
    assert scores.cell(row=5, column=4).value == pytest.approx(0.3)  # the total row
    assert scores.cell(row=3, column=5).number_format == "0.00"


# --- Comparison and last year ------------------------------------------------------------------


def test_the_comparison_shows_averages_extremes_and_the_change_against_last_year(client, editor, office, counties):
    last = round_build(office=office, counties=counties, year=2025)
    this = round_build(
        office=office,
        counties=counties,
        year=2026,
        previous=last,
        finals={counties[0]: [10, 10, 10], counties[1]: ["8.5", 9, 9], counties[2]: [7, 8, 8]},
    )
    client.force_login(editor)

    html = client.get(f"/evaluation/{this.pk}/comparison/").content.decode()

    # Item 1.1: 10, 8.50, 7 → average 8.50, lowest 7.00, highest 10.00; 乙1区 had 9 last year.
    assert "8.50" in html and "7.00" in html and "(−0.50)" in html
    ranking = client.get(f"/evaluation/{this.pk}/results/").content.decode()
    assert "去年" in ranking or "Last year" in ranking


# --- A participant's sheet ---------------------------------------------------------------------


def test_a_county_sees_only_its_own_sheet_and_no_inspector_scores_before_publication(
    client, reviewer, round_, counties
):
    county_user = county_user_create(county=counties[1])
    own, other = _participant(round_, counties[1]), _participant(round_, counties[0])
    client.force_login(county_user)

    before = client.get(f"/evaluation/participants/{own.pk}/").content.decode()
    assert client.get(f"/evaluation/participants/{other.pk}/").status_code == 404
    assert "现场核查" not in before and "27.00" not in before and "30.00" in before  # its self total only

    services.round_publish(round_=round_, acting_user=reviewer)
    after = client.get(f"/evaluation/participants/{own.pk}/").content.decode()
    assert "现场核查" in after and "27.00" in after
    assert f"/evaluation/participants/{own.pk}/object/" in after


# --- Corrections -------------------------------------------------------------------------------


def test_a_correction_from_the_page_is_listed_with_its_reason_and_changed_rank(client, reviewer, round_, counties):
    services.round_publish(round_=round_, acting_user=reviewer)
    third = _participant(round_, counties[2])
    client.force_login(reviewer)
    form = {
        "reason": "复核更正",
        "change-TOTAL_FORMS": "3",
        "change-INITIAL_FORMS": "0",
        "change-MIN_NUM_FORMS": "0",
        "change-MAX_NUM_FORMS": "20",
    }
    for index, item in enumerate(items_of(round_)):
        form |= {
            f"change-{index}-participant": third.pk,
            f"change-{index}-indicator": item.pk,
            f"change-{index}-score": "10",
        }
    assert client.get(f"/evaluation/{round_.pk}/correct/").status_code == 200

    response = client.post(f"/evaluation/{round_.pk}/correct/", form)

    assert response.status_code == 302
    html = client.get(f"/evaluation/{round_.pk}/results/").content.decode()
    assert "复核更正" in html and "24.00 → 30.00" in html and "3 → 1" in html
    assert EvaluationRound.objects.get(pk=round_.pk).revision == 2


def test_a_correction_without_a_reason_keeps_what_was_typed(client, reviewer, round_, counties):
    services.round_publish(round_=round_, acting_user=reviewer)
    client.force_login(reviewer)
    item = items_of(round_)[0]
    form = {
        "reason": "",
        "change-TOTAL_FORMS": "1",
        "change-INITIAL_FORMS": "0",
        "change-MIN_NUM_FORMS": "0",
        "change-MAX_NUM_FORMS": "20",
        "change-0-participant": _participant(round_, counties[1]).pk,
        "change-0-indicator": item.pk,
        "change-0-score": "11",
    }

    response = client.post(f"/evaluation/{round_.pk}/correct/", form)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="11"' in html and "最多" in html or "at most" in html
    assert EvaluationRound.objects.get(pk=round_.pk).revision == 1


# --- Objections --------------------------------------------------------------------------------


def test_a_county_objects_within_the_window_and_is_refused_after(client, reviewer, round_, counties, monkeypatch):
    county_user = county_user_create(county=counties[1])
    own = _participant(round_, counties[1])
    client.force_login(county_user)
    assert client.get(f"/evaluation/participants/{own.pk}/object/").status_code == 403
    services.round_publish(round_=round_, acting_user=reviewer)
    item = items_of(round_)[0]

    response = client.post(f"/evaluation/participants/{own.pk}/object/", {"indicator": item.pk, "text": "已整改到位"})

    assert response.status_code == 302 and Objection.objects.get().indicator == item
    other = _participant(round_, counties[0])
    assert client.get(f"/evaluation/participants/{other.pk}/object/").status_code == 404
    later = EvaluationRound.objects.get(pk=round_.pk).objection_until + datetime.timedelta(days=1)
    monkeypatch.setattr("evaluation.permissions.site_today", lambda: later)
    assert client.post(f"/evaluation/participants/{own.pk}/object/", {"text": "再申诉"}).status_code == 403
    assert Objection.objects.count() == 1


def test_staff_answer_an_objection_once_and_the_county_reads_the_answer(client, reviewer, editor, round_, counties):
    services.round_publish(round_=round_, acting_user=reviewer)
    own = _participant(round_, counties[1])
    county_user = county_user_create(county=counties[1])
    item = items_of(round_)[0]
    objection = services.objection_raise(participant=own, indicator=item, text="材料齐全", acting_user=county_user)
    client.force_login(editor)
    assert client.get(f"/evaluation/objections/{objection.pk}/answer/").status_code == 403
    assert "材料齐全" in client.get(f"/evaluation/{round_.pk}/results/").content.decode()
    client.force_login(reviewer)
    assert client.get(f"/evaluation/objections/{objection.pk}/answer/").status_code == 200

    client.post(
        f"/evaluation/objections/{objection.pk}/answer/",
        {"outcome": "partly", "answer": "部分采纳", "indicator": item.pk, "score": "9.50"},
    )
    again = client.post(f"/evaluation/objections/{objection.pk}/answer/", {"outcome": "rejected", "answer": "改判"})

    assert again.status_code == 302
    objection.refresh_from_db()
    assert objection.outcome == "partly" and objection.answer == "部分采纳"
    assert Score.objects.get(participant=own, indicator=item).final == Decimal("9.50")
    assert EvaluationRound.objects.get(pk=round_.pk).revision == 2
    client.force_login(county_user)
    assert "部分采纳" in client.get(f"/evaluation/participants/{own.pk}/").content.decode()


# --- Queries at scale --------------------------------------------------------------------------


@pytest.fixture
def big_round(office):
    counties = [CountyFactory() for _ in range(15)]
    sheet = sheet_build(office=office, items=60, points="1.5", year=2025)
    last = round_build(office=office, counties=counties, sheet=sheet, year=2025, items=60)
    this = round_build(office=office, counties=counties, sheet=sheet, year=2026, items=60, previous=last)
    Objection.objects.create(participant=this.participants.first(), text="申诉")
    return this


def test_the_results_pages_read_a_fixed_number_of_queries(client, reviewer, big_round, django_assert_max_num_queries):
    services.round_publish(round_=big_round, acting_user=reviewer)
    participant = big_round.participants.order_by("pk").first()
    client.force_login(reviewer)

    with django_assert_max_num_queries(12):
        assert client.get(f"/evaluation/{big_round.pk}/results/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/evaluation/{big_round.pk}/comparison/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/evaluation/participants/{participant.pk}/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"/evaluation/{big_round.pk}/results.xlsx").status_code == 200
