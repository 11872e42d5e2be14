"""The notice around the work points: 红头, 文号, notice title, 主送, notice text, signature and
date above the plan's title; 抄送, 印发 and disclosure lines wherever they stand."""

import datetime
import re

from .messages import TARGETS
from .patterns import (
    ATTACHMENT,
    CAL_LABEL,
    CC,
    DATE_LINE,
    DISCLOSURE,
    DOC_NUMBER,
    IMPRINT,
    ITEM3,
    OFFICE_AND_DATE,
    OFFICE_LINE,
    OFFICE_PREFIX,
    PROJECT,
    SECTION1,
    TITLE_WORDS,
    Line,
    ends_sentence,
    excerpt,
    read_date,
    split_list,
)
from .state import ParseState

# 附件：1．2020年工作要点 / 2．2020年重点工作时间安排表 — the list of what is attached.
ATTACHMENT_ITEM = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十])\s*[、.．:：]\s*(.+)$")


class HeaderReader:
    """Reads the notice's header and footer into the document; the body is left to others."""

    def __init__(self, state: ParseState):
        self.state = state
        self.doc = state.doc

    # -- footer ---------------------------------------------------------------------------------
    def take_footer(self, lines: list[Line]) -> list[Line]:
        """抄送, 印发 and disclosure lines may stand anywhere; they are not content."""
        kept, i = [], 0
        while i < len(lines):
            text = lines[i].text
            cc = CC.match(text)
            imprint = IMPRINT.match(text)
            if cc:
                value = cc[1]
                # A long 抄送 wraps; it ends with a full stop or at the imprint.
                while not ends_sentence(value) and i + 1 < len(lines):
                    nxt = lines[i + 1].text
                    if IMPRINT.match(nxt) or DATE_LINE.match(nxt) or CC.match(nxt):
                        break
                    value += nxt
                    i += 1
                self.doc.cc = split_list(value)
            elif imprint:
                self.doc.imprint = text
                self.state.imprint_date = read_date(imprint)
            elif DISCLOSURE.match(text):
                self.doc.disclosure = text.strip("（）()")
            else:
                kept.append(lines[i])
            i += 1
        if kept and kept[-1] is not lines[-1]:
            # The notice ends with its 抄送/印发 lines: whatever stands above them is complete.
            self.state.ends_complete = True
        return kept

    # -- header ---------------------------------------------------------------------------------
    def read(self, lines: list[Line]) -> int:
        """Reads the header; returns the index of the body's first line."""
        texts = [line.text for line in lines]
        notice_start, notice_end = self._find_notice_title(texts)
        title_idx, title = self._find_title(texts, notice_end)
        if title_idx is None:
            body_start = self._first_structural(texts, notice_end + 1 if notice_end is not None else 0)
        else:
            body_start = title_idx + 1
        header = texts[:body_start]
        doc = self.doc
        used = set()
        if title_idx is not None:
            used |= {title_idx, title_idx - 1} if title != texts[title_idx] else {title_idx}

        # The 文号 stands above the notice title; the notice text may cite other documents' numbers.
        for i, text in enumerate(header[: notice_start if notice_start is not None else 6]):
            number = DOC_NUMBER.search(text)
            if number:
                doc.doc_number = f"{number[1]}〔{number[2]}〕{number[3]}号"
                used.add(i)
                break

        if notice_start is not None:
            doc.notice_title = "".join(texts[notice_start : notice_end + 1])
            used |= set(range(notice_start, notice_end + 1))

        office, date = self._signature(header)
        if not office and header and OFFICE_LINE.match(header[0]):
            office = re.sub(r"文件$", "", header[0])
        if not office and doc.notice_title:
            prefix = doc.notice_title.split("关于", 1)[0]
            if OFFICE_PREFIX.match(prefix):
                office = OFFICE_PREFIX.match(prefix)[1]
        if title:
            match = OFFICE_PREFIX.match(title)
            if match:
                self.state.title_office = match[1]
        doc.issuing_office = office or self.state.title_office
        doc.issue_date = date

        # 主送 ends with a colon and comes after the notice title; the notice text follows it.
        start = notice_end + 1 if notice_end is not None else 0
        recipients_idx = None
        for i in range(start, len(header)):
            text = header[i]
            if text.endswith(("：", ":")) and not ATTACHMENT.match(text) and not CAL_LABEL.match(text):
                # A long 主送 wraps: its first line ends with a comma.
                first = i
                while first - 1 >= start and (
                    header[first - 1].endswith(("，", "、", ",")) or _wraps_into(header[first - 1], header[first])
                ):
                    first -= 1
                recipients_idx = i
                doc.recipients = split_list("".join(header[first : i + 1]))
                used |= set(range(first, i + 1))
                break
        if notice_start is not None or recipients_idx is not None:
            begin = (recipients_idx if recipients_idx is not None else notice_end) + 1
            notice_lines = []
            for text in header[begin:]:
                if DATE_LINE.match(text) or OFFICE_LINE.match(text) or OFFICE_AND_DATE.match(text):
                    break
                notice_lines.append(text)
            used |= set(range(begin, begin + len(notice_lines)))
            # Whatever else stands above the title is kept with the notice, and said.
            for i, text in enumerate(header):
                if i in used or self._is_furniture(text):
                    continue
                notice_lines.append(text)
                self.state.warn("unknown_line", line=lines[i].no, excerpt=excerpt(text), target=TARGETS["notice"])
            doc.notice_text = "\n".join(notice_lines)
        self.state.attachments = self._attachments(header)

        quoted = re.search(r"《([^》]*(?:要点|计划|安排)[^》]*)》", doc.notice_text)
        printed = re.search(r"关于印发《?(.+?)》?的通知$", doc.notice_title)
        doc.title = quoted[1] if quoted else (title or (printed[1] if printed else doc.notice_title))
        self.state.title_line = title
        return body_start

    @staticmethod
    def _attachments(header: list[str]) -> list[str]:
        """附件：1．…工作要点 / 2．…时间安排表: the titles, as the body will repeat them."""
        titles: list[str] = []
        for i, text in enumerate(header):
            match = ATTACHMENT.match(text)
            if not match:
                continue
            first = match[1].strip()
            if first:
                item = ATTACHMENT_ITEM.match(first)
                titles.append(item[1] if item else first)
            for following in header[i + 1 :]:
                item = ATTACHMENT_ITEM.match(following)
                if not item or ends_sentence(following):
                    break
                titles.append(item[1])
            break
        return [re.sub(r"^《|》$", "", title.strip()) for title in titles if title.strip()]

    def _is_furniture(self, text: str) -> bool:
        """Red header, signature, date, attachment markers and lists: read, or safely skipped."""
        return bool(
            OFFICE_LINE.match(text)
            or DATE_LINE.match(text)
            or OFFICE_AND_DATE.match(text)
            or ATTACHMENT.match(text)
            or is_title_line(text)
            or (ITEM3.match(text) and len(text) <= 60 and not ends_sentence(text))
        )

    @staticmethod
    def _find_notice_title(texts: list[str]) -> tuple[int | None, int | None]:
        for i, text in enumerate(texts[:15]):
            if "关于" in text and not ends_sentence(text):
                joined = text
                for j in range(i, min(i + 3, len(texts))):
                    if j > i:
                        joined += texts[j]
                    if joined.endswith("通知") or joined.endswith("通知》"):
                        return i, j
        return None, None

    @staticmethod
    def _find_title(texts: list[str], notice_end: int | None) -> tuple[int | None, str]:
        start = notice_end + 1 if notice_end is not None else 0
        for i in range(start, min(len(texts), start + 40)):
            text = texts[i]
            # Attachment lists (附件：1、… 2、…) are short numbered lines; a task is prose.
            if (
                SECTION1.match(text)
                or PROJECT.match(text)
                or (ITEM3.match(text) and (len(text) > 60 or ends_sentence(text)))
            ):
                break
            if not is_title_line(text):
                continue
            title = text
            previous = texts[i - 1] if i > start else ""
            if previous and (
                re.match(r"^(?:及|和|与|暨|以及)", text)
                or (OFFICE_LINE.match(previous) and re.match(r"^\d{4}\s*年", text))
            ):
                title = previous + text
            return i, title
        return None, ""

    @staticmethod
    def _first_structural(texts: list[str], start: int) -> int:
        for i in range(start, len(texts)):
            if SECTION1.match(texts[i]) or ITEM3.match(texts[i]) or PROJECT.match(texts[i]):
                return i
        return start

    @staticmethod
    def _signature(header: list[str]) -> tuple[str, datetime.date | None]:
        office, date = "", None
        for i, text in enumerate(header):
            combined = OFFICE_AND_DATE.match(text)
            if combined:
                return combined["office"], read_date(combined)
            match = DATE_LINE.match(text)
            if match:
                date = date or read_date(match)
                previous = header[i - 1] if i else ""
                if OFFICE_LINE.match(previous) and not office:
                    office = previous
        return office, date


def is_title_line(text: str) -> bool:
    return (
        bool(TITLE_WORDS.search(text))
        and len(text) <= 60
        and not ends_sentence(text)
        and not text.endswith(("：", ":", "，"))
        and not re.match(r"^(?:附\s*件|现将|各|抄送|印发|\d+\s*[、.．]|关于)", text)
        and "通知" not in text
        and not DATE_LINE.match(text)
    )


# 门，市直属各学校： — a line that starts with the last characters of a name broken above it.
NAME_TAIL = re.compile(r"^[^，,、；;：:。（(]{1,4}[，,、；;：:]")


def _wraps_into(above: str, text: str) -> bool:
    """市直各有关部 / 门，市直属各学校： — a 主送 wrapped inside a name, its first line a list."""
    return (
        bool(NAME_TAIL.match(text))
        and not ends_sentence(above)
        and not above.endswith(("：", ":"))
        and any(mark in above for mark in "，,、")
        and not DOC_NUMBER.search(above)
        and not DATE_LINE.match(above)
    )
