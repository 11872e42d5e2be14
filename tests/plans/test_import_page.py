"""The import page: upload, a preview that says what confirming would do, and a confirmation
that only a preview this server signed for this user can give."""

import re

import pytest
from django.core import signing
from django.core.files.storage import default_storage
from django.urls import reverse

from audit.models import ActionLog
from organisation.models import County, Membership, Office, OfficeAlias
from plans.forms import IMPORT_SALT
from plans.models import WorkPlan
from plans.selectors.history import plan_action_logs
from tests.factories import CountyFactory, OfficeFactory, UserFactory, county_user_create, staff_user_create
from tests.plans.test_import import import_seed, seed
from tests.test_pages import assert_queries_independent_of_size

pytestmark = pytest.mark.django_db

ZHENJIANG = "镇江市人民政府教育督导室"


@pytest.fixture
def zhenjiang_office():
    return Office.objects.create(name=ZHENJIANG, level=Office.Level.CITY, region=County.objects.get(name="京口区").city)


@pytest.fixture
def editor(zhenjiang_office):
    return staff_user_create(office=zhenjiang_office)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def upload(client, prefix="004", **data):
    with seed(prefix).open("rb") as fh:
        return client.post(reverse("plans:import_upload"), {"document": fh, **data})


def confirm(client, response, **data):
    token = response.context["form"]["token"].value()
    return client.post(reverse("plans:import_confirm"), {"token": token, **data})


def page(response) -> str:
    return response.content.decode()


def test_upload_page_states_the_formats_and_the_size_limit(editor_client):
    html = page(editor_client.get(reverse("plans:import_upload")))

    assert ".docx" in html and "PDF" in html
    assert "5.0 MB" in html or "5.0 MB" in html.replace("\xa0", " ")


def test_an_editor_is_offered_only_their_own_offices(editor_client, zhenjiang_office):
    Office.objects.create(name="别的督导室", level=Office.Level.CITY, region=zhenjiang_office.region)

    form = editor_client.get(reverse("plans:import_upload")).context["form"]

    assert list(form.fields["office"].queryset) == [zhenjiang_office]


def test_preview_then_confirm_imports_a_draft_for_the_office(editor_client, editor, zhenjiang_office):
    response = upload(editor_client, office=zhenjiang_office.pk)

    assert response.status_code == 200
    html = page(response)
    assert "镇教督〔2020〕2号" in html and "扎实义务教育优质均衡发展创建" in html
    assert "一份新的草稿" in html
    assert WorkPlan.objects.count() == 0

    response = confirm(editor_client, response, submit="on")

    plan = WorkPlan.objects.get()
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    assert (plan.office, plan.status, plan.tasks.count()) == (zhenjiang_office, "in_review", 10)
    assert plan.source.created_by == editor
    assert list(plan_action_logs(plan_ids=[plan.pk]).values_list("action_type", flat=True)) == [
        "plans.plan.submitted",
        "plans.plan.imported",
    ]
    _dirs, pending = default_storage.listdir("imports/pending")
    assert pending == []  # the waiting file went with the confirmation


def test_an_altered_preview_is_refused_and_nothing_is_written(editor_client, zhenjiang_office):
    response = upload(editor_client, office=zhenjiang_office.pk)
    token = response.context["form"]["token"].value()
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")

    response = editor_client.post(reverse("plans:import_confirm"), {"token": forged}, follow=True)

    assert WorkPlan.objects.count() == 0
    assert "预览已被改动" in page(response)


def test_a_preview_signed_for_another_user_is_refused(client, editor, zhenjiang_office):
    client.force_login(editor)
    response = upload(client, office=zhenjiang_office.pk)
    other = staff_user_create(office=zhenjiang_office)
    client.force_login(other)

    confirm(client, response)

    assert WorkPlan.objects.count() == 0


def test_confirm_without_a_preview_cannot_import_for_another_office(client):
    # The old confirm step took a text, an office id and publish=on from the form itself.
    other = Office.objects.create(
        name="某市教育督导室", level=Office.Level.CITY, region=County.objects.get(name="金水区").city
    )
    client.force_login(staff_user_create())
    text = seed("000").read_text(encoding="utf-8")

    response = client.post(
        reverse("plans:import_confirm"),
        {"text": text, "office": other.pk, "publish": "on", "token": "x"},
    )

    assert response.status_code == 302
    assert WorkPlan.objects.count() == 0


def test_a_token_naming_an_office_the_user_may_not_edit_is_refused(client, zhenjiang_office):
    user = staff_user_create()
    client.force_login(user)
    pending = default_storage.save("imports/pending/x.txt", open(seed("004"), "rb"))
    token = signing.dumps(
        {"u": user.pk, "f": pending, "s": "0", "n": "004.txt", "o": zhenjiang_office.pk}, salt=IMPORT_SALT
    )

    response = client.post(reverse("plans:import_confirm"), {"token": token}, follow=True)

    assert WorkPlan.objects.count() == 0
    assert "无权为该机关导入" in page(response)


def test_a_notice_issued_by_another_known_office_cannot_be_confirmed(client, zhenjiang_office):
    hengyang = Office.objects.create(
        name="衡阳市教育督导委员会办公室", level=Office.Level.CITY, region=County.objects.get(name="衡阳县").city
    )
    client.force_login(staff_user_create(office=zhenjiang_office))
    Membership.objects.create(user=staff_user_create(office=hengyang), office=zhenjiang_office, role="viewer")

    response = upload(client, "001", office=zhenjiang_office.pk)

    html = page(response)
    assert "衡阳市教育督导委员会办公室" in html
    assert reverse("plans:import_confirm") not in html


def test_an_unknown_office_name_is_recorded_as_an_alias_of_the_chosen_office(client, zhenjiang_office):
    client.force_login(staff_user_create(office=zhenjiang_office))
    renamed = seed("004").read_text(encoding="utf-8").replace(ZHENJIANG, "镇江市教育督导委员会办公室")
    response = client.post(reverse("plans:import_upload"), {"text": renamed, "office": zhenjiang_office.pk})
    assert "镇江市教育督导委员会办公室" in page(response)

    confirm(client, response, alias="on")

    assert WorkPlan.objects.get().office == zhenjiang_office
    assert OfficeAlias.objects.get().office == zhenjiang_office
    # Next time the name finds the office by itself, and the preview says how.
    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    again = renamed.replace("镇教督〔2020〕2号", "镇教督〔2020〕3号")
    html = page(client.post(reverse("plans:import_upload"), {"text": again}))
    assert "本机关已登记的名称" in html
    assert "将创建" not in html


def test_a_notice_without_a_year_asks_for_it_before_confirming(editor_client, zhenjiang_office):
    text = "镇江市人民政府教育督导室\n工作要点\n一、督政\n1.开展专项督导。认真落实。\n"
    response = editor_client.post(reverse("plans:import_upload"), {"text": text, "office": zhenjiang_office.pk})
    assert 'name="plan_year"' in page(response)

    refused = confirm(editor_client, response)
    assert refused.status_code == 400 and WorkPlan.objects.count() == 0
    assert "无法从标题或日期确定计划年度" in page(refused)

    confirm(editor_client, response, plan_year="2021")
    assert WorkPlan.objects.get().plan_year == 2021


def test_a_document_already_imported_is_linked_and_not_offered_again(editor_client, zhenjiang_office):
    plan = import_seed("004").plan

    html = page(upload(editor_client, office=zhenjiang_office.pk))

    assert "已经导入过" in html
    assert plan.get_absolute_url() in html
    assert reverse("plans:import_confirm") not in html


def test_a_changed_draft_is_replaced_only_when_asked(editor_client, zhenjiang_office):
    plan = import_seed("004", office=zhenjiang_office).plan
    changed = seed("004").read_text(encoding="utf-8").replace("深化教育督导体制机制改革", "深化教育督导管理体制改革", 1)
    response = editor_client.post(reverse("plans:import_upload"), {"text": changed, "office": zhenjiang_office.pk})
    assert "替换草稿" in page(response)

    refused = confirm(editor_client, response)
    assert refused.status_code == 400
    plan.refresh_from_db()
    assert plan.tasks.get(number=1).title.startswith("深化教育督导体制机制改革")

    confirm(editor_client, response, replace="on")
    assert plan.tasks.get(number=1).title.startswith("深化教育督导管理体制改革")


def test_a_damaged_word_file_is_refused_in_chinese_without_an_exception_name(editor_client, zhenjiang_office):
    response = editor_client.post(
        reverse("plans:import_upload"),
        {"document": _named("plan.docx", b"PK\x03\x04junk"), "office": zhenjiang_office.pk},
    )

    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["document"])
    assert re.search(r"[\u4e00-\u9fff]", errors)
    assert "BadZipFile" not in errors and "Error" not in errors


def test_the_original_file_is_kept_for_the_offices_staff(client, zhenjiang_office):
    client.force_login(staff_user_create(office=zhenjiang_office))
    confirm(client, upload(client, office=zhenjiang_office.pk))
    plan = WorkPlan.objects.get()
    url = reverse("plans:plan_source_download", args=[plan.pk])

    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == seed("004").read_bytes()
    assert "attachment" in response["Content-Disposition"]
    client.force_login(staff_user_create())
    assert client.get(url).status_code == 404  # a draft of another office: not even there


def test_viewers_and_county_users_may_not_import(client, zhenjiang_office):
    for user in (
        staff_user_create(office=zhenjiang_office, role=Membership.Role.VIEWER),
        county_user_create(county=CountyFactory()),
    ):
        client.force_login(user)
        assert client.get(reverse("plans:import_upload")).status_code == 403
        assert client.post(reverse("plans:import_confirm"), {"token": "x"}).status_code == 403


def _named(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_the_import_is_recorded_as_an_event_with_the_file_name(editor_client, zhenjiang_office):
    confirm(editor_client, upload(editor_client, office=zhenjiang_office.pk))

    event = ActionLog.objects.get()
    assert (event.action_type, event.data["file"]) == ("plans.plan.imported", seed("004").name)


# --- Places the division table does not know ------------------------------------------------

LUOYANG_TEXT = (
    "洛阳市教育局督导室\n洛阳市2018年教育督导工作要点\n一、督政\n"
    "1.开展专项督导。指导涧西区、洛阳伊滨新区、洛阳高新区做好迎检工作。\n"
    "2.完善督导机制。认真落实。\n"
)


@pytest.fixture
def luoyang(client):
    office = Office.objects.create(
        name="洛阳市教育局督导室", level=Office.Level.CITY, region=County.objects.get(name="涧西区").city
    )
    client.force_login(staff_user_create(office=office))
    return office


def preview_luoyang(client, office):
    return client.post(reverse("plans:import_upload"), {"text": LUOYANG_TEXT, "office": office.pk})


def test_the_preview_asks_what_an_unknown_zone_is(client, luoyang):
    html = page(preview_luoyang(client, luoyang))

    assert "需要确认的地点" in html
    assert "洛阳伊滨新区" in html and "洛阳高新区" in html
    assert "作为洛阳市的功能区加入功能区表" in html
    assert "就是涧西区" in html


def test_a_zone_added_in_the_preview_becomes_a_target_and_is_known_after(client, luoyang):
    response = preview_luoyang(client, luoyang)

    confirm(client, response, place_0="new")

    task = WorkPlan.objects.get().tasks.get(number=1)
    zone = County.objects.get(name="洛阳伊滨新区")
    assert zone.kind == County.Kind.FUNCTIONAL_ZONE and zone.city == luoyang.region
    assert set(task.counties.values_list("name", flat=True)) == {"涧西区", "洛阳伊滨新区"}
    assert task.unconfirmed_places == ["洛阳高新区"]
    assert WorkPlan.objects.get().county_index.filter(county=zone).exists()


def test_a_name_linked_in_the_preview_is_recorded_as_an_alias(client, luoyang):
    jianxi = County.objects.get(name="涧西区")
    response = preview_luoyang(client, luoyang)

    confirm(client, response, place_1=str(jianxi.pk))

    assert jianxi.aliases.filter(name="洛阳高新区").exists()
    task = WorkPlan.objects.get().tasks.get(number=1)
    assert task.unconfirmed_places == ["洛阳伊滨新区"]


def test_unconfirmed_places_stay_on_their_task_for_all_to_see(client, luoyang):
    confirm(client, preview_luoyang(client, luoyang))
    plan = WorkPlan.objects.get()

    html = page(client.get(plan.get_absolute_url()))

    assert 'class="chip chip--unconfirmed"' in html and "洛阳伊滨新区？" in html
    assert plan.tasks.get(number=1).unconfirmed_places == ["洛阳伊滨新区", "洛阳高新区"]


def test_a_failed_import_adds_no_zone(client, luoyang):
    response = preview_luoyang(client, luoyang)
    WorkPlan.objects.create(office=luoyang, title="洛阳市2018年教育督导工作要点", plan_year=2018)

    refused = confirm(client, response, place_0="new")

    assert refused.status_code == 400
    assert not County.objects.filter(name="洛阳伊滨新区").exists()


def test_the_preview_shows_how_annex_items_were_linked_to_tasks(editor_client, zhenjiang_office):
    html = page(upload(editor_client, office=zhenjiang_office.pk))

    assert "（按关键词关联）" in html or "（按编号关联）" in html


def test_the_import_page_reads_the_offices_once_however_many(client, editor):
    client.force_login(editor)

    def make_url(size):
        for _ in range(size):
            Membership.objects.create(user=editor, office=OfficeFactory(), role=Membership.Role.EDITOR)
        return reverse("plans:import_upload")

    # Session, user and memberships; the offices the user imports for: one query for the
    # select, its options and its `required` check.
    assert_queries_independent_of_size(client, make_url, expected=4, sizes=(1, 5))
    options = re.findall(r'<option value="\d+"', client.get(reverse("plans:import_upload")).content.decode())
    assert len(options) == 7  # the editor's own office and the six joined
