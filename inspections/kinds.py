"""The kinds of county obligation the inspection work adds to tracking.kinds, sharing its portal,
reports, evidence, review, reminders, urgency rule and dashboards:

- 自查自评 (self_assessment): a county answers an inspection's checklist before the visit; its
  subject is the Inspection;
- 整改 (rectification): a county puts a finding right; its subject is the Rectification item, and
  a done report closes it (销号) only once a follow-up check confirmed it, when one is needed;
- 挂牌督导 visit (visit): a school's visit by its 责任督学 at each occurrence of the county's
  rhythm; its subject is the School, and it is owed to the county's own office."""

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from supervision.prepared import Prepared
from tracking.kinds import ObligationKind, kind_register
from tracking.models import Assignment, ProgressReport

SELF_ASSESSMENT = Assignment.Kind.SELF_ASSESSMENT
RECTIFICATION = Assignment.Kind.RECTIFICATION
VISIT = Assignment.Kind.VISIT


def _rectification_close_check(assignment: Assignment) -> str | None:
    from inspections.models import Rectification

    item = Rectification.objects.filter(pk=assignment.subject_id).only("needs_follow_up", "confirmed_by").first()
    if item is not None and item.needs_follow_up and item.confirmed_by_id is None:
        return gettext("This item closes only after a follow-up check (整改情况督查) has confirmed it on site.")
    return None


def _self_assessment_checklist(assignment: Assignment) -> None:
    """The inspection's checklist with the county's answers, for the obligation's page."""
    from inspections.selectors import self_assessment_page

    inspection = assignment.subject
    if inspection is None:
        assignment.checklist_items, assignment.answered_count = [], 0
        return
    items, answers = self_assessment_page(inspection=inspection, county=assignment.county)
    assignment.checklist_items = items
    assignment.answered_count = len(answers)


def _self_assessment_close_check(assignment: Assignment) -> str | None:
    from inspections.models import ChecklistAnswer, ChecklistItem

    items = ChecklistItem.objects.filter(inspection_id=assignment.subject_id)
    answered = ChecklistAnswer.objects.filter(item__inspection_id=assignment.subject_id, county_id=assignment.county_id)
    if answered.count() < items.count():
        return gettext("The county has not answered every item of the checklist yet.")
    return None


def _rectification_with_finding(*, pk: int):
    from inspections.models import Rectification

    return Rectification.objects.select_related("finding__school", "finding__inspection", "finding__visit").filter(
        pk=pk
    )


# Compiled once a process: every page of a 整改 obligation reads it.
_rectification_read = Prepared(_rectification_with_finding)


def _rectification_detail(assignment: Assignment) -> None:
    """The assignment page shows the item with its finding, where it was found and on what."""
    found = _rectification_read(pk=assignment.subject_id)
    if found:
        assignment.subject = found[0]


kind_register(
    ObligationKind(
        key=SELF_ASSESSMENT,
        label=_("Self-assessment"),
        evidence_required=True,
        progress=(ProgressReport.Progress.IN_PROGRESS, ProgressReport.Progress.DONE),
        detail_template="inspections/_self_assessment_obligation.html",
        detail_load=_self_assessment_checklist,
        close_check=_self_assessment_close_check,
        live=~Q(state=Assignment.State.WITHDRAWN),
    )
)

kind_register(
    ObligationKind(
        key=RECTIFICATION,
        label=_("Rectification item"),
        evidence_required=True,
        detail_template="inspections/_rectification_obligation.html",
        detail_load=_rectification_detail,
        close_check=_rectification_close_check,
    )
)

kind_register(
    ObligationKind(
        key=VISIT,
        label=_("School visit"),
        progress=(ProgressReport.Progress.DONE,),
        portal=False,
    )
)
