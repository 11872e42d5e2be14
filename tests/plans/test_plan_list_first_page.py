"""The plan list's first page is read by a query compiled once (plans.selectors.plans
`work_plan_first_page`): the same plans, in the same order, with the same counts and number in
all as the filters' own queryset gives, for every reader and every filter but a search."""

import pytest
from django.core.paginator import Paginator
from django.db import connection

from organisation.models import Membership
from plans.models import WorkPlan
from plans.selectors.plans import (
    PLANS_PER_PAGE,
    work_plan_filterset,
    work_plan_first_page,
    work_plan_list,
    work_plan_pages,
)
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    UserFactory,
    county_user_create,
    staff_user_create,
    work_plan_build,
)

# Compiled once only on PostgreSQL; elsewhere the list is read the filters' way (no first page).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a prepared read compiles on PostgreSQL only"),
]


@pytest.fixture
def world():
    """Thirty-odd plans of three offices over three years in every state, naming two counties
    in turns, so that a filter's first page is full and its number in all larger."""
    counties = [CountyFactory(name="鼓楼区"), CountyFactory(name="台江区")]
    offices = [OfficeFactory(name="福州市督导室"), OfficeFactory(name="厦门市督导室"), OfficeFactory()]
    states = [WorkPlan.Status.PUBLISHED, WorkPlan.Status.ARCHIVED, WorkPlan.Status.DRAFT, WorkPlan.Status.IN_REVIEW]
    for n in range(34):
        work_plan_build(
            tasks=n % 3,
            counties=[counties[n % 2]] if n % 5 else counties,
            office=offices[n % 3],
            plan_year=2024 + n % 3,
            status=states[n % 4],
            title=f"要点{n % 4}",
        )
    return {"counties": counties, "offices": offices}


def _page(user, filters, *, prepared: bool):
    filterset = work_plan_filterset(user=user, filters=filters or None)
    count = None if filters else sum(filterset.year_counts.values())
    first_page = work_plan_first_page(filterset=filterset, user=user, counted=count is None) if prepared else None
    pages = work_plan_pages(
        work_plan_list(filterset=filterset), per_page=PLANS_PER_PAGE, page=1, count=count, first_page=first_page
    )
    page = Paginator(pages, PLANS_PER_PAGE).get_page(1)
    return page.paginator.count, [(plan.pk, plan.task_count, plan.county_count) for plan in page.object_list]


FILTERS = [
    {},
    {"status": "published"},
    {"status": "draft"},
    {"plan_year": "2025"},
    {"office": "福州"},
    {"office": "无此"},
    {"county": "鼓楼区"},
    {"county": "鼓楼"},
    {"county": "无此区"},
    {"office": "福州市督导室", "county": "台江区", "plan_year": "2026", "status": "archived"},
]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("reader", ["admin", "staff", "county"])
def test_the_first_page_compiled_once_is_the_filters_page(world, reader, filters):
    if reader == "admin":
        user = UserFactory(is_superuser=True)
    elif reader == "staff":
        user = staff_user_create(office=world["offices"][0], role=Membership.Role.REVIEWER)
    else:
        user = county_user_create(county=world["counties"][0])

    expected = _page(user, filters, prepared=False)
    assert expected[0] or filters  # every reader sees plans unfiltered

    assert _page(user, filters, prepared=True) == expected


@pytest.mark.parametrize("filters", [{"q": "要点"}, {"plan_year": "1999"}, {"status": "nonsense"}])
def test_a_search_or_filters_that_are_not_valid_are_read_the_filters_way(world, filters):
    user = staff_user_create(office=world["offices"][0])
    filterset = work_plan_filterset(user=user, filters=filters)

    assert work_plan_first_page(filterset=filterset, user=user, counted=True) is None


def test_the_plan_list_reads_a_filtered_first_page_in_one_query(world, django_assert_num_queries):
    user = staff_user_create(office=world["offices"][0])
    filterset = work_plan_filterset(user=user, filters={"status": "published", "plan_year": "2025"})
    assert filterset.is_valid()  # memberships, then the year choices it validates against
    first_page = work_plan_first_page(filterset=filterset, user=user, counted=True)

    with django_assert_num_queries(1):
        rows = first_page()

    assert rows and {plan.status for plan in rows} == {"published"} and {plan.plan_year for plan in rows} == {2025}
