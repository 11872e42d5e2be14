"""Which body task an annex item restates.

A calendar annex repeats the work points in fewer words (修订完善并印发督政考核标准和细则 for a
task that 修订和完善考核标准和细则) or names the task's number (任务3, （第5项）). An item is linked when the
number names one task, or when it shares a phrase of some length with one task and with no other;
a wrong link is worse than none, so anything less clear stays unlinked.
"""

import re

from schedule.numerals import to_int

from .result import LINK_NUMBER, LINK_PHRASE, ParsedDocument

_N = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
TASK_REFERENCE = re.compile(
    rf"[（(]\s*(?:见|对应|落实)?\s*(?:工作要点|要点|任务|第)\s*(?P<bracketed>{_N})\s*[项条]?\s*(?:任务|工作)?\s*[）)]"
    r"|任务\s*(?P<task>\d{1,2})(?![\d个项条])"
    rf"|第\s*(?P<ordinal>{_N})\s*项(?:任务|工作|重点工作)?(?!工程|行动|计划|项目|\d)"
)
LABEL_NUMBER = re.compile(r"\d{1,3}|[一二三四五六七八九十]{1,3}|[\u2460-\u2473]")
NOT_HANZI = re.compile(r"[^\u4e00-\u9fff]+")
GRAM = 4
# Shorter shared phrases are the genre's own words (开展专项督导, 教育督导工作).
MIN_PHRASE = 7
MARGIN = 3


def link_annex_entries(doc: ParsedDocument) -> None:
    entries = [e for e in doc.schedule if e.task is None]
    if not entries or not doc.tasks:
        return
    by_label = _tasks_by_label(doc)
    unnumbered = []
    for entry in entries:
        number = _referenced_task(entry.text, by_label)
        if number is not None:
            entry.task, entry.task_link = number, LINK_NUMBER
        else:
            unnumbered.append(entry)
    if not unnumbered:
        return
    index = _GramIndex([t.text for t in doc.tasks], [e.text for e in unnumbered])
    for entry in unnumbered:
        task = index.restated(entry.text)
        if task is not None:
            entry.task, entry.task_link = doc.tasks[task].number, LINK_PHRASE


def _tasks_by_label(doc: ParsedDocument) -> dict[int, int | None]:
    """The number each task is written with → its number; None when two share it (numbering
    that restarts in each section cannot be cited by number)."""
    found: dict[int, int | None] = {}
    for task in doc.tasks:
        label = LABEL_NUMBER.search(task.label)
        if not label:
            continue
        text = label.group()
        written = ord(text) - 0x245F if "\u2460" <= text <= "\u2473" else to_int(text)
        if written is not None:
            found[written] = None if written in found else task.number
    return found


def _referenced_task(text: str, by_label: dict[int, int | None]) -> int | None:
    numbers = set()
    for match in TASK_REFERENCE.finditer(text):
        written = to_int(match["bracketed"] or match["task"] or match["ordinal"])
        numbers.add(by_label.get(written) if written is not None else None)
    if len(numbers) == 1:
        return numbers.pop()
    return None


class _GramIndex:
    """For each run of four characters, the tasks whose text has it (a bit per task)."""

    def __init__(self, texts: list[str], queries: list[str]):
        self.masks: dict[str, int] = {}
        self.plain = [NOT_HANZI.sub("", text) for text in texts]
        self.queries = {query: NOT_HANZI.sub("", query) for query in queries}
        # Only the runs the queries have are worth a bit.
        asked = {gram for plain in self.queries.values() for gram in _grams(plain)}
        for bit, plain in enumerate(self.plain):
            for gram in _grams(plain) & asked:
                self.masks[gram] = self.masks.get(gram, 0) | (1 << bit)

    def restated(self, text: str) -> int | None:
        """The one task `text` shares a long phrase with that no other task has."""
        plain = self.queries.get(text) or NOT_HANZI.sub("", text)
        masks = self.masks
        grams = [masks.get(plain[i : i + GRAM], 0) for i in range(len(plain) - GRAM + 1)]
        best: dict[int, str] = {}
        for start, first in enumerate(grams):
            if not first:
                continue
            # Extend while the phrase stays in some task; note where it is in one task only.
            mask, end, single = first, start, None
            while end < len(grams) and mask & grams[end]:
                mask &= grams[end]
                if single is None and mask & (mask - 1) == 0:
                    single = end
                end += 1
            if single is None:
                continue
            task = mask.bit_length() - 1
            # Its four-character runs may each be in the task without the whole: the longest
            # run that is there whole.
            for last in range(end - 1, single - 1, -1):
                phrase = plain[start : last + GRAM]
                if phrase in self.plain[task]:
                    if len(phrase) > len(best.get(task, "")):
                        best[task] = phrase
                    break
        ranked = sorted(best.items(), key=lambda item: -len(item[1]))
        if not ranked or len(ranked[0][1]) < MIN_PHRASE:
            return None
        if len(ranked) > 1:
            # Another task with a phrase of its own makes the item ambiguous, unless the first
            # phrase is clearly longer; a phrase of the shortest length must stand alone.
            best, runner_up = len(ranked[0][1]), len(ranked[1][1])
            if best == MIN_PHRASE or best - runner_up < MARGIN:
                return None
        return ranked[0][0]


def _grams(text: str) -> set[str]:
    return {text[i : i + GRAM] for i in range(len(text) - GRAM + 1)}
