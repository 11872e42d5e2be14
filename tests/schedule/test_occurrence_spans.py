"""The days each occurrence of recurring work covers, read from its key: what a school visit on
a day fulfils (schedule.recurrence.occurrence_span). No database."""

import datetime

import pytest

from schedule.recurrence import MONTHLY, QUARTERLY, TERMLY, WEEKLY, Recurrence, occurrence_span, occurrences

D = datetime.date


@pytest.mark.parametrize(
    ("key", "span"),
    [
        ("M02", (D(2028, 2, 1), D(2028, 2, 29))),
        ("Q2", (D(2028, 4, 1), D(2028, 6, 30))),
        ("H2", (D(2028, 7, 1), D(2028, 12, 31))),
        ("T1", (D(2028, 1, 1), D(2028, 6, 30))),
        ("W01", (D(2028, 1, 1), D(2028, 1, 2))),
        ("W02", (D(2028, 1, 3), D(2028, 1, 9))),
    ],
)
def test_a_key_covers_its_period(key, span):
    assert occurrence_span(key, 2028) == span


@pytest.mark.parametrize("key", ["", "M00", "M13", "Q5", "H3", "W54", "X01", "M1x"])
def test_a_key_of_no_occurrence_covers_nothing(key):
    assert occurrence_span(key, 2026) is None


@pytest.mark.parametrize("kind", [MONTHLY, QUARTERLY, TERMLY, WEEKLY])
def test_each_occurrence_ends_on_its_due_day_and_the_spans_tile_the_year(kind):
    found = occurrences(Recurrence(kind), year=2026)
    spans = [occurrence_span(o.key, 2026) for o in found]

    assert [end for _start, end in spans] == [o.due for o in found]
    assert spans[0][0] == D(2026, 1, 1) and spans[-1][1] == D(2026, 12, 31)
    assert all(later[0] - earlier[1] == datetime.timedelta(days=1) for earlier, later in zip(spans, spans[1:]))
