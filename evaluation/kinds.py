"""自评: a participant's self-assessment, owed by its county to the round's office by the round's
self-assessment date, as an obligation of tracking.kinds (the county's portal, reports with
evidence, review, reminders). Its subject is the Participant."""

from django.urls import reverse
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


def _self_assessment_progress(assignment: Assignment) -> None:
    """The participant's round and how far its self-assessment got, for the obligation's page."""
    from evaluation.models import Participant, Score
    from evaluation.selectors import scored_indicators

    participant = Participant.objects.select_related("round").filter(pk=assignment.subject_id).first()
    assignment.participant = participant
    if participant is None:
        assignment.items_count = assignment.self_given = 0
        return
    assignment.items_count = scored_indicators(participant.round.sheet_id).count()
    assignment.self_given = Score.objects.filter(
        participant=participant, indicator__children__isnull=True, self_score__isnull=False
    ).count()


def _self_assessment_url(assignment: Assignment) -> str:
    return reverse("evaluation:self_assessment", args=[assignment.subject_id])


kind_register(
    ObligationKind(
        key=EVALUATION,
        label=_("Evaluation self-assessment"),
        # The label names the round; the participant's page is where the county scores itself.
        source_label=lambda assignment: assignment.label,
        source_url=_self_assessment_url,
        # Neither names the participant: lists need not read it.
        prefetch_related=(),
        detail_template="evaluation/_rounds_obligation.html",
        detail_load=_self_assessment_progress,
        evidence_required=True,
        progress=(ProgressReport.Progress.IN_PROGRESS, ProgressReport.Progress.DONE),
        close_check=_self_assessment_close_check,
    )
)
