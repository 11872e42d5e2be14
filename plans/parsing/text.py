"""From bytes to clean lines: encodings, widths, spacing and page debris."""

import re
import unicodedata

from .messages import ParseError

# The commonest characters of official Chinese prose. Text decoded with the wrong codec has
# few of them, whatever its length.
COMMON_HANZI = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能"
    "下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量"
    "都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各"
    "重新线内数正心反明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想"
    "已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知"
    "较将组见计别手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百"
    "规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教"
    "速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温"
    "传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千"
    "周委素技备半办青省列习响约支般史感劳便团往历市克何除消构府称太准精值号率族维划选标写存候毛"
    "亲快效院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该价严"
    "督评估校园幼监测县区市级督学责任挂牌规范发展工作要点开展推进加强完善组织落实全面提升做好"
)
HANZI = re.compile(r"[\u4e00-\u9fff]")
# A notice is a few pages; a text a hundred times longer is not one, and would only cost time.
MAX_TEXT_CHARS = 2_000_000

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
# The blanks that typeset a line, tab apart: each is read as a space.
BLANKS = " \u3000\u00a0\u2002\u2003\u2009\u202f"
SPACES = dict.fromkeys(map(ord, "\t\x0b" + BLANKS[1:]), " ")
# Full-width digits and Latin letters are the same characters; full-width punctuation is not
# (（）、，：；。 are the genre's own), so NFKC is applied to letters and digits only.
WIDE_ALNUM = {
    code: unicodedata.normalize("NFKC", chr(code))
    for code in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))
}
TRANSLATION = {**ZERO_WIDTH, **SPACES, **WIDE_ALNUM}

CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》—…"
SPACE_RUN = re.compile(r" +")
ASCII_WORD = re.compile(r"[A-Za-z0-9]")
HALF_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
HALF_PUNCT_NEAR_CJK = re.compile(rf"(?<=[{CJK}])\s*([,;:?!])|([,;:?!])\s*(?=[{CJK}])")
PAREN_CJK = re.compile(rf"\(([^()]*[{CJK}][^()]*)\)")
PAGE_NUMBER = re.compile(
    r"^[\s\-—–－_~·]*(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*/\s*(?:共\s*)?\d{1,3}\s*页?)?[\s\-—–－_~·]*$"
    r"|^[\s\-—–－_]*[-—–－]\s*[一二三四五六七八九十]+\s*[-—–－][\s\-—–－_]*$"
)


def decode(data: bytes) -> str:
    """Text of a .txt file in UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030."""
    if not data.strip():
        raise ParseError("empty")
    if len(data) > 4 * MAX_TEXT_CHARS:
        raise ParseError("too_long", limit=f"{MAX_TEXT_CHARS:,}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise ParseError("truncated", excerpt="UTF-16") from None
    if b"\x00" in data[:4096]:
        raise ParseError("binary")
    try:
        return _checked(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the very end is a truncated UTF-8 file, not another codec.
        if exc.start >= len(data) - 3 and _is_utf8(data[: exc.start]):
            raise ParseError("truncated", excerpt=_tail(data[: exc.start].decode("utf-8-sig"))) from None
    try:
        return _checked(data.decode("gb18030"))
    except UnicodeDecodeError:
        raise ParseError("encoding") from None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _tail(text: str) -> str:
    return text.strip()[-20:]


def _checked(text: str) -> str:
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\r\n\t\f\x0b")
    if controls > max(3, len(text) // 100):
        raise ParseError("binary")
    hanzi = HANZI.findall(text)
    if not hanzi:
        raise ParseError("not_workpoints")
    common = sum(1 for c in hanzi if c in COMMON_HANZI)
    if len(hanzi) >= 20 and common / len(hanzi) < 0.2:
        raise ParseError("encoding")
    return text


def normalise_line(line: str) -> str:
    line = line.translate(TRANSLATION).strip()
    if not line:
        return ""
    # Spaces inside Chinese prose are typesetting debris (2017 年, 督学培训班 ,); spaces between
    # two Latin words or numbers are words.
    parts = SPACE_RUN.split(line)
    out = parts[0]
    for part in parts[1:]:
        if out and part and ASCII_WORD.match(out[-1]) and ASCII_WORD.match(part[0]):
            out += " "
        out += part
    out = HALF_PUNCT_NEAR_CJK.sub(lambda m: HALF_PUNCT[m[1] or m[2]], out)
    out = PAREN_CJK.sub(r"（\1）", out)
    return out


def is_page_number(line: str) -> bool:
    return bool(PAGE_NUMBER.match(line))


def physical_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")


# Tables reach the parser as rows of cells: separated by pipes (as our readers write a Word
# table, and as people type one), by tabs, or by runs of spaces that align columns. A line break
# inside a Word cell is written as U+2028.
CELL_BREAK = "\u2028"
DITTO = "〃"  # "as above": what a cell merged with the one above it says
CLOSING_PUNCT = set("，。、；：！？,.;:!?）)》”’」』-—～~")
PIPE = re.compile(r"[|｜│┃]")
INNER_GAP = re.compile(rf"\S(?:[{BLANKS}]*\t|[{BLANKS}]{{2}})")
# Blanks and tabs run together are one gap, as consecutive tabs are: no empty cell between.
COLUMN_GAP = re.compile(rf"[\t{BLANKS}]{{2,}}|\t")
# ---|:---|=== or ┌──┬──┐: the rules of a table drawn in text, not content.
TABLE_RULE = re.compile(r"^[\s|｜│┃+\-:=—─━┌┐└┘├┤┬┴┼┏┓┗┛┣┫┳┻╋═║╔╗╚╝╠╣╦╩╬]+$")
# A line that may be a table's: a pipe, a break inside a cell, a tab or a run of blanks (searched
# as plain characters: this runs on every line); a rule starts with one of RULE_START.
TABLE_HINT = re.compile(rf"[\t|｜│┃\u2028]|[{BLANKS}]{{2}}")
RULE_START = set("+-=─━—═┼┬┴┌┐└┘├┤┏┓┗┛┣┫┳┻╋╔╗╚╝╠╣╦╩╬║")
LEADING_BLANKS = "\t" + BLANKS
LEADING_SPACE = re.compile(rf"^[{LEADING_BLANKS}]+")


def is_table_rule(line: str) -> bool:
    return bool(TABLE_RULE.match(line)) and any(c in line for c in "-=─━—═┼┬┴+")


def indent_of(line: str) -> int:
    match = LEADING_SPACE.match(line)
    return len(match.group().expandtabs(4)) if match else 0


def split_row(line: str) -> tuple[str, ...]:
    """The cells of a table row, normalised; () when the line is not a row of two or more."""
    if PIPE.search(line):
        cells = PIPE.split(line)
        # | 3月 | 召开会议 |: the outer pipes close the row, they add no cell.
        if cells and not cells[0].strip():
            cells = cells[1:]
        if cells and not cells[-1].strip():
            cells = cells[:-1]
    else:
        if not INNER_GAP.search(line):
            return ()
        line = line.translate(ZERO_WIDTH).strip()
        if not COLUMN_GAP.search(line):
            return ()
        cells = COLUMN_GAP.split(line)
        # 附  件 / 工 作 事 项: letters spaced out in a heading, not columns; and a cell does not
        # start with the punctuation that ends a phrase.
        if sum(len(cell.strip()) == 1 for cell in cells) * 2 >= len(cells) or any(
            cell.strip()[:1] in CLOSING_PUNCT for cell in cells[1:]
        ):
            return ()
    if len(cells) < 2:
        return ()
    return tuple(_cell(cell) for cell in cells)


def _cell(text: str) -> str:
    paragraphs = (normalise_line(part) for part in text.split(CELL_BREAK))
    return "\n".join(p for p in paragraphs if p)


def row_text(line: str) -> str:
    """A row read as running text, for the readers that see no table in it: 1|开展督导|督政科."""
    cells = split_row(line)
    if not cells:
        # 2月 | — a row written a cell per line: the cell, without the rule closing it.
        return normalise_line(PIPE.sub("|", line.replace(CELL_BREAK, " "))).strip("|")
    return "|".join(cell.replace("\n", " ") for cell in cells)
