"""Every upload the app has, sent what an attacker would send: huge files, zip bombs, entity
expansion and deeply nested XML in .docx and .xlsx, PDFs that expand without end, programs
renamed, names with path parts. Each is refused with a clear message in Chinese, nothing is
written, and the request's memory peak (tracemalloc) stays under the stated bound.

The notice import, the Excel schedule import and the evidence of a county's report: the
readers below them are tested on their own in tests/parsing/test_hostile_files.py and
tests/test_outputs.py; here each goes through its page, as a browser would send it.
"""

import io
import re
import tracemalloc
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisation.models import Membership
from plans.models import PlanSource, WorkPlan
from plans.services import work_plan_publish, work_plan_submit
from tests.factories import CountyFactory, OfficeFactory, county_user_create, staff_user_create, work_plan_build
from tests.plans.parsing.documents import (
    MB,
    docx_bomb,
    docx_understating,
    docx_with,
    inflating_pdf,
    many_pages_pdf,
    small_docx,
    zip_of_a_later_version,
)
from tracking.models import Assignment, EvidenceFile, ProgressReport

pytestmark = pytest.mark.django_db
docx = pytest.importorskip("docx")

# What a refused upload may cost, whatever the file claims it holds.
PEAK_BOUND = 64 * MB
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def word_file() -> bytes:
    return small_docx()


@pytest.fixture(scope="module")
def bomb(word_file) -> bytes:
    return docx_bomb(word_file, 512 * MB)


def entity_expansion(base: bytes, part: str) -> bytes:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10 if n > 1 else b"&lol;" * 10) for n in range(1, 10)
        )
        + b"]><root>&lol9;</root>"
    )
    return docx_with(base, part, laughs)


def nested(base: bytes, part: str) -> bytes:
    return docx_with(base, part, b"<a>" * 200_000 + b"</a>" * 200_000)


def xlsx_bomb(size: int) -> bytes:
    """A workbook whose one sheet unpacks to `size` bytes of zeros (a few hundred kB packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * MB
            for _ in range(size // MB):
                member.write(chunk)
    return out.getvalue()


def xlsx_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def world():
    county = CountyFactory()
    office = OfficeFactory(region=county.city)
    editor = staff_user_create(office=office)
    reviewer = staff_user_create(office=office, role=Membership.Role.REVIEWER)
    draft = work_plan_build(tasks=2, office=office, status=WorkPlan.Status.DRAFT, counties=[county])
    published = work_plan_build(tasks=1, office=office, status=WorkPlan.Status.DRAFT, counties=[county])
    work_plan_submit(plan=published, acting_user=editor)
    work_plan_publish(plan=published, acting_user=reviewer)
    return {
        "office": office,
        "editor": editor,
        "draft": draft,
        "county_user": county_user_create(county=county),
        "assignment": Assignment.objects.get(plan=published),
    }


def rows() -> tuple[int, ...]:
    return (
        WorkPlan.objects.count(),
        PlanSource.objects.count(),
        ProgressReport.objects.count(),
        EvidenceFile.objects.count(),
    )


def send(client, world, where: str, name: str, data: bytes):
    if where == "notice":
        client.force_login(world["editor"])
        return client.post(
            reverse("plans:import_upload"),
            {
                "document": SimpleUploadedFile(name, data),
                "office": world["office"].pk,
            },
        )
    if where == "excel":
        client.force_login(world["editor"])
        return client.post(
            reverse("plans:plan_excel_import", args=[world["draft"].pk]),
            {
                "workbook": SimpleUploadedFile(name, data),
                "version": world["draft"].version,
            },
        )
    client.force_login(world["county_user"])
    return client.post(
        reverse("tracking:report_create", args=[world["assignment"].pk]),
        {
            "progress": "done",
            "text": "见附件",
            "submission_key": str(uuid.uuid4()),
            "files": [SimpleUploadedFile(name, data)],
        },
    )


CASES = {
    # where, file name, builder(word_file, bomb) -> bytes, a fragment of the message
    "notice: a docx that unpacks to 512 MB": ("notice", "a.docx", lambda w, b: b, "解压后"),
    "notice: entity expansion in a docx": (
        "notice",
        "a.docx",
        lambda w, b: entity_expansion(w, "word/document.xml"),
        "DTD",
    ),
    "notice: XML nested 200,000 deep": ("notice", "a.docx", lambda w, b: nested(w, "word/document.xml"), "Word"),
    "notice: a PDF that inflates without end": ("notice", "a.pdf", lambda w, b: inflating_pdf(512 * MB), "过大"),
    "notice: a PDF of a thousand pages": ("notice", "a.pdf", lambda w, b: many_pages_pdf(1000), "页"),
    "notice: a file over the upload limit": ("notice", "a.txt", lambda w, b: b"x" * (6 * MB), "超过"),
    "notice: a docx of a zip version zipfile cannot open": (
        "notice",
        "a.docx",
        lambda w, b: zip_of_a_later_version(w),
        "Word",
    ),
    "notice: a program named ../../plan.docx": (
        "notice",
        "../../plan.docx",
        lambda w, b: b"MZ\x90\x00" + b"\x00" * 500,
        "Word",
    ),
    "excel: a workbook that unpacks to 512 MB": ("excel", "a.xlsx", lambda w, b: xlsx_bomb(512 * MB), "解压后"),
    "excel: entity expansion in a sheet": (
        "excel",
        "a.xlsx",
        lambda w, b: xlsx_of({"xl/workbook.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><workbook/>'}),
        "DTD",
    ),
    "excel: a workbook of a zip version zipfile cannot open": (
        "excel",
        "a.xlsx",
        lambda w, b: zip_of_a_later_version(xlsx_of({})),
        "Excel",
    ),
    "excel: a Word file named .xlsx": ("excel", "a.xlsx", lambda w, b: w, "Excel"),
    "excel: a program named ..\\..\\a.xlsx": ("excel", "..\\..\\a.xlsx", lambda w, b: b"MZ" + b"\x00" * 500, "Excel"),
    "evidence: a program renamed .pdf": (
        "evidence",
        "报告.pdf",
        lambda w, b: b"MZ\x90\x00" + b"\x00" * 500,
        "不是 PDF",
    ),
    "evidence: a Word file that unpacks to 512 MB": ("evidence", "a.docx", lambda w, b: b, "解压后"),
    # Staff open evidence in Word and Excel, which unpack a member whole whatever the directory says.
    "evidence: a Word file whose directory says 1 KB where it unpacks to 1 GB": (
        "evidence",
        "a.docx",
        lambda w, b: docx_understating(w, 1024 * MB),
        "不符",
    ),
    "evidence: entity expansion in a Word file": (
        "evidence",
        "a.docx",
        lambda w, b: entity_expansion(w, "word/document.xml"),
        "DTD",
    ),
    "evidence: entity expansion in a workbook": (
        "evidence",
        "a.xlsx",
        lambda w, b: xlsx_of({"xl/workbook.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><workbook/>'}),
        "DTD",
    ),
    "evidence: a Word file of a zip version zipfile cannot open": (
        "evidence",
        "a.docx",
        lambda w, b: zip_of_a_later_version(w),
        "不是 PDF",
    ),
    "evidence: a name with path parts and no content": (
        "evidence",
        "../../../etc/passwd",
        lambda w, b: b"root:x:0:0",
        "不是 PDF",
    ),
    "evidence: a file over the limit": ("evidence", "a.pdf", lambda w, b: b"%PDF-" + b"0" * (21 * MB), "超过"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_upload_is_refused_with_a_message_and_nothing_written(client, world, word_file, bomb, case):
    where, name, build, fragment = CASES[case]
    data = build(word_file, bomb)
    before = rows()

    tracemalloc.start()
    try:
        response = send(client, world, where, name, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    page = response.content.decode()
    assert response.status_code == 400, (case, response.status_code)
    errors = (
        " ".join(re.findall(r'class="(?:field-errors|form-errors|errorlist[^"]*)"[^>]*>(.*?)</', page, re.S)) or page
    )
    assert CHINESE.search(errors) and fragment in page, case
    assert "Error" not in errors and "Traceback" not in page
    assert rows() == before
    assert peak < PEAK_BOUND, f"{case}: {peak / MB:.1f} MB"


def test_ordinary_word_and_excel_files_are_kept_as_evidence(client, world, word_file):
    """The members of a real Word file and workbook are unpacked and checked, and they pass."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["序号", "工作任务"])
    book.active.append([1, "开展学校安全专项督导"])
    workbook = io.BytesIO()
    book.save(workbook)

    for name, data in (("自查报告.docx", word_file), ("台账.xlsx", workbook.getvalue())):
        response = send(client, world, "evidence", name, data)
        assert response.status_code == 302, (name, response.status_code)

    assert sorted(EvidenceFile.objects.values_list("name", flat=True)) == ["台账.xlsx", "自查报告.docx"]
