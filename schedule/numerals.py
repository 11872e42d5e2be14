"""Chinese numerals as the genre writes them: 十二月, 二十六日, 二〇一七年, 第十七项."""

import re

DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "o": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS = {"十": 10, "百": 100}


def cn_to_int(text: str) -> int | None:
    """十 → 10, 十二 → 12, 二十六 → 26, 一百零三 → 103; None when it is not a numeral."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in DIGITS:
            current = DIGITS[char]
        elif char in UNITS:
            total += (current or 1) * UNITS[char]
            current = 0
        else:
            return None
    return total + current


def cn_year(text: str) -> int | None:
    """Years are read digit by digit: 二〇一七 → 2017."""
    if text.isdigit():
        return int(text)
    digits = [DIGITS.get(char) for char in text]
    if len(digits) != 4 or None in digits:
        return None
    return int("".join(str(d) for d in digits))


def to_int(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    return cn_to_int(text)


def int_to_cn(number: int) -> str:
    """The inverse for small numbers, as section labels write them: 12 → 十二."""
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    if number < 20:
        return "十" + (digits[number % 10] if number % 10 else "")
    if number < 100:
        return digits[number // 10] + "十" + (digits[number % 10] if number % 10 else "")
    return str(number)


_YEAR_DIGITS = r"(?:\d{4}|[零〇○一二三四五六七八九]{4})"
# 2017年, 二〇一七年, 2017年度, and ranges (2016-2020年, 2016年至2020年) read as their last year.
YEAR_MENTION = re.compile(
    rf"(?<![\d零〇○一二三四五六七八九])(?P<first>{_YEAR_DIGITS})\s*年?"
    rf"(?:\s*[-－—–~～至到]\s*(?P<last>{_YEAR_DIGITS}))?\s*年"
)


def earlier_years(text: str, year: int) -> list[str]:
    """The years `text` names that end before `year`, as written: a plan copied from 2017 into
    2027 whose task still says "2017年底前完成" names one. A range that reaches `year` (a
    programme of 2021-2030年) does not."""
    found = []
    for match in YEAR_MENTION.finditer(text or ""):
        first = cn_year(match["first"])
        last = cn_year(match["last"]) if match["last"] else first
        if first is not None and last is not None and 1900 <= first and last < year:
            phrase = match[0].strip()
            if phrase not in found:
                found.append(phrase)
    return found
