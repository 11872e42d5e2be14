"""The indicator sheet parser on workbooks built here with openpyxl: the template's layout, the
layouts offices write themselves, and the rows it refuses (no database)."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from evaluation import sheet_import
from evaluation.sheet_import import (
    SheetImportError,
    method_parse,
    parents_of,
    points_parse,
    scale_parse,
    sheet_read,
    template_workbook,
)

D = Decimal


def xlsx(rows, merges=(), title=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADER = list(sheet_import.TEMPLATE_HEADERS)


def codes(result):
    return [(message.row, message.code) for message in result.errors]


def test_the_template_reads_as_a_heading_a_subheading_and_two_items():
    result = sheet_read(template_workbook())
    assert result.ok
    assert [(row.level, row.points) for row in result.rows] == [(1, D("10")), (2, D("10")), (3, D("5")), (3, D("5"))]
    scale_item = result.rows[3]
    assert scale_item.method == "scale"
    assert scale_item.scale == [["A", "1"], ["B", "0.8"], ["C", "0.6"]]
    assert scale_item.source == "plan_completion"
    assert result.total == D("10")


def test_a_filled_template_with_every_column():
    data = xlsx(
        [
            HEADER,
            ["一、组织领导", "", "", "20", "", "", "", "", ""],
            ["", "1. 机构", "", "", "", "", "", "", ""],
            ["", "", "成立督导委员会", "10分", "是否", "成立得分", "文件", "否", ""],
            ["", "", "经费保障", 10, "扣分", "每缺一项扣2分", "", "", "整改按时销号率"],
            ["二、安全", "", "", "", "", "", "", "", ""],
            ["", "2. 校园安全", "", "", "", "", "", "", ""],
            ["", "", "无重大安全责任事故", "", "", "", "", "是", ""],
            ["合计", "", "", 20, "", "", "", "", ""],
        ]
    )
    result = sheet_read(data)
    assert result.errors == []
    assert [(row.level, row.title, row.points) for row in result.rows] == [
        (1, "一、组织领导", D("20")),
        (2, "1. 机构", D("20")),
        (3, "成立督导委员会", D("10")),
        (3, "经费保障", D("10")),
        (1, "二、安全", D("0")),
        (2, "2. 校园安全", D("0")),
        (3, "无重大安全责任事故", D("0")),
    ]
    assert [row.method for row in result.rows[2:4]] == ["yes_no", "deduction"]
    assert result.rows[6].veto is True
    assert result.rows[3].source == "rectification_on_time"


def test_merged_cells_a_serial_column_and_other_headings():
    data = xlsx(
        [
            ["序号", "一级指标", "二级指标", "评价要点", "分值/权重", "评分细则", "备注"],
            ["1", "办学条件", "校舍", "生均校舍面积达标", "6分", "达标得满分", "统计报表"],
            ["2", None, None, "危房及时排除", "4", "有危房不得分", ""],
            ["3", None, "设备", "实验仪器配齐", 10, "", ""],
            ["4", "教师队伍", "配备", "师生比达标", 50, "", ""],
            ["5", None, None, "交流轮岗", 30, "", ""],
        ],
        merges=["B3:B5", "C3:C4", "B6:B7", "C6:C7"],
        title="2026年县级教育督导评估指标体系",
    )
    result = sheet_read(data)
    assert result.errors == []
    outline = [(row.level, row.code, row.title, row.points) for row in result.rows]
    assert outline == [
        (1, "", "办学条件", D("20")),
        (2, "", "校舍", D("10")),
        (3, "1", "生均校舍面积达标", D("6")),
        (3, "2", "危房及时排除", D("4")),
        (2, "", "设备", D("10")),
        (3, "3", "实验仪器配齐", D("10")),
        (1, "", "教师队伍", D("80")),
        (2, "", "配备", D("80")),
        (3, "4", "师生比达标", D("50")),
        (3, "5", "交流轮岗", D("30")),
    ]
    assert result.rows[2].rule == "达标得满分"
    assert result.rows[2].evidence == "统计报表"
    assert result.rows[2].row == 3


def test_repeated_heading_text_means_the_same_heading_and_two_title_columns_make_two_levels():
    data = xlsx(
        [
            ["一级指标", "考核内容", "分值"],
            ["组织领导", "机构健全", 5],
            ["组织领导", "制度完善", 5],
            ["经费投入", "经费足额", 10],
        ]
    )
    result = sheet_read(data)
    assert [(row.level, row.title, row.points) for row in result.rows] == [
        (1, "组织领导", D("10")),
        (2, "机构健全", D("5")),
        (2, "制度完善", D("5")),
        (1, "经费投入", D("10")),
        (2, "经费足额", D("10")),
    ]


def test_a_heading_whose_points_differ_is_a_warning():
    data = xlsx([HEADER, ["一、领导", "", "", 30], ["", "1. 机构", "", 10], ["", "2. 制度", "", 10]])
    result = sheet_read(data)
    assert result.ok
    assert [(w.row, w.code) for w in result.warnings] == [(2, "sum_differs")]


def test_bad_points_are_a_row_error_with_its_number():
    result = sheet_read(xlsx([HEADER, ["一、领导", "1. 机构", "", "十分"], ["", "", "三级", "1.234"]]))
    assert codes(result) == [(2, "bad_points"), (3, "points_places")]
    assert "Row 2" in result.errors[0].text
    assert not result.ok


def test_a_row_without_a_title_is_an_error():
    result = sheet_read(xlsx([HEADER, ["一、领导", "1. 机构", "", 10], ["", "", "", 5, "", "有标准无指标"]]))
    assert codes(result) == [(3, "no_title")]


def test_a_level_gap_is_an_error():
    result = sheet_read(xlsx([HEADER, ["一、领导", "", "没有二级的三级", 10], ["二、安全", "1. 安全", "", 5]]))
    assert codes(result) == [(2, "level_gap")]
    assert result.errors[0].params == {"level": 3, "parent": 2}


def test_too_many_rows_are_refused():
    rows = [HEADER, ["一、领导", "", "", ""]] + [["", f"指标{n}", "", 1] for n in range(sheet_import.MAX_ROWS + 1)]
    with pytest.raises(SheetImportError) as refused:
        sheet_read(xlsx(rows))
    assert refused.value.code == "too_many_rows"


def test_a_formula_is_refused_not_evaluated():
    result = sheet_read(xlsx([HEADER, ["一、领导", "1. 机构", "", "=1+1"]]))
    assert codes(result) == [(2, "formula")]


def test_veto_on_a_heading_bad_words_and_missing_points():
    result = sheet_read(
        xlsx(
            [
                HEADER,
                ["一、领导", "", "", 10, "", "", "", "是"],
                ["", "1. 机构", "", "", "打分", "", "", "可能", "随便"],
            ]
        )
    )
    assert sorted(codes(result)) == [
        (2, "veto_heading"),
        (3, "bad_method"),
        (3, "bad_source"),
        (3, "bad_veto"),
        (3, "no_points"),
    ]


def test_no_header_not_a_workbook_and_an_empty_sheet():
    with pytest.raises(SheetImportError) as refused:
        sheet_read(xlsx([["姓名", "电话"], ["张三", "1"]]))
    assert refused.value.code == "no_header"
    with pytest.raises(SheetImportError) as refused:
        sheet_read(b"not a zip")
    assert refused.value.code == "not_xlsx"
    with pytest.raises(SheetImportError) as refused:
        sheet_read(xlsx([HEADER]))
    assert refused.value.code == "no_rows"
    with pytest.raises(SheetImportError) as refused:
        sheet_read(b"x" * (sheet_import.MAX_BYTES + 1))
    assert refused.value.code == "too_large"


@pytest.mark.parametrize(
    ("text", "points"),
    [(10, D("10")), (7.5, D("7.5")), ("10分", D("10")), ("１０", D("10")), (" 2.25 ", D("2.25")), ("", None)],
)
def test_points_as_written(text, points):
    assert points_parse(text) == points


@pytest.mark.parametrize("text", ["十分", "-1", "1e3", "abc"])
def test_points_that_are_no_number(text):
    with pytest.raises(ValueError):
        points_parse(text)


def test_scale_levels_and_methods():
    assert scale_parse("A=1, B=0.8, C=0.6") == [["A", "1"], ["B", "0.8"], ["C", "0.6"]]
    assert scale_parse("优＝1；良＝0.8") == [["优", "1"], ["良", "0.8"]]
    for wrong, code in [
        ("A=2", "scale_share"),
        ("A", "scale_item"),
        ("A=1,A=0.5", "scale_repeated"),
        ("", "scale_empty"),
    ]:
        with pytest.raises(ValueError) as raised:
            scale_parse(wrong)
        assert raised.value.args[0] == code
    assert method_parse("等级：A=1, B=0.5") == ("scale", [["A", "1"], ["B", "0.5"]])
    assert method_parse("扣分") == ("deduction", [])


def test_parents_follow_the_outline():
    assert parents_of([1, 2, 3, 3, 2, 1, 2]) == [None, 0, 1, 1, 0, None, 5]
    with pytest.raises(ValueError):
        parents_of([1, 3])
    with pytest.raises(ValueError):
        parents_of([2])
