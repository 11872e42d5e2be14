"""supervision.history.bulk_create_with_history: the history rows simple_history's would write,
copied in the database."""

import uuid

from simple_history import utils

from plans.models import Section
from supervision.history import bulk_create_with_history
from tests.factories import UserFactory, WorkPlanFactory


def history_of(rows):
    Historical = Section.history.model
    tracked = [f.attname for f in Historical.tracked_fields]
    found = Historical.objects.filter(id__in=[row.pk for row in rows]).order_by("id")
    return [
        (
            tuple(getattr(h, name) for name in tracked if name not in ("id", "key", "plan_id")),
            h.history_type,
            h.history_user_id,
            h.history_change_reason,
        )
        for h in found
    ]


def sections(plan):
    return [
        Section(plan=plan, key=uuid.uuid4(), position=i, level=1, label=f"{i}、", heading=f"第{i}节")
        for i in range(1, 4)
    ]


def test_the_copied_history_is_what_simple_history_writes(db):
    user = UserFactory()
    ours_plan, theirs_plan = WorkPlanFactory(), WorkPlanFactory()
    ours = bulk_create_with_history(sections(ours_plan), Section, acting_user=user)
    theirs = utils.bulk_create_with_history(sections(theirs_plan), Section, default_user=user)
    assert all(row.pk for row in ours)
    assert history_of(ours) == history_of(theirs)
    assert [h[1:] for h in history_of(ours)] == [("+", user.pk, None)] * 3


def test_a_row_with_a_change_reason_is_left_to_simple_history(db):
    plan = WorkPlanFactory()
    rows = sections(plan)
    rows[0]._change_reason = "imported"
    bulk_create_with_history(rows, Section)
    assert [h[3] for h in history_of(rows)] == ["imported", None, None]


def test_a_value_not_of_its_fields_plain_type_is_prepared_as_django_would(db):
    plan = WorkPlanFactory()
    rows = sections(plan)
    rows[0].position = "7"  # a str where an int goes: prepared (int()) rather than sent as it is
    bulk_create_with_history(rows, Section)
    assert list(Section.objects.filter(plan=plan).order_by("pk").values_list("position", flat=True)) == [7, 2, 3]
    assert Section.history.get(id=rows[0].pk).position == 7
