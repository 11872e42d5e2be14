"""The kinds of county obligation (Assignment.kind): what each one needs said of it.

Every kind shares the portal, the reports and their evidence, the review, the reminders, the
urgency rule and the dashboards; those read an obligation's `office`, `year`, `kind` and the
kind's entry here, never the fields of one kind. A kind tells them:

- its label (计划任务, 整改事项, …);
- its source: what the portal groups its obligations under and the reminders name (for plan
  work the plan's title; the obligation's own label already names the task and calendar line),
  the source's page, and how a form names one source (the portal's "acknowledge all of …");
- what the assignment page shows of what it concerns (a template, and what it reads for it);
- which reports it takes (the progress a county may report, whether evidence is required);
- what it needs loaded with a list of its obligations (select_related / prefetch_related);
- which of its obligations are live for the reminders, and its due date by the rules after
  the official calendar changes, when it has a rule.

Plan work is registered below. Another kind registers itself from its app, e.g.::

    kind_register(
        ObligationKind(key="rectification", label=_("Rectification item"), evidence_required=True)
    )

with `Assignment.Kind` and the `assignment_kind_valid` constraint widened by its migration;
its obligations are written by `tracking.services.assignments.obligations_issue`. A kind whose
subject is a model row needs nothing more: by default its source is that row (`subject`).
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, QuerySet, prefetch_related_objects
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from plans.models import ScheduleEntry, WorkPlan
from supervision.lookups import InArray
from supervision.prepared import Prepared, PreparedPrefetch
from tracking.models import Assignment, ProgressReport

PLAN_WORK = Assignment.Kind.PLAN_WORK


def _subject_source(assignment: Assignment) -> Hashable:
    return (assignment.subject_type_id, assignment.subject_id)


def _subject_label(assignment: Assignment) -> str:
    return str(assignment.subject) if assignment.subject is not None else ""


def _subject_url(assignment: Assignment) -> str | None:
    get_url = getattr(assignment.subject, "get_absolute_url", None)
    return get_url() if get_url is not None else None


def _subject_key(assignment: Assignment) -> str:
    return f"{assignment.subject_type_id}-{assignment.subject_id}"


def _subject_q(value: str) -> Q | None:
    type_id, _dash, subject_id = (value or "").partition("-")
    if not (_is_id(type_id) and _is_id(subject_id)):
        return None
    return Q(subject_type_id=int(type_id), subject_id=int(subject_id))


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= 18


@dataclass(frozen=True)
class ObligationKind:
    key: str
    label: str | Promise
    # The source of an obligation: a key to group by, its name, its page (or None).
    source: Callable[[Assignment], Hashable] = _subject_source
    source_label: Callable[[Assignment], str] = _subject_label
    source_url: Callable[[Assignment], str | None] = _subject_url
    # A source as a form posts it (source_value), and the obligations of one posted (None:
    # not a source of this kind).
    source_value: Callable[[Assignment], str] = _subject_key
    source_q: Callable[[str], Q | None] = _subject_q
    # Which reports it takes.
    progress: tuple[str, ...] = tuple(ProgressReport.Progress.values)
    evidence_required: bool = False
    # What a list of its obligations loads with them.
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ("subject",)
    # The assignment page: a template shown under the facts, and what it reads for it.
    detail_template: str = ""
    detail_load: Callable[[Assignment], None] | None = None
    # Which of its open obligations the reminders go out for (None: all of them).
    live: Q | None = None
    # Its due date by the rules on a calendar (tracking.services.assignments.DueDate), or None
    # when it has no rule to follow: the due date stays as issued.
    due_by_rule: Callable[..., object] | None = None
    # Its label shown beside each obligation in lists that mix kinds (plan work goes without).
    badge: bool = True
    # Why a done report may not close it yet (None: it may), asked before a review accepts one
    # (e.g. a 整改 item that closes only after a follow-up check).
    close_check: Callable[[Assignment], str | None] | None = None
    # Listed in the county's portal beside its plan work (a kind with its own pages, owed in
    # hundreds per county, such as school visits, is not).
    portal: bool = True

    def progress_choices(self) -> list[tuple[str, str]]:
        return [(value, label) for value, label in ProgressReport.Progress.choices if value in self.progress]


_kinds: dict[str, ObligationKind] = {}
# A new object whenever a kind comes or goes: the part of a prepared read's shape
# (supervision.prepared) that the kinds decide.
_version = object()


def kind_register(kind: ObligationKind) -> ObligationKind:
    """Make `kind` known to the portal, the reports, the reminders and the dashboards."""
    global _version
    _kinds[kind.key] = kind
    _version = object()
    return kind


def kind_unregister(key: str) -> None:
    """Forget a kind (for tests that register one of their own)."""
    if key == PLAN_WORK:
        raise ValueError("Plan work is tracking's own kind.")
    global _version
    _kinds.pop(key, None)
    _version = object()


def kinds_version() -> object:
    """Which kinds are registered, as a value that changes when they do."""
    return _version


def kind_get(key: str) -> ObligationKind | None:
    return _kinds.get(key)


def kind_of(assignment: Assignment) -> ObligationKind:
    kind = _kinds.get(assignment.kind)
    if kind is None:
        raise LookupError(f"No obligation kind {assignment.kind!r} is registered.")
    return kind


def kinds() -> list[ObligationKind]:
    return list(_kinds.values())


def obligations_loaded(
    queryset: QuerySet, *, related: tuple[str, ...] = (), through: str = "", prefetch: bool = True
) -> QuerySet:
    """`queryset` with what every kind's source needs read with its obligations, besides
    `related`; `through`: the path to the obligation when `queryset` is not of obligations
    ("assignment" for reports). One query for the list whatever the kinds: plan work joins
    its plan; a kind with subjects adds one query per type of subject listed. Without
    `prefetch`, the subjects are left to `obligations_prefetched` (for lists read apart)."""
    prefix = f"{through}__" if through else ""
    select = dict.fromkeys(related)
    for kind in _kinds.values():
        select.update(dict.fromkeys(prefix + name for name in kind.select_related))
    # Never select_related() with no names: that would follow every foreign key.
    if select:
        queryset = queryset.select_related(*select)
    names = _prefetched(prefix) if prefetch else ()
    return queryset.prefetch_related(*names) if names else queryset


_joined_reads: dict[tuple, PreparedPrefetch] = {}


def obligations_joined_after(assignments: list[Assignment], *, only: dict[str, tuple[str, ...]] | None = None) -> None:
    """What `obligations_loaded` joins for the kinds (their select_related), read after the
    obligations by their ids, one query a relation: for a list whose query PostgreSQL would
    otherwise join by hashing a whole table (a few rows out of many counted first). `only`: the
    fields a list shows of a relation (by its name), the rest left unread."""
    if not assignments:
        return
    for name in dict.fromkeys(name for kind in _kinds.values() for name in kind.select_related):
        fields = (only or {}).get(name, ())
        read = _joined_reads.get((name, fields))
        if read is None:
            related = _related_model(name)
            queryset = related._base_manager.only(*fields) if fields else None
            read = _joined_reads.setdefault((name, fields), PreparedPrefetch(name, queryset))
        read.run(assignments)


def _related_model(path: str):
    model = Assignment
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def obligations_prefetched(assignments: list[Assignment]) -> None:
    """Read the subjects of obligations read by `obligations_loaded(prefetch=False)`: one query
    per type of subject among them all, however many lists they come from."""
    names = _prefetched("")
    if not names or not assignments:
        return
    if names == ["subject"]:
        _subjects_prefetched(assignments)
    else:
        prefetch_related_objects(assignments, *names)


def _subjects(*, model, ids: list[int]) -> QuerySet:
    # As GenericForeignKey's prefetch reads them: the model's base manager, by primary key.
    return model._base_manager.filter(InArray(F("pk"), ids)).order_by()


# Compiled once a process for each type of subject: the portal reads them on every visit.
_subjects_read = Prepared(_subjects)


def _subjects_prefetched(assignments: list[Assignment]) -> None:
    """What prefetch_related_objects(assignments, "subject") does, each type's read prepared:
    every obligation's subject cached, None for one without (plan work) or whose row is gone."""
    wanted: dict[int, set[int]] = {}
    for assignment in assignments:
        if assignment.subject_type_id is not None and assignment.subject_id is not None:
            wanted.setdefault(assignment.subject_type_id, set()).add(assignment.subject_id)
    found: dict[tuple[int, int], object] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is not None:
            for subject in _subjects_read(model=model, ids=sorted(ids)):
                found[type_id, subject.pk] = subject
    field = Assignment._meta.get_field("subject")
    for assignment in assignments:
        field.set_cached_value(assignment, found.get((assignment.subject_type_id, assignment.subject_id)))


def _prefetched(prefix: str) -> list[str]:
    return list(dict.fromkeys(prefix + name for kind in _kinds.values() for name in kind.prefetch_related))


def live_q() -> Q:
    """The obligations the reminders go out for: each kind's live ones, of the kinds the
    county's portal lists (a reminder names work the county finds there)."""
    found = Q(pk__in=[])
    for kind in _kinds.values():
        if kind.portal:
            found |= Q(kind=kind.key) & (kind.live if kind.live is not None else Q())
    return found


def portal_q() -> Q:
    """The obligations of the kinds the county's portal lists (and the county acknowledges)."""
    return Q(kind__in=sorted(kind.key for kind in _kinds.values() if kind.portal))


def source_q(kind_key: str, value: str) -> Q | None:
    """The obligations of one source, as a form posts it, or None when it names none."""
    kind = _kinds.get(kind_key or "")
    if kind is None:
        return None
    found = kind.source_q(value or "")
    return None if found is None else Q(kind=kind.key) & found


# --- Plan work ---------------------------------------------------------------------------------


def _plan_q(value: str) -> Q | None:
    return Q(plan_id=int(value)) if _is_id(value) else None


# Compiled once a process: an assignment's page shows its task's calendar lines.
_task_lines_read = Prepared(lambda *, task_id: ScheduleEntry.objects.filter(task_id=task_id).order_by("position"))


def _task_lines(assignment: Assignment) -> None:
    assignment.task_lines = _task_lines_read(task_id=assignment.task_id) if assignment.task_id else []


def _plan_due_by_rule(assignment: Assignment, *, calendar) -> object:
    from tracking.services.assignments import assignment_due_by_rule

    return assignment_due_by_rule(assignment, calendar=calendar)


kind_register(
    ObligationKind(
        key=PLAN_WORK,
        label=_("Plan work"),
        source=lambda a: a.plan_id,
        source_label=lambda a: a.plan.title,
        source_url=lambda a: a.plan.get_absolute_url(),
        source_value=lambda a: str(a.plan_id),
        source_q=_plan_q,
        select_related=("plan",),
        prefetch_related=(),
        detail_template="tracking/_plan_work.html",
        detail_load=_task_lines,
        # An archived plan's work is no longer chased.
        live=Q(plan__status=WorkPlan.Status.PUBLISHED),
        due_by_rule=_plan_due_by_rule,
        badge=False,
    )
)
