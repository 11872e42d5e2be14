"""What the parser returns: plain dataclasses, and the JSON our tooling reads."""

import datetime
from dataclasses import dataclass, field

from schedule.periods import MonthSpan

from .messages import ParseWarning
from .places import Place, Scope


@dataclass
class ParsedSection:
    label: str
    heading: str
    level: int
    parent: int | None = None
    text: str = ""


@dataclass
class ParsedTask:
    number: int
    label: str
    title: str
    text: str
    section: int | None = None
    lead_unit: str = ""
    places: list[Place] = field(default_factory=list)
    # Addressed to every county of the region (各县（市、区）, 各区县, 各县级督导部门, …).
    addresses_all_counties: bool = False

    @property
    def counties(self) -> list[str]:
        return [p.name for p in self.places]


@dataclass
class ParsedProject:
    number: int
    label: str
    name: str
    goal: str = ""
    annual_target: str = ""
    text: str = ""
    places: list[Place] = field(default_factory=list)
    # The heading as the notice writes it: 第一项工程——“学校建设工程”.
    heading: str = ""


# How an annex entry was linked to the task it restates.
LINK_NUMBER, LINK_PHRASE = "number", "phrase"


@dataclass
class ParsedEntry(MonthSpan):
    task: int | None
    period: str
    months: tuple[int, ...]
    granularity: str
    text: str
    places: list[Place] = field(default_factory=list)
    # The day of end_month by which the entry is due, when its period states one (see periods).
    deadline_day: int | None = None
    # The unit a calendar table's 责任单位 column names for it.
    lead_unit: str = ""
    # How `task` was found for an annex item: "number" (任务3, （第5项）), "phrase" (it restates
    # the task's words); "" when the entry is a task's own calendar line or was not linked.
    task_link: str = ""

    @property
    def counties(self) -> list[str]:
        return [p.name for p in self.places]


@dataclass
class UnconfirmedPlace:
    """A functional zone named in the usual short form (XX高新区, XX经开区) that the zone table
    does not list: kept as a target for staff to confirm, never dropped."""

    name: str
    region_code: str
    tasks: list[int] = field(default_factory=list)
    entries: list[int] = field(default_factory=list)


@dataclass
class ParsedDocument:
    issuing_office: str = ""
    doc_number: str = ""
    title: str = ""
    notice_title: str = ""
    issue_date: datetime.date | None = None
    plan_year: int | None = None
    recipients: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    notice_text: str = ""
    preamble: str = ""
    notes: str = ""
    imprint: str = ""
    disclosure: str = ""
    scope: Scope | None = None
    sections: list[ParsedSection] = field(default_factory=list)
    tasks: list[ParsedTask] = field(default_factory=list)
    projects: list[ParsedProject] = field(default_factory=list)
    schedule: list[ParsedEntry] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    unconfirmed_places: list[UnconfirmedPlace] = field(default_factory=list)
    # The notice leads with its projects (第X项工程), before its numbered sections and tasks.
    projects_first: bool = False
    warnings: list[ParseWarning] = field(default_factory=list)
    # Lines of the text a text recognition engine read off a scan (readers.ReadText): they may
    # be misread, and the import asks the user to check them.
    ocr_lines: list[str] = field(default_factory=list)

    @property
    def counties(self) -> list[str]:
        return [p.name for p in self.places]

    def section_heading(self, index: int | None) -> str:
        if index is None:
            return ""
        section = self.sections[index]
        return f"{section.label}{section.heading}"

    def to_json(self, translate=lambda s: s) -> dict:
        """The shape our tooling reads (import_workpoints --json)."""
        return {
            "issuing_office": self.issuing_office,
            "doc_number": self.doc_number,
            "title": self.title,
            "notice_title": self.notice_title,
            "issue_date": self.issue_date.isoformat() if self.issue_date else None,
            "plan_year": self.plan_year,
            "recipients": self.recipients,
            "cc": self.cc,
            "sections": [{"heading": s.heading, "label": s.label, "level": s.level} for s in self.sections],
            "tasks": [
                {
                    "number": t.number,
                    "label": t.label,
                    "title": t.title,
                    "text": t.text,
                    "section": self.section_heading(t.section),
                    "lead_unit": t.lead_unit,
                    "counties": t.counties,
                    "addresses_all_counties": t.addresses_all_counties,
                }
                for t in self.tasks
            ],
            "projects": [
                {
                    "number": p.number,
                    "label": p.label,
                    "heading": p.heading,
                    "name": p.name,
                    "goal": p.goal,
                    "annual_target": p.annual_target,
                    "text": p.text,
                }
                for p in self.projects
            ],
            "schedule": [
                {
                    "task": e.task,
                    "period": e.period,
                    "start_month": e.start_month,
                    "end_month": e.end_month,
                    "months": list(e.months),
                    "granularity": e.granularity,
                    "deadline_day": e.deadline_day,
                    "text": e.text,
                    "lead_unit": e.lead_unit,
                    "task_link": e.task_link,
                    "counties": e.counties,
                }
                for e in self.schedule
            ],
            "counties": self.counties,
            "unconfirmed_places": [
                {"name": u.name, "region_code": u.region_code, "tasks": u.tasks, "entries": u.entries}
                for u in self.unconfirmed_places
            ],
            "projects_first": self.projects_first,
            "warnings": [w.render(translate) for w in self.warnings],
        }
