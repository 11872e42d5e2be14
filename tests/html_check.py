"""An HTML check for the pages: html5lib's parse errors (the WHATWG parsing rules) and the
validator's errors that a parser cannot see — duplicate ids, references to ids that are not on
the page (label for, aria-describedby and its kin), and <time datetime> values that are not a
valid date or time string."""

import re

import html5lib

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
ID_REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls", "aria-owns", "list")
# The forms <time datetime> takes (HTML §4.5.14): a year, month, date, yearless date, week, time,
# local or global date and time (seconds with at most three decimals), a time-zone offset, or a
# duration.
_TIME = r"\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"
_ZONE = r"(Z|[+-]\d{2}:?\d{2})"
DATETIME = re.compile(
    rf"^(\d{{4,}}(-\d{{2}}(-\d{{2}})?)?|\d{{2}}-\d{{2}}|\d{{4,}}-W\d{{2}}|{_TIME}|{_ZONE}"
    rf"|\d{{4,}}-\d{{2}}-\d{{2}}[T ]{_TIME}{_ZONE}?"
    r"|P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d{1,3})?S)?)?|(\s*\d+(\.\d{1,3})?\s*[WDHMS]\s*)+)$"
)


def html_problems(html: str) -> list[str]:
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    tree = parser.parse(html)
    problems = [
        f"line {line}: " + html5lib.constants.E.get(code, code) % (data or {})
        for (line, _column), code, data in parser.errors
    ]
    ids: dict[str, int] = {}
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if "id" in element.attrib:
            ids[element.attrib["id"]] = ids.get(element.attrib["id"], 0) + 1
    problems += [f'duplicate id="{name}" ({count}×)' for name, count in ids.items() if count > 1]
    last_heading = 1  # a page may open on any level up to h2 (axe heading-order, as the issue read it)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "label" and element.get("for") and element.get("for") not in ids:
            problems.append(f'<label for="{element.get("for")}"> names no element')
        for attribute in ID_REFERENCES:
            for name in (element.get(attribute) or "").split():
                if name not in ids:
                    problems.append(f'<{element.tag} {attribute}="{name}"> names no element')
        if element.tag in HEADINGS:
            level = int(element.tag[1])
            if level > last_heading + 1:
                problems.append(f"<{element.tag}> after <h{last_heading}> skips a heading level")
            last_heading = level
        if element.tag == "time" and element.get("datetime") is not None:
            if not DATETIME.match(element.get("datetime")):
                problems.append(f'<time datetime="{element.get("datetime")}"> is not a date or time')
    return problems
