"""Every form, fed anything: no input gives a server error, and what is refused is refused with
a message in Chinese. The forms are read off the pages themselves (each POST form's fields and
action), so a form added later is fuzzed without anyone listing it here."""

import re
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from organisation.models import Membership
from plans.models import WorkPlan
from plans.services import work_plan_publish, work_plan_submit
from schedule.periods import match_period, parse_period, split_period
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    county_user_create,
    staff_user_create,
    work_plan_build,
)
from tracking.models import Assignment

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Values people type, and values nobody should: dates, numbers, periods, markup, long text.
VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "2024",
            "99999999999999999999",
            "2024-02-30",
            "3月中旬",
            "一季度",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "../../etc/passwd",
            "\x00",
            "管城区、孟津县",
            # PostgreSQL refuses a NUL inside text, and axes' columns hold 255 characters.
            "郑州\x00",
            "x" * 256,
        ]
    ),
    st.text(alphabet="0123456789-./年月日", max_size=12),
    st.just("长" * 3000),
)


class _Forms(HTMLParser):
    """The POST forms of a page: their action and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms, self._current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "fields": {}, "files": False}
            self.forms.append(self._current)
            self._current["files"] = "multipart" in (attrs.get("enctype") or "")
        elif self._current is not None and tag in ("input", "textarea", "select") and attrs.get("name"):
            self._current["fields"][attrs["name"]] = (tag, attrs.get("type") or "", attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def page_forms(client: Client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    if response.status_code != 200:
        return []  # an earlier fuzzed form of this example removed or moved it (a discarded draft)
    parser = _Forms()
    parser.feed(response.content.decode())
    return [form for form in parser.forms if not form["action"].endswith(("/logout/", "/i18n/setlang/"))]


@pytest.fixture
def world(db):
    region_county = CountyFactory(name="模糊测试区")
    office = OfficeFactory(region=region_county.city)
    editor = staff_user_create(office=office)
    reviewer = staff_user_create(office=office, role=Membership.Role.REVIEWER)
    draft = work_plan_build(tasks=2, counties=[region_county], office=office, status=WorkPlan.Status.DRAFT)
    published = work_plan_build(tasks=2, counties=[region_county], office=office, status=WorkPlan.Status.DRAFT)
    work_plan_submit(plan=published, acting_user=editor)
    published = work_plan_publish(plan=published, acting_user=reviewer)
    county = county_user_create(county=region_county)
    assignment = Assignment.objects.filter(plan=published).first()
    return {
        "editor": editor,
        "reviewer": reviewer,
        "county": county,
        "anonymous": None,
        "pages": {
            # The login forms: what anyone may send.
            "anonymous": ["/accounts/login/", "/admin/login/"],
            "editor": [
                "/import/",
                f"/plans/{draft.pk}/",
                f"/plans/{draft.pk}/edit/",
                "/plans/new/",
                f"/plans/{published.pk}/",
                f"/assignments/{assignment.pk}/",
                "/notifications/settings/",
                f"/notifications/offices/{office.pk}/channels/",
                "/accounts/tokens/",
            ],
            "reviewer": [f"/plans/{published.pk}/", f"/assignments/{assignment.pk}/"],
            "county": [
                "/my/",
                f"/assignments/{assignment.pk}/",
                "/notifications/settings/",
                f"/notifications/offices/{county.memberships.get().office_id}/channels/",
            ],
        },
    }


def _fuzz(client, form, data, files):
    action = form["action"]
    response = client.post(action, {**data, **files})
    where = f"POST {action} {sorted(data)}"
    assert response.status_code < 500, where
    if response.status_code == 400:
        assert CHINESE.search(response.content.decode()), f"{where}: refused without a Chinese message"


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_no_form_gives_a_server_error_whatever_it_is_sent(world, data):
    # Each example starts from the same data: what one example's POSTs changed is rolled back.
    with transaction.atomic():
        _fuzz_every_form(world, data)
        transaction.set_rollback(True)


def _fuzz_every_form(world, data):
    for who, urls in world["pages"].items():
        client = Client()
        if world[who] is not None:
            client.force_login(world[who])
        for url in urls:
            for form in page_forms(client, url):
                values = {}
                for name, (_tag, kind, value) in form["fields"].items():
                    if name == "csrfmiddlewaretoken" or kind == "file":
                        continue
                    keep = kind == "hidden" and data.draw(st.booleans(), label=f"keep {name}")
                    values[name] = value if keep else data.draw(VALUES, label=name)
                files = {}
                if form["files"]:
                    from django.core.files.uploadedfile import SimpleUploadedFile

                    payload = data.draw(st.binary(max_size=200), label="file")
                    name = data.draw(
                        st.sampled_from(["a.pdf", "a.docx", "a.txt", "../a.exe", "证据.png"]), label="name"
                    )
                    files = {
                        next(n for n, f in form["fields"].items() if f[1] == "file"): SimpleUploadedFile(name, payload)
                    }
                _fuzz(client, form, values, files)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(query={"q": "郑州\x00"})
@example(query={"q": "\x00", "page": "1\x00", "plan_year": "2024\x00"})
@given(
    query=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "office",
                "plan_year",
                "status",
                "county",
                "page",
                "view",
                "state",
                "task",
                "month",
                "quarter",
                "a",
                "b",
                "format",
            ]
        ),
        VALUES,
        max_size=5,
    )
)
def test_no_list_or_filter_gives_a_server_error_whatever_its_query(world, query):
    client = Client()
    client.force_login(world["editor"])
    for url in (
        "/plans/",
        "/counties/",
        "/suggest/counties/",
        "/suggest/offices/",
        world["pages"]["editor"][4] + "dashboard/",
        world["pages"]["editor"][4] + "revisions/compare/",
    ):
        if query.get("format") and "dashboard" in url:
            query = {k: v for k, v in query.items() if k != "format"}
        response = client.get(url, query)
        assert response.status_code < 500, (url, query)


@given(st.text(max_size=80))
def test_the_period_readers_take_any_text(text):
    for reader in (match_period, split_period, parse_period):
        reader(text)


def test_a_login_name_longer_than_any_user_is_refused_with_a_message(world):
    """Django's login form never checked the name's length: a name over 255 characters went to
    django-axes' 255-character column (a server error on PostgreSQL, an error mail each)."""
    from axes.models import AccessAttempt

    for url in ("/accounts/login/", "/admin/login/"):
        response = Client().post(url, {"username": "x" * 300, "password": "wrong"})

        assert response.status_code == 200, url
        assert "150" in response.content.decode() and CHINESE.search(response.content.decode())
    assert not AccessAttempt.objects.exists()


def test_a_nul_in_any_query_parameter_is_refused_on_every_page(world, django_user_model):
    """Every page, the admin's too, asked with a NUL in the parameters the app's pages read (their
    filters, page numbers, year and view switches): a message, never a server error."""
    from tests.test_url_walk import _patterns, _urls

    plan = WorkPlan.objects.filter(status=WorkPlan.Status.PUBLISHED).get()
    assignment = Assignment.objects.filter(plan=plan).first()
    ids = {
        "pk": [plan.pk],
        "office_id": [plan.office_id],
        "year": [plan.plan_year],
        "county_id": [assignment.county_id],
        "region_id": [plan.office.region_id],
        "user_id": [world["editor"].pk],
        "number": [1],
        "kind": ["offices", "counties"],
        "action": ["submit"],
    }
    query = {
        name: "1\x00"
        for name in (
            "q",
            "page",
            "year",
            "plan_year",
            "status",
            "office",
            "county",
            "view",
            "state",
            "sort",
            "format",
            "from",
            "before",
            "region",
            "plan",
            "a",
            "b",
        )
    }
    admin = django_user_model.objects.create_superuser("root-fuzz", password="root-pass-2026")
    for user in (world["editor"], world["county"], admin):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for route in _patterns():
            for url in _urls(route, ids):
                if url == "/healthz":
                    continue  # reads no parameter, and answers before anything else
                response = client.get(url, query)
                assert response.status_code == 400, (user, url, response.status_code)
                assert CHINESE.search(response.content.decode()), url
