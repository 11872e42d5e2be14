"""Constructs of the genre the seeds do not show, in notices written for these tests."""

from pathlib import Path

import pytest

from plans.parsing import ParseError, parse_bytes, parse_text

GENRE = Path(__file__).resolve().parent / "genre"


def read(name: str, gazetteer):
    return parse_bytes((GENRE / name).read_bytes(), gazetteer)


def test_subsections_are_the_tasks_when_nothing_is_numbered_below_them(gazetteer):
    doc = read("luoyang_2018_section_tasks.txt", gazetteer)
    assert [t.label for t in doc.tasks] == ["（一）", "（二）", "（三）", "（一）"]
    assert [t.number for t in doc.tasks] == [1, 2, 3, 4]
    assert [s.heading for s in doc.sections] == ["总体要求", "重点任务", "保障措施"]
    assert doc.section_heading(doc.tasks[3].section) == "三、保障措施"


def test_header_in_other_bracket_and_numeral_forms(gazetteer):
    doc = read("luoyang_2018_section_tasks.txt", gazetteer)
    assert doc.doc_number == "洛教督〔2018〕5号"
    assert str(doc.issue_date) == "2018-03-06"
    assert doc.issuing_office == "洛阳市人民政府教育督导室"
    assert doc.cc == ["省教育厅", "市政府办公室"]


def test_lead_units_are_read_and_kept_out_of_the_title(gazetteer):
    doc = read("luoyang_2018_section_tasks.txt", gazetteer)
    assert doc.tasks[0].lead_unit == "督导一科"
    assert doc.tasks[0].title == "强化督政"
    assert doc.tasks[3].lead_unit == "市督导室"


def test_renamed_counties_are_matched_by_their_old_names(gazetteer):
    doc = read("luoyang_2018_section_tasks.txt", gazetteer)
    # 偃师市 and 孟津县 became districts in 2021.
    assert doc.tasks[0].counties == ["偃师区", "孟津区"]
    assert doc.tasks[1].counties == ["涧西区", "西工区"]


def test_a_running_header_is_dropped_with_a_warning(gazetteer):
    doc = read("luoyang_2018_section_tasks.txt", gazetteer)
    assert "洛阳市教育督导工作要点" not in doc.preamble
    assert all("洛阳市教育督导工作要点" not in t.text for t in doc.tasks)
    assert any(w.code == "repeated_header" for w in doc.warnings)


def test_per_task_time_arrangements_are_calendar_lines(gazetteer):
    doc = read("luoyang_2018_section_tasks.txt", gazetteer)
    assert [(e.task, e.period, e.months) for e in doc.schedule] == [
        (1, "3月底前", (3,)),
        (1, "4-6月", (4, 5, 6)),
        (3, "二季度", (4, 5, 6)),
        (3, "年底前", (12,)),
    ]


def test_numbering_that_restarts_in_each_section_is_renumbered_in_order(gazetteer):
    doc = read("changsha_2019_restarting_numbers.txt", gazetteer)
    assert [t.label for t in doc.tasks] == ["1.", "2.", "1.", "2.", "1."]
    assert [t.number for t in doc.tasks] == [1, 2, 3, 4, 5]
    assert not any(w.code == "numbering_gap" for w in doc.warnings)
    assert "(1)制定评估方案；" in doc.tasks[3].text


def test_a_dated_calendar_annex_and_a_closing_signature(gazetteer):
    doc = read("changsha_2019_restarting_numbers.txt", gazetteer)
    # Items on the period's own line are split at their semicolons.
    assert [e.period for e in doc.schedule] == ["1月", "1月", "2月", "3-4月", "11月下旬"]
    assert [e.text for e in doc.schedule[:2]] == ["召开全市教育督导工作会议", "部署年度工作"]
    assert doc.tasks[-1].text == "组织义务教育质量监测。"
    assert doc.issuing_office == "长沙市人民政府教育督导室"
    assert str(doc.issue_date) == "2019-02-20"
    assert doc.counties == ["浏阳市", "宁乡市", "芙蓉区", "天心区"]


def test_numbering_gaps_are_reported():
    text = "2018年某市教育督导工作要点\n一、工作\n1.第一项工作。\n2.第二项工作。\n4.第四项工作。\n"
    doc = parse_text(text)
    assert [t.number for t in doc.tasks] == [1, 2, 3]
    assert any(w.code == "numbering_gap" for w in doc.warnings)


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "empty"),
        ("只有一句话，没有任务。", "not_workpoints"),
        ("2018年工作要点\n一、工作\n1.开展督导，重点对", "truncated"),
    ],
)
def test_documented_errors(text, code):
    with pytest.raises(ParseError) as error:
        parse_text(text)
    assert error.value.code == code


def test_numbered_points_under_prose_subsections_belong_to_them(gazetteer):
    doc = read("xuzhou_2021_subsection_tasks.txt", gazetteer)
    assert [(t.label, t.title) for t in doc.tasks] == [
        ("（一）", "开展县级政府履行教育职责评价"),
        ("（二）", "推进义务教育优质均衡发展"),
        ("（三）", "完善责任督学挂牌督导"),
    ]
    assert "\n1.制定评价方案；\n2.对丰县、沛县开展实地督导。" in doc.tasks[0].text
    assert doc.tasks[0].lead_unit == "督政科"
    assert doc.tasks[0].counties == ["丰县", "沛县"]


def test_red_header_with_signer_and_unnumbered_monthly_items(gazetteer):
    doc = read("xuzhou_2021_subsection_tasks.txt", gazetteer)
    assert doc.issuing_office == "徐州市人民政府教育督导委员会办公室"
    assert doc.doc_number == "徐教督办〔2021〕3号"
    assert doc.disclosure == "此件公开发布"
    assert [(e.period, e.text) for e in doc.schedule] == [
        ("一月份", "召开全市教育督导工作会议"),
        ("一月份", "部署寒假安全专项督导"),
        ("二月份", "春季开学工作专项督导"),
    ]
    # Recipients are not targets: the zone in 主送 is not a county the plan names.
    assert doc.counties == ["丰县", "沛县", "鼓楼区", "云龙区"]


def test_an_unknown_header_line_is_kept_with_the_notice_and_reported(gazetteer):
    text = (
        "镇江市人民政府教育督导室\n镇教督〔2020〕2号\n关于印发2020年工作要点的通知\n各市、区教育局：\n"
        "现将《2020年镇江市教育督导工作要点》印发给你们。\n镇江市人民政府教育督导室\n2020年3月3日\n"
        "联系人：张三，电话：0511-1234567\n2020年镇江市教育督导工作要点\n一、工作\n1.开展督导。认真落实。\n"
    )
    doc = parse_text(text, gazetteer)
    assert doc.notice_text.endswith("联系人：张三，电话：0511-1234567")
    warning = next(w for w in doc.warnings if w.code == "unknown_line")
    assert warning.render() == (
        "Line 8 was not recognised and was kept with the notice text: “联系人：张三，电话：0511-1234567”."
    )


def test_wrapped_recipients_bracketed_calendar_label_and_title_from_the_notice_title(gazetteer):
    text = (
        "苏州市人民政府教育督导室\n苏教督〔2022〕1号\n关于印发2022年苏州市教育督导工作要点的通知\n"
        "各市、区教育局，苏州工业园区社会事业局，\n各市、区政府教育督导室：\n"
        "现将2022年工作要点印发给你们，请认真贯彻落实。\n苏州市人民政府教育督导室\n2022年2月8日\n"
        "一、督政工作\n1.开展县级政府履职评价。重点对昆山市、太仓市开展实地督导。\n"
        "【工作月历】3月，制定方案；4-5月，实地督导。\n"
    )
    doc = parse_text(text, gazetteer)
    assert doc.recipients == ["各市、区教育局", "苏州工业园区社会事业局", "各市、区政府教育督导室"]
    assert doc.title == "2022年苏州市教育督导工作要点"
    assert [(e.period, e.text) for e in doc.schedule] == [("3月", "制定方案"), ("4-5月", "实地督导")]
    assert doc.counties == ["昆山市", "太仓市"]
    assert not [w for w in doc.warnings if w.code == "unknown_line"]


def test_headings_with_prose_and_nothing_numbered_below_are_the_tasks(gazetteer):
    text = (
        "2023年某县教育督导工作要点\n一、加强督政\n全面落实县级政府教育职责。\n"
        "二、深化督学\n推进责任督学挂牌督导。\n组织督学培训。\n"
        "附件：重点工作安排\n一季度：1.召开全县教育督导工作会议；2.部署开学检查。\n二季度：组织质量监测。\n"
    )
    doc = parse_text(text, gazetteer)
    assert [(t.label, t.title, t.text) for t in doc.tasks] == [
        ("一、", "加强督政", "加强督政\n全面落实县级政府教育职责。"),
        ("二、", "深化督学", "深化督学\n推进责任督学挂牌督导。\n组织督学培训。"),
    ]
    assert doc.sections == []
    assert [(e.period, e.text) for e in doc.schedule] == [
        ("一季度", "召开全县教育督导工作会议"),
        ("一季度", "部署开学检查"),
        ("二季度", "组织质量监测"),
    ]


def test_a_deadline_in_parentheses_is_a_calendar_line_of_its_task(gazetteer):
    text = (
        "2022年湖南省教育督导工作要点\n一、督政\n"
        "1.开展市州政府履职评价（牵头单位：督导一处；完成时间：6月底前）。认真组织实施。\n"
        "2.推进优质均衡发展。指导有关县市区做好迎检。\n工作月历：3月，部署；9月，评估。\n"
        "3.加强督学培训（时间：下半年）。\n"
    )
    doc = parse_text(text, gazetteer)
    assert [t.title for t in doc.tasks] == ["开展市州政府履职评价", "推进优质均衡发展", "加强督学培训"]
    assert doc.tasks[0].lead_unit == "督导一处"
    assert [(e.task, e.period, e.text) for e in doc.schedule] == [
        (1, "6月底前", "开展市州政府履职评价"),
        (2, "3月", "部署"),
        (2, "9月", "评估"),
        (3, "下半年", "加强督学培训"),
    ]


def test_subsection_headings_ending_with_a_full_stop_stay_headings(gazetteer):
    text = (
        "2022年某市教育督导工作要点\n一、主要任务\n（一）强化督政。\n1.开展县级政府履职评价。认真组织。\n"
        "2.推进优质均衡。做好迎检。\n（二）深化督学。\n3.完善挂牌督导。加强培训。\n"
    )
    doc = parse_text(text, gazetteer)
    assert [t.title for t in doc.tasks] == ["开展县级政府履职评价", "推进优质均衡", "完善挂牌督导"]
    assert [(s.label, s.heading, s.level) for s in doc.sections] == [
        ("一、", "主要任务", 1),
        ("（一）", "强化督政", 2),
        ("（二）", "深化督学", 2),
    ]


def test_a_project_heading_with_its_first_paragraph_on_the_line(gazetteer):
    text = (
        "2023年某市教育工作要点\n第一项工程：学校建设工程。三年内新建学校30所。\n2023年新建学校10所。\n"
        "一、重点任务\n1.开展督导。认真组织。\n"
    )
    doc = parse_text(text, gazetteer)
    project = doc.projects[0]
    assert (project.heading, project.name) == ("第一项工程：学校建设工程", "学校建设工程")
    assert (project.goal, project.annual_target, project.text) == ("三年内新建学校30所。", "2023年新建学校10所。", "")
    assert doc.projects_first


def test_projects_after_the_tasks_do_not_lead(gazetteer):
    text = "2023年某市教育工作要点\n一、重点任务\n1.开展督导。认真组织。\n第一项工程——“学校建设工程”\n三年内新建学校30所。\n"
    doc = parse_text(text, gazetteer)
    assert not doc.projects_first and doc.projects[0].heading == "第一项工程——“学校建设工程”"


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("督促各县（市、区）落实整改。", True),
        ("指导各县(市)区做好迎检。", True),
        ("各县市区教育局要高度重视。", True),
        ("组织各区县开展自查。", True),
        ("各县级教育督导部门要加强指导。", True),
        ("督促各市（县）、区落实。", True),
        ("指导各地做好整改。", True),
        ("各学校要认真落实。", False),
        ("各科室分工负责。", False),
        ("指导8个县市区做好迎检。", False),
        ("学习全国各地先进经验。", False),
    ],
)
def test_tasks_addressed_to_every_county_of_the_region(gazetteer, sentence, expected):
    text = f"2023年某市教育督导工作要点\n一、重点任务\n1.开展督导评估。{sentence}\n"
    assert parse_text(text, gazetteer).tasks[0].addresses_all_counties is expected


def test_in_a_province_notice_every_place_is_not_every_county(gazetteer):
    text = "湖南省人民政府教育督导委员会办公室\n2023年2月1日\n2023年湖南省教育督导工作要点\n一、重点任务\n1.开展督导。指导各地做好整改。\n2.开展评估。督促各县（市、区）落实。\n"
    doc = parse_text(text, gazetteer)
    assert [t.addresses_all_counties for t in doc.tasks] == [False, True]
    assert [t.addresses_all_counties for t in parse_text(text).tasks] == [False, True]
    assert parse_text(text, gazetteer).to_json()["tasks"][1]["addresses_all_counties"] is True
