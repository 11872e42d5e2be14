"""Findings written on site: at a county or school of an inspection, or at a visited school; a
form sent twice is one finding; files are refused as hostile evidence is."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from audit.models import ActionLog
from inspections import actions
from inspections.findings import finding_record
from inspections.models import ChecklistItem, Finding, FindingFile, Inspection
from tests.inspections.rectification_builders import JPEG, PDF, inspection_make, upload, work_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return work_world()


def test_a_finding_is_recorded_with_its_photos_and_audited(people):
    finding = finding_record(
        acting_user=people["inspector_user"],
        inspection=people["inspection"],
        county=people["a1"],
        school=people["school_a1"],
        text="  消防通道堆放杂物。 ",
        severity=Finding.Severity.SERIOUS,
        files=[upload("现场.jpg", JPEG), upload("记录.pdf", PDF)],
    )
    assert finding.text == "消防通道堆放杂物。" and finding.school == people["school_a1"]
    assert [(f.name, f.content_type) for f in finding.files.all()] == [
        ("现场.jpg", "image/jpeg"),
        ("记录.pdf", "application/pdf"),
    ]
    event = ActionLog.objects.get(action_type=actions.FINDING_RECORDED.name)
    assert event.object_id == finding.pk and event.office_id == people["office"].pk


def test_the_same_form_sent_twice_is_one_finding(people):
    key = uuid.uuid4()
    first = finding_record(
        acting_user=people["editor_a"],
        inspection=people["inspection"],
        county=people["a1"],
        text="食堂无留样。",
        submission_key=key,
        files=[upload("a.pdf", PDF)],
    )
    again = finding_record(
        acting_user=people["editor_a"],
        inspection=people["inspection"],
        county=people["a1"],
        text="食堂无留样。",
        submission_key=key,
        files=[upload("a.pdf", PDF)],
    )
    assert not first.is_repeat and again.is_repeat and again.pk == first.pk
    assert Finding.objects.count() == 1 and FindingFile.objects.count() == 1
    # The same key from someone else is another form.
    other = finding_record(
        acting_user=people["inspector_user"],
        inspection=people["inspection"],
        county=people["a1"],
        text="食堂无留样。",
        submission_key=key,
    )
    assert other.pk != first.pk


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("照片.jpg", b"MZ\x90\x00 a program renamed", "bad_type"),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "bad_type"),
    ],
)
def test_a_hostile_file_is_refused_and_nothing_is_written(people, name, data, code):
    with pytest.raises(ValidationError) as refused:
        finding_record(
            acting_user=people["editor_a"],
            inspection=people["inspection"],
            county=people["a1"],
            text="问题",
            files=[upload("好的.pdf", PDF), upload(name, data)],
        )
    assert refused.value.code == code
    assert not Finding.objects.exists() and not FindingFile.objects.exists()


def test_a_zip_bomb_dressed_as_word_is_refused(people, settings):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", '<!DOCTYPE x [<!ENTITY a "a">]><w:document/>')
    with pytest.raises(ValidationError) as refused:
        finding_record(
            acting_user=people["editor_a"],
            inspection=people["inspection"],
            county=people["a1"],
            text="问题",
            files=[upload("报告.docx", buffer.getvalue())],
        )
    assert refused.value.code == "office_unsafe"
    assert not Finding.objects.exists()


def test_the_place_must_be_the_inspections(people):
    with pytest.raises(ValidationError) as county:
        finding_record(acting_user=people["editor_a"], inspection=people["inspection"], county=people["b1"], text="x")
    assert "county" in county.value.error_dict
    with pytest.raises(ValidationError) as school:
        finding_record(
            acting_user=people["editor_a"],
            inspection=people["inspection"],
            county=people["a1"],
            school=people["school_a2"],
            text="x",
        )
    assert "school" in school.value.error_dict
    other = inspection_make(people["office"], [people["a1"]], title="另一次督导")
    foreign_item = ChecklistItem.objects.create(inspection=other, position=1, title="食堂管理")
    with pytest.raises(ValidationError) as item:
        finding_record(
            acting_user=people["editor_a"],
            inspection=people["inspection"],
            county=people["a1"],
            item=foreign_item,
            text="x",
        )
    assert "item" in item.value.error_dict
    own_item = ChecklistItem.objects.create(inspection=people["inspection"], position=1, title="食堂管理")
    found = finding_record(
        acting_user=people["editor_a"], inspection=people["inspection"], county=people["a1"], item=own_item, text="x"
    )
    assert found.item == own_item
    with pytest.raises(ValidationError) as empty:
        finding_record(acting_user=people["editor_a"], inspection=people["inspection"], county=people["a1"], text=" ")
    assert "text" in empty.value.error_dict


def test_a_closed_inspection_takes_no_finding(people):
    inspection = people["inspection"]
    Inspection.objects.filter(pk=inspection.pk).update(status="closed", closed_at="2026-03-10T00:00:00Z")
    inspection.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        finding_record(acting_user=people["editor_a"], inspection=inspection, county=people["a1"], text="x")
    assert refused.value.code == "closed"


def test_a_visits_finding_takes_the_visited_schools_place(people):
    finding = finding_record(
        acting_user=people["inspector_user"],
        visit=people["visit"],
        county=people["b1"],  # ignored: a visit is to one school
        text="饮水机滤芯过期。",
    )
    assert finding.inspection is None and finding.visit == people["visit"]
    assert (finding.county, finding.school) == (people["a1"], people["school_a1"])
    with pytest.raises(ValidationError) as both:
        finding_record(
            acting_user=people["editor_a"],
            visit=people["visit"],
            inspection=people["inspection"],
            county=people["a1"],
            text="x",
        )
    assert both.value.code == "one_source"
