"""Schools from a spreadsheet: the template reads back, row errors are listed by row, a hostile
file is refused before openpyxl opens it, and nothing is written unless every row is valid."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from inspections.imports import schools_import, schools_import_read, template_workbook
from inspections.models import School
from tests.inspections.builders import school_make, workbook, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return world()


def test_the_template_imports_into_a_county_users_own_county(people):
    # The template's examples name 金水区; a county user may leave the county empty.
    data = workbook([("", "城关第一小学", "小学", "公办", "是", "城关镇"), ("", "城关初中", "初级中学", "", "", "")])
    result = schools_import(data=data, user=people["county_a1"])
    assert (result.created, result.updated) == (2, 0)
    schools = {s.name: s for s in School.objects.filter(county=people["a1"])}
    assert schools["城关第一小学"].is_central and schools["城关第一小学"].address == "城关镇"
    assert schools["城关初中"].kind == School.Kind.JUNIOR


def test_the_downloaded_template_is_a_workbook_the_import_reads(people):
    result = schools_import_read(data=template_workbook(), user=people["editor_a"])
    # Its examples name 金水区, not a county of this city: reported by row, nothing raised.
    assert [error.row for error in result.errors] == [2, 3]
    assert "金水区" in result.errors[0].message


def test_importing_again_updates_schools_by_name_without_duplicates(people):
    school_make(people["a1"], "城关第一小学", address="旧址")
    data = workbook([("甲一区", "城关第一小学", "小学", "公办", "否", "新址")])
    result = schools_import(data=data, user=people["editor_a"])
    assert (result.created, result.updated) == (0, 1)
    assert School.objects.get(county=people["a1"], name="城关第一小学").address == "新址"
    schools_import(data=data, user=people["editor_a"])
    assert School.objects.filter(name="城关第一小学").count() == 1


def test_a_city_editor_names_the_county_of_each_row(people):
    data = workbook([("甲一区", "一校", "小学"), ("甲二县", "二校", "高中"), ("", "三校", "小学")])
    result = schools_import_read(data=data, user=people["editor_a"])
    assert [(e.row, e.message) for e in result.errors] == [(4, "第 4 行：请填写县（市、区）（您管理多个县的学校）。")]


def test_row_errors_are_listed_with_their_row_numbers_and_nothing_is_written(people):
    data = workbook(
        [
            ("甲一区", "一校", "小学", "公办", "否", ""),
            ("甲一区", "", "小学"),
            ("甲一区", "三校", "大学"),
            ("乙一区", "四校", "小学"),
            ("甲一区", "一校", "初中"),
            ("甲一区", "六校", "小学", "私立"),
            ("甲一区", "七校", "小学", "公办", "也许"),
        ]
    )
    result = schools_import_read(data=data, user=people["editor_a"])
    assert [error.row for error in result.errors] == [3, 4, 5, 6, 7, 8]
    assert "学校名称" in result.errors[0].message
    assert "大学" in result.errors[1].message
    assert "乙一区" in result.errors[2].message
    with pytest.raises(ValidationError):
        schools_import(data=data, user=people["editor_a"])
    assert not School.objects.exists()


def test_a_formula_is_refused(people):
    data = workbook([("甲一区", '=HYPERLINK("http://x")', "小学")])
    result = schools_import_read(data=data, user=people["editor_a"])
    assert "公式" in result.errors[0].message


def test_a_county_user_imports_nothing_into_another_county(people):
    data = workbook([("甲二县", "二校", "小学")])
    result = schools_import_read(data=data, user=people["county_a1"])
    assert len(result.errors) == 1 and not result.ok


def test_a_file_that_is_not_a_workbook_is_refused(people):
    with pytest.raises(ValidationError) as refused:
        schools_import_read(data=b"PK\x03\x04 not really", user=people["editor_a"])
    assert refused.value.code == "not_xlsx"


def test_a_zip_bomb_is_refused_before_it_is_opened(people):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        schools_import_read(data=buffer.getvalue(), user=people["editor_a"])
    assert refused.value.code == "bomb"


def test_a_workbook_with_a_dtd_is_refused(people):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><workbook/>')
    with pytest.raises(ValidationError) as refused:
        schools_import_read(data=buffer.getvalue(), user=people["editor_a"])
    assert refused.value.code == "unsafe"


def test_a_sheet_without_the_templates_header_is_refused(people):
    with pytest.raises(ValidationError) as refused:
        schools_import_read(data=workbook([("x", "y")], headers=("甲", "乙")), user=people["editor_a"])
    assert refused.value.code == "no_header"


def test_an_import_that_fails_half_way_leaves_nothing(people, monkeypatch):
    data = workbook([("甲一区", "一校", "小学"), ("甲一区", "二校", "小学")])
    calls = []
    original = School.save

    def failing_save(self, *args, **kwargs):
        calls.append(self.name)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(School, "save", failing_save)
    with pytest.raises(RuntimeError):
        schools_import(data=data, user=people["editor_a"])
    monkeypatch.undo()
    assert not School.objects.exists()
