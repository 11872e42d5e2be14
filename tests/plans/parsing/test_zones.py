"""Functional zones named in the usual short forms: linked to the zone table where one matches,
kept as unconfirmed targets where none does, and never made up from ordinary words."""

import pytest

from plans.parsing import Gazetteer, Place, parse_text

from .conftest import gazetteer_from_csv

ZHENJIANG = (
    "镇江市人民政府教育督导室\n2022年2月1日\n2022年镇江市教育督导工作要点\n一、主要任务\n"
    "1.开展县级政府履行教育职责评价。对丹徒区、镇江高新区开展实地督导，指导丹徒经开区做好准备。\n"
    "2.推进义务教育优质均衡发展。指导镇江新区、镇江市高新区做好省级评估迎检工作。\n"
    "3.学习先进经验。组织赴苏州工业园区考察学习。\n"
    "附件：重点工作安排\n一季度：对镇江高新区开展专项督导\n"
)


@pytest.fixture(scope="module")
def zhenjiang(gazetteer):
    return parse_text(ZHENJIANG, gazetteer)


def test_a_zone_the_table_lacks_is_kept_as_an_unconfirmed_target_with_a_warning(zhenjiang):
    found = {(u.name, u.region_code, tuple(u.tasks), tuple(u.entries)) for u in zhenjiang.unconfirmed_places}
    # 镇江市高新区 is 镇江高新区 written with the city's suffix: one target, named as first written.
    assert found == {("镇江高新区", "321100", (1, 2), (0,)), ("丹徒经开区", "321100", (1,), ())}
    warnings = [w.render() for w in zhenjiang.warnings if w.code == "unconfirmed_place"]
    assert warnings == [
        "“镇江高新区” looks like a functional zone but is not in the zone table; it is kept as an unconfirmed target.",
        "“丹徒经开区” looks like a functional zone but is not in the zone table; it is kept as an unconfirmed target.",
    ]
    assert zhenjiang.to_json()["unconfirmed_places"][1] == {
        "name": "丹徒经开区",
        "region_code": "321100",
        "tasks": [1],
        "entries": [],
    }


def test_zones_the_table_lists_and_counties_are_matched_as_before(zhenjiang):
    assert [t.counties for t in zhenjiang.tasks] == [["丹徒区"], ["镇江新区"], []]


def test_a_zone_of_another_region_is_no_target(zhenjiang):
    assert "苏州工业园区" not in {u.name for u in zhenjiang.unconfirmed_places}


def test_once_the_zone_table_has_it_the_zone_is_matched_normally():
    base = gazetteer_from_csv()
    added = Place(
        key="321100:镇江高新区",
        name="镇江高新技术产业开发区",
        city_code="321100",
        aliases=("镇江高新区",),
        is_zone=True,
    )
    gazetteer = Gazetteer(list(base.regions.values()), [*base.places, added])
    doc = parse_text(ZHENJIANG, gazetteer)
    assert [u.name for u in doc.unconfirmed_places] == ["丹徒经开区"]
    # By its alias, and in its other short form (镇江市高新区) by the kind of zone it is.
    assert [t.counties for t in doc.tasks] == [
        ["丹徒区", "镇江高新技术产业开发区"],
        ["镇江新区", "镇江高新技术产业开发区"],
        [],
    ]
    assert doc.schedule[0].counties == ["镇江高新技术产业开发区"]


def test_a_short_form_finds_the_zone_listed_under_its_official_name(gazetteer):
    text = (
        "衡阳市教育督导委员会办公室\n2022年2月1日\n2022年衡阳市教育督导工作要点\n一、主要任务\n"
        "1.开展专项督导。指导衡阳市高新区和珠晖区做好工作。\n"
    )
    doc = parse_text(text, gazetteer)
    assert doc.tasks[0].counties == ["衡阳高新技术产业开发区", "珠晖区"]
    assert doc.unconfirmed_places == []


@pytest.mark.parametrize(
    "sentence",
    [
        "关注新区学校布局。",
        "推进老城区改造学校建设。",
        "做好港区学校安全工作。",
        "统筹城市新区建设。",
        "督促各新区、各开发区落实。",
        "指导泉港区做好迎检工作。",
    ],
)
def test_ordinary_words_and_a_county_own_name_make_no_zone(gazetteer, sentence):
    text = (
        f"泉州市人民政府教育督导室\n2022年2月1日\n2022年泉州市教育督导工作要点\n一、主要任务\n1.开展督导。{sentence}\n"
    )
    doc = parse_text(text, gazetteer)
    assert doc.unconfirmed_places == []
    assert not any(w.code == "unconfirmed_place" for w in doc.warnings)


def test_without_a_gazetteer_there_is_no_region_and_no_zone():
    assert parse_text(ZHENJIANG).unconfirmed_places == []
