"""The county list: each city once, its counties and functional zones under it."""

import re

import pytest
from django.urls import reverse

from organisation.models import County, Region
from plans.services import work_plan_import
from tests.conftest import SEEDS_DIR
from tests.factories import OfficeFactory, staff_user_create

pytestmark = pytest.mark.django_db


def _city_headings(html: str) -> list[str]:
    return re.findall(r'<h2 id="city-\d+">([^<]+)', html)


def test_each_city_is_listed_once_with_its_functional_zones(client):
    # The 泉州 and 衡阳 notices name functional zones (泉州台商投资区, 衡阳高新区), which have
    # no division code: ordered by the county's code alone they came apart from their city.
    for prefix in ("001", "002"):
        path = next(SEEDS_DIR.glob(f"{prefix}_*.txt"))
        work_plan_import(data=path.read_bytes(), source_name=path.name, publish=True)
    client.force_login(staff_user_create(office=OfficeFactory()))

    html = client.get(reverse("tracking:county_list")).content.decode()

    headings = _city_headings(html)
    assert len(headings) == len(set(headings)), headings
    assert {"泉州市", "衡阳市"} <= {name.strip() for name in headings}
    zone = County.objects.get(name="泉州台商投资区")
    assert zone.code == ""
    section = html.split(f'<h2 id="city-{zone.city_id}">')[1].split("</section>")[0]
    assert "泉州台商投资区" in section and "晋江市" in section


def test_the_user_own_city_comes_first_then_cities_by_code(client):
    henan = Region.objects.get(code="410100")
    office = OfficeFactory(region=henan)
    for prefix in ("000", "001", "002"):
        path = next(SEEDS_DIR.glob(f"{prefix}_*.txt"))
        work_plan_import(data=path.read_bytes(), source_name=path.name, publish=True)
    client.force_login(staff_user_create(office=office))

    headings = [name.strip() for name in _city_headings(client.get(reverse("tracking:county_list")).content.decode())]

    codes = [Region.objects.get(name=name, level=Region.Level.CITY).code for name in headings[1:]]
    assert headings[0] == "郑州市" and codes == sorted(codes)
