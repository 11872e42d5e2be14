"""The models, by area: organisation (divisions, offices, members), plans (a plan and its
parts, revisions, lifecycle), tracking (assignments to counties, their reports)."""

from plans.models.calendar import OfficialCalendarDay, OfficialCalendarYear
from plans.models.demo import DemoDataset
from plans.models.organisation import (
    County,
    CountyAlias,
    CountyContact,
    Membership,
    Office,
    OfficeAlias,
    Region,
)
from plans.models.plans import (
    ALL_MONTHS_MASK,
    EntryTarget,
    PlanCounty,
    PlanRevision,
    PlanSource,
    Project,
    ScheduleEntry,
    Section,
    Task,
    TaskTarget,
    WorkPlan,
    mask_to_months,
    months_to_mask,
    source_upload_to,
)
from plans.models.tracking import (
    Assignment,
    EvidenceFile,
    FeedToken,
    ProgressReport,
    Reminder,
    evidence_upload_to,
)

__all__ = [
    "ALL_MONTHS_MASK",
    "Assignment",
    "EvidenceFile",
    "FeedToken",
    "ProgressReport",
    "Reminder",
    "evidence_upload_to",
    "County",
    "CountyAlias",
    "CountyContact",
    "DemoDataset",
    "OfficialCalendarDay",
    "OfficialCalendarYear",
    "EntryTarget",
    "Membership",
    "Office",
    "OfficeAlias",
    "PlanCounty",
    "PlanRevision",
    "PlanSource",
    "Project",
    "Region",
    "ScheduleEntry",
    "Section",
    "Task",
    "TaskTarget",
    "WorkPlan",
    "mask_to_months",
    "months_to_mask",
    "source_upload_to",
]
