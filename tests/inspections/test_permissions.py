"""Who reads and keeps which county's register: a county office its own, a city office its
counties', administrators all; a county user of another county sees nothing of others'."""

import pytest

from inspections.selectors import coverage_by_city, inspector_list, school_list, zone_list
from tests.factories import UserFactory
from tests.inspections.builders import inspector_make, school_make, world, zone_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    people = world()
    for key in ("a1", "a2", "b1"):
        county = people[key]
        people[f"school_{key}"] = school_make(county, f"{county.name}小学")
        people[f"inspector_{key}"] = inspector_make(county, f"{county.name}督学")
        people[f"zone_{key}"] = zone_make(county, f"{county.name}一区")
    return people


def _names(user):
    return {school.name for school in school_list(user=user)[1]}


def test_a_county_user_reads_and_keeps_only_their_own_county(people):
    user = people["county_a1"]
    assert _names(user) == {"甲一区小学"}
    assert [i.name for i in inspector_list(user=user)] == ["甲一区督学"]
    assert [z.name for z in zone_list(user=user)] == ["甲一区一区"]
    assert user.has_perm("inspections.change_county_register", people["school_a1"])
    assert not user.has_perm("inspections.change_county_register", people["school_a2"])
    assert not user.has_perm("inspections.view_county_register", people["zone_a2"])
    assert not user.has_perm("inspections.view_county_register", people["inspector_b1"])


def test_a_city_editor_keeps_the_schools_of_their_citys_counties(people):
    user = people["editor_a"]
    assert _names(user) == {"甲一区小学", "甲二县小学"}
    assert user.has_perm("inspections.change_county_register", people["school_a2"])
    assert not user.has_perm("inspections.view_county_register", people["school_b1"])


def test_a_city_viewer_reads_but_does_not_keep(people):
    user = people["viewer_a"]
    assert _names(user) == {"甲一区小学", "甲二县小学"}
    assert user.has_perm("inspections.view_register")
    assert not user.has_perm("inspections.edit_register")
    assert not user.has_perm("inspections.change_county_register", people["school_a1"])


def test_an_administrator_keeps_every_county(people):
    admin = UserFactory(is_superuser=True)
    assert _names(admin) == {"甲一区小学", "甲二县小学", "乙一区小学"}
    assert admin.has_perm("inspections.change_county_register", people["school_b1"])


def test_a_user_without_membership_sees_no_register(people):
    user = UserFactory()
    assert _names(user) == set()
    assert not user.has_perm("inspections.view_register")
    assert coverage_by_city(user=user) == []


def test_the_filter_offers_only_the_counties_the_user_reads(people):
    filterset, _schools = school_list(user=people["county_a1"], filters={"county": people["a2"].pk})
    assert not filterset.is_valid()
    assert list(filterset.form.fields["county"].queryset) == [people["a1"]]
