"""The rounds' pages: the list, the form, a round's page with its stage buttons, and a
participant's 自评, 初评 and 复核 pages: who sees them (other offices: 404; a county never
scores: 403), what they save, and the queries they make."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import localize
from hypothesis import given
from hypothesis import strategies as st

from evaluation.models import EvaluationRound, Indicator, Participant, Score
from evaluation.selectors_rounds import round_list, rounds_progress
from evaluation.templatetags.results_extras import local_numbers
from tests.evaluation.round_data import (
    items,
    participant_of,
    round_in_scoring,
    round_make,
    round_started,
    round_world,
    scored,
)
from tracking.models import Assignment

pytestmark = pytest.mark.django_db
Status = EvaluationRound.Status


@pytest.fixture
def people():
    return round_world()


def _client(client, user):
    client.force_login(user)
    return client


def test_the_menu_leads_office_staff_to_the_rounds(client, people):
    round_make(people)
    page = _client(client, people["editor_a"]).get(reverse("evaluation:round_list"))

    assert page.status_code == 200
    text = page.content.decode()
    assert 'href="/evaluation/"' in text
    assert "2026年县级教育督导工作评估" in text


def test_the_list_reads_a_fixed_number_of_queries(client, people, django_assert_max_num_queries):
    for number in range(3):
        round_started(people, title=f"评估{number}")
    _client(client, people["editor_a"])

    with django_assert_max_num_queries(12):
        page = client.get(reverse("evaluation:round_list"))
    assert page.content.decode().count("/evaluation/") >= 3


def test_the_list_counts_each_rounds_participants_and_how_far_they_got(people):
    round_ = round_in_scoring(people)
    scored(people, participant_of(round_, people["a1"]))
    empty = round_make(people, counties=[], title="2026年空评估")

    listed = {r.pk: r for r in round_list(user=people["editor_a"])}
    progress = rounds_progress(list(listed.values()))

    assert (listed[round_.pk].participant_count, listed[empty.pk].participant_count) == (2, 0)
    assert (progress[round_.pk].self_assessed, progress[round_.pk].scored) == (2, 1)
    assert empty.pk not in progress


def test_a_score_on_a_heading_does_not_count_against_progress(people):
    round_ = round_in_scoring(people)
    participant = participant_of(round_, people["a1"])
    scored(people, participant)
    heading = Indicator.objects.filter(sheet=people["sheet"], children__isnull=False).first()
    Score.objects.create(participant=participant, indicator=heading)

    progress = rounds_progress([round_])

    assert (progress[round_.pk].self_assessed, progress[round_.pk].scored) == (2, 1)


def test_another_office_lists_none_of_the_rounds_and_reads_none(client, people):
    round_ = round_make(people)
    _client(client, people["editor_b"])

    assert "2026年县级教育督导工作评估" not in client.get(reverse("evaluation:round_list")).content.decode()
    assert client.get(round_.get_absolute_url()).status_code == 404
    participant = participant_of(round_, people["a1"])
    assert client.get(reverse("evaluation:scoring", args=[participant.pk])).status_code == 404


def test_a_county_lists_its_round_with_a_link_to_its_self_assessment(client, people):
    round_ = round_started(people)
    participant = participant_of(round_, people["a1"])
    _client(client, people["county_a1"])

    text = client.get(reverse("evaluation:round_list")).content.decode()

    assert reverse("evaluation:self_assessment", args=[participant.pk]) in text
    assert client.get(round_.get_absolute_url()).status_code == 404


def _form_data(people, **changes):
    data = {
        "title": "2026年督导评估",
        "year": "2026",
        "sheet": people["sheet"].pk,
        "target": "county",
        "self_assessment_due": "2026-12-18",
        "scoring_from": "2026-12-21",
        "scoring_until": "2026-12-25",
        "review_due": "2026-12-28",
        "publish_on": "2026-12-30",
        "objection_days": "5",
        "excellent_min": "90",
        "good_min": "80",
        "pass_min": "60",
        "counties": [people["a1"].pk, people["a2"].pk],
    }
    data.update(changes)
    return data


def test_a_round_is_created_from_the_form(client, people):
    _client(client, people["editor_a"])

    assert client.get(reverse("evaluation:round_create")).status_code == 200
    page = client.post(reverse("evaluation:round_create"), _form_data(people))

    round_ = EvaluationRound.objects.get(title="2026年督导评估")
    assert page.status_code == 302 and page["Location"] == round_.get_absolute_url()
    assert round_.participants.count() == 2


def test_the_form_refuses_thresholds_out_of_order_in_chinese_and_keeps_what_was_typed(client, people):
    _client(client, people["editor_a"])

    page = client.post(reverse("evaluation:round_create"), _form_data(people, good_min="95"))

    text = page.content.decode()
    assert page.status_code == 200
    assert "优秀的分数线不低于良好的分数线" in text
    assert "约束" not in text  # the model's constraint does not say it again
    assert 'value="2026年督导评估"' in text
    assert not EvaluationRound.objects.exists()


def test_asking_for_the_self_assessment_puts_it_in_the_county_portal(client, people):
    round_ = round_make(people)
    _client(client, people["editor_a"])

    page = client.post(reverse("evaluation:round_transition", args=[round_.pk]), {"to": "self"})

    assert page.status_code == 302
    assert Assignment.objects.filter(kind=Assignment.Kind.EVALUATION).count() == 2
    client.logout()
    _client(client, people["county_a1"])
    portal = client.get(reverse("tracking:portal")).content.decode()
    assert "2026年县级教育督导工作评估" in portal
    obligation = Assignment.objects.get(kind=Assignment.Kind.EVALUATION, county=people["a1"])
    detail = client.get(reverse("tracking:assignment_detail", args=[obligation.pk])).content.decode()
    participant = participant_of(round_, people["a1"])
    assert reverse("evaluation:self_assessment", args=[participant.pk]) in detail
    assert "5 项指标中已自评 0 项" in detail


def test_a_county_cannot_move_the_round(client, people):
    round_ = round_make(people)
    _client(client, people["county_a1"])

    assert client.post(reverse("evaluation:round_transition", args=[round_.pk]), {"to": "self"}).status_code == 404
    assert not Assignment.objects.filter(kind=Assignment.Kind.EVALUATION).exists()


def test_the_county_self_assesses_on_its_page(client, people):
    round_ = round_started(people)
    participant = participant_of(round_, people["a1"])
    found = items(people["sheet"])
    _client(client, people["county_a1"])
    url = reverse("evaluation:self_assessment", args=[participant.pk])
    assert client.get(url).status_code == 200

    page = client.post(
        url,
        {
            f"value_{found['1.1'].pk}": "9.5",
            f"text_{found['1.1'].pk}": "机构健全",
            f"value_{found['1.2'].pk}": "5.00",
            f"value_{found['2.1'].pk}": "8.00",
            f"value_{found['2.2'].pk}": "1.5",  # points deducted
            f"value_{found['2.3'].pk}": "",
        },
    )

    assert page.status_code == 302
    scores = {s.indicator.code: s for s in Score.objects.filter(participant=participant).select_related("indicator")}
    assert scores["1.1"].self_score == Decimal("9.50") and scores["1.1"].self_note == "机构健全"
    assert scores["2.2"].self_score == Decimal("8.50")
    assert scores["2.3"].self_score is None
    participant.refresh_from_db()
    assert participant.self_total == Decimal("31.00")


def test_another_county_neither_reads_nor_writes_the_self_assessment(client, people):
    round_ = round_started(people)
    participant = participant_of(round_, people["a1"])
    _client(client, people["county_a2"])

    assert client.get(reverse("evaluation:self_assessment", args=[participant.pk])).status_code == 404


def test_a_county_cannot_score(client, people):
    round_ = round_in_scoring(people)
    participant = participant_of(round_, people["a1"])
    _client(client, people["county_a1"])

    assert client.get(reverse("evaluation:scoring", args=[participant.pk])).status_code == 403
    assert client.post(reverse("evaluation:scoring", args=[participant.pk]), {}).status_code == 403


def test_a_score_without_its_reason_is_shown_as_an_error(client, people):
    round_ = round_in_scoring(people)
    participant = participant_of(round_, people["a1"])
    found = items(people["sheet"])
    _client(client, people["editor_a"])

    page = client.post(
        reverse("evaluation:scoring", args=[participant.pk]),
        {f"value_{found['1.1'].pk}": "8", f"text_{found['1.1'].pk}": ""},
    )

    assert page.status_code == 200
    assert "须说明评分理由" in page.content.decode()
    assert not Score.objects.filter(participant=participant, score__isnull=False).exists()


def test_the_scoring_page_reads_a_fixed_number_of_queries(client, people, django_assert_max_num_queries):
    round_ = round_in_scoring(people)
    participant = participant_of(round_, people["a1"])
    scored(people, participant)
    _client(client, people["editor_a"])
    client.get(reverse("evaluation:round_list"))

    with django_assert_max_num_queries(14):
        page = client.get(reverse("evaluation:scoring", args=[participant.pk]))
    text = page.content.decode()
    assert "现场查阅资料" in text and "已自查" in text
    # 2.1: self 10.00, initial 8.00: a fifth of its 10 points, highlighted.
    assert "score-diff--large" in text


def test_a_sheet_read_outside_its_stage_has_no_fields_and_takes_fewer_queries(
    client, people, django_assert_num_queries
):
    round_ = round_in_scoring(people)
    participant = participant_of(round_, people["a1"])
    scored(people, participant)
    _client(client, people["editor_a"])
    url = reverse("evaluation:scoring", args=[participant.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as editable:
        assert 'name="value_' in client.get(url).content.decode()

    EvaluationRound.objects.filter(pk=round_.pk).update(status=EvaluationRound.Status.REVIEW)
    with django_assert_num_queries(len(editable) - 1):  # the inspections to cite are not read
        page = client.get(url)

    text = page.content.decode()
    assert 'name="value_' not in text and "现场查阅资料" in text
    assert client.post(url, {}).status_code == 403


def test_the_figures_fill_from_the_round_page(client, people):
    round_ = round_in_scoring(people)
    _client(client, people["editor_a"])
    detail = client.get(round_.get_absolute_url()).content.decode()
    assert reverse("evaluation:round_fill_figures", args=[round_.pk]) in detail

    page = client.post(reverse("evaluation:round_fill_figures", args=[round_.pk]))

    assert page.status_code == 302
    # No plan work owed by either county: nothing counted, nothing filled.
    assert not Score.objects.filter(participant__round=round_, figure__gt="").exists()


def test_the_reviewer_changes_a_score_and_an_editor_may_not(client, people):
    round_ = round_in_scoring(people)
    for county in ("a1", "a2"):
        scored(people, participant_of(round_, people[county]))
    _client(client, people["editor_a"])
    client.post(reverse("evaluation:round_transition", args=[round_.pk]), {"to": "review"})
    round_.refresh_from_db()
    assert round_.status == Status.REVIEW
    participant = participant_of(round_, people["a1"])
    found = items(people["sheet"])
    url = reverse("evaluation:review", args=[participant.pk])
    data = {f"value_{found['1.1'].pk}": "10", f"text_{found['1.1'].pk}": "复核补充材料"}

    assert client.post(url, data).status_code == 403
    client.logout()
    _client(client, people["reviewer_a"])
    assert client.post(url, data).status_code == 302

    participant.refresh_from_db()
    assert participant.total == Decimal("45.50")
    score = Score.objects.get(participant=participant, indicator=found["1.1"])
    assert (score.review_score, score.reviewed_by) == (Decimal("10.00"), people["reviewer_a"])
    assert Participant.objects.get(pk=participant.pk).rank == 1


def test_the_round_page_shows_progress_and_provisional_ranks(client, people, django_assert_max_num_queries):
    round_ = round_in_scoring(people)
    scored(people, participant_of(round_, people["a1"]))
    _client(client, people["editor_a"])
    client.get(reverse("evaluation:round_list"))

    with django_assert_max_num_queries(14):
        page = client.get(round_.get_absolute_url())
    text = page.content.decode()
    assert "43.50" in text
    assert datetime.date(2026, 12, 18).isoformat() in text


def test_once_asked_the_round_keeps_its_participants_and_changes_its_calendar(client, people):
    round_ = round_started(people)
    _client(client, people["editor_a"])
    url = reverse("evaluation:round_edit", args=[round_.pk])
    assert "已通知参评对象自评" in client.get(url).content.decode()

    page = client.post(url, _form_data(people, title=round_.title, counties=[people["a1"].pk], review_due="2026-12-29"))

    assert page.status_code == 302
    round_.refresh_from_db()
    assert round_.review_due == datetime.date(2026, 12, 29)
    assert round_.self_assessment_due == datetime.date(2026, 12, 18)
    assert round_.participants.count() == 2


def test_a_viewer_reads_the_round_but_may_not_edit_it(client, people):
    round_ = round_make(people)
    _client(client, people["viewer_a"])

    assert client.get(round_.get_absolute_url()).status_code == 200
    assert client.get(reverse("evaluation:round_edit", args=[round_.pk])).status_code == 403


def test_a_round_of_schools_is_created_from_the_form(client, people):
    from tests.inspections.builders import school_make

    school = school_make(people["a2"], "甲二县实验小学")
    _client(client, people["editor_a"])
    assert "甲二县实验小学" in client.get(reverse("evaluation:round_create")).content.decode()

    page = client.post(
        reverse("evaluation:round_create"), _form_data(people, target="school", counties=[], schools=[school.pk])
    )

    assert page.status_code == 302
    [participant] = EvaluationRound.objects.get(title="2026年督导评估").participants.all()
    assert (participant.county, participant.school) == (people["a2"], school)
    text = client.get(EvaluationRound.objects.get(title="2026年督导评估").get_absolute_url()).content.decode()
    assert "甲二县实验小学" in text


@given(
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10_000_000, max_value=10_000_000)
    | st.integers(min_value=-(10**9), max_value=10**9)
    | st.sampled_from([Decimal("1E+3"), Decimal("-0"), Decimal("1E+300")]),
    st.sampled_from(["zh-hans", "en", "fr"]),
)
def test_sheet_numbers_are_written_as_localize_writes_them(value, language):
    with translation.override(language):
        assert local_numbers()(value) == localize(value)
