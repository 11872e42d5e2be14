"""Who reads, runs and records findings for an inspection (inspections.permissions): its office's
staff, the counties it visits once it is announced (an unannounced check only once it is over),
its team's members with an account, the province over its office, administrators."""

import pytest
from django.contrib.auth import get_user_model

from inspections.models import Inspection
from inspections.permissions import (
    inspection_counties_shown,
    inspection_offices_run,
    inspections_listed_q,
)
from inspections.selectors import self_assessments
from inspections.services.inspections import MemberData, inspection_move
from tests.factories import UserFactory, county_user_create
from tests.inspections.builders import inspector_make
from tests.inspections.inspection_builders import inspection_make, inspection_world, self_assessment_started

pytestmark = pytest.mark.django_db
Status = Inspection.Status


@pytest.fixture
def people():
    return inspection_world()


def _listed(user) -> set[str]:
    where = inspections_listed_q(user)
    found = Inspection.objects.all() if where is None else Inspection.objects.filter(where).distinct()
    return set(found.values_list("title", flat=True))


def _fresh(user):
    # A user object as a new request has it: nothing cached from an earlier question.
    return get_user_model().objects.get(pk=user.pk)


def test_the_offices_staff_read_every_one_of_its_inspections(people):
    inspection_make(people, title="准备中")
    self_assessment_started(people, title="自查中")

    assert _listed(people["editor_a"]) == {"准备中", "自查中"}
    assert _listed(people["viewer_a"]) == {"准备中", "自查中"}
    assert _listed(people["editor_b"]) == set()


def test_a_county_reads_an_inspection_of_its_county_once_announced(people):
    inspection_make(people, title="准备中")
    self_assessment_started(people, title="甲一甲二", counties=[people["a1"], people["a2"]])
    self_assessment_started(people, title="只有甲二", counties=[people["a2"]])

    assert _listed(people["county_a1"]) == {"甲一甲二"}
    assert _listed(people["county_a2"]) == {"甲一甲二", "只有甲二"}
    assert _listed(county_user_create(county=people["b1"])) == set()


def test_an_unannounced_check_is_the_countys_only_once_it_is_over(people):
    check = inspection_make(people, title="暗访", kind=Inspection.Kind.RANDOM, due=None)
    inspection_move(inspection=check, to=Status.ON_SITE, acting_user=None)
    assert _listed(_fresh(people["county_a1"])) == set()

    inspection_move(inspection=check, to=Status.RECTIFICATION, acting_user=None)
    assert _listed(_fresh(people["county_a1"])) == {"暗访"}


def test_the_province_reads_the_inspections_of_the_offices_beneath_it(people):
    inspection_make(people, title="甲市的")

    assert _listed(people["province"]) == {"甲市的"}


def test_a_team_member_with_an_account_or_as_an_inspector_reads_it(people):
    # Staff of another office on the team, and a 督学 with an account.
    member, inspector_user = people["editor_b"], UserFactory(username="inspector")
    inspector = inspector_make(people["a1"], user=inspector_user)
    inspection = inspection_make(
        people,
        title="有检查组",
        team=[MemberData("leader", "组长", user=member), MemberData("member", "督学", inspector=inspector)],
    )

    assert _listed(member) == {"有检查组"}
    assert _listed(inspector_user) == {"有检查组"}
    assert member.has_perm("inspections.view_inspection", inspection)
    assert member.has_perm("inspections.record_finding", inspection)
    assert not member.has_perm("inspections.run_inspection", inspection)
    assert inspection_counties_shown(inspector_user, inspection) is None
    assert _listed(UserFactory(username="stranger")) == set()


def test_an_administrator_reads_everything(people):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)

    assert inspections_listed_q(admin) is None
    assert inspection_offices_run(admin) is None
    assert inspection_offices_run(people["editor_a"]) == [people["office"].pk]
    assert inspection_offices_run(people["viewer_a"]) == []


def test_a_county_user_sees_only_its_own_countys_part(people):
    inspection = self_assessment_started(people)

    assert inspection_counties_shown(people["county_a1"], inspection) == {people["a1"].pk}
    assert inspection_counties_shown(people["editor_a"], inspection) is None
    assert inspection_counties_shown(people["viewer_a"], inspection) is None
    assert inspection_counties_shown(people["province"], inspection) is None


@pytest.mark.parametrize(
    "who, reads, runs, records",
    [
        ("editor_a", True, True, True),
        ("reviewer_a", True, True, True),
        ("viewer_a", True, False, False),
        ("county_a1", True, False, False),
        ("editor_b", False, False, False),
        ("province", True, False, False),
    ],
)
def test_the_permissions_per_role(people, who, reads, runs, records):
    inspection = self_assessment_started(people)
    user = people[who]

    assert user.has_perm("inspections.view_inspection", inspection) is reads
    assert user.has_perm("inspections.run_inspection", inspection) is runs
    assert user.has_perm("inspections.record_finding", inspection) is records


def test_nobody_records_findings_for_a_closed_inspection_but_an_administrator(people):
    inspection = inspection_make(people, due=None)
    for to in (Status.ON_SITE, Status.RECTIFICATION, Status.CLOSED):
        inspection = inspection_move(inspection=inspection, to=to, acting_user=None)

    assert not people["editor_a"].has_perm("inspections.record_finding", inspection)
    assert people["editor_a"].has_perm("inspections.run_inspection", inspection)


def test_the_pages_permissions(people):
    inspection = self_assessment_started(people)
    obligation = self_assessments(inspection).get(county=people["a1"])

    assert people["county_a1"].has_perm("inspections.list_inspections")
    assert not UserFactory(username="nobody").has_perm("inspections.list_inspections")
    assert people["editor_a"].has_perm("inspections.create_inspection")
    assert not people["viewer_a"].has_perm("inspections.create_inspection")
    assert people["editor_a"].has_perm("inspections.edit_checklist_template", people["office"])
    assert not people["editor_b"].has_perm("inspections.edit_checklist_template", people["office"])
    assert people["county_a1"].has_perm("inspections.answer_self_assessment", obligation)
    assert not people["county_a2"].has_perm("inspections.answer_self_assessment", obligation)
    assert not people["editor_a"].has_perm("inspections.answer_self_assessment", obligation)
