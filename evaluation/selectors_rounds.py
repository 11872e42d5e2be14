"""What the rounds' pages read: the list, a round with its participants' progress, one
participant's sheet with its scores; each with a fixed small number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from evaluation.models import EvaluationRound, Indicator, Participant, Score
from evaluation.permissions import rounds_listed_q
from supervision.lookups import InArray
from supervision.prepared import Prepared
from tracking.models import Assignment

# A difference between two scores of an item worth highlighting: this share of its points.
DIFFERENCE_SHARE = Decimal("0.2")


def round_list(*, user) -> QuerySet[EvaluationRound]:
    """The rounds `user` lists, with their office, sheet and number of participants."""
    rounds = EvaluationRound.objects.all()
    where = rounds_listed_q(user)
    if where is not None:
        rounds = rounds.filter(pk__in=EvaluationRound.objects.filter(where).values("pk"))
    # Counted by a subquery, which PostgreSQL runs for the page's rows only (after the sort and
    # the limit): a join grouped by round counted every round's participants (27 ms nationally).
    participants = (
        Participant.objects.filter(round=OuterRef("pk")).order_by().values("round").annotate(n=Count("pk")).values("n")
    )
    return (
        rounds.select_related("office", "sheet")
        .annotate(participant_count=Coalesce(Subquery(participants), 0))
        .order_by("-year", "title", "pk")
    )


@dataclass
class Progress:
    participants: int = 0
    self_assessed: int = 0
    scored: int = 0
    reviewed: int = 0


def rounds_progress(rounds) -> dict[int, Progress]:
    """Per round: how many participants self-assessed and were scored on every item (two queries)."""
    found: dict[int, Progress] = defaultdict(Progress)
    if not rounds:
        return found
    # The scores of the rounds' participants, read by participant, less those of headings (the
    # items with children; scores are made for the scored items only, headings kept out all the
    # same). With the scored items as a subquery PostgreSQL read the scores by item and looked
    # each one's participant up (60 ms for 25 rounds nationally, 13 ms now). The headings' ids
    # go in as one array (an IN list of some 400 parameters took 5 ms to compile and plan), and
    # both statements are compiled once a process.
    headings = sorted(set(_headings_read(sheet_ids=sorted({r.sheet_id for r in rounds}))))
    rows = _round_scores_read(round_ids=[r.pk for r in rounds], headings=headings)
    for row in rows:
        progress = found[row["participant__round_id"]]
        progress.self_assessed += row["self_missing"] == 0
        progress.scored += row["missing"] == 0
    return found


def _headings(*, sheet_ids: list[int]) -> QuerySet:
    return (
        Indicator.objects.filter(InArray(F("sheet_id"), sheet_ids), parent__isnull=False)
        .order_by()
        .values_list("parent_id", flat=True)
    )


def _round_scores(*, round_ids: list[int], headings: list[int]) -> QuerySet:
    scores = Score.objects.filter(InArray(F("participant__round_id"), round_ids))
    if headings:
        scores = scores.exclude(InArray(F("indicator_id"), headings))
    return (
        scores.values("participant__round_id", "participant_id")
        .annotate(
            self_missing=Count("pk", filter=Q(self_score__isnull=True)),
            missing=Count("pk", filter=Q(score__isnull=True)),
        )
        .order_by()
    )


_headings_read = Prepared(_headings)
_round_scores_read = Prepared(_round_scores)


def user_participants(*, user, round_ids, counties) -> dict[int, list[Participant]]:
    """round id → the participants answered for by a county of the user's (the links a county
    user follows from the list)."""
    found: dict[int, list[Participant]] = defaultdict(list)
    if not counties:
        return found
    for participant in (
        Participant.objects.filter(round_id__in=list(round_ids), county_id__in=list(counties))
        .select_related("county", "zone", "school")
        .order_by("pk")
    ):
        found[participant.round_id].append(participant)
    return found


def _round(*, pk: int) -> QuerySet[EvaluationRound]:
    return EvaluationRound.objects.select_related("office__region", "sheet", "previous").filter(pk=pk).order_by()


def _participant(*, pk: int) -> QuerySet[Participant]:
    return (
        Participant.objects.select_related("round__office__region", "round__sheet", "county").filter(pk=pk).order_by()
    )


# Compiled once a process: every page of a round or of a participant reads one of them.
_round_read = Prepared(_round)
_participant_read = Prepared(_participant)


def round_get(*, pk: int) -> EvaluationRound | None:
    found = _round_read(pk=pk)
    return found[0] if found else None


def participant_get(*, pk: int) -> Participant | None:
    found = _participant_read(pk=pk)
    return found[0] if found else None


@dataclass
class ParticipantRow:
    participant: Participant
    self_given: int = 0
    scored: int = 0
    reviewed: int = 0
    obligation: Assignment | None = None


@dataclass
class RoundPage:
    items: int
    rows: list[ParticipantRow] = field(default_factory=list)
    self_assessed: int = 0
    scored: int = 0


def _leaves(*, sheet_id: int) -> QuerySet:
    return Indicator.objects.filter(sheet_id=sheet_id, children__isnull=True).values_list("pk", flat=True)


def _round_participants(*, round_id: int) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(round_id=round_id)
        .select_related("county", "zone", "school")
        .order_by("rank", "county__code", "pk")
    )


def _score_counts(*, participant_ids: list[int], leaves: list[int]) -> QuerySet:
    return (
        Score.objects.filter(InArray(F("participant_id"), participant_ids), InArray(F("indicator_id"), leaves))
        .values("participant_id")
        .annotate(
            self_given=Count("pk", filter=Q(self_score__isnull=False)),
            scored=Count("pk", filter=Q(score__isnull=False)),
            reviewed=Count("pk", filter=Q(review_score__isnull=False)),
        )
        .order_by()
    )


def _evaluation_obligations(*, subject_type_id: int, participant_ids: list[int]) -> QuerySet[Assignment]:
    return Assignment.objects.filter(
        InArray(F("subject_id"), participant_ids), kind=Assignment.Kind.EVALUATION, subject_type_id=subject_type_id
    )


# Compiled once a process: a round's page reads them all.
_leaves_read = Prepared(_leaves)
round_participants_read = Prepared(_round_participants)
_score_counts_read = Prepared(_score_counts)
_evaluation_obligations_read = Prepared(_evaluation_obligations)


def round_page(round_: EvaluationRound) -> RoundPage:
    """The round's participants (by rank, then county) with how far each got, and their
    self-assessment obligations: four queries."""
    from django.contrib.contenttypes.models import ContentType

    # The scored items' ids, so that the scores are counted on their index alone: joined to
    # the items and their children, a city's 2,000 scores took 15 ms to count at national scale.
    leaves = sorted(_leaves_read(sheet_id=round_.sheet_id))
    items = len(leaves)
    participants = round_participants_read(round_id=round_.pk)
    ids = [p.pk for p in participants]
    counts = {row["participant_id"]: row for row in _score_counts_read(participant_ids=ids, leaves=leaves)}
    obligations = {}
    if round_.status != EvaluationRound.Status.DRAFT:
        obligations = {
            assignment.subject_id: assignment
            for assignment in _evaluation_obligations_read(
                subject_type_id=ContentType.objects.get_for_model(Participant).pk, participant_ids=ids
            )
        }
    page = RoundPage(items=items)
    for participant in participants:
        count = counts.get(participant.pk, {})
        row = ParticipantRow(
            participant,
            self_given=count.get("self_given", 0),
            scored=count.get("scored", 0),
            reviewed=count.get("reviewed", 0),
            obligation=obligations.get(participant.pk),
        )
        page.rows.append(row)
        page.self_assessed += bool(items) and row.self_given == items
        page.scored += bool(items) and row.scored == items
    # Unranked (no score yet) after the ranked ones.
    page.rows.sort(key=lambda row: (row.participant.rank is None, row.participant.rank or 0))
    return page


@dataclass
class SheetLine:
    """One indicator of the sheet as a participant's page shows it: a heading, or a scored item
    with its score row."""

    indicator: Indicator
    score: Score | None = None
    scored: bool = False
    self_difference: Decimal | None = None  # initial less self
    review_difference: Decimal | None = None  # final less initial
    self_large: bool = False
    review_large: bool = False


def _difference(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else b - a


def _sheet_indicators(*, sheet_id: int) -> QuerySet[Indicator]:
    return Indicator.objects.filter(sheet_id=sheet_id).order_by("position")


def _participant_scores(*, participant_id: int, related: tuple[str, ...]) -> QuerySet[Score]:
    scores = Score.objects.filter(participant_id=participant_id)
    return scores.select_related(*related) if related else scores


SCORED_BY = ("scored_by", "reviewed_by", "inspection")


# Compiled once a process: a participant's sheets (and its results' sheet) read both.
sheet_indicators_read = Prepared(_sheet_indicators)
participant_scores_read = Prepared(_participant_scores)


def participant_sheet(participant: Participant, *, with_people: bool = False) -> list[SheetLine]:
    """The round's sheet, indicator by indicator in order, with the participant's scores and
    their differences (self → initial → final), large ones flagged: two queries."""
    indicators = sheet_indicators_read(sheet_id=participant.round.sheet_id)
    parents = {indicator.parent_id for indicator in indicators if indicator.parent_id}
    by_item = {
        score.indicator_id: score
        for score in participant_scores_read(participant_id=participant.pk, related=SCORED_BY if with_people else ())
    }
    lines = []
    for indicator in indicators:
        line = SheetLine(indicator, score=by_item.get(indicator.pk), scored=indicator.pk not in parents)
        if line.score is not None:
            threshold = indicator.points * DIFFERENCE_SHARE
            line.self_difference = _difference(line.score.self_score, line.score.score)
            line.review_difference = _difference(line.score.score, line.score.review_score)
            line.self_large = line.self_difference is not None and abs(line.self_difference) >= threshold > 0
            line.review_large = line.review_difference is not None and abs(line.review_difference) >= threshold > 0
        lines.append(line)
    return lines


def self_assessment_obligation(participant: Participant) -> Assignment | None:
    from django.contrib.contenttypes.models import ContentType

    found = _evaluation_obligations_read(
        subject_type_id=ContentType.objects.get_for_model(Participant).pk, participant_ids=[participant.pk]
    )
    return min(found, key=lambda obligation: obligation.pk, default=None)
