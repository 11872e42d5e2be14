"""A refused form says at the top of the page how many places need changing, with a link to
each field, and that summary is what has focus when the page opens."""

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import county_user_create
from tests.plans.test_editing import (  # noqa: F401
    draft,  # noqa: F401
    edit_url,
    editor,
    form_data,
    office,
    outline,
)
from tests.tracking.test_tracking import EXE, PDF, counties, published, region, reviewer  # noqa: F401
from tracking.models import Assignment

pytestmark = pytest.mark.django_db


def _summary(html: str) -> str:
    match = re.search(r'<div class="error-summary"[^>]*>.*?</div>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def _links(summary: str) -> list[tuple[str, str]]:
    return [
        (href, re.sub(r"\s+", " ", text).strip())
        for href, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary, re.S)
    ]


def test_a_failed_save_lists_each_field_to_change_at_the_top(client, editor, draft):
    client.force_login(editor)
    page = client.get(edit_url(draft))
    assert 'class="error-summary"' not in page.content.decode()
    entry = outline(form_data(page), "e")[0]
    first, second = outline(form_data(page), "t")[:2]

    response = client.post(
        edit_url(draft),
        form_data(
            page,
            **{
                f"e-{entry}-period": "明年某时",
                f"t-{first}-counties": "金水区、火星区",
                "plan-title": "",
                "op": "save",
            },
        ),
    )

    assert response.status_code == 400
    html = response.content.decode()
    summary = _summary(html)
    assert "3 处需要修改" in summary
    assert html.index('class="error-summary"') < html.index('<form method="post"')  # at the top
    assert 'tabindex="-1"' in summary and "autofocus" in summary  # focused on load, no script needed
    links = _links(summary)
    assert [href for href, _text in links] == ["id_plan-title", f"id_t-{first}-counties", f"id_e-{entry}-period"]
    assert links[0][1].startswith("基本信息 · 标题：")
    assert links[1][1].startswith("任务 1 · 涉及县（市、区）：") and "火星区" in links[1][1]
    assert links[2][1].startswith("任务 1 的月历事项 · ") and "明年某时" in links[2][1]
    for href, _text in links:  # every link leads to a field of the page
        assert f'id="{href}"' in html
    draft.refresh_from_db()
    assert draft.version == 1


def test_a_refused_evidence_file_is_listed_at_the_top_with_a_link_to_the_file_field(client, published, counties):
    client.force_login(county_user_create(county=counties[0]))
    assignment = Assignment.objects.filter(county=counties[0]).first()
    assert (
        'class="error-summary"'
        not in client.get(reverse("tracking:assignment_detail", args=[assignment.pk])).content.decode()
    )

    response = client.post(
        reverse("tracking:report_create", args=[assignment.pk]),
        {
            "progress": "done",
            "text": "已完成",
            "submission_key": str(uuid.uuid4()),
            "files": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("自查.pdf", EXE)],
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    summary = _summary(html)
    assert "1 处需要修改" in summary and "报告未报送" in summary
    assert html.index('class="error-summary"') < html.index('class="page-head"')
    [(href, text)] = _links(summary)
    assert href == "id_files" and 'id="id_files"' in html
    assert text.startswith("佐证材料：") and "不是 PDF" in text


def test_a_report_without_progress_or_text_links_to_both_fields(client, published, counties):
    client.force_login(county_user_create(county=counties[0]))
    assignment = Assignment.objects.filter(county=counties[0]).first()

    response = client.post(
        reverse("tracking:report_create", args=[assignment.pk]), {"submission_key": str(uuid.uuid4())}
    )

    assert response.status_code == 400
    summary = _summary(response.content.decode())
    assert "2 处需要修改" in summary
    assert [href for href, _text in _links(summary)] == ["id_progress_0", "id_text"]
    assert 'id="id_progress_0"' in response.content.decode()
