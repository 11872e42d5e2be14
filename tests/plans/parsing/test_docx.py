"""Word files: real tables read as rows and columns, and no PDF cleanup applied to them."""

import io

import pytest

from plans.parsing import parse_bytes, parse_text
from plans.parsing.readers import read_document

docx = pytest.importorskip("docx")

HEADER = [
    "洛阳市人民政府教育督导室",
    "洛教督〔2022〕3号",
    "关于印发2022年洛阳市教育督导工作要点的通知",
    "各县（市、区）教育局：",
    "现将《2022年洛阳市教育督导工作要点》印发给你们，请认真贯彻落实。",
    "附件：2022年洛阳市教育督导重点工作安排表",
    "洛阳市人民政府教育督导室",
    "2022年2月10日",
    "2022年洛阳市教育督导工作要点",
    "一、主要任务",
    "1.开展县级政府履行教育职责评价。重点对偃师区、孟津区开展实地督导。",
    "2.推进义务教育优质均衡发展。指导各县（市、区）做好创建工作。",
    "3.加强责任督学挂牌督导。开展责任督学业务培训，组织督学业务考试。",
    "附件",
    "2022年洛阳市教育督导重点工作安排表",
]
ROWS = [
    ("序号", "时间", "重点工作", "责任科室"),
    ("1", "一季度", "印发年度工作要点", "办公室"),
    ("2", "", "部署县级政府履行教育职责评价工作", "督政科"),
    ("3", "二季度", "1.开展责任督学业务培训", "督学科"),
    ("4", "7—8月", "对偃师区、孟津区开展实地督导", "督政科"),
]


def save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def calendar_docx() -> bytes:
    document = docx.Document()
    for text in HEADER:
        document.add_paragraph(text)
    table = document.add_table(rows=len(ROWS), cols=4)
    for r, row in enumerate(ROWS):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    # 一季度 is one cell merged over two rows, as Word users draw it.
    merged = table.cell(1, 1).merge(table.cell(2, 1))
    merged.text = "一季度"
    # A cell with two numbered paragraphs: two entries of one row.
    table.cell(3, 2).add_paragraph("2.组织督学业务考试")
    return save(document)


@pytest.fixture(scope="module")
def calendar(gazetteer):
    return parse_bytes(calendar_docx(), gazetteer, source_format="docx")


def test_a_word_table_is_read_by_its_rows_and_columns(calendar):
    assert [(e.period, e.text, e.lead_unit) for e in calendar.schedule] == [
        ("一季度", "印发年度工作要点", "办公室"),
        ("一季度", "部署县级政府履行教育职责评价工作", "督政科"),
        ("二季度", "开展责任督学业务培训", "督学科"),
        ("二季度", "组织督学业务考试", "督学科"),
        ("7—8月", "对偃师区、孟津区开展实地督导", "督政科"),
    ]


def test_a_period_cell_merged_over_rows_dates_each_of_them(calendar):
    assert [e.months for e in calendar.schedule[:2]] == [(1, 2, 3), (1, 2, 3)]


def test_unit_and_number_cells_are_never_entries_nor_page_numbers(calendar):
    texts = [e.text for e in calendar.schedule]
    assert not {"办公室", "督政科", "督学科", "序号", "责任科室"} & set(texts)
    assert not any(text.isdigit() for text in texts)
    assert not any(w.code in ("page_debris", "repeated_header") for w in calendar.warnings)


def test_the_tasks_end_where_the_word_table_begins(calendar):
    assert [t.number for t in calendar.tasks] == [1, 2, 3]
    assert calendar.tasks[-1].text == "加强责任督学挂牌督导。开展责任督学业务培训，组织督学业务考试。"
    assert calendar.schedule[3].task == 3 and calendar.schedule[3].task_link == "phrase"


def test_the_reader_writes_rows_the_text_parser_reads_again():
    text = read_document(calendar_docx(), ".docx")
    assert "序号 | 时间 | 重点工作 | 责任科室" in text
    assert "2 | 〃 | 部署县级政府履行教育职责评价工作 | 督政科" in text


def test_a_title_row_spanning_the_table_is_a_line():
    document = docx.Document()
    for text in HEADER[8:13]:
        document.add_paragraph(text)
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "2022年重点工作安排"
    for c, text in enumerate(("时间", "工作内容", "牵头单位")):
        table.cell(1, c).text = text
    for c, text in enumerate(("3月", "召开全市教育督导工作会议", "市教育督导室")):
        table.cell(2, c).text = text
    text = read_document(save(document), ".docx")
    assert "\n2022年重点工作安排\n时间 | 工作内容 | 牵头单位\n" in text
    doc = parse_text(text, source_format="docx")
    assert [(e.period, e.text, e.lead_unit) for e in doc.schedule] == [
        ("3月", "召开全市教育督导工作会议", "市教育督导室")
    ]


def word_lines(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    return save(document)


def test_pdf_cleanups_leave_a_word_file_alone():
    # A short line repeated is a running header in a PDF; in Word it is what the author wrote.
    data = word_lines(
        "2022年某县教育督导工作要点",
        "一、工作任务",
        "1.开展学校安全专项督导。",
        "工作要求",
        "全面排查安全隐患。",
        "2.开展校外培训机构专项督导。",
        "工作要求",
        "规范校外培训行为。",
    )
    doc = parse_bytes(data, source_format="docx")
    assert [t.text for t in doc.tasks] == [
        "开展学校安全专项督导。\n工作要求\n全面排查安全隐患。",
        "开展校外培训机构专项督导。\n工作要求\n规范校外培训行为。",
    ]
    assert not doc.warnings or all(w.code != "repeated_header" for w in doc.warnings)
    # The same text from a PDF: the repeated line is taken for a page header.
    text = read_document(data, ".docx")
    assert any(w.code == "repeated_header" for w in parse_text(text).warnings)


def test_a_word_paragraph_is_whole_and_never_joined_to_the_next():
    data = word_lines("2022年某县教育督导工作要点", "一、工作任务", "1.开展学校安全专项督导", "认真排查安全隐患。")
    task = parse_bytes(data, source_format="docx").tasks[0]
    assert (task.title, task.text) == ("开展学校安全专项督导", "开展学校安全专项督导\n认真排查安全隐患。")
    # From a PDF the line break would be a sentence broken over lines.
    assert parse_text(read_document(data, ".docx")).tasks[0].text == "开展学校安全专项督导认真排查安全隐患。"


def test_source_format_accepts_a_suffix_and_defaults_to_text():
    data = word_lines("2022年某县教育督导工作要点", "一、工作任务", "1.开展学校安全专项督导。")
    assert parse_bytes(data, source_format=".DOCX").tasks[0].title == "开展学校安全专项督导"
    assert parse_text("2022年工作要点\n一、工作\n1.开展督导。\n", source_format="unknown").tasks
