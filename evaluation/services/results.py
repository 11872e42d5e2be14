"""Published results: publication (locks the scores, opens the objection window), corrections as
numbered revisions with a reason, and objections (申诉) raised by counties and answered by staff.

Once a round is published its scores change only through `round_correct` (an answer to an
objection that corrects a score goes through it too), so every change is a revision."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.services import log_action
from evaluation import actions
from evaluation.models import EvaluationRound, Indicator, Objection, Participant, ResultRevision, Score
from evaluation.scoring import points, score_bounds_error
from evaluation.selectors import scored_indicators
from evaluation.services.totals import participants_recompute
from organisation.services.calendar import official_calendar_get
from supervision.localtime import site_today

error_messages = {
    "not_in_review": _("Only a round in review is published."),
    "scores_missing": _("Not every participant has a final score on every item: %(missing)s."),
    "missing_one": _("%(participant)s lacks %(count)d"),
    "no_participants": _("The round has no participants."),
    "not_published": _("Only published results are corrected."),
    "reason_required": _("Say why the results are corrected: the revision shows it."),
    "no_changes": _("Give at least one score to change."),
    "not_in_round": _("%(participant)s does not take part in this round."),
    "not_scored_item": _("“%(indicator)s” is not a scored item of the round's sheet."),
    "score_negative": _("A score is never negative."),
    "score_over": _("“%(indicator)s” is worth %(points)s points at most."),
    "score_precision": _("Scores have two decimal places at most."),
    "unchanged": _("%(participant)s already has %(score)s on “%(indicator)s”."),
    "window_closed": _("Objections are raised only while the window after publication is open."),
    "objection_text": _("Say what the objection is about."),
    "answered": _("This objection has been answered already."),
    "answer_required": _("Write the answer: the county reads it."),
    "rejected_with_score": _("A rejected objection leaves the score as it is: leave the new score empty."),
    "score_needs_item": _("Choose the item whose score is corrected."),
    "locked": _("The results are published: a score changes only by a correction, with its reason."),
}


def _error(code: str, field: str | None = None, **params) -> ValidationError:
    error = ValidationError(error_messages[code], code=code, params=params)
    return ValidationError({field: error}) if field else error


def scores_locked_check(round_: EvaluationRound) -> None:
    """Refuse a change of scores on a published round: every service that saves scores (自评,
    初评, 复核) calls it first; after publication only `round_correct` changes them."""
    if round_.is_published:
        raise _error("locked")


def objection_deadline(*, published_on: datetime.date, working_days: int) -> datetime.date:
    """The last day of the objection window: the `working_days`-th working day after publication
    on the official calendar (holidays and adjusted working days included)."""
    return official_calendar_get().working_days_after(published_on, working_days)


def results_snapshot(participants) -> dict[str, dict]:
    """The results as a revision keeps them: participant id → total, grade and rank."""
    return {
        str(p.pk): {"total": None if p.total is None else f"{p.total:.2f}", "grade": p.grade, "rank": p.rank}
        for p in participants
    }


def final_scores_missing(*, round_: EvaluationRound) -> dict[Participant, int]:
    """Participant → how many scored items it has no final score on (only those lacking some)."""
    items = list(scored_indicators(round_.sheet_id).values_list("pk", flat=True))
    given: dict[int, int] = {}
    rows = Score.objects.filter(participant__round=round_, indicator_id__in=items).filter(
        Q(score__isnull=False) | Q(review_score__isnull=False)
    )
    for participant_id in rows.values_list("participant_id", flat=True):
        given[participant_id] = given.get(participant_id, 0) + 1
    participants = Participant.objects.filter(round=round_).select_related("county", "zone", "school")
    return {p: len(items) - given.get(p.pk, 0) for p in participants if given.get(p.pk, 0) < len(items)}


@transaction.atomic
def round_publish(*, round_: EvaluationRound, acting_user, note: str = "") -> EvaluationRound:
    """Publish a reviewed round: totals computed, the scores locked, revision 1 kept, and the
    objection window open until the round's number of working days after today."""
    round_ = EvaluationRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != EvaluationRound.Status.REVIEW:
        raise _error("not_in_review")
    if not Participant.objects.filter(round=round_).exists():
        raise _error("no_participants")
    missing = final_scores_missing(round_=round_)
    if missing:
        listed = "; ".join(
            gettext(error_messages["missing_one"]) % {"participant": str(p), "count": count}
            for p, count in sorted(missing.items(), key=lambda pair: str(pair[0]))
        )
        raise _error("scores_missing", missing=listed)
    participants = participants_recompute(round_=round_)
    now = timezone.now()
    round_.status = EvaluationRound.Status.PUBLISHED
    round_.published_at = now
    round_.objection_until = objection_deadline(published_on=site_today(), working_days=round_.objection_days)
    round_.revision = 1
    round_.save(update_fields=["status", "published_at", "objection_until", "revision"])
    ResultRevision.objects.create(
        round=round_,
        number=1,
        reason=note.strip() or gettext("公布"),
        results=results_snapshot(participants),
        created_at=now,
        created_by=acting_user,
    )
    log_action(
        round_,
        actions.RESULTS_PUBLISHED,
        user=acting_user,
        office=round_.office,
        data={"revision": 1, "objection_until": round_.objection_until.isoformat()},
    )
    return round_


@dataclass(frozen=True)
class ScoreChange:
    """One correction: the participant's new final score on an item, and why."""

    participant: Participant
    indicator: Indicator
    score: Decimal
    reason: str = ""


def _check_change(change: ScoreChange, *, round_: EvaluationRound, items: set[int]) -> None:
    if change.participant.round_id != round_.pk:
        raise _error("not_in_round", participant=str(change.participant))
    if change.indicator.pk not in items:
        raise _error("not_scored_item", indicator=str(change.indicator))
    problem = score_bounds_error(change.score, maximum=change.indicator.points)
    if problem == "over":
        raise _error("score_over", indicator=str(change.indicator), points=f"{change.indicator.points:.2f}")
    if problem:
        raise _error(f"score_{problem}")


@transaction.atomic
def round_correct(*, round_: EvaluationRound, changes: list[ScoreChange], reason: str, acting_user) -> ResultRevision:
    """Correct published scores: each change is saved as the reviewed (final) score with its
    reason, the totals recomputed, and the results kept as the next numbered revision."""
    round_ = EvaluationRound.objects.select_for_update().get(pk=round_.pk)
    reason = (reason or "").strip()
    if not round_.is_published:
        raise _error("not_published")
    if not reason:
        raise _error("reason_required", "reason")
    if not changes:
        raise _error("no_changes")
    items = set(scored_indicators(round_.sheet_id).values_list("pk", flat=True))
    for change in changes:
        _check_change(change, round_=round_, items=items)
    existing = {
        (s.participant_id, s.indicator_id): s
        for s in Score.objects.select_for_update().filter(
            participant_id__in={c.participant.pk for c in changes},
            indicator_id__in={c.indicator.pk for c in changes},
        )
    }
    now = timezone.now()
    changed = []
    for change in changes:
        score = existing.get((change.participant.pk, change.indicator.pk)) or Score(
            participant=change.participant, indicator=change.indicator
        )
        new = points(change.score)
        if score.final == new:
            raise _error(
                "unchanged", participant=str(change.participant), score=f"{new:.2f}", indicator=str(change.indicator)
            )
        changed.append(
            {
                "participant": change.participant.pk,
                "indicator": change.indicator.pk,
                "before": None if score.final is None else f"{score.final:.2f}",
                "after": f"{new:.2f}",
            }
        )
        score.review_score = new
        score.review_reason = (change.reason or "").strip() or reason
        score.reviewed_by = acting_user
        score.reviewed_at = now
        score.save()
    participants = participants_recompute(round_=round_)
    round_.revision += 1
    round_.save(update_fields=["revision"])
    revision = ResultRevision.objects.create(
        round=round_,
        number=round_.revision,
        reason=reason,
        results=results_snapshot(participants),
        created_at=now,
        created_by=acting_user,
    )
    log_action(
        round_,
        actions.RESULTS_CORRECTED,
        user=acting_user,
        office=round_.office,
        data={"revision": revision.number, "reason": reason, "changes": changed},
    )
    return revision


def objection_window_open(round_: EvaluationRound, *, today: datetime.date | None = None) -> bool:
    return (
        round_.is_published and round_.objection_until is not None and (today or site_today()) <= round_.objection_until
    )


@transaction.atomic
def objection_raise(*, participant: Participant, indicator: Indicator | None, text: str, acting_user) -> Objection:
    """A county's objection to its published results, on one item or on the whole sheet."""
    round_ = participant.round
    if not objection_window_open(round_):
        raise _error("window_closed")
    text = (text or "").strip()
    if not text:
        raise _error("objection_text", "text")
    if indicator is not None and not scored_indicators(round_.sheet_id).filter(pk=indicator.pk).exists():
        raise _error("not_scored_item", "indicator", indicator=str(indicator))
    objection = Objection.objects.create(participant=participant, indicator=indicator, text=text, raised_by=acting_user)
    log_action(
        objection,
        actions.OBJECTION_RAISED,
        user=acting_user,
        office=round_.office,
        data={"round": round_.pk, "participant": participant.pk, "indicator": indicator.pk if indicator else None},
    )
    return objection


@transaction.atomic
def objection_answer(
    *,
    objection: Objection,
    outcome: str,
    answer: str,
    acting_user,
    indicator: Indicator | None = None,
    score: Decimal | None = None,
) -> Objection:
    """Answer an objection, once. Upheld (or partly) with a new score: the score is corrected as
    a new revision of the results whose reason cites the objection."""
    objection = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("participant__round", "participant__county", "participant__zone", "participant__school")
        .get(pk=objection.pk)
    )
    if not objection.is_open:
        raise _error("answered")
    answer = (answer or "").strip()
    if not answer:
        raise _error("answer_required", "answer")
    indicator = indicator or objection.indicator
    revision = None
    if score is not None:
        if outcome == Objection.Outcome.REJECTED:
            raise _error("rejected_with_score", "score")
        if indicator is None:
            raise _error("score_needs_item", "indicator")
        reason = gettext("申诉 No. %(number)d (%(participant)s): %(answer)s") % {
            "number": objection.pk,
            "participant": str(objection.participant),
            "answer": answer,
        }
        revision = round_correct(
            round_=objection.participant.round,
            changes=[ScoreChange(participant=objection.participant, indicator=indicator, score=score, reason=answer)],
            reason=reason,
            acting_user=acting_user,
        )
    objection.outcome = outcome
    objection.answer = answer
    objection.answered_at = timezone.now()
    objection.answered_by = acting_user
    objection.save(update_fields=["outcome", "answer", "answered_at", "answered_by"])
    log_action(
        objection,
        actions.OBJECTION_ANSWERED,
        user=acting_user,
        office=objection.participant.round.office,
        data={"outcome": outcome, "revision": revision.number if revision else None},
    )
    return objection
