"""The reads behind the findings and 整改 pages: scoped by who asks, with a fixed number of
queries whatever the number of rows."""

import datetime

import pytest
from django.utils import timezone

from inspections.rectification import rectification_escalate, rectification_obligation
from inspections.rectification_selectors import (
    inspection_findings,
    items_for_page,
    rectification_get,
    rectification_list,
)
from tests.inspections.rectification_builders import PDF, TODAY, finding_make, item_make, upload, work_world
from tracking.models import Assignment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(monkeypatch):
    localdate = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, *args: TODAY if value is None else localdate(value))


@pytest.fixture
def people():
    return work_world()


def test_the_findings_of_an_inspection_by_county_in_three_queries(people, django_assert_num_queries):
    item_make(people, "a1")
    finding_make(people, "a2", files=[upload("a.pdf", PDF), upload("b.pdf", PDF)])
    item_make(people, "a2")
    people["editor_a"].refresh_from_db()  # a fresh user: its memberships read again
    # memberships, findings with their place and item, their files, the items' obligations
    with django_assert_num_queries(4):
        findings = inspection_findings(inspection=people["inspection"], user=people["editor_a"], today=TODAY)
        shown = [
            (f.county.name, len(f.files.all()), f.rectification.obligation.state if f.pk != findings[1].pk else None)
            for f in findings
        ]
    assert [name for name, _files, _state in shown] == ["甲一区", "甲二县", "甲二县"]
    assert shown[1][1] == 2


def test_a_county_reads_only_its_own_findings(people):
    finding_make(people, "a1", text="甲一区的")
    finding_make(people, "a2", text="甲二县的")
    findings = inspection_findings(inspection=people["inspection"], user=people["county_a1"], today=TODAY)
    assert [f.text for f in findings] == ["甲一区的"]


def test_the_list_filters_by_state_county_and_escalation(people, django_assert_num_queries):
    late, on_time, flagged = item_make(people, "a1"), item_make(people, "a2"), item_make(people, "a2")
    Assignment.objects.filter(pk=rectification_obligation(late).pk).update(due_date=datetime.date(2026, 2, 27))
    rectification_escalate(rectification=flagged, escalation="talk", note="约谈", acting_user=None)
    office = people["office"]

    def listed(**filters):
        listing = rectification_list(user=people["editor_a"], office=office, year=2026, filters=filters, today=TODAY)
        return items_for_page(listing.obligations, today=TODAY, counties=listing.counties)

    overdue = listed(state="overdue")
    assert [i.pk for i in overdue] == [late.pk] and overdue[0].days_overdue == 3 and overdue[0].is_overdue
    assert {i.pk for i in listed(county=people["a2"].pk)} == {on_time.pk, flagged.pk}
    assert [i.pk for i in listed(escalation="any")] == [flagged.pk]
    assert listed(state="closed") == []
    assert listed(county=people["b1"].pk) == []  # not a county of the office's items: refused
    # the figures of the year (two), the counties (the filter's choices and the rows' places),
    # the obligations, then their items with what they show
    with django_assert_num_queries(5):
        items = listed()
        [(i.county.name, i.finding.school, i.finding.inspection.title) for i in items]
    assert len(items) == 3
    other = rectification_list(user=people["editor_b"], office=office, year=2026, filters=None, today=TODAY)
    assert list(other.obligations) == []


def test_the_year_figures_count_the_unfiltered_list_for_its_pages(people):
    for key in ("a1", "a2", "a2"):
        item_make(people, key)

    def listing(**filters):
        return rectification_list(
            user=people["editor_a"], office=people["office"], year=2026, filters=filters or None, today=TODAY
        )

    whole = listing()
    assert whole.total == 3 == whole.obligations.count()
    # A filtered list is counted by its pages.
    for narrowed, shown in (({"county": people["a2"].pk}, 2), ({"state": "open"}, 3), ({"escalation": "any"}, 0)):
        assert listing(**narrowed).total is None and listing(**narrowed).obligations.count() == shown
    assert listing(state="nonsense").total == 0


def test_one_item_with_its_history_and_moved_deadline(people):
    item = item_make(people, due_date=datetime.date(2026, 4, 5))
    found = rectification_get(pk=item.pk, today=TODAY)
    assert found.obligation.due_date == datetime.date(2026, 4, 3) and found.deadline_asked == "2026-04-05"
    assert [e.action_type for e in found.events] == ["inspections.rectification.issued"]
