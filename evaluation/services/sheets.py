"""Indicator sheets (指标体系): created empty, imported from a workbook, edited whole in the
browser, copied to the next year. Every path that writes a sheet's indicators goes through
`_indicators_write`, after `sheet_edit_refusal` has said the sheet may change."""

from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils.translation import gettext_lazy as _

from audit.services import log_action
from evaluation import actions
from evaluation.models import EvaluationRound, Indicator, IndicatorSheet
from evaluation.sheet_import import Row, parents_of, scored_flags

error_messages = {
    "published": _("This sheet is used by the published round “%(round)s”; it can no longer be changed."),
    "under_way": _(
        "This sheet is used by the round “%(round)s”, which is past its preparation; the sheet can be "
        "changed only while the rounds that use it are being prepared."
    ),
    "duplicate": _("The office already has a sheet “%(title)s” for %(year)s."),
    "no_rows": _("The sheet lists no indicator."),
    "outline": _("Row %(row)s: a level %(level)s indicator needs a level %(parent)s indicator above it."),
    "veto_heading": _("Only a scored item can be a veto item, not the heading “%(title)s”."),
    "scored": _("The indicator “%(title)s” has scores already and cannot be removed."),
}


# Added to the positions kept while a sheet is rewritten; a sheet has at most a few hundred rows.
_OUT_OF_THE_WAY = 1_000_000


def _error(code: str, **params) -> ValidationError:
    return ValidationError(error_messages[code], code=code, params=params)


def sheet_edit_refusal(sheet: IndicatorSheet, rounds=None) -> ValidationError | None:
    """Why `sheet` may not change now, or None: a round using it is published (locked for good),
    or under way (self-assessment, scoring, review). `rounds`: the sheet's rounds, when read."""
    if rounds is None:
        rounds = list(EvaluationRound.objects.filter(sheet=sheet).only("title", "status", "year"))
    for round_ in rounds:
        if round_.status == EvaluationRound.Status.PUBLISHED:
            return _error("published", round=str(round_))
    for round_ in rounds:
        if round_.status != EvaluationRound.Status.DRAFT:
            return _error("under_way", round=str(round_))
    return None


def _check_new_title(*, office, year: int, title: str, exclude: int | None = None) -> None:
    taken = IndicatorSheet.objects.filter(office=office, year=year, title=title)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"title": _error("duplicate", title=title, year=year)})


def _sheet_create(*, office, title: str, year: int, note: str, acting_user, copied_from=None) -> IndicatorSheet:
    _check_new_title(office=office, year=year, title=title)
    sheet = IndicatorSheet(
        office=office, title=title, year=year, note=note, created_by=acting_user, copied_from=copied_from
    )
    sheet.full_clean(exclude=["created_by", "copied_from"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            sheet.save()
    except IntegrityError:  # the same title saved meanwhile
        raise ValidationError({"title": _error("duplicate", title=title, year=year)}) from None
    return sheet


def _outline_check(rows: list[Row]) -> None:
    if not rows:
        raise _error("no_rows")
    try:
        parents_of([row.level for row in rows])
    except ValueError as wrong:
        index, level = wrong.args
        raise _error("outline", row=index + 1, level=level, parent=level - 1) from None
    for row, scored in zip(rows, scored_flags([row.level for row in rows]), strict=True):
        if row.veto and not scored:
            raise _error("veto_heading", title=row.title)


def _indicators_write(*, sheet: IndicatorSheet, rows: list[Row], ids: list[int | None] | None = None) -> dict:
    """Make the sheet's indicators `rows`, in order; `ids[i]` names the indicator row i keeps
    (None: a new one); the sheet's other indicators are removed. Returns the counts."""
    _outline_check(rows)
    ids = ids or [None] * len(rows)
    existing = {indicator.pk: indicator for indicator in Indicator.objects.select_for_update().filter(sheet=sheet)}
    # Out of the way of the new positions first: (sheet, position) is unique.
    if existing:
        Indicator.objects.filter(sheet=sheet).update(position=F("position") + _OUT_OF_THE_WAY)
    parents = parents_of([row.level for row in rows])
    saved: list[Indicator] = []
    kept = set()
    for position, (row, pk, parent) in enumerate(zip(rows, ids, parents, strict=True), start=1):
        indicator = existing.get(pk) if pk is not None else None
        if indicator is None:
            indicator = Indicator(sheet=sheet)
        else:
            kept.add(indicator.pk)
        indicator.parent = saved[parent] if parent is not None else None
        indicator.level = row.level
        indicator.position = position
        indicator.code = row.code
        indicator.title = row.title
        indicator.points = row.points
        indicator.method = row.method
        indicator.rule = row.rule
        indicator.evidence = row.evidence
        indicator.scale = row.scale if row.method == Indicator.Method.SCALE else []
        indicator.veto = row.veto
        indicator.source = row.source
        indicator.full_clean(exclude=["sheet", "parent"], validate_unique=False, validate_constraints=False)
        indicator.save()
        saved.append(indicator)
    removed = [indicator for pk, indicator in existing.items() if pk not in kept]
    try:
        with transaction.atomic():
            Indicator.objects.filter(pk__in=[indicator.pk for indicator in removed]).delete()
    except ProtectedError as protected:
        title = next(iter(protected.protected_objects)).indicator.title
        raise _error("scored", title=title) from None
    return {"indicators": len(rows), "added": len(rows) - len(kept), "removed": len(removed)}


@transaction.atomic
def sheet_create(*, office, title: str, year: int, note: str = "", acting_user) -> IndicatorSheet:
    sheet = _sheet_create(office=office, title=title, year=year, note=note, acting_user=acting_user)
    log_action(sheet, actions.SHEET_EDITED, user=acting_user, office=office, data={"created": True})
    return sheet


@transaction.atomic
def sheet_import(*, office, title: str, year: int, note: str = "", rows: list[Row], source_name: str, acting_user):
    """A new sheet with the indicators read from a workbook, all of them or nothing."""
    sheet = _sheet_create(office=office, title=title, year=year, note=note, acting_user=acting_user)
    counts = _indicators_write(sheet=sheet, rows=rows)
    log_action(
        sheet,
        actions.SHEET_IMPORTED,
        user=acting_user,
        office=office,
        data={"file": source_name[:200], "indicators": counts["indicators"]},
    )
    return sheet


@transaction.atomic
def sheet_edit(
    *, sheet: IndicatorSheet, title: str, note: str, rows: list[Row], ids: list[int | None], acting_user
) -> IndicatorSheet:
    """The sheet's title, note and every indicator at once, while no round under way uses it."""
    sheet = IndicatorSheet.objects.select_for_update().get(pk=sheet.pk)
    refusal = sheet_edit_refusal(sheet)
    if refusal is not None:
        raise refusal
    _check_new_title(office=sheet.office, year=sheet.year, title=title, exclude=sheet.pk)
    sheet.title, sheet.note = title, note
    sheet.full_clean(exclude=["created_by", "copied_from"], validate_unique=False, validate_constraints=False)
    sheet.save(update_fields=["title", "note"])
    counts = _indicators_write(sheet=sheet, rows=rows, ids=ids)
    log_action(sheet, actions.SHEET_EDITED, user=acting_user, office=sheet.office, data=counts)
    return sheet


def sheet_rows(sheet: IndicatorSheet) -> list[Row]:
    """The sheet's indicators as rows, in order."""
    return [
        Row(
            level=indicator.level,
            title=indicator.title,
            code=indicator.code,
            points=indicator.points,
            method=indicator.method,
            rule=indicator.rule,
            evidence=indicator.evidence,
            scale=list(indicator.scale or []),
            veto=indicator.veto,
            source=indicator.source,
        )
        for indicator in Indicator.objects.filter(sheet=sheet).order_by("position")
    ]


@transaction.atomic
def sheet_copy(*, sheet: IndicatorSheet, year: int, title: str, acting_user) -> IndicatorSheet:
    """A new sheet of the same office for `year`, with every indicator of `sheet`."""
    rows = [replace(row) for row in sheet_rows(sheet)]
    copy = _sheet_create(
        office=sheet.office, title=title, year=year, note=sheet.note, acting_user=acting_user, copied_from=sheet
    )
    if rows:
        _indicators_write(sheet=copy, rows=rows)
    log_action(
        copy,
        actions.SHEET_COPIED,
        user=acting_user,
        office=sheet.office,
        data={"from": sheet.pk, "from_year": sheet.year, "indicators": len(rows)},
    )
    return copy
