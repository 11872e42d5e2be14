"""Writes, by area (house style: services push, selectors pull).

imports: a notice becomes a plan. lifecycle: submit, return, publish, revise, archive,
discard. drafts: the one guarded write to a draft. content: a plan's parts written in place,
the plan → county index. history: who a write is recorded against.
"""

from plans.services.content import plan_county_index_refresh, plan_snapshot
from plans.services.imports import (
    ImportResult,
    gazetteer_build,
    gazetteer_get,
    gazetteer_invalidate,
    office_resolve,
    work_plan_import,
    work_plan_parse,
)
from plans.services.lifecycle import (
    work_plan_archive,
    work_plan_discard,
    work_plan_publish,
    work_plan_return,
    work_plan_revise,
    work_plan_submit,
)

__all__ = [
    "ImportResult",
    "gazetteer_build",
    "gazetteer_get",
    "gazetteer_invalidate",
    "office_resolve",
    "plan_county_index_refresh",
    "plan_snapshot",
    "work_plan_archive",
    "work_plan_discard",
    "work_plan_import",
    "work_plan_parse",
    "work_plan_publish",
    "work_plan_return",
    "work_plan_revise",
    "work_plan_submit",
]
