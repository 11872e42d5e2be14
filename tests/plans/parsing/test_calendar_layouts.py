"""Calendars laid out in ways the other genre documents do not show: cells of several numbered
items on several lines, and calendars that open with a lead-in sentence."""

from pathlib import Path

from plans.parsing import parse_bytes

GENRE = Path(__file__).resolve().parent / "genre"


def read(name: str, gazetteer):
    return parse_bytes((GENRE / name).read_bytes(), gazetteer)


def schedule(doc):
    return [(e.period, e.text, e.lead_unit) for e in doc.schedule]


def test_every_item_of_a_cell_written_over_two_lines_keeps_its_month(gazetteer):
    doc = read("yibin_2024_two_items_per_cell.txt", gazetteer)
    assert schedule(doc) == [
        # The unit cell follows the cell's last line and leads both of its items.
        ("1月", "召开全市教育督导工作会议", "办公室"),
        ("1月", "部署寒假安全专项督导", "办公室"),
        ("2月", "开展春季开学工作专项督导", "督学科"),
        ("2月", "印发年度工作要点", "督学科"),
        ("3月", "对江安县开展县级政府履职实地督导", "督政科"),
        ("3月", "启动学校发展性督导评估", "督学科"),
        ("第二季度", "组织督学业务培训", "督政科"),
        ("第二季度", "对长宁县开展实地督导（备注：全市督学参加）", "督政科"),
        ("第三季度", "开展秋季开学专项督导", "督学科"),
        ("第四季度", "组织义务教育质量监测", "评估科"),
        # Numbered 4. in a 第四季度 cell: an item of the quarter, not a period of its own.
        ("第四季度", "开展年度工作总结", "办公室"),
    ]
    assert doc.notes == ""
    assert not any(w.code == "unparsed_period" for w in doc.warnings)


def test_items_of_a_cell_are_still_linked_to_the_tasks_they_name(gazetteer):
    doc = read("yibin_2024_two_items_per_cell.txt", gazetteer)
    assert [e.task for e in doc.schedule] == [None, None, None, None, 1, 3, None, 1, None, 4, None]
    assert doc.counties == ["江安县", "长宁县", "翠屏区", "南溪区"]


def test_a_section_that_holds_only_the_calendar_is_a_section_and_its_lead_in_no_entry(gazetteer):
    doc = read("deyang_2023_calendar_section.txt", gazetteer)
    assert [s.heading for s in doc.sections] == ["督政工作", "督学工作", "评估监测", "保障措施", "工作安排"]
    assert doc.sections[4].text == "全年教育督导重点工作按季度推进，具体安排如下："
    assert [t.number for t in doc.tasks] == [1, 2, 3, 4, 5]
    assert doc.tasks[-1].text == "加强督学队伍建设。组织督学培训，提升督导能力。"
    assert [(e.period, e.text) for e in doc.schedule] == [
        ("第一季度", "印发全市教育督导工作要点"),
        ("第一季度", "部署春季开学专项督导"),
        ("第二季度", "对中江县开展县级政府履职实地督导"),
        ("第三季度", "开展秋季开学专项督导"),
        ("第四季度", "组织义务教育质量监测"),
        ("第四季度", "开展年度工作总结"),
    ]
    assert not any(w.code == "numbering_gap" for w in doc.warnings)


def test_a_lead_in_sentence_in_a_calendar_annex_is_kept_with_the_notes_not_read_as_all_year(gazetteer):
    doc = read("suining_2025_annex_lead_in.txt", gazetteer)
    assert schedule(doc) == [
        ("2月", "召开全市教育督导工作会议", "办公室"),
        ("3月", "对射洪市开展县级政府履职实地督导", "督政科"),
        ("5月", "组织督学业务培训", "督学科"),
        # A row of the table may still be 全年.
        ("全年", "落实责任督学挂牌督导", "督学科"),
    ]
    assert doc.notes == "全年重点工作按月推进，力求实效，安排如下。"
    assert [s.heading for s in doc.sections] == ["推进督政", "加强督学"]


def test_a_long_dated_line_without_a_stop_does_not_swallow_the_next_dated_line(gazetteer):
    # Each line of the annex starts with its own month: however long a line runs without a stop,
    # the next line's month starts the next entry.
    doc = read("guangyuan_2025_dated_annex_lines.txt", gazetteer)
    assert [(e.period, e.text) for e in doc.schedule] == [
        ("2月", "印发全市教育督导工作要点并召开全市教育督导工作会议部署全年工作"),
        ("3月", "开展春季开学专项督导"),
        ("4月", "对苍溪县开展县级人民政府履行教育职责实地督导并反馈意见形成督导报告"),
        ("5月", "组织责任督学业务培训"),
    ]
