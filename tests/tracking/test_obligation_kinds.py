"""One county obligation, many kinds: a kind registered here (a 挂牌督导-like visit about a
county, this test's own) shares with plan work the portal, 签收, the reports and their
evidence, the review and the menu's 待办, the reminders, the urgency rule and the dashboards,
none of which names a kind.

Adding a kind takes a registry entry (tracking.kinds) and a migration widening the kinds the
database accepts; the `visit_kind` fixture does both, and undoes them."""

import datetime
import re

import pytest
from django.apps import apps as global_apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, migrations, models, transaction
from django.db.migrations.state import ProjectState
from django.urls import reverse
from django.utils import timezone

from inspections.tally import triggers_install
from organisation.models import Membership, Region
from plans.models import WorkPlan
from plans.services import work_plan_publish, work_plan_submit
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    RegionFactory,
    county_user_create,
    staff_user_create,
    work_plan_build,
)
from tracking.kinds import ObligationKind, kind_get, kind_of, kind_register, kind_unregister
from tracking.models import Assignment, EvidenceFile, ProgressReport, Reminder
from tracking.selectors.tracking import province_dashboard_get
from tracking.services.assignments import obligations_issue
from tracking.services.reminders import reminders_send
from tracking.services.reports import report_submit

# Widening the database's kinds is a schema change: SQLite makes it outside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)
State = Assignment.State
TODAY = datetime.date(2024, 3, 12)  # a Tuesday: 7 working days reach 21 March
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A kind of the test's own (the real ones are registered by their apps: inspections.kinds).
VISIT = "test_visit"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    localdate = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, *args: TODAY if value is None else localdate(value))


def _widen_kinds(*extra: str) -> list:
    return [
        migrations.RemoveConstraint("assignment", "assignment_kind_valid"),
        migrations.AddConstraint(
            "assignment",
            models.CheckConstraint(
                condition=models.Q(kind__in=[*Assignment.Kind.values, *extra]), name="assignment_kind_valid"
            ),
        ),
    ]


def _apply(operations, *, backwards=False) -> None:
    states = [ProjectState.from_apps(global_apps)]
    for operation in operations:
        state = states[-1].clone()
        operation.state_forwards("tracking", state)
        states.append(state)
    with connection.schema_editor() as editor:
        steps = list(zip(operations, states, states[1:]))
        for operation, before, after in reversed(steps) if backwards else steps:
            if backwards:
                operation.database_backwards("tracking", editor, after, before)
            else:
                operation.database_forwards("tracking", editor, before, after)
        # SQLite changes a constraint by making the table anew, without its triggers: the visit
        # tally's come back as the latest migration makes them, for the tests after this one.
        if connection.vendor == "sqlite":
            triggers_install(editor)


@pytest.fixture
def visit_kind(transactional_db):
    """A second kind, as the next issue adds 挂牌督导 visits: about a county (its subject), its
    page the county's page, reported as done with evidence only. The kind it stands in for
    (inspections.kinds registers the real one under the same key) comes back after it."""
    registered = kind_get(VISIT)
    kind = kind_register(
        ObligationKind(
            key=VISIT,
            label="挂牌督导",
            source_url=lambda a: reverse("tracking:county_detail", args=[a.subject_id]),
            progress=("done",),
            evidence_required=True,
        )
    )
    operations = _widen_kinds(VISIT)
    _apply(operations)
    yield kind
    # The database accepts no visit once narrowed again (the test's rows go at its end anyway).
    visits = Assignment.objects.filter(kind=VISIT)
    Reminder.assignments.through.objects.filter(assignment__in=visits).delete()
    EvidenceFile.objects.filter(report__assignment__in=visits).delete()
    ProgressReport.objects.filter(assignment__in=visits).delete()
    visits.delete()
    _apply(operations, backwards=True)
    kind_unregister(VISIT)
    if registered is not None:
        kind_register(registered)


@pytest.fixture
def world(visit_kind):
    province = RegionFactory(name="测试省", level=Region.Level.PROVINCE)
    office = OfficeFactory(region=RegionFactory(name="测试市", parent=province))
    county = CountyFactory(city=office.region, name="测试一区")
    school = CountyFactory(city=office.region, name="测试二区")  # what a one-off visit is about
    editor = staff_user_create(office=office)
    reviewer = staff_user_create(office=office, role=Membership.Role.REVIEWER)
    plan = work_plan_build(
        tasks=2, counties=[county], office=office, status=WorkPlan.Status.DRAFT, plan_year=2024, title="2024年工作要点"
    )
    work_plan_submit(plan=plan, acting_user=editor)
    work_plan_publish(plan=plan, acting_user=reviewer)
    monthly = obligations_issue(
        kind=VISIT,
        subject=county,
        office=office,
        year=2024,
        counties=[county],
        label="责任督学挂牌督导",
        period="每月",
        acting_user=editor,
    )
    [once] = obligations_issue(
        kind=VISIT,
        subject=school,
        office=office,
        year=2024,
        counties=[county],
        label="整改情况复查",
        due_date=datetime.date(2024, 3, 20),
        acting_user=editor,
    )
    return {
        "province": province,
        "office": office,
        "county": county,
        "school": school,
        "editor": editor,
        "reviewer": reviewer,
        "county_user": county_user_create(county=county),
        "plan": plan,
        "monthly": monthly,
        "once": once,
    }


def test_another_kind_is_owed_once_per_occurrence_with_due_dates_by_the_calendar(world):
    monthly, once = world["monthly"], world["once"]

    assert [(a.occurrence, a.occurrence_number, a.occurrence_count) for a in monthly][:2] == [
        ("M01", 1, 12),
        ("M02", 2, 12),
    ]
    assert len(monthly) == 12 and {a.kind for a in monthly} == {VISIT}
    assert {(a.office_id, a.year, a.plan_id) for a in [*monthly, once]} == {(world["office"].pk, 2024, None)}
    assert monthly[0].subject == world["county"] and once.subject == world["school"]
    # 31 March 2024 is a Sunday: due the Friday before, as plan work would be.
    assert monthly[2].due_date == datetime.date(2024, 3, 29) and monthly[2].label == "责任督学挂牌督导 · 3月"
    assert (once.due_date, once.occurrence, once.occurrence_count, once.label) == (
        datetime.date(2024, 3, 20),
        "",
        0,
        "整改情况复查",
    )
    # Issued again, nothing is owed twice.
    assert (
        obligations_issue(
            kind=VISIT,
            subject=world["county"],
            office=world["office"],
            year=2024,
            counties=[world["county"]],
            label="责任督学挂牌督导",
            period="每月",
            acting_user=world["editor"],
        )
        == []
    )
    # …and the next year, its twelve months are owed again.
    next_year = obligations_issue(
        kind=VISIT,
        subject=world["county"],
        office=world["office"],
        year=2025,
        counties=[world["county"]],
        label="责任督学挂牌督导",
        period="每月",
        acting_user=world["editor"],
    )
    assert [(a.year, a.occurrence) for a in next_year][:2] == [(2025, "M01"), (2025, "M02")] and len(next_year) == 12


def test_the_database_keeps_each_kind_to_its_own_source(world):
    plan_work = Assignment.objects.filter(kind=Assignment.Kind.PLAN_WORK).first()
    assert plan_work.office_id == world["office"].pk and plan_work.year == 2024

    for changes in ({"plan_id": None}, {"kind": VISIT}, {"kind": "nonsense"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Assignment.objects.filter(pk=plan_work.pk).update(**changes)
    with pytest.raises(ValidationError):
        obligations_issue(
            kind="nonsense",
            subject=world["county"],
            office=world["office"],
            year=2024,
            counties=[world["county"]],
            label="x",
            due_date=TODAY,
            acting_user=world["editor"],
        )


def _items(html: str) -> list[str]:
    return re.findall(r'<a class="assignment__label" href="/assignments/(\d+)/">', html)


def test_the_portal_lists_it_beside_plan_work_current_first_with_its_urgency(client, world):
    client.force_login(world["county_user"])
    monthly, once = world["monthly"], world["once"]

    html = client.get(reverse("tracking:portal")).content.decode()

    urgent = html.split('id="group-1"')[1].split('id="group-2"')[0]
    overdue = [int(pk) for pk in _items(urgent)]
    plan_work = list(
        Assignment.objects.filter(kind=Assignment.Kind.PLAN_WORK, due_date__lt=TODAY).values_list("pk", flat=True)
    )
    # Overdue, by due date whatever the kind: January's plan work and visit, then February's.
    assert "逾期" in urgent and overdue == [plan_work[0], monthly[0].pk, plan_work[1], monthly[1].pk]
    soon = html.split('id="group-2"')[1].split('id="group-3"')[0]
    assert str(once.pk) in _items(soon) and "即将到期" in soon
    # 第 n/m 次 for recurring work only.
    assert "第 1/12 次" in html and "第 3/12 次" in html
    once_item = html.split(f'href="/assignments/{once.pk}/"')[1].split("</li>")[0]
    assert "次</span>" not in once_item and "挂牌督导 · 测试二区" in once_item
    by_source = client.get(reverse("tracking:portal"), {"view": "plan"}).content.decode()
    assert "2024年工作要点" in by_source and "挂牌督导：测试一区" in by_source
    assert (
        f'<a href="{reverse("tracking:county_detail", args=[world["county"].pk])}">挂牌督导：测试一区</a>' in by_source
    )
    assert f'name="kind" value="{VISIT}"' in by_source


def test_acknowledging_all_of_a_source_takes_that_source_only(client, world):
    client.force_login(world["county_user"])
    source = kind_of(world["once"]).source_value(world["once"])

    client.post(reverse("tracking:assignment_acknowledge"), {"kind": VISIT, "source": source})

    acknowledged = set(Assignment.objects.filter(state=State.ACKNOWLEDGED).values_list("pk", flat=True))
    assert acknowledged == {world["once"].pk}


def test_it_is_reported_with_evidence_and_reviewed_as_plan_work_is(client, world):
    once, reviewer = world["once"], world["reviewer"]
    client.force_login(world["county_user"])
    page = client.get(reverse("tracking:assignment_detail", args=[once.pk])).content.decode()
    assert "挂牌督导" in page and 'value="in_progress"' not in page and 'value="done"' in page

    refused = client.post(
        reverse("tracking:report_create", args=[once.pk]),
        {"progress": "done", "text": "已复查", "submission_key": "4b4c1f44-9a68-4a57-9a44-0a9d1c0f4b11"},
    )
    assert refused.status_code == 400 and not once.reports.exists()
    with pytest.raises(ValidationError) as refused_progress:
        report_submit(assignment=once, acting_user=world["county_user"], progress="in_progress", text="进行中")
    assert refused_progress.value.code == "progress_not_taken"
    client.post(
        reverse("tracking:report_create", args=[once.pk]),
        {
            "progress": "done",
            "text": "已复查，整改到位。",
            "files": [SimpleUploadedFile("复查记录.pdf", PDF)],
            "submission_key": "4b4c1f44-9a68-4a57-9a44-0a9d1c0f4b12",
        },
    )
    once.refresh_from_db()
    report = once.reports.get()
    assert once.state == State.REPORTED and report.evidence.get().name == "复查记录.pdf"

    client.force_login(reviewer)
    menu = client.get(reverse("tracking:inbox")).content.decode()
    assert '<span class="nav-count">1</span>' in menu and "测试一区 · 整改情况复查" in menu
    evidence = EvidenceFile.objects.get(report=report)
    assert client.get(reverse("tracking:evidence_download", args=[evidence.pk])).status_code == 200
    client.post(reverse("tracking:report_review", args=[report.pk]), {"decision": "accept"})
    once.refresh_from_db()
    assert once.state == State.ACCEPTED and once.closed_at is not None


def test_it_is_reminded_and_overdue_by_the_same_rule(world):
    overdue = set(Assignment.objects.overdue(TODAY).filter(kind=VISIT).values_list("pk", flat=True))
    assert overdue == {world["monthly"][0].pk, world["monthly"][1].pk}
    world["county_user"].email = "county@example.org"
    world["county_user"].save()

    [(draft, reminder)] = reminders_send(today=TODAY)

    # Due within 5 working days (by 19 March) or overdue: January's and February's visits.
    reminded = {a.pk for a in reminder.assignments.all() if a.kind == VISIT}
    assert reminded == {world["monthly"][0].pk, world["monthly"][1].pk}
    assert "测试一区：责任督学挂牌督导 · 1月" in mail.outbox[0].body
    assert "2024年工作要点：" in mail.outbox[0].body  # plan work beside it, named by its plan


def test_the_office_and_province_figures_count_it(client, world):
    plan_work = Assignment.objects.filter(kind=Assignment.Kind.PLAN_WORK).count()
    client.force_login(world["editor"])

    html = client.get(reverse("tracking:office_dashboard", args=[world["office"].pk, 2024])).content.decode()

    assert f"共 {plan_work + 13} 项" in html or f"{plan_work + 13} 项" in html
    province = province_dashboard_get(region=world["province"], year=2024, today=TODAY)
    row = next(row for row in province.rows if row.office == world["office"])
    assert (
        row.total == plan_work + 13
        and row.overdue == 2 + Assignment.objects.overdue(TODAY).filter(kind=Assignment.Kind.PLAN_WORK).count()
    )
    # A plan's own page keeps to its plan.
    plan_page = client.get(reverse("tracking:plan_dashboard", args=[world["plan"].pk])).content.decode()
    assert "整改情况复查" not in plan_page and "责任督学挂牌督导" not in plan_page


def test_the_portal_reads_another_kind_with_one_query_more_for_its_subjects(client, world, django_assert_num_queries):
    client.force_login(world["county_user"])
    client.get(reverse("tracking:portal"))

    # session, user, memberships; counties; open work; the latest done work with its count;
    # the subjects of both lists.
    with django_assert_num_queries(7):
        client.get(reverse("tracking:portal"))
    # Done work of the same kind reads its subjects in the same query as the open work's.
    once = world["once"]
    now = timezone.now()
    Assignment.objects.filter(pk=once.pk).update(state=Assignment.State.ACCEPTED, acknowledged_at=now, closed_at=now)
    with django_assert_num_queries(7):
        page = client.get(reverse("tracking:portal")).content.decode()
    done = page[page.index('id="done-heading"') :]
    assert f"/assignments/{once.pk}/" in done and "测试二区" in done
