"""What a request Django refuses before any view is told: which bound it passed."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_form_with_too_many_fields_is_refused_with_the_bound_named(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    response = client.post(reverse("login"), {f"field{n}": "x" for n in range(5)})
    assert response.status_code == 400
    assert "表单一次发送的字段超过 3 个" in response.content.decode()


def test_too_much_form_text_is_refused_with_the_bound_named(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(reverse("login"), {"username": "x" * 4096, "password": "y"})
    assert response.status_code == 400
    assert "表单一次发送的文字超过 1.0\xa0KB" in response.content.decode()


def test_any_other_unreadable_request_gets_the_plain_explanation(client):
    response = client.get(reverse("login"), {"next": "\x00"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "无法识别此请求" in html
    assert "超过" not in html
