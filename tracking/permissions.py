"""Who may do what with what counties owe (assignments of every kind), reports, reminders and
the dashboards that follow them (the predicates on memberships come from organisation.access,
those on plans from plans.permissions); and the lists each user reads, scoped by the same
rules (`…_q(user)`), so that no selector or view restates them."""

import rules
from django.db.models import F, Q

from organisation.access import (
    access_for,
    edits_in_office,
    edits_somewhere,
    in_office,
    is_admin,
    is_bureau_staff,
    is_county_user,
    oversees_province,
    waiting_register,
)
from organisation.models import Membership
from plans.models import WorkPlan
from plans.permissions import edits_in_plan_office, in_plan_office
from supervision.lookups import InArray
from tracking.kinds import portal_q
from tracking.models import ProgressReport

Role = Membership.Role


def counties_listed(user) -> list[int] | None:
    """Of the counties the plans `user` reads give work to, those the county list shows them: a
    county office's own county only; None for all of them."""
    access = access_for(user)
    return sorted(access.counties) if access.is_county_only else None


@rules.predicate
def is_assignments_county(user, assignment) -> bool:
    return assignment is not None and assignment.county_id in access_for(user).counties


@rules.predicate
def in_assignments_office(user, assignment) -> bool:
    return assignment is not None and assignment.office_id in access_for(user).offices


@rules.predicate
def edits_in_assignments_office(user, assignment) -> bool:
    return assignment is not None and assignment.office_id in access_for(user).editing_offices


@rules.predicate
def edits_in_reports_office(user, report) -> bool:
    return report is not None and report.assignment.office_id in access_for(user).editing_offices


@rules.predicate
def is_report_author(user, report) -> bool:
    return report is not None and user.is_authenticated and report.author_id == user.pk


# Assignments: the issuing office's staff and the county it is sent to read it; the county
# acknowledges and reports; the office's editors and reviewers review, move due dates, remind.
rules.add_perm("tracking.view_assignment", is_admin | in_assignments_office | is_assignments_county)
rules.add_perm("tracking.acknowledge_assignment", is_assignments_county)
rules.add_perm("tracking.report_assignment", is_assignments_county)
# A county office's portal of its work.
rules.add_perm("tracking.report_portal", is_county_user)
# The to-do inbox: plans to publish, reports to review, where the user does either.
rules.add_perm("tracking.view_inbox", is_admin | edits_somewhere)
rules.add_perm("tracking.review_assignment", is_admin | edits_in_assignments_office)
# Moving one county's due date (with a reason the county reads): the same people today, a
# permission of its own so that an office may keep it to its reviewers.
rules.add_perm("tracking.move_due_date", is_admin | edits_in_assignments_office)
# One report: nobody reviews what they sent themselves, administrators included (a user with a
# county role and an editing role in the issuing office would otherwise accept their own work).
# A rule, not a permission: Django answers every permission of a superuser with yes.
can_review_report = (is_admin | edits_in_reports_office) & ~is_report_author
rules.add_rule("review_report", can_review_report)
# A plan's (or an office's) tracking dashboard, and reminders sent from it.
rules.add_perm("tracking.view_tracking", is_admin | in_plan_office)
rules.add_perm("tracking.remind_county", is_admin | edits_in_plan_office)
rules.add_perm("tracking.view_office_tracking", is_admin | in_office)
rules.add_perm("tracking.remind_for_office", is_admin | edits_in_office)
# The progress of a province's city offices, year by year: for its provincial office.
rules.add_perm("tracking.view_province_tracking", is_admin | oversees_province)
rules.add_perm("tracking.view_progress", is_admin | is_bureau_staff)


# --- The lists a user reads ---------------------------------------------------------------------


def assignments_visible_q(user, *, prefix: str = "") -> Q | None:
    """The assignments `user` reads (tracking.view_assignment as a query), as a filter on
    Assignment or, with `prefix` ("assignment__"), on what points at one; None for all (admins)."""
    access = access_for(user)
    if access.superuser:
        return None
    return Q(**{f"{prefix}office_id__in": sorted(access.offices)}) | Q(
        **{f"{prefix}county_id__in": sorted(access.counties)}
    )


def county_ids_owing(user) -> list[int]:
    """The counties whose work `user` does (the portal's): their ids, in order."""
    return sorted(access_for(user).counties)


def assignments_owed_q(user=None, *, county_ids: list[int] | None = None) -> Q:
    """What the county offices `user` belongs to owe (or the counties `county_ids`, as
    `county_ids_owing` gives them), of every kind the portal lists (the portal, 签收): a kind
    with pages of its own, such as school visits, is followed there."""
    ids = county_ids_owing(user) if county_ids is None else county_ids
    return portal_q() & InArray(F("county_id"), ids)


def reports_reviewable_q(user) -> Q:
    """Reports awaiting review in the offices where `user` reviews them, not their own: the
    same as the rule review_report and the count in the menu (below)."""
    return Q(review=ProgressReport.Review.PENDING, office_id__in=sorted(access_for(user).editing_offices)) & ~Q(
        author_id=user.pk
    )


def plans_to_publish_q(user) -> Q:
    """Plans in review in the offices where `user` publishes them (the inbox)."""
    return Q(status=WorkPlan.Status.IN_REVIEW, office_id__in=access_for(user).offices_with(Role.REVIEWER))


def offices_trackable(user, offices) -> set[int]:
    """Of `offices`, those whose dashboards `user` may read (tracking.view_office_tracking)."""
    access = access_for(user)
    return {office.pk for office in offices} if access.superuser else set(access.offices)


def _reports_to_review_sql() -> str:
    # By the report's own office (its assignment's) from report_pending_office_idx: the office's
    # pending reports alone, not each of its assignments of every year.
    return (
        f"SELECT COUNT(*) FROM {ProgressReport._meta.db_table} r WHERE r.office_id = m.office_id"
        f" AND r.review = '{ProgressReport.Review.PENDING}' AND (r.author_id IS NULL OR r.author_id <> %(user)s)"
    )


# The menu's 待办: reports awaiting review that others sent, for the office's editors and reviewers.
waiting_register(roles=Membership.EDITING_ROLES, sql=_reports_to_review_sql)
