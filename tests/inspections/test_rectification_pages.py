"""The findings and 整改 pages as each role sees them: the office's staff run them, its viewers
read them, the county reads and reports on its own items only, another county sees nothing of
them; each list's queries do not grow with its rows."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import Finding, Rectification
from inspections.rectification import rectification_obligation
from tests.factories import county_user_create
from tests.inspections.rectification_builders import (
    DEADLINE,
    JPEG,
    PDF,
    TODAY,
    finding_make,
    item_make,
    upload,
    work_world,
)
from tracking.models import Assignment, ProgressReport
from tracking.services.reports import report_submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(monkeypatch):
    localdate = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, *args: TODAY if value is None else localdate(value))


@pytest.fixture
def people():
    people = work_world()
    people["county_b1"] = county_user_create(county=people["b1"], user__username="county_b1")
    return people


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


# --- Findings --------------------------------------------------------------------------------------


def test_the_findings_page_shows_each_role_its_part(client, people):
    finding_make(people, "a1", text="甲一区的问题")
    finding_make(people, "a2", text="甲二县的问题")
    url = reverse("inspections:finding_list", args=[people["inspection"].pk])

    staff = _get(client, people["editor_a"], url).content.decode()
    assert "甲一区的问题" in staff and "甲二县的问题" in staff
    assert reverse("inspections:finding_create", args=[people["inspection"].pk]) in staff
    assert reverse("inspections:findings_rectify", args=[people["inspection"].pk]) in staff

    county = _get(client, people["county_a1"], url).content.decode()
    assert "甲一区的问题" in county and "甲二县的问题" not in county
    assert reverse("inspections:findings_rectify", args=[people["inspection"].pk]) not in county

    viewer = _get(client, people["viewer_a"], url).content.decode()
    assert (
        "甲二县的问题" in viewer and reverse("inspections:finding_create", args=[people["inspection"].pk]) not in viewer
    )

    assert _get(client, people["county_b1"], url).status_code == 404
    assert _get(client, people["editor_b"], url).status_code == 404


def test_a_finding_is_recorded_through_the_form_once_and_its_file_served(client, people):
    url = reverse("inspections:finding_create", args=[people["inspection"].pk])
    client.force_login(people["inspector_user"])
    page = client.get(url).content.decode()
    assert 'capture="environment"' in page and "data-draft-key" in page and "finding-draft.js" in page
    data = {
        "county": people["a1"].pk,
        "school": people["school_a1"].pk,
        "text": "楼梯间照明损坏。",
        "severity": "serious",
        "submission_key": str(uuid.uuid4()),
    }
    response = client.post(url, {**data, "photos": [upload("楼梯.jpg", JPEG)]})
    finding = Finding.objects.get()
    assert response.status_code == 302 and response.url == reverse("inspections:finding_detail", args=[finding.pk])
    again = client.post(url, {**data, "photos": [upload("楼梯.jpg", JPEG)]}, follow=True)
    assert Finding.objects.count() == 1 and "已记录" in again.content.decode()
    # The page a saved finding lands on clears the phone's draft of the form.
    assert f'data-draft-saved="finding-draft:inspection:{people["inspection"].pk}"' in again.content.decode()
    detail = client.get(reverse("inspections:finding_detail", args=[finding.pk])).content.decode()
    assert "楼梯.jpg" in detail and "data-draft-saved" not in detail

    file_url = reverse("inspections:finding_file", args=[finding.files.get().pk])
    photo = client.get(file_url)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert photo["Content-Disposition"].startswith("inline") and photo["X-Content-Type-Options"] == "nosniff"
    assert client.get(file_url, {"download": "1"})["Content-Disposition"].startswith("attachment")
    assert f'<img src="{file_url}"' in detail
    assert _get(client, people["county_a2"], file_url).status_code == 404
    assert _get(client, people["county_a1"], file_url).status_code == 200


def test_a_refused_finding_keeps_what_was_typed(client, people):
    client.force_login(people["editor_a"])
    url = reverse("inspections:finding_create", args=[people["inspection"].pk])
    response = client.post(
        url,
        {
            "county": people["a1"].pk,
            "text": "实验室药品未上锁。",
            "severity": "general",
            "submission_key": str(uuid.uuid4()),
            "files": [upload("说明.pdf", b"MZ not a pdf")],
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "实验室药品未上锁。" in page and "不是" in page
    assert not Finding.objects.exists()


def test_who_records_a_finding(client, people):
    url = reverse("inspections:finding_create", args=[people["inspection"].pk])
    assert _get(client, people["editor_a"], url).status_code == 200
    assert _get(client, people["inspector_user"], url).status_code == 200  # on the team
    assert _get(client, people["viewer_a"], url).status_code == 403
    assert _get(client, people["county_a1"], url).status_code == 403
    assert _get(client, people["county_b1"], url).status_code == 404


def test_a_visits_finding_is_recorded_by_its_inspector_or_the_countys_office(client, people):
    url = reverse("inspections:visit_finding_create", args=[people["visit"].pk])
    client.force_login(people["inspector_user"])
    page = client.get(url).content.decode()
    assert "甲一区实验小学" in page and 'name="county"' not in page
    response = client.post(url, {"text": "饮水机滤芯过期。", "severity": "minor", "submission_key": str(uuid.uuid4())})
    finding = Finding.objects.get()
    assert response.status_code == 302 and finding.visit == people["visit"] and finding.school == people["school_a1"]
    assert _get(client, people["county_a1"], url).status_code == 200
    assert _get(client, people["county_a2"], url).status_code == 404
    assert _get(client, people["viewer_a"], url).status_code == 403
    detail = reverse("inspections:finding_detail", args=[finding.pk])
    assert _get(client, people["county_a1"], detail).status_code == 200
    assert _get(client, people["county_b1"], detail).status_code == 404


# --- Issuing 整改 -------------------------------------------------------------------------------------


def test_staff_issue_one_finding_and_see_a_moved_deadline(client, people):
    finding = finding_make(people)
    url = reverse("inspections:rectification_create", args=[finding.pk])
    assert _get(client, people["viewer_a"], reverse("inspections:finding_detail", args=[finding.pk])).status_code == 200
    client.force_login(people["viewer_a"])
    assert client.post(url, {"requirement": "x", "due_date": "2026-04-05"}).status_code == 403

    client.force_login(people["editor_a"])
    refused = client.post(url, {"requirement": "建立陪餐台账。", "due_date": "2026-02-01"})
    assert refused.status_code == 400 and "建立陪餐台账。" in refused.content.decode()
    response = client.post(url, {"requirement": "建立陪餐台账。", "due_date": "2026-04-05"}, follow=True)
    page = response.content.decode()
    item = Rectification.objects.get()
    assert response.redirect_chain[-1][0] == item.get_absolute_url()
    assert "2026-04-05" in page and "2026-04-03" in page


def test_staff_issue_the_chosen_findings_at_once(client, people):
    first, second, third = finding_make(people, "a1"), finding_make(people, "a2"), finding_make(people, "a2")
    client.force_login(people["editor_a"])
    url = reverse("inspections:findings_rectify", args=[people["inspection"].pk])
    refused = client.post(url, {"findings": [first.pk], "requirement": "限期整改。"})
    assert refused.status_code == 400 and "限期整改。" in refused.content.decode()
    response = client.post(url, {"findings": [first.pk, second.pk], "due_date": "2026-03-31", "needs_follow_up": "on"})
    assert response.status_code == 302
    assert set(Rectification.objects.values_list("finding_id", flat=True)) == {first.pk, second.pk}
    page = client.get(reverse("inspections:finding_list", args=[people["inspection"].pk])).content.decode()
    assert f'name="findings" value="{third.pk}"' in page and f'name="findings" value="{first.pk}"' not in page
    client.force_login(people["viewer_a"])
    assert client.post(url, {"findings": [third.pk], "due_date": "2026-03-31"}).status_code == 403


def test_each_finding_shows_its_files_its_item_and_what_was_ticked(client, people):
    photos = finding_make(people, "a1", text="消防通道堆放杂物。", files=[upload("a.jpg", JPEG), upload("b.pdf", PDF)])
    item = item_make(people, "a1", text="食堂无留样。")
    client.force_login(people["editor_a"])

    refused = client.post(
        reverse("inspections:findings_rectify", args=[people["inspection"].pk]), {"findings": [photos.pk]}
    ).content.decode()

    assert f'name="findings" value="{photos.pk}" checked>' in refused
    assert "2 个文件 · " in refused and f'value="{item.finding_id}"' not in refused
    due = rectification_obligation(item).due_date.isoformat()
    assert f'<a href="{item.get_absolute_url()}">整改事项</a> ' in refused and f" · 到期 {due}</p>" in refused


# --- The list and one item ----------------------------------------------------------------------------


def test_the_list_flags_overdue_items_and_filters_them(client, people):
    late = item_make(people, "a1", due_date=TODAY)
    item_make(people, "a2", text="甲二县：按期", due_date=DEADLINE)
    Assignment.objects.filter(pk=rectification_obligation(late).pk).update(
        due_date=datetime.date(2026, 2, 20), due_date_rule=datetime.date(2026, 2, 20)
    )
    client.force_login(people["editor_a"])
    page = client.get(reverse("inspections:rectification_list")).content.decode()
    assert "逾期 10 天" in page and "row--overdue" in page
    assert "<strong>2</strong> 未销号" in page and "<strong>1</strong> 已逾期" in page
    overdue = client.get(reverse("inspections:rectification_list"), {"state": "overdue"}).content.decode()
    assert overdue.count('class="row--overdue"') == 1 and "甲二县" not in overdue.split("<tbody>")[1]
    assert client.get(reverse("inspections:rectification_list"), {"state": "nonsense"}).status_code == 200


def test_the_list_is_for_staff(client, people):
    item_make(people)
    url = reverse("inspections:rectification_list")
    assert _get(client, people["county_a1"], url).status_code == 403
    viewer = _get(client, people["viewer_a"], url).content.decode()
    assert "落实陪餐制度" in viewer and 'name="items"' not in viewer
    other = _get(client, people["editor_b"], url).content.decode()
    assert "落实陪餐制度" not in other


def test_the_list_takes_the_same_queries_whatever_its_rows(client, people, django_assert_num_queries):
    item_make(people)
    client.force_login(people["editor_a"])
    url = reverse("inspections:rectification_list")
    client.get(url)  # warm the content types
    with django_assert_num_queries(11) as one:
        client.get(url)
    for key in ("a1", "a2", "a2", "a1"):
        item_make(people, key)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_the_findings_page_takes_the_same_queries_whatever_its_rows(client, people, django_assert_num_queries):
    item_make(people)
    client.force_login(people["editor_a"])
    url = reverse("inspections:finding_list", args=[people["inspection"].pk])
    client.get(url)
    # session, user, memberships, the inspection if the user reads it, its findings, their
    # files, their obligations
    with django_assert_num_queries(7) as one:
        client.get(url)
    finding_make(people, "a2", files=[upload("a.pdf", PDF)])
    item_make(people, "a2")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_the_item_page_per_role(client, people):
    item = item_make(people)
    url = item.get_absolute_url()
    staff = _get(client, people["editor_a"], url).content.decode()
    assert "落实陪餐制度" in staff and reverse("inspections:rectification_escalate", args=[item.pk]) in staff
    county = _get(client, people["county_a1"], url).content.decode()
    assert "落实陪餐制度" in county and reverse("inspections:rectification_escalate", args=[item.pk]) not in county
    viewer = _get(client, people["viewer_a"], url).content.decode()
    assert reverse("inspections:rectification_remind", args=[item.pk]) not in viewer
    assert _get(client, people["county_a2"], url).status_code == 404
    assert _get(client, people["editor_b"], url).status_code == 404
    client.force_login(people["county_a1"])
    assert (
        client.post(
            reverse("inspections:rectification_escalate", args=[item.pk]),
            {"escalation-escalation": "talk", "escalation-note": "x"},
        ).status_code
        == 403
    )


def test_an_escalation_without_a_note_keeps_the_choice_and_says_why(client, people):
    item = item_make(people)
    client.force_login(people["editor_a"])
    url = reverse("inspections:rectification_escalate", args=[item.pk])
    refused = client.post(url, {"escalation-escalation": "bulletin", "escalation-note": ""})
    assert refused.status_code == 400 and '<option value="bulletin" selected>' in refused.content.decode()
    response = client.post(
        url, {"escalation-escalation": "bulletin", "escalation-note": "逾期两个月未整改"}, follow=True
    )
    page = response.content.decode()
    item.refresh_from_db()
    assert item.escalation == "bulletin" and "逾期两个月未整改" in page
    assert "问责措施变更：通报" in page and "下发整改事项：截止 2026-03-31" in page


def test_the_county_sees_its_item_in_the_portal_and_on_the_assignment_page(client, people):
    item = item_make(people, needs_follow_up=True)
    client.force_login(people["county_a1"])
    portal = client.get(reverse("tracking:portal")).content.decode()
    assert "甲一区实验小学" not in portal and "落实陪餐制度" in portal
    obligation = rectification_obligation(item)
    page = client.get(reverse("tracking:assignment_detail", args=[obligation.pk])).content.decode()
    assert "食堂未落实陪餐制度。" in page and "提交陪餐记录和照片。" in page and "整改情况督查" in page
    assert "2026-03-31" in page


def test_a_refused_close_says_why_in_chinese_and_keeps_the_comment(client, people):
    item = item_make(people, needs_follow_up=True)
    obligation = rectification_obligation(item)
    report = report_submit(
        assignment=obligation,
        acting_user=people["county_a1"],
        progress="done",
        text="已整改。",
        files=[upload("a.pdf", PDF)],
    )
    client.force_login(people["editor_a"])
    response = client.post(
        reverse("tracking:report_review", args=[report.pk]), {"decision": "accept", "comment": "材料齐全，同意销号。"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "须经整改情况督查现场确认整改到位后方可销号" in page and "error-summary" in page
    # The decision and the comment as typed, under the report.
    assert 'value="accept" required id="id_decision_0" checked' in page and ">材料齐全，同意销号。</textarea>" in page
    report.refresh_from_db()
    assert report.review == ProgressReport.Review.PENDING


def test_the_follow_up_check_confirms_and_staff_then_close(client, people):
    item = item_make(people, needs_follow_up=True)
    report = report_submit(
        assignment=rectification_obligation(item),
        acting_user=people["county_a1"],
        progress="done",
        text="已整改。",
        files=[upload("a.pdf", PDF)],
    )
    client.force_login(people["editor_a"])
    response = client.post(
        reverse("inspections:follow_up_add"),
        {"office": people["office"].pk, "items": [item.pk], "title": "", "starts_on": "2026-04-07"},
    )
    assert response.status_code == 400 and "2026-04-07" in response.content.decode()
    assert client.post(reverse("inspections:follow_up_add"), {"office": "9" * 30}).status_code == 404
    response = client.post(
        reverse("inspections:follow_up_add"),
        {
            "office": people["office"].pk,
            "items": [item.pk],
            "title": "整改情况督查",
            "starts_on": "2026-04-07",
            "ends_on": "2026-04-08",
        },
    )
    check = item.follow_ups.get()
    assert response.url == reverse("inspections:follow_up_items", args=[check.pk])
    page = client.get(response.url).content.decode()
    assert "落实陪餐制度" in page and reverse("inspections:rectification_confirm", args=[item.pk]) in page
    assert _get(client, people["county_a2"], response.url).status_code == 404

    client.force_login(people["editor_a"])
    client.post(
        reverse("inspections:rectification_confirm", args=[item.pk]),
        {"verdict-inspection": check.pk, "verdict-decision": "confirm", "verdict-note": "", "next": "follow_up"},
    )
    item.refresh_from_db()
    assert item.confirmed_by == check
    client.post(reverse("tracking:report_review", args=[report.pk]), {"decision": "accept"})
    assert rectification_obligation(item).state == Assignment.State.ACCEPTED
    detail = client.get(item.get_absolute_url()).content.decode()
    assert "已销号" in detail or "销号" in detail


def test_the_admin_only_looks_at_findings_and_items(client, people):
    from tests.factories import UserFactory

    item = item_make(people)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "落实陪餐制度" in client.get("/admin/inspections/rectification/").content.decode()
    assert client.get("/admin/inspections/finding/").status_code == 200
    assert client.get(f"/admin/inspections/rectification/{item.pk}/change/").status_code == 200
    assert client.get("/admin/inspections/rectification/add/").status_code == 403
    response = client.post(f"/admin/inspections/rectification/{item.pk}/change/", {"escalation": "talk"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.escalation == ""
