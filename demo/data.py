"""Generated demo data at the size of a real deployment (generate_demo).

Built on the division table the migrations load: an office for each prefecture-level city and
each county, ten years of plans per city office, shaped like the seed notices (sections and
subsections, numbered tasks naming counties or addressed to all of them, calendars written per
task, as a monthly annex or a quarterly table, periods in every form the parser reads), with
the statuses a real archive has (older years archived, most plans published with their
revisions, some drafts and plans in review), the assignments publishing sends (the rules of
tracking.services.assignments), reports spread over the year and reviewed, and the staff and
county users who did all of it.

Everything comes from one random.Random(seed) and the date the data is "as of": the same seed
and date give the same content. Rows go in below the ORM (plans.services.bulk: COPY on
PostgreSQL); the history tables get the creation records the services would have written for
plans and their parts. Generated offices and users are recorded on a DemoDataset, which is how
`demo_data_remove` finds exactly what was generated.
"""

import dataclasses
import datetime
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import ActionLog
from demo.evaluation_work import MODELS as EVALUATION_MODELS
from demo.generator import (
    NO_DIVISIONS,
    PERIOD_FORMS,
    DemoGenerator,
    period_read,
)
from demo.inspection_work import MODELS as INSPECTION_MODELS
from demo.models import DemoDataset
from evaluation.models import (
    EvaluationRound,
    Indicator,
    IndicatorSheet,
    Objection,
    Participant,
    ResultRevision,
    Score,
)
from inspections.models import (
    ChecklistAnswer,
    ChecklistItem,
    Finding,
    FindingFile,
    Inspection,
    InspectionMember,
    Inspector,
    InspectorZone,
    Rectification,
    School,
    Visit,
    VisitRhythm,
    ZoneAssignment,
)
from organisation.models import Membership, Office, OfficeAlias
from plans.models import (
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
)
from plans.services.bulk import BulkWriter, constraints_deferred, tables_analyze
from tracking.models import Assignment, EvidenceFile, ProgressReport, Reminder

__all__ = ["PERIOD_FORMS", "SCALES", "demo_data_generate", "demo_data_remove", "demo_dataset_get", "period_read"]

error_messages = {
    "exists": _(
        "This database already holds generated data (scale %(scale)s, seed %(seed)s); run "
        "again with --replace to remove it first."
    ),
    "unknown_scale": _("Unknown scale “%(scale)s”; choose national or city."),
    "no_divisions": _("The division table is empty; run the migrations first."),
    "years": _("Generate at least one year of plans."),
}


@dataclass(frozen=True)
class Scale:
    name: str
    # Prefecture-level cities whose offices are generated (division codes); None: all of them.
    city_codes: tuple[str, ...] | None
    years: int = 10
    # A county's schools: primary and secondary, then kindergartens (each a range of counts).
    schools: tuple[tuple[int, int], tuple[int, int]] = ((40, 85), (55, 120))


SCALES = {
    "national": Scale("national", None),
    # The seeds' cities and a neighbour: enough for every page to have something to show.
    # Fewer schools a county than the country has: the tests generate it many times.
    "city": Scale("city", ("410100", "410300", "430400", "350500", "321100"), schools=((12, 25), (10, 20))),
}

# Tables written in bulk whose secondary indexes and constraints are built after loading.
BULK_MODELS = [
    Section,
    Task,
    Project,
    ScheduleEntry,
    TaskTarget,
    EntryTarget,
    PlanCounty,
    ActionLog,
    PlanRevision,
    Assignment,
    ProgressReport,
    Reminder,
    Reminder.assignments.through,
    Section.history.model,
    Task.history.model,
    Project.history.model,
    ScheduleEntry.history.model,
    TaskTarget.history.model,
    EntryTarget.history.model,
    WorkPlan.history.model,
    Membership.history.model,
    *INSPECTION_MODELS,
    *EVALUATION_MODELS,
]

# The register's tables, whose generated rows no office owns: found again by their id ranges.
RANGED_MODELS = [School, Inspector, InspectorZone, ZoneAssignment, VisitRhythm, Visit, *EVALUATION_MODELS]


@dataclass
class DemoSummary:
    scale: str
    seed: int
    as_of: datetime.date
    counts: dict[str, int]
    seconds: float
    digest: str
    logins: list[tuple[str, str]] = field(default_factory=list)


def demo_dataset_get() -> DemoDataset | None:
    return DemoDataset.objects.order_by("-created_at").first()


def _lock(models_) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f'LOCK TABLE "{model._meta.db_table}" IN SHARE ROW EXCLUSIVE MODE')


_TOUCHED = [
    get_user_model(),
    Office,
    Membership,
    WorkPlan,
    DemoDataset,
    DemoDataset.offices.through,
    DemoDataset.users.through,
]


def demo_data_generate(
    *,
    scale: str,
    seed: int,
    as_of: datetime.date | None = None,
    years: int | None = None,
    replace: bool = False,
    progress=lambda message: None,
) -> DemoSummary:
    """Generate a deployment's worth of data (see the module's docstring) in one transaction.

    Refused when generated data is present, unless `replace`: then that data (and only it)
    is removed first. `years`: how many years of plans, up to the as-of date's (the scale's ten
    when not given).
    """
    if scale not in SCALES:
        raise ValidationError(error_messages["unknown_scale"], code="unknown_scale", params={"scale": scale})
    if years is not None and years < 1:
        raise ValidationError(error_messages["years"], code="years")
    as_of = as_of or timezone.localdate()
    chosen = SCALES[scale] if years is None else dataclasses.replace(SCALES[scale], years=years)
    started = time.monotonic()
    with transaction.atomic():
        existing = demo_dataset_get()
        if existing is not None and not replace:
            raise ValidationError(
                error_messages["exists"],
                code="exists",
                params={"scale": existing.scale, "seed": existing.seed},
            )
        _lock(_TOUCHED + BULK_MODELS)
        writer = BulkWriter()
        with constraints_deferred(BULK_MODELS):
            if existing is not None:
                _remove(progress)
            generator = DemoGenerator(scale=chosen, seed=seed, as_of=as_of, writer=writer, progress=progress)
            try:
                generator.run()
            except ValidationError as exc:
                if exc.code == NO_DIVISIONS:
                    raise ValidationError(error_messages["no_divisions"], code=NO_DIVISIONS) from None
                raise
            writer.finish()
            progress(f"rows written in {time.monotonic() - started:.0f} s; building indexes and constraints")
        counts = {label: n for label, n in sorted(writer.counts.items())}
        ranges = {m._meta.label: writer.id_range(m) for m in RANGED_MODELS if writer.id_range(m) is not None}
        DemoDataset.objects.filter(pk=generator.dataset_id).update(counts=counts, id_ranges=ranges)
    tables_analyze(_TOUCHED + BULK_MODELS)
    return DemoSummary(
        scale=scale,
        seed=seed,
        as_of=as_of,
        counts=counts,
        seconds=time.monotonic() - started,
        digest=generator.digest.hexdigest(),
        logins=generator.logins,
    )


# --- Removal ----------------------------------------------------------------------------------

# What belongs to the generated data, as SQL over the generated offices and users.
_OFFICES = f"SELECT office_id FROM {DemoDataset.offices.through._meta.db_table}"
_USERS = f"SELECT user_id FROM {DemoDataset.users.through._meta.db_table}"
_PLANS = f"SELECT id FROM {WorkPlan._meta.db_table} WHERE office_id IN ({_OFFICES})"
# Every kind of obligation owed to a generated office (plan work, 自查自评, 整改, visits).
_ASSIGNMENTS = f"SELECT id FROM {Assignment._meta.db_table} WHERE office_id IN ({_OFFICES})"
_INSPECTIONS = f"SELECT id FROM {Inspection._meta.db_table} WHERE office_id IN ({_OFFICES})"
_RECTIFICATIONS = f"SELECT id FROM {Rectification._meta.db_table} WHERE office_id IN ({_OFFICES})"
_REPORTS = f"SELECT id FROM {ProgressReport._meta.db_table} WHERE assignment_id IN ({_ASSIGNMENTS})"
_ENTRIES = f"SELECT id FROM {ScheduleEntry._meta.db_table} WHERE plan_id IN ({_PLANS})"
_TASKS = f"SELECT id FROM {Task._meta.db_table} WHERE plan_id IN ({_PLANS})"
_SHEETS = f"SELECT id FROM {IndicatorSheet._meta.db_table} WHERE office_id IN ({_OFFICES})"
_ROUNDS = f"SELECT id FROM {EvaluationRound._meta.db_table} WHERE office_id IN ({_OFFICES})"
_PARTICIPANTS = f"SELECT id FROM {Participant._meta.db_table} WHERE round_id IN ({_ROUNDS})"
# The evaluation work's rows: the generated ones by their id ranges, and whatever people added
# to the generated offices' rounds and sheets since.
_EVALUATION = {
    Objection: f"participant_id IN ({_PARTICIPANTS})",
    ResultRevision: f"round_id IN ({_ROUNDS})",
    Score: f"participant_id IN ({_PARTICIPANTS})",
    Participant: f"round_id IN ({_ROUNDS})",
    EvaluationRound: f"office_id IN ({_OFFICES})",
    Indicator: f"sheet_id IN ({_SHEETS})",
    IndicatorSheet: f"office_id IN ({_OFFICES})",
}


def _removals(ranges: dict) -> list:
    """(model, condition) in the order of deletion: what points at a row goes before it."""

    def history(model):
        return model.history.model

    def ranged(model, column="id"):
        first, last = ranges.get(model._meta.label) or (0, -1)
        return f"{column} BETWEEN {int(first)} AND {int(last)}"

    schools = ranged(School, "school_id")
    visits = f"visit_id IN (SELECT id FROM {Visit._meta.db_table} WHERE {schools})"
    findings = f"inspection_id IN ({_INSPECTIONS}) OR {visits}"
    finding_ids = f"SELECT id FROM {Finding._meta.db_table} WHERE {findings}"
    return [
        # The evaluation work first: its scores name inspections, its rounds the offices.
        *((model, f"{ranged(model)} OR {_EVALUATION[model]}") for model in EVALUATION_MODELS),
        # The inspection work next: it points at plans' tasks, obligations and the register.
        (
            Inspection.follows_up.through,
            f"inspection_id IN ({_INSPECTIONS}) OR rectification_id IN ({_RECTIFICATIONS})",
        ),
        (history(Rectification), f"office_id IN ({_OFFICES})"),
        (Rectification, f"office_id IN ({_OFFICES})"),
        (
            history(ChecklistAnswer),
            f"item_id IN (SELECT id FROM {ChecklistItem._meta.db_table} WHERE inspection_id IN ({_INSPECTIONS}))",
        ),
        (
            ChecklistAnswer,
            f"item_id IN (SELECT id FROM {ChecklistItem._meta.db_table} WHERE inspection_id IN ({_INSPECTIONS}))",
        ),
        (FindingFile, f"finding_id IN ({finding_ids})"),
        (history(Finding), f"id IN ({finding_ids})"),
        (Finding, findings),
        (ChecklistItem, f"inspection_id IN ({_INSPECTIONS})"),
        (InspectionMember, f"inspection_id IN ({_INSPECTIONS})"),
        (Inspection.tasks.through, f"inspection_id IN ({_INSPECTIONS})"),
        (Inspection.counties.through, f"inspection_id IN ({_INSPECTIONS})"),
        (Inspection.schools.through, f"inspection_id IN ({_INSPECTIONS})"),
        (history(Inspection), f"office_id IN ({_OFFICES})"),
        (Inspection, f"office_id IN ({_OFFICES})"),
        (history(Visit), schools),
        (Visit, schools),
        (history(ProgressReport), f"assignment_id IN ({_ASSIGNMENTS})"),
        (EvidenceFile, f"report_id IN ({_REPORTS})"),
        (ProgressReport, f"assignment_id IN ({_ASSIGNMENTS})"),
        (history(Assignment), f"office_id IN ({_OFFICES})"),
        (Assignment, f"office_id IN ({_OFFICES})"),
        (PlanCounty, f"plan_id IN ({_PLANS})"),
        (history(EntryTarget), f"entry_id IN ({_ENTRIES})"),
        (EntryTarget, f"entry_id IN ({_ENTRIES})"),
        (history(TaskTarget), f"task_id IN ({_TASKS})"),
        (TaskTarget, f"task_id IN ({_TASKS})"),
        (history(ScheduleEntry), f"plan_id IN ({_PLANS})"),
        (ScheduleEntry, f"plan_id IN ({_PLANS})"),
        (history(Task), f"plan_id IN ({_PLANS})"),
        (Task, f"plan_id IN ({_PLANS})"),
        (history(Project), f"plan_id IN ({_PLANS})"),
        (Project, f"plan_id IN ({_PLANS})"),
        (history(Section), f"plan_id IN ({_PLANS})"),
        (Section, f"plan_id IN ({_PLANS})"),
        (PlanRevision, f"plan_id IN ({_PLANS})"),
        # The audit log of the generated offices' plans and county work.
        (ActionLog, f"office_id IN ({_OFFICES})"),
        (PlanSource, f"plan_id IN ({_PLANS})"),
        (history(WorkPlan), f"office_id IN ({_OFFICES})"),
        (WorkPlan, f"office_id IN ({_OFFICES})"),
        (history(Membership), f"office_id IN ({_OFFICES}) OR user_id IN ({_USERS})"),
        (Membership, f"office_id IN ({_OFFICES}) OR user_id IN ({_USERS})"),
        (OfficeAlias, f"office_id IN ({_OFFICES})"),
        # The register last: the obligations above named its schools.
        (history(VisitRhythm), ranged(VisitRhythm)),
        (VisitRhythm, ranged(VisitRhythm)),
        (ZoneAssignment, schools),
        (history(InspectorZone), ranged(InspectorZone)),
        (InspectorZone, ranged(InspectorZone)),
        (history(Inspector), ranged(Inspector)),
        (Inspector, ranged(Inspector)),
        (history(School), ranged(School)),
        (School, ranged(School)),
    ]


def _ids(cursor, sql: str) -> list[int]:
    cursor.execute(sql)
    return [row[0] for row in cursor.fetchall()]


def _delete_ids(cursor, table: str, column: str, ids: list[int]) -> None:
    for start in range(0, len(ids), 5000):
        chunk = ", ".join(map(str, ids[start : start + 5000]))
        cursor.execute(f'DELETE FROM "{table}" WHERE "{column}" IN ({chunk})')


def _remove(progress) -> dict[str, int]:
    removed = {}
    dataset = demo_dataset_get()
    ranges = dataset.id_ranges if dataset is not None else {}
    with connection.cursor() as cursor:
        office_ids, user_ids = _ids(cursor, _OFFICES), _ids(cursor, _USERS)
        # Reminders about generated assignments go whole, with all their links.
        reminders = _ids(
            cursor,
            f"SELECT DISTINCT reminder_id FROM {Reminder.assignments.through._meta.db_table} WHERE assignment_id IN ({_ASSIGNMENTS})",
        )
        _delete_ids(cursor, Reminder.assignments.through._meta.db_table, "reminder_id", reminders)
        _delete_ids(cursor, Reminder._meta.db_table, "id", reminders)
        removed[Reminder._meta.label] = len(reminders)
        for model, condition in _removals(ranges):
            cursor.execute(f'DELETE FROM "{model._meta.db_table}" WHERE {condition}')
            removed[model._meta.label] = cursor.rowcount
        # What people did with generated offices stays; it no longer points at them.
        cursor.execute(f"UPDATE {Task._meta.db_table} SET lead_office_id = NULL WHERE lead_office_id IN ({_OFFICES})")
        cursor.execute(
            f"UPDATE {Office._meta.db_table} SET parent_id = NULL WHERE parent_id IN ({_OFFICES}) AND id NOT IN ({_OFFICES})"
        )
    # Users through the ORM: their sessions, admin log entries, and the rows that name them
    # (author, actor, history user: SET_NULL) are Django's to follow.
    User = get_user_model()
    for start in range(0, len(user_ids), 2000):
        User.objects.filter(pk__in=user_ids[start : start + 2000]).delete()
    removed[User._meta.label] = len(user_ids)
    with connection.cursor() as cursor:
        for model in (DemoDataset.offices.through, DemoDataset.users.through, DemoDataset):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
        _delete_ids(cursor, Office._meta.db_table, "id", office_ids)
    removed[Office._meta.label] = len(office_ids)
    progress("removed " + ", ".join(f"{n:,} {label}" for label, n in removed.items() if n))
    return removed


@transaction.atomic
def demo_data_remove(*, progress=lambda message: None) -> dict[str, int]:
    """Remove the generated data, and nothing else."""
    _lock(_TOUCHED + BULK_MODELS)
    with constraints_deferred(BULK_MODELS):
        return _remove(progress)
