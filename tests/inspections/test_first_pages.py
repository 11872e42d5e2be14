"""The register's and the inspection list's first page, and the 整改 list's, read by queries
compiled once (on PostgreSQL): the same rows, in the same order and counted alike, as the
filtered queryset the later pages read, whatever the filters and whoever asks."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from inspections import selectors
from inspections.models import Inspection, School
from inspections.rectification_selectors import ITEMS_PER_PAGE, rectification_list
from tests.factories import UserFactory
from tests.inspections.builders import school_make, world
from tests.inspections.inspection_builders import inspection_make, inspection_world
from tests.inspections.rectification_builders import TODAY, item_make, work_world

pytestmark = pytest.mark.django_db


def _pages(paged, per_page: int) -> list[tuple[int, list[int]]]:
    paginator = Paginator(paged, per_page)
    return [(paginator.count, [row.pk for row in paginator.page(n).object_list]) for n in paginator.page_range]


@pytest.fixture
def register():
    people = world()
    kinds = [School.Kind.PRIMARY, School.Kind.JUNIOR, School.Kind.SENIOR]
    # More than a page of the first county, so that the first page is cut where a second begins.
    School.objects.bulk_create(
        School(
            county=people["a1"],
            name=f"甲一区第{n:02d}学校",
            kind=kinds[n % 3],
            status=School.Status.CLOSED if n % 7 == 0 else School.Status.OPEN,
            status_date=datetime.date(2025, 7, 1) if n % 7 == 0 else None,
        )
        for n in range(selectors.SCHOOLS_PER_PAGE + 5)
    )
    school_make(people["a2"], "甲二县小学")
    school_make(people["b1"], "乙一区中学", kind=School.Kind.JUNIOR)
    people["admin"] = UserFactory(is_superuser=True)
    return people


@pytest.mark.parametrize("who", ["county_a1", "editor_a", "viewer_a", "admin"])
@pytest.mark.parametrize(
    "filters",
    [None, {"county": "a1"}, {"county": "a2"}, {"kind": School.Kind.JUNIOR}, {"status": "closed"}, {"q": "第0"}],
    ids=["none", "county", "other county", "kind", "status", "name"],
)
def test_the_register_pages_are_the_filtered_schools(register, who, filters):
    user = register[who]
    if filters and "county" in filters:
        filters = {"county": str(register[filters["county"]].pk)}
    filterset, schools = selectors.school_list(user=user, filters=filters)

    paged = selectors.school_pages(filterset=filterset, schools=schools, user=user)

    assert _pages(paged, selectors.SCHOOLS_PER_PAGE) == _pages(schools, selectors.SCHOOLS_PER_PAGE)


def test_the_register_offers_the_counties_the_user_reads(register):
    filterset, _schools = selectors.school_list(user=register["editor_a"])
    offered = [label for value, label in filterset.form.fields["county"].choices if value]
    assert offered == [str(c) for c in selectors.register_counties(user=register["editor_a"])]
    assert len(offered) == 2


@pytest.fixture
def inspections():
    people = inspection_world()
    for year, kind, counties in [
        (2025, Inspection.Kind.SPECIAL, ["a1"]),
        (2026, Inspection.Kind.ROUTINE, ["a2"]),
        (2026, Inspection.Kind.SPECIAL, ["a1", "a2"]),
    ]:
        inspection = inspection_make(
            people, title=f"{year}年督导", kind=kind, counties=[people[c] for c in counties], due=None
        )
        Inspection.objects.filter(pk=inspection.pk).update(
            year=year, starts_on=datetime.date(year, 3, 16), ends_on=datetime.date(year, 3, 20)
        )
    Inspection.objects.filter(year=2025).update(status=Inspection.Status.ON_SITE)
    people["admin"] = UserFactory(is_superuser=True)
    return people


@pytest.mark.parametrize("who", ["editor_a", "county_a1", "province", "admin", "editor_b"])
@pytest.mark.parametrize(
    "filters",
    [None, {"year": "2026"}, {"kind": "special"}, {"status": "on_site"}, {"county": "a2"}, {"year": "2025.0"}],
    ids=["none", "year", "kind", "status", "county", "decimal year"],
)
def test_the_inspection_list_pages_are_the_filtered_inspections(inspections, who, filters):
    user = inspections[who]
    if filters and "county" in filters:
        filters = {"county": str(inspections[filters["county"]].pk)}
    filterset, listed = selectors.inspection_list(user=user, filters=filters)

    paged = selectors.inspection_pages(filterset=filterset, inspections=listed, user=user)

    assert _pages(paged, 2) == _pages(listed, 2)
    assert _pages(paged, selectors.INSPECTIONS_PER_PAGE) == _pages(listed, selectors.INSPECTIONS_PER_PAGE)


def test_the_rectification_lists_first_page_is_its_obligations_first_rows(monkeypatch):
    localdate = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, *args: TODAY if value is None else localdate(value))
    people = work_world()
    for county in ("a1", "a2", "a1"):
        item_make(people, county)
    listing = rectification_list(user=people["editor_a"], office=people["office"], year=TODAY.year, today=TODAY)

    assert listing.first_page is not None
    assert [o.pk for o in listing.first_page()] == [o.pk for o in listing.obligations[:ITEMS_PER_PAGE]]
    assert listing.total == 3

    filtered = rectification_list(
        user=people["editor_a"], office=people["office"], year=TODAY.year, filters={"state": "open"}, today=TODAY
    )
    assert filtered.first_page is None  # read the ORM's way, counted by the paginator
