"""Every kind of page, as anonymous and as each demo role: no template markup shows through, and
the HTML parses without an error by the HTML check (html5lib's parse errors, ids, <time> values)."""

from pathlib import Path

import pytest

from tests.html_check import html_problems
from tests.site_walk import NOT_PAGES, ROLES, demo_site_build, page_paths, url_names

pytestmark = pytest.mark.django_db

LEAKS = ("{#", "#}", "{%", "%}", "{{", "}}")


@pytest.fixture
def site():
    return demo_site_build()


def _pages(client, site):
    """(role, path, html) of every page each role may see."""
    paths = [path for paths in page_paths(site).values() for path in paths]
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(site["users"][role])
        for path in paths:
            response = client.get(path)
            assert response.status_code < 500, (role, path, response.status_code)
            if response.status_code in (200, 403, 404) and response["Content-Type"].startswith("text/html"):
                yield role, path, response.content.decode()


def test_every_url_pattern_is_walked_or_known_not_to_be_a_page(site):
    assert url_names() - NOT_PAGES - set(page_paths(site)) == set()
    assert NOT_PAGES <= url_names()


def test_no_page_shows_template_markup_and_every_page_is_valid_html(client, site):
    leaks, problems, seen = [], [], 0
    for role, path, html in _pages(client, site):
        seen += 1
        for mark in LEAKS:
            if mark in html:
                at = html.index(mark)
                leaks.append(f"{role} {path}: {html[max(0, at - 60) : at + 60]!r}")
        problems += [f"{role} {path}: {problem}" for problem in html_problems(html)]
    assert leaks == []
    assert sorted(set(problems)) == []
    assert seen > 100


def test_the_html_check_finds_what_the_validator_would():
    page = (
        '<!DOCTYPE html><html lang="zh-Hans"><head><title>x</title></head><body>'
        '<label for="id_plan_year">年度</label><input id="id_plan_year"><input id="id_plan_year">'
        '<input aria-describedby="id_year_helptext"><time datetime="2026-03-01T04:01:00.123456+00:00">'
        '</time><time datetime="2026-03-01T12:01:00+08:00"></time><p></div></body></html>'
    )
    assert html_problems(page) == [
        "line 1: End tag (div) seen too early. Expected other end tag.",
        'duplicate id="id_plan_year" (2×)',
        '<input aria-describedby="id_year_helptext"> names no element',
        '<time datetime="2026-03-01T04:01:00.123456+00:00"> is not a date or time',
    ]


def test_the_blank_and_the_copy_form_each_label_their_own_year(client, site):
    client.force_login(site["users"]["staff"])
    html = client.get("/plans/new/").content.decode()
    blank = html.split('id="create-heading"')[1]
    copy = html.split('id="copy-heading"')[1].split('id="create-heading"')[0]

    assert '<label for="id_plan_year">' in blank and 'id="id_plan_year"' in blank
    assert '<label for="id_copy_plan_year">' in copy and 'id="id_copy_plan_year"' in copy
    assert 'name="plan_year"' in copy  # what the copy form posts is unchanged
    assert html_problems(html) == []


def test_no_template_has_a_comment_over_several_lines():
    # Django's {# #} ends at the line's end: over two lines it is printed as text.
    from django.conf import settings

    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    open_comments = [
        f"{path.relative_to(folder)}:{number}"
        for folder in folders
        for path in sorted(folder.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert open_comments == []
    assert folders and all(folder.is_dir() for folder in folders)
