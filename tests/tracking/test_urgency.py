"""Urgency is defined once (schedule.urgency): overdue, due soon, late to acknowledge;
the SQL form that the dashboards count with says the same as the rule for every state."""

import datetime

import pytest

from schedule.urgency import OPEN_STATES, is_overdue, urgency
from tests.tracking.test_recurring_work import monthly_plan, publish, setting  # noqa: F401  (fixtures)
from tracking.models import Assignment

D = datetime.date


def test_the_rule_reads_states_and_dates():
    today, soon = D(2027, 3, 10), D(2027, 3, 19)

    assert urgency(state="acknowledged", due=D(2027, 3, 9), today=today, soon=soon) == "overdue"
    assert urgency(state="reported", due=today, today=today, soon=soon) == "soon"  # due today is on time
    assert urgency(state="assigned", due=D(2027, 3, 20), today=today, soon=soon) == "open"
    assert urgency(state="accepted", due=D(2027, 1, 1), today=today, soon=soon) == "done"
    assert not is_overdue(state="withdrawn", due=D(2027, 1, 1), today=today)


def test_the_models_open_states_are_the_rules():
    assert set(Assignment.OPEN) == OPEN_STATES


@pytest.mark.django_db
def test_the_overdue_query_counts_what_the_rule_calls_overdue(setting):  # noqa: F811
    office, counties, editor, reviewer = setting
    plan = publish(monthly_plan(office, counties), editor, reviewer)
    assignments = list(Assignment.objects.filter(plan=plan))
    for index, (assignment, state) in enumerate(zip(assignments, [s for s, _l in Assignment.State.choices] * 4)):
        assignment.state = state
        assignment.acknowledged_at = assignment.created_at
        assignment.closed_at = assignment.created_at if state in ("accepted", "withdrawn") else None
        assignment.due_date = D(2024, 6, 1) + datetime.timedelta(days=index)
    Assignment.objects.bulk_update(assignments, ["state", "acknowledged_at", "closed_at", "due_date"])
    today = D(2024, 6, 12)

    by_rule = {a.pk for a in assignments if is_overdue(state=a.state, due=a.due_date, today=today)}

    assert set(Assignment.objects.overdue(today).values_list("pk", flat=True)) == by_rule
    assert 0 < len(by_rule) < len(assignments)
