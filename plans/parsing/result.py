"""What the parser returns: plain dataclasses, and the JSON our tooling reads."""
import datetime
from dataclasses import dataclass, field

from .messages import ParseWarning
from .periods import MonthSpan
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

    @property
    def counties(self) -> list[str]:
        return [p.name for p in self.places]


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
    warnings: list[ParseWarning] = field(default_factory=list)

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
            "sections": [
                {"heading": s.heading, "label": s.label, "level": s.level} for s in self.sections
            ],
            "tasks": [
                {
                    "number": t.number,
                    "label": t.label,
                    "title": t.title,
                    "text": t.text,
                    "section": self.section_heading(t.section),
                    "lead_unit": t.lead_unit,
                    "counties": t.counties,
                }
                for t in self.tasks
            ],
            "projects": [
                {
                    "number": p.number,
                    "label": p.label,
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
                    "counties": e.counties,
                }
                for e in self.schedule
            ],
            "counties": self.counties,
            "warnings": [w.render(translate) for w in self.warnings],
        }
