"""National development zones and new areas from fixtures/development_zones.csv: loaded with the
reference data as functional zones of their city, so that a notice's short forms resolve to them
and they receive work like counties; a zone the file lacks stays unconfirmed."""

from pathlib import Path

import pytest

from organisation.models import County
from plans.services import gazetteer_build, work_plan_import
from tracking.models import Assignment

pytestmark = pytest.mark.django_db

NOTICE = Path(__file__).resolve().parents[1] / "plans" / "parsing" / "genre" / "mianyang_2024_development_zones.txt"


def test_development_zones_are_functional_zones_of_their_city_with_their_short_names():
    zone = County.objects.get(name="绵阳高新技术产业开发区")
    assert zone.kind == County.Kind.FUNCTIONAL_ZONE and zone.code == ""
    assert zone.city.name == "绵阳市"
    assert list(zone.aliases.values_list("name", flat=True)) == ["绵阳高新区"]
    assert County.objects.get(name="上海张江高新技术产业开发区").city.code == "310100"
    assert County.objects.get(name="重庆经济技术开发区").city.code == "500100"


def test_a_development_zone_named_in_a_notice_resolves_like_a_county():
    gazetteer = gazetteer_build()
    found = gazetteer.matcher(gazetteer.scope_for_code("510700")).find("对三台县和绵阳经开区开展督导")
    assert [place.name for place in found] == ["三台县", "绵阳经济技术开发区"]


def test_development_zones_receive_work_and_an_unlisted_zone_stays_unconfirmed():
    result = work_plan_import(data=NOTICE.read_bytes(), source_name=NOTICE.name, publish=True)
    plan = result.plan
    assert [u.name for u in result.document.unconfirmed_places] == ["游仙经开区"]
    tasks = {task.number: set(task.counties.values_list("name", flat=True)) for task in plan.tasks.all()}
    assert tasks[1] == {"三台县", "盐亭县", "绵阳高新技术产业开发区"}
    assert tasks[2] == {"游仙区", "绵阳经济技术开发区"}
    sent = set(
        Assignment.objects.filter(county__kind=County.Kind.FUNCTIONAL_ZONE).values_list("county__name", flat=True)
    )
    assert sent == {"绵阳高新技术产业开发区", "绵阳经济技术开发区"}
