"""What the results pages read: the ranking, the item-by-item comparison, one participant's
sheet, the revisions with what each changed, and the objections. Each reads a fixed number of
queries, whatever the number of participants and items."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet

from evaluation.models import EvaluationRound, Indicator, Objection, Participant, ResultRevision, Score
from evaluation.scoring import CENT
from evaluation.selectors_rounds import participant_get as rounds_participant_get
from evaluation.selectors_rounds import participant_scores_read, round_participants_read, sheet_indicators_read
from supervision.prepared import Prepared, prefetched

PARTICIPANT_RELATED = ("county", "zone", "school")


def _key(participant: Participant) -> tuple:
    """Who a participant is across years: the same county, zone or school."""
    return (participant.county_id, participant.zone_id, participant.school_id)


def _previous_participants(round_: EvaluationRound) -> dict[tuple, Participant]:
    if round_.previous_id is None:
        return {}
    return {_key(p): p for p in _participants_of_read(round_id=round_.previous_id)}


def _participants_of(*, round_id: int) -> QuerySet[Participant]:
    return Participant.objects.filter(round_id=round_id)


# Compiled once a process: the ranking and the comparison read last year's participants.
_participants_of_read = Prepared(_participants_of)


def participant_get(*, pk: int) -> Participant | None:
    """A participant with what its pages and permissions read: its round with the round's
    office, region and sheet, and its county; a zone or school by its own query, only when it
    is one. The nine tables joined before took PostgreSQL 5–10 ms to plan for a 0.2 ms read."""
    participant = rounds_participant_get(pk=pk)
    if participant is not None:
        prefetched([participant], *[name for name in ("zone", "school") if getattr(participant, f"{name}_id")])
    return participant


def _participants(round_: EvaluationRound) -> list[Participant]:
    found = round_participants_read(round_id=round_.pk)  # with PARTICIPANT_RELATED
    return sorted(found, key=lambda p: (p.rank is None, p.rank or 0, str(p), p.pk))


@dataclass
class RankingRow:
    participant: Participant
    last: Participant | None

    @property
    def difference(self) -> Decimal | None:
        """Final less self-assessed total (negative: the county rated itself higher)."""
        p = self.participant
        if p.total is None or p.self_total is None:
            return None
        return p.total - p.self_total


@dataclass
class Ranking:
    round: EvaluationRound
    rows: list[RankingRow]
    grades: list[tuple[str, str, int]] = field(default_factory=list)  # (grade, label, count)

    @property
    def has_last_year(self) -> bool:
        return self.round.previous_id is not None


def ranking_get(*, round_: EvaluationRound) -> Ranking:
    """The round's participants by rank, with last year's total and rank. Two queries."""
    previous = _previous_participants(round_)
    rows = [RankingRow(participant=p, last=previous.get(_key(p))) for p in _participants(round_)]
    counts = Counter(row.participant.grade for row in rows)
    grades = [(value, label, counts.get(value, 0)) for value, label in Participant.Grade.choices]
    return Ranking(round=round_, rows=rows, grades=grades)


# --- The comparison, item by item ------------------------------------------------------------


@dataclass
class ComparisonCell:
    score: Decimal | None
    change: Decimal | None = None  # against last year's score on the same item


@dataclass
class ComparisonRow:
    indicator: Indicator
    cells: list[ComparisonCell]
    average: Decimal | None
    lowest: Decimal | None
    highest: Decimal | None


@dataclass
class Comparison:
    round: EvaluationRound
    participants: list[Participant]
    rows: list[ComparisonRow]
    has_last_year: bool


def _finals(rows) -> dict[tuple[int, int], Decimal | None]:
    return {
        (participant_id, indicator_id): review if review is not None else score
        for participant_id, indicator_id, score, review in rows
    }


def _score_rows(**where):
    return Score.objects.filter(**where).values_list("participant_id", "indicator_id", "score", "review_score")


def comparison_get(*, round_: EvaluationRound) -> Comparison:
    """Rows: the scored items with their points; columns: the participants by rank; each cell
    the final score and its change against last year where last year's sheet had an item of the
    same number and title. Three queries, three more with a previous round."""
    participants = _participants(round_)
    items = list(Indicator.objects.filter(sheet_id=round_.sheet_id, children__isnull=True).order_by("position"))
    finals = _finals(_score_rows(participant__round=round_))
    last_finals: dict[tuple[int, int], Decimal | None] = {}
    last_item: dict[tuple[str, str], int] = {}
    last_participant: dict[int, int] = {}
    if round_.previous_id is not None:
        last_item = {
            (code, title): pk
            for pk, code, title in Indicator.objects.filter(
                sheet__rounds=round_.previous_id, children__isnull=True
            ).values_list("pk", "code", "title")
        }
        by_key = _previous_participants(round_)
        last_participant = {p.pk: by_key[_key(p)].pk for p in participants if _key(p) in by_key}
        last_finals = _finals(_score_rows(participant__round_id=round_.previous_id))
    # Ids looked up once: 2,000 cells asking each participant its pk cost more than the rest.
    columns = [(p.pk, last_participant.get(p.pk)) for p in participants]
    rows = []
    for item in items:
        item_pk, before_item = item.pk, last_item.get((item.code, item.title))
        cells = []
        for pk, last_pk in columns:
            score = finals.get((pk, item_pk))
            change = None
            if score is not None and before_item is not None and last_pk is not None:
                before = last_finals.get((last_pk, before_item))
                change = None if before is None else score - before
            cells.append(ComparisonCell(score=score, change=change))
        given = [cell.score for cell in cells if cell.score is not None]
        average = (sum(given, Decimal(0)) / len(given)).quantize(CENT, rounding=ROUND_HALF_UP) if given else None
        rows.append(
            ComparisonRow(
                indicator=item,
                cells=cells,
                average=average,
                lowest=min(given) if given else None,
                highest=max(given) if given else None,
            )
        )
    return Comparison(round=round_, participants=participants, rows=rows, has_last_year=bool(last_item))


# --- One participant's sheet ------------------------------------------------------------------


@dataclass
class SheetRow:
    indicator: Indicator
    score: Score | None
    is_heading: bool = False  # a 一级/二级 heading: its items carry the scores

    @property
    def difference(self) -> Decimal | None:
        if self.score is None or self.score.final is None or self.score.self_score is None:
            return None
        return self.score.final - self.score.self_score


@dataclass
class ParticipantSheet:
    participant: Participant
    rows: list[SheetRow]
    last: Participant | None
    objections: list[Objection]
    participants: int  # how many take part: "rank 3 of 15"


def participant_sheet_get(*, participant: Participant) -> ParticipantSheet:
    """The sheet's indicators (headings and items) with the participant's scores, last year's
    result, and its objections. Five queries."""
    round_ = participant.round
    indicators = sheet_indicators_read(sheet_id=round_.sheet_id)
    headings = {i.parent_id for i in indicators if i.parent_id is not None}
    scores = {
        s.indicator_id: s for s in participant_scores_read(participant_id=participant.pk, related=("inspection",))
    }
    last = None
    if round_.previous_id is not None:
        found = _last_year_read(
            round_id=round_.previous_id,
            county_id=participant.county_id,
            zone_id=participant.zone_id,
            school_id=participant.school_id,
        )
        last = found[0] if found else None
    counted = _participant_count_read(round_id=round_.pk)
    return ParticipantSheet(
        participant=participant,
        rows=[SheetRow(indicator=i, score=scores.get(i.pk), is_heading=i.pk in headings) for i in indicators],
        last=last,
        objections=_objections_read(participant_id=participant.pk),
        participants=counted[0] if counted else 0,
    )


def _last_year(*, round_id: int, county_id: int | None, zone_id: int | None, school_id: int | None):
    # An id that is None is part of the query's shape (IS NULL), one compiled SQL for each.
    return Participant.objects.filter(
        round_id=round_id, county_id=county_id, zone_id=zone_id, school_id=school_id
    ).order_by("pk")[:1]


def _participant_count(*, round_id: int):
    return (
        Participant.objects.filter(round_id=round_id)
        .order_by()
        .values("round_id")
        .annotate(count=Count("pk"))
        .values_list("count", flat=True)
    )


def _objections(*, participant_id: int):
    return Objection.objects.filter(participant_id=participant_id).select_related(
        "indicator", "raised_by", "answered_by"
    )


# Compiled once a process: a participant's results page reads them.
_last_year_read = Prepared(_last_year)
_participant_count_read = Prepared(_participant_count)
_objections_read = Prepared(_objections)


# --- Revisions and objections ------------------------------------------------------------------


@dataclass
class RevisionChange:
    participant: str
    total_before: str | None
    total_after: str | None
    rank_before: int | None
    rank_after: int | None


@dataclass
class RevisionView:
    revision: ResultRevision
    changes: list[RevisionChange]


def _revisions(*, round_id: int) -> QuerySet[ResultRevision]:
    return ResultRevision.objects.filter(round_id=round_id).select_related("created_by").order_by("number")


# Compiled once a process: a published round's page reads it.
_revisions_read = Prepared(_revisions)


def revisions_list(*, round_: EvaluationRound, names: dict[int, str] | None = None) -> list[RevisionView]:
    """The published results' revisions, newest first, each with the totals and ranks it changed
    (from the snapshots: revision n against n − 1). `names`: participant id → name, when the
    caller has read the participants already."""
    revisions = _revisions_read(round_id=round_.pk)
    if names is None:
        names = {p.pk: str(p) for p in Participant.objects.filter(round=round_).select_related(*PARTICIPANT_RELATED)}
    views, before = [], None
    for revision in revisions:
        changes = []
        if before is not None:
            for key, now in revision.results.items():
                then = before.get(key, {})
                if then.get("total") != now.get("total") or then.get("rank") != now.get("rank"):
                    changes.append(
                        RevisionChange(
                            participant=names.get(int(key), key),
                            total_before=then.get("total"),
                            total_after=now.get("total"),
                            rank_before=then.get("rank"),
                            rank_after=now.get("rank"),
                        )
                    )
            changes.sort(key=lambda change: (change.rank_after or 0, change.participant))
        views.append(RevisionView(revision=revision, changes=changes))
        before = revision.results
    return list(reversed(views))


def objections_list(*, round_: EvaluationRound, participants: list[Participant] | None = None) -> list[Objection]:
    """The round's objections, open ones first. `participants`: the round's, when the caller
    has read them already (the ranking): they are not joined again."""
    if participants is None:
        return _round_objections_read(round_id=round_.pk, joined=True)
    by_pk = {participant.pk: participant for participant in participants}
    objections = _round_objections_read(round_id=round_.pk, joined=False)
    for objection in objections:
        if objection.participant_id in by_pk:
            objection.participant = by_pk[objection.participant_id]
    return objections


def _round_objections(*, round_id: int, joined: bool) -> QuerySet[Objection]:
    found = Objection.objects.filter(participant__round_id=round_id).order_by("outcome", "-raised_at", "pk")
    participant = (f"participant__{name}" for name in PARTICIPANT_RELATED) if joined else ()
    return found.select_related(*participant, "indicator", "raised_by", "answered_by")


# Compiled once a process: the ranking reads them.
_round_objections_read = Prepared(_round_objections)
