"""Importing notices: idempotent, atomic, never overwriting a published plan, clear errors."""

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from organisation.models import County, Office
from plans.models import ScheduleEntry, Section, Task, WorkPlan
from plans.services import work_plan_import

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fixtures" / "seeds"
pytestmark = pytest.mark.django_db


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def import_seed(prefix: str, **kwargs):
    path = seed(prefix)
    return work_plan_import(data=path.read_bytes(), source_name=path.name, **kwargs)


def row_counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Office, WorkPlan, Section, Task, ScheduleEntry))


def test_importing_a_seed_writes_the_plan_with_its_parts_and_counties():
    result = import_seed("004")
    plan = result.plan
    assert result.created
    assert (plan.doc_number, plan.plan_year, plan.status) == ("镇教督〔2020〕2号", 2020, "draft")
    assert plan.office.name == "镇江市人民政府教育督导室"
    assert plan.office.region.name == "镇江市"
    assert plan.sections.count() == 2
    assert plan.tasks.count() == 10
    assert plan.schedule_entries.count() == 21
    task4 = plan.tasks.get(number=4)
    assert sorted(task4.counties.values_list("name", flat=True)) == sorted(
        ["扬中市", "句容市", "丹徒区", "京口区", "镇江新区"]
    )
    assert County.objects.get(name="镇江新区").kind == County.Kind.FUNCTIONAL_ZONE
    second_quarter = plan.schedule_entries.get(position=8)
    assert (second_quarter.period, second_quarter.months) == ("二季度", 0b111000)
    assert plan.source.text.startswith("镇江市人民政府教育督导室")
    assert plan.source.name == seed("004").name
    with plan.source.file.open("rb") as original:
        assert original.read() == seed("004").read_bytes()
    assert set(plan.county_index.values_list("county__name", flat=True)) >= {
        "扬中市",
        "句容市",
        "丹徒区",
        "京口区",
        "镇江新区",
    }


def test_importing_the_same_document_twice_makes_one_plan():
    first = import_seed("000")
    before = row_counts()
    second = import_seed("000")
    assert second.plan == first.plan and not second.created
    assert row_counts() == before


def test_the_same_text_in_gb18030_is_the_same_document():
    first = import_seed("001")
    text = seed("001").read_text(encoding="utf-8")
    again = work_plan_import(data=text.encode("gb18030"), source_name="衡阳.txt")
    assert again.plan == first.plan


def test_a_changed_draft_needs_replace_and_then_reads_like_the_new_text():
    plan = import_seed("002").plan
    text = seed("002").read_text(encoding="utf-8").replace("12.重视教育督导宣传工作", "12.重视督导宣传工作")
    with pytest.raises(ValidationError) as refused:
        work_plan_import(text=text, source_name="002.txt")
    assert refused.value.code == "exists"
    result = work_plan_import(text=text, source_name="002.txt", replace=True)
    assert result.replaced and result.plan == plan
    assert plan.tasks.get(number=12).title.startswith("重视督导宣传工作，加强教育督导工作信息报道")
    assert plan.tasks.count() == 12


def test_a_published_plan_is_never_overwritten():
    plan = import_seed("002", publish=True).plan
    assert plan.status == WorkPlan.Status.PUBLISHED and plan.published_at
    text = seed("002").read_text(encoding="utf-8").replace("重视教育督导宣传工作", "重视宣传")
    before = row_counts()
    with pytest.raises(ValidationError) as refused:
        work_plan_import(text=text, source_name="002.txt", replace=True)
    assert refused.value.code == "not_draft"
    assert row_counts() == before
    plan.refresh_from_db()
    assert "重视教育督导宣传工作" in plan.source.text


def test_a_dry_run_writes_nothing():
    before = row_counts()
    result = import_seed("003", dry_run=True)
    assert result.plan is None and len(result.document.tasks) == 28
    assert row_counts() == before


def test_an_explicit_office_scopes_county_matching():
    zhengzhou = Office.objects.create(
        name="郑州市教育局", level=Office.Level.CITY, region_id=County.objects.get(name="金水区").city_id
    )
    result = import_seed("000", office=zhengzhou)
    assert result.plan.office == zhengzhou
    assert result.document.counties == ["金水区", "管城回族区", "登封市", "中原区"]


BAD_INPUTS = {
    "empty": b"",
    "blank": b"  \n\n\t ",
    "binary": bytes(range(256)) * 20,
    "png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
    "not a notice": "今天天气很好，我们去公园散步。".encode(),
    "latin text": b"Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n" * 20,
    "truncated utf-8": seed("000").read_bytes()[:3001],
    "truncated sentence": (lambda t: t[: t.index("推动和完善责任区制度") + 5])(
        seed("002").read_text(encoding="utf-8")
    ).encode(),
    "big5": seed("004").read_text(encoding="utf-8").encode("big5", errors="ignore"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_refused_with_a_chinese_message_and_nothing_written(name):
    before = row_counts()
    with pytest.raises(ValidationError) as refused:
        work_plan_import(data=BAD_INPUTS[name], source_name=f"{name}.txt")
    message = " ".join(refused.value.messages)
    assert any("\u4e00" <= c <= "\u9fff" for c in message), message
    assert "\n" not in message
    assert row_counts() == before


def test_an_unsupported_file_type_is_refused():
    with pytest.raises(ValidationError) as refused:
        work_plan_import(data=b"PK\x03\x04", source_name="plan.xls")
    assert refused.value.code == "unsupported_format"


def test_a_docx_notice_imports_like_its_text():
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in seed("004").read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    result = work_plan_import(data=buffer.getvalue(), source_name="镇江.docx", dry_run=True)
    assert (len(result.document.tasks), len(result.document.schedule)) == (10, 21)
    assert result.document.doc_number == "镇教督〔2020〕2号"


def test_command_prints_the_json_our_tooling_reads(capsys):
    call_command("import_workpoints", str(seed("000")), "--dry-run", "--json")
    data = json.loads(capsys.readouterr().out)
    assert {
        "issuing_office",
        "doc_number",
        "title",
        "issue_date",
        "plan_year",
        "recipients",
        "cc",
        "sections",
        "tasks",
        "projects",
        "schedule",
        "counties",
        "warnings",
    } <= set(data)
    assert data["issue_date"] == "2017-02-14"
    # A task's counties include those its calendar lines name.
    assert data["tasks"][1]["counties"] == ["金水区", "管城回族区", "登封市", "中原区"]
    assert (
        data["schedule"][0].items()
        >= {
            "task": 1,
            "period": "8-9月",
            "start_month": 8,
            "end_month": 9,
            "months": [8, 9],
            "granularity": "month",
            "deadline_day": None,
            "text": "制定县级政府教育工作专项督导工作方案",
            "counties": [],
        }.items()
    )
    assert data["sections"][0] == {"heading": "聚焦教育公平，持续开展督政工作", "label": "一、", "level": 1}
    assert WorkPlan.objects.count() == 0


def test_command_imports_and_publishes(capsys):
    call_command("import_workpoints", *map(str, sorted(SEEDS.glob("*.txt"))), "--publish")
    assert WorkPlan.objects.filter(status="published").count() == 5
    assert "#" in capsys.readouterr().out


def test_command_fails_with_one_chinese_line_for_a_bad_file(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    completed = subprocess.run(
        [sys.executable, "manage.py", "import_workpoints", "--dry-run", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**_env(), "LANGUAGE": ""},
    )
    assert completed.returncode != 0
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1 and "文件为空" in lines[0]


def _env():
    import os

    from django.db import connection

    env = dict(os.environ, SECRET_KEY="test", DJANGO_SETTINGS_MODULE="supervision.settings")
    if connection.vendor == "sqlite":
        # The subprocess only parses (--dry-run fails before writing); any migrated DB will do.
        env.pop("DATABASE_URL", None)
    return env


def test_a_dry_run_reports_a_notice_whose_office_is_unknown():
    text = "2018年工作要点\n一、工作\n1.开展督导。认真落实。\n"
    result = work_plan_import(text=text, source_name="x.txt", dry_run=True)
    assert result.plan is None and len(result.document.tasks) == 1
    assert "no_office" in {w.code for w in result.document.warnings}
    with pytest.raises(ValidationError) as refused:
        work_plan_import(text=text, source_name="x.txt")
    assert refused.value.code == "no_office"


def test_migrate_loads_the_division_table():
    # `migrate` alone makes a database that can read notices (organisation.apps, after migrating).
    from django.core.management import call_command

    from organisation.models import CountyAlias, Region

    CountyAlias.objects.all().delete()
    County.objects.all().delete()
    Region.objects.filter(level="city").delete()
    Region.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert County.objects.exclude(kind="zone").count() == 2847
    assert County.objects.get(name="镇江新区").aliases.count() == 0
    assert County.objects.get(name="泉州经济技术开发区").aliases.get().name == "泉州开发区"


def test_a_lead_unit_the_office_table_knows_is_linked():
    lead = Office.objects.create(
        name="洛阳市教育局督导一科", level=Office.Level.CITY, region=County.objects.get(name="涧西区").city
    )
    text = (ROOT / "tests" / "plans" / "parsing" / "genre" / "luoyang_2018_section_tasks.txt").read_text(
        encoding="utf-8"
    )
    plan = work_plan_import(
        text=text.replace("牵头单位：督导一科", "牵头单位：洛阳市教育局督导一科"), source_name="洛阳.txt"
    ).plan
    first, last = plan.tasks.get(number=1), plan.tasks.get(number=4)
    assert (first.lead_unit, first.lead_office) == ("洛阳市教育局督导一科", lead)
    assert (last.lead_unit, last.lead_office) == ("市督导室", None)


def _minimal_pdf(text: str) -> bytes:
    """A one-page PDF with `text` in Helvetica, offsets computed so that readers accept it."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_text_pdf_is_read_through_its_text_layer():
    from plans.parsing.readers import read_document

    assert read_document(_minimal_pdf("Work points 2020"), ".pdf").strip() == "Work points 2020"
    # Its text is no notice: the same one-line refusal as for a .txt.
    with pytest.raises(ValidationError) as refused:
        work_plan_import(data=_minimal_pdf("Work points 2020"), source_name="plan.pdf")
    assert refused.value.code == "not_workpoints"


@pytest.mark.parametrize(
    "name, data, code",
    [("broken.pdf", b"%PDF-1.4\nnot really", "invalid_pdf"), ("broken.docx", b"PK\x03\x04junk", "invalid_docx")],
)
def test_a_damaged_pdf_or_docx_is_refused_with_a_message(name, data, code):
    before = row_counts()
    with pytest.raises(ValidationError) as refused:
        work_plan_import(data=data, source_name=name)
    assert refused.value.code == code
    assert re.search(r"[\u4e00-\u9fff]", refused.value.messages[0])
    assert row_counts() == before


def test_a_docx_with_automatic_numbering_and_a_calendar_table():
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("2020年某市教育督导工作要点")
    document.add_paragraph("一、主要工作")
    # Word's list numbering is not in the paragraphs' text; the reader rebuilds 1. and 2.
    document.add_paragraph("开展县级政府履职评价。认真组织实施。", style="List Number")
    document.add_paragraph("推进优质均衡发展。做好迎检。", style="List Number")
    document.add_paragraph("2020年重点工作安排")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "一季度", "1.印发工作要点。"
    table.cell(0, 1).add_paragraph("2.召开工作会议。")
    table.cell(1, 0).text, table.cell(1, 1).text = "二季度", "3.组织质量监测。"
    buffer = io.BytesIO()
    document.save(buffer)
    doc = work_plan_import(data=buffer.getvalue(), source_name="plan.docx", dry_run=True).document
    assert [(t.label, t.title) for t in doc.tasks] == [("1.", "开展县级政府履职评价"), ("2.", "推进优质均衡发展")]
    assert [(e.period, e.text) for e in doc.schedule] == [
        ("一季度", "印发工作要点"),
        ("一季度", "召开工作会议"),
        ("二季度", "组织质量监测"),
    ]


@pytest.mark.parametrize(
    "value, fmt, label",
    [
        (3, "decimal", "3"),
        (12, "chineseCounting", "十二"),
        (2, "decimalEnclosedCircle", "②"),
        (4, "decimalFullWidth", "４"),
    ],
)
def test_word_numbering_formats(value, fmt, label):
    from plans.parsing.readers import _format_number

    assert _format_number(value, fmt) == label


# --- Two people importing the same notice at the same moment -----------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_imports_of_one_document_make_one_plan():
    import threading

    from django.db import connections

    data = seed("004").read_bytes()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(work_plan_import(data=data, source_name="004.txt"))
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert WorkPlan.objects.count() == 1
    assert sorted((r.created, r.duplicate) for r in results) == [(False, True), (True, False)]
    assert {r.plan.pk for r in results} == {WorkPlan.objects.get().pk}
