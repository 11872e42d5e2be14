"""Text PDFs: Chinese text through the text layer, a calendar drawn as a table."""

from plans.parsing import parse_bytes
from plans.parsing.readers import read_document

from .documents import cjk_pdf

NOTICE = [
    (72, 800, "2022年某市教育督导工作要点"),
    (72, 780, "一、主要任务"),
    (72, 760, "1.开展县级政府履行教育职责评价。认真组织实施。"),
    (72, 744, "2.推进义务教育优质均衡发展。做好迎检工作。"),
    (72, 728, "3.加强督学队伍建设。组织督学业务培训。"),
    (72, 700, "2022年重点工作安排"),
    # The calendar as a two-column table: periods at the left, items at the right.
    (72, 680, "时间"),
    (160, 680, "工作内容"),
    (72, 660, "一季度"),
    (160, 660, "1.印发工作要点。"),
    (160, 644, "2.部署县级政府履行教育职责评价工作。"),
    (72, 620, "二季度"),
    (160, 620, "3.组织督学业务培训。"),
    (72, 600, "7-8月"),
    (160, 600, "4.开展暑期安全专项督导。"),
]


def test_chinese_text_is_read_from_a_pdf_text_layer():
    text = read_document(cjk_pdf(NOTICE[:3]), ".pdf")
    assert "2022年某市教育督导工作要点" in text and "一、主要任务" in text


def test_a_calendar_table_in_a_pdf_becomes_the_schedule():
    doc = parse_bytes(cjk_pdf(NOTICE), source_format="pdf")
    assert [t.title for t in doc.tasks] == [
        "开展县级政府履行教育职责评价",
        "推进义务教育优质均衡发展",
        "加强督学队伍建设",
    ]
    assert [(e.period, e.text) for e in doc.schedule] == [
        ("一季度", "印发工作要点"),
        ("一季度", "部署县级政府履行教育职责评价工作"),
        ("二季度", "组织督学业务培训"),
        ("7-8月", "开展暑期安全专项督导"),
    ]
    # Task 3 is restated in the annex in its own words.
    assert (doc.schedule[2].task, doc.schedule[2].task_link) == (3, "phrase")
