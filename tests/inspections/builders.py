"""Small builders for the register's tests."""

import datetime
import io

from inspections.models import Inspector, InspectorZone, School, ZoneAssignment
from inspections.services.register import zone_inspector_change, zone_schools_set
from organisation.models import Membership
from tests.factories import CountyFactory, MembershipFactory, OfficeFactory, RegionFactory, county_user_create

DAY = datetime.date(2026, 3, 2)


def school_make(county, name: str, kind=School.Kind.PRIMARY, **fields) -> School:
    return School.objects.create(county=county, name=name, kind=kind, **fields)


def inspector_make(county, name: str = "张督学", **fields) -> Inspector:
    return Inspector.objects.create(county=county, name=name, **fields)


def zone_make(county, name: str = "第一责任区", *, inspector=None, schools=(), on=DAY, user=None) -> InspectorZone:
    zone = InspectorZone.objects.create(county=county, name=name)
    if inspector is not None:
        zone_inspector_change(zone=zone, inspector=inspector, on=on, acting_user=user)
    if schools:
        zone_schools_set(zone=zone, schools=schools, on=on, acting_user=user)
    zone.refresh_from_db()
    return zone


def open_assignment(school) -> ZoneAssignment | None:
    return ZoneAssignment.objects.filter(school=school, ended_on=None).first()


def world() -> dict:
    """Two cities; city A with counties A1 and A2, city B with county B1; the people around them."""
    city_a, city_b = RegionFactory(name="甲市"), RegionFactory(name="乙市")
    a1 = CountyFactory(city=city_a, name="甲一区")
    a2 = CountyFactory(city=city_a, name="甲二县")
    b1 = CountyFactory(city=city_b, name="乙一区")
    city_office_a = OfficeFactory(region=city_a, name="甲市督导室")
    city_office_b = OfficeFactory(region=city_b, name="乙市督导室")
    return {
        "city_a": city_a,
        "city_b": city_b,
        "a1": a1,
        "a2": a2,
        "b1": b1,
        "county_a1": county_user_create(county=a1, user__username="county_a1"),
        "county_a2": county_user_create(county=a2, user__username="county_a2"),
        "editor_a": MembershipFactory(
            office=city_office_a, role=Membership.Role.EDITOR, user__username="editor_a"
        ).user,
        "viewer_a": MembershipFactory(
            office=city_office_a, role=Membership.Role.VIEWER, user__username="viewer_a"
        ).user,
        "editor_b": MembershipFactory(
            office=city_office_b, role=Membership.Role.EDITOR, user__username="editor_b"
        ).user,
    }


def workbook(rows, headers=("县（市、区）", "学校名称", "学段", "办学性质", "中心校", "地址")) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
