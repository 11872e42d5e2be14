from decimal import Decimal

import pytest

from evaluation.scoring import Thresholds, grade_of, points, ranks, score_bounds_error, total_of

D = Decimal
THRESHOLDS = Thresholds(excellent=D("90"), good=D("80"), passing=D("60"))


def test_points_are_exact_and_floats_are_refused():
    assert points("7.5") == D("7.50")
    assert total_of([points("0.1")] * 3) == D("0.30")
    with pytest.raises(TypeError):
        points(0.1)


def test_a_total_counts_the_given_scores_and_none_gives_none():
    assert total_of([D("10"), None, D("2.25")]) == D("12.25")
    assert total_of([None, None]) is None


@pytest.mark.parametrize(
    ("total", "vetoed", "grade"),
    [
        (D("90"), False, "excellent"),
        (D("89.99"), False, "good"),
        (D("60"), False, "pass"),
        (D("59.99"), False, "fail"),
        (D("98"), True, "fail"),
        (None, False, ""),
    ],
)
def test_grades_follow_the_thresholds_and_a_failed_veto_item(total, vetoed, grade):
    assert grade_of(total, vetoed=vetoed, thresholds=THRESHOLDS) == grade


def test_ties_share_a_rank_and_the_next_one_skips_and_vetoed_come_last():
    totals = {"a": D("90"), "b": D("95"), "c": D("90"), "d": D("80"), "e": D("99"), "f": None}
    assert ranks(totals, vetoed={"e"}) == {"b": 1, "a": 2, "c": 2, "d": 4, "e": 5, "f": None}


def test_a_score_must_lie_within_the_items_points_to_the_cent():
    assert score_bounds_error(D("5"), maximum=D("5")) is None
    assert score_bounds_error(D("5.01"), maximum=D("5")) == "over"
    assert score_bounds_error(D("-1"), maximum=D("5")) == "negative"
    assert score_bounds_error(D("1.005"), maximum=D("5")) == "precision"
