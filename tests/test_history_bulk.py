"""supervision.history.bulk_create_with_history and bulk_update_with_history: the rows and history
rows simple_history's would write, the history copied in the database."""

import uuid
from contextlib import nullcontext

from django.db import connection
from simple_history import utils

from plans.models import Section, Task
from supervision.history import bulk_create_with_history, bulk_update_with_history
from tests.factories import OfficeFactory, UserFactory, WorkPlanFactory, work_plan_build


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


def task_history_of(tasks):
    """Each "~" history row of `tasks`: whether it records the row as it now stands, its user
    and change reason."""
    Historical = Task.history.model
    tracked = [f.attname for f in Historical.tracked_fields]
    rows = {task.pk: task for task in Task.objects.filter(pk__in=[t.pk for t in tasks])}
    found = Historical.objects.filter(id__in=[t.pk for t in tasks], history_type="~").order_by("id")
    return [
        (
            all(getattr(h, name) == getattr(rows[h.id], name) for name in tracked),
            h.history_user_id,
            h.history_change_reason,
        )
        for h in found
    ]


def edited(plan, mark, office):
    tasks = list(Task.objects.filter(plan=plan).order_by("number"))
    for task in tasks:
        task.text = f"{task.text}（{mark}）"
        task.number += 10
        task.lead_office = office
        task.unconfirmed_places = [f"{mark}镇", task.number]
        task.addresses_all_counties = True
    return tasks


FIELDS = ["text", "number", "lead_office", "unconfirmed_places", "addresses_all_counties"]


def test_rows_updated_in_bulk_and_their_history_are_what_simple_history_writes(db, django_assert_num_queries):
    user = UserFactory()
    ours_plan, theirs_plan = work_plan_build(tasks=3), work_plan_build(tasks=3)
    office = OfficeFactory()
    ours, theirs = edited(ours_plan, "修订", office), edited(theirs_plan, "修订", office)
    # On PostgreSQL a batch's rows and their history are one statement.
    with django_assert_num_queries(2) if connection.vendor == "postgresql" else nullcontext():
        assert bulk_update_with_history(ours, Task, FIELDS, acting_user=user, batch_size=2) == 3
    utils.bulk_update_with_history(theirs, Task, FIELDS, default_user=user, batch_size=2)

    def rows(plan):
        return list(
            Task.objects.filter(plan=plan)
            .order_by("number")
            .values_list("text", "number", "lead_office__name", "unconfirmed_places", "addresses_all_counties")
        )

    assert [row[1:] for row in rows(ours_plan)] == [row[1:] for row in rows(theirs_plan)]
    assert [row[0] for row in rows(ours_plan)] == [f"{t.text}" for t in ours]
    assert rows(ours_plan)[0][3] == ["修订镇", 11]
    assert task_history_of(ours) == task_history_of(theirs) == [(True, user.pk, None)] * 3


def test_nothing_to_update_writes_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk_update_with_history([], Task, ["text"]) == 0


def test_a_row_with_a_change_reason_is_updated_by_simple_history_with_it(db):
    plan = work_plan_build(tasks=2)
    tasks = list(Task.objects.filter(plan=plan).order_by("number"))
    for task in tasks:
        task.text = "改写"
    tasks[1]._change_reason = "按意见修改"
    assert bulk_update_with_history(tasks, Task, ["text"]) == 2
    assert list(Task.objects.filter(plan=plan).values_list("text", flat=True)) == ["改写", "改写"]
    reasons = Task.history.filter(history_type="~").order_by("id").values_list("history_change_reason", flat=True)
    assert list(reasons) == [None, "按意见修改"]
