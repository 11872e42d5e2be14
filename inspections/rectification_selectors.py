"""Reads for the findings and 整改 pages, scoped by inspections.permissions; each list's query
count stays the same whatever its rows (asserted in the tests)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from audit.selectors import events_of
from inspections import actions
from inspections.models import Finding, FindingFile, Inspection, Rectification, School
from inspections.permissions import (
    inspection_counties_shown,
    list_offices_q,
    rectification_reader,
    rectifications_readable_q,
)
from organisation.models import County, Office
from organisation.selectors import counties_of
from supervision.choices import choices_in_hand
from supervision.lookups import InArray
from supervision.prepared import Prepared, PreparedPrefetch, prefetched
from tracking.models import Assignment
from tracking.selectors.tracking import REPORTS_SHOWN

RECTIFICATION = Assignment.Kind.RECTIFICATION


def _rectification_type() -> ContentType:
    return ContentType.objects.get_for_model(Rectification)


def _obligations(*, subject_type_id: int, ids: list[int]) -> QuerySet[Assignment]:
    # The pages show an obligation's state and due dates: its moments stay unread (Django parses
    # a timestamp in Python).
    return (
        Assignment.objects.filter(InArray(F("subject_id"), ids), kind=RECTIFICATION, subject_type_id=subject_type_id)
        .defer("created_at", "acknowledged_at", "closed_at")
        .order_by("-pk")
    )


# Compiled once a process: every page that shows 整改 items reads it.
_obligations_read = Prepared(_obligations)


def obligations_of(items) -> dict[int, Assignment]:
    """Each item's obligation by item id, in one query."""
    ids = sorted(item.pk for item in items)
    if not ids:
        return {}
    found = _obligations_read(subject_type_id=_rectification_type().pk, ids=ids)
    return {obligation.subject_id: obligation for obligation in found}


def rectification_marked(item: Rectification, obligation: Assignment | None, today: datetime.date) -> Rectification:
    """`item` with its obligation and what the lists show of it: overdue (open past its due
    date, schedule.urgency's rule as Assignment.overdue_q says it), days overdue, closed."""
    item.obligation = obligation
    overdue = obligation is not None and obligation.is_open and obligation.due_date < today
    item.days_overdue = (today - obligation.due_date).days if overdue else 0
    item.is_overdue = overdue
    item.is_closed = obligation is not None and obligation.state == Assignment.State.ACCEPTED
    return item


# --- Findings ------------------------------------------------------------------------------------


_FINDING_RELATED = ("county", "school", "item", "rectification", "created_by")
_FILES = PreparedPrefetch("files", FindingFile.objects.order_by("pk"))


def _inspection_findings(*, inspection_id: int, shown: list[int] | None) -> QuerySet[Finding]:
    findings = Finding.objects.filter(inspection_id=inspection_id)
    if shown is not None:
        findings = findings.filter(InArray(F("county_id"), shown))
    return findings.select_related(*_FINDING_RELATED).order_by("county__code", "county_id", "created_at", "pk")


# Compiled once a process: an inspection's findings page reads it.
_inspection_findings_read = Prepared(_inspection_findings)


def inspection_findings(*, inspection: Inspection, user, today: datetime.date) -> list[Finding]:
    """The inspection's findings of the counties `user` sees of it, by county; each with its
    files and its 整改 item (`rectification`, with its obligation), if issued."""
    shown = inspection_counties_shown(user, inspection)
    findings = prefetched(
        _inspection_findings_read(inspection_id=inspection.pk, shown=None if shown is None else sorted(shown)),
        _FILES,
    )
    items = [f.rectification for f in findings if has_rectification(f)]
    obligations = obligations_of(items)
    for item in items:
        rectification_marked(item, obligations.get(item.pk), today)
    return findings


def has_rectification(finding: Finding) -> bool:
    try:
        return finding.rectification is not None
    except Rectification.DoesNotExist:
        return False


def finding_get(*, pk: int) -> Finding | None:
    """A finding with its source, place, files and 整改 item (the caller checks who reads it)."""
    found = (
        Finding.objects.filter(pk=pk)
        .select_related(*_FINDING_RELATED, "inspection__office", "visit__school", "visit__inspector")
        .first()
    )
    return prefetched([found], _FILES)[0] if found is not None else None


def finding_file_get(*, pk: int) -> FindingFile | None:
    return (
        FindingFile.objects.select_related(
            "finding__inspection__office", "finding__visit__inspector", "finding__county__city"
        )
        .filter(pk=pk)
        .first()
    )


def finding_schools(*, inspection: Inspection) -> QuerySet[School]:
    """The schools a finding of the inspection may name: its own schools, else the open schools
    of its counties."""
    schools = inspection.schools.all()
    if not schools.exists():
        schools = School.objects.filter(county__in=inspection.counties.all(), status=School.Status.OPEN)
    return schools.select_related("county").order_by("county__code", "name", "pk")


# --- 整改 items ----------------------------------------------------------------------------------


class RectificationFilter(django_filters.FilterSet):
    county = django_filters.ModelChoiceFilter(
        label=_("County"), queryset=County.objects.none(), empty_label=_("All counties")
    )
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("open", _("Open")), ("overdue", _("Overdue")), ("closed", _("Closed (销号)"))],
        empty_label=_("All statuses"),
        method="filter_none",
    )
    escalation = django_filters.ChoiceFilter(
        label=_("Escalation"),
        choices=[("any", _("Any escalation")), *[c for c in Rectification.Escalation.choices if c[0]]],
        empty_label=_("With or without"),
        method="filter_escalation",
    )

    class Meta:
        model = Rectification
        fields = ["county", "state", "escalation"]

    def __init__(self, *args, counties=None, county_choices: list[County] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if counties is not None:
            self.filters["county"].queryset = counties
            self.form.fields["county"].queryset = counties
        if county_choices is not None:
            choices_in_hand(self.form.fields["county"], county_choices)

    def filter_none(self, queryset, name, value):
        return queryset  # filtered on the obligations (rectification_list)

    def filter_escalation(self, queryset, name, value):
        return queryset.exclude(escalation="") if value == "any" else queryset.filter(escalation=value)


def _list_offices(*, everyone: bool, office_ids: list[int]) -> QuerySet[Office]:
    where = list_offices_q(everyone=everyone, office_ids=office_ids)
    offices = Office.objects.all() if where is None else Office.objects.filter(where)
    return offices.order_by("level", "name")


def _items_listed(
    *, office_id: int, year: int, everyone: bool, office_ids: list[int], county_ids: list[int], province_ids: list[int]
) -> QuerySet:
    items = Rectification.objects.filter(office_id=office_id, year=year)
    scope = rectifications_readable_q(
        everyone=everyone, office_ids=office_ids, county_ids=county_ids, province_ids=province_ids
    )
    items = items if scope is None else items.filter(scope)
    return items.order_by().values_list("pk", "escalation", "county_id")


# Compiled once a process: every 整改 list reads them.
_list_offices_read = Prepared(_list_offices)
_items_listed_read = Prepared(_items_listed)


def rectification_offices(*, user) -> list[Office]:
    """The offices whose 整改 items `user` lists: their own offices (all for administrators)."""
    reader = rectification_reader(user)
    return _list_offices_read(everyone=reader["everyone"], office_ids=reader["office_ids"])


def _years(*, office_id: int) -> QuerySet:
    return Rectification.objects.filter(office_id=office_id).order_by("-year").values_list("year", flat=True).distinct()


def _year_counts(*, type_id: int, ids: list[int], today: datetime.date) -> QuerySet:
    """The listed items' obligations counted: in all, open, overdue, closed (one row, by their
    kind, which they share)."""
    return (
        Assignment.objects.filter(InArray(F("subject_id"), ids), kind=RECTIFICATION, subject_type_id=type_id)
        .order_by()
        .values("kind")
        .annotate(
            all=Count("pk"),
            open=Count("pk", filter=Q(state__in=Assignment.OPEN)),
            overdue=Count("pk", filter=Assignment.overdue_q(today)),
            closed=Count("pk", filter=Q(state=Assignment.State.ACCEPTED)),
        )
    )


# Compiled once a process: every 整改 list reads them.
_years_read = Prepared(_years)
_year_counts_read = Prepared(_year_counts)


def rectification_years(*, office: Office) -> list[int]:
    """The years the office issued 整改 items in, latest first (the list's year switch)."""
    return _years_read(office_id=office.pk)


ITEMS_PER_PAGE = 50


@dataclass
class RectificationList:
    filter: RectificationFilter
    obligations: QuerySet[Assignment]
    # The counties of the office's items of the year, by id: the filter's choices, the rows' places.
    counties: dict[int, County]
    # The office's year in figures, whatever the filters: open, overdue, closed, escalated.
    counts: dict[str, int]
    # How many obligations are listed, when counted already (no filter): the pages' count.
    total: int | None = None
    # The first page of obligations read by a query compiled once, when counted already.
    first_page: Callable[[], list[Assignment]] | None = None


def _listed_obligations(obligations: QuerySet[Assignment]) -> QuerySet[Assignment]:
    # The rows show an obligation's state and due date: its moments (a timestamp is parsed in
    # Python, three a row) stay unread.
    return obligations.defer("created_at", "acknowledged_at", "closed_at").order_by("due_date", "pk")


def _first_obligations(*, type_id: int, ids: list[int]) -> QuerySet[Assignment]:
    obligations = Assignment.objects.filter(kind=RECTIFICATION, subject_type_id=type_id)
    return _listed_obligations(obligations.filter(InArray(F("subject_id"), ids)))[:ITEMS_PER_PAGE]


# Compiled once a process: the list's first page, unfiltered.
_first_obligations_read = Prepared(_first_obligations)


def rectification_list(*, user, office: Office, year: int, filters=None, today: datetime.date) -> RectificationList:
    """The office's 整改 items of `year` as their obligations (for paging: due date first), filtered
    by county, state (open, overdue, closed) and escalation. `items_for_page` reads the page's
    items."""
    reader = rectification_reader(user)
    # The items' ids listed, not a subquery: counting a page's obligations of a subquery,
    # PostgreSQL merged it with every 整改 obligation of every year (6 ms at national scale and
    # growing with the years kept, 0.2 ms by the listed ids). The counties too (0.8 → 0.2 ms).
    listed = _items_listed_read(office_id=office.pk, year=year, **reader)
    ids = [pk for pk, _escalation, _county in listed]
    # What the filters narrow (by county, by escalation): the items listed, by their ids.
    items = Rectification.objects.filter(InArray(F("pk"), ids))
    county_ids = sorted({county for _pk, _escalation, county in listed})
    # The filter checks a county asked for against these (a query only then).
    counties = County.objects.filter(pk__in=county_ids)
    county_list = counties_of(county_ids)
    filterset = RectificationFilter(filters, queryset=items, counties=counties, county_choices=county_list)
    by_id = {county.pk: county for county in county_list}
    obligations = Assignment.objects.filter(kind=RECTIFICATION, subject_type=_rectification_type())
    found = _year_counts_read(type_id=_rectification_type().pk, ids=sorted(ids), today=today)
    counts = {name: found[0][name] if found else 0 for name in ("open", "overdue", "closed")}
    total = found[0]["all"] if found else 0
    counts["escalated"] = sum(1 for _pk, escalation, _county in listed if escalation)
    if filterset.is_bound and not filterset.is_valid():
        return RectificationList(filterset, obligations.none(), by_id, counts, total=0)
    narrowed = filterset.is_bound and any(filterset.form.cleaned_data.get(name) for name in ("county", "escalation"))
    if narrowed:
        ids = list(filterset.qs.order_by().values_list("pk", flat=True))
    obligations = obligations.filter(InArray(F("subject_id"), ids))
    state = filterset.form.cleaned_data.get("state") if filterset.is_bound else ""
    if state == "open":
        obligations = obligations.filter(state__in=Assignment.OPEN)
    elif state == "overdue":
        obligations = obligations.overdue(today)
    elif state == "closed":
        obligations = obligations.filter(state=Assignment.State.ACCEPTED)
    if narrowed or state:
        return RectificationList(filterset, _listed_obligations(obligations), by_id, counts)
    ids = sorted(ids)
    return RectificationList(
        filterset,
        _listed_obligations(obligations),
        by_id,
        counts,
        total=total,
        first_page=lambda: _first_obligations_read(type_id=_rectification_type().pk, ids=ids),
    )


_LISTED = (
    "id",
    "office_id",
    "year",
    "requirement",
    "escalation",
    "needs_follow_up",
    "confirmed_by_id",
    "county_id",
    "finding__id",
    "finding__county_id",
    "finding__school__id",
    "finding__school__name",
    "finding__inspection__id",
    "finding__inspection__title",
    "finding__inspection__office_id",
    "finding__visit__id",
    "finding__visit__visited_on",
    "finding__visit__school_id",
)


def _listed_items(*, ids: list[int]) -> QuerySet[Rectification]:
    return (
        Rectification.objects.filter(InArray(F("pk"), ids))
        # Not the county: the list has read its items' counties, and joined here, PostgreSQL
        # hashed every county of the country for the page's rows (1.0 of 1.5 ms).
        .select_related("finding__school", "finding__inspection", "finding__visit")
        # What the rows show: the visit's record and the inspection's texts stay in the database.
        .only(*_LISTED)
        .order_by()
    )


# Compiled once a process: every page of the list reads it.
_listed_items_read = Prepared(_listed_items)


def items_for_page(obligations, *, today: datetime.date, counties: dict[int, County]) -> list[Rectification]:
    """The 整改 items of a page of obligations, in its order, with their finding, place and
    source; `counties`: the list's (RectificationList.counties)."""
    obligations = list(obligations)
    by_pk = {item.pk: item for item in _listed_items_read(ids=sorted(o.subject_id for o in obligations))}
    county = Rectification.county.field
    for item in by_pk.values():
        if item.county_id in counties:  # else (an item written since) read when shown
            county.set_cached_value(item, counties[item.county_id])
    return [rectification_marked(by_pk[o.subject_id], o, today) for o in obligations if o.subject_id in by_pk]


def _rectification_page(*, pk: int) -> QuerySet[Rectification]:
    # Without LIMIT (the primary key finds one row at most): with one, PostgreSQL weighs
    # fast-start plans for the fourteen tables and planning took 20-30 ms, running under 1.
    return (
        Rectification.objects.select_related(
            "office__region",
            "county__city",
            "finding__inspection",
            "finding__visit__school",
            "finding__county",
            "finding__school",
            "finding__item",
            "confirmed_by",
            "created_by",
        )
        .filter(pk=pk)
        .order_by()
    )


# Compiled once a process (and planned once a connection, as a prepared statement): the
# fourteen tables' join cost more to build and plan than to read.
_rectification_page_read = Prepared(_rectification_page)


_ITEM_FILES = PreparedPrefetch("finding__files", FindingFile.objects.order_by("pk"))
_FOLLOW_UPS = PreparedPrefetch("follow_ups", Inspection.objects.order_by("starts_on", "pk"))


def rectification_get(*, pk: int, today: datetime.date) -> Rectification | None:
    """An item with its finding (source, place, files), its obligation with the county's reports
    and their evidence, the follow-up checks that go back to it and its history (audit events,
    oldest first). The caller checks who reads it."""
    found = _rectification_page_read(pk=pk)
    if not found:
        return None
    item = prefetched(found, _ITEM_FILES, _FOLLOW_UPS)[0]
    obligation = obligations_of([item]).get(item.pk)
    if obligation is not None:
        prefetched([obligation], REPORTS_SHOWN)
    rectification_marked(item, obligation, today)
    item.events = events_of(item, oldest_first=True)
    escalations = dict(Rectification.Escalation.choices)
    for event in item.events:
        data = event.data or {}
        # What the history line adds to the action's name: the deadline, the new escalation,
        # the follow-up check.
        if event.action_type == actions.RECTIFICATION_ISSUED.name:
            event.detail = _("due %(date)s") % {"date": data.get("due", "")}
        elif event.action_type == actions.RECTIFICATION_ESCALATED.name:
            event.detail = str(escalations.get(data.get("to", ""), ""))
        else:
            event.detail = data.get("title", "")
    # The deadline as staff asked it, when the official calendar moved it to a working day.
    issued = next((e for e in item.events if e.action_type == actions.RECTIFICATION_ISSUED.name), None)
    asked = (issued.data or {}).get("asked") if issued is not None else None
    item.deadline_asked = asked if obligation is not None and asked != obligation.due_date_rule.isoformat() else None
    return item


def _follow_ups(*, office_id: int) -> QuerySet[Inspection]:
    return (
        Inspection.objects.filter(office_id=office_id, kind=Inspection.Kind.FOLLOW_UP)
        .exclude(status=Inspection.Status.CLOSED)
        .order_by("-starts_on", "-pk")
    )


# Compiled once a process: the 整改 list offers them on every page.
_follow_ups_read = Prepared(_follow_ups)


def follow_up_choices(*, office: Office) -> QuerySet[Inspection]:
    """The office's follow-up checks still to be done, for adding items to one."""
    return _follow_ups(office_id=office.pk)


def follow_ups_open(*, office: Office) -> list[Inspection]:
    """follow_up_choices read: what the form offers (choices_in_hand)."""
    return _follow_ups_read(office_id=office.pk)


def follow_up_items(*, inspection: Inspection, user, today: datetime.date) -> list[Rectification]:
    """The items a follow-up check goes back to (of the counties `user` sees of it)."""
    items = inspection.follows_up.select_related("county", "finding__school", "confirmed_by").order_by(
        "county__code", "pk"
    )
    shown = inspection_counties_shown(user, inspection)
    if shown is not None:
        items = items.filter(county_id__in=sorted(shown))
    items = list(items)
    obligations = obligations_of(items)
    return [rectification_marked(item, obligations.get(item.pk), today) for item in items]


def rectifications_for_follow_up(*, office: Office, ids) -> QuerySet[Rectification]:
    """Of `ids`, the office's items still open (the follow-up form's choices)."""
    open_ids = Assignment.objects.filter(
        kind=RECTIFICATION, subject_type=_rectification_type(), state__in=Assignment.OPEN
    ).values("subject_id")
    return Rectification.objects.filter(Q(pk__in=ids), office=office, pk__in=open_ids)
