"""Property tests: the parser fed mutated seed documents and noise.

Whatever the input, the parser returns a consistent document or raises ParseError, nothing else.
Mutations that a real notice goes through on its way to us (retyped whitespace, half-width
punctuation, another bracket for the 文号, dates in Chinese numerals, PDF page numbers, another
encoding) must not change what it finds.
"""

import datetime
import difflib
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from plans.parsing import ERRORS, ParsedDocument, ParseError, parse_bytes, parse_text
from plans.parsing.document import _is_plain_short

SEEDS_DIR = Path(__file__).resolve().parents[3] / "fixtures" / "seeds"
SEEDS = {path.name.split("_", 1)[0]: path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.glob("*.txt"))}
NAMES = sorted(SEEDS)
# sections, tasks, projects, schedule entries, counties (fixtures/seeds/README.md)
README_COUNTS = {
    "000": (4, 13, 0, 34, 4),
    "001": (7, 13, 0, 43, 8),
    "002": (8, 12, 0, 0, 7),
    "003": (8, 28, 17, 0, 0),
    "004": (2, 10, 0, 21, 5),
}
HEADER_FIELDS = (
    "issuing_office",
    "doc_number",
    "title",
    "issue_date",
    "plan_year",
    "recipients",
    "cc",
)
GRANULARITIES = {"ten_day", "month", "quarter", "half_year", "year"}

# The gazetteer fixture is session-scoped, so the health check never fires; it is suppressed so
# that a function-scoped fixture added later does not turn every test red for the wrong reason.
FIXTURE_SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# --- What every parse result must satisfy ------------------------------------------------------


def assert_consistent(doc: ParsedDocument) -> None:
    tasks = len(doc.tasks)
    assert [task.number for task in doc.tasks] == list(range(1, tasks + 1))
    for task in doc.tasks:
        assert task.section is None or 0 <= task.section < len(doc.sections)
    for index, section in enumerate(doc.sections):
        assert section.level in (1, 2)
        if section.parent is not None:
            assert section.level == 2
            assert 0 <= section.parent < index
            assert doc.sections[section.parent].level == 1
    for entry in doc.schedule:
        assert entry.months, entry
        assert list(entry.months) == sorted(set(entry.months)), entry
        assert all(1 <= month <= 12 for month in entry.months), entry
        assert 1 <= entry.start_month <= entry.end_month <= 12, entry
        assert entry.granularity in GRANULARITIES, entry
        assert entry.task is None or isinstance(entry.task, int), entry
        assert entry.task is None or 1 <= entry.task <= tasks, entry
    if doc.issue_date is not None:
        assert isinstance(doc.issue_date, datetime.date)
    for warning in doc.warnings:
        warning.render()
    json.dumps(doc.to_json(), ensure_ascii=False)


def parse_or_refuse(call) -> ParsedDocument | None:
    """The document, or None when the parser refused it with its one documented error."""
    try:
        doc = call()
    except ParseError as exc:
        assert exc.code in ERRORS
        exc.render()
        return None
    assert_consistent(doc)
    return doc


def header(doc: ParsedDocument) -> dict:
    return {name: getattr(doc, name) for name in HEADER_FIELDS}


def counts(doc: ParsedDocument) -> tuple:
    return tuple(map(len, (doc.sections, doc.tasks, doc.projects, doc.schedule, doc.places)))


def content(doc: ParsedDocument) -> dict:
    """Everything the import stores, but the warnings (they cite line numbers)."""
    found = doc.to_json()
    del found["warnings"]
    return found


def first_difference(found, expected, path="") -> str:
    """Where two parse results part, in a line short enough to read in a failure report."""
    if isinstance(found, dict) and isinstance(expected, dict):
        for key in expected:
            if found.get(key) != expected[key]:
                return first_difference(found.get(key), expected[key], f"{path}.{key}")
    if isinstance(found, list) and isinstance(expected, list):
        if len(found) != len(expected):
            return f"{path}: {len(found)} items instead of {len(expected)}"
        for index, (a, b) in enumerate(zip(found, expected)):
            if a != b:
                return first_difference(a, b, f"{path}[{index}]")
    if isinstance(found, str) and isinstance(expected, str):
        at = next((i for i, (a, b) in enumerate(zip(found, expected)) if a != b), None)
        at = min(len(found), len(expected)) if at is None else at
        start = max(0, at - 20)
        return f"{path} at {at}: …{found[start : at + 40]!r} instead of …{expected[start : at + 40]!r}"
    return f"{path}: {str(found)[:120]!r} instead of {str(expected)[:120]!r}"


def assert_same(found: dict, expected: dict) -> None:
    assert found == expected, first_difference(found, expected)


@cache
def baseline(name: str, gazetteer) -> ParsedDocument:
    """The unmutated seed's parse (a plain function: Hypothesis would print a fixture's value)."""
    return parse_text(SEEDS[name], gazetteer)


@pytest.mark.parametrize("name", NAMES)
def test_unmutated_seed_reaches_the_readme_counts(gazetteer, name):
    # The premise of every comparison below.
    doc = baseline(name, gazetteer)
    assert_consistent(doc)
    assert counts(doc) == README_COUNTS[name]


class Variant:
    """A mutated seed; its repr (what a failure report shows) is the changed lines only."""

    def __init__(self, name: str, text: str):
        self.name, self.text = name, text

    def __repr__(self) -> str:
        original = SEEDS[self.name].splitlines()
        mutated = self.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        changes = [
            line
            for line in difflib.unified_diff(original, mutated, lineterm="", n=0)
            if line[:1] in "+-" and line[:3] not in ("+++", "---")
        ]
        shown = "\n    ".join(change[:100] for change in changes[:30])
        more = f"\n    … {len(changes) - 30} more" if len(changes) > 30 else ""
        return f"Variant({self.name!r}, newline={self.text.count(chr(13))} CR,\n    {shown}{more})"


# --- Whitespace ----------------------------------------------------------------------------------

# Spaces, tabs, ideographic and no-break spaces, zero-width spaces, blank lines and form feeds:
# typesetting, not content.
WHITESPACE = " \t\u3000\u00a0\u2002\u2003\u202f\u200b"
ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


def _may_take_space(line: str, pos: int) -> bool:
    # Between two Latin letters or digits a space separates words (20 17 is not 2017).
    inside = 0 < pos < len(line)
    return not (inside and ASCII_ALNUM.match(line[pos - 1]) and ASCII_ALNUM.match(line[pos]))


@st.composite
def whitespace_variants(draw):
    name = draw(st.sampled_from(NAMES))
    lines = SEEDS[name].split("\n")
    spaces = st.text(alphabet=WHITESPACE, min_size=1, max_size=4)
    blank = st.sampled_from(["", "  ", "\t", "\u3000\u3000", "\f"])
    edits = draw(
        st.lists(
            st.one_of(
                st.tuples(
                    st.integers(0, len(lines) - 1),
                    st.sampled_from(["lead", "trail", "inner"]),
                    spaces,
                    st.integers(0, 10_000),
                ),
                st.tuples(st.integers(0, len(lines) - 1), st.just("blank"), blank, st.just(0)),
            ),
            max_size=40,
        )
    )
    for index, where, space, at in edits:
        line = lines[index]
        if where == "lead":
            lines[index] = space + line
        elif where == "trail":
            lines[index] = line + space
        elif where == "inner":
            places = [pos for pos in range(len(line) + 1) if _may_take_space(line, pos)]
            pos = places[at % len(places)]
            lines[index] = line[:pos] + space + line[pos:]
        else:
            lines[index] = line + "\n" + space
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return Variant(name, "\n".join(lines).replace("\n", newline))


@settings(max_examples=300, **FIXTURE_SETTINGS)
@given(variant=whitespace_variants())
def test_whitespace_changes_nothing(gazetteer, variant):
    name, text = variant.name, variant.text
    doc = parse_or_refuse(lambda: parse_text(text, gazetteer))
    assert doc is not None
    assert_same(content(doc), content(baseline(name, gazetteer)))


# --- Brackets of the 文号 ------------------------------------------------------------------------

BRACKETS = [("〔", "〕"), ("[", "]"), ("［", "］"), ("【", "】")]
DOC_NUMBER = re.compile(r"[〔\[［【](\d{4})[〕\]］】](\d{1,4})号")
NUMBERED = [name for name in NAMES if DOC_NUMBER.search(SEEDS[name])]
# What issuing bodies abbreviate themselves to in a 文号 (泉政教督, 镇教督, 衡教督办).
DOC_NUMBER_PREFIX = "京津冀晋辽吉苏浙皖闽赣鲁豫鄂湘粤桂琼川贵滇陕甘青宁教督办政室委字函发"


@settings(max_examples=100, **FIXTURE_SETTINGS)
@given(
    name=st.sampled_from(NUMBERED),
    brackets=st.lists(st.sampled_from(BRACKETS), min_size=1, max_size=6),
    padded=st.booleans(),
)
def test_bracket_variants_give_the_same_doc_number(gazetteer, name, brackets, padded):
    # Every 文号 in the text, the header's and those the notice cites, in a drawn bracket form.
    variants = iter(brackets * 10)

    def rebracket(match):
        opening, closing = next(variants)
        year = f" {match[1]} " if padded else match[1]
        return f"{opening}{year}{closing}{match[2]}号"

    text = DOC_NUMBER.sub(rebracket, SEEDS[name])
    doc = parse_or_refuse(lambda: parse_text(text, gazetteer))
    assert doc is not None
    assert re.fullmatch(r".+〔\d{4}〕\d+号", doc.doc_number)
    assert_same(header(doc), header(baseline(name, gazetteer)))
    assert counts(doc) == counts(baseline(name, gazetteer))


@settings(max_examples=100, **FIXTURE_SETTINGS)
@given(
    name=st.sampled_from(NAMES),
    prefix=st.text(alphabet=DOC_NUMBER_PREFIX, min_size=1, max_size=8),
    year=st.integers(1990, 2099),
    number=st.integers(1, 999),
    brackets=st.sampled_from(BRACKETS),
    ordinal=st.booleans(),
)
def test_a_doc_number_in_any_bracket_is_normalised(gazetteer, name, prefix, year, number, brackets, ordinal):
    """A 文号 set above the notice (replacing the seed's own, or added where it has none)."""
    opening, closing = brackets
    written = f"{prefix}{opening}{year}{closing}{'第' if ordinal else ''}{number}号"
    text = SEEDS[name]
    if DOC_NUMBER.search(text):
        text = re.sub(r"^.*" + DOC_NUMBER.pattern + ".*$", written, text, count=1, flags=re.M)
    else:
        text = written + "\n" + text
    doc = parse_or_refuse(lambda: parse_text(text, gazetteer))
    assert doc is not None
    assert doc.doc_number == f"{prefix}〔{year}〕{number}号"


# --- Punctuation width ---------------------------------------------------------------------------

FLIP = {"，": ",", ",": "，", "：": ":", ":": "：", "；": ";", ";": "；"}
PAIRS = {"（": ("(", ")"), "(": ("（", "）")}
CLOSING = {"（": "）", "(": ")"}


def _paren_pairs(text: str) -> list[tuple[int, int]]:
    """Matching parentheses on one line, as (open, close) offsets."""
    pairs, stack = [], []
    for pos, char in enumerate(text):
        if char == "\n":
            stack = []
        elif char in CLOSING:
            stack.append(pos)
        elif char in "）)" and stack and CLOSING[text[stack[-1]]] == char:
            pairs.append((stack.pop(), pos))
    return pairs


FULL_WIDTH = str.maketrans(",:;()", "，：；（）")


def fold_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


PUNCTUATION = {name: [pos for pos, char in enumerate(text) if char in FLIP] for name, text in SEEDS.items()}
PARENS = {name: _paren_pairs(text) for name, text in SEEDS.items()}


@st.composite
def punctuation_variants(draw):
    name = draw(st.sampled_from(NAMES))
    chars = list(SEEDS[name])
    marks = draw(st.sets(st.sampled_from(PUNCTUATION[name]), max_size=60))
    for pos in marks:
        chars[pos] = FLIP[chars[pos]]
    pairs = draw(st.sets(st.sampled_from(PARENS[name]), max_size=30)) if PARENS[name] else set()
    for opening, closing in pairs:
        chars[opening], chars[closing] = PAIRS[chars[opening]]
    return Variant(name, "".join(chars))


@settings(max_examples=300, **FIXTURE_SETTINGS)
@given(variant=punctuation_variants())
def test_punctuation_width_keeps_structure_and_header(gazetteer, variant):
    name, text = variant.name, variant.text
    doc = parse_or_refuse(lambda: parse_text(text, gazetteer))
    assert doc is not None
    assert_same(header(doc), header(baseline(name, gazetteer)))
    assert counts(doc) == counts(baseline(name, gazetteer))
    # （2016-2018） turned half-width stays so: brackets around Latin text keep the author's width.
    titles = [fold_width(t.title) for t in baseline(name, gazetteer).tasks]
    assert [fold_width(t.title) for t in doc.tasks] == titles


# --- Dates in Chinese numerals -------------------------------------------------------------------

DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
CN_DIGITS = "〇一二三四五六七八九"


def cn_number(n: int) -> str:
    """3 → 三, 14 → 十四, 26 → 二十六, as months and days are written."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def cn_date(match, zero: str) -> str:
    year = "".join(zero if digit == "0" else CN_DIGITS[int(digit)] for digit in match[1])
    return f"{year}年{cn_number(int(match[2]))}月{cn_number(int(match[3]))}日"


def test_chinese_numerals_are_written_as_the_genre_writes_them():
    assert cn_date(DATE.match("2017年3月6日"), "〇") == "二〇一七年三月六日"
    assert cn_date(DATE.match("2020年12月31日"), "○") == "二○二○年十二月三十一日"
    assert cn_date(DATE.match("2016年10月20日"), "零") == "二零一六年十月二十日"


DATED = [name for name in NAMES if DATE.search(SEEDS[name])]


@settings(max_examples=100, **FIXTURE_SETTINGS)
@given(
    name=st.sampled_from(DATED),
    which=st.lists(st.booleans(), min_size=1, max_size=4),
    zero=st.sampled_from("〇○零"),
)
def test_dates_in_chinese_numerals_give_the_same_issue_date(gazetteer, name, which, zero):
    choices = iter(which * 10)
    text = DATE.sub(lambda m: cn_date(m, zero) if next(choices) else m[0], SEEDS[name])
    doc = parse_or_refuse(lambda: parse_text(text, gazetteer))
    assert doc is not None
    assert doc.issue_date == baseline(name, gazetteer).issue_date
    assert_same(content(doc), content(baseline(name, gazetteer)))


@settings(max_examples=20, **FIXTURE_SETTINGS)
@given(name=st.sampled_from(DATED), zero=st.sampled_from("〇○零"))
def test_every_date_in_chinese_numerals_gives_the_same_document(gazetteer, name, zero):
    text = DATE.sub(lambda m: cn_date(m, zero), SEEDS[name])
    doc = parse_or_refuse(lambda: parse_text(text, gazetteer))
    assert doc is not None
    assert_same(content(doc), content(baseline(name, gazetteer)))


# --- Page-number debris --------------------------------------------------------------------------

DEBRIS = st.one_of(
    st.integers(1, 99).map(lambda n: f"- {n} -"),
    st.integers(1, 99).map(lambda n: f"—{n}—"),
    st.integers(1, 99).map(lambda n: f"— {n} —"),
    st.integers(1, 99).map(lambda n: f"第 {n} 页"),
    st.integers(1, 99).map(lambda n: f"第{n}页"),
    st.integers(1, 99).map(str),
    st.integers(1, 20).map(lambda n: f"- {cn_number(n)} -"),
    st.tuples(st.integers(1, 9), st.integers(10, 20)).map(lambda p: f"第{p[0]}页/共{p[1]}页"),
)


@st.composite
def debris_variants(draw):
    name = draw(st.sampled_from(NAMES))
    lines = SEEDS[name].split("\n")
    indents = st.sampled_from(["", " ", "    ", "\u3000\u3000"])
    inserts = draw(st.lists(st.tuples(st.integers(0, len(lines)), DEBRIS, indents), min_size=1, max_size=12))
    for at, debris, indent in sorted(inserts, key=lambda item: item[0], reverse=True):
        lines.insert(at, indent + debris)
    return Variant(name, "\n".join(lines))


@settings(max_examples=300, **FIXTURE_SETTINGS)
@given(variant=debris_variants())
def test_page_number_debris_loses_and_adds_nothing(gazetteer, variant):
    name, text = variant.name, variant.text
    doc = parse_or_refuse(lambda: parse_text(text, gazetteer))
    assert doc is not None
    assert [t.title for t in doc.tasks] == [t.title for t in baseline(name, gazetteer).tasks]
    assert_same(header(doc), header(baseline(name, gazetteer)))
    assert counts(doc) == counts(baseline(name, gazetteer))
    assert_same(content(doc), content(baseline(name, gazetteer)))
    assert "page_debris" in {w.code for w in doc.warnings}


# Running headers: a short line PDF extraction repeats at the top of every page.
RUNNING_HEADERS = ["教育督导工作通讯", "内部资料　注意保存", "教育督导简报"]
FIRST_TASK_LINE = {
    name: next(i for i, line in enumerate(text.split("\n")) if re.match(r"\s*(?:1[.、．]|第一项)", line))
    for name, text in SEEDS.items()
}


@settings(max_examples=50, **FIXTURE_SETTINGS)
@given(
    name=st.sampled_from(NAMES),
    running=st.sampled_from(RUNNING_HEADERS),
    pages=st.lists(st.floats(0, 1), min_size=2, max_size=5),
)
def test_a_running_header_is_removed_everywhere(gazetteer, name, running, pages):
    # Page tops fall after the first task: the header never stands where the title does.
    lines = SEEDS[name].split("\n")
    first = FIRST_TASK_LINE[name]
    at = sorted((first + 1 + int((len(lines) - first - 1) * page) for page in pages), reverse=True)
    for index in at:
        lines.insert(index, running)
    doc = parse_or_refuse(lambda: parse_text("\n".join(lines), gazetteer))
    assert doc is not None
    assert_same(content(doc), content(baseline(name, gazetteer)))
    assert "repeated_header" in {w.code for w in doc.warnings}


def test_a_running_header_naming_the_office_is_removed(gazetteer):
    text = (
        "2017年工作要点\n一、工作\n1.开展督导。认真落实。\n泉州市教育督导室\n"
        "2.完善机制。认真落实。\n泉州市教育督导室\n3.加强队伍。认真落实。"
    )
    doc = parse_or_refuse(lambda: parse_text(text, gazetteer))
    assert doc is not None
    texts = ["开展督导。认真落实。", "完善机制。认真落实。", "加强队伍。认真落实。"]
    assert [task.text for task in doc.tasks] == texts


# --- Encodings -----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
@pytest.mark.parametrize("name", NAMES)
def test_other_encodings_read_like_utf8(gazetteer, name, encoding):
    text = SEEDS[name]
    expected = parse_bytes(text.encode("utf-8"), gazetteer).to_json()
    assert parse_bytes(text.encode(encoding), gazetteer).to_json() == expected


# --- Truncation, noise and chaos: only ParseError, numbering consistent ---------------------------


@settings(max_examples=300, **FIXTURE_SETTINGS)
@given(name=st.sampled_from(NAMES), cut=st.floats(0, 1))
def test_truncated_text_is_refused_or_consistent(gazetteer, name, cut):
    text = SEEDS[name]
    parse_or_refuse(lambda: parse_text(text[: int(len(text) * cut)], gazetteer))


@settings(max_examples=300, **FIXTURE_SETTINGS)
@given(name=st.sampled_from(NAMES), encoding=st.sampled_from(["utf-8", "gb18030"]), cut=st.floats(0, 1))
def test_truncated_bytes_are_refused_or_consistent(gazetteer, name, encoding, cut):
    data = SEEDS[name].encode(encoding)
    parse_or_refuse(lambda: parse_bytes(data[: int(len(data) * cut)], gazetteer))


@settings(max_examples=500, **FIXTURE_SETTINGS)
@given(data=st.binary(max_size=4096))
@example(data=b"")
@example(data=b"\x00" * 10)
@example(data=b"\xff\xfe")
@example(data=b"\xfe\xff\x00")
@example(data=b"\xef\xbb\xbf")
def test_random_bytes_are_refused_or_consistent(gazetteer, data):
    parse_or_refuse(lambda: parse_bytes(data, gazetteer))


@settings(max_examples=300, **FIXTURE_SETTINGS)
@given(
    name=st.sampled_from(NAMES),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8),
)
def test_corrupted_bytes_are_refused_or_consistent(gazetteer, name, flips):
    data = bytearray(SEEDS[name].encode("utf-8"))
    for at, byte in flips:
        data[int(len(data) * at)] = byte
    parse_or_refuse(lambda: parse_bytes(bytes(data), gazetteer))


@settings(max_examples=500, **FIXTURE_SETTINGS)
@given(text=st.text(max_size=2000))
def test_random_text_is_refused_or_consistent(gazetteer, text):
    parse_or_refuse(lambda: parse_text(text, gazetteer))


# Pieces of the genre, so that random text reaches the parser's inner states.
TOKENS = [
    "一、",
    "二、",
    "十二、",
    "（一）",
    "(二)",
    "（十）",
    "1.",
    "2、",
    "3．",
    "12.",
    "（1）",
    "(2)",
    "①",
    "②",
    "第一项工程——",
    "第二项工程：",
    "第零项工程",
    "第十七项",
    "工作月历：",
    "时间安排:",
    "3月",
    "8-9月",
    "10月-11月",
    "3月中旬",
    "8月下旬-9月上旬",
    "一月份：",
    "七、八月份：",
    "十二月份",
    "一季度",
    "第二季度",
    "一至二季度",
    "全年",
    "年底前",
    "上半年和下半年",
    "1月31日前",
    "5月、9月",
    "13月",
    "0月",
    "关于印发",
    "2017年工作要点",
    "工作要点",
    "的通知",
    "郑州市人民政府教育督导室",
    "镇江市教育局",
    "泉政教督〔2017〕2号",
    "[2017]",
    "【2020】",
    "2017年2月14日",
    "二〇一七年三月六日",
    "2020年3月3日印发",
    "抄送：",
    "抄 送",
    "附件：",
    "附件1",
    "备注：",
    "各县（市、区）教育局：",
    "现将《2017年工作要点》印发给你们",
    "金水区",
    "管城区",
    "洛江、泉港等",
    "镇江新区",
    "高新区",
    "（牵头单位：市教育局）",
    "由市教育局牵头",
    "序号",
    "时间",
    "工作内容",
    "责任单位",
    "(主动公开)",
    "- 3 -",
    "—2—",
    "第 2 页",
    "7",
    "开展督导检查",
    "加强",
    "评估",
    "。",
    "。",
    "，",
    ",",
    "；",
    "：",
    ":",
    "、",
    "（",
    "）",
    "(",
    ")",
    "《",
    "》",
    "“",
    "”",
    "—",
    "-",
    "\n",
    "\n",
    "\n",
    "\n",
    "\n",
    " ",
    "\t",
    "\u3000",
    "\r",
    "\f",
]


@settings(max_examples=600, **FIXTURE_SETTINGS)
@given(text=st.lists(st.sampled_from(TOKENS), max_size=150).map("".join))
def test_genre_token_soup_is_refused_or_consistent(gazetteer, text):
    parse_or_refuse(lambda: parse_text(text, gazetteer))
    parse_or_refuse(lambda: parse_text(text))


@st.composite
def line_chaos(draw):
    """A seed with lines dropped, repeated, swapped or cut: a badly extracted document."""
    name = draw(st.sampled_from(NAMES))
    lines = SEEDS[name].split("\n")
    for action, a, b in draw(
        st.lists(
            st.tuples(
                st.sampled_from(["drop", "repeat", "swap", "cut"]),
                st.integers(0, 10_000),
                st.integers(0, 10_000),
            ),
            min_size=1,
            max_size=10,
        )
    ):
        if not lines:
            break
        i, j = a % len(lines), b % len(lines)
        if action == "drop":
            del lines[i]
        elif action == "repeat":
            lines.insert(j, lines[i])
        elif action == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            line = lines[i]
            cut = b % (len(line) + 1)
            lines[i : i + 1] = [line[:cut], line[cut:]]
    return Variant(name, "\n".join(lines))


@settings(max_examples=300, **FIXTURE_SETTINGS)
@given(variant=line_chaos())
def test_line_chaos_is_refused_or_consistent(gazetteer, variant):
    parse_or_refuse(lambda: parse_text(variant.text, gazetteer))


@settings(max_examples=300, **FIXTURE_SETTINGS)
@given(
    name=st.sampled_from(NAMES),
    noise=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.characters()), min_size=1, max_size=10),
)
def test_stray_characters_are_refused_or_consistent(gazetteer, name, noise):
    text = SEEDS[name]
    for at, char in noise:
        cut = int(len(text) * at)
        text = text[:cut] + char + text[cut:]
    parse_or_refuse(lambda: parse_text(text, gazetteer))


# --- Project numbering ---------------------------------------------------------------------------


def assert_projects_numbered(doc: ParsedDocument) -> None:
    # project_unique_number_per_plan and project_number_positive refuse anything else: the
    # import would end in an IntegrityError instead of a message.
    numbers = [project.number for project in doc.projects]
    assert all(number >= 1 for number in numbers), numbers
    assert len(set(numbers)) == len(numbers), numbers


PROJECT_PLAN = "郑州市教育局2016年工作要点\n{projects}\n一、工作\n1.开展督导。"


@settings(max_examples=50, **FIXTURE_SETTINGS)
@given(variant=line_chaos())
@example(variant=Variant("003", PROJECT_PLAN.format(projects="第一项工程——学校建设\n第一项工程——美育")))
@example(variant=Variant("003", PROJECT_PLAN.format(projects="第零项工程——学校建设")))
def test_project_numbers_are_positive_and_unique(gazetteer, variant):
    doc = parse_or_refuse(lambda: parse_text(variant.text, gazetteer))
    if doc is not None:
        assert_projects_numbered(doc)


# --- Documents of the genre that no one has seen: built, then read back ---------------------------

PHRASES = [
    "加强督导队伍建设",
    "推进县域义务教育优质均衡发展",
    "开展责任督学挂牌督导",
    "完善督导评估机制",
    "做好教育质量监测工作",
    "深化教育督导体制改革",
    "落实县级政府教育职责",
    "规范幼儿园办园行为",
    "提升督学专业能力",
    "强化督导结果运用",
    "开展学校安全专项督导",
    "推进教育热点问题专项督导",
]
CLAUSES = [
    "按照省里统一部署认真组织实施",
    "建立健全工作机制",
    "对各县（市、区）开展实地督查",
    "组织专兼职督学参加业务培训",
    "及时通报督导结果",
    "督促问题整改落实到位",
    "形成督导报告",
]
# A period as written, the months it covers.
PERIODS = [
    ("3月", (3,)),
    ("8-9月", (8, 9)),
    ("10月-11月", (10, 11)),
    ("3月中旬", (3,)),
    ("8月下旬-9月上旬", (8, 9)),
    ("1月31日前", (1,)),
    ("年底前", (12,)),
    ("6月底前", (6,)),
    ("全年", tuple(range(1, 13))),
    ("上半年", tuple(range(1, 7))),
    ("5月、9月", (5, 9)),
    ("二季度", (4, 5, 6)),
    ("十二月", (12,)),
]
NUMBERING = ["{}.", "{}、", "{}．", "（{}）", "{}. "]
CITIES = ["郑州市", "镇江市", "泉州市", "衡阳市", "洛阳市", "苏州市", "长沙市"]


def wrapped(draw, line: str, where: range) -> str:
    """The line as a PDF extraction may give it: broken at up to two offsets in `where`.

    Never next to a digit: a lone 3 left by 3⏎月 is indistinguishable from a page number.
    """
    where = [cut for cut in where if not (line[cut - 1].isdigit() or line[cut].isdigit())]
    if not where:
        return line
    cuts = draw(st.lists(st.sampled_from(where), max_size=2, unique=True))
    for cut in sorted(cuts, reverse=True):
        line = line[:cut] + "\n" + line[cut:]
    return line


@st.composite
def generated_documents(draw, *, wrap: tuple[str, ...] = ()):
    """A notice built from the genre's parts, and what a faithful reading finds in it.

    `wrap` names the lines broken as in a PDF: "title" inside a task's lead phrase, "body"
    after it, "calendar" anywhere after 工作月历：.
    """
    city = draw(st.sampled_from(CITIES))
    year = draw(st.integers(2010, 2030))
    office = f"{city}人民政府教育督导室"
    title = f"{year}年{city}教育督导工作要点"
    issued = datetime.date(year, draw(st.integers(1, 4)), draw(st.integers(1, 28)))
    number = draw(st.integers(1, 30))
    opening, closing = draw(st.sampled_from(BRACKETS))
    date_line = (
        f"{issued.year}年{issued.month}月{issued.day}日"
        if draw(st.booleans())
        else cn_date(DATE.match(f"{issued.year}年{issued.month}月{issued.day}日"), "〇")
    )
    numbering = draw(st.sampled_from(NUMBERING))
    lines = [
        office,
        f"督办{opening}{year}{closing}{number}号",
        f"{office}关于印发{title}的通知",
        "各县（市、区）教育局、教育督导室：",
        f"现将《{title}》印发给你们，请结合实际，认真贯彻落实。",
        office,
        date_line,
        title,
        f"{year}年，全市教育督导工作以提高教育质量为核心，{draw(st.sampled_from(CLAUSES))}。",
    ]
    tasks, schedule, task_number = [], [], 0
    # A notice never states the same work point twice; identical lines would look like a
    # repeated page header.
    titles = draw(st.permutations(PHRASES))
    titles = titles + ["进一步" + t for t in titles]
    sections = draw(st.integers(1, 5))
    for section in range(1, sections + 1):
        lines.append(f"{cn_number(section)}、{draw(st.sampled_from(PHRASES))}")
        for _ in range(draw(st.integers(1, 4))):
            task_number += 1
            task_title = titles[task_number - 1]
            body = "，".join(draw(st.lists(st.sampled_from(CLAUSES), min_size=1, max_size=3)))
            label = numbering.format(task_number)
            line = f"{label}{task_title}。{body}。"
            full_stop = line.index("。")
            if "title" in wrap:
                line = wrapped(draw, line, range(len(label) + 1, full_stop))
            if "body" in wrap:
                line = wrapped(draw, line, range(full_stop + 1, len(line) - 1))
            lines.append(line)
            tasks.append(task_title)
            periods = draw(st.lists(st.sampled_from(PERIODS), max_size=3))
            if periods:
                items = [f"{period}，{draw(st.sampled_from(CLAUSES))}" for period, _ in periods]
                line = "工作月历：" + "；".join(items) + "。"
                if "calendar" in wrap:
                    line = wrapped(draw, line, range(len("工作月历："), len(line) - 1))
                lines.append(line)
                schedule += [(task_number, months) for _, months in periods]
    expected = {
        "issuing_office": office,
        "doc_number": f"督办〔{year}〕{number}号",
        "title": title,
        "issue_date": issued,
        "plan_year": year,
        "sections": sections,
        "tasks": tasks,
        "schedule": schedule,
    }
    return "\n".join(lines), expected


def assert_reads_as_built(doc: ParsedDocument | None, expected: dict) -> None:
    assert doc is not None
    assert doc.issuing_office == expected["issuing_office"]
    assert doc.doc_number == expected["doc_number"]
    assert doc.title == expected["title"]
    assert doc.issue_date == expected["issue_date"]
    assert doc.plan_year == expected["plan_year"]
    assert len(doc.sections) == expected["sections"]
    assert [task.title for task in doc.tasks] == expected["tasks"]
    assert [(entry.task, entry.months) for entry in doc.schedule] == expected["schedule"]


@settings(max_examples=200, **FIXTURE_SETTINGS)
@given(document=generated_documents())
def test_a_generated_notice_reads_back_as_built(gazetteer, document):
    text, expected = document
    assert_reads_as_built(parse_or_refuse(lambda: parse_text(text, gazetteer)), expected)


@settings(max_examples=200, **FIXTURE_SETTINGS)
@given(document=generated_documents(wrap=("body",)))
def test_a_task_body_broken_over_lines_reads_back_as_built(gazetteer, document):
    text, expected = document
    assert_reads_as_built(parse_or_refuse(lambda: parse_text(text, gazetteer)), expected)


def wraps_a_phrase_twice(text: str) -> bool:
    """The same words broken the same way in two tasks (加强督 | 导队伍建 | 设): a short plain line
    standing twice, which a text or PDF source reads as a running header and drops
    (plans.parsing.document._drop_running_headers). Without the page layout the two cannot be
    told apart: a known limit, left out of what this test asks."""
    lines = [line.strip() for line in text.split("\n")]
    body = next((i for i, line in enumerate(lines) if re.match(r"1[.、．]", line)), len(lines))
    counts = Counter(lines[body:])
    return any(count > 1 and _is_plain_short(line) for line, count in counts.items())


@settings(max_examples=50, **FIXTURE_SETTINGS)
@given(document=generated_documents(wrap=("title",)))
@example(
    document=(
        "2017年工作要点\n一、工作\n1.开展县级政府教育工\n作专项督导。不断创新工作方式方法。",
        {"tasks": ["开展县级政府教育工作专项督导"]},
    )
)
def test_a_task_title_broken_over_lines_is_read_whole(gazetteer, document):
    text, expected = document
    assume(not wraps_a_phrase_twice(text))
    doc = parse_or_refuse(lambda: parse_text(text, gazetteer))
    assert doc is not None
    assert [task.title for task in doc.tasks] == expected["tasks"]


@settings(max_examples=50, **FIXTURE_SETTINGS)
@given(document=generated_documents(wrap=("calendar",)))
@example(
    document=(
        "2017年工作要点\n一、工作\n1.开展督导。认真组织实施。\n"
        "工作月历：8-9月，制定方\n案；10月，向市政府汇报；11月，下达通知。",
        {"schedule": [(1, (8, 9)), (1, (10,)), (1, (11,))]},
    )
)
@example(
    # A range broken after its first month, the same way in two tasks: the repeated "-11月" is
    # the rest of a period, not a running header.
    document=(
        "2010年工作要点\n一、工作\n1.加强督导队伍建设。认真组织实施。\n工作月历：10月\n-11月\n，认真组织实施。\n"
        "2.推进均衡发展。认真组织实施。\n工作月历：10月\n-11月\n，认真组织实施。",
        {"schedule": [(1, (10, 11)), (2, (10, 11))]},
    )
)
@example(
    # Broken inside the first month's part, the same way in two tasks (8月 / 下旬-9月上 / 旬).
    document=(
        "2010年工作要点\n一、工作\n1.加强督导队伍建设。认真组织实施。\n工作月历：8月\n下旬-9月上\n旬，认真组织实施。\n"
        "2.推进均衡发展。认真组织实施。\n工作月历：8月\n下旬-9月上\n旬，认真组织实施。",
        {"schedule": [(1, (8, 9)), (2, (8, 9))]},
    )
)
def test_a_calendar_broken_over_lines_keeps_every_entry(gazetteer, document):
    text, expected = document
    doc = parse_or_refuse(lambda: parse_text(text, gazetteer))
    assert doc is not None
    assert [(entry.task, entry.months) for entry in doc.schedule] == expected["schedule"]
