"""The batch import page: who may use it, what it refuses (and keeps chosen when it does), the
job it starts, and the page that lists what became of each file."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs.models import Job
from organisation.models import County, Membership, Office
from plans.models import ImportBatchFile, WorkPlan
from tests.factories import CountyFactory, UserFactory, county_user_create, staff_user_create

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
ZHENJIANG = "镇江市人民政府教育督导室"
pytestmark = pytest.mark.django_db


def seed_file(prefix: str, name: str | None = None) -> SimpleUploadedFile:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def zip_file(members: dict[str, bytes], name: str = "档案.zip") -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture
def zhenjiang():
    return Office.objects.create(name=ZHENJIANG, level=Office.Level.CITY, region=County.objects.get(name="京口区").city)


@pytest.fixture
def reviewer_client(client, zhenjiang):
    client.force_login(staff_user_create(office=zhenjiang, role=Membership.Role.REVIEWER))
    return client


def post(client, capture, **data):
    with capture(execute=True):
        return client.post(reverse("plans:import_batch"), data)


def test_the_import_page_links_the_batch_import_and_the_batch_page_states_its_limits(reviewer_client):
    assert reverse("plans:import_batch") in reviewer_client.get(reverse("plans:import_upload")).content.decode()
    html = reverse_html(reviewer_client, reverse("plans:import_batch"))
    assert "批量导入" in html and "最多 50 个文件" in html and "multiple" in html and "作为已印发的通知导入" in html


def reverse_html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_county_user_may_not_open_the_batch_import(client):
    client.force_login(county_user_create(county=CountyFactory()))
    assert client.get(reverse("plans:import_batch")).status_code == 403
    assert client.post(reverse("plans:import_batch"), {"files": seed_file("004")}).status_code == 403
    assert not Job.objects.exists()


def test_an_editor_of_another_office_cannot_import_for_it_nor_read_its_batch(
    client, reviewer_client, zhenjiang, django_capture_on_commit_callbacks
):
    response = post(reviewer_client, django_capture_on_commit_callbacks, office=zhenjiang.pk, files=[seed_file("004")])
    job = Job.objects.get()
    other = staff_user_create(office=Office.objects.create(name="泉州市人民政府教育督导室", level=Office.Level.CITY))
    client.force_login(other)

    refused = client.post(reverse("plans:import_batch"), {"office": zhenjiang.pk, "files": seed_file("002")})
    assert refused.status_code == 400 and "选择一个有效的选项" in refused.content.decode()
    assert Job.objects.count() == 1
    assert client.get(response.url).status_code == 404
    assert client.get(job.get_absolute_url()).status_code == 404


def test_files_are_imported_by_the_job_and_listed_with_links_and_counts(
    reviewer_client, zhenjiang, django_capture_on_commit_callbacks
):
    response = post(
        reviewer_client,
        django_capture_on_commit_callbacks,
        office=zhenjiang.pk,
        files=[seed_file("004"), seed_file("004", "副本.txt"), SimpleUploadedFile("空.txt", b"")],
    )
    job = Job.objects.get()
    assert response.url == reverse("plans:import_batch_result", args=[job.pk])
    html = reverse_html(reviewer_client, response.url)

    plan = WorkPlan.objects.get()
    assert job.kind == "plans.import_batch" and plan.status == WorkPlan.Status.DRAFT
    assert f'href="{plan.get_absolute_url()}">镇教督〔2020〕2号</a>' in html
    assert "导入 1 份，已导入过 1 份，未导入 1 份" in html
    assert "（之前导入的计划）" in html and "文件为空。" in html
    assert '<td class="num">10</td>' in html and '<td class="num">21</td>' in html
    # The user finds it in 我的任务, whose job page links this list.
    assert job.title in reverse_html(reviewer_client, reverse("jobs:job_list"))
    assert response.url in reverse_html(reviewer_client, job.get_absolute_url())


def test_a_zip_of_notices_is_imported_as_issued(reviewer_client, zhenjiang, django_capture_on_commit_callbacks):
    archive = zip_file({"2020/": b"", "2020/镇教督〔2020〕2号.txt": next(SEEDS.glob("004_*.txt")).read_bytes()})
    post(reviewer_client, django_capture_on_commit_callbacks, office=zhenjiang.pk, archive=archive, publish="on")

    assert WorkPlan.objects.get().status == WorkPlan.Status.PUBLISHED
    assert ImportBatchFile.objects.get().name == "2020/镇教督〔2020〕2号.txt"


def test_a_zip_with_a_member_outside_it_is_refused_with_the_reason_and_keeps_what_was_chosen(
    reviewer_client, zhenjiang, django_capture_on_commit_callbacks
):
    archive = zip_file({"ok.txt": b"x", "../../etc/cron.d/evil.txt": b"y"})
    response = post(
        reviewer_client, django_capture_on_commit_callbacks, office=zhenjiang.pk, archive=archive, publish="on"
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "“../../etc/cron.d/evil.txt”指向压缩包以外的位置" in html
    assert f'<option value="{zhenjiang.pk}" selected>' in html
    assert 'id="id_publish" checked' in html
    assert not Job.objects.exists()


def test_a_nested_zip_too_many_files_or_an_unsupported_file_are_refused(
    reviewer_client, zhenjiang, django_capture_on_commit_callbacks, settings
):
    settings.IMPORT_BATCH_MAX_FILES = 2
    nested = zip_file({"inner.zip": zip_file({"a.txt": b"x"}).read()})
    cases = [
        ({"archive": nested}, "“inner.zip”是 .zip 压缩包中的压缩包"),
        ({"files": [seed_file("000"), seed_file("001"), seed_file("002")]}, "一次最多导入 2 个文件，您选择了 3 个"),
        ({"files": [SimpleUploadedFile("表.xlsx", b"PK")]}, "“表.xlsx”：不支持的文件类型"),
        ({"archive": SimpleUploadedFile("a.rar", b"Rar!")}, "此处请选择 .zip 文件"),
        ({}, "请选择通知文件或其 .zip 压缩包"),
    ]
    for data, message in cases:
        response = post(reviewer_client, django_capture_on_commit_callbacks, office=zhenjiang.pk, **data)
        assert response.status_code == 400 and message in response.content.decode(), message
    assert not Job.objects.exists()


def test_only_a_reviewer_imports_as_issued(client, zhenjiang, django_capture_on_commit_callbacks):
    client.force_login(staff_user_create(office=zhenjiang))
    response = post(
        client, django_capture_on_commit_callbacks, office=zhenjiang.pk, files=[seed_file("004")], publish="on"
    )
    assert response.status_code == 400 and "只有本办公室的审核人可以发布其计划" in response.content.decode()
    assert not Job.objects.exists()


def test_the_result_page_takes_the_same_queries_however_many_files(
    reviewer_client, zhenjiang, django_capture_on_commit_callbacks, django_assert_num_queries
):
    def listed(count: int) -> str:
        files = [seed_file("004", f"{n}.txt") for n in range(count)]
        post(reviewer_client, django_capture_on_commit_callbacks, office=zhenjiang.pk, files=files)
        return reverse("plans:import_batch_result", args=[Job.objects.latest("pk").pk])

    small, large = listed(2), listed(6)
    reverse_html(reviewer_client, small)  # the session and the user's access are read once before
    # The session, the user, the user's offices; the job; its files with their plans.
    with django_assert_num_queries(5):
        reverse_html(reviewer_client, small)
    with django_assert_num_queries(5):
        html = reverse_html(reviewer_client, large)
    assert html.count('class="batch-file ') == 6


def test_a_superuser_leaves_the_office_to_each_notice(client, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(is_superuser=True))
    post(client, django_capture_on_commit_callbacks, files=[seed_file("002"), seed_file("004")])

    assert set(WorkPlan.objects.values_list("office__name", flat=True)) == {"泉州市人民政府教育督导室", ZHENJIANG}


def test_more_files_than_any_form_takes_are_refused_with_a_page_that_says_so(reviewer_client, zhenjiang, settings):
    # Django refuses the request before the view: the 400 page names the bound, nothing starts.
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    response = reviewer_client.post(
        reverse("plans:import_batch"),
        {"office": zhenjiang.pk, "files": [seed_file("004"), seed_file("002"), seed_file("003")]},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "一次发送的文件超过 2 个" in html and ".zip" in html
    assert not Job.objects.exists()
