"""The indicator sheet pages: who reaches them, the tree, the edit of every row at once, the lock
once a round is under way or published, the copy, and the import's two steps."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import ActionLog
from evaluation import actions
from evaluation.models import EvaluationRound, Indicator, IndicatorSheet
from evaluation.sheet_import import TEMPLATE_HEADERS, template_workbook
from organisation.models import County, Membership
from tests.evaluation.factories import indicator_sheet_build
from tests.evaluation.test_sheet_import import xlsx
from tests.factories import OfficeFactory, county_user_create, staff_user_create

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def people():
    office = OfficeFactory()
    other = OfficeFactory()
    return {
        "office": office,
        "other": other,
        "editor": staff_user_create(office=office),
        "viewer": staff_user_create(office=office, role=Membership.Role.VIEWER),
        "stranger": staff_user_create(office=other),
        "county": county_user_create(county=County.objects.order_by("pk").first()),
    }


def _round(sheet, status):
    published = status == EvaluationRound.Status.PUBLISHED
    return EvaluationRound.objects.create(
        office=sheet.office,
        sheet=sheet,
        title=f"评估{status}",
        year=sheet.year,
        status=status,
        published_at=timezone.now() if published else None,
        objection_until=datetime.date(sheet.year, 12, 31) if published else None,
        revision=1 if published else 0,
    )


def _rows_post(rows, *, title="指标体系", note="", initial=0) -> dict:
    """The edit form's POST: `rows` are dicts of the fields of each row, in order."""
    data = {
        "title": title,
        "note": note,
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": str(initial),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        fields = {"level": "3", "method": "points", "source": "", "ORDER": str(index + 1), **row}
        for name, value in fields.items():
            if name in ("veto", "DELETE") and not value:
                continue
            data[f"rows-{index}-{name}"] = "on" if value is True else str(value)
    return data


def _current_rows(sheet) -> list[dict]:
    return [
        {
            "id": indicator.pk,
            "level": indicator.level,
            "code": indicator.code,
            "title": indicator.title,
            "points": indicator.points,
            "method": indicator.method,
            "rule": indicator.rule,
            "evidence": indicator.evidence,
            "veto": indicator.veto,
            "source": indicator.source,
        }
        for indicator in sheet.indicators.order_by("position")
    ]


# --- The factory others use ------------------------------------------------------------------


def test_the_factory_builds_headings_over_items_worth_100():
    sheet = indicator_sheet_build(items=12, veto=True, sources=True)
    leaves = list(Indicator.objects.filter(sheet=sheet, children__isnull=True).order_by("position"))
    assert len(leaves) == 12
    assert sum(leaf.points for leaf in leaves) == D("100")
    headings = Indicator.objects.filter(sheet=sheet, level=1)
    assert sum(heading.points for heading in headings) == D("100")
    assert [leaf.veto for leaf in leaves].count(True) == 1 and leaves[-1].veto
    assert {leaf.source for leaf in leaves[:3]} == {"plan_completion", "rectification_on_time", "visit_coverage"}
    flat = indicator_sheet_build(items=3, with_headings=False)
    assert list(flat.indicators.values_list("level", flat=True)) == [1, 1, 1]


# --- Who reaches what ------------------------------------------------------------------------


def test_the_list_shows_the_offices_sheets_only(client, people):
    indicator_sheet_build(office=people["office"], title="本办指标")
    indicator_sheet_build(office=people["other"], title="他办指标")
    client.force_login(people["editor"])
    page = client.get("/evaluation/sheets/").content.decode()
    assert "本办指标" in page and "他办指标" not in page
    assert "100.00" in page


def test_a_county_user_may_not_see_sheets(client, people):
    sheet = indicator_sheet_build(office=people["office"])
    client.force_login(people["county"])
    assert client.get("/evaluation/sheets/").status_code == 403
    assert client.get(f"/evaluation/sheets/{sheet.pk}/").status_code == 404
    assert client.get("/evaluation/sheets/import/").status_code == 403


def test_another_offices_staff_get_not_found(client, people):
    sheet = indicator_sheet_build(office=people["office"])
    client.force_login(people["stranger"])
    for path in ("", "edit/", "copy/"):
        assert client.get(f"/evaluation/sheets/{sheet.pk}/{path}").status_code == 404


def test_a_viewer_reads_a_sheet_but_may_not_change_it(client, people):
    sheet = indicator_sheet_build(office=people["office"])
    client.force_login(people["viewer"])
    page = client.get(f"/evaluation/sheets/{sheet.pk}/")
    assert page.status_code == 200
    assert "编辑指标" not in page.content.decode()
    assert client.get(f"/evaluation/sheets/{sheet.pk}/edit/").status_code == 403
    assert client.post(f"/evaluation/sheets/{sheet.pk}/copy/", {"title": "x", "year": 2030}).status_code == 403
    assert client.get("/evaluation/sheets/new/").status_code == 403


# --- Query counts -----------------------------------------------------------------------------


def test_the_list_and_the_detail_read_a_fixed_number_of_queries(client, people, django_assert_max_num_queries):
    for year in (2024, 2025, 2026):
        sheet = indicator_sheet_build(office=people["office"], year=year, items=60, veto=True, sources=True)
    _round(sheet, EvaluationRound.Status.DRAFT)
    client.force_login(people["editor"])
    client.get("/evaluation/sheets/")  # the session and the locale, once
    with django_assert_max_num_queries(5):
        assert client.get("/evaluation/sheets/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/evaluation/sheets/?year=2025").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(f"/evaluation/sheets/{sheet.pk}/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(f"/evaluation/sheets/{sheet.pk}/edit/").status_code == 200


# --- The tree ---------------------------------------------------------------------------------


def test_the_detail_shows_the_tree_with_its_badges_and_total(client, people):
    sheet = indicator_sheet_build(office=people["office"], items=6, veto=True, sources=True)
    client.force_login(people["editor"])
    page = client.get(f"/evaluation/sheets/{sheet.pk}/").content.decode()
    assert "indicator-tree__row--1" in page and "indicator-tree__row--2" in page
    assert "一票否决" in page
    assert "工作要点完成率" in page  # the figure and its definition
    assert "截至统计日到期" in page
    assert "100.00" in page
    assert "合计不一致" not in page


def test_a_heading_that_differs_from_its_items_is_a_warning(client, people):
    sheet = indicator_sheet_build(office=people["office"], items=4)
    Indicator.objects.filter(sheet=sheet, level=1).update(points=D("90"))
    client.force_login(people["editor"])
    page = client.get(f"/evaluation/sheets/{sheet.pk}/").content.decode()
    assert "message--warning" in page
    assert "90.00 ≠ 100.00" in page


# --- Creating, editing ------------------------------------------------------------------------


def test_an_empty_sheet_is_created_and_its_title_is_unique(client, people):
    client.force_login(people["editor"])
    form = {"office": people["office"].pk, "title": "2026年评估指标", "year": 2026, "note": "试行"}
    response = client.post("/evaluation/sheets/new/", form)
    sheet = IndicatorSheet.objects.get(title="2026年评估指标")
    assert response.status_code == 302 and response["Location"] == f"/evaluation/sheets/{sheet.pk}/edit/"
    again = client.post("/evaluation/sheets/new/", form)
    assert again.status_code == 200
    assert "已有" in again.content.decode()
    assert IndicatorSheet.objects.filter(title="2026年评估指标").count() == 1
    other = client.post("/evaluation/sheets/new/", {**form, "office": people["other"].pk})
    assert other.status_code == 200 and IndicatorSheet.objects.count() == 1


def test_the_edit_saves_every_row_at_once(client, people):
    sheet = indicator_sheet_build(office=people["office"], items=3)
    client.force_login(people["editor"])
    rows = _current_rows(sheet)
    rows[1]["points"] = "40"
    rows[2]["points"] = "30"
    rows[3]["points"] = "30"
    rows[3]["ORDER"] = "2"  # reordered: the third item first
    rows[0]["points"] = ""  # the heading: the sum of its items
    rows[3]["method"], rows[3]["scale"] = "scale", "A=1，B=0.8；C=0.5"
    rows.append({"level": 2, "title": "新增指标", "points": "0", "veto": True})
    rows[2]["DELETE"] = True
    data = _rows_post(rows, title="改后的标题", initial=4)
    for index in range(4):
        data[f"rows-{index}-ORDER"] = {0: "1", 1: "3", 2: "4", 3: "2"}[index]
    data["rows-4-ORDER"] = "5"
    response = client.post(f"/evaluation/sheets/{sheet.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    sheet.refresh_from_db()
    assert sheet.title == "改后的标题"
    saved = [(i.level, i.title, i.points, i.veto, i.scale) for i in sheet.indicators.order_by("position")]
    assert saved == [
        (1, "评估领域1", D("70"), False, []),
        (2, "评估指标3", D("30"), False, [["A", "1"], ["B", "0.8"], ["C", "0.5"]]),
        (2, "评估指标1", D("40"), False, []),
        (2, "新增指标", D("0"), True, []),
    ]
    parent = sheet.indicators.get(level=1)
    assert set(sheet.indicators.filter(level=2).values_list("parent", flat=True)) == {parent.pk}
    assert ActionLog.objects.filter(action_type=str(actions.SHEET_EDITED), object_id=sheet.pk).count() == 1


@pytest.mark.parametrize(
    ("change", "field_error"),
    [
        ({"points": "十分"}, "数字"),
        ({"points": "1.234"}, "两位小数"),
        ({"points": "-1"}, "负"),
        ({"level": "3"}, "上方须有第 2 级指标"),
        ({"method": "scale", "scale": "A=2"}, "0 到 1"),
        ({"title": ""}, "勾选“删除”"),
    ],
)
def test_a_failed_save_says_why_in_chinese_and_keeps_what_was_typed(client, people, change, field_error):
    sheet = indicator_sheet_build(office=people["office"], items=3)
    before = _current_rows(sheet)
    client.force_login(people["editor"])
    rows = _current_rows(sheet)
    rows[1].update(change)
    rows[2]["rule"] = "刚刚输入的评分标准"
    response = client.post(f"/evaluation/sheets/{sheet.pk}/edit/", _rows_post(rows, title="输入的新标题", initial=4))
    page = response.content.decode()
    assert response.status_code == 200
    assert field_error in page
    assert "刚刚输入的评分标准" in page and "输入的新标题" in page
    assert _current_rows(sheet) == before


def test_a_new_sheet_is_filled_in_empty_rows(client, people):
    client.force_login(people["editor"])
    client.post("/evaluation/sheets/new/", {"office": people["office"].pk, "title": "新指标", "year": 2026, "note": ""})
    sheet = IndicatorSheet.objects.get(title="新指标")
    assert client.get(f"/evaluation/sheets/{sheet.pk}/edit/").context["formset"].total_form_count() == 3
    assert client.get(f"/evaluation/sheets/{sheet.pk}/edit/?add=20").context["formset"].total_form_count() == 20
    rows = [
        {"level": 1, "title": "一、保障", "points": ""},
        {"level": 2, "title": "经费", "points": "60"},
        {"level": 2, "title": "编制", "points": "40"},
        {},  # left empty
    ]
    data = _rows_post(rows, title="新指标")
    for name in ("level", "method", "ORDER"):
        del data[f"rows-3-{name}"]
    data["rows-3-level"], data["rows-3-method"] = "3", "points"
    response = client.post(f"/evaluation/sheets/{sheet.pk}/edit/", data)
    assert response.status_code == 302
    assert list(sheet.indicators.order_by("position").values_list("title", "points")) == [
        ("一、保障", D("100")),
        ("经费", D("60")),
        ("编制", D("40")),
    ]


def test_a_veto_only_on_a_scored_item(client, people):
    sheet = indicator_sheet_build(office=people["office"], items=2)
    client.force_login(people["editor"])
    rows = _current_rows(sheet)
    rows[0]["veto"] = True
    response = client.post(f"/evaluation/sheets/{sheet.pk}/edit/", _rows_post(rows, initial=3))
    assert response.status_code == 200
    assert "只有评分项" in response.content.decode()


def test_a_sheet_used_by_a_published_round_is_locked(client, people):
    sheet = indicator_sheet_build(office=people["office"], items=2)
    _round(sheet, EvaluationRound.Status.PUBLISHED)
    client.force_login(people["editor"])
    response = client.get(f"/evaluation/sheets/{sheet.pk}/edit/")
    assert response.status_code == 409
    assert "已发布" in response.content.decode()
    rows = _current_rows(sheet)
    rows[1]["points"] = "1"
    assert client.post(f"/evaluation/sheets/{sheet.pk}/edit/", _rows_post(rows, initial=3)).status_code == 409
    assert sheet.indicators.filter(points=D("1")).count() == 0
    assert "已发布" in client.get(f"/evaluation/sheets/{sheet.pk}/").content.decode()


def test_a_sheet_of_a_round_under_way_is_locked_and_of_a_draft_round_editable(client, people):
    sheet = indicator_sheet_build(office=people["office"], items=2)
    round_ = _round(sheet, EvaluationRound.Status.DRAFT)
    client.force_login(people["editor"])
    assert client.get(f"/evaluation/sheets/{sheet.pk}/edit/").status_code == 200
    round_.status = EvaluationRound.Status.SELF_ASSESSMENT
    round_.save()
    response = client.get(f"/evaluation/sheets/{sheet.pk}/edit/")
    assert response.status_code == 409
    assert "准备" in response.content.decode()


def test_copy_to_next_year_takes_every_indicator(client, people):
    sheet = indicator_sheet_build(office=people["office"], year=2025, items=7, veto=True, sources=True)
    _round(sheet, EvaluationRound.Status.PUBLISHED)
    client.force_login(people["editor"])
    page = client.get(f"/evaluation/sheets/{sheet.pk}/copy/").content.decode()
    assert 'value="2026"' in page
    response = client.post(f"/evaluation/sheets/{sheet.pk}/copy/", {"title": sheet.title, "year": 2026})
    copy = IndicatorSheet.objects.get(year=2026)
    assert response["Location"] == f"/evaluation/sheets/{copy.pk}/"
    assert copy.copied_from == sheet
    fields = ("level", "code", "title", "points", "method", "rule", "evidence", "scale", "veto", "source")
    assert list(copy.indicators.order_by("position").values_list(*fields)) == list(
        sheet.indicators.order_by("position").values_list(*fields)
    )
    assert ActionLog.objects.filter(action_type=str(actions.SHEET_COPIED), object_id=copy.pk).count() == 1
    assert client.get(f"/evaluation/sheets/{copy.pk}/edit/").status_code == 200
    again = client.post(f"/evaluation/sheets/{sheet.pk}/copy/", {"title": sheet.title, "year": 2026})
    assert again.status_code == 200 and "已有" in again.content.decode()


# --- Import -----------------------------------------------------------------------------------


def _upload(client, people, data, title="导入的指标体系"):
    return client.post(
        "/evaluation/sheets/import/",
        {
            "office": people["office"].pk,
            "title": title,
            "year": 2026,
            "note": "",
            "file": SimpleUploadedFile("指标.xlsx", data),
        },
    )


def test_the_template_downloads_and_imports_in_two_steps(client, people):
    client.force_login(people["editor"])
    template = client.get("/evaluation/sheets/template.xlsx")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    preview = _upload(client, people, template.content)
    page = preview.content.decode()
    assert "年度督导工作要点按期完成" in page and "导入这套指标" in page
    assert not IndicatorSheet.objects.exists()
    token = preview.context["token"]
    response = client.post("/evaluation/sheets/import/confirm/", {"token": token})
    sheet = IndicatorSheet.objects.get(title="导入的指标体系")
    assert response["Location"] == f"/evaluation/sheets/{sheet.pk}/"
    assert sheet.indicators.count() == 4
    assert ActionLog.objects.filter(action_type=str(actions.SHEET_IMPORTED), object_id=sheet.pk).count() == 1
    # The token is spent.
    assert client.post("/evaluation/sheets/import/confirm/", {"token": token}).status_code == 302
    assert IndicatorSheet.objects.count() == 1


def test_a_sheet_with_errors_shows_them_by_row_and_offers_no_import(client, people):
    client.force_login(people["editor"])
    data = xlsx([list(TEMPLATE_HEADERS), ["一、领导", "1. 机构", "", "十分"]])
    page = _upload(client, people, data).content.decode()
    assert "第 2 行" in page and "十分" in page
    assert "导入这套指标" not in page
    assert "不是 Excel" in _upload(client, people, b"hello").content.decode()
    assert not IndicatorSheet.objects.exists()


def test_an_import_into_an_office_not_kept_is_refused(client, people):
    client.force_login(people["editor"])
    response = client.post(
        "/evaluation/sheets/import/",
        {
            "office": people["other"].pk,
            "title": "x",
            "year": 2026,
            "file": SimpleUploadedFile("指标.xlsx", template_workbook()),
        },
    )
    assert response.status_code == 200 and response.context["token"] == ""
    assert "office" in response.context["form"].errors
    assert not IndicatorSheet.objects.exists()
