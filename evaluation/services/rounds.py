"""Writes to a round (评估轮次) and its scores: the round's facts and participants, its course
from preparation through 自评, 初评 and 复核 (publication is evaluation.services.results'),
and the scores each stage gives, each in one transaction with one audit event; every change to
a score recomputes the participants' totals, grades and ranks (participants_recompute).

Entering 自评 gives each participant a row per scored item and its county one obligation
(tracking's 自评 kind, evaluation.kinds), through tracking.services.assignments, which leaves
what a county already owes as it is."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.services import log_action
from evaluation import actions
from evaluation.figures import FIGURES, figure_score
from evaluation.models import EvaluationRound, Indicator, Participant, Score
from evaluation.scoring import CENT, score_bounds_error
from evaluation.selectors import scored_indicators
from evaluation.services.totals import participants_recompute
from inspections.models import Inspection
from inspections.selectors import office_counties
from organisation.models import County
from tracking.models import Assignment
from tracking.services.assignments import Owed, obligations_issue_many

Status = EvaluationRound.Status
Method = Indicator.Method

error_messages = {
    "published": _("Published results are changed by a correction only."),
    "office_changed": _("A round stays with the office that created it."),
    "sheet_office": _("Choose an indicator sheet of the round's office."),
    "previous_office": _("The previous round is an earlier round of the same office."),
    "county_region": _("%(county)s is not a county this office evaluates."),
    "fixed_after_draft": _(
        "The participants, the sheet and the self-assessment date are fixed once the counties have been asked "
        "for their self-assessment."
    ),
    "move_refused": _("A round at the stage “%(status)s” does not move to “%(to)s”."),
    "no_participants": _("Choose the participants before asking them for their self-assessment."),
    "no_items": _("The indicator sheet has no scored item: there would be nothing to assess."),
    "no_due": _("Set the date the self-assessment is due before asking for it."),
    "scores_missing": _("%(count)d scores are still missing: every item of every participant is scored first."),
    "not_self": _("The self-assessment can be changed only while the round is at its self-assessment stage."),
    "not_scoring": _("Scores are given only while the round is at its scoring stage."),
    "not_review": _("Scores are reviewed only while the round is at its review stage."),
    "negative": _("%(item)s: a score is not negative."),
    "over": _("%(item)s: at most %(points)s points."),
    "precision": _("%(item)s: a score has at most two decimals."),
    "yes_no": _("%(item)s: scored 0 or its full %(points)s points."),
    "scale": _("%(item)s: choose one of the scale's levels."),
    "reason_required": _("%(item)s: give the reason for the score."),
    "review_reason_required": _("%(item)s: give the reason the reviewed score differs."),
    "inspection": _("%(item)s: the inspection is not one of the office's inspections of this county."),
    "unknown_item": _("An item is not one of the sheet's scored items."),
}


def _error(code: str, field: str | None = None, **params) -> ValidationError:
    error = ValidationError(error_messages[code], code=code, params=params)
    return ValidationError({field: error}) if field else error


# --- What an item may be scored --------------------------------------------------------------


def scale_scores(indicator: Indicator) -> list[tuple[str, Decimal]]:
    """A scale item's levels and the score each gives (its share of the points, to the cent)."""
    levels = []
    for level in indicator.scale or []:
        try:
            label, share = level[0], Decimal(str(level[1]))
        except (IndexError, TypeError, InvalidOperation):
            continue
        levels.append((str(label), (share * indicator.points).quantize(CENT)))
    return levels


def score_error(indicator: Indicator, value: Decimal) -> ValidationError | None:
    """Why `value` cannot stand for `indicator` by its scoring method (None: it can)."""
    params = {"item": str(indicator), "points": indicator.points}
    code = score_bounds_error(value, maximum=indicator.points)
    if code is None and indicator.method == Method.YES_NO and value not in (Decimal(0), indicator.points):
        code = "yes_no"
    if code is None and indicator.method == Method.SCALE:
        allowed = {score for _label, score in scale_scores(indicator)}
        if allowed and value not in allowed:
            code = "scale"
    return None if code is None else _error(code, **params)


@dataclass(frozen=True)
class ScoreData:
    """One item's score as a form gives it: the value (None: not given) and its note or reason,
    and for 初评 the inspection whose visit gathered the evidence."""

    value: Decimal | None
    text: str = ""
    inspection_id: int | None = None


# --- The round -------------------------------------------------------------------------------

_FACTS = (
    "title",
    "year",
    "sheet_id",
    "target",
    "self_assessment_due",
    "scoring_from",
    "scoring_until",
    "review_due",
    "publish_on",
    "objection_days",
    "excellent_min",
    "good_min",
    "pass_min",
    "previous_id",
)


def _participants_wanted(round_: EvaluationRound, *, counties, zones, schools) -> list[tuple]:
    """(county, zone, school) ids of the participants the target asks for: the counties, or
    the zones or schools chosen, each answered for by its county."""
    Target = EvaluationRound.Target
    if round_.target == Target.ZONE:
        found = {(zone.county_id, zone.pk, None) for zone in zones}
    elif round_.target == Target.SCHOOL:
        found = {(school.county_id, None, school.pk) for school in schools}
    else:
        found = {(county.pk, None, None) for county in counties}
    return sorted(found, key=lambda key: tuple(part or 0 for part in key))


@transaction.atomic
def round_save(*, round_: EvaluationRound, counties=(), zones=(), schools=(), acting_user) -> EvaluationRound:
    """Create `round_` with its participants (the counties chosen, or the zones or schools as
    its target says), or save the changes made to it. Once the participants were asked for
    their self-assessment, they, the sheet and the self-assessment date stay as they are."""
    creating = round_.pk is None
    before = None
    if not creating:
        saved = EvaluationRound.objects.select_for_update().get(pk=round_.pk)
        if saved.status == Status.PUBLISHED:
            raise _error("published")
        if saved.office_id != round_.office_id:
            raise _error("office_changed", "office")
        round_.status, round_.revision = saved.status, saved.revision
        round_.published_at, round_.objection_until = saved.published_at, saved.objection_until
        before = {name: getattr(saved, name) for name in _FACTS}
        before["participants"] = sorted(
            saved.participants.values_list("county_id", "zone_id", "school_id"),
            key=lambda key: tuple(part or 0 for part in key),
        )
    round_.full_clean(exclude=["created_by"])
    if round_.sheet.office_id != round_.office_id:
        raise _error("sheet_office", "sheet")
    if round_.previous_id is not None and (
        round_.previous.office_id != round_.office_id or round_.previous.year >= round_.year
    ):
        raise _error("previous_office", "previous")
    wanted = _participants_wanted(round_, counties=list(counties), zones=list(zones), schools=list(schools))
    old = set(before["participants"]) if before else set()
    new_counties = {key[0] for key in wanted if key not in old}
    if new_counties:
        allowed = set(office_counties(round_.office).filter(pk__in=new_counties).values_list("pk", flat=True))
        for county in County.objects.filter(pk__in=new_counties - allowed).order_by("code"):
            raise _error("county_region", "counties", county=county.name)
    if before and round_.status != Status.DRAFT:
        if (
            wanted != before["participants"]
            or round_.sheet_id != before["sheet_id"]
            or round_.target != before["target"]
            or round_.self_assessment_due != before["self_assessment_due"]
        ):
            raise _error("fixed_after_draft")
    if creating:
        round_.created_by = acting_user if getattr(acting_user, "pk", None) else None
    round_.save()
    if set(wanted) != old:
        keep = set(wanted)
        Participant.objects.filter(
            pk__in=[
                pk
                for pk, *key in Participant.objects.filter(round=round_).values_list(
                    "pk", "county_id", "zone_id", "school_id"
                )
                if tuple(key) not in keep
            ]
        ).delete()
        Participant.objects.bulk_create(
            [
                Participant(round=round_, county_id=county, zone_id=zone, school_id=school)
                for county, zone, school in wanted
                if (county, zone, school) not in old
            ],
            batch_size=500,
        )
    if creating:
        log_action(
            round_,
            actions.ROUND_CREATED,
            user=acting_user,
            office=round_.office,
            data={"title": round_.title, "year": round_.year, "participants": len(wanted)},
        )
        return round_
    after = {name: getattr(round_, name) for name in _FACTS} | {"participants": wanted}
    changed = sorted(name.removesuffix("_id") for name in after if after[name] != before[name])
    if changed:
        log_action(round_, actions.ROUND_CHANGED, user=acting_user, office=round_.office, data={"fields": changed})
        if {"excellent_min", "good_min", "pass_min"} & set(changed):
            participants_recompute(round_=round_)
    return round_


# Each stage and the one it moves on to; publication is the results' service (round_publish).
MOVES: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.SELF_ASSESSMENT,),
    Status.SELF_ASSESSMENT: (Status.SCORING,),
    Status.SCORING: (Status.REVIEW,),
    Status.REVIEW: (),
    Status.PUBLISHED: (),
}


def round_moves(round_: EvaluationRound) -> list[str]:
    return list(MOVES.get(round_.status, ()))


def _scores_missing(round_: EvaluationRound) -> int:
    return Score.objects.filter(participant__round=round_, indicator__children__isnull=True, score__isnull=True).count()


@transaction.atomic
def round_transition(*, round_: EvaluationRound, to: str, acting_user) -> EvaluationRound:
    """Move `round_` on to the stage `to`: to 自评 (a score row per participant and scored item,
    and one obligation per participant's county), to 初评, to 复核 (once every item is scored)."""
    round_ = EvaluationRound.objects.select_for_update().select_related("office").get(pk=round_.pk)
    status = round_.status
    labels = dict(Status.choices)
    if to not in MOVES.get(status, ()):
        raise _error("move_refused", status=labels.get(status, status), to=labels.get(to, to))
    data: dict = {"from": status, "to": to}
    if to == Status.SELF_ASSESSMENT:
        data["asked"] = _self_assessment_start(round_, acting_user=acting_user)
    if to == Status.REVIEW:
        missing = _scores_missing(round_)
        if missing:
            raise _error("scores_missing", count=missing)
    round_.status = to
    round_.save(update_fields=["status"])
    log_action(round_, actions.ROUND_MOVED, user=acting_user, office=round_.office, data=data)
    return round_


def _label(round_: EvaluationRound, participant: Participant) -> str:
    if participant.zone_id or participant.school_id:
        # A zone's or school's self-assessment, owed by its county: the label names which.
        return gettext("Evaluation self-assessment: %(title)s (%(who)s)") % {
            "title": round_.title,
            "who": str(participant),
        }
    return gettext("Evaluation self-assessment: %(title)s") % {"title": round_.title}


def _self_assessment_start(round_: EvaluationRound, *, acting_user) -> int:
    participants = list(
        Participant.objects.filter(round=round_).select_related("county", "zone", "school").order_by("pk")
    )
    if not participants:
        raise _error("no_participants")
    items = list(scored_indicators(round_.sheet_id).values_list("pk", flat=True))
    if not items:
        raise _error("no_items")
    if round_.self_assessment_due is None:
        raise _error("no_due")
    existing = set(Score.objects.filter(participant__round=round_).values_list("participant_id", "indicator_id"))
    Score.objects.bulk_create(
        [
            Score(participant=participant, indicator_id=item)
            for participant in participants
            for item in items
            if (participant.pk, item) not in existing
        ],
        batch_size=500,
    )
    issued = obligations_issue_many(
        kind=Assignment.Kind.EVALUATION,
        owed=[Owed(participant, (participant.county_id,), _label(round_, participant)) for participant in participants],
        office=round_.office,
        year=round_.year,
        due_date=round_.self_assessment_due,
        acting_user=acting_user,
    )
    return len(issued)


# --- Scores ----------------------------------------------------------------------------------


def _locked(participant: Participant) -> tuple[EvaluationRound, dict[int, Score]]:
    """The participant's round, locked against a stage change, and its scores by item."""
    round_ = EvaluationRound.objects.select_for_update().select_related("office").get(pk=participant.round_id)
    scores = {
        score.indicator_id: score
        for score in Score.objects.filter(participant=participant, indicator__children__isnull=True).select_related(
            "indicator"
        )
    }
    return round_, scores


def _veto_set(score: Score) -> None:
    # A veto item (一票否决) scored nothing in the end is failed.
    score.veto_failed = bool(score.indicator.veto) and score.final is not None and score.final == 0


def _check_items(entries: dict, scores: dict[int, Score]) -> None:
    if set(entries) - set(scores):
        raise _error("unknown_item")


def _raise_all(errors: list[ValidationError]) -> None:
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def self_assessment_save(*, participant: Participant, entries: dict[int, ScoreData], acting_user) -> int:
    """The county's 自评 of the items given (`entries`: item id → its score and note), while
    the round is at its self-assessment stage. Returns how many items changed."""
    round_, scores = _locked(participant)
    if round_.status != Status.SELF_ASSESSMENT:
        raise _error("not_self")
    _check_items(entries, scores)
    errors, changed = [], []
    for item_id, entry in entries.items():
        score = scores[item_id]
        if entry.value is not None:
            error = score_error(score.indicator, entry.value)
            if error is not None:
                errors.append(error)
                continue
        note = entry.text.strip()
        if (score.self_score, score.self_note) != (entry.value, note):
            score.self_score, score.self_note = entry.value, note
            changed.append(score)
    _raise_all(errors)
    if changed:
        Score.objects.bulk_update(changed, ["self_score", "self_note"], batch_size=500)
        log_action(
            participant,
            actions.SELF_SCORED,
            user=acting_user,
            office=round_.office,
            data={"round": round_.pk, "county": participant.county_id, "items": len(changed)},
        )
        participants_recompute(round_=round_)
    return len(changed)


def inspections_for(*, office, county) -> list[Inspection]:
    """The office's inspections that visited `county`: what a score may cite."""
    return list(Inspection.objects.filter(office=office, counties=county).order_by("-starts_on", "pk"))


@transaction.atomic
def scores_save(*, participant: Participant, entries: dict[int, ScoreData], acting_user) -> int:
    """The inspectors' 初评 of the items given, each score with its reason (and the inspection
    whose visit gathered the evidence, if any), while the round is at its scoring stage."""
    round_, scores = _locked(participant)
    if round_.status != Status.SCORING:
        raise _error("not_scoring")
    _check_items(entries, scores)
    cited = {entry.inspection_id for entry in entries.values() if entry.inspection_id}
    allowed = (
        set(
            Inspection.objects.filter(
                pk__in=cited, office_id=round_.office_id, counties=participant.county_id
            ).values_list("pk", flat=True)
        )
        if cited
        else set()
    )
    errors, changed = [], []
    now = timezone.now()
    for item_id, entry in entries.items():
        score = scores[item_id]
        reason = entry.text.strip()
        params = {"item": str(score.indicator)}
        if entry.value is not None:
            error = score_error(score.indicator, entry.value)
            if error is None and not reason:
                error = _error("reason_required", **params)
            if error is None and entry.inspection_id and entry.inspection_id not in allowed:
                error = _error("inspection", **params)
            if error is not None:
                errors.append(error)
                continue
        else:
            reason = ""
        inspection_id = entry.inspection_id if entry.value is not None else None
        if (score.score, score.reason, score.inspection_id) == (entry.value, reason, inspection_id):
            continue
        figure = score.figure if (score.score, score.reason) == (entry.value, reason) else ""
        score.score, score.reason, score.inspection_id, score.figure = entry.value, reason, inspection_id, figure
        score.scored_by = acting_user if entry.value is not None else None
        score.scored_at = now if entry.value is not None else None
        _veto_set(score)
        changed.append(score)
    _raise_all(errors)
    if changed:
        Score.objects.bulk_update(
            changed,
            ["score", "reason", "inspection", "figure", "scored_by", "scored_at", "veto_failed"],
            batch_size=500,
        )
        log_action(
            participant,
            actions.SCORED,
            user=acting_user,
            office=round_.office,
            data={"round": round_.pk, "county": participant.county_id, "items": len(changed)},
        )
        participants_recompute(round_=round_)
    return len(changed)


@transaction.atomic
def scores_fill_from_figures(*, round_: EvaluationRound, acting_user, today=None) -> int:
    """Every participant's score on the items filled from the app's own figures (Indicator.
    source): the figure times the item's points, the definition with the counts as the reason.
    A county with nothing counted keeps its item for people to score. Returns how many."""
    round_ = EvaluationRound.objects.select_for_update().select_related("office").get(pk=round_.pk)
    if round_.status != Status.SCORING:
        raise _error("not_scoring")
    scores = list(
        Score.objects.filter(participant__round=round_, indicator__children__isnull=True)
        .exclude(indicator__source="")
        .select_related("indicator", "participant")
        .order_by("pk")
    )
    counties = sorted({score.participant.county_id for score in scores})
    figures = {
        source: FIGURES[source](office=round_.office, year=round_.year, counties=counties, today=today)
        for source in sorted({score.indicator.source for score in scores})
    }
    now = timezone.now()
    changed = []
    for score in scores:
        figure = figures[score.indicator.source][score.participant.county_id]
        value = figure_score(figure, points=score.indicator.points)
        if value is None:
            continue
        score.score, score.reason, score.figure = value, figure.text, figure.text[:500]
        score.inspection_id, score.scored_by, score.scored_at = None, acting_user, now
        _veto_set(score)
        changed.append(score)
    if changed:
        Score.objects.bulk_update(
            changed,
            ["score", "reason", "figure", "inspection", "scored_by", "scored_at", "veto_failed"],
            batch_size=500,
        )
        log_action(
            round_,
            actions.SCORED,
            user=acting_user,
            office=round_.office,
            data={"from_figures": True, "items": len(changed)},
        )
        participants_recompute(round_=round_)
    return len(changed)


@transaction.atomic
def reviews_save(*, participant: Participant, entries: dict[int, ScoreData], acting_user) -> int:
    """The reviewer's 复核: a final score with its reason where it changes the initial one (a
    reviewed score equal to the initial one, or none, leaves the initial one standing), while
    the round is at its review stage."""
    round_, scores = _locked(participant)
    if round_.status != Status.REVIEW:
        raise _error("not_review")
    _check_items(entries, scores)
    errors, changed = [], []
    now = timezone.now()
    for item_id, entry in entries.items():
        score = scores[item_id]
        value = entry.value if entry.value != score.score else None
        reason = entry.text.strip() if value is not None else ""
        if value is not None:
            error = score_error(score.indicator, value)
            if error is None and not reason:
                error = _error("review_reason_required", item=str(score.indicator))
            if error is not None:
                errors.append(error)
                continue
        if (score.review_score, score.review_reason) == (value, reason):
            continue
        score.review_score, score.review_reason = value, reason
        score.reviewed_by = acting_user if value is not None else None
        score.reviewed_at = now if value is not None else None
        _veto_set(score)
        changed.append(score)
    _raise_all(errors)
    if changed:
        Score.objects.bulk_update(
            changed, ["review_score", "review_reason", "reviewed_by", "reviewed_at", "veto_failed"], batch_size=500
        )
        log_action(
            participant,
            actions.REVIEWED,
            user=acting_user,
            office=round_.office,
            data={"round": round_.pk, "county": participant.county_id, "items": len(changed)},
        )
        participants_recompute(round_=round_)
    return len(changed)
