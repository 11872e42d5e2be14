"""The indicator sheet services: every write whole or not at all, one audit event each."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import ActionLog
from evaluation import actions
from evaluation.models import EvaluationRound, Indicator, IndicatorSheet, Participant, Score
from evaluation.services.sheets import sheet_copy, sheet_edit, sheet_import, sheet_rows
from evaluation.sheet_import import Row, sheet_read, template_workbook
from organisation.models import County
from tests.evaluation.factories import indicator_sheet_build
from tests.factories import OfficeFactory, staff_user_create

pytestmark = pytest.mark.django_db


def test_an_import_writes_the_sheet_and_one_event():
    office = OfficeFactory()
    user = staff_user_create(office=office)
    rows = sheet_read(template_workbook()).rows
    sheet = sheet_import(office=office, title="导入", year=2026, rows=rows, source_name="a.xlsx", acting_user=user)
    assert [i.parent_id is None for i in sheet.indicators.order_by("position")] == [True, False, False, False]
    assert ActionLog.objects.filter(object_id=sheet.pk, action_type=str(actions.SHEET_IMPORTED)).count() == 1
    with pytest.raises(ValidationError):
        sheet_import(office=office, title="导入", year=2026, rows=rows, source_name="a.xlsx", acting_user=user)
    assert IndicatorSheet.objects.count() == 1 and Indicator.objects.count() == 4


def test_an_outline_with_a_gap_is_refused_and_nothing_is_written():
    office = OfficeFactory()
    rows = [Row(level=1, title="一"), Row(level=3, title="三", points=Decimal("5"))]
    with pytest.raises(ValidationError):
        sheet_import(office=office, title="坏", year=2026, rows=rows, source_name="", acting_user=None)
    assert not IndicatorSheet.objects.exists()


def test_an_item_with_scores_is_not_removed_and_the_edit_is_undone():
    sheet = indicator_sheet_build(items=2)
    round_ = EvaluationRound.objects.create(office=sheet.office, sheet=sheet, title="r", year=sheet.year)
    participant = Participant.objects.create(round=round_, county=County.objects.order_by("pk").first())
    leaf = Indicator.objects.filter(sheet=sheet, level=2).order_by("position").last()
    Score.objects.create(participant=participant, indicator=leaf, self_score=Decimal("1"))
    keep = list(Indicator.objects.filter(sheet=sheet).exclude(pk=leaf.pk).order_by("position"))
    rows = [
        row for row, indicator in zip(sheet_rows(sheet), sheet.indicators.order_by("position")) if indicator != leaf
    ]
    rows[0].title = "改了"
    with pytest.raises(ValidationError) as refused:
        sheet_edit(sheet=sheet, title=sheet.title, note="", rows=rows, ids=[i.pk for i in keep], acting_user=None)
    assert "已有评分" in str(refused.value.messages)
    assert sheet.indicators.count() == 3
    assert not sheet.indicators.filter(title="改了").exists()


def test_a_copy_keeps_the_outline_and_names_its_source():
    sheet = indicator_sheet_build(items=11, veto=True)
    copy = sheet_copy(sheet=sheet, year=sheet.year + 1, title=sheet.title, acting_user=None)
    assert copy.copied_from_id == sheet.pk
    parents = dict(copy.indicators.values_list("code", "parent__code"))
    assert parents == dict(sheet.indicators.values_list("code", "parent__code"))
    assert copy.indicators.get(veto=True).points == sheet.indicators.get(veto=True).points
