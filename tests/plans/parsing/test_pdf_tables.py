"""Calendars drawn as tables in text PDFs, read as tables (plans.parsing.pdf_tables).

The genre PDFs are written by genre/make_pdfs.py (reportlab): a calendar table over two pages
with merged period cells, wrapped cells, a cell of two numbered items, the header repeated on
the second page and a merged period cell cut by the page break. Hostile PDFs are built here.
"""

import time
import tracemalloc
import zlib
from pathlib import Path

import pytest

from plans.parsing import ERRORS, ParseError, parse_bytes
from plans.parsing.readers import LIMITS, read_document

from .documents import HELVETICA, pdf, stream

GENRE = Path(__file__).resolve().parent / "genre"
MB = 1024 * 1024


def read(name: str, gazetteer):
    return parse_bytes((GENRE / name).read_bytes(), gazetteer, source_format="pdf")


def agreement(doc, expected: dict) -> float:
    """Share of the expected sections, tasks, calendar entries (period, text, unit) and counties
    read as expected, against the larger of what was expected and what was read."""
    found = {
        "sections": [s.heading for s in doc.sections],
        "tasks": [(t.title, tuple(t.counties)) for t in doc.tasks],
        "schedule": [(e.period, e.text, e.lead_unit) for e in doc.schedule],
        "counties": doc.counties,
    }
    matched = total = 0
    for key, wanted in expected.items():
        got = found[key]
        matched += sum(1 for a, b in zip(got, wanted) if a == b)
        total += max(len(got), len(wanted))
    return matched / total


LUZHOU = {
    "sections": ["督政工作", "督学工作", "评估监测", "队伍建设"],
    "tasks": [
        ("开展县级政府履行教育职责评价", ("合江县", "叙永县")),
        ("推进义务教育优质均衡发展", ("泸县", "纳溪区")),
        ("深化中小学校责任督学挂牌督导", ()),
        ("开展学校发展性督导评估", ()),
        ("组织实施国家义务教育质量监测", ()),
        ("加强督学队伍建设", ()),
    ],
    "schedule": [
        ("1月", "召开全市教育督导工作会议，部署年度教育督导重点工作", "办公室"),
        ("1月", "部署寒假及春节期间学校安全专项督导", "督学科"),
        ("2月", "开展春季开学工作专项督导", "督学科"),
        ("2月", "印发年度教育督导工作要点", "办公室"),
        # A wrapped cell is one item.
        ("3月", "对合江县开展县级政府履行教育职责实地督导，形成督导意见书并反馈整改", "督政科"),
        ("3月", "启动学校发展性督导评估", "督学科"),
        # Two numbered items on their own lines in one cell are two.
        ("4月", "组织督学业务培训", "督学科"),
        ("4月", "开展责任督学挂牌督导工作交流", "督学科"),
        ("5月", "对叙永县开展县级政府履行教育职责实地督导", "督政科"),
        ("5月", "开展校外培训机构规范管理专项督导", "督学科"),
        ("6月", "组织义务教育质量监测现场测试", "评估科"),
        ("6月", "开展高考期间考点学校安全督导", "督学科"),
        ("7月", "开展暑期学校安全专项督导", "督学科"),
        ("8月", "指导泸县、纳溪区完善义务教育优质均衡发展国家督导评估迎检材料", "督政科"),
        ("9月", "开展秋季开学工作专项督导", "督学科"),
        ("9月", "组织责任督学开展开学第一周随机督导", "督学科"),
        ("10月", "开展学校发展性督导评估现场评估", "督学科"),
        # October's merged cell goes on over the page break, under a repeated header.
        ("10月", "对江阳区、龙马潭区开展义务教育优质均衡发展省级督导评估", "督政科"),
        ("10月", "开展中小学校食品安全专项督导", "督学科"),
        ("11月", "通报义务教育质量监测结果", "评估科"),
        ("11月", "开展县级政府履行教育职责评价整改复查", "督政科"),
        ("12月", "开展年度教育督导工作总结", "办公室"),
        ("12月", "研究部署下一年度教育督导重点工作", "办公室"),
    ],
    "counties": ["合江县", "叙永县", "泸县", "纳溪区", "江阳区", "龙马潭区"],
}

HUZHOU = {
    "sections": ["强化督政", "深化督学", "评估监测"],
    "tasks": [
        ("开展县级政府履行教育职责评价", ("德清县", "长兴县")),
        ("推进学前教育普及普惠发展", ("安吉县",)),
        ("开展中小学校规范办学专项督导", ()),
        ("完善责任督学挂牌督导机制", ()),
        ("组织实施义务教育质量监测", ("吴兴区", "南浔区")),
    ],
    "schedule": [
        ("第一季度", "召开全市教育督导工作会议", "办公室"),
        ("第一季度", "开展春季开学工作专项督导，重点检查校园安全和疫情防控工作落实情况", "督学科"),
        ("第一季度", "印发全年教育督导工作要点", "办公室"),
        ("第二季度", "对德清县开展县级政府履行教育职责实地督导", "督政科"),
        ("第二季度", "组织义务教育质量监测", "评估科"),
        ("第二季度", "开展中小学校规范办学专项督导，重点督导作业、睡眠、手机、读物、体质管理", "督学科"),
        ("第二季度", "组织全市督学业务培训", "督学科"),
        ("7-8月", "开展暑期安全专项督导", "督学科"),
        ("7-8月", "指导安吉县完善学前教育普及普惠督导评估迎检材料", "督政科"),
        ("第三季度", "对长兴县开展县级政府履行教育职责实地督导", "督政科"),
        ("第三季度", "开展秋季开学工作专项督导", "督学科"),
        # The page breaks between two rows of one merged cell; 序号 stays out of the text.
        ("第三季度", "对吴兴区、南浔区开展义务教育质量监测结果解读", "评估科"),
        ("第四季度", "开展学校发展性督导评估", "督学科"),
        ("第四季度", "开展年度教育督导工作总结", "办公室"),
        ("第四季度", "研究部署下一年度教育督导重点工作", "办公室"),
    ],
    "counties": ["德清县", "长兴县", "安吉县", "吴兴区", "南浔区"],
}


@pytest.mark.parametrize(
    "name, expected",
    [("luzhou_2024_pdf_table.pdf", LUZHOU), ("huzhou_2023_pdf_table.pdf", HUZHOU)],
)
def test_a_calendar_drawn_as_a_table_over_two_pages_is_read_row_by_row(gazetteer, name, expected):
    doc = read(name, gazetteer)
    assert agreement(doc, expected) >= 0.97
    # As it stands the reading is exact; the agreement is the bar for a later change.
    assert [(e.period, e.text, e.lead_unit) for e in doc.schedule] == expected["schedule"]
    assert doc.counties == expected["counties"]


def test_the_header_of_a_table_pdf_is_read_as_from_any_pdf(gazetteer):
    doc = read("luzhou_2024_pdf_table.pdf", gazetteer)
    assert (doc.issuing_office, doc.doc_number, str(doc.issue_date)) == (
        "泸州市人民政府教育督导室",
        "泸教督〔2024〕3号",
        "2024-03-05",
    )
    assert doc.title == "2024年泸州市教育督导工作要点"
    assert [e.task for e in doc.schedule[:9]] == [None, None, None, None, 1, 4, 6, 3, 1]


def test_the_table_reaches_the_parser_as_rows_of_cells():
    text = read_document((GENRE / "huzhou_2023_pdf_table.pdf").read_bytes(), ".pdf")
    lines = text.split("\n")
    assert lines.count("序号 | 时间 | 工作内容 | 责任科室") == 1  # repeated on page 2, dropped
    assert "12 | 〃 | 对吴兴区、南浔区开展义务教育质量监测结果解读 | 评估科" in lines


def test_a_pdf_without_ruling_lines_is_read_as_before():
    from .documents import cjk_pdf
    from .test_pdf import NOTICE

    text = read_document(cjk_pdf(NOTICE), ".pdf")
    assert " | " not in text and "一季度" in text


# --- hostile tables ----------------------------------------------------------------------------


def ruled_pdf(content: bytes, *, forms: list[bytes] = ()) -> bytes:
    """One A4 page with a line of text and `content` drawn after it; `forms` are form XObjects
    /X0, /X1, … (objects 6 on) the content may draw."""
    text = b"BT /F1 11 Tf 1 0 0 1 72 800 Tm (2024 work points) Tj ET\n"
    names = b" ".join(b"/X%d %d 0 R" % (i, 6 + i) for i in range(len(forms)))
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> /XObject << %s >> >> >>" % names,
            stream(zlib.compress(text + content), b"/Filter /FlateDecode"),
            HELVETICA,
            *[stream(form, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842]") for form in forms],
        ]
    )


def grid(rows: int, columns: int, size: float) -> bytes:
    """A ruled grid of rows × columns cells of `size` points, its lines drawn once each."""
    x0, y0 = 40.0, 780.0
    width, height = columns * size, rows * size
    out = [b"0.2 w"]
    for r in range(rows + 1):
        y = y0 - r * size
        out.append(b"%.2f %.2f m %.2f %.2f l S" % (x0, y, x0 + width, y))
    for c in range(columns + 1):
        x = x0 + c * size
        out.append(b"%.2f %.2f m %.2f %.2f l S" % (x, y0, x, y0 - height))
    return b"\n".join(out)


def refused(data: bytes) -> tuple[ParseError, int, float]:
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(ParseError) as error:
            read_document(data, ".pdf")
        seconds = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.value.code in ERRORS and "Error" not in error.value.render()
    return error.value, peak, seconds


def test_a_table_of_ten_thousand_tiny_cells_is_refused():
    data = ruled_pdf(grid(100, 100, 5.0))
    error, peak, seconds = refused(data)
    assert (error.code, error.params) == ("too_complex", {"limit": f"{LIMITS.pdf_table_cells:,}"})
    assert "table cells" in error.render()
    assert peak < 64 * MB and seconds < 30


def test_a_page_of_a_hundred_thousand_ruling_lines_is_refused_as_they_are_drawn():
    lines = b"\n".join(b"40 %d m 555 %d l S" % (100 + i % 700, 100 + i % 700) for i in range(100_000))
    error, peak, seconds = refused(ruled_pdf(lines))
    assert (error.code, error.params) == ("too_complex", {"limit": f"{LIMITS.pdf_page_paths:,}"})
    # Refused at the 5,001st line: what pdfminer kept of 5,000 lines, not of 100,000.
    assert peak < 32 * MB and seconds < 30


def test_forms_nested_a_thousand_deep_are_refused():
    depth = 1_000
    forms = [b"/X%d Do" % (i + 1) if i + 1 < depth else b"0 0 m 10 10 l S" for i in range(depth)]
    # Each form draws the next: the page names them all so that each finds the next.
    data = ruled_pdf(b"/X0 Do", forms=forms)
    error, peak, seconds = refused(data)
    assert (error.code, error.params) == ("too_complex", {"limit": f"{LIMITS.pdf_form_depth:,}"})
    assert peak < 32 * MB and seconds < 30


def test_a_calendar_table_reads_within_its_limits():
    data = (GENRE / "luzhou_2024_pdf_table.pdf").read_bytes()
    tracemalloc.start()
    try:
        read_document(data, ".pdf")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * MB


def test_a_ruled_page_of_graphics_states_nested_five_thousand_deep_is_refused():
    # The text reader keeps 64 saved states; the table reader's interpreter would keep them all.
    nested = b"q " * 5_000 + b"40 700 m 555 700 l S " + b"Q " * 5_000
    error, peak, seconds = refused(ruled_pdf(nested))
    assert (error.code, error.params) == ("too_complex", {"limit": f"{LIMITS.pdf_graphics_depth:,}"})
    assert peak < 32 * MB and seconds < 30
