"""Who a notice is sent to and which places it gives work: recipients wrapped over lines, the
issuer's own county, and development zones the division table lacks."""

from pathlib import Path

from plans.parsing import parse_bytes

GENRE = Path(__file__).resolve().parent / "genre"


def read(name: str, gazetteer):
    return parse_bytes((GENRE / name).read_bytes(), gazetteer)


def test_recipients_wrapped_inside_a_name_are_read_as_whole_names(gazetteer):
    doc = read("nanchong_2024_wrapped_recipients.txt", gazetteer)
    assert doc.recipients == ["各县（市、区）教育局", "市直各有关部门", "市直属各学校"]
    assert doc.notice_text == "现将《南充市2024年教育督导工作要点》印发给你们，请结合实际抓好落实。"
    assert not any(w.code == "unknown_line" for w in doc.warnings)


def test_recipients_wrapped_over_three_lines_are_read_as_whole_names(gazetteer):
    doc = read("guangan_2022_recipients_over_three_lines.txt", gazetteer)
    assert doc.recipients == ["各区（市、县）教育局", "广安经开区社会事业局", "枣山园区社会事务局", "市直属各学校"]
    assert doc.notice_title == "关于印发2022年广安市教育督导工作要点的通知"
    assert not any(w.code == "unknown_line" for w in doc.warnings)


def test_a_county_named_only_in_its_own_letterhead_and_titles_is_no_target(gazetteer):
    doc = read("renshou_2024_county_notice.txt", gazetteer)
    assert doc.scope.place.name == "仁寿县"
    # The letterhead, the title and 《仁寿县教育事业发展规划》 in the preamble name it; no task does.
    assert doc.counties == []
    assert [t.counties for t in doc.tasks] == [[], [], []]


def test_the_issuing_county_is_a_target_where_a_calendar_line_names_it(gazetteer):
    doc = read("fengdu_2023_county_named_by_calendar.txt", gazetteer)
    assert doc.scope.place.name == "丰都县"
    assert [e.counties for e in doc.schedule] == [[], [], ["丰都县"], []]
    assert doc.counties == ["丰都县"]
    # 《丰都县教育事业发展“十四五”规划》 in a task is a title it cites, not work for the county.
    assert doc.tasks[1].counties == []


def test_development_zones_in_the_zone_table_are_targets_in_their_short_forms(gazetteer):
    doc = read("mianyang_2024_development_zones.txt", gazetteer)
    assert [t.counties for t in doc.tasks] == [
        ["三台县", "盐亭县", "绵阳高新技术产业开发区"],
        ["游仙区", "绵阳经济技术开发区"],
        # 绵阳市高新区: the same zone, written with the city's suffix.
        ["涪城区", "绵阳高新技术产业开发区"],
    ]
    assert doc.schedule[1].counties == ["绵阳经济技术开发区"]
    # Named in 主送 only, 科技城新区 is a recipient, not a target; 游仙经开区 is in no table.
    assert [(u.name, u.tasks) for u in doc.unconfirmed_places] == [("游仙经开区", [2])]
