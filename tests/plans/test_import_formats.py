"""The import page with the new forms: it accepts them, and text read off a scan is flagged in
the preview and imported only once someone ticks that they checked it."""

from pathlib import Path

import pytest
from django.urls import reverse

from organisation.models import County, Office
from plans.models import WorkPlan
from tests.factories import staff_user_create

GENRE = Path(__file__).resolve().parent / "parsing" / "genre"
pytestmark = pytest.mark.django_db


def office_of(name: str, county: str) -> Office:
    return Office.objects.create(name=name, level=Office.Level.CITY, region=County.objects.get(name=county).city)


def upload(client, name: str, office: Office):
    with (GENRE / name).open("rb") as fh:
        return client.post(reverse("plans:import_upload"), {"document": fh, "office": office.pk})


def test_the_upload_page_names_every_form(client):
    client.force_login(staff_user_create(office=office_of("株洲市人民政府教育督导室", "攸县")))
    html = client.get(reverse("plans:import_upload")).content.decode()
    assert ".doc" in html and ".wps" in html and "OFD" in html and "扫描件经文字识别读取" in html


@pytest.mark.parametrize(
    "name, office, county, tasks",
    [
        ("zhuzhou_2022_ofd.ofd", "株洲市人民政府教育督导室", "攸县", 5),
        ("yangzhou_2023_wps.wps", "扬州市人民政府教育督导委员会办公室", "宝应县", 4),
    ],
)
def test_an_ofd_or_wps_notice_is_previewed_and_imported_without_an_ocr_check(client, name, office, county, tasks):
    office = office_of(office, county)
    client.force_login(staff_user_create(office=office))
    response = upload(client, name, office)
    assert response.status_code == 200
    html = response.content.decode()
    assert "以下内容由文字识别得到" not in html and "ocr_checked" not in html
    token = response.context["form"]["token"].value()
    response = client.post(reverse("plans:import_confirm"), {"token": token})
    plan = WorkPlan.objects.get()
    assert response.status_code == 302 and plan.tasks.count() == tasks


def test_a_scan_is_flagged_and_needs_the_check_before_it_is_imported(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    from jobs.models import Job
    from plans.parsing import ocr

    office = office_of("湖州市人民政府教育督导室", "德清县")
    client.force_login(staff_user_create(office=office))
    # A scan is read by a background job (here in the process, once the upload commits) whose
    # page links the preview.
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "huzhou_2024_scanned.pdf", office)
    job = Job.objects.get(kind="plans.import_read")
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.state == Job.State.SUCCEEDED, job.message
    assert "4" in job.message and job.result_url in client.get(response.url).content.decode().replace("&amp;", "&")
    # The preview and the confirmation parse the text the job kept: no second recognition.
    ocr._RECENT.clear()
    monkeypatch.setattr(ocr, "engine", lambda: None)
    response = client.get(job.result_url)
    assert response.status_code == 200, [str(m) for m in response.wsgi_request._messages]
    html = response.content.decode()
    assert "以下内容由文字识别得到，请核对" in html
    assert "<li>4.开展课后服务专项督导。重点对吴兴区、南浔区开展抽查。</li>" in html
    assert 'name="ocr_checked"' in html
    token = response.context["form"]["token"].value()

    refused = client.post(reverse("plans:import_confirm"), {"token": token})
    assert refused.status_code == 400
    assert "请核对文字识别得到的内容，然后勾选此项。" in refused.content.decode()
    assert not WorkPlan.objects.exists()

    response = client.post(reverse("plans:import_confirm"), {"token": token, "ocr_checked": "on"})
    plan = WorkPlan.objects.get()
    assert response.status_code == 302
    assert (plan.doc_number, plan.tasks.count(), plan.schedule_entries.count()) == ("湖教督〔2024〕5号", 4, 3)
