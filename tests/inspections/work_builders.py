"""Builders of inspection work for the documents' and dashboards' tests: inspections with a team,
findings, 整改 items with their county obligations (written by tracking's obligations_issue, as
the app writes them), and 挂牌督导 visit obligations."""

import datetime

from django.utils import timezone

from inspections.models import (
    DocumentSeries,
    Finding,
    Inspection,
    InspectionMember,
    Rectification,
    Visit,
)
from organisation.models import Office
from tracking.models import Assignment
from tracking.services.assignments import obligation_fulfil, obligations_issue

State = Assignment.State


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    """Noon of `day` in the site's time zone."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def series_make(office, prefix: str) -> DocumentSeries:
    return DocumentSeries.objects.create(office=office, prefix=prefix)


def inspection_make(
    office,
    *,
    title: str = "义务教育学校办学行为专项督导",
    kind: str = Inspection.Kind.SPECIAL,
    year: int = 2026,
    counties=(),
    schools=(),
    status: str = Inspection.Status.ON_SITE,
    starts_on: datetime.date = datetime.date(2026, 4, 7),
    ends_on: datetime.date | None = None,
    description: str = "重点督查课后服务、作业管理和校园安全。",
    leader: str = "李组长",
    members=("王督学",),
) -> Inspection:
    inspection = Inspection.objects.create(
        office=office,
        year=year,
        kind=kind,
        title=title,
        description=description,
        status=status,
        starts_on=starts_on,
        ends_on=ends_on or starts_on + datetime.timedelta(days=2),
        closed_at=timezone.now() if status == Inspection.Status.CLOSED else None,
    )
    inspection.counties.set(counties)
    inspection.schools.set(schools)
    if leader:
        InspectionMember.objects.create(inspection=inspection, role=InspectionMember.Role.LEADER, name=leader)
    for name in members:
        InspectionMember.objects.create(inspection=inspection, name=name)
    return inspection


def finding_make(inspection, county, text: str, severity: str = Finding.Severity.GENERAL, school=None) -> Finding:
    return Finding.objects.create(inspection=inspection, county=county, school=school, text=text, severity=severity)


def rectification_make(
    finding: Finding,
    *,
    requirement: str,
    due: datetime.date,
    done_when: str = "",
    issued: datetime.date = datetime.date(2026, 4, 10),
) -> Rectification:
    """A 整改 item of `finding` issued on `issued` to its county, owed by `due`."""
    item = Rectification.objects.create(
        finding=finding,
        office=finding.inspection.office,
        county=finding.county,
        year=finding.inspection.year,
        requirement=requirement,
        done_when=done_when,
        created_at=at(issued),
    )
    (obligation,) = obligations_issue(
        kind=Assignment.Kind.RECTIFICATION,
        subject=item,
        office=item.office,
        year=item.year,
        counties=[item.county],
        label=requirement,
        acting_user=None,
        due_date=due,
    )
    assert obligation.due_date == due, "choose a working day: the official calendar moves the others"
    Assignment.objects.filter(pk=obligation.pk).update(created_at=at(issued))
    return item


def obligation_of(subject, kind=Assignment.Kind.RECTIFICATION) -> Assignment:
    from django.contrib.contenttypes.models import ContentType

    return Assignment.objects.get(
        kind=kind, subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )


def close(subject, on: datetime.date, kind=Assignment.Kind.RECTIFICATION) -> None:
    """The county's obligation about `subject` accepted (销号) on `on`."""
    Assignment.objects.filter(pk=obligation_of(subject, kind).pk).update(
        state=State.ACCEPTED, acknowledged_at=at(on), closed_at=at(on)
    )


def visit_owed(school, due: datetime.date) -> Assignment:
    """The school's 挂牌督导 visit owed to its county's own office by `due`."""
    office = Office.objects.filter(county=school.county).first() or Office.objects.create(
        name=f"{school.county.name}教育督导室", level=Office.Level.COUNTY, county=school.county
    )
    (obligation,) = obligations_issue(
        kind=Assignment.Kind.VISIT,
        subject=school,
        office=office,
        year=due.year,
        counties=[school.county],
        label=f"{school.name}挂牌督导",
        acting_user=None,
        due_date=due,
    )
    assert obligation.due_date == due, "choose a working day: the official calendar moves the others"
    return obligation


def visit_make(school, inspector, zone, on: datetime.date, obligation=None) -> Visit:
    """A visit on record; with an obligation, that obligation fulfilled, as recording it does."""
    visit = Visit.objects.create(
        school=school, inspector=inspector, zone=zone, visited_on=on, record="查看了课后服务。", obligation=obligation
    )
    if obligation is not None:
        obligation_fulfil(assignment=obligation, acting_user=None)
    return visit
