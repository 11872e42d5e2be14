"""Calendar annexes laid out as tables, as they reach us in text: cells separated by pipes, tabs or
runs of spaces, a header row naming the columns, continuation lines, items numbered on across
periods, and the annex the notice announced."""

from pathlib import Path

import pytest

from plans.parsing import ParseError, parse_bytes, parse_text

GENRE = Path(__file__).resolve().parent / "genre"


def read(name: str, gazetteer):
    return parse_bytes((GENRE / name).read_bytes(), gazetteer)


def schedule(doc):
    return [(e.period, e.text, e.lead_unit) for e in doc.schedule]


BODY = (
    "2022年某市教育督导工作要点\n一、主要任务\n"
    "1.开展县级政府履行教育职责评价。认真组织实施，形成督导报告。\n"
    "2.推进义务教育优质均衡发展。做好省级督导评估迎检工作。\n"
    "3.加强督学队伍建设。组织督学业务培训，提升专业能力。\n"
)


# --- pipes ---------------------------------------------------------------------------------------


def test_a_pipe_table_reads_each_row_by_the_roles_its_header_gives(gazetteer):
    doc = read("nanjing_2021_pipe_table.txt", gazetteer)
    assert [t.number for t in doc.tasks] == [1, 2, 3, 4]
    assert schedule(doc) == [
        ("1月", "印发年度工作要点", "办公室"),
        ("1月", "召开全市教育督导工作会议", "办公室"),
        ("3月上旬", "部署区政府履行教育职责评价自评工作", "督政科"),
        ("7—8月", "组织实施国家义务教育质量监测（任务4）", "评估监测科"),
        ("9～10月", "开展责任督学挂牌督导工作业务培训", "督学科"),
        ("9～10月", "组织江宁区迎接国家督导评估", "督政科"),
        ("每月", "编发督导简报", "办公室"),
    ]
    assert [e.months for e in doc.schedule][3:5] == [(7, 8), (9, 10)]


def test_a_unit_in_the_responsibility_column_is_the_entry_lead_unit_not_its_text(gazetteer):
    doc = read("nanjing_2021_pipe_table.txt", gazetteer)
    assert all("科" not in e.text and "办公室" not in e.text for e in doc.schedule)
    assert {e.lead_unit for e in doc.schedule} == {"办公室", "督政科", "评估监测科", "督学科"}
    assert doc.to_json()["schedule"][0]["lead_unit"] == "办公室"


def test_the_header_row_the_number_column_and_the_rules_are_no_entries(gazetteer):
    doc = read("nanjing_2021_pipe_table.txt", gazetteer)
    texts = [e.text for e in doc.schedule]
    assert not any(text in ("序号", "月份", "重点工作", "责任科室") or text.isdigit() for text in texts)
    assert not any(w.code == "page_debris" for w in doc.warnings)
    assert doc.notes == ""


def test_a_ditto_mark_keeps_the_period_of_the_row_above(gazetteer):
    doc = read("nanjing_2021_pipe_table.txt", gazetteer)
    assert doc.schedule[5].period == "9～10月"


def test_the_announced_annex_is_the_calendar_and_never_the_last_task_text(gazetteer):
    doc = read("nanjing_2021_pipe_table.txt", gazetteer)
    assert doc.tasks[-1].text == "做好教育质量监测。组织实施国家义务教育质量监测，形成监测报告。"


def test_several_numbered_items_in_one_cell_are_entries_of_their_own():
    text = BODY + "| 时间 | 工作内容 |\n| 3月 | 1.制定评价方案 2.印发通知 3.组织培训 |\n| 4月 | 开展实地督导 |\n"
    assert schedule(parse_text(text)) == [
        ("3月", "制定评价方案", ""),
        ("3月", "印发通知", ""),
        ("3月", "组织培训", ""),
        ("4月", "开展实地督导", ""),
    ]


def test_numbers_inside_an_item_do_not_split_it():
    text = BODY + "| 时间 | 工作内容 |\n| 3月 | 1.完成3、4号楼安全检查 2.督导1.2万名学生体质监测 |\n"
    assert [e.text for e in parse_text(text).schedule] == ["完成3、4号楼安全检查", "督导1.2万名学生体质监测"]


# --- tabs and aligned columns -----------------------------------------------------------------


def test_a_tab_separated_table_with_continuation_lines(gazetteer):
    doc = read("changzhou_2022_tab_table.txt", gazetteer)
    assert [t.number for t in doc.tasks] == [1, 2, 3]
    assert schedule(doc) == [
        ("第一季度", "印发2022年工作要点", "办公室"),
        ("第一季度", "部署县级政府履行教育职责评价自评工作", "督政科"),
        ("第二季度", "组织督学培训", "督学科"),
        # Indented to the second column and unfinished above: one item over two lines.
        ("第二季度", "对溧阳市、金坛区开展实地督导，形成督导意见书并反馈整改意见", ""),
        ("下半年", "开展学前教育普及普惠督导评估", "督政科"),
    ]


def test_columns_aligned_by_spaces_with_a_number_column_and_a_unit_column(gazetteer):
    doc = read("wuxi_2023_aligned_table.txt", gazetteer)
    assert [t.number for t in doc.tasks] == [1, 2, 3, 4, 5]
    assert schedule(doc) == [
        ("第一季度", "印发2023年工作要点", "督政处"),
        ("第一季度", "召开全市教育督导工作会议", "督政处"),
        ("3月上旬", "部署县级政府履行教育职责评价自评工作", "督政处"),
        ("第二季度", "组织实施国家义务教育质量监测（任务5）", "评估监测处"),
        ("7-8月份", "开展暑期学校安全专项督导，重点检查校车安全管理", "督学处"),
        ("9～10月", "对江阴市、宜兴市开展实地督导", "督政处"),
        ("每月", "编发《无锡教育督导》简报", "办公室"),
    ]
    assert doc.cc == ["省教育厅", "市委宣传部", "市政府办公室"]


def test_a_table_without_title_or_header_ends_the_tasks_where_it_begins():
    text = BODY + (
        "第一季度      1.印发2022年工作要点。\n"
        "              2.部署县级政府履行教育职责评价自评工作。\n"
        "第二季度      3.组织督学业务培训。\n"
        "              4.对各县（市、区）开展实地督导。\n"
        "7-8月份       5.开展暑期安全专项督导。\n"
    )
    doc = parse_text(text)
    # Items numbered on across periods are annex items, not tasks 4 to 8.
    assert [t.number for t in doc.tasks] == [1, 2, 3]
    assert not any(w.code == "numbering_gap" for w in doc.warnings)
    assert [(e.period, e.months) for e in doc.schedule] == [
        ("第一季度", (1, 2, 3)),
        ("第一季度", (1, 2, 3)),
        ("第二季度", (4, 5, 6)),
        ("第二季度", (4, 5, 6)),
        ("7-8月份", (7, 8)),
    ]


def test_a_period_cell_and_its_first_item_read_as_one_line():
    # Text extracted without the column gap: 一季度1.印发… is still a period and an item.
    text = BODY + "一季度1.印发工作要点；2.召开工作会议。\n二季度3.组织督学培训。\n"
    assert schedule(parse_text(text)) == [
        ("一季度", "印发工作要点", ""),
        ("一季度", "召开工作会议", ""),
        ("二季度", "组织督学培训", ""),
    ]


@pytest.mark.parametrize(
    "cell, months, granularity",
    [
        ("1月", (1,), "month"),
        ("7—8月", (7, 8), "month"),
        ("7-8月份", (7, 8), "month"),
        ("第一季度", (1, 2, 3), "quarter"),
        ("一季度", (1, 2, 3), "quarter"),
        ("上半年", tuple(range(1, 7)), "half_year"),
        ("3月上旬", (3,), "ten_day"),
        ("每月", tuple(range(1, 13)), "month"),
        ("3～5月", (3, 4, 5), "month"),
        ("9月—10月", (9, 10), "month"),
        ("二季度末", (4, 5, 6), "quarter"),
    ],
)
def test_period_cells_of_every_usual_form(cell, months, granularity):
    doc = parse_text(BODY + f"| 时间 | 工作内容 |\n| {cell} | 开展专项督导 |\n")
    assert [(e.period, e.months, e.granularity) for e in doc.schedule] == [(cell, months, granularity)]


def test_without_a_header_a_short_office_name_after_the_work_is_its_unit():
    text = BODY + "3月    召开全市教育督导工作会议    办公室\n4月    开展实地督导    督政科\n"
    assert schedule(parse_text(text)) == [
        ("3月", "召开全市教育督导工作会议", "办公室"),
        ("4月", "开展实地督导", "督政科"),
    ]


def test_a_unit_named_inside_an_annex_item_is_its_lead_unit():
    text = BODY + "附件：重点工作安排\n一季度：召开全市教育督导工作会议（牵头科室：办公室）。\n"
    assert schedule(parse_text(text)) == [("一季度", "召开全市教育督导工作会议", "办公室")]


def test_letters_spaced_out_in_a_heading_are_no_table():
    text = BODY + "附  件\n2022年重点工作安排\n时 间    工 作 事 项\n一季度\n1.印发工作要点。\n"
    assert schedule(parse_text(text)) == [("一季度", "印发工作要点", "")]


def test_a_stray_tab_inside_a_task_makes_no_table():
    text = BODY.replace("组织督学业务培训", "3月\t组织督学业务培训")
    doc = parse_text(text)
    assert doc.schedule == [] and len(doc.tasks) == 3


@pytest.mark.parametrize("typed", ["2.  \t召  开", "2.\t\u202f  召  开", "2.\u3000\t召\u2009\u2009开"])
def test_blanks_and_a_tab_typed_inside_an_item_make_no_empty_column(typed):
    # "2.  \t召  开…": one gap before the item and a stray one inside it, not a table row with an
    # empty period cell and the character before the second gap as a column of its own.
    annex = "附件\n2022年重点工作安排\n一季度\n1.印发工作要点。\n二季度\n{}督学工作会议。\n"
    typed_doc = parse_text(BODY + annex.format(typed))
    plain_doc = parse_text(BODY + annex.format("2.召开"))
    assert (
        schedule(typed_doc)
        == schedule(plain_doc)
        == [
            ("一季度", "印发工作要点", ""),
            ("二季度", "召开督学工作会议", ""),
        ]
    )


# --- announced annexes and complete endings ------------------------------------------------------


def test_an_annex_announced_in_the_notice_is_read_as_the_calendar():
    text = (
        "某市人民政府教育督导室\n关于印发2022年某市教育督导工作要点的通知\n各县（市、区）教育局：\n"
        "现将《2022年某市教育督导工作要点》印发给你们。\n"
        "附件：1．2022年某市教育督导工作要点\n2．2022年某市教育督导重点工作时间安排表\n"
        "某市人民政府教育督导室\n2022年2月1日\n" + BODY + "2022年某市教育督导重点工作时间安排表\n"
        # A calendar whose first line is no period: without the announcement, task 3's text.
        "全市教育督导工作会议于年初召开，具体安排另行通知。\n一季度：印发工作要点\n"
    )
    doc = parse_text(text)
    assert doc.tasks[-1].text == "加强督学队伍建设。组织督学业务培训，提升专业能力。"
    assert schedule(doc) == [("一季度", "印发工作要点", "")]
    assert "全市教育督导工作会议于年初召开" in doc.notes


@pytest.mark.parametrize(
    "ending",
    [
        "| 12月 | 总结全年工作 |\n",
        "12月      总结全年工作，\n    部署下年工作\n",
        "抄送：省教育厅，市政府办公室。\n某市教育局办公室 2022年2月1日印发\n",
    ],
)
def test_a_document_that_ends_with_a_table_row_or_its_footer_is_complete(ending):
    text = BODY.replace("提升专业能力。", "提升专业能力") + "| 时间 | 工作内容 |\n| 3月 | 开展实地督导 |\n" + ending
    parse_text(text)


def test_text_that_really_stops_mid_sentence_is_still_refused():
    with pytest.raises(ParseError) as error:
        parse_text(BODY + "4.开展学校安全专项督导，重点对")
    assert error.value.code == "truncated"
    with pytest.raises(ParseError) as error:
        parse_text(BODY + "附件：重点工作安排\n一季度：印发工作要点，召开工作会议，")
    assert error.value.code == "truncated"


def test_a_table_extracted_one_cell_per_line_keeps_units_and_numbers_out_of_the_items():
    text = BODY + (
        "2022年重点工作安排\n序号\n时间\n工作内容\n责任单位\n"
        "1\n一季度\n印发工作要点\n办公室\n2\n二季度\n组织督学业务培训\n督学科\n"
    )
    assert schedule(parse_text(text)) == [
        ("一季度", "印发工作要点", "办公室"),
        ("二季度", "组织督学业务培训", "督学科"),
    ]


def test_a_column_headed_by_an_unknown_word_is_kept_with_the_item():
    text = BODY + "| 序号 | 时间 | 督导对象 | 工作内容 |\n| 1 | 3月 | 各县（市、区） | 开展实地督导 |\n"
    assert schedule(parse_text(text)) == [("3月", "开展实地督导（督导对象：各县（市、区））", "")]


def test_a_table_copied_from_a_web_page_one_cell_per_line_between_rules():
    text = BODY + (
        "|\n月份 |\n重点工作安排 |\n|\n2月 |\n"
        "1.制定责任区工作计划。 2.参加全县教育工作会议。 3.开展春季开学督导检查。 |\n|\n"
        "3月 |\n1.责任督学月例会。 2.检查校园及周边安全。 |\n"
    )
    doc = parse_text(text)
    assert [(e.period, e.text) for e in doc.schedule] == [
        ("2月", "制定责任区工作计划"),
        ("2月", "参加全县教育工作会议"),
        ("2月", "开展春季开学督导检查"),
        ("3月", "责任督学月例会"),
        ("3月", "检查校园及周边安全"),
    ]
    assert len(doc.tasks) == 3
