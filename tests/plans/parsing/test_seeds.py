"""Each seed document imports with every part the README counts, and its header exactly right."""

import datetime
from pathlib import Path

import pytest

from plans.parsing import parse_bytes

SEEDS = Path(__file__).resolve().parents[3] / "fixtures" / "seeds"

EXPECTED = {
    # prefix: (sections, tasks, projects, schedule entries, counties)
    "000": (4, 13, 0, 34, ["金水区", "管城回族区", "登封市", "中原区"]),
    "001": (7, 13, 0, 43, ["南岳区", "衡东县", "衡南县", "衡阳县", "耒阳市", "衡山县", "祁东县", "常宁市"]),
    "002": (8, 12, 0, 0, ["鲤城区", "丰泽区", "晋江市", "石狮市", "洛江区", "泉港区", "德化县"]),
    "003": (8, 28, 17, 0, []),
    "004": (2, 10, 0, 21, ["扬中市", "句容市", "丹徒区", "京口区", "镇江新区"]),
}

HEADERS = {
    "000": dict(
        issuing_office="郑州市人民政府教育督导委员会办公室",
        doc_number="",
        title="郑州市人民政府教育督导委员会办公室2017年工作要点",
        issue_date=datetime.date(2017, 2, 14),
        plan_year=2017,
        recipients=["各县（市、区）教育局、人民政府教育督导室", "市教育局直属各学校（单位）"],
        cc=[],
    ),
    "001": dict(
        issuing_office="衡阳市教育督导委员会办公室",
        doc_number="衡教督办〔2017〕1号",
        title="2017年衡阳市教育督导工作要点",
        issue_date=datetime.date(2017, 1, 16),
        plan_year=2017,
        recipients=["各县市区教督委办（政府教育督导室）"],
        cc=[],
    ),
    "002": dict(
        issuing_office="泉州市人民政府教育督导室",
        doc_number="泉政教督〔2017〕2号",
        title="2017年泉州市教育督导工作要点",
        issue_date=datetime.date(2017, 4, 26),
        plan_year=2017,
        recipients=[
            "各县（市、区）教育局、教育督导室",
            "泉州开发区社会事业局",
            "泉州台商投资区教育文体旅游局、教育督导室",
        ],
        cc=[],
    ),
    "003": dict(
        issuing_office="郑州市教育局",
        doc_number="",
        title="郑州市教育局未来三年重点工程及2016年工作要点",
        issue_date=None,
        plan_year=2016,
        recipients=[],
        cc=[],
    ),
    "004": dict(
        issuing_office="镇江市人民政府教育督导室",
        doc_number="镇教督〔2020〕2号",
        title="2020年镇江市教育督导工作要点",
        issue_date=datetime.date(2020, 3, 3),
        plan_year=2020,
        recipients=["各市、区教育局、政府教育督导室", "镇江新区社会发展局、教育督导室", "市属各学校（单位）"],
        cc=["省教育督导委员会办公室", "市委宣传部", "市政府办公室", "各市、区政府", "镇江新区管委会"],
    ),
}


def seed(prefix: str) -> bytes:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_bytes()


@pytest.fixture(scope="module")
def documents(gazetteer):
    return {prefix: parse_bytes(seed(prefix), gazetteer) for prefix in EXPECTED}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_imports_every_part_the_readme_counts(documents, prefix):
    sections, tasks, projects, entries, counties = EXPECTED[prefix]
    doc = documents[prefix]
    assert len(doc.sections) == sections
    assert len(doc.tasks) == tasks
    assert len(doc.projects) == projects
    assert len(doc.schedule) == entries
    assert doc.counties == counties


@pytest.mark.parametrize("prefix", sorted(HEADERS))
def test_seed_header_fields_are_exact(documents, prefix):
    doc = documents[prefix]
    for field, value in HEADERS[prefix].items():
        assert getattr(doc, field) == value, field


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_tasks_are_numbered_one_to_n(documents, prefix):
    doc = documents[prefix]
    assert [t.number for t in doc.tasks] == list(range(1, len(doc.tasks) + 1))
    assert all(t.title and t.text.startswith(t.title) for t in doc.tasks)


def test_zhengzhou_2017_calendar_lines_belong_to_their_tasks(documents):
    doc = documents["000"]
    by_task = {}
    for entry in doc.schedule:
        by_task.setdefault(entry.task, []).append(entry)
    assert [e.period for e in by_task[1]] == ["8-9月", "10月", "11月", "12月"]
    # The unlabelled line after task 2's calendar is a calendar line too.
    assert [e.period for e in by_task[2]] == ["1月31日前", "3-4月", "5月", "10月-11月", "9-11月"]
    assert by_task[2][-1].counties == ["登封市", "中原区"]
    assert [e.period for e in by_task[4]] == ["3月", "4-5月", "5月、9月", "7-9月", "年底前"]
    assert by_task[4][2].months == (5, 9)
    assert (by_task[4][4].months, by_task[4][4].granularity) == ((12,), "year")
    assert [(e.period, e.granularity) for e in by_task[9]] == [("5月", "month"), ("8月下旬-9月上旬", "ten_day")]
    # A sentence without a period stays with the line before it.
    assert by_task[11][0].text.endswith("平时考核和年终考核相结合，加强督学任期考核")
    assert set(by_task) == {1, 2, 4, 5, 6, 7, 8, 9, 11}


def test_zhengzhou_2017_task_text_keeps_its_calendar_out(documents):
    task = documents["000"].tasks[0]
    assert task.title == "开展县级政府教育工作专项督导"
    assert "工作月历" not in task.text
    assert task.text.endswith("职业教育工作等专项督导工作。")


def test_hengyang_monthly_annex_keeps_july_and_august_together(documents):
    doc = documents["001"]
    summer = [e for e in doc.schedule if e.period == "七、八月份"]
    assert len(summer) == 7
    assert {(e.start_month, e.end_month, e.granularity) for e in summer} == {(7, 8, "month")}
    assert [e.period for e in doc.schedule].count("十二月份") == 4
    # Annex items, not a task's own calendar lines: linked (if at all) by what they restate.
    assert all(e.task is None or e.task_link == "phrase" for e in doc.schedule)


def test_hengyang_sections_nest_under_the_main_tasks_heading(documents):
    doc = documents["001"]
    assert [(s.label, s.heading, s.level) for s in doc.sections[:3]] == [
        ("一、", "总体思路", 1),
        ("二、", "主要任务及措施", 1),
        ("（一）", "督政方面", 2),
    ]
    assert all(s.parent == 1 for s in doc.sections[2:])
    assert doc.section_heading(doc.tasks[0].section) == "（一）督政方面"
    assert doc.section_heading(doc.tasks[-1].section) == "（五）其他方面"
    assert doc.sections[0].text.startswith("2017年全市教育督导工作总体思路")


def test_quanzhou_pdf_debris_is_mended_without_losing_words(documents):
    doc = documents["002"]
    task6, task11 = doc.tasks[5], doc.tasks[10]
    assert "创建。组织开展责任督学挂牌督导工作优秀案例" in task6.text
    assert "组组织" not in task6.text
    assert "特约督学、责任督学培训班，有针对性地开展培训工作；" in task11.text
    assert "六、实施教育质量监测，促进教育质量提高" == "".join((doc.sections[5].label, doc.sections[5].heading))
    assert any(w.code == "duplicate_char" for w in doc.warnings)
    assert doc.disclosure == "主动公开"


def test_quanzhou_short_county_names_count_only_in_enumerations(documents):
    task3 = documents["002"].tasks[2]
    assert task3.counties == ["丰泽区", "鲤城区", "晋江市", "石狮市", "洛江区", "泉港区"]


def test_zhengzhou_2016_projects_carry_goal_and_annual_target(documents):
    doc = documents["003"]
    first = doc.projects[0]
    assert (first.number, first.label, first.name) == (1, "第一项工程", "学校建设工程")
    assert first.goal.startswith("工程设定的三年总目标为：新建改扩建中小学90所")
    assert first.annual_target.startswith("2016年的具体目标为：新建改扩建30所中小学")
    assert doc.projects[-1].name == "民办教育内涵发展提升工程"
    # 中原网 is a news site, not 中原区.
    assert doc.counties == []
    assert doc.tasks[0].title == "制订《关于进一步加强基层党组织建设的意见》"


def test_zhenjiang_quarterly_table_runs_items_on_across_quarters(documents):
    doc = documents["004"]
    quarters = [e.period for e in doc.schedule]
    assert quarters.count("一季度") == 7 and quarters.count("四季度") == 4
    assert doc.schedule[7].text == "修订完善并印发2020年督政考核标准和细则"
    assert (doc.schedule[7].start_month, doc.schedule[7].end_month) == (4, 6)
    assert doc.notes == "认真及时完成国家和省布置的相关督导任务。"
    assert doc.imprint.startswith("镇江市教育局办公室")
    assert doc.sections[0].text.startswith("以习近平新时代中国特色社会主义思想为指导")


# Annex items linked to the task they restate (schedule index → task), each checked by reading:
# e.g. 001's “2016学年基础教育质量监测第二阶段工作” → task 8 基础教育质量监测.
ANNEX_LINKS = {
    "001": {
        0: 13,
        2: 2,
        4: 2,
        6: 5,
        8: 13,
        9: 2,
        10: 5,
        11: 1,
        12: 8,
        14: 5,
        15: 2,
        16: 1,
        17: 8,
        19: 2,
        20: 7,
        21: 8,
        24: 3,
        25: 11,
        26: 1,
        29: 8,
        31: 1,
        32: 6,
        33: 8,
        34: 1,
        35: 2,
        36: 3,
        37: 2,
        38: 11,
        39: 3,
        40: 13,
        41: 13,
    },
    "004": {2: 3, 3: 9, 4: 2, 5: 2, 7: 3, 9: 2, 10: 9, 14: 8, 15: 6},
}


@pytest.mark.parametrize("prefix", sorted(ANNEX_LINKS))
def test_annex_items_are_linked_only_to_the_task_they_restate(documents, prefix):
    doc = documents[prefix]
    linked = {i: e.task for i, e in enumerate(doc.schedule) if e.task is not None}
    assert linked == ANNEX_LINKS[prefix]
    assert {e.task_link for e in doc.schedule if e.task is not None} == {"phrase"}


def test_annex_items_that_restate_no_single_task_stay_unlinked(documents):
    doc = documents["004"]
    unlinked = [e.text for e in doc.schedule if e.task is None]
    assert "印发《2020年镇江市教育督导工作要点》" in unlinked
    # 教育现代化建设 is task 9's phrase, but this is one of several topics of a special inspection.
    assert any(text.startswith("开展教育现代化建设、师资队伍建设") for text in unlinked)


ALL_COUNTIES = {"000": [5, 13], "001": [2, 3, 12, 13], "002": [7, 12], "003": [24], "004": [3, 10]}


@pytest.mark.parametrize("prefix", sorted(ALL_COUNTIES))
def test_tasks_addressed_to_every_county(documents, prefix):
    # 各县（市、区）, 各县市区, 所有县（市、区）, 各市（区）, and 各地 in a city's notice.
    doc = documents[prefix]
    assert [t.number for t in doc.tasks if t.addresses_all_counties] == ALL_COUNTIES[prefix]


def test_zhengzhou_2016_leads_with_its_projects_as_written(documents):
    doc = documents["003"]
    assert doc.projects_first
    assert not any(documents[p].projects_first for p in ("000", "001", "002", "004"))
    assert doc.projects[0].heading == "第一项工程——“学校建设工程”"
    assert doc.projects[-1].heading == "第十七项工程——“民办教育内涵发展提升工程”"
    assert doc.to_json()["projects"][0]["heading"] == "第一项工程——“学校建设工程”"


def test_a_project_goal_and_annual_target_are_not_repeated_in_its_text(documents):
    for project in documents["003"].projects:
        for part in filter(None, (project.goal, project.annual_target)):
            for paragraph in part.split("\n"):
                assert paragraph not in project.text
    first = documents["003"].projects[0]
    assert first.text.startswith("为达成工程目标，我们将把中小学建设列入2016年市政府民生十大实事")
    # 第一年…第三年 are steps of the plan, not a multi-year goal.
    seventh = documents["003"].projects[6]
    assert seventh.goal == "" and "具体推进步骤为" in seventh.text


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seeds_name_no_zone_the_table_lacks(documents, prefix):
    assert documents[prefix].unconfirmed_places == []
