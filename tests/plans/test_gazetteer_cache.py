"""The parser's gazetteer is built once and kept until the division table or its aliases
change: a save or delete of a region, county or alias (after its commit), a place confirmed in
the import preview, rows added without signals, or a change rolled back."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from organisation.models import County, CountyAlias, Region
from plans.services import gazetteer_get, work_plan_parse
from plans.services.imports import place_resolve

pytestmark = pytest.mark.django_db


def names(gazetteer) -> set[str]:
    return {name for place in gazetteer.places for name in (place.name, *place.aliases)}


@pytest.fixture
def jinshui() -> County:
    return County.objects.get(name="金水区", city__code="410100")


def test_the_gazetteer_is_built_once_while_the_divisions_stay_the_same():
    first = gazetteer_get()

    with CaptureQueriesContext(connection) as queries:
        again = gazetteer_get()

    assert again is first
    # Only the fingerprint of the three tables is read.
    assert len(queries) == 1


def test_parsing_twice_builds_the_gazetteer_once():
    text = "郑州市人民政府教育督导室\n2020年工作要点\n一、主要工作\n1.开展督导。指导金水区开展自查。\n"
    work_plan_parse(text=text)

    with CaptureQueriesContext(connection) as queries:
        document, _text = work_plan_parse(text=text)

    assert len(queries) == 1
    assert [place.name for place in document.tasks[0].places] == ["金水区"]


def test_a_new_alias_is_read_at_once(jinshui):
    before = gazetteer_get()

    CountyAlias.objects.create(county=jinshui, name="金水老城区")

    after = gazetteer_get()
    assert after is not before
    assert "金水老城区" in names(after)


def test_a_renamed_county_is_read_after_the_commit(jinshui, django_capture_on_commit_callbacks):
    before = gazetteer_get()

    with django_capture_on_commit_callbacks(execute=True):
        jinshui.name = "金水新区"
        jinshui.save(update_fields=["name"])

    after = gazetteer_get()
    assert after is not before
    assert "金水新区" in names(after) and "金水区" not in names(after)


def test_a_deleted_alias_is_gone_from_the_next_gazetteer(jinshui, django_capture_on_commit_callbacks):
    alias = CountyAlias.objects.create(county=jinshui, name="金水老城区")
    assert "金水老城区" in names(gazetteer_get())

    with django_capture_on_commit_callbacks(execute=True):
        alias.delete()

    assert "金水老城区" not in names(gazetteer_get())


def test_a_region_saved_invalidates_the_gazetteer(django_capture_on_commit_callbacks):
    before = gazetteer_get()

    with django_capture_on_commit_callbacks(execute=True):
        region = Region.objects.get(code="410100")
        region.save(update_fields=["name"])

    assert gazetteer_get() is not before


def test_a_place_confirmed_in_the_preview_is_read_by_the_next_parse(jinshui, django_capture_on_commit_callbacks):
    gazetteer_get()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        place_resolve(name="金水科教园区", region_code="410100", choice=jinshui)

    assert callbacks  # the invalidation waits for the commit
    assert "金水科教园区" in names(gazetteer_get())


def test_a_zone_added_in_a_transaction_rolled_back_leaves_no_trace():
    gazetteer_get()

    with pytest.raises(RuntimeError), transaction.atomic():
        place_resolve(name="郑州测试高新区", region_code="410100", choice="new")
        assert "郑州测试高新区" in names(gazetteer_get())
        raise RuntimeError("the import failed")

    assert "郑州测试高新区" not in names(gazetteer_get())
    assert not County.objects.filter(name="郑州测试高新区").exists()
