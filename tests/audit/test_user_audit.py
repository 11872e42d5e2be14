"""What one user did, a page at a time: every line once however many share an instant, and a
page's queries fixed by the page, not by the user's history."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import ActionLog
from audit.services import log_action
from organisation.models import Membership
from plans import actions
from plans.models import EntryTarget, Project, ScheduleEntry, Section, Task, TaskTarget, WorkPlan
from plans.selectors.history import AUDIT_PAGE
from supervision.history import acting_as
from tests.factories import (
    CountyFactory,
    MembershipFactory,
    OfficeFactory,
    ProjectFactory,
    ScheduleEntryFactory,
    SectionFactory,
    TaskFactory,
    UserFactory,
    WorkPlanFactory,
)

pytestmark = pytest.mark.django_db

_TABLES = (WorkPlan, Section, Task, Project, ScheduleEntry, Membership, TaskTarget, EntryTarget)
_START = datetime.datetime(2024, 3, 1, 8, 0, tzinfo=datetime.UTC)


def _write_everything(user, *, plans: int) -> None:
    """In `user`'s name, for each of `plans` plans: the plan, a section, a task, a project, a
    calendar line, a county named by the task and by the line, the task's title changed and a
    step in the audit log; then a membership (9 × plans + 1 entries)."""
    office, county = OfficeFactory(), CountyFactory()
    with acting_as(user):
        for n in range(plans):
            plan = WorkPlanFactory(office=office, plan_year=2000 + n)
            task = TaskFactory(plan=plan, section=SectionFactory(plan=plan))
            ProjectFactory(plan=plan)
            entry = ScheduleEntryFactory(plan=plan, task=task)
            TaskTarget.objects.create(task=task, county=county)
            EntryTarget.objects.create(entry=entry, county=county)
            task.title = f"改过的任务{n}"
            task.save()
            log_action(plan, actions.PLAN_SUBMITTED, user=user, office=office)
        MembershipFactory(user=user)


def _entries(user) -> list[tuple[object, int]]:
    """(table, row) of everything recorded in `user`'s name, oldest first."""
    found = []
    for model in _TABLES:
        Historical = model.history.model
        rows = Historical.objects.filter(history_user=user).values_list("history_date", "history_id")
        found += [(at, model, pk) for at, pk in rows]
    found += [(at, None, pk) for at, pk in ActionLog.objects.filter(user=user).values_list("datetime", "id")]
    found.sort(key=lambda e: (e[0], _TABLES.index(e[1]) if e[1] else len(_TABLES), e[2]))
    return [(model, pk) for _at, model, pk in found]


def _dated(user, *, per_instant: int) -> list[tuple[object, int]]:
    """Give `user`'s entries, oldest first, one instant for each `per_instant` of them (the
    tables of one instant mixed, as an import or a copy writes them); return them in the order
    the page lists them: newest first, and of one instant the plan, its parts, the counties and
    the audit log last, each table's newest row first."""
    dated = []
    for n, (model, pk) in enumerate(_entries(user)):
        at = _START + datetime.timedelta(minutes=n // per_instant)
        if model is None:
            ActionLog.objects.filter(pk=pk).update(datetime=at)
        else:
            model.history.model.objects.filter(history_id=pk).update(history_date=at)
        dated.append((at, model, pk))
    dated.sort(key=lambda e: (-e[0].timestamp(), _TABLES.index(e[1]) if e[1] else len(_TABLES), -e[2]))
    return [(model, pk) for _at, model, pk in dated]


def _walk(client, user) -> list[list[tuple[object, int]]]:
    """Each page of `user`'s actions, following the link to older ones: its lines' entries."""
    url, pages = reverse("plans:user_audit", args=[user.pk]), []
    while True:
        response = client.get(url)
        assert response.status_code == 200
        pages.append([(line.model, line.entry_id) for line in response.context["lines"]])
        older = response.context["older"]
        if older is None:
            return pages
        assert f'href="?{older.replace("&", "&amp;")}"' in response.content.decode()
        url = f"{reverse('plans:user_audit', args=[user.pk])}?{older}"


@pytest.mark.parametrize("per_instant", [1, 7, 1000], ids=["each-its-own", "seven-at-once", "all-at-once"])
def test_paging_through_a_users_actions_shows_every_line_once(client, per_instant):
    user = UserFactory()
    _write_everything(user, plans=25)
    entries = _dated(user, per_instant=per_instant)
    client.force_login(UserFactory(is_superuser=True))

    pages = _walk(client, user)

    assert [len(page) for page in pages] == [AUDIT_PAGE, AUDIT_PAGE, len(entries) - 2 * AUDIT_PAGE]
    assert [entry for page in pages for entry in page] == entries


def test_an_older_link_without_an_entry_lists_what_came_before_its_instant(client):
    user = UserFactory()
    _write_everything(user, plans=2)
    entries = _dated(user, per_instant=3)
    client.force_login(UserFactory(is_superuser=True))
    instant = (_START + datetime.timedelta(minutes=2)).isoformat()

    response = client.get(reverse("plans:user_audit", args=[user.pk]), {"before": instant})

    # The first two instants' three entries each.
    assert [(line.model, line.entry_id) for line in response.context["lines"]] == entries[-6:]
    assert response.context["older"] is None


def test_an_older_link_altered_by_hand_is_read_as_far_as_it_makes_sense(client):
    user = UserFactory()
    _write_everything(user, plans=1)
    client.force_login(UserFactory(is_superuser=True))
    url = reverse("plans:user_audit", args=[user.pk])
    later = (_START + datetime.timedelta(days=1)).isoformat()
    _dated(user, per_instant=100)

    for entry in ("task.9" + "9" * 40, "nothing.1", "task.x", ""):
        response = client.get(url, {"before": later, "entry": entry})
        assert response.status_code == 200 and len(response.context["lines"]) == 10, entry


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_page_of_a_users_actions_takes_the_same_queries_however_long_their_history(client):
    user = UserFactory()
    client.force_login(UserFactory(is_superuser=True))
    url = reverse("plans:user_audit", args=[user.pk])
    counts = []
    for _more in range(2):
        _write_everything(user, plans=23)
        _dated(user, per_instant=5)
        older = client.get(url).context["older"]
        counts.append((_queries(client, url), _queries(client, f"{url}?{older}")))

    # Session, user and memberships, the subject; the page's entries (one query over every
    # table); the records of each of the 6 tables of content, and the records before the
    # changes among them (tasks); the 2 tables of counties, their counties' names and the tasks
    # and calendar lines they belong to (2); the plans' draft revisions and the plans' audit
    # log (bookkeeping left out); the user's steps. The older page holds no membership.
    assert counts == [(20, 19), (20, 19)], counts
