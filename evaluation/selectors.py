"""What the evaluation pages read, with the queries each needs."""

from evaluation.models import Indicator, Participant, Score


def scored_indicators(sheet_id: int):
    """The sheet's scored items: the indicators without children, in the sheet's order."""
    return Indicator.objects.filter(sheet_id=sheet_id, children__isnull=True).order_by("position")


def self_assessment_missing(*, participant_id: int) -> int:
    """How many scored items the participant has not self-assessed yet."""
    participant = Participant.objects.select_related("round").filter(pk=participant_id).first()
    if participant is None:
        return 0
    items = scored_indicators(participant.round.sheet_id).count()
    given = Score.objects.filter(participant_id=participant_id, self_score__isnull=False).count()
    return max(items - given, 0)
