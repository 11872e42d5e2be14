"""Writes to an inspection (督导检查): its facts, plan tasks, counties, schools and team, and its
course from preparation to closing, each in one transaction with one audit event.

Moving an inspection to its 自查自评 stage issues the counties' self-assessment obligations
through tracking (obligations_issue), which leaves what a county already owes as it is: a
county added later is asked on the inspection's next save, never twice."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.services import log_action
from inspections import actions
from inspections.models import ChecklistItem, Inspection, InspectionMember, Inspector
from inspections.selectors import office_counties, office_plan_tasks, self_assessments
from inspections.services.checklists import checklist_items_for
from organisation.models import County
from supervision.history import acting_as
from tracking.models import Assignment
from tracking.services.assignments import obligations_issue

Status = Inspection.Status

error_messages = {
    "closed": _("A closed inspection is no longer changed."),
    "office_changed": _("An inspection stays with the office that created it."),
    "task_office": _("Task %(task)s is not a task of this office's published plans of %(year)s."),
    "county_region": _("%(county)s is not a county this office inspects."),
    "school_county": _("%(school)s is not a school of the counties chosen."),
    "one_leader": _("An inspection has one leader."),
    "member_name": _("Each team member needs a name."),
    "inspector_inactive": _("%(name)s is no longer an active inspector."),
    "due_fixed": _(
        "The counties have been asked for their self-assessment: move a county's due date on its obligation instead."
    ),
    "county_owes": _("%(county)s has already been asked for its self-assessment and stays on the inspection."),
    "move_refused": _("An inspection at the stage “%(status)s” does not move to “%(to)s”."),
    "no_due": _("Set the date the self-assessment is due before asking the counties for it."),
    "due_asked": _("This inspection asks the counties for a self-assessment: ask for it before going on site."),
    "no_counties": _("Choose the counties the inspection visits before asking them for their self-assessment."),
    "no_checklist": _("The checklist is empty: the counties would have nothing to answer."),
}

# Each stage and the stages it moves on to (《教育督导条例》第二十–二十二条).
MOVES: dict[str, tuple[str, ...]] = {
    Status.PREPARING: (Status.SELF_ASSESSMENT, Status.ON_SITE),
    Status.SELF_ASSESSMENT: (Status.ON_SITE,),
    Status.ON_SITE: (Status.RECTIFICATION,),
    Status.RECTIFICATION: (Status.CLOSED,),
    Status.CLOSED: (),
}


def _error(code: str, field: str | None = None, **params) -> ValidationError:
    error = ValidationError(error_messages[code], code=code, params=params)
    return ValidationError({field: error}) if field else error


@dataclass(frozen=True)
class MemberData:
    """A member of the team as a form gives it."""

    role: str
    name: str
    unit: str = ""
    inspector: Inspector | None = None
    user: object = None


def _check_links(inspection: Inspection, *, tasks, counties, schools, before: dict | None) -> None:
    old_tasks = set(before["tasks"]) if before else set()
    new_tasks = [task for task in tasks if task.pk not in old_tasks]
    if new_tasks:
        allowed = set(
            office_plan_tasks(inspection.office, year=inspection.year)
            .filter(pk__in=[task.pk for task in new_tasks])
            .values_list("pk", flat=True)
        )
        for task in new_tasks:
            if task.pk not in allowed:
                raise _error("task_office", "tasks", task=task.number, year=inspection.year)
    old_counties = set(before["counties"]) if before else set()
    new_counties = [county for county in counties if county.pk not in old_counties]
    if new_counties:
        allowed = set(
            office_counties(inspection.office)
            .filter(pk__in=[county.pk for county in new_counties])
            .values_list("pk", flat=True)
        )
        for county in new_counties:
            if county.pk not in allowed:
                raise _error("county_region", "counties", county=county.name)
    county_ids = {county.pk for county in counties}
    for school in schools:
        if school.county_id not in county_ids:
            raise _error("school_county", "schools", school=school.name)


def _check_team(team: list[MemberData]) -> None:
    if sum(1 for member in team if member.role == InspectionMember.Role.LEADER) > 1:
        raise _error("one_leader", "team")
    for member in team:
        if not member.name.strip():
            raise _error("member_name", "team")
        if member.inspector is not None and not member.inspector.is_active:
            raise _error("inspector_inactive", "team", name=member.inspector.name)


def _team_set(inspection: Inspection, team: list[MemberData]) -> bool:
    """Replace the team; True when it changed."""
    rows = [
        (m.role, m.name.strip(), m.unit.strip(), getattr(m.inspector, "pk", None), getattr(m.user, "pk", None))
        for m in team
    ]
    current = list(inspection.team.order_by("pk").values_list("role", "name", "unit", "inspector_id", "user_id"))
    if current == rows:
        return False
    inspection.team.all().delete()
    InspectionMember.objects.bulk_create(
        [
            InspectionMember(
                inspection=inspection, role=role, name=name, unit=unit, inspector_id=inspector, user_id=user
            )
            for role, name, unit, inspector, user in rows
        ],
        batch_size=500,
    )
    return True


_FACTS = ("kind", "title", "description", "starts_on", "ends_on", "self_assessment_due")


def _links_of(inspection: Inspection) -> dict:
    return {
        "tasks": sorted(inspection.tasks.values_list("pk", flat=True)),
        "counties": sorted(inspection.counties.values_list("pk", flat=True)),
        "schools": sorted(inspection.schools.values_list("pk", flat=True)),
    }


@transaction.atomic
def inspection_save(
    *, inspection: Inspection, tasks, counties, schools, team: list[MemberData], acting_user
) -> Inspection:
    """Create `inspection` (its checklist copied from the office's template of its kind, or
    the default one) or save the changes made to it, with its plan tasks, counties, schools
    and team."""
    tasks, counties, schools = list(tasks), list(counties), list(schools)
    creating = inspection.pk is None
    before = None
    if not creating:
        saved = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if saved.status == Status.CLOSED:
            raise _error("closed")
        if saved.office_id != inspection.office_id:
            raise _error("office_changed", "office")
        inspection.status, inspection.closed_at = saved.status, saved.closed_at
        before = {name: getattr(saved, name) for name in _FACTS} | _links_of(saved)
    inspection.year = inspection.starts_on.year if inspection.starts_on else None
    inspection.full_clean(exclude=["tasks", "counties", "schools", "created_by"])
    _check_links(inspection, tasks=tasks, counties=counties, schools=schools, before=before)
    _check_team(team)
    asked = {} if creating else dict(self_assessments(inspection).values_list("county_id", "pk"))
    if asked:
        if inspection.self_assessment_due != before["self_assessment_due"]:
            raise _error("due_fixed", "self_assessment_due")
        kept = {county.pk for county in counties}
        for county in County.objects.filter(pk__in=set(asked) - kept).order_by("code"):
            raise _error("county_owes", "counties", county=county.name)
    if creating:
        inspection.created_by = acting_user if getattr(acting_user, "pk", None) else None
    with acting_as(acting_user):
        inspection.save()
    inspection.tasks.set(tasks)
    inspection.counties.set(counties)
    inspection.schools.set(schools)
    team_changed = _team_set(inspection, team)
    if creating:
        template_name, items = checklist_items_for(office=inspection.office, kind=inspection.kind)
        ChecklistItem.objects.bulk_create(
            [
                ChecklistItem(
                    inspection=inspection,
                    position=number,
                    section=item.section,
                    title=item.title,
                    guidance=item.guidance,
                    evidence=item.evidence,
                )
                for number, item in enumerate(items, start=1)
            ],
            batch_size=500,
        )
        log_action(
            inspection,
            actions.INSPECTION_CREATED,
            user=acting_user,
            office=inspection.office,
            data={"title": inspection.title, "kind": inspection.kind, "checklist": template_name, "items": len(items)},
        )
        return inspection
    after = {name: getattr(inspection, name) for name in _FACTS} | _links_of(inspection)
    changed = sorted(name for name in after if after[name] != before[name])
    if team_changed:
        changed.append("team")
    if changed:
        log_action(
            inspection, actions.INSPECTION_CHANGED, user=acting_user, office=inspection.office, data={"fields": changed}
        )
    if inspection.status == Status.SELF_ASSESSMENT:
        _self_assessments_issue(inspection, acting_user=acting_user)
    return inspection


def _self_assessments_issue(inspection: Inspection, *, acting_user) -> list[Assignment]:
    return obligations_issue(
        kind=Assignment.Kind.SELF_ASSESSMENT,
        subject=inspection,
        office=inspection.office,
        year=inspection.year,
        counties=list(inspection.counties.all()),
        label=gettext("Self-assessment: %(title)s") % {"title": inspection.title},
        due_date=inspection.self_assessment_due,
        acting_user=acting_user,
    )


def inspection_moves(inspection: Inspection) -> list[str]:
    """The stages `inspection` may move on to now (the detail page's buttons)."""
    moves = list(MOVES[inspection.status])
    if inspection.status == Status.PREPARING:
        # With a self-assessment asked it comes first; without one the team goes on site.
        moves.remove(Status.ON_SITE if inspection.self_assessment_due else Status.SELF_ASSESSMENT)
    return moves


@transaction.atomic
def inspection_move(*, inspection: Inspection, to: str, acting_user) -> Inspection:
    """Move `inspection` on to the stage `to`: to 自查自评 (the counties are asked, each one
    obligation), on site, feedback and 整改, closed."""
    inspection = Inspection.objects.select_for_update().select_related("office").get(pk=inspection.pk)
    status = inspection.status
    labels = dict(Status.choices)
    if to not in MOVES.get(status, ()):
        raise _error("move_refused", status=labels.get(status, status), to=labels.get(to, to))
    if status == Status.PREPARING and to == Status.ON_SITE and inspection.self_assessment_due:
        raise _error("due_asked")
    if to == Status.SELF_ASSESSMENT:
        if not inspection.self_assessment_due:
            raise _error("no_due")
        if not inspection.counties.exists():
            raise _error("no_counties")
        if not inspection.checklist.exists():
            raise _error("no_checklist")
    inspection.status = to
    fields = ["status"]
    if to == Status.CLOSED:
        inspection.closed_at = timezone.now()
        fields.append("closed_at")
    with acting_as(acting_user):
        inspection.save(update_fields=fields)
    data = {"from": status, "to": to}
    if to == Status.SELF_ASSESSMENT:
        data["asked"] = len(_self_assessments_issue(inspection, acting_user=acting_user))
    log_action(inspection, actions.INSPECTION_MOVED, user=acting_user, office=inspection.office, data=data)
    return inspection
