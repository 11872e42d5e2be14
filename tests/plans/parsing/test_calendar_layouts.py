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
