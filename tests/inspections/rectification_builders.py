"""Builders for the findings and 整改 tests: an inspection of city A's office in two of its
counties, with its team, and the people around it (tests.inspections.builders.world)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from inspections.findings import finding_record
from inspections.models import Finding, Inspection, InspectionMember, Inspector, Visit
from inspections.rectification import rectification_issue
from organisation.models import Office
from tests.factories import UserFactory
from tests.inspections.builders import school_make, world

TODAY = datetime.date(2026, 3, 2)  # a Monday
DEADLINE = datetime.date(2026, 3, 31)  # a Tuesday, a working day
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# A photo as a phone's camera sends it: what the evidence check reads of a JPEG is its header.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def inspection_make(office, counties, *, kind=Inspection.Kind.SPECIAL, title="2026年春季学校安全专项督导", **fields):
    inspection = Inspection.objects.create(
        office=office,
        year=2026,
        kind=kind,
        title=title,
        status=fields.pop("status", Inspection.Status.ON_SITE),
        starts_on=fields.pop("starts_on", datetime.date(2026, 3, 2)),
        ends_on=fields.pop("ends_on", datetime.date(2026, 3, 6)),
        **fields,
    )
    inspection.counties.set(counties)
    return inspection


def work_world() -> dict:
    """World A (tests.inspections.builders) with city A's office running an inspection of A1
    and A2, a 督学 of A1 on its team (with an account), a school in each county, and a visit."""
    people = world()
    office = Office.objects.get(name="甲市督导室")
    people["office"] = office
    people["school_a1"] = school_make(people["a1"], "甲一区实验小学")
    people["school_a2"] = school_make(people["a2"], "甲二县第一中学")
    people["school_b1"] = school_make(people["b1"], "乙一区小学")
    inspector_user = UserFactory(username="inspector_a1")
    people["inspector_user"] = inspector_user
    people["inspector"] = Inspector.objects.create(county=people["a1"], name="王督学", user=inspector_user)
    inspection = inspection_make(office, [people["a1"], people["a2"]])
    InspectionMember.objects.create(inspection=inspection, role="member", name="王督学", inspector=people["inspector"])
    people["inspection"] = inspection
    people["visit"] = Visit.objects.create(
        school=people["school_a1"],
        inspector=people["inspector"],
        visited_on=datetime.date(2026, 3, 2),
        record="查看了食堂。",
    )
    return people


def finding_make(people, county_key="a1", *, text="食堂未落实陪餐制度。", severity=Finding.Severity.GENERAL, **fields):
    return finding_record(
        acting_user=people["editor_a"],
        inspection=fields.pop("inspection", people["inspection"]),
        county=people[county_key],
        text=text,
        severity=severity,
        **fields,
    )


def item_make(people, county_key="a1", *, needs_follow_up=False, due_date=DEADLINE, **fields):
    finding = finding_make(people, county_key, **fields)
    return rectification_issue(
        finding=finding,
        requirement="落实陪餐制度，建立台账。",
        done_when="提交陪餐记录和照片。",
        due_date=due_date,
        needs_follow_up=needs_follow_up,
        acting_user=people["editor_a"],
    )
