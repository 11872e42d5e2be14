"""An inspection's documents: the 督导意见书 to each county, the 整改通知书 and the 督导报告, numbered
in the office's 文号 sequence of the year, kept as issued, printed as a page and as a Word file
from the office's template."""

import datetime
import io
import threading

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import ActionLog
from inspections.documents import DEFAULTS_DIR, TemplateBroken, document_docx, document_issue, template_check
from inspections.models import DocumentKind, DocumentTemplate, Finding, Inspection, IssuedDocument
from organisation.models import Office
from tests.factories import CountyFactory
from tests.inspections.builders import school_make, world
from tests.inspections.work_builders import (
    close,
    finding_make,
    inspection_make,
    rectification_make,
    series_make,
)

pytestmark = pytest.mark.django_db
OPINION, NOTICE, REPORT = DocumentKind.OPINION, DocumentKind.RECTIFICATION_NOTICE, DocumentKind.REPORT
DAY = datetime.date(2026, 6, 15)


@pytest.fixture
def setting():
    """甲市督导室 (prefix 甲教督) inspected 甲一区 and 甲二县: two findings in 甲一区 (one with a
    整改 item), one in 甲二县 with its item closed."""
    people = world()
    office = Office.objects.get(name="甲市督导室")
    series_make(office, "甲教督")
    school = school_make(people["a1"], "甲一区实验小学")
    inspection = inspection_make(office, counties=[people["a1"], people["a2"]], schools=[school])
    late = finding_make(inspection, people["a1"], "课后服务收费未公示。", Finding.Severity.SERIOUS, school=school)
    finding_make(inspection, people["a1"], "作业公示制度执行不到位。", Finding.Severity.MINOR)
    other = finding_make(inspection, people["a2"], "食堂陪餐记录缺失。")
    item = rectification_make(
        late, requirement="全面公示课后服务收费项目和标准。", done_when="公示照片和文件", due=datetime.date(2026, 5, 29)
    )
    closed = rectification_make(other, requirement="建立陪餐记录制度。", due=datetime.date(2026, 7, 31))
    close(closed, datetime.date(2026, 6, 1))
    return {**people, "office": office, "inspection": inspection, "school": school, "item": item}


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# --- Numbering -------------------------------------------------------------------------------------


def test_documents_are_numbered_in_the_offices_sequence_of_the_year(setting):
    inspection, editor = setting["inspection"], setting["editor_a"]
    first = document_issue(inspection=inspection, kind=OPINION, county=setting["a1"], acting_user=editor, today=DAY)
    second = document_issue(inspection=inspection, kind=NOTICE, county=setting["a1"], acting_user=editor, today=DAY)
    report = document_issue(inspection=inspection, kind=REPORT, acting_user=editor, today=DAY)
    assert [d.number for d in (first, second, report)] == [1, 2, 3]
    assert first.doc_number == "甲教督〔2026〕1号" and report.doc_number == "甲教督〔2026〕3号"
    # Another office counts its own; a new year starts again at 1.
    office_b = Office.objects.get(name="乙市督导室")
    series_make(office_b, "乙教督")
    theirs = inspection_make(office_b, counties=[setting["b1"]])
    other = document_issue(inspection=theirs, kind=OPINION, county=setting["b1"], acting_user=None, today=DAY)
    assert other.doc_number == "乙教督〔2026〕1号"
    next_year = document_issue(
        inspection=inspection, kind=OPINION, county=setting["a2"], acting_user=editor, today=datetime.date(2027, 1, 5)
    )
    assert (next_year.year, next_year.number, next_year.doc_number) == (2027, 1, "甲教督〔2027〕1号")


def test_issuing_writes_one_audit_event(setting):
    document = document_issue(
        inspection=setting["inspection"], kind=OPINION, county=setting["a1"], acting_user=setting["editor_a"]
    )
    event = ActionLog.objects.get(action_type="inspections.document.issued")
    assert (event.object_id, event.user, event.office) == (document.pk, setting["editor_a"], setting["office"])
    assert event.data["doc_number"] == document.doc_number


def test_reissuing_the_same_kind_to_the_same_county_is_refused(setting):
    inspection = setting["inspection"]
    document_issue(inspection=inspection, kind=OPINION, county=setting["a1"], acting_user=None)
    document_issue(inspection=inspection, kind=REPORT, acting_user=None)
    with pytest.raises(ValidationError) as refused:
        document_issue(inspection=inspection, kind=OPINION, county=setting["a1"], acting_user=None)
    assert refused.value.code == "already_issued"
    with pytest.raises(ValidationError) as refused:
        document_issue(inspection=inspection, kind=REPORT, acting_user=None)
    assert refused.value.code == "report_issued"
    assert IssuedDocument.objects.count() == 2


def test_an_office_without_a_prefix_is_told_where_to_set_it(client, setting):
    setting["office"].document_series.delete()
    with pytest.raises(ValidationError) as refused:
        document_issue(inspection=setting["inspection"], kind=REPORT, acting_user=None)
    assert refused.value.code == "no_series"
    client.force_login(setting["editor_a"])
    url = reverse("inspections:inspection_documents", args=[setting["inspection"].pk])
    page = client.post(url, {"kind": REPORT}, follow=True).content.decode()
    admin_link = reverse("admin:inspections_documentseries_add")
    assert "文号" in page and admin_link in page
    assert IssuedDocument.objects.count() == 0


def test_documents_wait_until_the_inspection_has_been_on_site(setting):
    inspection = setting["inspection"]
    Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.PREPARING)
    inspection.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        document_issue(inspection=inspection, kind=REPORT, acting_user=None)
    assert refused.value.code == "not_yet"


def test_a_notice_goes_only_to_a_visited_county_that_has_items(setting):
    inspection = setting["inspection"]
    with pytest.raises(ValidationError) as refused:
        document_issue(inspection=inspection, kind=NOTICE, county=setting["b1"], acting_user=None)
    assert refused.value.code == "county_not_visited"
    bare = inspection_make(setting["office"], counties=[setting["a2"]], title="幼儿园专项督导")
    with pytest.raises(ValidationError) as refused:
        document_issue(inspection=bare, kind=NOTICE, county=setting["a2"], acting_user=None)
    assert refused.value.code == "no_rectification"
    assert IssuedDocument.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_issuers_at_once_never_take_one_number():
    # Two connections issue for one office at the same moment: the lock on the office's series
    # makes the second wait for the first's number, so the numbers are 1 and 2 (without it, both
    # read the same last number and one fails on the unique constraint).
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write; the row lock is PostgreSQL's")
    people = world()
    office = Office.objects.get(name="甲市督导室")
    series_make(office, "甲教督")
    inspection = inspection_make(office, counties=[people["a1"], people["a2"]])
    barrier, numbers, errors = threading.Barrier(2), [], []

    def issue(county):
        from django.db import connections

        try:
            barrier.wait()
            numbers.append(document_issue(inspection=inspection, kind=OPINION, county=county, acting_user=None).number)
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(county,)) for county in (people["a1"], people["a2"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [1, 2]


# --- What a document says ------------------------------------------------------------------------


def test_the_opinion_states_the_facts_the_countys_findings_and_the_demands_with_deadlines(setting):
    document = document_issue(
        inspection=setting["inspection"], kind=OPINION, county=setting["a1"], acting_user=None, today=DAY
    )
    content = document.content
    assert content["recipient"] == "甲一区人民政府"
    assert content["title"] == "义务教育学校办学行为专项督导意见书"
    text = "\n".join(p for section in content["sections"] for p in section["paragraphs"])
    assert "2026年4月7日至2026年4月9日" in text and "督导组组长：李组长；成员：王督学" in text
    assert "1. 甲一区实验小学：课后服务收费未公示。（严重）" in text
    assert "作业公示制度执行不到位" in text
    assert "食堂陪餐记录缺失" not in text  # 甲二县's
    assert "全面公示课后服务收费项目和标准。整改到位标准：公示照片和文件。整改期限：2026年5月29日前。" in text


def test_the_report_counts_findings_by_county_and_severity_and_the_rectification(setting):
    document = document_issue(inspection=setting["inspection"], kind=REPORT, acting_user=None, today=DAY)
    findings, rectification = [s["table"] for s in document.content["sections"] if s["table"]]
    assert findings["headers"] == ["县（市、区）", "紧急隐患", "严重", "一般", "轻微", "合计"]
    assert findings["rows"] == [
        ["甲一区", "0", "1", "0", "1", "2"],
        ["甲二县", "0", "0", "1", "0", "1"],
        ["合计", "0", "1", "1", "1", "3"],
    ]
    # 甲一区's item is past its deadline (29 May) on 15 June; 甲二县's was closed.
    assert rectification["rows"] == [
        ["甲一区", "1", "0", "1", "1"],
        ["甲二县", "1", "1", "0", "0"],
        ["合计", "2", "1", "1", "1"],
    ]
    assert document.county is None and document.content["recipient"] == ""


def test_a_document_keeps_what_it_said_when_issued(client, setting):
    document = document_issue(inspection=setting["inspection"], kind=OPINION, county=setting["a1"], acting_user=None)
    Finding.objects.filter(text="课后服务收费未公示。").update(text="已改写的问题。")
    document.refresh_from_db()
    client.force_login(setting["editor_a"])
    page = client.get(document.get_absolute_url()).content.decode()
    assert "课后服务收费未公示" in page and "已改写的问题" not in page
    assert "课后服务收费未公示" in _text(document_docx(document=document))


def test_the_print_page_reads_like_an_official_document(client, setting):
    document = document_issue(inspection=setting["inspection"], kind=NOTICE, county=setting["a1"], acting_user=None)
    client.force_login(setting["viewer_a"])
    page = client.get(document.get_absolute_url()).content.decode()
    for part in ("red-head__office", "甲市督导室", document.doc_number, "甲一区人民政府：", "css/print.css"):
        assert part in page
    assert '<th scope="col">整改期限</th>' in page and "2026年5月29日" in page


# --- Word ------------------------------------------------------------------------------------------


def test_the_docx_opens_and_holds_the_number_the_title_and_the_countys_findings(client, setting):
    document = document_issue(inspection=setting["inspection"], kind=OPINION, county=setting["a1"], acting_user=None)
    client.force_login(setting["editor_a"])
    response = client.get(reverse("inspections:document_docx", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in response["Content-Disposition"]
    text = _text(response.content)
    assert document.doc_number in text and document.title in text
    assert "课后服务收费未公示" in text and "作业公示制度执行不到位" in text
    assert "食堂陪餐记录缺失" not in text


def test_the_notice_and_report_fill_their_tables(setting):
    notice = document_issue(inspection=setting["inspection"], kind=NOTICE, county=setting["a1"], acting_user=None)
    table = docx.Document(io.BytesIO(document_docx(document=notice))).tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["序号", "发现的问题", "整改要求", "整改到位标准", "整改期限"]
    assert [cell.text for cell in table.rows[1].cells] == [
        "1",
        "课后服务收费未公示。",
        "全面公示课后服务收费项目和标准。",
        "公示照片和文件",
        "2026年5月29日",
    ]
    report = document_issue(inspection=setting["inspection"], kind=REPORT, acting_user=None, today=DAY)
    tables = docx.Document(io.BytesIO(document_docx(document=report))).tables
    assert [cell.text for cell in tables[1].rows[-1].cells] == ["合计", "2", "1", "1", "1"]


def _template(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_an_offices_own_template_replaces_the_default(setting):
    document = document_issue(inspection=setting["inspection"], kind=OPINION, county=setting["a1"], acting_user=None)
    # The site's template first, then the office's own, which wins.
    DocumentTemplate.objects.create(kind=OPINION, file=ContentFile(_template("全省通用 {{ doc_number }}"), "s.docx"))
    assert "全省通用 甲教督〔2026〕1号" in _text(document_docx(document=document))
    DocumentTemplate.objects.create(
        office=setting["office"], kind=OPINION, file=ContentFile(_template("本办模板 {{ doc_number }}"), "o.docx")
    )
    assert _text(document_docx(document=document)).strip() == "本办模板 甲教督〔2026〕1号"
    # Another kind still comes from the default.
    report = document_issue(inspection=setting["inspection"], kind=REPORT, acting_user=None)
    assert "本办模板" not in _text(document_docx(document=report))


def test_a_broken_template_gives_a_message_naming_it_not_an_error(client, setting):
    document = document_issue(inspection=setting["inspection"], kind=OPINION, county=setting["a1"], acting_user=None)
    DocumentTemplate.objects.create(
        office=setting["office"], kind=OPINION, file=ContentFile(_template("{{ doc_number }"), "broken.docx")
    )
    with pytest.raises(TemplateBroken) as broken:
        document_docx(document=document)
    assert "甲市督导室" in broken.value.message and "（opinion-" in broken.value.message
    client.force_login(setting["editor_a"])
    response = client.get(reverse("inspections:document_docx", args=[document.pk]), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "opinion-" in page and "Word" in page


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("renamed.docx", b"MZ\x90\x00 a program", "bad_type"),
        ("sheet.docx", None, "template_not_docx"),
        ("tags.docx", _template("{% for x in %}"), "template_broken"),
        ("fields.docx", _template("{{ no_such_field }}"), "template_broken"),
        ("escape.docx", _template("{{ ''.__class__.__mro__ }}"), "template_broken"),
    ],
)
def test_an_uploaded_template_is_refused_unless_it_is_a_word_file_that_fills_in(name, data, code):
    if data is None:
        from openpyxl import Workbook

        buffer = io.BytesIO()
        Workbook().save(buffer)
        data = buffer.getvalue()
    with pytest.raises(ValidationError) as refused:
        template_check(SimpleUploadedFile(name, data))
    assert refused.value.code == code


@pytest.mark.parametrize("kind", [OPINION, NOTICE, REPORT])
def test_the_default_templates_pass_the_upload_check(kind):
    data = (DEFAULTS_DIR / f"{kind}.docx").read_bytes()
    assert template_check(SimpleUploadedFile(f"{kind}.docx", data)) == data


# --- Who issues and reads them ---------------------------------------------------------------------


def test_the_documents_page_issues_for_those_who_run_the_inspection(client, setting):
    inspection = setting["inspection"]
    url = reverse("inspections:inspection_documents", args=[inspection.pk])
    client.force_login(setting["editor_a"])
    page = client.get(url).content.decode()
    assert page.count('name="kind"') == 5  # an opinion and a notice to each county, the report
    response = client.post(url, {"kind": OPINION, "county": setting["a1"].pk})
    document = IssuedDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert client.get(url).content.decode().count('name="kind"') == 4


@pytest.mark.parametrize("who", ["viewer_a", "county_a1"])
def test_viewers_and_county_users_do_not_issue(client, setting, who):
    inspection = setting["inspection"]
    Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.RECTIFICATION)
    client.force_login(setting[who])
    url = reverse("inspections:inspection_documents", args=[inspection.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="kind"' not in page.content.decode()
    assert client.post(url, {"kind": REPORT}).status_code == 403
    assert IssuedDocument.objects.count() == 0


def test_a_county_reads_only_what_was_addressed_to_it(client, setting):
    inspection = setting["inspection"]
    Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.RECTIFICATION)
    inspection.refresh_from_db()
    mine = document_issue(inspection=inspection, kind=OPINION, county=setting["a1"], acting_user=None)
    theirs = document_issue(inspection=inspection, kind=OPINION, county=setting["a2"], acting_user=None)
    report = document_issue(inspection=inspection, kind=REPORT, acting_user=None)
    client.force_login(setting["county_a1"])
    page = client.get(reverse("inspections:inspection_documents", args=[inspection.pk])).content.decode()
    assert mine.doc_number in page and theirs.doc_number not in page and report.doc_number not in page
    assert client.get(mine.get_absolute_url()).status_code == 200
    for document in (theirs, report):
        assert client.get(document.get_absolute_url()).status_code == 404
        assert client.get(reverse("inspections:document_docx", args=[document.pk])).status_code == 404


def test_another_offices_staff_see_nothing(client, setting):
    document = document_issue(inspection=setting["inspection"], kind=REPORT, acting_user=None)
    client.force_login(setting["editor_b"])
    assert client.get(reverse("inspections:inspection_documents", args=[setting["inspection"].pk])).status_code == 404
    assert (
        client.post(
            reverse("inspections:inspection_documents", args=[setting["inspection"].pk]), {"kind": REPORT}
        ).status_code
        == 404
    )
    assert client.get(document.get_absolute_url()).status_code == 404
    assert client.get(reverse("inspections:document_docx", args=[document.pk])).status_code == 404


def test_the_documents_page_takes_the_same_queries_for_two_counties_and_ten(client, setting):
    inspection = setting["inspection"]
    document_issue(inspection=inspection, kind=OPINION, county=setting["a1"], acting_user=None)
    client.force_login(setting["editor_a"])
    url = reverse("inspections:inspection_documents", args=[inspection.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    more = [CountyFactory(city=setting["city_a"]) for _n in range(8)]
    inspection.counties.add(*more)
    for county in more[:3]:
        document_issue(inspection=inspection, kind=OPINION, county=county, acting_user=None)
    assert count() == small


# --- The admin ---------------------------------------------------------------------------------------


def test_the_admin_takes_a_word_template_and_refuses_anything_else(admin_client, setting):
    url = reverse("admin:inspections_documenttemplate_add")
    good = (DEFAULTS_DIR / "opinion.docx").read_bytes()
    refused = admin_client.post(
        url, {"office": setting["office"].pk, "kind": OPINION, "file": SimpleUploadedFile("x.docx", b"MZ\x90 program")}
    )
    assert refused.status_code == 200 and DocumentTemplate.objects.count() == 0
    broken = admin_client.post(
        url, {"office": setting["office"].pk, "kind": OPINION, "file": SimpleUploadedFile("b.docx", _template("{{ x"))}
    )
    assert broken.status_code == 200 and DocumentTemplate.objects.count() == 0
    response = admin_client.post(
        url, {"office": setting["office"].pk, "kind": OPINION, "file": SimpleUploadedFile("mine.docx", good)}
    )
    assert response.status_code == 302
    template = DocumentTemplate.objects.get()
    assert template.file.read() == good


def test_the_admin_sets_an_offices_prefix_and_reads_issued_documents_without_changing_them(admin_client, setting):
    office_b = Office.objects.get(name="乙市督导室")
    response = admin_client.post(
        reverse("admin:inspections_documentseries_add"), {"office": office_b.pk, "prefix": "乙教督"}
    )
    assert response.status_code == 302 and office_b.document_series.prefix == "乙教督"
    document = document_issue(inspection=setting["inspection"], kind=REPORT, acting_user=None)
    change = reverse("admin:inspections_issueddocument_change", args=[document.pk])
    page = admin_client.get(change)
    assert page.status_code == 200 and document.doc_number in page.content.decode()
    assert admin_client.post(change, {"doc_number": "改号"}).status_code == 403
    document.refresh_from_db()
    assert document.doc_number == f"甲教督〔{document.year}〕1号"
