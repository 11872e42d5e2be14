"""An obligation met or dropped by what the app itself records (a school visit, a school
closed), with no report to review: closed in one step, with one audit event each."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from audit.models import ActionLog
from tests.factories import CountyFactory, CountyOfficeFactory, UserFactory
from tracking import actions
from tracking.models import Assignment
from tracking.services.assignments import (
    Owed,
    obligation_fulfil,
    obligations_issue,
    obligations_issue_many,
    obligations_withdraw,
)

pytestmark = pytest.mark.django_db
State = Assignment.State


@pytest.fixture
def owed():
    county = CountyFactory()
    return obligations_issue(
        kind="visit",
        subject=county,
        office=CountyOfficeFactory(county=county),
        year=2026,
        counties=[county],
        label="挂牌督导：测试小学",
        acting_user=None,
        period="每月",
        months=(3, 4),
    )


def test_fulfilling_closes_an_open_obligation_as_accepted(owed):
    user = UserFactory()

    done = obligation_fulfil(assignment=owed[0], acting_user=user, note="3月12日走访")

    done.refresh_from_db()
    assert (done.state, done.closed_note, done.acknowledged_by) == (State.ACCEPTED, "3月12日走访", user)
    assert done.closed_at is not None and done.acknowledged_at is not None
    assert ActionLog.objects.filter(action_type=actions.ASSIGNMENT_FULFILLED, object_id=done.pk).count() == 1
    with pytest.raises(ValidationError):
        obligation_fulfil(assignment=done, acting_user=user)


def test_withdrawing_leaves_closed_obligations_as_they_are(owed):
    obligation_fulfil(assignment=owed[0], acting_user=None)

    count = obligations_withdraw(assignments=owed, acting_user=None, note="学校撤销")

    assert count == 1
    assert dict(Assignment.objects.values_list("occurrence", "state")) == {
        "M03": State.ACCEPTED,
        "M04": State.WITHDRAWN,
    }
    assert ActionLog.objects.filter(action_type=actions.ASSIGNMENT_WITHDRAWN).count() == 1


def test_issuing_for_many_subjects_of_mixed_types_is_refused():
    county = CountyFactory()
    with pytest.raises(ValueError):
        obligations_issue_many(
            kind="visit",
            owed=[Owed(county.city, (county,), "a"), Owed(county, (county,), "b")],
            office=CountyOfficeFactory(county=county),
            year=2026,
            acting_user=None,
            due_date=datetime.date(2026, 3, 31),
        )
