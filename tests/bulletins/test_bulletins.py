"""通报: drafted from the data with exact figures, edited, submitted, issued in the office's one
文号 sequence (shared with the inspection documents), read by the counties it names, printed
and downloaded as Word."""

import datetime
import io
import re
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import ActionLog
from bulletins.documents import bulletin_content, bulletin_docx
from bulletins.drafting import bulletin_draft
from bulletins.models import Bulletin, BulletinParagraphTemplate
from bulletins.paragraphs import DEFAULTS
from bulletins.services import (
    bulletin_create,
    bulletin_edit,
    bulletin_issue,
    bulletin_submit,
    paragraph_templates_save,
)
from inspections.documents import document_issue, template_kind_choices
from inspections.models import DocumentKind, DocumentTemplate, Inspection
from tests.bulletins.data import END, START, TODAY, quarter
from tests.inspections.work_builders import finding_make, inspection_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def q():
    return quarter()


def _create(q, counties=("a1", "a2"), round_=True, **kwargs):
    return bulletin_create(
        office=q["office"],
        kind=kwargs.pop("kind", "bulletin"),
        start=START,
        end=END,
        counties=[q[key] for key in counties],
        round_=q["round"] if round_ else None,
        acting_user=q["editor_a"],
        today=TODAY,
        **kwargs,
    )


def _texts(bulletin) -> list[str]:
    return [p["text"] for section in bulletin.body["sections"] for p in section["paragraphs"]]


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


# --- Drafting --------------------------------------------------------------------------------------


def test_the_draft_counts_plan_work_rectification_inspections_and_the_round_exactly(q):
    draft = bulletin_draft(
        office=q["office"],
        kind="bulletin",
        start=START,
        end=END,
        county_ids=[q["a1"].pk, q["a2"].pk],
        round_=q["round"],
        today=TODAY,
    )
    f = draft.figures
    assert (f.plan_total.total, f.plan_total.done, f.plan_total.overdue, f.plan_total.rate) == (
        5,
        4,
        1,
        Decimal("80.0"),
    )
    a1, a2 = f.plan[q["a1"].pk], f.plan[q["a2"].pk]
    assert (a1.total, a1.done, a1.overdue, a1.rate) == (3, 2, 1, Decimal("66.7"))
    assert (a2.total, a2.done, a2.overdue, a2.rate) == (2, 2, 0, Decimal("100.0"))
    rect = f.rectification_total
    assert (rect.issued, rect.closed, rect.overdue) == (2, 1, 1)
    assert f.rectification[q["a1"].pk].overdue == 1
    assert f.inspections == {"count": 2, "closed": 1, "feedback": 1}
    assert [(p.county.name, p.rank, p.total, p.grade) for p in f.participants] == [
        ("甲二县", 1, Decimal("92.50"), "excellent"),
        ("甲一区", 2, Decimal("58.00"), "fail"),
    ]
    assert [c.name for c in f.good] == ["甲二县"]
    assert [c.name for c in f.laggards] == ["甲一区"]
    assert sorted(draft.named) == sorted([q["a1"].pk, q["a2"].pk])


def test_the_drafted_paragraphs_say_the_figures_and_link_their_sources(q):
    bulletin = _create(q)
    texts = _texts(bulletin)
    assert "全市应完成工作要点任务5项，已完成4项，完成率80.0%；逾期未完成1项。" in texts
    assert "甲一区：应完成3项，已完成2项，完成率66.7%，逾期未完成1项。" in texts
    assert "期间到期整改事项2项，已销号1项，逾期未完成1项。" in texts
    assert "期间共开展督导检查2次，其中已结束1次，处于反馈整改阶段1次。" in texts
    assert "第1名 甲二县：总分92.50分，等级优秀。" in texts
    assert any(text.startswith("甲二县工作推进有力") for text in texts)
    assert any(text.startswith("甲一区工作进展滞后") for text in texts)
    figures = [f for s in bulletin.body["sections"] for p in s["paragraphs"] for f in p["figures"]]
    county_page = reverse("tracking:county_detail", args=[q["a1"].pk])
    assert {"label": "完成率", "value": "66.7%", "url": county_page} in figures
    overdue = [f for f in figures if f["label"] == "逾期" and "state=overdue" in f["url"]]
    assert overdue and overdue[0]["url"].startswith(reverse("inspections:rectification_list"))
    assert bulletin.status == Bulletin.Status.DRAFT and bulletin.number is None
    assert ActionLog.objects.filter(action_type="bulletins.bulletin.drafted", object_id=bulletin.pk).count() == 1


def test_a_period_with_nothing_due_says_so_instead_of_zero_figures(q):
    bulletin = bulletin_create(
        office=q["office"],
        kind="bulletin",
        start=datetime.date(2019, 1, 1),
        end=datetime.date(2019, 1, 31),
        counties=[q["a1"], q["a2"]],
        round_=None,
        acting_user=q["editor_a"],
        today=TODAY,
    )
    texts = _texts(bulletin)
    assert "期间无到期的工作要点任务。" in texts and "期间无到期的整改事项。" in texts
    assert not any("0.0%" in text or "：应完成" in text or "：整改事项" in text for text in texts)


def test_the_year_summary_counts_the_tasks_of_each_section(q):
    summary = bulletin_create(
        office=q["office"],
        kind="summary",
        start=START.replace(month=1),
        end=END.replace(month=12, day=31),
        counties=[q["a1"], q["a2"]],
        acting_user=q["editor_a"],
        today=TODAY,
    )
    texts = _texts(summary)
    # Task 1 and 2 done in both counties; task 3 open in 甲一区 (and in 甲二县, due in August).
    assert "一、强化督政：共3项任务，已完成2项，未完成1项。" in texts
    assert summary.title == "甲市督导室2026年度工作总结"


def test_drafting_reads_a_fixed_number_of_queries(q, django_assert_max_num_queries):
    # More counties and work do not add queries.
    for n in range(5):
        inspection_make(q["office"], counties=[q["a1"], q["a2"]], title=f"专项督导{n}")
    with django_assert_max_num_queries(10):
        bulletin_draft(
            office=q["office"],
            kind="summary",
            start=START,
            end=END,
            county_ids=[q["a1"].pk, q["a2"].pk],
            round_=q["round"],
            today=TODAY,
        )


def test_an_offices_paragraph_template_replaces_the_default(q):
    paragraph_templates_save(
        office=q["office"],
        texts={"plan_county": "{county}完成率为{rate}%（逾期{overdue}项）。", "closing": DEFAULTS["closing"][2]},
        acting_user=q["editor_a"],
    )
    assert list(BulletinParagraphTemplate.objects.values_list("key", flat=True)) == ["plan_county"]
    assert "甲一区完成率为66.7%（逾期1项）。" in _texts(_create(q))
    with pytest.raises(ValidationError) as refused:
        paragraph_templates_save(office=q["office"], texts={"closing": "{county.__class__}"}, acting_user=None)
    assert "closing" in refused.value.message_dict
    # Emptied: back to the default.
    paragraph_templates_save(office=q["office"], texts={"plan_county": ""}, acting_user=None)
    assert not BulletinParagraphTemplate.objects.exists()


def test_the_paragraph_templates_page_saves_and_keeps_what_was_typed_on_error(q, client):
    client.force_login(q["editor_a"])
    url = reverse("bulletins:paragraph_templates", args=[q["office"].pk])
    assert client.get(url).status_code == 200
    data = {key: default for key, (_l, _n, default) in DEFAULTS.items()}
    response = client.post(url, data | {"intro": "{office}通报{nonsense}"})
    assert response.status_code == 200 and "{office}通报{nonsense}" in response.content.decode()
    assert not BulletinParagraphTemplate.objects.exists()
    assert client.post(url, data | {"intro": "{office}通报如下。"}).status_code == 302
    assert BulletinParagraphTemplate.objects.get(office=q["office"]).text == "{office}通报如下。"
    client.force_login(q["editor_b"])
    assert client.get(url).status_code == 403


# --- Editing, review, issue ---------------------------------------------------------------------------


def test_editing_keeps_figures_removes_and_adds_paragraphs_and_renames_the_counties(q):
    bulletin = _create(q, round_=False)
    sections = [
        [{"index": i, "text": p["text"]} for i, p in enumerate(s["paragraphs"])] for s in bulletin.body["sections"]
    ]
    # Keep only the totals of plan work, reworded; add one paragraph to it.
    plan_section = next(i for i, s in enumerate(bulletin.body["sections"]) if s["heading"].endswith("工作要点落实情况"))
    sections[plan_section] = [{"index": 0, "text": "改写后的总体情况。"}, {"index": None, "text": "新增一段。"}]
    # The named counties: only those of the paragraphs kept.
    for number, section in enumerate(bulletin.body["sections"]):
        if number != plan_section:
            sections[number] = [
                {"index": i, "text": p["text"]} for i, p in enumerate(section["paragraphs"]) if not p["counties"]
            ]
    edited = bulletin_edit(bulletin=bulletin, title="新标题", sections=sections, acting_user=q["editor_a"])
    paragraphs = edited.body["sections"][plan_section]["paragraphs"]
    assert [p["text"] for p in paragraphs] == ["改写后的总体情况。", "新增一段。"]
    assert paragraphs[0]["figures"][0]["value"] == "5" and paragraphs[1]["figures"] == []
    assert edited.title == "新标题" and list(edited.named_counties.all()) == []
    with pytest.raises(ValidationError):
        bulletin_edit(bulletin=edited, title="新标题", sections=[[{"index": 0, "text": " "}]], acting_user=None)


def test_the_edit_page_is_atomic_and_keeps_the_typed_text_on_error(q, client):
    bulletin = _create(q)
    client.force_login(q["editor_a"])
    url = reverse("bulletins:bulletin_edit", args=[bulletin.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"title": "改过的标题", "s0-p0": "改过的开头。", "s1-p0": ""})
    assert response.status_code == 400
    content = response.content.decode()
    assert "改过的标题" in content and "改过的开头。" in content
    assert "段落不能为空，如不需要请删除该段。" in content
    bulletin.refresh_from_db()
    assert bulletin.title != "改过的标题"


def test_issuing_takes_the_next_number_of_the_offices_one_sequence(q):
    inspection = inspection_make(q["office"], counties=[q["a1"]])
    finding_make(inspection, q["a1"], "问题。")
    opinion = document_issue(
        inspection=inspection, kind=DocumentKind.OPINION, county=q["a1"], acting_user=None, today=TODAY
    )
    bulletin = _create(q)
    with pytest.raises(ValidationError):
        bulletin_issue(bulletin=bulletin, acting_user=q["reviewer_a"], today=TODAY)
    bulletin_submit(bulletin=bulletin, acting_user=q["editor_a"])
    issued = bulletin_issue(bulletin=bulletin, acting_user=q["reviewer_a"], today=TODAY)
    assert (opinion.number, issued.number) == (1, 2)
    assert issued.doc_number == "甲教督〔2026〕2号" and issued.status == Bulletin.Status.ISSUED
    # And the next inspection document comes after the bulletin.
    report = document_issue(inspection=inspection, kind=DocumentKind.REPORT, acting_user=None, today=TODAY)
    assert report.number == 3
    with pytest.raises(ValidationError):
        bulletin_edit(bulletin=issued, title="x", sections=[], acting_user=None)
    assert list(
        ActionLog.objects.filter(object_id=issued.pk, action_type__startswith="bulletins.")
        .order_by("pk")
        .values_list("action_type", flat=True)
    ) == ["bulletins.bulletin.drafted", "bulletins.bulletin.submitted", "bulletins.bulletin.issued"]


def test_the_database_refuses_an_issued_bulletin_without_a_number(q):
    bulletin = _create(q)
    with pytest.raises(IntegrityError), transaction.atomic():
        Bulletin.objects.filter(pk=bulletin.pk).update(status="issued")


# --- Who reads what --------------------------------------------------------------------------------------


def _issued(q, counties):
    bulletin = _create(q, counties=counties, round_=False)
    bulletin_submit(bulletin=bulletin, acting_user=q["editor_a"])
    return bulletin_issue(bulletin=bulletin, acting_user=q["reviewer_a"], today=TODAY)


def test_a_county_reads_only_the_issued_bulletins_that_name_it(q, client):
    draft = _create(q)
    issued = _issued(q, ("a1",))
    client.force_login(q["county_a1"])
    assert client.get(issued.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    listing = client.get(reverse("bulletins:bulletin_list")).content.decode()
    assert issued.title in listing and draft.doc_number == ""
    assert listing.count(f'href="/bulletins/{draft.pk}/"') == 0
    client.force_login(q["county_a2"])
    assert client.get(issued.get_absolute_url()).status_code == 404
    assert f'href="/bulletins/{issued.pk}/"' not in client.get(reverse("bulletins:bulletin_list")).content.decode()
    # Another office's staff neither.
    client.force_login(q["editor_b"])
    assert client.get(issued.get_absolute_url()).status_code == 404


def test_only_the_offices_reviewers_issue(q, client):
    bulletin = _create(q)
    bulletin_submit(bulletin=bulletin, acting_user=q["editor_a"])
    client.force_login(q["editor_a"])
    assert client.post(reverse("bulletins:bulletin_issue", args=[bulletin.pk])).status_code == 403
    client.force_login(q["viewer_a"])
    assert client.get(reverse("bulletins:bulletin_edit", args=[bulletin.pk])).status_code == 403
    client.force_login(q["reviewer_a"])
    assert client.post(reverse("bulletins:bulletin_issue", args=[bulletin.pk])).status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.is_issued


# --- Pages and Word ------------------------------------------------------------------------------------


def test_the_word_file_has_the_document_number_and_the_pages_total(q, client):
    issued = _issued(q, ("a1", "a2"))
    client.force_login(q["editor_a"])
    page = client.get(issued.get_absolute_url()).content.decode()
    total = re.search(r"全市应完成工作要点任务(\d+)项", page)[1]
    response = client.get(reverse("bulletins:bulletin_docx", args=[issued.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _docx_text(response.content)
    assert "甲教督〔2026〕1号" in text and "甲教督〔2026〕1号" in page
    assert f"全市应完成工作要点任务{total}项" in text and total == "5"


def test_the_signature_is_dated_the_day_of_issue_in_the_sites_time_zone(q):
    issued = _issued(q, ("a1",))
    # 2026-07-01 17:30 UTC is 01:30 on 2 July in Beijing.
    Bulletin.objects.filter(pk=issued.pk).update(issued_at=datetime.datetime(2026, 7, 1, 17, 30, tzinfo=datetime.UTC))
    issued.refresh_from_db()
    assert bulletin_content(issued)["date"] == "2026年7月2日"
    assert "2026年7月2日" in _docx_text(bulletin_docx(bulletin=issued))


def test_an_offices_own_word_template_is_used_for_its_bulletins(q, client):
    issued = _issued(q, ("a1",))
    template = docx.Document()
    template.add_paragraph("本办通报 {{ doc_number }} {{ title }}")
    buffer = io.BytesIO()
    template.save(buffer)
    DocumentTemplate.objects.create(
        office=q["office"], kind="bulletin", file=ContentFile(buffer.getvalue(), "bulletin.docx")
    )
    assert str(DocumentTemplate.objects.get()).endswith("通报")
    assert f"本办通报 {issued.doc_number} {issued.title}" in _docx_text(bulletin_docx(bulletin=issued))
    # The admin's upload form offers the kind.
    assert ("bulletin", "通报") in [(k, str(label)) for k, label in template_kind_choices()]


def test_the_list_and_the_page_read_few_queries(q, client, django_assert_max_num_queries):
    for _n in range(4):
        _create(q)
    client.force_login(q["editor_a"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("bulletins:bulletin_list")).status_code == 200
    bulletin = Bulletin.objects.first()
    with django_assert_max_num_queries(10):
        assert client.get(bulletin.get_absolute_url()).status_code == 200


def test_the_create_page_drafts_and_goes_to_the_editor(q, client):
    client.force_login(q["editor_a"])
    url = reverse("bulletins:bulletin_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "office": q["office"].pk,
            "kind": "bulletin",
            "period_start": "2026-04-01",
            "period_end": "2026-06-30",
            "counties": [q["a1"].pk, q["a2"].pk],
            "round": q["round"].pk,
        },
    )
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "bulletins:bulletin_edit", args=[bulletin.pk]
    )
    # A county of another city is refused, with the form kept.
    response = client.post(
        url,
        {
            "office": q["office"].pk,
            "kind": "bulletin",
            "period_start": "2026-04-01",
            "period_end": "2026-03-01",
            "counties": [q["a1"].pk],
        },
    )
    assert response.status_code == 200 and Bulletin.objects.count() == 1
    assert Inspection.objects.exists()


def test_the_word_file_made_in_the_background_is_the_downloads(q, client, django_capture_on_commit_callbacks):
    from jobs.models import Job

    issued = _issued(q, ("a1", "a2"))
    client.force_login(q["editor_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bulletins:bulletin_docx_job", args=[issued.pk]))
    job = Job.objects.get(user=q["editor_a"], kind="bulletins.docx")
    assert response.url == job.get_absolute_url()
    assert job.state == Job.State.SUCCEEDED, job.message
    assert job.result_name == f"{issued.doc_number} {issued.title}.docx"
    made = b"".join(client.get(reverse("jobs:job_file", args=[job.pk])).streaming_content)
    assert _docx_text(made) == _docx_text(client.get(reverse("bulletins:bulletin_docx", args=[issued.pk])).content)
    # Another office's staff may not start it, nor read this one.
    client.force_login(q["editor_b"])
    assert client.post(reverse("bulletins:bulletin_docx_job", args=[issued.pk])).status_code == 404
    assert client.get(job.get_absolute_url()).status_code == 404


def test_a_broken_template_fails_the_job_with_its_message(q, django_capture_on_commit_callbacks):
    from jobs.models import Job
    from jobs.services import job_start

    issued = _issued(q, ("a1",))
    template = docx.Document()
    template.add_paragraph("{{ missing_field }}")
    buffer = io.BytesIO()
    template.save(buffer)
    DocumentTemplate.objects.create(
        office=q["office"], kind="bulletin", file=ContentFile(buffer.getvalue(), name="坏模板.docx")
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="bulletins.docx", user=q["editor_a"], title="通报", params={"bulletin": issued.pk})
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "missing_field" in job.message or "模板" in job.message
