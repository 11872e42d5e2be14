"""The plan list a page at a time (plans.selectors.paging): with the number in all known, a page
past the middle is read from the other end, and every page holds the rows the plain order puts
there, ties and all."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import WorkPlan
from plans.selectors.plans import work_plan_filterset, work_plan_list, work_plan_pages
from tests.factories import OfficeFactory, UserFactory, WorkPlanFactory

pytestmark = pytest.mark.django_db

PER_PAGE = 3


@pytest.fixture
def plans():
    """Eleven plans over two years and three offices, with titles repeated: only the ids tell
    some of them apart."""
    offices = [OfficeFactory(name="甲市督导室"), OfficeFactory(name="乙市督导室"), OfficeFactory(name="丙市督导室")]
    for n in range(11):
        WorkPlanFactory(office=offices[n % 3], plan_year=2020 + n % 2, title=f"要点{n % 2}")
    return WorkPlan.objects.count()


def listed():
    # An administrator: no memberships read, the order alone.
    filterset = work_plan_filterset(user=UserFactory.build(is_superuser=True))
    return work_plan_list(filterset=filterset)


def page_of(number, *, count=None, plans=None):
    pages = work_plan_pages(listed() if plans is None else plans, per_page=PER_PAGE, page=number, count=count)
    return Paginator(pages, PER_PAGE).get_page(number)


def plain(number) -> list[int]:
    ids = list(listed().values_list("pk", flat=True))
    return ids[(number - 1) * PER_PAGE : number * PER_PAGE]


@pytest.mark.parametrize("number", [1, 2, 3, 4])
@pytest.mark.parametrize("known", [True, False])
def test_every_page_holds_the_rows_of_the_plain_order(plans, number, known):
    page = page_of(number, count=plans if known else None)

    assert [plan.pk for plan in page.object_list] == plain(number)
    assert page.paginator.count == plans
    assert page.paginator.num_pages == 4


def test_the_last_page_read_from_the_end_has_the_rest_and_its_counts(plans):
    page = page_of(4, count=plans)

    assert len(page.object_list) == 2
    assert not page.has_next()
    assert all(hasattr(plan, "task_count") and hasattr(plan, "county_count") for plan in page.object_list)


@pytest.mark.parametrize("number", ["5", "999", "400000000000000000"])
def test_a_page_past_the_end_shows_the_last(plans, number):
    page = page_of(number, count=plans)

    assert page.number == 4
    assert [plan.pk for plan in page.object_list] == plain(4)


def test_a_page_past_the_middle_costs_what_an_earlier_one_does(plans, django_assert_num_queries):
    # The page's ids, then those rows with their counts; the number in all is known.
    for number in (2, 4):
        listing = listed()
        with django_assert_num_queries(2):
            list(page_of(number, count=plans, plans=listing).object_list)


def test_the_last_page_sorts_only_its_rows(plans):
    """Read from the end, the query that picks the last page's ids skips no row."""
    listing = listed()
    with CaptureQueriesContext(connection) as queries:
        list(page_of(4, count=plans, plans=listing).object_list)

    picking = queries.captured_queries[0]["sql"]
    assert "OFFSET" not in picking.upper()
    assert "LIMIT 2" in picking.upper()
