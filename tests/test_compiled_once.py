"""The pages people open most read with queries compiled once a process (supervision.prepared):
on PostgreSQL, a page opened a second time has the ORM compile no query (each compile costs
0.2–2 ms of CPU, a page's whole budget over its floors). A read added to one of these pages the
ORM's way shows here."""

import pytest
from django.db import connection
from django.db.models.sql import compiler

from tests.site_walk import demo_site_build, page_paths

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="reads are compiled once on PostgreSQL only"),
]

# URL name → the demo role that opens it.
HOT_PAGES = {
    "plans:plan_list": "staff",
    "plans:plan_detail": "staff",
    "plans:plan_calendar": "staff",
    "plans:plan_print": "staff",
    "plans:plan_history": "staff",
    "plans:plan_edit": "staff",
    "plans:plan_create": "staff",
    "plans:revisions": "staff",
    "plans:revision_detail": "staff",
    "plans:revision_compare": "staff",
    "plans:office_calendar": "staff",
    "plans:feed_settings": "staff",
    "plans:import_upload": "staff",
    "plans:user_audit": "admin",
    "tracking:county_list": "staff",
    "tracking:county_detail": "county",
    "tracking:portal": "county",
    "tracking:assignment_detail": "county",
    "tracking:plan_dashboard": "staff",
    "tracking:office_dashboard": "staff",
    "tracking:province_dashboard": "province",
    "inspections:school_list": "county",
    "inspections:zone_detail": "county",
    "inspections:coverage": "staff",
    "inspections:inspection_list": "staff",
    "inspections:inspection_dashboard": "staff",
    "inspections:rectification_list": "staff",
}

# Read the ORM's way by design: a name searched for, a later page (read by the ids found, a
# query of each list's own), the county a filter checks against its queryset, the 整改 list
# narrowed by state or escalation.
ORM_READS = ("q=", "page=")
ORM_READS_OF = {"inspections:inspection_list": ("county=",), "inspections:rectification_list": ("state=",)}


class _Compiles:
    def __init__(self):
        self.where: list[str] = []
        self._depth = 0

    def wrap(self, as_sql):
        def counted(compiler_, *args, **kwargs):
            self._depth += 1
            try:
                return as_sql(compiler_, *args, **kwargs)
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self.where.append(compiler_.query.model.__name__ if compiler_.query.model else "?")

        return counted


def test_the_pages_opened_most_compile_no_query_when_opened_again(client, settings, monkeypatch):
    # The check of each prepared read against the ORM's SQL compiles it: off here.
    settings.PREPARED_QUERIES_VERIFY = False
    site = demo_site_build()
    paths = page_paths(site)
    compiles = _Compiles()
    monkeypatch.setattr(compiler.SQLCompiler, "as_sql", compiles.wrap(compiler.SQLCompiler.as_sql))
    compiled, opened = {}, 0
    for name, role in HOT_PAGES.items():
        client.force_login(site["users"][role])
        for path in paths[name]:
            if any(read in path for read in (*ORM_READS, *ORM_READS_OF.get(name, ()))):
                continue
            assert client.get(path).status_code == 200, (name, role, path)
            compiles.where.clear()
            assert client.get(path).status_code == 200
            opened += 1
            if compiles.where:
                compiled[path] = list(compiles.where)

    assert compiled == {}
    assert opened >= len(HOT_PAGES)


def test_the_calendar_feeds_compile_no_query_when_polled_again(client, settings, monkeypatch):
    # Calendar clients poll each feed every quarter of an hour, signed in by the secret alone.
    from django.urls import reverse

    from plans.outputs.feeds import feed_token_renew

    settings.PREPARED_QUERIES_VERIFY = False
    site = demo_site_build()
    secret = feed_token_renew(user=site["users"]["staff"]).secret
    compiles = _Compiles()
    monkeypatch.setattr(compiler.SQLCompiler, "as_sql", compiles.wrap(compiler.SQLCompiler.as_sql))
    # The plan's feed has its lines; the office's has the plans of the years around today only.
    for path, content in (
        (reverse("plans:plan_feed", args=[secret, site["plan"].pk]), b"BEGIN:VEVENT"),
        (reverse("plans:office_feed", args=[secret, site["office"].pk]), b"BEGIN:VCALENDAR"),
    ):
        assert client.get(path).status_code == 200
        compiles.where.clear()
        response = client.get(path)
        assert response.status_code == 200 and content in response.content
        assert compiles.where == [], path
