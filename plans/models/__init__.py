"""The plans area's models: a plan and its parts, revisions, lifecycle log, the plan → county
index and calendar-feed tokens. Offices and divisions are in organisation.models, the work a
plan sends the counties in tracking.models."""

from plans.models.batches import ImportBatchFile
from plans.models.plans import (
    ALL_MONTHS_MASK,
    EntryTarget,
    FeedToken,
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

__all__ = [
    "ALL_MONTHS_MASK",
    "EntryTarget",
    "FeedToken",
    "ImportBatchFile",
    "PlanCounty",
    "PlanRevision",
    "PlanSource",
    "Project",
    "ScheduleEntry",
    "Section",
    "Task",
    "TaskTarget",
    "WorkPlan",
    "mask_to_months",
    "months_to_mask",
    "source_upload_to",
]
