"""A round's totals, grades and ranks, kept on its participants (evaluation.scoring's rules),
recomputed by every service that changes a score."""

from django.db import transaction

from evaluation.models import EvaluationRound, Indicator, Participant, Score
from evaluation.scoring import Thresholds, grade_of, ranks, total_of


def thresholds_of(round_: EvaluationRound) -> Thresholds:
    return Thresholds(excellent=round_.excellent_min, good=round_.good_min, passing=round_.pass_min)


@transaction.atomic
def participants_recompute(*, round_: EvaluationRound) -> list[Participant]:
    """Every participant's self-assessed and final totals, veto, grade and rank, from the scores
    on the sheet's scored items; written back in one update. Three queries and the update."""
    participants = list(Participant.objects.filter(round=round_).order_by("pk"))
    veto_items = set(
        Indicator.objects.filter(sheet_id=round_.sheet_id, veto=True, children__isnull=True).values_list(
            "pk", flat=True
        )
    )
    self_scores: dict[int, list] = {p.pk: [] for p in participants}
    finals: dict[int, list] = {p.pk: [] for p in participants}
    vetoed: set[int] = set()
    rows = Score.objects.filter(participant__round=round_, indicator__children__isnull=True).values_list(
        "participant_id", "indicator_id", "self_score", "score", "review_score", "veto_failed"
    )
    for participant_id, indicator_id, self_score, score, review_score, veto_failed in rows:
        self_scores[participant_id].append(self_score)
        finals[participant_id].append(review_score if review_score is not None else score)
        if veto_failed and indicator_id in veto_items:
            vetoed.add(participant_id)
    thresholds = thresholds_of(round_)
    totals = {p.pk: total_of(finals[p.pk]) for p in participants}
    ranked = ranks(totals, vetoed=vetoed)
    for p in participants:
        p.self_total = total_of(self_scores[p.pk])
        p.total = totals[p.pk]
        p.vetoed = p.pk in vetoed
        p.grade = grade_of(p.total, vetoed=p.vetoed, thresholds=thresholds)
        p.rank = ranked[p.pk]
    Participant.objects.bulk_update(participants, ["self_total", "total", "vetoed", "grade", "rank"], batch_size=500)
    return participants
