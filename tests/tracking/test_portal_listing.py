"""A kind of obligation with pages of its own (tracking.kinds: portal=False, such as the 挂牌督导
visits a county's schools owe) stays out of the county's portal, its 签收 and its reminders;
the other kinds beside plan work are listed there as before."""

import datetime

import pytest

from inspections.models import School
from tests.factories import CountyFactory, CountyOfficeFactory, county_user_create
from tracking.kinds import kind_get
from tracking.models import Assignment
from tracking.selectors.tracking import portal_get
from tracking.services.assignments import obligations_issue
from tracking.services.reminders import reminders_due

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def owed():
    county = CountyFactory(name="甲县")
    office = CountyOfficeFactory(county=county)
    school = School.objects.create(county=county, name="甲县实验小学", kind=School.Kind.PRIMARY)
    common = {"subject": school, "office": office, "year": 2026, "counties": [county], "acting_user": None}
    obligations_issue(kind="visit", label="挂牌督导：甲县实验小学", period="每月", months=(3,), **common)
    obligations_issue(
        kind="self_assessment", label="自查自评：甲县实验小学", due_date=datetime.date(2026, 3, 20), **common
    )
    return county_user_create(county=county)


def test_the_visit_kind_is_not_listed_in_the_portal():
    assert kind_get("visit").portal is False
    assert kind_get("self_assessment").portal is True


def test_the_portal_lists_the_kinds_it_shows_and_not_the_others(owed):
    portal = portal_get(user=owed, today=TODAY)

    listed = [a for group in portal.urgent for a in group.assignments]
    assert [a.kind for a in listed] == ["self_assessment"]
    assert portal.counts["open"] == 1


def test_acknowledging_everything_leaves_the_visits_alone(client, owed):
    client.force_login(owed)

    client.post("/assignments/acknowledge/", {"assignment": list(Assignment.objects.values_list("pk", flat=True))})

    states = dict(Assignment.objects.values_list("kind", "state"))
    assert states == {"visit": Assignment.State.ASSIGNED, "self_assessment": Assignment.State.ACKNOWLEDGED}


def test_the_county_is_not_reminded_of_the_visits(owed):
    drafts = reminders_due(today=datetime.date(2026, 3, 30), skip_reminded=False)

    assert [a.kind for draft in drafts for a in draft.assignments] == ["self_assessment"]
