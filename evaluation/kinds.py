"""自评: a participant's self-assessment, owed by its county to the round's office by the round's
self-assessment date, as an obligation of tracking.kinds (the county's portal, reports with
evidence, review, reminders). Its subject is the Participant."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracking.kinds import ObligationKind, kind_register
from tracking.models import Assignment, ProgressReport

EVALUATION = Assignment.Kind.EVALUATION


def _self_assessment_close_check(assignment: Assignment) -> str | None:
    from evaluation.selectors import self_assessment_missing

    missing = self_assessment_missing(participant_id=assignment.subject_id)
    if missing:
        return gettext("The county has not scored every item of the sheet yet (%(count)d left).") % {"count": missing}
    return None


kind_register(
    ObligationKind(
        key=EVALUATION,
        label=_("Evaluation self-assessment"),
        evidence_required=True,
        progress=(ProgressReport.Progress.IN_PROGRESS, ProgressReport.Progress.DONE),
        close_check=_self_assessment_close_check,
    )
)
