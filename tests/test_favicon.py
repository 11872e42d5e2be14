"""The site's icon: every page links it, and the address browsers ask for by themselves answers."""

import pytest
from django.templatetags.static import static
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("url", ["/favicon.ico", static("favicon.svg")])
def test_the_icon_answers_without_a_login(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    body = _body(response)
    assert body.lstrip().startswith(b"<svg") and "督".encode() in body


def test_every_page_links_the_icon(client):
    html = client.get(reverse("login")).content.decode()

    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in html
