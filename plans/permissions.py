"""Who may do what: the one place the rules live.

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
admin) and, for lists, `visible_plans_q` — the same rules as a query.
"""

import functools
from dataclasses import dataclass, field

import rules
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from plans.models import Assignment, Membership, Office, PlanCounty, ProgressReport, WorkPlan
from plans.transitions import TRANSITIONS, Transition

Role = Membership.Role


@dataclass(frozen=True)
class Access:
    """A user's memberships, read once per request."""

    superuser: bool = False
    # office id → bureau role (editor, reviewer, viewer)
    offices: dict[int, str] = field(default_factory=dict)
    # the counties whose offices the user works for
    counties: frozenset[int] = frozenset()
    # office ids of those county offices
    county_offices: frozenset[int] = frozenset()
    # the provinces (Region ids) whose provincial offices the user has a bureau role in
    provinces: frozenset[int] = frozenset()
    # What waits for the user (the inbox's count in the menu): plans in review where they
    # publish, reports awaiting review where they review (not their own).
    inbox: int = 0

    @property
    def is_member(self) -> bool:
        return self.superuser or bool(self.offices) or bool(self.counties)

    @property
    def is_bureau_staff(self) -> bool:
        return bool(self.offices)

    @property
    def is_county_only(self) -> bool:
        """A county office's user with no bureau role anywhere (and not an admin)."""
        return bool(self.counties) and not self.offices and not self.superuser

    def offices_with(self, *roles) -> list[int]:
        return sorted(office for office, role in self.offices.items() if role in roles)

    @property
    def editing_offices(self) -> list[int]:
        return self.offices_with(*Membership.EDITING_ROLES)


_NOBODY = Access()
_CACHE = "_plans_access"


def access_for(user) -> Access:
    """The user's Access, read in one query and kept on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return _NOBODY
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    offices, counties, county_offices, provinces = {}, set(), set(), set()
    inbox = 0
    with connection.cursor() as cursor:
        cursor.execute(_memberships_sql(), {"user": user.pk})
        rows = cursor.fetchall()
    for office_id, role, county_id, level, region_id, waiting in rows:
        inbox += waiting or 0
        if role == Role.COUNTY:
            if county_id is not None:
                counties.add(county_id)
                county_offices.add(office_id)
        else:
            offices[office_id] = role
            if level == Office.Level.PROVINCE and region_id is not None:
                provinces.add(region_id)
    access = Access(
        superuser=user.is_superuser,
        offices=offices,
        counties=frozenset(counties),
        county_offices=frozenset(county_offices),
        provinces=frozenset(provinces),
        inbox=inbox,
    )
    setattr(user, _CACHE, access)
    return access


@functools.cache
def _memberships_sql() -> str:
    """The user's memberships with their offices, and per membership what waits in that office
    for the user (the menu's 待办 count on every page, so inside the one query every page makes
    anyway): reports awaiting review that others sent, for editors and reviewers, and plans in
    review, for reviewers. Written as SQL because Django took 4–5 ms to compile the same query
    with its CASE and subqueries on each request, four times the query itself."""
    membership, office = Membership._meta.db_table, Office._meta.db_table
    report, assignment, plan = ProgressReport._meta.db_table, Assignment._meta.db_table, WorkPlan._meta.db_table
    reports = (
        f"(SELECT COUNT(*) FROM {report} r JOIN {assignment} a ON a.id = r.assignment_id"
        f" JOIN {plan} p ON p.id = a.plan_id WHERE r.review = '{ProgressReport.Review.PENDING}'"
        " AND p.office_id = m.office_id AND (r.author_id IS NULL OR r.author_id <> %(user)s))"
    )
    in_review = (
        f"(SELECT COUNT(*) FROM {plan} p2 WHERE p2.status = '{WorkPlan.Status.IN_REVIEW}'"
        " AND p2.office_id = m.office_id)"
    )
    return (
        "SELECT m.office_id, m.role, o.county_id, o.level, o.region_id,"
        f" CASE m.role WHEN '{Role.REVIEWER}' THEN {reports} + {in_review}"
        f" WHEN '{Role.EDITOR}' THEN {reports} ELSE 0 END"
        f" FROM {membership} m JOIN {office} o ON o.id = m.office_id WHERE m.user_id = %(user)s"
    )


def access_forget(user) -> None:
    """Forget the cached Access (after the user's memberships change)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def visible_plans_q(user) -> Q | None:
    """The plans `user` may read, as a filter on WorkPlan; None for every plan (admins)."""
    access = access_for(user)
    if access.superuser:
        return None
    q = Q(pk__in=[])
    if access.offices:
        q |= Q(office_id__in=list(access.offices)) | Q(status__in=WorkPlan.ISSUED)
    if access.counties:
        names_county = Exists(PlanCounty.objects.filter(plan=OuterRef("pk"), county_id__in=sorted(access.counties)))
        q |= Q(status__in=WorkPlan.ISSUED) & names_county
    return q


# --- Predicates --------------------------------------------------------------------------------


@rules.predicate
def is_member(user) -> bool:
    return access_for(user).is_member


@rules.predicate
def is_bureau_staff(user) -> bool:
    return access_for(user).is_bureau_staff


@rules.predicate
def edits_somewhere(user) -> bool:
    return bool(access_for(user).editing_offices)


@rules.predicate
def is_county_user(user) -> bool:
    return bool(access_for(user).counties)


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
def in_office(user, office) -> bool:
    return office is not None and office.pk in access_for(user).offices


@rules.predicate
def edits_in_office(user, office) -> bool:
    return office is not None and office.pk in access_for(user).editing_offices


@rules.predicate
def oversees_province(user, region) -> bool:
    """Staff of a provincial office, over the province it covers."""
    return region is not None and region.pk in access_for(user).provinces


@rules.predicate
def is_own_county(user, county) -> bool:
    return county is not None and county.pk in access_for(user).counties


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


# An inactive user has no permission (Django's rule), superuser or not.
@rules.predicate
def is_assignments_county(user, assignment) -> bool:
    return assignment is not None and assignment.county_id in access_for(user).counties


@rules.predicate
def in_assignments_office(user, assignment) -> bool:
    return assignment is not None and assignment.plan.office_id in access_for(user).offices


@rules.predicate
def edits_in_assignments_office(user, assignment) -> bool:
    return assignment is not None and assignment.plan.office_id in access_for(user).editing_offices


@rules.predicate
def edits_in_reports_office(user, report) -> bool:
    return report is not None and report.assignment.plan.office_id in access_for(user).editing_offices


@rules.predicate
def is_report_author(user, report) -> bool:
    return report is not None and user.is_authenticated and report.author_id == user.pk


is_admin = rules.is_superuser & rules.is_active

# Reading
rules.add_perm(
    "plans.view_workplan",
    is_admin | in_plan_office | (plan_is_issued & is_bureau_staff) | (plan_is_issued & plan_names_users_county),
)
# The import source and warnings, the edit history and the lifecycle log of a plan.
rules.add_perm("plans.view_plan_internals", is_admin | in_plan_office)
# Roles on a plan; what its state allows is checked by plans.services.lifecycle.
_PLAN_ROLES = {
    "plans.change_workplan": is_admin | edits_in_plan_office,
    "plans.review_workplan": is_admin | reviews_in_plan_office,
}
for _name, _predicate in _PLAN_ROLES.items():
    rules.add_perm(_name, _predicate)


def _state_allows(transition: Transition):
    @rules.predicate(name=f"state_allows_{transition.name}")
    def allows(user, plan) -> bool:
        return plan is not None and transition.allows(plan)

    return allows


# Each transition of the table (plans.transitions): its role and what the plan's state allows.
# Rules, not permissions: Django answers every permission of a superuser with yes, whatever
# the state.
for _transition in TRANSITIONS.values():
    rules.add_rule(_transition.rule, _PLAN_ROLES[_transition.permission] & _state_allows(_transition))
# Importing a notice (for an office where the user edits).
rules.add_perm("plans.import_workplan", is_admin | edits_somewhere)
rules.add_perm("plans.import_for_office", is_admin | edits_in_office)
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
# Assignments: the issuing office's staff and the county it is sent to read it; the county
# acknowledges and reports; the office's editors and reviewers review, move due dates, remind.
rules.add_perm("plans.view_assignment", is_admin | in_assignments_office | is_assignments_county)
rules.add_perm("plans.report_assignment", is_assignments_county)
# A county office's portal of its work.
rules.add_perm("plans.report_portal", is_county_user)
# The to-do inbox: plans to publish, reports to review, where the user does either.
rules.add_perm("plans.view_inbox", is_admin | edits_somewhere)
rules.add_perm("plans.review_assignment", is_admin | edits_in_assignments_office)
# Moving one county's due date (with a reason the county reads): the same people today, a
# permission of its own so that an office may keep it to its reviewers.
rules.add_perm("plans.move_due_date", is_admin | edits_in_assignments_office)
# One report: nobody reviews what they sent themselves, administrators included (a user with a
# county role and an editing role in the issuing office would otherwise accept their own work).
# A rule, not a permission: Django answers every permission of a superuser with yes.
can_review_report = (is_admin | edits_in_reports_office) & ~is_report_author
rules.add_rule("review_report", can_review_report)
# A plan's (or an office's) tracking dashboard, and reminders sent from it.
rules.add_perm("plans.view_tracking", is_admin | in_plan_office)
rules.add_perm("plans.remind_county", is_admin | edits_in_plan_office)
rules.add_perm("plans.view_office_tracking", is_admin | in_office)
rules.add_perm("plans.remind_for_office", is_admin | edits_in_office)
# The progress of a province's city offices, year by year: for its provincial office.
rules.add_perm("plans.view_province_tracking", is_admin | oversees_province)
rules.add_perm("plans.view_progress", is_admin | is_bureau_staff)


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
        edit=can_change and plan.status in WorkPlan.EDITABLE,
        submit=allowed["submit"],
        review=allowed["publish"] or allowed["return"],
        revise=allowed["revise"],
        archive=allowed["archive"],
        discard=allowed["discard"],
        internals=user.has_perm("plans.view_plan_internals", plan),
        copy=can_change and plan.revision_of_id is None,
    )
