"""Every URL pattern, walked as people who must not see an office's internals.

The patterns come from the URL resolver, so a new URL is in the walk without anyone adding it.
Each is requested with GET and POST, its parameters filled with the ids of office A's secret
draft, its published plan, a county, a revision and a user. Nobody here may see A's drafts,
import sources or history, change anything, or get a server error.
"""

import datetime
import re
from collections import Counter
from itertools import product

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from audit.services import log_action
from jobs.models import Job
from organisation.models import Membership, Office, Region
from plans.actions import PLAN_RETURNED
from plans.models import PlanSource, WorkPlan
from plans.services import work_plan_revise
from tests.api.helpers import token_make
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    RegionFactory,
    TaskFactory,
    UserFactory,
    county_user_create,
    staff_user_create,
    work_plan_build,
)
from tracking.models import Assignment
from tracking.services.reports import report_submit

pytestmark = pytest.mark.django_db

SECRETS = ("机密草稿标题", "机密导入原文", "机密修订稿", "机密退回意见", "乙县机密报告")
TRANSITIONS = ("submit", "return", "publish", "revise", "archive", "discard")


def _patterns(resolvers=None, prefix=""):
    """(route, converters) of every URL pattern, admin included."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def _urls(route: str, ids: dict) -> list[str]:
    """Concrete paths for a route: each parameter filled with every value that fits it."""
    if "^" in route or "(?P" in route:
        # Regex routes (the admin's, the API router's, Django's own): their named groups become
        # parameters like a path's.
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)
        route = route.replace("^", "").replace("$", "").replace("\\", "")
    paths = ["/" + route]
    for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
        values = ids.get(name, [1])
        paths = [re.sub(rf"<(?:\w+:)?{name}>", str(value), path, count=1) for path in paths for value in values]
    return paths


@pytest.fixture
def office_a():
    """Office A: a published plan naming a county, an open revision, a secret draft."""
    province = RegionFactory(name="甲省", level=Region.Level.PROVINCE)
    office = OfficeFactory(name="甲市教育督导室", region=RegionFactory(name="甲市", parent=province))
    county = CountyFactory(name="甲县")
    editor = staff_user_create(office=office)
    published = work_plan_build(tasks=2, counties=[county], office=office, title="甲市已发布要点")
    PlanSource.objects.create(plan=published, name="a.txt", text="机密导入原文", sha256="a" * 64)
    draft = work_plan_build(
        tasks=2, counties=[county], office=office, status=WorkPlan.Status.DRAFT, title="机密草稿标题", doc_number=""
    )
    log_action(draft, PLAN_RETURNED, user=None, office=office, data={"comment": "机密退回意见"})
    # Another county's assignment and report: for its county and office A's staff only.
    other_county = CountyFactory(name="乙县")
    TaskFactory(plan=published, number=3, counties=[other_county])
    assignment = Assignment.objects.create(
        office=published.office,
        year=published.plan_year,
        plan=published,
        task=published.tasks.get(number=3),
        county=other_county,
        label="乙县的任务",
        due_date=datetime.date(2020, 6, 30),
        due_date_rule=datetime.date(2020, 6, 30),
    )
    report = report_submit(
        assignment=assignment,
        acting_user=county_user_create(county=other_county),
        progress="done",
        text="乙县机密报告",
        files=[SimpleUploadedFile("r.pdf", b"%PDF-1.4 x")],
    )
    revision = work_plan_revise(plan=published, acting_user=editor)
    revision.title = "机密修订稿"
    revision.save()
    # The editor's background export of the draft's office: their page and file alone.
    job = Job.objects.create(
        kind="tracking.dashboard_export",
        user=editor,
        office=office,
        title="机密草稿标题",
        key="walk",
        state=Job.State.SUCCEEDED,
        result_name="机密草稿标题.xlsx",
    )
    job.result_file.save("walk.txt", ContentFile("机密导入原文".encode()))
    return {
        "office": office,
        "province": province,
        "county": county,
        "editor": editor,
        "published": published,
        "draft": draft,
        "revision": revision,
        "assignment": assignment,
        "report": report,
        "evidence": report.evidence.get(),
        "job": job,
    }


def _actors(office_a):
    other_office = OfficeFactory(name="乙市教育督导室")
    return {
        "anonymous": None,
        "county of another county": county_user_create(county=CountyFactory(name="丙县")),
        "county named by the plan": county_user_create(county=office_a["county"]),
        "staff of another office": staff_user_create(office=other_office),
        "reviewer of another office": staff_user_create(office=other_office, role=Membership.Role.REVIEWER),
        "viewer of the office": staff_user_create(office=office_a["office"], role=Membership.Role.VIEWER),
        # Oversees office A's province: its figures, never its drafts, assignments or reports.
        "staff of the provincial office": staff_user_create(
            office=OfficeFactory(name="甲省教育督导室", level=Office.Level.PROVINCE, region=office_a["province"])
        ),
        "django is_staff without membership": UserFactory(is_staff=True),
    }


def _feed_tokens(office_a) -> list[str]:
    from plans.outputs.feeds import feed_token_renew

    revoked = feed_token_renew(user=office_a["editor"]).secret
    feed_token_renew(user=office_a["editor"])
    outsider = feed_token_renew(user=staff_user_create(office=OfficeFactory(name="丁市教育督导室"))).secret
    return [revoked, "x" * 43, outsider]


def _state():
    return list(WorkPlan.objects.order_by("pk").values_list("pk", "status", "version", "title"))


def test_walking_every_url_shows_no_one_anothers_internals(client, office_a):
    ids = {
        "pk": sorted(
            {
                office_a["draft"].pk,
                office_a["revision"].pk,
                office_a["published"].pk,
                office_a["assignment"].pk,
                office_a["report"].pk,
                office_a["evidence"].pk,
                office_a["job"].pk,
            }
        ),
        "county_id": [office_a["county"].pk],
        "office_id": [office_a["office"].pk],
        "region_id": [office_a["province"].pk],
        "year": [office_a["published"].plan_year],
        "number": [1],
        "user_id": [office_a["editor"].pk],
        "action": list(TRANSITIONS),
        "kind": ["offices", "counties"],
        "object_id": [office_a["draft"].pk],
        # Calendar feeds: a revoked secret of A's editor, one that never existed, and the
        # live secret of another office's staff (its feeds must not show A's drafts).
        "token": _feed_tokens(office_a),
    }
    routes = sorted(set(_patterns()))
    before = _state()
    walked: dict[str, Counter] = {}
    for actor, user in _actors(office_a).items():
        client.logout()
        if user is not None:
            client.force_login(user)
        # The API once more as a program calls it: the actor's read-write token, no session.
        token_client = Client(HTTP_AUTHORIZATION=f"Bearer {token_make(user, scope='read_write')}") if user else None
        codes = walked.setdefault(actor, Counter())
        tokens_used = 0
        for route in routes:
            callers = [client] + ([token_client] if token_client and route.startswith("api/") else [])
            for url, caller, method in product(_urls(route, ids), callers, ("get", "post")):
                if method == "post" and url in ("/accounts/logout/", "/admin/logout/"):
                    continue  # it would end the walk's session
                response = getattr(caller, method)(url, follow=False)
                tokens_used += caller is token_client
                codes[response.status_code] += 1
                where = f"{actor}: {method.upper()} {url} → {response.status_code}"
                assert response.status_code < 500, where
                if actor == "anonymous" and response.status_code == 302:
                    assert "login" in response.url or response.url.startswith(("/admin/", "/")), where
                    assert url.startswith(("/i18n/", "/admin/")) or "login" in response.url, where
                if actor == "viewer of the office":
                    continue  # their own office: drafts are theirs to read
                body = b"".join(response.streaming_content) if response.streaming else response.content
                text = body.decode("utf-8", "replace")
                for secret in SECRETS:
                    assert secret not in text, f"{where} shows {secret}"
        assert user is None or tokens_used > 0, actor
    # Nothing anyone of them did changed a plan.
    assert _state() == before
    assert len(walked) == 8 and all(sum(codes.values()) >= len(routes) for codes in walked.values())
    report = {actor: dict(sorted(codes.items())) for actor, codes in walked.items()}
    print("\nURL walk (status: responses):", report)


def test_a_viewer_reads_their_office_but_can_change_nothing(client, office_a):
    viewer = staff_user_create(office=office_a["office"], role=Membership.Role.VIEWER)
    client.force_login(viewer)
    before = _state()

    assert "机密草稿标题" in client.get(office_a["draft"].get_absolute_url()).content.decode()
    for plan in (office_a["draft"], office_a["revision"], office_a["published"]):
        for action in TRANSITIONS:
            response = client.post(f"/plans/{plan.pk}/{action}/", {"version": plan.version, "comment": "x"})
            assert response.status_code == 403, (plan, action)
    assert client.get("/import/").status_code == 403
    assert _state() == before
