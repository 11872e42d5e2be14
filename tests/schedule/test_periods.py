import datetime

import pytest

from schedule.periods import parse_period, period_due_date, split_period


@pytest.mark.parametrize(
    "text, period, months, granularity, rest",
    [
        ("8-9月，制定方案", "8-9月", (8, 9), "month", "制定方案"),
        ("10月-11月，指导", "10月-11月", (10, 11), "month", "指导"),
        ("3至5月，开展", "3至5月", (3, 4, 5), "month", "开展"),
        ("5月、9月，抽取", "5月、9月", (5, 9), "month", "抽取"),
        ("3月中旬，对全市", "3月中旬", (3,), "ten_day", "对全市"),
        ("8月下旬-9月上旬，结合", "8月下旬-9月上旬", (8, 9), "ten_day", "结合"),
        ("1月31日前，上报", "1月31日前", (1,), "month", "上报"),
        ("6月底前完成", "6月底前", (6,), "month", "完成"),
        ("年底前发布督导报告", "年底前", (12,), "year", "发布督导报告"),
        ("全年，跟踪指导", "全年", tuple(range(1, 13)), "year", "跟踪指导"),
        ("上半年，召开", "上半年", tuple(range(1, 7)), "half_year", "召开"),
        ("上半年和下半年，分2期", "上半年和下半年", tuple(range(1, 13)), "half_year", "分2期"),
        ("二季度：迎检", "二季度", (4, 5, 6), "quarter", "迎检"),
        ("一至二季度，做好", "一至二季度", tuple(range(1, 7)), "quarter", "做好"),
        ("十二月份：总结", "十二月份", (12,), "month", "总结"),
        ("2017年3月，开展", "2017年3月", (3,), "month", "开展"),
        ("二〇一七年十一月，验收", "二〇一七年十一月", (11,), "month", "验收"),
    ],
)
def test_leading_periods_are_normalised_and_kept_as_written(text, period, months, granularity, rest):
    found, remainder = split_period(text)
    assert (found.text, found.months, found.granularity, remainder) == (period, months, granularity, rest)
    assert (found.start_month, found.end_month) == (months[0], months[-1])


@pytest.mark.parametrize(
    "text", ["2017年开展专项督导", "3-5年的行动规划", "12所学校", "平时考核和年终考核", "13月，开展", "三年内完成"]
)
def test_text_that_only_looks_like_a_period_is_not_one(text):
    assert split_period(text) is None


@pytest.mark.parametrize(
    "text, months",
    [
        ("一月份：", (1,)),
        ("七、八月份：", (7, 8)),
        ("一季度", (1, 2, 3)),
        ("第四季度（10-12月）", (10, 11, 12)),
        ("3月", (3,)),
    ],
)
def test_period_headings_stand_alone(text, months):
    assert parse_period(text).months == months


def test_a_heading_with_work_after_it_is_not_a_heading():
    assert parse_period("一月份：召开会议") is None
    assert parse_period("三、加强队伍建设") is None


@pytest.mark.parametrize(
    "text, deadline_day",
    [
        ("1月31日前", 31),
        ("3月15日", 15),
        ("6月底前", 31),
        ("3月中旬", 20),
        ("3月上旬", 10),
        ("8月下旬-9月上旬", 10),
        ("8-9月下旬", 31),
        ("年底前", 31),
        ("3月初", 10),
        ("3月", None),
        ("5月、9月", None),
        ("二季度", None),
        ("上半年", None),
        ("全年", None),
    ],
)
def test_a_stated_deadline_day_is_kept(text, deadline_day):
    assert parse_period(text).deadline_day == deadline_day


@pytest.mark.parametrize(
    "text, months, granularity, day",
    [
        ("7—8月", (7, 8), "month", None),
        ("7-8月份", (7, 8), "month", None),
        ("3～5月", (3, 4, 5), "month", None),
        ("9月—10月", (9, 10), "month", None),
        ("7月—8月上旬", (7, 8), "ten_day", 10),
        ("4月中下旬", (4,), "ten_day", 31),
        ("二季度末", (4, 5, 6), "quarter", 31),
        ("第一、二季度", (1, 2, 3, 4, 5, 6), "quarter", None),
        ("每月", tuple(range(1, 13)), "month", None),
    ],
)
def test_period_cells_of_calendar_tables(text, months, granularity, day):
    period = parse_period(text)
    assert (period.text, period.months, period.granularity, period.deadline_day) == (text, months, granularity, day)


def test_a_numbered_item_may_follow_a_period_directly():
    # A table's period cell and its first item, read as one line.
    found, rest = split_period("一季度1.印发工作要点")
    assert (found.text, rest) == ("一季度", "1.印发工作要点")
    assert split_period("3月1.5万名学生") is None


@pytest.mark.parametrize(
    "text, year, due",
    [
        ("2月底前", 2027, datetime.date(2027, 2, 28)),
        ("2月底前", 2028, datetime.date(2028, 2, 29)),
        ("4月底", 2027, datetime.date(2027, 4, 30)),
        ("6月底前", 2027, datetime.date(2027, 6, 30)),
        ("9月底", 2027, datetime.date(2027, 9, 30)),
        ("11月底前", 2027, datetime.date(2027, 11, 30)),
        ("12月底前", 2027, datetime.date(2027, 12, 31)),
        ("3月中旬", 2027, datetime.date(2027, 3, 20)),
        ("二季度", 2027, datetime.date(2027, 6, 30)),  # no day stated: the month's last
    ],
)
def test_the_end_of_a_month_is_its_last_day_in_the_plans_year(text, year, due):
    period = parse_period(text)
    assert period_due_date(year, period.end_month, period.deadline_day) == due
