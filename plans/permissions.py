"""Who may do what with plans: the plan rules, on the membership predicates of organisation.access
(the county side's rules are in tracking.permissions).

Roles are scoped by office (Membership): an editor drafts and edits the office's plans, a
reviewer (the office head) also approves, publishes and returns them, a viewer reads them, and
a county office reads the issued plans that give its county something to do. Superusers are
the administrators; Django's `is_staff` only opens the admin door (and the admin lets only
superusers in).

- Staff (any bureau role) read their own office's plans in every state, and the issued
  (published or archived) plans of every office. Drafts, plans in review, draft revisions,
  import sources and warnings, history and the lifecycle log stay inside the issuing office.
- A county office reads only issued plans that name its county (the plan → county index).
- Tracking (dashboards, assignments, reports) stays inside the issuing office, except that a
  provincial office's staff see, in figures, how the city offices of their province are doing.
- A signed-in user without a membership reads nothing.

The rules are `rules` predicates for one object (views, templates with {% has_perm %}, the
admin), one permission per action, and, for lists, the same rules as a query
(`visible_plans_q`, `copyable_plans_q`, `counties_shown_to`): views, forms and selectors narrow a
list only through these.
"""

from dataclasses import dataclass

import rules
from django.db.models import Exists, F, OuterRef, Q

from organisation.access import (
    access_for,
    edits_in_office,
    edits_somewhere,
    is_admin,
    is_bureau_staff,
    is_own_county,
    waiting_register,
)
from organisation.models import Membership
from plans.models import PlanCounty, WorkPlan
from plans.transitions import TRANSITIONS, Transition
from supervision.lookups import InArray
from supervision.prepared import Prepared

Role = Membership.Role


def visible_plans_q(user) -> Q | None:
    """The plans `user` may read, as a filter on WorkPlan; None for every plan (admins)."""
    return readable_plans_q(**plan_reader(user))


def plan_reader(user) -> dict:
    """What of `user` decides which plans they read, as `readable_plans_q` takes it (and a
    prepared read, supervision.prepared: a bool and two lists)."""
    access = access_for(user)
    return {"everyone": access.superuser, "office_ids": sorted(access.offices), "county_ids": sorted(access.counties)}


def readable_plans_q(*, everyone: bool, office_ids: list[int], county_ids: list[int]) -> Q | None:
    """`visible_plans_q` of a `plan_reader`."""
    if everyone:
        return None
    q = Q(pk__in=[])
    if office_ids:
        q |= InArray(F("office_id"), office_ids) | Q(status__in=WorkPlan.ISSUED)
    if county_ids:
        names_county = Exists(PlanCounty.objects.filter(InArray(F("county_id"), county_ids), plan=OuterRef("pk")))
        q |= Q(status__in=WorkPlan.ISSUED) & names_county
    return q


def copyable_plans_q(user) -> Q | None:
    """The plans `user` may copy into a new year (the permission plans.copy_workplan as a query):
    those of the offices where they edit; None for every plan (admins)."""
    offices = copyable_office_ids(user)
    return None if offices is None else Q(office_id__in=offices)


def copyable_office_ids(user) -> list[int] | None:
    """The offices whose plans `user` may copy: where they edit; None for every office (admins)."""
    access = access_for(user)
    return None if access.superuser else list(access.editing_offices)


def counties_shown_to(user) -> frozenset[int] | None:
    """The counties whose part of a plan (tasks, calendar lines, county lists) `user` is shown:
    a county office's own; None for every county (staff and administrators)."""
    access = access_for(user)
    return access.counties if access.is_county_only else None


def counties_readable_q(user) -> Q | None:
    """The counties whose pages `user` reads (plans.view_county as a query), as a filter on
    County: a county office's own; None for all of them (bureau staff and administrators)."""
    access = access_for(user)
    if access.superuser or access.is_bureau_staff:
        return None
    return Q(pk__in=sorted(access.counties))


def _naming_counties(*, plan_id: int, county_ids: list[int]):
    named = PlanCounty.objects.filter(InArray(F("county_id"), county_ids), plan_id=plan_id)
    return named.values_list("pk", flat=True)[:1]


# Compiled once a process: a county user's every page of a plan asks it.
_naming_counties_read = Prepared(_naming_counties)


def plan_note_viewer_county(*, plan: WorkPlan | None, user) -> None:
    """Note on `plan` whether it names one of `user`'s counties, for the checks of this request
    (plan_names_users_county) to read instead of asking the plan → county index each time."""
    counties = access_for(user).counties
    if plan is not None and counties:
        plan.names_viewer_county = bool(_naming_counties_read(plan_id=plan.pk, county_ids=sorted(counties)))


# --- Predicates --------------------------------------------------------------------------------


@rules.predicate
def in_plan_office(user, plan) -> bool:
    return plan is not None and plan.office_id in access_for(user).offices


@rules.predicate
def edits_in_plan_office(user, plan) -> bool:
    return plan is not None and access_for(user).offices.get(plan.office_id) in Membership.EDITING_ROLES


@rules.predicate
def reviews_in_plan_office(user, plan) -> bool:
    return plan is not None and access_for(user).offices.get(plan.office_id) == Role.REVIEWER


@rules.predicate
def reviews_in_office(user, office) -> bool:
    return office is not None and access_for(user).offices.get(office.pk) == Role.REVIEWER


@rules.predicate
def plan_is_issued(user, plan) -> bool:
    return plan is not None and plan.status in WorkPlan.ISSUED


@rules.predicate
def plan_names_users_county(user, plan) -> bool:
    counties = access_for(user).counties
    if plan is None or not counties:
        return False
    named = getattr(plan, "names_viewer_county", None)
    if named is not None:
        return named  # annotated by the selector that read the plan
    return PlanCounty.objects.filter(plan=plan, county_id__in=sorted(counties)).exists()


@rules.predicate
def sends_work_to_county(user, county) -> bool:
    """An editor or reviewer of an office whose issued plans give `county` work."""
    editing = access_for(user).editing_offices
    return (
        county is not None
        and bool(editing)
        and PlanCounty.objects.filter(
            county=county, plan__office_id__in=editing, plan__status__in=WorkPlan.ISSUED
        ).exists()
    )


# Reading
rules.add_perm(
    "plans.view_workplan",
    is_admin | in_plan_office | (plan_is_issued & is_bureau_staff) | (plan_is_issued & plan_names_users_county),
)
# The import source and warnings, the edit history and the lifecycle log of a plan.
rules.add_perm("plans.view_plan_internals", is_admin | in_plan_office)
# Roles on a plan, one permission per action (the same roles for several today); what its
# state allows is added by the transition rules below and checked again by
# plans.services.lifecycle.
_PLAN_ROLES = {
    # Editing a draft's content: the edit page and its spreadsheet.
    "plans.change_workplan": is_admin | edits_in_plan_office,
    "plans.submit_workplan": is_admin | edits_in_plan_office,
    "plans.discard_workplan": is_admin | edits_in_plan_office,
    "plans.revise_workplan": is_admin | edits_in_plan_office,
    # Copying a plan into a new year, as a draft of its office (copyable_plans_q lists them).
    "plans.copy_workplan": is_admin | edits_in_plan_office,
    # Publishing or returning a plan in review (and the publish preview before it).
    "plans.review_workplan": is_admin | reviews_in_plan_office,
    "plans.archive_workplan": is_admin | reviews_in_plan_office,
}
for _name, _predicate in _PLAN_ROLES.items():
    rules.add_perm(_name, _predicate)


def _state_allows(transition: Transition):
    @rules.predicate(name=f"state_allows_{transition.name}")
    def allows(user, plan) -> bool:
        return plan is not None and transition.allows(plan)

    return allows


# Each transition of the table (plans.transitions): its permission and what the plan's state
# allows. Rules, not permissions: Django answers every permission of a superuser with yes,
# whatever the state.
for _transition in TRANSITIONS.values():
    rules.add_rule(_transition.rule, _PLAN_ROLES[_transition.permission] & _state_allows(_transition))
# Importing a notice (for an office where the user edits).
rules.add_perm("plans.import_workplan", is_admin | edits_somewhere)
rules.add_perm("plans.import_for_office", is_admin | edits_in_office)
# Importing notices as issued (a batch import's option): whoever publishes the office's plans.
rules.add_perm("plans.import_published_for_office", is_admin | reviews_in_office)
# Starting a plan in the browser (blank or copied) for an office where the user edits.
rules.add_perm("plans.add_workplan", is_admin | edits_somewhere)
rules.add_perm("plans.add_workplan_for_office", is_admin | edits_in_office)
# Counties: staff read any county's page; a county office reads its own.
rules.add_perm("plans.view_county", is_admin | is_bureau_staff | is_own_county)
# A county office's contacts (whom reminders reach): read where the county's page is read;
# kept by the county itself and by the offices that send it work.
rules.add_perm("plans.view_county_contact", is_admin | is_bureau_staff | is_own_county)
rules.add_perm("plans.change_county_contact", is_admin | is_own_county | sends_work_to_county)
# The audit of what one user did.
rules.add_perm("plans.view_audit", is_admin)


def _plans_in_review_sql() -> str:
    return (
        f"SELECT COUNT(*) FROM {WorkPlan._meta.db_table} p2 WHERE p2.status = '{WorkPlan.Status.IN_REVIEW}'"
        " AND p2.office_id = m.office_id"
    )


# The menu's 待办: plans in review, for the office's reviewers.
waiting_register(roles=[Role.REVIEWER], sql=_plans_in_review_sql)


@dataclass(frozen=True)
class PlanActions:
    """What `user` may do to `plan` now: their role and the plan's state together."""

    edit: bool = False
    submit: bool = False
    review: bool = False  # publish or return
    revise: bool = False
    archive: bool = False
    discard: bool = False
    internals: bool = False
    copy: bool = False  # into a new year, as a draft

    @property
    def any_transition(self) -> bool:
        return self.submit or self.review or self.revise or self.archive or self.discard


def plan_actions(user, plan: WorkPlan, *, has_open_revision: bool = False) -> PlanActions:
    can_change = user.has_perm("plans.change_workplan", plan)
    allowed = {
        name: rules.test_rule(transition.rule, user, plan)
        and transition.allows(plan, has_open_revision=has_open_revision)
        for name, transition in TRANSITIONS.items()
    }
    return PlanActions(
        edit=can_change and plan.status == WorkPlan.Status.DRAFT,
        submit=allowed["submit"],
        review=allowed["publish"] or allowed["return"],
        revise=allowed["revise"],
        archive=allowed["archive"],
        discard=allowed["discard"],
        internals=user.has_perm("plans.view_plan_internals", plan),
        copy=user.has_perm("plans.copy_workplan", plan) and plan.revision_of_id is None,
    )
