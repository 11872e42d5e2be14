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


# --- A text search counted up to a cap ---------------------------------------------------------
# "督导室" is in every office's name, "要点" in every title (on PostgreSQL a word of two characters
# is looked up in the plans' gram index): every plan matches.


def searched(q: str):
    filterset = work_plan_filterset(user=UserFactory.build(is_superuser=True), filters={"q": q})
    return work_plan_list(filterset=filterset)


def search_page(number, q="督导室"):
    plans = searched(q)
    pages = work_plan_pages(plans, per_page=PER_PAGE, page=number, searched=True)
    return pages, Paginator(pages, PER_PAGE).get_page(number)


@pytest.fixture
def cap(monkeypatch):
    monkeypatch.setattr("plans.selectors.plans.SEARCH_CAP", 4)
    return 4


@pytest.mark.parametrize("q", ["督导室", "要点"])
@pytest.mark.parametrize("number", [1, 2])
def test_a_search_matching_more_than_the_cap_lists_the_first_rows_up_to_it(plans, cap, number, q):
    pages, page = search_page(number, q=q)

    assert pages.capped
    assert page.paginator.count == cap
    assert page.paginator.num_pages == 2
    assert [plan.pk for plan in page.object_list] == plain(number)[: cap - (number - 1) * PER_PAGE]


@pytest.mark.parametrize("q", ["督导室", "要点"])
def test_a_page_past_the_cap_shows_the_last_page_within_it(plans, cap, q):
    pages, page = search_page(4, q=q)

    assert page.number == 2
    assert [plan.pk for plan in page.object_list] == plain(2)[:1]


def test_a_search_within_the_cap_is_counted_exactly_and_paged_in_order(plans, monkeypatch):
    monkeypatch.setattr("plans.selectors.plans.SEARCH_CAP", 10)
    # "要点1": the plans of 2021, fewer than the cap and more than a page.
    wanted = list(WorkPlan.objects.filter(title="要点1").order_by("office__name", "pk").values_list("pk", flat=True))
    assert len(wanted) == 5

    pages, first = search_page(1, q="要点1")
    _, second = search_page(2, q="要点1")

    assert not pages.capped
    assert first.paginator.count == 5
    assert [plan.pk for plan in first.object_list] + [plan.pk for plan in second.object_list] == wanted


@pytest.mark.parametrize("q", ["督导室", "要点"])
@pytest.mark.parametrize("limit", [4, 20])
@pytest.mark.parametrize("number", [1, 2])
def test_a_search_is_evaluated_once_whatever_the_page(plans, monkeypatch, q, limit, number):
    """The ids found up to the cap, in order; then the page's rows among them, with their
    counts: the search is not evaluated again."""
    monkeypatch.setattr("plans.selectors.plans.SEARCH_CAP", limit)
    listing = searched(q)
    with CaptureQueriesContext(connection) as captured:
        pages = work_plan_pages(listing, per_page=PER_PAGE, page=number, searched=True)
        shown = [plan.pk for plan in Paginator(pages, PER_PAGE).get_page(number).object_list]

    assert shown == plain(number)[: limit - (number - 1) * PER_PAGE]
    statements = [query["sql"] for query in captured.captured_queries]
    assert len(statements) == 2
    assert f"LIMIT {limit + 1}" in statements[0]
    assert q not in statements[1]


# --- A search read a span of years at a time ----------------------------------------------------


@pytest.fixture
def years_of_plans():
    """Two plans a year over six years, every one holding "要点"; "罕见" in 2020's and 2017's
    titles only."""
    office = OfficeFactory(name="甲市督导室")
    for year in range(2015, 2021):
        for n in range(2):
            rare = "罕见" if n == 0 and year in (2020, 2017) else ""
            WorkPlanFactory(office=office, plan_year=year, title=f"{year}年工作要点{rare}{n}")


def walked_search(q: str, cap: int):
    filterset = work_plan_filterset(user=UserFactory.build(is_superuser=True), filters={"q": q})
    walk = (filterset.listed_year_counts, lambda years: work_plan_list(filterset=filterset, years=years))
    return work_plan_pages(work_plan_list(filterset=filterset), per_page=PER_PAGE, searched=True, walk=walk)


@pytest.mark.parametrize("q", ["要点", "罕见", "2018", "不在"])
@pytest.mark.parametrize("limit", [1, 3, 4, 20])
def test_a_search_read_by_years_finds_the_rows_of_the_plain_order(years_of_plans, monkeypatch, q, limit):
    monkeypatch.setattr("plans.selectors.plans.SEARCH_CAP", limit)
    everything = list(searched(q).values_list("pk", flat=True))

    pages = walked_search(q, limit)
    shown = [plan.pk for plan in pages[0 : pages.count()]]

    assert shown == everything[:limit]
    assert pages.capped == (len(everything) > limit)


def test_a_frequent_word_reads_only_the_newest_years(years_of_plans, monkeypatch):
    monkeypatch.setattr("plans.selectors.plans.SEARCH_CAP", 3)
    with CaptureQueriesContext(connection) as captured:
        pages = walked_search("要点", 3)
        pages.count()

    found = [query["sql"] for query in captured.captured_queries if "LIMIT 4" in query["sql"]]
    # Four rows wanted (the cap and one), two plans a year: the two newest years hold them.
    assert len(found) == 1
    assert "2020" in found[0] and "2019" in found[0] and "2018" not in found[0]
    assert pages.capped


def test_a_rare_word_reads_the_older_years_at_once(years_of_plans, monkeypatch):
    monkeypatch.setattr("plans.selectors.plans.SEARCH_CAP", 3)
    with CaptureQueriesContext(connection) as captured:
        pages = walked_search("罕见", 3)
        assert pages.count() == 2

    found = [
        query["sql"] for query in captured.captured_queries if "LIMIT" in query["sql"] and "plans_" in query["sql"]
    ]
    # The newest years that could hold the cap, then every older year in one query: the one
    # plan found says the rest is rare.
    assert len(found) == 2
