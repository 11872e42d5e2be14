"""Benchmark every page and export on generated data, against a floor of hand-written SQL.

Run from the repository root (`make bench` runs both):

    .venv/bin/python scripts/bench_pages.py --postgres [--seed 1] [-n 20] [--only plan]
    .venv/bin/python scripts/bench_pages.py --sqlite  [--seed 1] [-n 20]

--postgres works on the `supervision_bench` database on 127.0.0.1:5432 (created when missing):
it is migrated, and `generate_demo --scale national` fills it unless it already holds the data of
that seed and scale (the first run takes about a minute; later runs reuse it). --sqlite works on
a temporary file: the five seeds imported first (for the ratios the team's page_speed hook
checks), then `generate_demo --scale city`.

Each case is a named request through Django's test client (in-process: middleware, sessions,
permissions, ORM and templates, without a web server or network) as a given user. It prints,
per case: the median and 95th percentile of N requests, the SQL queries of one request and the
time spent in SQL, the floor — the same data read by hand-written SQL through psycopg (sqlite3
on SQLite) alone, which the page cannot do without — and the page's time as a multiple of its
floor and of the login page. The results also go to bench-results/<database>-<scale>.json
(git-ignored).

A page is one line in CASES: a name, the URL names it needs (a case whose URL does not exist in
this checkout is listed as skipped), how to build its URL from the Targets, which user asks,
and its floor.
"""

import argparse
import contextlib
import gc
import html
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/supervision_bench"
RESULTS = ROOT / "bench-results"
SEEDS_DIR = ROOT / "fixtures" / "seeds"
# The issue's budgets: every page; and the pages people open all day.
# Every page 50 ms (issue 22; exports 100), within 3× its SQL and render floors, p95 ≤ 2× the median.
BUDGET_MS, FAST_BUDGET_MS, EXPORT_BUDGET_MS, FLOOR_RATIO, P95_TO_MEDIAN = 50.0, 50.0, 100.0, 3.0, 2.0
LIST_TO_LOGIN, DETAIL_TO_LOGIN = 5.0, 8.0
EXPORT_ROWS_PER_SECOND = 20_000
# The issue's budget for importing an edited schedule sheet.
IMPORT_SHEET_ROWS, IMPORT_SECONDS = 10_000, 10


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--postgres", action="store_true", help=f"{POSTGRES_URL}, national scale (default)")
    where.add_argument("--sqlite", action="store_true", help="a temporary SQLite file, city scale")
    parser.add_argument("--database-url", help="another PostgreSQL database to fill and measure")
    parser.add_argument("--scale", help="generate_demo scale (national on PostgreSQL, city on SQLite)")
    parser.add_argument("--seed", type=int, default=1, help="generate_demo seed (default 1)")
    parser.add_argument("--as-of", default="2026-11-30", help="generate_demo --as-of (default 2026-11-30)")
    parser.add_argument("--years", type=int, default=10, help="generate_demo --years: years of plans (default 10)")
    parser.add_argument("-n", "--requests", type=int, default=20, help="timed requests per case (default 20)")
    parser.add_argument(
        "--only", action="append", default=[], help="cases whose name contains this (excel: the Excel throughput)"
    )
    parser.add_argument(
        "--gc",
        choices=("production", "default", "off"),
        default="production",
        help="garbage collection: as the server sets it up (supervision.collector: frozen after loading, "
        "higher thresholds; the default), Python's defaults, or none",
    )
    parser.add_argument(
        "--compare",
        nargs=2,
        type=Path,
        metavar=("BEFORE", "AFTER"),
        help="print each page's median in two results files (10 and 20 years of data) and their ratio; "
        "measures nothing",
    )
    parser.add_argument(
        "--no-excel", action="store_true", help="leave out the Excel export's throughput and the sheet import"
    )
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each case run")
    parser.add_argument(
        "--explain",
        type=float,
        metavar="MS",
        help="print EXPLAIN (ANALYZE, BUFFERS) of each query slower than MS (PostgreSQL)",
    )
    parser.add_argument("--json", type=Path, help="where to write the results")
    parser.add_argument(
        "--targets-like",
        type=Path,
        metavar="RESULTS.json",
        help="ask as the same office and county as that earlier run did (by name), so that two "
        "databases (say 10 and 20 years) are compared on the same offices' pages",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        metavar="R",
        help="instead of the table, every page in turn R times on one connection, as a worker serving "
        "them all: the time a request, its SQL and both processes' CPU a round, and the statements the "
        "connection keeps prepared (mixed_rounds)",
    )
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="measure the database as it is: no migration, no generation (to compare other code on the same data)",
    )
    return parser.parse_args()


# --- Database -----------------------------------------------------------------------------------


def postgres_database_ensure(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def django_setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supervision.settings")
    import django
    from django.conf import settings

    django.setup()
    # With DEBUG on Django keeps every query; production does not pay for that.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    # A line per request on the terminal would bury the table (the logging still runs).
    import logging

    for name in ("supervision.requests", "django.request"):
        logger = logging.getLogger(name)
        logger.handlers, logger.propagate = [logging.NullHandler()], False


def data_ensure(*, scale: str, seed: int, as_of: str, years: int = 10) -> dict:
    """Migrate; generate the demo data unless this seed, scale and years are there already."""
    import datetime

    from django.core.management import call_command

    from demo.data import demo_data_generate, demo_dataset_get

    call_command("migrate", verbosity=0)
    dataset = demo_dataset_get()
    as_of_day = datetime.date.fromisoformat(as_of)
    wanted = (scale, seed, as_of_day, years)
    if dataset is not None and (dataset.scale, dataset.seed, dataset.as_of, dataset.years) == wanted:
        print(f"reusing generated data: scale {scale}, seed {seed}, as of {as_of}, {years} years")
        return {"generated_seconds": None, "counts": dataset.counts, "vacuumed": vacuumed()}
    print(f"generating {scale} data, seed {seed}, as of {as_of}, {years} years" + (" (replacing)" if dataset else ""))
    summary = demo_data_generate(
        scale=scale,
        seed=seed,
        as_of=as_of_day,
        years=years,
        replace=dataset is not None,
        progress=lambda message: print(f"  {message}", flush=True),
    )
    print(f"generated in {summary.seconds:.1f} s")
    return {"generated_seconds": round(summary.seconds, 1), "counts": summary.counts, "vacuumed": vacuumed()}


def vacuumed() -> list[str]:
    """VACUUM (ANALYZE) the tables written since their last vacuum, as autovacuum would have
    done on a server that runs it (PostgreSQL; a server may have it off): a table of freshly
    generated rows has no visibility map, and an index-only scan then reads every row it counts
    from the table (a province's visit obligations of a year: 30,000 heap fetches, 20 ms)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE n_ins_since_vacuum + n_dead_tup > "
            "current_setting('autovacuum_vacuum_insert_threshold')::integer ORDER BY relname"
        )
        tables = [name for (name,) in cursor.fetchall()]
        start = time.perf_counter()
        for name in tables:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(name)}")
    if tables:
        print(f"vacuumed {len(tables)} tables written since their last vacuum in {time.perf_counter() - start:.1f} s")
    return tables


# --- What the cases ask for ---------------------------------------------------------------------


@dataclass
class Targets:
    """The users and objects the cases open, chosen from the data: the largest plan, a busy
    county, and so on."""

    users: dict
    plan: object  # the largest issued plan (tasks + calendar lines)
    county_plan: object  # the largest issued plan naming the busiest county
    revised: object  # the largest plan with two revisions or more
    draft: object | None  # the largest draft
    in_review: object | None
    county: object  # the county with the most open assignments
    office: object  # the largest plan's office
    year: int
    assignment: object | None
    report: object | None
    ids: dict = field(default_factory=dict)
    # The inspection work (inspections_targets_find): None where this checkout has none.
    zone: object = None  # the busiest county's zone with the most schools
    inspection: object = None  # the largest plan's office's inspection with the most findings
    rectification: object = None  # a 整改 item of that inspection (else of that office)
    month: str = ""  # the month the visit pages show (YYYY-MM, of the data's as-of date)
    # The evaluation work (evaluation_targets_find): None where this checkout has none.
    evaluation_round: object = None  # the latest published round with the most participants
    evaluation_participant: object = None  # its county with the most schools


def _of_size(plans, like: dict | None, size_key: str):
    """`plans` (annotated with their size), the largest first; asked like an earlier run that
    gave this size, the one closest to it first. The pages that read one plan cost what the
    plan holds, so two databases compare plans of one size: with more years of data the
    office's largest plan is larger, not its pages slower."""
    if like and like.get(size_key):
        from django.db.models import F
        from django.db.models.functions import Abs

        return plans.annotate(off=Abs(F("size") - like[size_key])).order_by("off", "-size", "pk")
    return plans.order_by("-size", "pk")


def _size(plan) -> int | None:
    return None if plan is None else plan.tasks.count() + plan.schedule_entries.count()


def targets_find(as_of_year: int, like: dict | None = None) -> Targets:
    """The largest issued plan and its office, the county with the most open plan work, and
    who asks for their pages. With `like` (an earlier run's "targets"), the same office and
    county by name instead, and that office's plans of the earlier run's sizes."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from organisation.models import County, Membership
    from plans.models import PlanRevision, WorkPlan
    from tracking.models import Assignment, ProgressReport

    User = get_user_model()
    sized = WorkPlan.objects.annotate(size=Count("tasks", distinct=True) + Count("schedule_entries", distinct=True))
    issued = sized.filter(status__in=WorkPlan.ISSUED)
    if like:
        issued = issued.filter(office__name=like["office"])
    plan = _of_size(issued, like, "plan_size").select_related("office").first()
    revised_ids = PlanRevision.objects.filter(number=2).values("plan_id")

    def largest(plans, size_key=""):
        # Asked like an earlier run: that office's own where it has one, so that two databases
        # compare the same office's revisions, draft and plan in review — of the size the
        # earlier run's had, where it said (the pages read one plan: their cost is its size).
        found = _of_size(plans.filter(office=plan.office), like, size_key).first() if like else None
        return found or plans.order_by("-size", "pk").first()

    revised = largest(sized.filter(pk__in=revised_ids), "revised_size") or plan
    draft = largest(sized.filter(status=WorkPlan.Status.DRAFT, revision_of=None), "draft_size")
    in_review = largest(sized.filter(status=WorkPlan.Status.IN_REVIEW), "in_review_size")
    if like:
        county = County.objects.select_related("city").get(name=like["county"], city__name=like["county_city"])
    else:
        # The county with the most open plan work, as before the other kinds (visits) came.
        busiest = (
            Assignment.objects.filter(state__in=Assignment.OPEN, kind=Assignment.Kind.PLAN_WORK)
            .values("county_id")
            .annotate(n=Count("pk"))
            .order_by("-n", "county_id")
            .first()
        )
        county = County.objects.select_related("city").get(pk=busiest["county_id"])
    county_plan = sized.filter(status__in=WorkPlan.ISSUED, county_index__county=county).order_by("-size", "pk").first()

    def member(office, role):
        membership = (
            Membership.objects.filter(office=office, role=role)
            .select_related("user")
            .order_by("user__username")
            .first()
        )
        return membership.user if membership else None

    county_member = (
        Membership.objects.filter(office__county=county, role=Membership.Role.COUNTY)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    admin, _created = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    users = {
        "staff": member(plan.office, Membership.Role.EDITOR),
        "reviewer": member(plan.office, Membership.Role.REVIEWER),
        "county": county_member.user,
        "admin": admin,
    }
    # A viewer of the provincial office over the largest plan's city (generate_demo makes one).
    province_office = (
        Membership.objects.filter(
            office__level="province", office__region_id=plan.office.region.parent_id, role=Membership.Role.VIEWER
        )
        .order_by("user__username")
        .select_related("user")
        .first()
        if plan.office.region_id
        else None
    )
    if province_office is not None:
        users["province"] = province_office.user
    # Whose actions the user audit shows: the office's member who wrote the most history, so that
    # its page is a full one in any database (the first editor may have written nothing).
    from plans.models import Task

    members = Membership.objects.filter(office=plan.office).values("user_id")
    writer = (
        Task.history.filter(history_user_id__in=members)
        .values("history_user_id")
        .annotate(n=Count("*"))
        .order_by("-n", "history_user_id")
        .first()
    )
    users["audited"] = User.objects.get(pk=writer["history_user_id"]) if writer else users["staff"]
    if draft is not None:
        users["draft_editor"] = member(draft.office, Membership.Role.EDITOR)
    if in_review is not None:
        users["in_review_reviewer"] = member(in_review.office, Membership.Role.REVIEWER)
    assignment = Assignment.objects.filter(county=county, reports__isnull=False).order_by("-due_date", "pk").first()
    report = ProgressReport.objects.filter(assignment=assignment).order_by("-pk").first() if assignment else None
    ids = {}
    try:
        from plans.outputs.feeds import feed_token_renew

        # Only the secret's hash is stored: the bench makes a secret of its own.
        ids["feed_token"] = feed_token_renew(user=users["staff"]).secret
    except ImportError:
        pass
    targets = Targets(
        users=users,
        plan=plan,
        county_plan=county_plan,
        revised=revised,
        draft=draft,
        in_review=in_review,
        county=county,
        office=plan.office,
        year=as_of_year,
        assignment=assignment,
        report=report,
        ids=ids,
    )
    inspections_targets_find(targets, member)
    evaluation_targets_find(targets, member)
    return targets


def inspections_targets_find(t: Targets, member) -> None:
    """The inspection work's targets, each by an indexed query (no count over the visits or
    obligations): the busiest county's city office's staff, its zone with the most schools and
    that zone's 督学, linked to the user `bench-inspector` (generated 督学 have no account; linked
    once, kept after), the largest plan's office's inspection with the most findings and a 整改
    item of it."""
    try:
        from inspections.models import Finding, Inspection, InspectorZone, Rectification, ZoneAssignment
    except ImportError:
        return
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from organisation.models import Membership, Office

    city_office = Office.objects.filter(level=Office.Level.CITY, region_id=t.county.city_id).order_by("pk").first()
    if city_office is not None:
        t.users["city_staff"] = member(city_office, Membership.Role.EDITOR)
    t.month = f"{t.year}-11"
    largest = (
        ZoneAssignment.objects.filter(zone__county=t.county, ended_on=None)
        .values("zone_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "zone_id")
        .first()
    )
    if largest is not None:
        t.zone = InspectorZone.objects.select_related("inspector").get(pk=largest["zone_id"])
    inspector = t.zone.inspector if t.zone is not None else None
    if inspector is not None:
        User = get_user_model()
        user, _created = User.objects.get_or_create(username="bench-inspector")
        linked = getattr(user, "inspector", None)
        if linked is None:
            inspector.user = user
            inspector.save(update_fields=["user"])
            linked = inspector
        t.users["inspector"] = user
        t.ids["inspector"] = linked.pk
    most = (
        Finding.objects.filter(inspection__office=t.office)
        .values("inspection_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "inspection_id")
        .first()
    )
    if most is not None:
        t.inspection = Inspection.objects.get(pk=most["inspection_id"])
    else:
        t.inspection = Inspection.objects.filter(office=t.office).order_by("-pk").first()
    t.rectification = (
        Rectification.objects.filter(finding__inspection=t.inspection).order_by("pk").first()
        if t.inspection is not None
        else None
    ) or Rectification.objects.filter(office=t.office).order_by("pk").first()


def evaluation_targets_find(t: Targets, member) -> None:
    """The evaluation's targets: the latest published round with the most participants (a large
    city's), its county with the most schools (a big county) and that county's user, and an
    editor of the round's office."""
    try:
        from evaluation.models import EvaluationRound, Participant
    except ImportError:
        return
    from django.db.models import Count

    from inspections.models import School
    from organisation.models import Membership

    largest = (
        Participant.objects.filter(round__status=EvaluationRound.Status.PUBLISHED)
        .values("round_id", "round__year")
        .annotate(n=Count("pk"))
        .order_by("-round__year", "-n", "round_id")
        .first()
    )
    if largest is None:
        return
    t.evaluation_round = EvaluationRound.objects.select_related("office").get(pk=largest["round_id"])
    counties = Participant.objects.filter(round=t.evaluation_round).values("county_id")
    biggest = (
        School.objects.filter(county_id__in=counties)
        .values("county_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "county_id")
        .first()
    )
    participants = Participant.objects.filter(round=t.evaluation_round).select_related("county")
    if biggest is not None:
        participants = participants.filter(county_id=biggest["county_id"])
    t.evaluation_participant = participants.order_by("pk").first()
    t.users["evaluation_staff"] = member(t.evaluation_round.office, Membership.Role.EDITOR)
    county_member = (
        Membership.objects.filter(office__county=t.evaluation_participant.county, role=Membership.Role.COUNTY)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    if county_member is not None:
        t.users["evaluation_county"] = county_member.user


# --- Floors: the same data by hand-written SQL --------------------------------------------------


class Floor:
    """A connection of the driver alone, on the same database as Django's."""

    def __init__(self, database: dict):
        self.postgres = "postgresql" in database["ENGINE"]
        self.fetched: list | None = None
        if self.postgres:
            import psycopg

            self.conn = psycopg.connect(
                host=database["HOST"],
                port=database["PORT"] or 5432,
                user=database["USER"],
                dbname=database["NAME"],
                autocommit=True,
                # As Django's connection is set up (supervision.settings: jit off, statements
                # prepared after as many runs).
                options=database.get("OPTIONS", {}).get("options", ""),
                prepare_threshold=database.get("OPTIONS", {}).get("prepare_threshold"),
            )
        else:
            import sqlite3

            self.conn = sqlite3.connect(database["NAME"])

    def rows(self, sql: str, params=()) -> list:
        if not self.postgres:
            sql = sql.replace("%s", "?").replace("ILIKE", "LIKE")
        cursor = self.conn.cursor()
        cursor.execute(sql, params or (None if self.postgres else ()))
        rows = cursor.fetchall()
        if self.fetched is not None:
            self.fetched.append(rows)
        return rows

    def read(self, floor, auth) -> list[list]:
        """The result sets one run of `floor` reads (for its render floor)."""
        self.fetched = []
        try:
            floor(self, auth)
            return self.fetched
        finally:
            self.fetched = None

    def close(self):
        self.conn.close()


def _ints(values) -> str:
    return ", ".join(str(int(v)) for v in values) or "NULL"


ISSUED = "('published', 'archived')"


class Auth:
    """Who is asking: session, user and memberships, in one query (every signed-in page)."""

    def __init__(self, client, user):
        self.session_key = client.session.session_key
        self.user = user

    def read(self, db: Floor) -> dict:
        rows = db.rows(
            "SELECT u.id, u.is_superuser, m.office_id, m.role, o.county_id, s.session_data "
            "FROM django_session s JOIN auth_user u ON u.id = %s "
            "LEFT JOIN organisation_membership m ON m.user_id = u.id LEFT JOIN organisation_office o ON o.id = m.office_id "
            "WHERE s.session_key = %s",
            [self.user.pk, self.session_key],
        )
        offices = [r[2] for r in rows if r[2] is not None and r[3] != "county"]
        counties = [r[4] for r in rows if r[3] == "county"]
        return {"offices": offices, "counties": counties, "superuser": bool(rows and rows[0][1])}


def visible_where(access: dict, alias: str = "p") -> str:
    """plans.permissions.visible_plans_q in SQL."""
    if access["superuser"]:
        return "TRUE"
    parts = []
    if access["offices"]:
        parts.append(f"{alias}.office_id IN ({_ints(access['offices'])}) OR {alias}.status IN {ISSUED}")
    if access["counties"]:
        parts.append(
            f"({alias}.status IN {ISSUED} AND EXISTS (SELECT 1 FROM plans_plancounty pc "
            f"WHERE pc.plan_id = {alias}.id AND pc.county_id IN ({_ints(access['counties'])})))"
        )
    return "(" + " OR ".join(parts or ["FALSE"]) + ")"


def floor_plan_list(*, where: str = "TRUE", page: int = 1, per_page: int = 25, joins: str = ""):
    """The plan list: the year counts (the unfiltered number), and one page of rows with the
    number of plans found (a window count) and their task and county counts (for the page's
    rows only)."""

    def read(db: Floor, auth: Auth):
        access = auth.read(db)
        visible = visible_where(access)
        db.rows(
            f"SELECT p.plan_year, COUNT(*) FROM plans_workplan p WHERE {visible} GROUP BY p.plan_year ORDER BY 1 DESC"
        )
        condition = f"{visible} AND {where}"
        db.rows(
            "WITH page AS (SELECT p.id, p.title, p.doc_number, p.plan_year, p.issue_date, p.status, "
            "p.revision, p.revision_of_id, o.name, COUNT(*) OVER () AS total "
            "FROM plans_workplan p JOIN organisation_office o ON o.id = p.office_id "
            f"{joins} WHERE {condition} ORDER BY p.plan_year DESC, o.name, p.title, p.id LIMIT {per_page} OFFSET {(page - 1) * per_page}) "
            "SELECT page.*, (SELECT COUNT(*) FROM plans_task t WHERE t.plan_id = page.id), "
            "(SELECT COUNT(*) FROM plans_plancounty c WHERE c.plan_id = page.id) FROM page"
        )

    return read


def floor_plan_document(plan_id: int, *, cached: bool, page: bool = False):
    """A plan's notice: the plan with its office; unless its notice comes from the cache, the
    sections, tasks with their counties, calendar lines with theirs, and projects. Its `page`
    also lists the inspections carrying out its tasks."""

    def read(db: Floor, auth: Auth):
        access = auth.read(db)
        plan = db.rows(
            "SELECT p.*, o.name, o.region_id, EXISTS (SELECT 1 FROM inspections_inspection_tasks it JOIN plans_task t "
            "ON t.id = it.task_id WHERE t.plan_id = p.id) FROM plans_workplan p JOIN organisation_office o "
            "ON o.id = p.office_id WHERE p.id = %s",
            [plan_id],
        )
        if page and plan[0][-1]:
            db.rows(
                "SELECT t.number, t.title, i.id, i.title, i.kind, i.starts_on, i.status FROM inspections_inspection_tasks it "
                "JOIN plans_task t ON t.id = it.task_id JOIN inspections_inspection i ON i.id = it.inspection_id "
                "WHERE it.task_id = ANY(ARRAY(SELECT id FROM plans_task WHERE plan_id = %s)) "
                f"AND {_inspections_listed(auth, access, in_hand=True)} ORDER BY t.number, i.starts_on, i.id",
                [plan_id],
            )
        if cached:
            return
        db.rows("SELECT * FROM plans_section WHERE plan_id = %s ORDER BY position", [plan_id])
        db.rows("SELECT * FROM plans_task WHERE plan_id = %s ORDER BY number", [plan_id])
        db.rows(
            "SELECT tt.task_id, c.id, c.name FROM plans_tasktarget tt JOIN plans_task t ON t.id = tt.task_id "
            "JOIN organisation_county c ON c.id = tt.county_id WHERE t.plan_id = %s ORDER BY c.code, c.name",
            [plan_id],
        )
        db.rows("SELECT * FROM plans_scheduleentry WHERE plan_id = %s ORDER BY position", [plan_id])
        db.rows(
            "SELECT et.entry_id, c.id, c.name FROM plans_entrytarget et JOIN plans_scheduleentry e ON e.id = et.entry_id "
            "JOIN organisation_county c ON c.id = et.county_id WHERE e.plan_id = %s ORDER BY c.code, c.name",
            [plan_id],
        )
        db.rows("SELECT * FROM plans_project WHERE plan_id = %s ORDER BY number", [plan_id])

    return read


# Whether county c (of city ci) shares its name with another county of the province: the sheet
# then names its city too (plans.outputs.excel._shared_name).
SHARED_NAME = (
    "EXISTS (SELECT 1 FROM organisation_county o JOIN organisation_region oc ON oc.id = o.city_id "
    "WHERE o.name = c.name AND oc.parent_id = ci.parent_id AND o.id <> c.id)"
)


def floor_plan_workbook(plan_id: int):
    """A plan's 分月安排 workbook: the plan, its tasks with their counties and periods, and its
    calendar lines with their counties, in the columns the sheets write."""

    def read(db: Floor, auth: Auth):
        auth.read(db)
        db.rows("SELECT id, title, plan_year, version FROM plans_workplan WHERE id = %s", [plan_id])
        db.rows(
            "SELECT number, title, lead_unit, addresses_all_counties FROM plans_task WHERE plan_id = %s ORDER BY number",
            [plan_id],
        )
        db.rows(
            f"SELECT t.number, c.name, ci.name, {SHARED_NAME} FROM plans_tasktarget tt JOIN plans_task t ON t.id = tt.task_id "
            "JOIN organisation_county c ON c.id = tt.county_id JOIN organisation_region ci ON ci.id = c.city_id "
            "WHERE t.plan_id = %s ORDER BY t.number, c.code, c.name",
            [plan_id],
        )
        db.rows(
            "SELECT e.start_month, e.position, e.months, e.granularity, e.deadline_day, e.end_month, e.period, "
            "e.text, e.lead_unit, e.key, t.number FROM plans_scheduleentry e LEFT JOIN plans_task t ON t.id = e.task_id "
            "WHERE e.plan_id = %s ORDER BY e.start_month, e.position",
            [plan_id],
        )
        db.rows(
            f"SELECT e.start_month, e.position, c.name, ci.name, {SHARED_NAME} FROM plans_entrytarget et "
            "JOIN plans_scheduleentry e ON e.id = et.entry_id JOIN organisation_county c ON c.id = et.county_id "
            "JOIN organisation_region ci ON ci.id = c.city_id WHERE e.plan_id = %s "
            "ORDER BY e.start_month, e.position, c.code, c.name",
            [plan_id],
        )

    return read


def floor_plan_row(plan_id: int):
    def read(db: Floor, auth: Auth):
        auth.read(db)
        db.rows(
            "SELECT p.*, o.name FROM plans_workplan p JOIN organisation_office o ON o.id = p.office_id WHERE p.id = %s",
            [plan_id],
        )

    return read


def floor_revisions(plan_id: int, numbers=()):
    """The plan, its revisions (without their content), and the snapshots shown."""

    def read(db: Floor, auth: Auth):
        floor_plan_row(plan_id)(db, auth)
        db.rows(
            "SELECT r.id, r.number, r.doc_number, r.note, r.published_at, u.username, u.first_name "
            "FROM plans_planrevision r LEFT JOIN auth_user u ON u.id = r.published_by_id "
            "WHERE r.plan_id = %s ORDER BY r.number DESC",
            [plan_id],
        )
        for number in numbers:
            db.rows("SELECT snapshot FROM plans_planrevision WHERE plan_id = %s AND number = %s", [plan_id, number])

    return read


def floor_history(plan_id: int):
    """Every history record of the plan and its parts and targets, and its lifecycle steps."""

    def read(db: Floor, auth: Auth):
        floor_plan_row(plan_id)(db, auth)
        db.rows(
            "SELECT h.*, u.username FROM plans_historicalworkplan h LEFT JOIN auth_user u ON u.id = h.history_user_id "
            "WHERE h.id = %s OR h.revision_of_id = %s",
            [plan_id, plan_id],
        )
        for table in ("section", "task", "project", "scheduleentry"):
            db.rows(
                f"SELECT h.*, u.username FROM plans_historical{table} h LEFT JOIN auth_user u ON u.id = h.history_user_id "
                "WHERE h.plan_id = %s",
                [plan_id],
            )
        db.rows(
            "SELECT h.*, c.name FROM plans_historicaltasktarget h JOIN organisation_county c ON c.id = h.county_id "
            "WHERE h.task_id IN (SELECT id FROM plans_historicaltask WHERE plan_id = %s)",
            [plan_id],
        )
        db.rows(
            "SELECT h.*, c.name FROM plans_historicalentrytarget h JOIN organisation_county c ON c.id = h.county_id "
            "WHERE h.entry_id IN (SELECT id FROM plans_historicalscheduleentry WHERE plan_id = %s)",
            [plan_id],
        )
        db.rows(
            "SELECT e.*, u.username FROM audit_actionlog e JOIN django_content_type t ON t.id = e.content_type_id "
            "LEFT JOIN auth_user u ON u.id = e.user_id "
            "WHERE t.app_label = 'plans' AND t.model = 'workplan' AND e.object_id = %s",
            [plan_id],
        )

    return read


def floor_county_list(*, name: str | None = None, per_page: int = 50, page: int = 1):
    """The years of the visible plans (with their counts) and whether the year shown has a plan
    naming a county; of that year, the counties its visible plans name, a page of them by code
    with their city, and each one's plans, tasks, calendar lines and assignments of that year
    (counted for the page)."""
    from django.utils import timezone

    from tracking.selectors.counties import county_year_shown

    def read(db: Floor, auth: Auth):
        access = auth.read(db)
        visible = visible_where(access)
        years = db.rows(
            f"SELECT p.plan_year, COUNT(*) FROM plans_workplan p WHERE {visible} AND p.revision_of_id IS NULL "
            f"GROUP BY p.plan_year ORDER BY 1 DESC"
        )
        year = county_year_shown(years=dict(years), asked=None, this_year=timezone.localdate().year)
        db.rows(
            f"SELECT 1 FROM plans_plancounty pc JOIN plans_workplan p ON p.id = pc.plan_id WHERE {visible} "
            f"AND p.revision_of_id IS NULL AND p.plan_year = {int(year)} LIMIT 1"
        )
        plans = f"SELECT p.id FROM plans_workplan p WHERE {visible} AND p.revision_of_id IS NULL AND p.plan_year = {int(year)}"
        condition = f"c.id IN (SELECT pc.county_id FROM plans_plancounty pc WHERE pc.plan_id IN ({plans}))"
        if name:
            condition += " AND c.name LIKE %s"
        params = [f"%{name}%"] if name else []
        db.rows(f"SELECT COUNT(*) FROM organisation_county c WHERE {condition}", params)
        found = db.rows(
            f"SELECT c.id, c.name, c.code, c.kind, r.name FROM organisation_county c JOIN organisation_region r ON r.id = c.city_id "
            f"WHERE {condition} ORDER BY c.code, c.name LIMIT {per_page} OFFSET {(page - 1) * per_page}",
            params,
        )
        ids = _ints(row[0] for row in found)
        db.rows(
            f"SELECT county_id, COUNT(*) FROM plans_plancounty WHERE county_id IN ({ids}) AND plan_id IN ({plans}) GROUP BY county_id"
        )
        db.rows(
            f"SELECT tt.county_id, COUNT(*) FROM plans_tasktarget tt JOIN plans_task t ON t.id = tt.task_id "
            f"WHERE tt.county_id IN ({ids}) AND t.plan_id IN ({plans}) GROUP BY tt.county_id"
        )
        db.rows(
            f"SELECT et.county_id, COUNT(*) FROM plans_entrytarget et JOIN plans_scheduleentry e ON e.id = et.entry_id "
            f"WHERE et.county_id IN ({ids}) AND e.plan_id IN ({plans}) GROUP BY et.county_id"
        )
        db.rows(
            f"SELECT county_id, COUNT(*), COUNT(*) FILTER (WHERE state IN ('assigned', 'acknowledged', 'reported', "
            f"'returned')) FROM tracking_assignment WHERE county_id IN ({ids}) AND state <> 'withdrawn' "
            f"AND year = {int(year)} AND plan_id IN ({plans}) GROUP BY county_id"
            if db.postgres
            else f"SELECT county_id, COUNT(*), SUM(state IN ('assigned', 'acknowledged', 'reported', 'returned')) "
            f"FROM tracking_assignment WHERE county_id IN ({ids}) AND state <> 'withdrawn' AND year = {int(year)} "
            f"AND plan_id IN ({plans}) GROUP BY county_id"
        )

    return read


def floor_county_page(county_id: int):
    """A county: the years its visible plans give it work in, with their plan counts, and the
    tasks and calendar lines naming it in the visible plans of the year the page shows."""
    from django.utils import timezone

    from tracking.selectors.counties import county_year_shown

    def read(db: Floor, auth: Auth):
        access = auth.read(db)
        visible = visible_where(access)
        db.rows(
            "SELECT c.*, r.name FROM organisation_county c JOIN organisation_region r ON r.id = c.city_id WHERE c.id = %s",
            [county_id],
        )
        years = db.rows(
            f"SELECT p.plan_year, COUNT(*) FROM plans_plancounty pc JOIN plans_workplan p ON p.id = pc.plan_id "
            f"WHERE pc.county_id = %s AND {visible} AND p.revision_of_id IS NULL GROUP BY p.plan_year ORDER BY 1 DESC",
            [county_id],
        )
        if not years:
            return
        year = county_year_shown(years=dict(years), asked=None, this_year=timezone.localdate().year)
        db.rows(
            f"SELECT t.id, t.number, t.label, t.title, t.text, p.id, p.title, p.plan_year, p.doc_number, o.name "
            f"FROM plans_tasktarget tt JOIN plans_task t ON t.id = tt.task_id JOIN plans_workplan p ON p.id = t.plan_id "
            f"JOIN organisation_office o ON o.id = p.office_id WHERE tt.county_id = %s AND p.plan_year = %s AND {visible} "
            f"AND p.revision_of_id IS NULL ORDER BY p.id, t.number",
            [county_id, year],
        )
        db.rows(
            f"SELECT e.id, e.period, e.months, e.deadline_day, e.end_month, e.text, e.task_id, p.id "
            f"FROM plans_entrytarget et JOIN plans_scheduleentry e ON e.id = et.entry_id JOIN plans_workplan p ON p.id = e.plan_id "
            f"WHERE et.county_id = %s AND p.plan_year = %s AND {visible} AND p.revision_of_id IS NULL ORDER BY p.id, e.position",
            [county_id, year],
        )

    return read


def floor_suggest(table: str, term: str):
    def read(db: Floor, auth: Auth):
        auth.read(db)
        db.rows(f"SELECT name FROM {table} WHERE name LIKE %s ORDER BY name LIMIT 10", [f"%{term}%"])

    return read


def floor_auth_only(db: Floor, auth: Auth):
    auth.read(db)


def _offices_edited(db: Floor, access: dict) -> None:
    """The offices a user edits for, by name (organisation.access.offices_edited_by)."""
    where = "TRUE" if access["superuser"] else f"id IN ({_ints(access['offices'])})"
    db.rows(f"SELECT id, name FROM organisation_office WHERE {where} ORDER BY name")


def floor_import_page(db: Floor, auth: Auth):
    """The import page: the offices the user imports for."""
    _offices_edited(db, auth.read(db))


def floor_plan_start(db: Floor, auth: Auth):
    """The page that starts a plan: the offices of a blank plan, and the plans to copy (of each
    office, its last five plan years; plans.selectors.editing.work_plan_copy_sources)."""
    access = auth.read(db)
    _offices_edited(db, access)
    where = "TRUE" if access["superuser"] else f"p.office_id IN ({_ints(access['offices'])})"
    db.rows(
        "SELECT * FROM (SELECT p.id, p.office_id, o.name, p.title, p.doc_number, p.plan_year, p.status, p.revision, "
        "DENSE_RANK() OVER (PARTITION BY p.office_id ORDER BY p.plan_year DESC) AS recency FROM plans_workplan p "
        f"JOIN organisation_office o ON o.id = p.office_id WHERE p.revision_of_id IS NULL AND {where}) s "
        "WHERE recency <= 5 ORDER BY name, plan_year DESC, id DESC LIMIT 200"
    )


def floor_feed_settings(year: int):
    """The calendar feeds' page: the user's feed token, and the offices with plans of the
    years around `year` the user reads, by name."""

    def read(db: Floor, auth: Auth):
        access = auth.read(db)
        db.rows("SELECT id, token_hash, created_at FROM plans_feedtoken WHERE user_id = %s LIMIT 1", [auth.user.pk])
        db.rows(
            "SELECT DISTINCT p.office_id, o.name FROM plans_workplan p JOIN organisation_office o ON o.id = p.office_id "
            f"WHERE {visible_where(access)} AND p.plan_year BETWEEN %s AND %s AND p.revision_of_id IS NULL ORDER BY 2",
            [year - 1, year + 1],
        )

    return read


def floor_calendar(plan_ids_sql: str, params=()):
    """A schedule: the lines of the plans with their tasks and plans, and their counties."""

    def read(db: Floor, auth: Auth | None):
        if auth is not None:
            auth.read(db)
        db.rows(
            f"SELECT e.id, e.period, e.months, e.granularity, e.deadline_day, e.end_month, e.text, e.lead_unit, "
            f"t.number, t.title, p.id, p.title FROM plans_scheduleentry e LEFT JOIN plans_task t ON t.id = e.task_id "
            f"JOIN plans_workplan p ON p.id = e.plan_id WHERE e.plan_id IN ({plan_ids_sql}) ORDER BY p.title, p.id, e.position",
            list(params),
        )
        db.rows(
            f"SELECT et.entry_id, c.id, c.name FROM plans_entrytarget et JOIN plans_scheduleentry e ON e.id = et.entry_id "
            f"JOIN organisation_county c ON c.id = et.county_id WHERE e.plan_id IN ({plan_ids_sql}) ORDER BY c.code, c.name",
            list(params),
        )

    return read


# The kinds the county's portal lists (tracking.kinds.portal_q): not the 挂牌督导 visits, which
# share the table (most of its rows at national scale) and have pages of their own.
PORTAL_KINDS = "('plan_work', 'rectification', 'self_assessment')"


def floor_portal(county_id: int):
    """A county's open plan work with its plans and offices, the latest done, and counts."""

    def read(db: Floor, auth: Auth):
        auth.read(db)
        db.rows(
            "SELECT c.*, r.name FROM organisation_county c JOIN organisation_region r ON r.id = c.city_id WHERE c.id = %s",
            [county_id],
        )
        db.rows(
            "SELECT a.id, a.label, a.state, a.due_date, a.plan_id, p.title, p.plan_year, o.name FROM tracking_assignment a "
            "JOIN plans_workplan p ON p.id = a.plan_id JOIN organisation_office o ON o.id = p.office_id "
            "WHERE a.county_id = %s AND a.state IN ('assigned', 'acknowledged', 'reported', 'returned') "
            "ORDER BY a.due_date, a.plan_id, a.id",
            [county_id],
        )
        db.rows(
            "SELECT a.id, a.label, a.due_date, a.closed_at, p.title FROM tracking_assignment a JOIN plans_workplan p ON p.id = a.plan_id "
            "WHERE a.county_id = %s AND a.state = 'accepted' ORDER BY a.closed_at DESC, a.id DESC LIMIT 20",
            [county_id],
        )
        db.rows(
            f"SELECT COUNT(*) FROM tracking_assignment WHERE county_id = %s AND state = 'accepted' AND kind IN {PORTAL_KINDS}",
            [county_id],
        )

    return read


def floor_assignment(assignment_id: int):
    def read(db: Floor, auth: Auth):
        auth.read(db)
        db.rows(
            "SELECT a.*, p.title, o.name, c.name, r.name, t.title, t.text, e.period, e.text FROM tracking_assignment a "
            "JOIN plans_workplan p ON p.id = a.plan_id JOIN organisation_office o ON o.id = p.office_id "
            "JOIN organisation_county c ON c.id = a.county_id JOIN organisation_region r ON r.id = c.city_id "
            "LEFT JOIN plans_task t ON t.id = a.task_id LEFT JOIN plans_scheduleentry e ON e.id = a.entry_id "
            "WHERE a.id = %s",
            [assignment_id],
        )
        db.rows(
            "SELECT r.*, u.username, v.username FROM tracking_progressreport r LEFT JOIN auth_user u ON u.id = r.author_id "
            "LEFT JOIN auth_user v ON v.id = r.reviewed_by_id WHERE r.assignment_id = %s ORDER BY r.created_at DESC",
            [assignment_id],
        )
        db.rows(
            "SELECT f.* FROM tracking_evidencefile f JOIN tracking_progressreport r ON r.id = f.report_id "
            "WHERE r.assignment_id = %s",
            [assignment_id],
        )
        db.rows(
            "SELECT e.* FROM plans_scheduleentry e JOIN tracking_assignment a ON a.task_id = e.task_id "
            "WHERE a.id = %s ORDER BY e.position",
            [assignment_id],
        )

    return read


def floor_dashboard(plan_ids_sql: str):
    """Every assignment of the plans with its county and plan, and the lines' granularities."""

    def read(db: Floor, auth: Auth):
        auth.read(db)
        db.rows(
            f"SELECT a.id, a.state, a.due_date, a.created_at, a.closed_at, a.label, c.id, c.name, c.code, p.id, p.title "
            f"FROM tracking_assignment a JOIN organisation_county c ON c.id = a.county_id JOIN plans_workplan p ON p.id = a.plan_id "
            f"WHERE a.plan_id IN ({plan_ids_sql}) AND a.state <> 'withdrawn' ORDER BY c.code, c.name, a.due_date, a.id"
        )
        db.rows(f"SELECT DISTINCT granularity FROM plans_scheduleentry WHERE plan_id IN ({plan_ids_sql})")

    return read


def floor_dashboard_workbook(plan_id: int):
    """A plan's dashboard as a workbook: the dashboard's rows, and every report on the plan's
    assignments with its county, plan, assignment and the names of its evidence files."""
    dashboard = floor_dashboard(str(plan_id))

    def read(db: Floor, auth: Auth):
        dashboard(db, auth)
        db.rows(
            "SELECT r.id, c.name, p.title, a.label, a.due_date, r.created_at, r.progress, r.text, r.review, "
            "r.review_comment FROM tracking_progressreport r JOIN tracking_assignment a ON a.id = r.assignment_id "
            "JOIN organisation_county c ON c.id = a.county_id JOIN plans_workplan p ON p.id = a.plan_id "
            "WHERE a.plan_id = %s ORDER BY c.code, a.due_date, r.created_at, r.id",
            [plan_id],
        )
        db.rows(
            "SELECT f.report_id, f.name FROM tracking_evidencefile f JOIN tracking_progressreport r "
            "ON r.id = f.report_id JOIN tracking_assignment a ON a.id = r.assignment_id WHERE a.plan_id = %s "
            "ORDER BY f.id",
            [plan_id],
        )

    return read


def floor_province_dashboard(region_id: int, year: int):
    """The province's offices; per office its plans of the year and its assignments counted by
    state; the days work was done on (the chart); and the inspection columns the page shows per
    office: inspections and their findings, the visits' findings by city, the 整改 items'
    obligations counted, the visits owed so far and made by city (from the visit tally)."""

    def read(db: Floor, auth: Auth):
        auth.read(db)
        offices = (
            f"SELECT o.id FROM organisation_office o JOIN organisation_region r ON r.id = o.region_id "
            f"WHERE (o.level = 'province' AND r.id = {int(region_id)}) OR (o.level = 'city' AND r.parent_id = {int(region_id)})"
        )
        db.rows(
            f"SELECT o.id, o.name, r.name, r.code FROM organisation_office o JOIN organisation_region r ON r.id = o.region_id "
            f"WHERE o.id IN ({offices}) ORDER BY r.code, o.name"
        )
        plans = (
            f"SELECT id FROM plans_workplan WHERE office_id IN ({offices}) AND plan_year = {int(year)} "
            "AND status IN ('published', 'archived') AND revision_of_id IS NULL"
        )
        db.rows(f"SELECT id, office_id, published_at FROM plans_workplan WHERE id IN ({plans})")
        db.rows(
            f"SELECT p.office_id, COUNT(*), COUNT(DISTINCT a.county_id), "
            f"COUNT(*) FILTER (WHERE a.state <> 'assigned'), COUNT(*) FILTER (WHERE a.state = 'reported'), "
            f"COUNT(*) FILTER (WHERE a.state = 'accepted'), "
            f"COUNT(*) FILTER (WHERE a.state IN ('assigned', 'acknowledged', 'reported', 'returned') AND a.due_date < CURRENT_DATE) "
            f"FROM tracking_assignment a JOIN plans_workplan p ON p.id = a.plan_id "
            f"WHERE a.plan_id IN ({plans}) AND a.state <> 'withdrawn' GROUP BY p.office_id"
        )
        day = "CAST(a.closed_at AS DATE)" if db.postgres else "DATE(a.closed_at)"
        db.rows(
            f"SELECT {day}, COUNT(*) FROM tracking_assignment a WHERE a.plan_id IN ({plans}) "
            f"AND a.state = 'accepted' GROUP BY {day}"
        )
        db.rows(
            f"SELECT i.office_id, COUNT(DISTINCT i.id), COUNT(f.id) FROM inspections_inspection i "
            f"LEFT JOIN inspections_finding f ON f.inspection_id = i.id "
            f"WHERE i.office_id IN ({offices}) AND i.year = {int(year)} GROUP BY i.office_id"
        )
        counties = (
            f"SELECT c.id FROM organisation_county c JOIN organisation_region r ON r.id = c.city_id "
            f"WHERE r.id = {int(region_id)} OR r.parent_id = {int(region_id)}"
        )
        db.rows(
            f"SELECT c.city_id, COUNT(*) FROM inspections_finding f JOIN inspections_visit v ON v.id = f.visit_id "
            f"JOIN organisation_county c ON c.id = f.county_id WHERE f.inspection_id IS NULL "
            f"AND f.county_id IN ({counties}) AND v.visited_on BETWEEN %s AND %s GROUP BY c.city_id",
            [f"{year}-01-01", f"{year}-12-31"],
        )
        today = "CURRENT_DATE" if db.postgres else "DATE('now')"
        open_states = "('assigned', 'acknowledged', 'reported', 'returned')"
        db.rows(
            f"SELECT r.office_id, COUNT(*), SUM(CASE WHEN a.state = 'accepted' THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN a.state IN {open_states} AND a.due_date < {today} THEN 1 ELSE 0 END) "
            f"FROM tracking_assignment a JOIN inspections_rectification r ON r.id = a.subject_id "
            f"JOIN django_content_type t ON t.id = a.subject_type_id AND t.app_label = 'inspections' "
            f"AND t.model = 'rectification' WHERE a.kind = 'rectification' AND r.office_id IN ({offices}) "
            f"AND r.year = {int(year)} AND a.state <> 'withdrawn' GROUP BY r.office_id"
        )
        # Visits owed so far and made: the visit tally, a row per county and due date.
        db.rows(
            f"SELECT c.city_id, SUM(t.owed), SUM(t.made) FROM inspections_visittally t "
            f"JOIN organisation_county c ON c.id = t.county_id WHERE t.county_id IN ({counties}) "
            f"AND t.year = {int(year)} AND t.due_date <= {today} GROUP BY c.city_id"
        )

    return read


def _province_of(targets) -> int:
    from organisation.models import Region

    return Region.objects.get(pk=targets.office.region_id).parent_id


def floor_publish_preview(plan_id: int):
    """What publishing would send: tasks, lines and their targets, the region's counties."""

    def read(db: Floor, auth: Auth):
        floor_plan_row(plan_id)(db, auth)
        db.rows("SELECT * FROM plans_task WHERE plan_id = %s ORDER BY number", [plan_id])
        db.rows("SELECT * FROM plans_scheduleentry WHERE plan_id = %s ORDER BY position", [plan_id])
        db.rows(
            "SELECT tt.task_id, tt.county_id FROM plans_tasktarget tt JOIN plans_task t ON t.id = tt.task_id WHERE t.plan_id = %s",
            [plan_id],
        )
        db.rows(
            "SELECT et.entry_id, et.county_id FROM plans_entrytarget et JOIN plans_scheduleentry e ON e.id = et.entry_id "
            "WHERE e.plan_id = %s",
            [plan_id],
        )
        db.rows(
            "SELECT c.id, c.name, c.code, r.name FROM organisation_county c JOIN organisation_region r ON r.id = c.city_id "
            "JOIN organisation_office o ON o.region_id = c.city_id JOIN plans_workplan p ON p.office_id = o.id WHERE p.id = %s "
            "ORDER BY c.code, c.name",
            [plan_id],
        )

    return read


def floor_edit(plan_id: int):
    """The edit page: the whole plan as the notice page reads it, and the region's counties to
    choose from."""

    def read(db: Floor, auth: Auth):
        floor_plan_document(plan_id, cached=False)(db, auth)
        db.rows(
            "SELECT c.id, c.name, c.code FROM organisation_county c JOIN organisation_office o ON o.region_id = c.city_id "
            "JOIN plans_workplan p ON p.office_id = o.id WHERE p.id = %s ORDER BY c.code, c.name",
            [plan_id],
        )

    return read


def floor_feed(token: str, plan_ids_sql: str):
    """A feed: the secret's user (found by its SHA-256, which is all that is kept), and the
    calendar lines of the plans."""
    import hashlib

    def read(db: Floor, auth: None):
        db.rows(
            "SELECT t.user_id, u.is_superuser FROM plans_feedtoken t JOIN auth_user u ON u.id = t.user_id "
            "WHERE t.token_hash = %s",
            [hashlib.sha256(token.encode()).hexdigest()],
        )
        floor_calendar(plan_ids_sql)(db, None)

    return read


# --- Floors of the inspection work ------------------------------------------------------------


def _register_counties(db: Floor, access: dict) -> str:
    """The counties whose register the user reads (read first, as the page does): its county
    offices' counties, and those its offices oversee (a city office's city's, a province
    office's province's)."""
    if access["superuser"]:
        return "SELECT id FROM organisation_county"
    offices = _ints(access["offices"])
    rows = db.rows(
        f"SELECT c.id FROM organisation_county c WHERE c.id IN ({_ints(access['counties'])}) "
        f"OR c.city_id IN (SELECT o.region_id FROM organisation_office o WHERE o.id IN ({offices})) "
        f"OR c.city_id IN (SELECT r.id FROM organisation_region r JOIN organisation_office o ON o.region_id = r.parent_id "
        f"WHERE o.id IN ({offices}))"
    )
    return _ints(r[0] for r in rows)


def floor_school_list(per_page: int = 50):
    """The register: the counties to choose from, the schools counted, a page of them by county
    code and name with their county, and the page's schools' zone and 责任督学 now."""

    def read(db: Floor, auth: Auth):
        counties = _register_counties(db, auth.read(db))
        db.rows(
            f"SELECT c.id, c.name, c.code, r.name FROM organisation_county c JOIN organisation_region r ON r.id = c.city_id "
            f"WHERE c.id IN ({counties}) ORDER BY c.code, c.name"
        )
        db.rows(f"SELECT COUNT(*) FROM inspections_school WHERE county_id IN ({counties})")
        page = db.rows(
            f"SELECT s.id, s.name, s.kind, s.ownership, s.is_central, s.status, c.name FROM inspections_school s "
            f"JOIN organisation_county c ON c.id = s.county_id WHERE s.county_id IN ({counties}) "
            f"ORDER BY c.code, s.name, s.id LIMIT {per_page}"
        )
        db.rows(
            f"SELECT a.school_id, z.name, i.name FROM inspections_zoneassignment a JOIN inspections_inspectorzone z "
            f"ON z.id = a.zone_id LEFT JOIN inspections_inspector i ON i.id = a.inspector_id "
            f"WHERE a.ended_on IS NULL AND a.school_id IN ({_ints(r[0] for r in page)})"
        )

    return read


KEY_SCHOOL = (
    "(s.kind IN ('junior', 'nine_year', 'senior', 'complete', 'twelve_year') OR (s.is_central AND s.kind = 'primary'))"
)


def floor_coverage():
    """Coverage: per county, the open schools and those with a 责任督学 now, all and key ones."""

    def read(db: Floor, auth: Auth):
        counties = _register_counties(db, auth.read(db))
        covered = (
            "EXISTS (SELECT 1 FROM inspections_zoneassignment a WHERE a.school_id = s.id AND a.ended_on IS NULL "
            "AND a.inspector_id IS NOT NULL)"
        )
        db.rows(
            f"SELECT s.county_id, COUNT(*), COUNT(*) FILTER (WHERE {covered}), COUNT(*) FILTER (WHERE {KEY_SCHOOL}), "
            f"COUNT(*) FILTER (WHERE {KEY_SCHOOL} AND {covered}) FROM inspections_school s "
            f"WHERE s.county_id IN ({counties}) AND s.status = 'open' GROUP BY s.county_id"
            if db.postgres
            else f"SELECT s.county_id, COUNT(*), SUM({covered}), SUM({KEY_SCHOOL}), SUM({KEY_SCHOOL} AND {covered}) "
            f"FROM inspections_school s WHERE s.county_id IN ({counties}) AND s.status = 'open' GROUP BY s.county_id"
        )
        db.rows(
            f"SELECT c.id, c.name, c.code, r.name FROM organisation_county c JOIN organisation_region r ON r.id = c.city_id "
            f"WHERE c.id IN ({counties}) ORDER BY c.code, c.name"
        )

    return read


def _zone_row(db: Floor, zone_id: int) -> None:
    db.rows(
        "SELECT z.id, z.name, c.name, r.name, i.name FROM inspections_inspectorzone z "
        "JOIN organisation_county c ON c.id = z.county_id JOIN organisation_region r ON r.id = c.city_id "
        "LEFT JOIN inspections_inspector i ON i.id = z.inspector_id WHERE z.id = %s",
        [zone_id],
    )


def floor_zone(zone_id: int):
    """A zone: its county and 督学, its schools now, its history, and the county's 督学 to choose."""

    def read(db: Floor, auth: Auth):
        auth.read(db)
        _zone_row(db, zone_id)
        db.rows(
            "SELECT s.id, s.name, s.kind, s.status FROM inspections_school s JOIN inspections_zoneassignment a "
            "ON a.school_id = s.id WHERE a.zone_id = %s AND a.ended_on IS NULL ORDER BY s.name, s.id",
            [zone_id],
        )
        db.rows(
            "SELECT e.action_type, e.datetime, e.data, u.username FROM audit_actionlog e "
            "JOIN django_content_type t ON t.id = e.content_type_id LEFT JOIN auth_user u ON u.id = e.user_id "
            "WHERE t.app_label = 'inspections' AND t.model = 'inspectorzone' AND e.object_id = %s",
            [zone_id],
        )
        db.rows(
            "SELECT i.id, i.name FROM inspections_inspector i JOIN inspections_inspectorzone z ON z.county_id = i.county_id "
            "WHERE z.id = %s AND i.is_active ORDER BY i.name",
            [zone_id],
        )

    return read


def _month_bounds(month: str) -> tuple[str, str]:
    year, number = (int(part) for part in month.split("-"))
    after = f"{year + 1}-01-01" if number == 12 else f"{year}-{number + 1:02d}-01"
    return f"{year}-{number:02d}-01", after


def _month_of_schools(db: Floor, schools_sql: str, month: str) -> None:
    """The visits owed in the month by the schools, and the visits made in it with their 督学."""
    first, after = _month_bounds(month)
    db.rows(
        f"SELECT a.subject_id, a.state, a.due_date FROM tracking_assignment a JOIN django_content_type t "
        f"ON t.id = a.subject_type_id AND t.app_label = 'inspections' AND t.model = 'school' "
        f"WHERE a.kind = 'visit' AND a.subject_id IN ({schools_sql}) AND a.due_date >= %s AND a.due_date < %s "
        f"AND a.state <> 'withdrawn'",
        [first, after],
    )
    db.rows(
        f"SELECT v.school_id, v.id, v.visited_on, i.name FROM inspections_visit v JOIN inspections_inspector i "
        f"ON i.id = v.inspector_id WHERE v.school_id IN ({schools_sql}) AND v.visited_on >= %s AND v.visited_on < %s "
        f"ORDER BY v.visited_on, v.id",
        [first, after],
    )


def floor_zone_visits(zone_id: int, month: str):
    """A zone's month: the zone, its schools now with their 督学, their visits owed and made."""

    def read(db: Floor, auth: Auth):
        auth.read(db)
        _zone_row(db, zone_id)
        schools = db.rows(
            "SELECT s.id, s.name, i.name FROM inspections_zoneassignment a JOIN inspections_school s ON s.id = a.school_id "
            "LEFT JOIN inspections_inspector i ON i.id = a.inspector_id WHERE a.zone_id = %s AND a.ended_on IS NULL "
            "ORDER BY s.name, s.id",
            [zone_id],
        )
        _month_of_schools(db, _ints(r[0] for r in schools), month)

    return read


def floor_county_visits(county_id: int, month: str):
    """A county's month: its zones with their 督学, the zones' schools now (ids), their visits
    owed and made (counted per zone in Python, as the page does), and the year's rhythm."""

    def read(db: Floor, auth: Auth):
        counties = _register_counties(db, auth.read(db))
        db.rows(
            f"SELECT c.id, c.name, c.code FROM organisation_county c WHERE c.id IN ({counties}) ORDER BY c.code, c.name"
        )
        db.rows(
            "SELECT z.id, z.name, i.name FROM inspections_inspectorzone z LEFT JOIN inspections_inspector i "
            "ON i.id = z.inspector_id WHERE z.county_id = %s ORDER BY z.name, z.id",
            [county_id],
        )
        schools = db.rows(
            "SELECT a.school_id, a.zone_id FROM inspections_zoneassignment a JOIN inspections_inspectorzone z "
            "ON z.id = a.zone_id WHERE z.county_id = %s AND a.ended_on IS NULL",
            [county_id],
        )
        _month_of_schools(db, _ints(r[0] for r in schools), month)
        db.rows(
            "SELECT * FROM inspections_visitrhythm WHERE county_id = %s AND year = %s",
            [county_id, int(month[:4])],
        )

    return read


def floor_my_schools(inspector_id: int):
    """我的学校: the 督学, their schools now with their zones, this month's visits owed and made,
    and their latest visits."""

    def read(db: Floor, auth: Auth):
        auth.read(db)
        db.rows("SELECT * FROM inspections_inspector WHERE id = %s", [inspector_id])
        schools = db.rows(
            "SELECT s.id, s.name, z.name FROM inspections_zoneassignment a JOIN inspections_school s ON s.id = a.school_id "
            "JOIN inspections_inspectorzone z ON z.id = a.zone_id WHERE a.inspector_id = %s AND a.ended_on IS NULL "
            "AND s.status = 'open' ORDER BY z.name, s.name, s.id",
            [inspector_id],
        )
        _month_of_schools(db, _ints(r[0] for r in schools), time.strftime("%Y-%m"))
        db.rows(
            "SELECT v.id, v.visited_on, s.name FROM inspections_visit v JOIN inspections_school s ON s.id = v.school_id "
            "WHERE v.inspector_id = %s ORDER BY v.visited_on DESC, v.id DESC LIMIT 20",
            [inspector_id],
        )

    return read


# An inspection a county office reads once announced; a random visit, once it is over.
_ANNOUNCED = (
    "(i.status IN ('self_assessment', 'on_site', 'rectification', 'closed') AND i.kind <> 'random' "
    "OR i.status IN ('rectification', 'closed'))"
)


def _inspections_listed(auth: Auth, access: dict, *, in_hand: bool = False) -> str:
    """inspections.permissions.inspections_listed_q: the offices' inspections, those the user
    is on the team of (as a member or as a 督学) and, for a county office, those visiting its
    counties once announced. `in_hand`: for a few inspections joined to from elsewhere, each
    tested by its key rather than against the sets of every inspection of the teams and
    counties."""
    if access["superuser"]:
        return "TRUE"
    user, counties = int(auth.user.pk), _ints(access["counties"])
    if in_hand:
        team = (
            f"EXISTS (SELECT 1 FROM inspections_inspectionmember m WHERE m.inspection_id = i.id AND m.user_id = {user}) "
            f"OR EXISTS (SELECT 1 FROM inspections_inspectionmember m JOIN inspections_inspector x ON x.id = "
            f"m.inspector_id WHERE m.inspection_id = i.id AND x.user_id = {user})"
        )
        visited = (
            f"EXISTS (SELECT 1 FROM inspections_inspection_counties ic WHERE ic.inspection_id = i.id "
            f"AND ic.county_id IN ({counties}))"
        )
    else:
        team = (
            f"i.id IN (SELECT m.inspection_id FROM inspections_inspectionmember m WHERE m.user_id = {user} OR "
            f"m.inspector_id IN (SELECT x.id FROM inspections_inspector x WHERE x.user_id = {user}))"
        )
        visited = f"i.id IN (SELECT ic.inspection_id FROM inspections_inspection_counties ic WHERE ic.county_id IN ({counties}))"
    county_part = f" OR ({visited} AND {_ANNOUNCED})" if access["counties"] else ""
    return f"(i.office_id IN ({_ints(access['offices'])}) OR {team}{county_part})"


def floor_inspection_list(per_page: int = 12):
    """The inspections the user reads: a page of them, newest first, with their office and the
    number found (a window count), their counties; the counties to filter by."""

    def read(db: Floor, auth: Auth):
        access = auth.read(db)
        page = db.rows(
            f"SELECT i.id, i.title, i.kind, i.status, i.starts_on, i.ends_on, o.name, COUNT(*) OVER () "
            f"FROM inspections_inspection i JOIN organisation_office o ON o.id = i.office_id "
            f"WHERE {_inspections_listed(auth, access)} ORDER BY i.starts_on DESC, i.id DESC LIMIT {per_page}"
        )
        db.rows(
            f"SELECT ic.inspection_id, c.name FROM inspections_inspection_counties ic JOIN organisation_county c "
            f"ON c.id = ic.county_id WHERE ic.inspection_id IN ({_ints(r[0] for r in page)}) ORDER BY c.code, c.name"
        )
        db.rows(
            f"SELECT c.id, c.name, c.code, r.name FROM organisation_county c JOIN organisation_region r ON r.id = c.city_id "
            f"WHERE c.id IN ({_register_counties(db, access)}) ORDER BY c.code, c.name"
        )

    return read


def _inspection_row(db: Floor, auth: Auth, inspection_id: int) -> None:
    access = auth.read(db)
    db.rows(
        f"SELECT i.*, o.name, r.name FROM inspections_inspection i JOIN organisation_office o ON o.id = i.office_id "
        f"LEFT JOIN organisation_region r ON r.id = o.region_id WHERE i.id = %s AND {_inspections_listed(auth, access)}",
        [inspection_id],
    )


def floor_inspection(inspection_id: int):
    """An inspection: its office, counties, checklist with the counties' answers, self-assessment
    obligations, plan tasks, schools, team and steps."""

    def read(db: Floor, auth: Auth):
        _inspection_row(db, auth, inspection_id)
        db.rows(
            "SELECT c.id, c.name FROM inspections_inspection_counties ic JOIN organisation_county c ON c.id = ic.county_id "
            "WHERE ic.inspection_id = %s ORDER BY c.code, c.name",
            [inspection_id],
        )
        db.rows(
            "SELECT * FROM inspections_checklistitem WHERE inspection_id = %s ORDER BY position, id", [inspection_id]
        )
        db.rows(
            "SELECT a.*, c.name FROM inspections_checklistanswer a JOIN inspections_checklistitem t ON t.id = a.item_id "
            "JOIN organisation_county c ON c.id = a.county_id WHERE t.inspection_id = %s ORDER BY a.item_id, a.county_id",
            [inspection_id],
        )
        db.rows(
            "SELECT a.id, a.county_id, a.state, a.due_date FROM tracking_assignment a JOIN django_content_type t "
            "ON t.id = a.subject_type_id AND t.app_label = 'inspections' AND t.model = 'inspection' "
            "WHERE a.kind = 'self_assessment' AND a.subject_id = %s ORDER BY a.due_date, a.id",
            [inspection_id],
        )
        db.rows(
            "SELECT t.id, t.number, t.title, p.title, p.plan_year FROM inspections_inspection_tasks it "
            "JOIN plans_task t ON t.id = it.task_id JOIN plans_workplan p ON p.id = t.plan_id "
            "WHERE it.inspection_id = %s ORDER BY p.plan_year, t.plan_id, t.number",
            [inspection_id],
        )
        db.rows(
            "SELECT s.id, s.name, c.name FROM inspections_inspection_schools x JOIN inspections_school s ON s.id = x.school_id "
            "JOIN organisation_county c ON c.id = s.county_id WHERE x.inspection_id = %s ORDER BY c.code, s.name",
            [inspection_id],
        )
        db.rows(
            "SELECT m.*, i.name, u.username FROM inspections_inspectionmember m LEFT JOIN inspections_inspector i "
            "ON i.id = m.inspector_id LEFT JOIN auth_user u ON u.id = m.user_id WHERE m.inspection_id = %s "
            "ORDER BY m.role, m.id",
            [inspection_id],
        )
        db.rows(
            "SELECT e.action_type, e.datetime, e.data, u.username FROM audit_actionlog e "
            "JOIN django_content_type t ON t.id = e.content_type_id LEFT JOIN auth_user u ON u.id = e.user_id "
            "WHERE t.app_label = 'inspections' AND t.model = 'inspection' AND e.object_id = %s",
            [inspection_id],
        )

    return read


def floor_findings(inspection_id: int):
    """An inspection's findings with their county, school, checklist item, author and 整改 item,
    their files, and the items' obligations."""

    def read(db: Floor, auth: Auth):
        _inspection_row(db, auth, inspection_id)
        findings = db.rows(
            "SELECT f.id, f.text, f.severity, f.created_at, c.name, s.name, t.title, u.username, r.id "
            "FROM inspections_finding f JOIN organisation_county c ON c.id = f.county_id "
            "LEFT JOIN inspections_school s ON s.id = f.school_id LEFT JOIN inspections_checklistitem t ON t.id = f.item_id "
            "LEFT JOIN auth_user u ON u.id = f.created_by_id LEFT JOIN inspections_rectification r ON r.finding_id = f.id "
            "WHERE f.inspection_id = %s ORDER BY c.code, f.county_id, f.created_at, f.id",
            [inspection_id],
        )
        db.rows(f"SELECT * FROM inspections_findingfile WHERE finding_id IN ({_ints(r[0] for r in findings)})")
        db.rows(
            f"SELECT a.subject_id, a.state, a.due_date FROM tracking_assignment a JOIN django_content_type t "
            f"ON t.id = a.subject_type_id AND t.app_label = 'inspections' AND t.model = 'rectification' "
            f"WHERE a.kind = 'rectification' AND a.subject_id IN ({_ints(r[8] for r in findings if r[8])})"
        )

    return read


def floor_rectification_list(office_id: int, year: int, per_page: int = 50):
    """An office's 整改 items of a year: the offices to choose, the items' obligations counted by
    state, a page of them (by due date) with their items, findings and counties, the years, the
    counties to filter by, and the follow-up 督查 to add items to."""

    def read(db: Floor, auth: Auth):
        access = auth.read(db)
        db.rows(
            f"SELECT id, name FROM organisation_office WHERE id IN ({_ints(access['offices'])}) ORDER BY level, name"
        )
        obligations = (
            f"FROM tracking_assignment a JOIN django_content_type t ON t.id = a.subject_type_id "
            f"AND t.app_label = 'inspections' AND t.model = 'rectification' JOIN inspections_rectification r "
            f"ON r.id = a.subject_id WHERE a.kind = 'rectification' AND r.office_id = {int(office_id)} AND r.year = {int(year)}"
        )
        open_states = "('assigned', 'acknowledged', 'reported', 'returned')"
        db.rows(
            f"SELECT COUNT(*), COUNT(*) FILTER (WHERE a.state IN {open_states}), COUNT(*) FILTER (WHERE a.state IN "
            f"{open_states} AND a.due_date < CURRENT_DATE), COUNT(*) FILTER (WHERE a.state = 'accepted'), "
            f"COUNT(*) FILTER (WHERE r.escalation <> '') {obligations}"
            if db.postgres
            else f"SELECT COUNT(*), SUM(a.state IN {open_states}), SUM(a.state IN {open_states} AND a.due_date < DATE('now')), "
            f"SUM(a.state = 'accepted'), SUM(r.escalation <> '') {obligations}"
        )
        db.rows(
            f"SELECT a.id, a.state, a.due_date, r.id, r.requirement, r.escalation, f.text, f.severity, i.title, "
            f"v.visited_on, s.name, c.name {obligations.replace('WHERE', 'JOIN inspections_finding f ON f.id = r.finding_id LEFT JOIN inspections_inspection i ON i.id = f.inspection_id LEFT JOIN inspections_visit v ON v.id = f.visit_id LEFT JOIN inspections_school s ON s.id = f.school_id JOIN organisation_county c ON c.id = r.county_id WHERE', 1)} "
            f"ORDER BY a.due_date, a.id LIMIT {per_page}"
        )
        db.rows("SELECT DISTINCT year FROM inspections_rectification WHERE office_id = %s ORDER BY 1 DESC", [office_id])
        db.rows(
            "SELECT c.id, c.name FROM organisation_county c WHERE c.id IN (SELECT county_id FROM inspections_rectification "
            "WHERE office_id = %s AND year = %s) ORDER BY c.code, c.name",
            [office_id, year],
        )
        db.rows(
            "SELECT id, title FROM inspections_inspection WHERE kind = 'follow_up' AND office_id = %s "
            "AND status <> 'closed' ORDER BY starts_on DESC, id DESC",
            [office_id],
        )

    return read


def floor_rectification(item_id: int):
    """A 整改 item: with its finding (inspection or visit, school, county, checklist item), office,
    county, confirming check and author; the finding's files, the follow-up checks, the
    obligation with its reports, their authors and evidence, and the item's steps."""

    def read(db: Floor, auth: Auth):
        auth.read(db)
        db.rows(
            "SELECT r.*, f.text, f.severity, i.title, v.visited_on, vs.name, c.name, s.name, t.title, o.name, "
            "rc.name, cr.name, x.title, u.username FROM inspections_rectification r "
            "JOIN inspections_finding f ON f.id = r.finding_id LEFT JOIN inspections_inspection i ON i.id = f.inspection_id "
            "LEFT JOIN inspections_visit v ON v.id = f.visit_id LEFT JOIN inspections_school vs ON vs.id = v.school_id "
            "JOIN organisation_county c ON c.id = f.county_id LEFT JOIN inspections_school s ON s.id = f.school_id "
            "LEFT JOIN inspections_checklistitem t ON t.id = f.item_id JOIN organisation_office o ON o.id = r.office_id "
            "JOIN organisation_county rc ON rc.id = r.county_id JOIN organisation_region cr ON cr.id = rc.city_id "
            "LEFT JOIN inspections_inspection x ON x.id = r.confirmed_by_id LEFT JOIN auth_user u ON u.id = r.created_by_id "
            "WHERE r.id = %s",
            [item_id],
        )
        db.rows(
            "SELECT ff.* FROM inspections_findingfile ff JOIN inspections_rectification r ON r.finding_id = ff.finding_id "
            "WHERE r.id = %s",
            [item_id],
        )
        db.rows(
            "SELECT i.id, i.title, i.status FROM inspections_inspection_follows_up x JOIN inspections_inspection i "
            "ON i.id = x.inspection_id WHERE x.rectification_id = %s",
            [item_id],
        )
        obligation = db.rows(
            "SELECT a.* FROM tracking_assignment a JOIN django_content_type t ON t.id = a.subject_type_id "
            "AND t.app_label = 'inspections' AND t.model = 'rectification' WHERE a.kind = 'rectification' "
            "AND a.subject_id = %s",
            [item_id],
        )
        ids = _ints(r[0] for r in obligation)
        reports = db.rows(
            f"SELECT r.*, u.username, v.username FROM tracking_progressreport r LEFT JOIN auth_user u ON u.id = r.author_id "
            f"LEFT JOIN auth_user v ON v.id = r.reviewed_by_id WHERE r.assignment_id IN ({ids}) ORDER BY r.created_at DESC"
        )
        db.rows(f"SELECT * FROM tracking_evidencefile WHERE report_id IN ({_ints(r[0] for r in reports)})")
        db.rows(
            "SELECT e.action_type, e.datetime, e.data, u.username FROM audit_actionlog e "
            "JOIN django_content_type t ON t.id = e.content_type_id LEFT JOIN auth_user u ON u.id = e.user_id "
            "WHERE t.app_label = 'inspections' AND t.model = 'rectification' AND e.object_id = %s",
            [item_id],
        )

    return read


def _area_counties(db: Floor, office_id: int) -> str:
    """inspections.dashboards.area_q: a county office's county, a city office's city's
    counties, a province office's province's (read first: the page knows its office)."""
    rows = db.rows(
        f"SELECT c.id FROM organisation_county c JOIN organisation_office o ON o.id = {int(office_id)} "
        f"WHERE (o.county_id IS NOT NULL AND c.id = o.county_id) OR (o.county_id IS NULL AND o.level = 'province' "
        f"AND c.city_id IN (SELECT r.id FROM organisation_region r WHERE r.parent_id = o.region_id)) "
        f"OR (o.county_id IS NULL AND o.level <> 'province' AND c.city_id = o.region_id)"
    )
    return _ints(r[0] for r in rows)


def floor_inspection_dashboard(office_id: int, year: int):
    """An office's inspection year: its inspections by kind and month; findings by kind and
    severity (its inspections', and those of the 挂牌督导 visits of the year in its counties);
    its 整改 items' obligations by county; the visits owed so far in its counties, and made, by
    the school's zone now; its counties' zones with their schools held and never visited."""

    def read(db: Floor, auth: Auth):
        auth.read(db)
        db.rows(
            "SELECT o.*, r.name FROM organisation_office o LEFT JOIN organisation_region r ON r.id = o.region_id WHERE o.id = %s",
            [office_id],
        )
        month = "EXTRACT(MONTH FROM starts_on)" if db.postgres else "strftime('%m', starts_on)"
        db.rows(
            f"SELECT kind, {month}, COUNT(*) FROM inspections_inspection WHERE office_id = %s AND year = %s GROUP BY 1, 2",
            [office_id, year],
        )
        area = _area_counties(db, office_id)
        db.rows(
            f"SELECT i.kind, f.severity, COUNT(*) FROM inspections_finding f JOIN inspections_inspection i "
            f"ON i.id = f.inspection_id WHERE i.office_id = %s AND i.year = %s GROUP BY 1, 2 "
            f"UNION ALL SELECT 'routine', f.severity, COUNT(*) FROM inspections_finding f JOIN inspections_visit v "
            f"ON v.id = f.visit_id WHERE f.inspection_id IS NULL AND f.county_id IN ({area}) "
            f"AND v.visited_on BETWEEN %s AND %s GROUP BY 2",
            [office_id, year, f"{year}-01-01", f"{year}-12-31"],
        )
        open_states = "('assigned', 'acknowledged', 'reported', 'returned')"
        if db.postgres:
            db.rows(
                f"SELECT a.county_id, c.name, c.code, COUNT(*), COUNT(*) FILTER (WHERE a.state = 'accepted'), "
                f"COUNT(*) FILTER (WHERE a.state IN {open_states} AND a.due_date < CURRENT_DATE), "
                f"COUNT(*) FILTER (WHERE a.state = 'accepted' AND a.closed_at::date <= a.due_date), "
                f"AVG(a.closed_at - a.created_at) FILTER (WHERE a.state = 'accepted') "
                f"FROM tracking_assignment a JOIN inspections_rectification r ON r.id = a.subject_id "
                f"JOIN django_content_type t ON t.id = a.subject_type_id AND t.app_label = 'inspections' "
                f"AND t.model = 'rectification' JOIN organisation_county c ON c.id = a.county_id "
                f"WHERE a.kind = 'rectification' AND r.office_id = %s AND r.year = %s AND a.state <> 'withdrawn' "
                f"GROUP BY a.county_id, c.name, c.code",
                [office_id, year],
            )
        fulfilled = "a.state = 'accepted' OR EXISTS (SELECT 1 FROM inspections_visit v WHERE v.obligation_id = a.id)"
        db.rows(
            f"SELECT z.zone_id, COUNT(*), COUNT(*) FILTER (WHERE {fulfilled}) FROM tracking_assignment a "
            f"LEFT JOIN inspections_zoneassignment z ON z.school_id = a.subject_id AND z.ended_on IS NULL "
            f"WHERE a.kind = 'visit' AND a.county_id IN ({area}) AND a.year = %s AND a.due_date <= CURRENT_DATE "
            f"AND a.state <> 'withdrawn' GROUP BY z.zone_id"
            if db.postgres
            else f"SELECT z.zone_id, COUNT(*), SUM({fulfilled}) FROM tracking_assignment a "
            f"LEFT JOIN inspections_zoneassignment z ON z.school_id = a.subject_id AND z.ended_on IS NULL "
            f"WHERE a.kind = 'visit' AND a.county_id IN ({area}) AND a.year = %s AND a.due_date <= DATE('now') "
            f"AND a.state <> 'withdrawn' GROUP BY z.zone_id",
            [year],
        )
        never = (
            "NOT EXISTS (SELECT 1 FROM inspections_visit v WHERE v.school_id = a.school_id "
            "AND v.visited_on BETWEEN %s AND %s)"
        )
        db.rows(
            "SELECT z.id, z.name, c.name, i.name, COUNT(a.id), "
            + (f"COUNT(a.id) FILTER (WHERE {never}) " if db.postgres else f"SUM(a.id IS NOT NULL AND {never}) ")
            + f"FROM inspections_inspectorzone z JOIN organisation_county c ON c.id = z.county_id "
            f"LEFT JOIN inspections_inspector i ON i.id = z.inspector_id LEFT JOIN inspections_zoneassignment a "
            f"ON a.zone_id = z.id AND a.ended_on IS NULL WHERE z.county_id IN ({area}) "
            f"GROUP BY z.id, z.name, c.code, c.name, i.name ORDER BY c.code, c.name, z.name, z.id",
            [f"{year}-01-01", f"{year}-12-31"],
        )

    return read


# --- Floors of the evaluation work ---------------------------------------------------------------


def floor_round_results(round_id: int):
    """A round's ranking: the round with its office and sheet, its participants by rank with
    their counties, last year's totals and ranks of the same counties, the published results'
    revisions with who published each, and (for its staff) the objections raised."""

    def read(db: Floor, auth: Auth):
        auth.read(db)
        db.rows(
            "SELECT r.*, o.name, s.title FROM evaluation_evaluationround r JOIN organisation_office o "
            "ON o.id = r.office_id JOIN evaluation_indicatorsheet s ON s.id = r.sheet_id WHERE r.id = %s",
            [round_id],
        )
        db.rows(
            "SELECT p.id, p.county_id, p.self_total, p.total, p.grade, p.rank, p.vetoed, c.name, c.code "
            "FROM evaluation_participant p JOIN organisation_county c ON c.id = p.county_id "
            "WHERE p.round_id = %s ORDER BY p.rank, c.code, p.id",
            [round_id],
        )
        db.rows(
            "SELECT p.county_id, p.total, p.rank FROM evaluation_participant p JOIN evaluation_evaluationround r "
            "ON r.previous_id = p.round_id WHERE r.id = %s",
            [round_id],
        )
        db.rows(
            "SELECT v.number, v.reason, v.results, v.created_at, u.username FROM evaluation_resultrevision v "
            "LEFT JOIN auth_user u ON u.id = v.created_by_id WHERE v.round_id = %s ORDER BY v.number",
            [round_id],
        )
        db.rows(
            "SELECT b.*, i.code, i.title, u.username, a.username FROM evaluation_objection b "
            "JOIN evaluation_participant p ON p.id = b.participant_id LEFT JOIN evaluation_indicator i ON i.id = b.indicator_id "
            "LEFT JOIN auth_user u ON u.id = b.raised_by_id LEFT JOIN auth_user a ON a.id = b.answered_by_id "
            "WHERE p.round_id = %s ORDER BY b.outcome, b.raised_at DESC, b.id",
            [round_id],
        )

    return read


def floor_participant_sheet(participant_id: int):
    """A participant's sheet: the participant with its round, office and county, the sheet's
    indicators in order, its scores, and its objections."""

    def read(db: Floor, auth: Auth):
        auth.read(db)
        db.rows(
            "SELECT p.*, r.title, r.year, r.status, r.sheet_id, r.objection_until, o.name, c.name "
            "FROM evaluation_participant p JOIN evaluation_evaluationround r ON r.id = p.round_id "
            "JOIN organisation_office o ON o.id = r.office_id JOIN organisation_county c ON c.id = p.county_id "
            "WHERE p.id = %s",
            [participant_id],
        )
        db.rows(
            "SELECT i.* FROM evaluation_indicator i JOIN evaluation_evaluationround r ON r.sheet_id = i.sheet_id "
            "JOIN evaluation_participant p ON p.round_id = r.id WHERE p.id = %s ORDER BY i.position",
            [participant_id],
        )
        db.rows("SELECT * FROM evaluation_score WHERE participant_id = %s", [participant_id])
        db.rows(
            "SELECT * FROM evaluation_objection WHERE participant_id = %s ORDER BY raised_at DESC, id",
            [participant_id],
        )

    return read


def floor_round_comparison(round_id: int):
    """The comparison: the round, its participants with their counties, its scored items, and
    the final scores of this round and of the previous one with its items."""

    def read(db: Floor, auth: Auth):
        auth.read(db)
        db.rows("SELECT r.* FROM evaluation_evaluationround r WHERE r.id = %s", [round_id])
        db.rows(
            "SELECT p.id, p.county_id, p.rank, c.name FROM evaluation_participant p "
            "JOIN organisation_county c ON c.id = p.county_id WHERE p.round_id = %s ORDER BY p.rank, p.id",
            [round_id],
        )
        for round_sql in ("%s", "(SELECT previous_id FROM evaluation_evaluationround WHERE id = %s)"):
            db.rows(
                "SELECT i.id, i.code, i.title, i.points FROM evaluation_indicator i JOIN evaluation_evaluationround r "
                f"ON r.sheet_id = i.sheet_id WHERE r.id = {round_sql} AND NOT EXISTS "
                "(SELECT 1 FROM evaluation_indicator c WHERE c.parent_id = i.id) ORDER BY i.position",
                [round_id],
            )
            db.rows(
                "SELECT s.participant_id, s.indicator_id, COALESCE(s.review_score, s.score) FROM evaluation_score s "
                f"JOIN evaluation_participant p ON p.id = s.participant_id WHERE p.round_id = {round_sql}",
                [round_id],
            )

    return read


# The participants' self-assessment obligations (tracking.kinds: an evaluation's, on a participant).
_PARTICIPANT_TYPE = "(SELECT id FROM django_content_type WHERE app_label = 'evaluation' AND model = 'participant')"


def floor_round_page(round_id: int):
    """A round's page: the round with its office, sheet, previous round and number of scored
    items (those without children); its participants by rank with their names (county, zone or
    school), self-assessment obligations and scores given, made and reviewed on those items; and
    (published) its results' revisions with who published each."""

    def read(db: Floor, auth: Auth):
        auth.read(db)
        found = db.rows(
            "SELECT r.status, r.title, r.year, r.self_assessment_due, r.scoring_from, r.scoring_until, r.review_due, "
            "r.publish_on, r.objection_days, r.excellent_min, r.good_min, r.pass_min, o.name, s.year, s.title, "
            "v.id, v.year, v.title, (SELECT COUNT(*) FROM evaluation_indicator i WHERE i.sheet_id = r.sheet_id "
            "AND NOT EXISTS (SELECT 1 FROM evaluation_indicator c WHERE c.parent_id = i.id)) "
            "FROM evaluation_evaluationround r JOIN organisation_office o ON o.id = r.office_id "
            "JOIN evaluation_indicatorsheet s ON s.id = r.sheet_id LEFT JOIN evaluation_evaluationround v "
            "ON v.id = r.previous_id WHERE r.id = %s",
            [round_id],
        )
        status = found[0][0] if found else None
        obligation = (
            f"LEFT JOIN tracking_assignment a ON a.subject_id = p.id AND a.kind = 'evaluation' "
            f"AND a.subject_type_id = {_PARTICIPANT_TYPE} "
            if status != "draft"
            else ""
        )
        db.rows(
            f"SELECT p.id, p.self_total, p.total, p.grade, p.rank, p.vetoed, c.name, z.name, sc.name, "
            f"{'a.id, a.state' if obligation else 'NULL, NULL'}, n.self_given, n.scored, n.reviewed "
            f"FROM evaluation_participant p JOIN organisation_county c ON c.id = p.county_id "
            f"LEFT JOIN inspections_inspectorzone z ON z.id = p.zone_id LEFT JOIN inspections_school sc ON sc.id = p.school_id "
            f"{obligation}LEFT JOIN (SELECT x.id, COUNT(s.self_score) AS self_given, COUNT(s.score) AS scored, "
            f"COUNT(s.review_score) AS reviewed FROM evaluation_participant x JOIN evaluation_score s ON s.participant_id = x.id "
            f"WHERE x.round_id = %s AND s.indicator_id NOT IN (SELECT i.parent_id FROM evaluation_indicator i WHERE i.sheet_id = "
            f"(SELECT sheet_id FROM evaluation_evaluationround WHERE id = %s) AND i.parent_id IS NOT NULL) GROUP BY x.id) n "
            f"ON n.id = p.id WHERE p.round_id = %s ORDER BY p.rank, c.code, p.id",
            [round_id, round_id, round_id],
        )
        if status == "published":
            db.rows(
                "SELECT v.number, v.reason, v.results, v.created_at, u.username, u.first_name, u.last_name "
                "FROM evaluation_resultrevision v LEFT JOIN auth_user u ON u.id = v.created_by_id "
                "WHERE v.round_id = %s ORDER BY v.number",
                [round_id],
            )

    return read


def floor_round_list(per_page: int = 25):
    """The rounds list as a superuser reads it (every round): the first page of them, newest
    year first, with their office, the number found (a window count) and their participants; the
    participants of those rounds who self-assessed, and were scored, on every scored item
    (headings left out); and the participants of the user's counties in them (their links)."""

    def read(db: Floor, auth: Auth):
        access = auth.read(db)
        page = db.rows(
            "WITH page AS (SELECT r.id, r.title, r.year, r.status, o.name, COUNT(*) OVER () AS total "
            "FROM evaluation_evaluationround r JOIN organisation_office o ON o.id = r.office_id "
            f"ORDER BY r.year DESC, r.title, r.id LIMIT {per_page}) "
            "SELECT page.*, (SELECT COUNT(*) FROM evaluation_participant p WHERE p.round_id = page.id) FROM page"
        )
        ids = _ints(r[0] for r in page)
        sheets = f"SELECT sheet_id FROM evaluation_evaluationround WHERE id IN ({ids})"
        # Not a heading's score: PostgreSQL hashes a NOT IN list of the headings and then scans
        # every score (40 ms nationally); SQLite reads the list once, cheaper than a probe a score.
        scored = (
            "NOT EXISTS (SELECT 1 FROM evaluation_indicator c WHERE c.parent_id = s.indicator_id "
            f"AND c.sheet_id IN ({sheets}))"
            if db.postgres
            else f"s.indicator_id NOT IN (SELECT i.parent_id FROM evaluation_indicator i WHERE i.sheet_id IN ({sheets}) "
            "AND i.parent_id IS NOT NULL)"
        )
        db.rows(
            "SELECT n.round_id, SUM(CASE WHEN n.self_given = n.items THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN n.scored = n.items THEN 1 ELSE 0 END) FROM (SELECT p.round_id, p.id, COUNT(*) AS items, "
            "COUNT(s.self_score) AS self_given, COUNT(s.score) AS scored FROM evaluation_participant p "
            f"JOIN evaluation_score s ON s.participant_id = p.id WHERE p.round_id IN ({ids}) AND {scored} "
            "GROUP BY p.id) n GROUP BY n.round_id"
        )
        if access["counties"]:
            db.rows(
                "SELECT p.id, p.round_id, c.name, z.name, s.name FROM evaluation_participant p "
                "JOIN organisation_county c ON c.id = p.county_id LEFT JOIN inspections_inspectorzone z ON z.id = p.zone_id "
                f"LEFT JOIN inspections_school s ON s.id = p.school_id WHERE p.round_id IN ({ids}) "
                f"AND p.county_id IN ({_ints(access['counties'])}) ORDER BY p.id"
            )

    return read


def floor_score_sheet(participant_id: int, *, self_assessment: bool):
    """A participant's 初评 sheet as its office reads it (`self_assessment`: its 自评 as its county
    does): the participant with its round and name (county, zone or school) — for the 自评, with
    its self-assessment obligation —; and the round's sheet, item by item in order, with the
    participant's score of each: its own score and note, and for the 初评 the inspectors' score
    and reason, the review's score, the figure used and the inspection cited."""

    def read(db: Floor, auth: Auth):
        auth.read(db)
        obligation = (
            f", a.id, a.state, a.due_date FROM evaluation_participant p LEFT JOIN tracking_assignment a "
            f"ON a.subject_id = p.id AND a.kind = 'evaluation' AND a.subject_type_id = {_PARTICIPANT_TYPE} "
            if self_assessment
            else " FROM evaluation_participant p "
        )
        db.rows(
            f"SELECT p.id, p.self_total, p.total, p.grade, p.rank, r.title, r.year, r.status, c.name, z.name, s.name"
            f"{obligation}JOIN evaluation_evaluationround r ON r.id = p.round_id "
            f"JOIN organisation_county c ON c.id = p.county_id LEFT JOIN inspections_inspectorzone z ON z.id = p.zone_id "
            f"LEFT JOIN inspections_school s ON s.id = p.school_id WHERE p.id = %s",
            [participant_id],
        )
        given = (
            "i.evidence, s.self_score, s.self_note"
            if self_assessment
            else "s.self_score, s.self_note, s.score, s.reason, s.review_score, s.figure, x.title"
        )
        cited = "" if self_assessment else "LEFT JOIN inspections_inspection x ON x.id = s.inspection_id "
        db.rows(
            f"SELECT i.id, i.parent_id, i.code, i.title, i.points, i.method, i.rule, i.veto, i.source, {given} "
            f"FROM evaluation_participant p JOIN evaluation_evaluationround r ON r.id = p.round_id "
            f"JOIN evaluation_indicator i ON i.sheet_id = r.sheet_id LEFT JOIN evaluation_score s "
            f"ON s.participant_id = p.id AND s.indicator_id = i.id {cited}WHERE p.id = %s ORDER BY i.position",
            [participant_id],
        )

    return read


# The tables a user's actions are read from (plans.selectors.history._AUDITED, in its order),
# then the audit log: the plan and its parts, memberships, and the counties of tasks and lines.
_AUDITED_TABLES = (
    "plans_historicalworkplan",
    "plans_historicalsection",
    "plans_historicaltask",
    "plans_historicalproject",
    "plans_historicalscheduleentry",
    "organisation_historicalmembership",
    "plans_historicaltasktarget",
    "plans_historicalentrytarget",
)


def floor_user_audit(user_id: int, per_page: int = 100):
    """What a user did (the user audit): the user; their newest entries, a page of them, in one
    query over every history table and the audit log (as the page's); of each table holding some,
    its records with the record before each change (what changed); the counties added to or
    removed from tasks and calendar lines with the task's number or the line's period and its
    plan; the steps; and the steps of the plans written (or of the plans their revisions revise),
    which say which writes were bookkeeping."""
    sources = [(table, "history_date", "history_id", "history_user_id") for table in _AUDITED_TABLES]
    sources.append(("audit_actionlog", "datetime", "id", "user_id"))
    newest = " UNION ALL ".join(
        f"SELECT * FROM (SELECT {number} AS t, {at} AS at, {pk} AS r FROM {table} WHERE {user} = {int(user_id)} "
        f"ORDER BY {at} DESC, {pk} DESC LIMIT {per_page + 1}) e{number}"
        for number, (table, at, pk, user) in enumerate(sources)
    )

    def read(db: Floor, auth: Auth):
        auth.read(db)
        db.rows("SELECT id, username, first_name, last_name FROM auth_user WHERE id = %s", [user_id])
        entries = db.rows(f"{newest} ORDER BY at DESC, t, r DESC LIMIT {per_page + 1}")
        rows: dict[int, list[int]] = {}
        for table, _at, row in entries[:per_page]:
            rows.setdefault(table, []).append(row)
        plans = set()
        for number, table in enumerate(_AUDITED_TABLES[:6]):
            if number not in rows:
                continue
            plan = "h.id" if number == 0 else "NULL" if table.startswith("organisation") else "h.plan_id"
            records = db.rows(
                f"SELECT h.*, b.* FROM (SELECT {plan} AS plan, h.*, CASE WHEN h.history_type = '~' THEN "
                f"(SELECT x.history_id FROM {table} x WHERE x.id = h.id AND (x.history_date < h.history_date OR "
                f"x.history_date = h.history_date AND x.history_id < h.history_id) ORDER BY x.history_date DESC, "
                f"x.history_id DESC LIMIT 1) END AS previous FROM {table} h WHERE h.history_id IN ({_ints(rows[number])})) h "
                f"LEFT JOIN {table} b ON b.history_id = h.previous"
            )
            plans.update(r[0] for r in records if r[0] is not None)
        for number, owner, shown in ((6, "task", "number"), (7, "entry", "period")):
            if number not in rows:
                continue
            owners = "plans_historicaltask" if owner == "task" else "plans_historicalscheduleentry"
            targets = db.rows(
                f"SELECT o.plan_id, h.history_id, h.history_date, h.history_type, c.name, o.{shown} "
                f"FROM {_AUDITED_TABLES[number]} h JOIN organisation_county c ON c.id = h.county_id "
                f"LEFT JOIN {owners} o ON o.history_id = (SELECT MAX(x.history_id) FROM {owners} x WHERE x.id = h.{owner}_id) "
                f"WHERE h.history_id IN ({_ints(rows[number])})"
            )
            plans.update(r[0] for r in targets if r[0] is not None)
        if len(_AUDITED_TABLES) in rows:
            db.rows(
                "SELECT id, action_type, datetime, object_id, data FROM audit_actionlog "
                f"WHERE id IN ({_ints(rows[len(_AUDITED_TABLES)])})"
            )
        if plans:
            db.rows(
                "SELECT e.object_id, e.action_type, e.datetime, e.data FROM audit_actionlog e "
                "JOIN django_content_type t ON t.id = e.content_type_id WHERE t.app_label = 'plans' AND t.model = 'workplan' "
                "AND e.object_id IN (SELECT COALESCE(MAX(h.revision_of_id), h.id) FROM plans_historicalworkplan h "
                f"WHERE h.id IN ({_ints(plans)}) GROUP BY h.id)"
            )

    return read


# --- Render floors: the page's bytes from the floor's rows -------------------------------------


def _text(value) -> str:
    return "" if value is None else html.escape(str(value))


@dataclass
class RenderFloor:
    """The plainest way to produce a page's bytes from the rows its floor read: the page's own
    chrome (everything outside <main>: head, menu, footer), kept as a constant string read from
    the real page once; per row one f-string escaping each of its values, followed by a constant
    run of the page's own markup so that the output is as long as the page; then the encoding.
    That is what any way of writing the page has to do (escape and write every value, write the
    bytes), without a template engine, forms, translations or formatting."""

    head: str
    tail: str
    fill: str  # constant markup after each row
    rest: str  # the constant markup the rows' fill leaves over
    keep: float = 1.0  # the share of each result set written, when the rows alone outgrow the page

    @classmethod
    def of(cls, body: bytes, rowsets: list[list]) -> "RenderFloor":
        text = body.decode("utf-8", "replace")
        start, end = text.find("<main"), text.rfind("</main>")
        if start < 0 or end < 0:
            head, middle, tail = "", text, ""
        else:
            head, middle, tail = text[:start], text[start:end], text[end:]
        bare = cls(head, tail, "", "")
        written = len(bare.render(rowsets).decode()) - len(head) - len(tail)
        if written > len(middle):
            # The floor reads rows the page sums up in Python: write no more of them than the
            # page has room for.
            return cls(head, tail, "", "", keep=len(middle) / written)
        rows = sum(len(r) for r in rowsets)
        spare = len(middle) - written
        per_row = spare // rows if rows else 0
        return cls(head, tail, middle[:per_row], middle[: spare - per_row * rows])

    def render(self, rowsets: list[list]) -> bytes:
        fill, parts = self.fill, [self.head, self.rest]
        for rows in rowsets:
            if self.keep < 1.0:
                rows = rows[: -(-int(len(rows) * self.keep * 1000) // 1000)]
            parts.append("<table>")
            for row in rows:
                parts.append(f"<tr>{''.join(f'<td>{_text(v)}</td>' for v in row)}</tr>{fill}")
            parts.append("</table>")
        parts.append(self.tail)
        return "".join(parts).encode()


def _textual(response) -> bool:
    kind = response.get("Content-Type", "")
    return kind.startswith("text/") or "json" in kind


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookFloor:
    """The plainest way to write the floor's rows as a workbook: XlsxWriter in constant_memory
    mode (as the exports), a sheet per result set, a row a `write_row` call, no formats, headers,
    widths or checks; then the zip. Values XlsxWriter cannot write (arrays, JSON) go as text,
    converted once before the timing. When the floor reads rows the workbook sums up (a
    dashboard's obligations, a report's evidence files), no more cells are written than the
    workbook holds, a like share of each result set."""

    def __init__(self, body: bytes, rowsets: list[list]):
        import datetime
        import decimal

        writable = (str, int, float, bool, decimal.Decimal, datetime.date, datetime.time, type(None))
        rowsets = [[tuple(v if isinstance(v, writable) else str(v) for v in row) for row in rows] for rows in rowsets]
        read = sum(len(row) for rows in rowsets for row in rows)
        keep = min(1.0, self.cells(body) / read) if read else 1.0
        self.rowsets = [rows[: -(-int(len(rows) * keep * 1000) // 1000)] for rows in rowsets]

    @staticmethod
    def cells(body: bytes) -> int:
        """The cells the workbook `body` holds, on all its sheets."""
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return sum(
                archive.read(name).count(b"<c ")
                for name in archive.namelist()
                if name.startswith("xl/worksheets/sheet")
            )

    def render(self, _rowsets=None) -> bytes:
        import io

        import xlsxwriter

        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"constant_memory": True, "remove_timezone": True})
        for rows in self.rowsets:
            sheet = book.add_worksheet()
            for number, row in enumerate(rows):
                sheet.write_row(number, 0, row)
        book.close()
        return output.getvalue()


# --- The cases ----------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    needs: tuple[str, ...]  # URL names; a case whose URL is not in this checkout is skipped
    url: object  # Targets -> path
    user: str | None  # a key of Targets.users; None for an anonymous visitor
    floor: object = None  # Targets -> (Floor, Auth) -> None
    budget_ms: float = BUDGET_MS
    # Before each request (the plan page without its cached notice clears the cache).
    before: object = None
    export: bool = False

    def __post_init__(self):
        if self.export and self.budget_ms == BUDGET_MS:
            self.budget_ms = EXPORT_BUDGET_MS


def _u(name, *args, query=None):
    from django.urls import reverse

    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _forget_notices():
    """Drop the rendered notices the plan and revision pages keep (the default, per-process
    cache), and nothing else the cache holds."""
    from django.core.cache import cache

    kept = getattr(cache, "_cache", None)
    if kept is None:
        cache.clear()
        return
    for key in [k for k in kept if "plan_notice" in k or "revision_notice" in k]:
        cache.delete(key.split(":", 2)[-1])


def _last_page(t: Targets) -> int:
    from plans.models import WorkPlan
    from plans.permissions import visible_plans_q

    count = WorkPlan.objects.filter(visible_plans_q(t.users["staff"])).count()
    return max(1, -(-count // 25))


def _county_last_page(t: Targets) -> int:
    from django.utils import timezone

    from tracking.selectors.counties import county_list, county_list_year_plans, county_list_years

    user = t.users["staff"]
    years = county_list_years(user=user)
    _year, plan_ids = county_list_year_plans(user=user, years=years, asked=None, this_year=timezone.localdate().year)
    return max(1, -(-county_list(user=user, plan_ids=plan_ids)[1].count() // 50))


def _office_name(t):
    return t.office.name


def floor_office_plans(name: str):
    """The plan list of the offices whose name or alias holds `name`: those offices read first,
    a handful (plans.filters.office_match_ids), then the list of their plans."""
    like = "'%" + name.replace("'", "''").replace("%", "\\%").replace("_", "\\_") + "%'"

    def read(db: Floor, auth: Auth):
        offices = db.rows(
            f"SELECT o.id FROM organisation_office o WHERE o.name LIKE {like} OR EXISTS "
            f"(SELECT 1 FROM organisation_officealias a WHERE a.office_id = o.id AND a.name LIKE {like})"
        )
        floor_plan_list(where=f"p.office_id IN ({_ints(r[0] for r in offices)})")(db, auth)

    return read


def _search_term(t):
    return "督导评估"


def _doc_number_term(t):
    # As a user pastes it, with the brackets typed the easy way.
    return (t.plan.doc_number or "教督").replace("〔", "[").replace("〕", "]")


# Words of one, two and three characters, found in most tasks and in few (national data, seed 1:
# 督 66,176 of 66,356 tasks, 丽 28; 整改 28,197, 均衡 1,685; 督导评 38,602, 控辍保 1,636).
SEARCH_WORDS = [
    ("督", "frequent"),
    ("丽", "rare"),
    ("整改", "frequent"),
    ("均衡", "rare"),
    ("督导评", "frequent"),
    ("控辍保", "rare"),
]


def _search_where(term: str) -> str:
    like = "'%" + term.replace("[", "〔").replace("]", "〕") + "%'"
    return (
        f"(p.title LIKE {like} OR p.notice_title LIKE {like} OR p.doc_number LIKE {like} OR o.name LIKE {like} "
        f"OR EXISTS (SELECT 1 FROM plans_task t WHERE t.plan_id = p.id AND (t.title LIKE {like} OR t.text LIKE {like})))"
    )


CASES = [
    Case("login page", ("login",), lambda t: _u("login"), None),
    Case(
        "plan list",
        ("plans:plan_list",),
        lambda t: _u("plans:plan_list"),
        "staff",
        lambda t: floor_plan_list(),
        FAST_BUDGET_MS,
    ),
    Case(
        "plan list, text search",
        ("plans:plan_list",),
        lambda t: _u("plans:plan_list", query={"q": _search_term(t)}),
        "staff",
        lambda t: floor_plan_list(where=_search_where(_search_term(t))),
        FAST_BUDGET_MS,
    ),
    Case(
        "plan list, 2-character search",
        ("plans:plan_list",),
        lambda t: _u("plans:plan_list", query={"q": "督学"}),
        "staff",
        lambda t: floor_plan_list(where=_search_where("督学")),
        FAST_BUDGET_MS,
    ),
    *[
        Case(
            f"plan list, {len(word)}-character search, {how}",
            ("plans:plan_list",),
            lambda t, word=word: _u("plans:plan_list", query={"q": word}),
            "staff",
            lambda t, word=word: floor_plan_list(where=_search_where(word)),
            FAST_BUDGET_MS,
        )
        for word, how in SEARCH_WORDS
    ],
    Case(
        "plan list, 文号 search",
        ("plans:plan_list",),
        lambda t: _u("plans:plan_list", query={"q": _doc_number_term(t)}),
        "staff",
        lambda t: floor_plan_list(where=_search_where(_doc_number_term(t))),
        FAST_BUDGET_MS,
    ),
    Case(
        "plan list, office",
        ("plans:plan_list",),
        lambda t: _u("plans:plan_list", query={"office": _office_name(t)}),
        "staff",
        lambda t: floor_office_plans(_office_name(t)),
        FAST_BUDGET_MS,
    ),
    Case(
        "plan list, year",
        ("plans:plan_list",),
        lambda t: _u("plans:plan_list", query={"plan_year": t.year}),
        "staff",
        lambda t: floor_plan_list(where=f"p.plan_year = {t.year}"),
        FAST_BUDGET_MS,
    ),
    Case(
        "plan list, status",
        ("plans:plan_list",),
        lambda t: _u("plans:plan_list", query={"status": "published"}),
        "staff",
        lambda t: floor_plan_list(where="p.status = 'published'"),
        FAST_BUDGET_MS,
    ),
    Case(
        "plan list, county",
        ("plans:plan_list",),
        lambda t: _u("plans:plan_list", query={"county": f"{t.county.name}（{t.county.city.name}）"}),
        "staff",
        lambda t: floor_plan_list(
            where=f"EXISTS (SELECT 1 FROM plans_plancounty x WHERE x.plan_id = p.id AND x.county_id = {t.county.pk})"
        ),
        FAST_BUDGET_MS,
    ),
    Case(
        "plan list, county typed by name",
        ("plans:plan_list",),
        lambda t: _u("plans:plan_list", query={"county": t.county.name}),
        "staff",
        lambda t: floor_plan_list(
            where=f"EXISTS (SELECT 1 FROM plans_plancounty x JOIN organisation_county c ON c.id = x.county_id "
            f"WHERE x.plan_id = p.id AND c.name LIKE '%{t.county.name}%')"
        ),
        FAST_BUDGET_MS,
    ),
    Case(
        "plan list, last page",
        ("plans:plan_list",),
        lambda t: _u("plans:plan_list", query={"page": _last_page(t)}),
        "staff",
        lambda t: floor_plan_list(page=_last_page(t)),
        FAST_BUDGET_MS,
    ),
    Case(
        "plan list, county user",
        ("plans:plan_list",),
        lambda t: _u("plans:plan_list"),
        "county",
        lambda t: floor_plan_list(),
        FAST_BUDGET_MS,
    ),
    Case(
        "plan page (largest)",
        ("plans:plan_detail",),
        lambda t: _u("plans:plan_detail", t.plan.pk),
        "staff",
        lambda t: floor_plan_document(t.plan.pk, cached=True, page=True),
        FAST_BUDGET_MS,
    ),
    Case(
        "plan page, notice not cached",
        ("plans:plan_detail",),
        lambda t: _u("plans:plan_detail", t.plan.pk),
        "staff",
        lambda t: floor_plan_document(t.plan.pk, cached=False, page=True),
        FAST_BUDGET_MS,
        before=_forget_notices,
    ),
    Case(
        "plan page, county user",
        ("plans:plan_detail",),
        lambda t: _u("plans:plan_detail", t.county_plan.pk),
        "county",
        lambda t: floor_plan_document(t.county_plan.pk, cached=True, page=True),
        FAST_BUDGET_MS,
    ),
    Case(
        "plan import tab",
        ("plans:plan_source",),
        lambda t: _u("plans:plan_source", t.plan.pk),
        "staff",
        lambda t: floor_plan_row(t.plan.pk),
    ),
    Case(
        "plan history",
        ("plans:plan_history",),
        lambda t: _u("plans:plan_history", t.plan.pk),
        "staff",
        lambda t: floor_history(t.plan.pk),
    ),
    Case(
        "revisions",
        ("plans:revisions",),
        lambda t: _u("plans:revisions", t.revised.pk),
        "staff",
        lambda t: floor_revisions(t.revised.pk),
    ),
    Case(
        "revision (latest)",
        ("plans:revision_detail",),
        lambda t: _u("plans:revision_detail", t.revised.pk, t.revised.revision),
        "staff",
        lambda t: floor_revisions(t.revised.pk, [t.revised.revision]),
    ),
    Case(
        "revision, notice not cached",
        ("plans:revision_detail",),
        lambda t: _u("plans:revision_detail", t.revised.pk, t.revised.revision),
        "staff",
        lambda t: floor_revisions(t.revised.pk, [t.revised.revision]),
        before=_forget_notices,
    ),
    Case(
        "revision compare",
        ("plans:revision_compare",),
        lambda t: _u("plans:revision_compare", t.revised.pk, query={"a": 1, "b": t.revised.revision}),
        "staff",
        lambda t: floor_revisions(t.revised.pk, [1, t.revised.revision]),
    ),
    Case(
        "county list",
        ("tracking:county_list",),
        lambda t: _u("tracking:county_list"),
        "staff",
        lambda t: floor_county_list(),
    ),
    Case(
        "county list, last page",
        ("tracking:county_list",),
        lambda t: _u("tracking:county_list", query={"page": _county_last_page(t)}),
        "staff",
        lambda t: floor_county_list(page=_county_last_page(t)),
    ),
    Case(
        "county list, search",
        ("tracking:county_list",),
        lambda t: _u("tracking:county_list", query={"q": t.county.name[:2]}),
        "staff",
        lambda t: floor_county_list(name=t.county.name[:2]),
    ),
    Case(
        "county page (busiest)",
        ("tracking:county_detail",),
        lambda t: _u("tracking:county_detail", t.county.pk),
        "staff",
        lambda t: floor_county_page(t.county.pk),
    ),
    Case(
        "county page, county user",
        ("tracking:county_detail",),
        lambda t: _u("tracking:county_detail", t.county.pk),
        "county",
        lambda t: floor_county_page(t.county.pk),
    ),
    Case(
        "office suggestions",
        ("plans:suggest",),
        lambda t: _u("plans:suggest", "offices", query={"q": t.office.name[:2]}),
        "staff",
        lambda t: floor_suggest("organisation_office", t.office.name[:2]),
    ),
    Case(
        "county suggestions",
        ("plans:suggest",),
        lambda t: _u("plans:suggest", "counties", query={"q": t.county.name[:2]}),
        "staff",
        lambda t: floor_suggest("organisation_county", t.county.name[:2]),
    ),
    Case(
        "import page",
        ("plans:import_upload",),
        lambda t: _u("plans:import_upload"),
        "staff",
        lambda t: floor_import_page,
    ),
    Case(
        "user audit",
        ("plans:user_audit",),
        lambda t: _u("plans:user_audit", t.users["audited"].pk),
        "admin",
        lambda t: floor_user_audit(t.users["audited"].pk),
    ),
    # Drafting (plans.views.editing)
    Case(
        "edit page (largest draft)",
        ("plans:plan_edit",),
        lambda t: _u("plans:plan_edit", t.draft.pk),
        "draft_editor",
        lambda t: floor_edit(t.draft.pk),
    ),
    Case(
        "new plan page", ("plans:plan_create",), lambda t: _u("plans:plan_create"), "staff", lambda t: floor_plan_start
    ),
    # Outputs (plans.views.outputs)
    Case(
        "print (largest plan)",
        ("plans:plan_print",),
        lambda t: _u("plans:plan_print", t.plan.pk),
        "staff",
        lambda t: floor_plan_document(t.plan.pk, cached=False),
    ),
    Case(
        "plan calendar",
        ("plans:plan_calendar",),
        lambda t: _u("plans:plan_calendar", t.plan.pk),
        "staff",
        lambda t: floor_calendar(str(t.plan.pk)),
    ),
    Case(
        "office calendar, a year",
        ("plans:office_calendar",),
        lambda t: _u("plans:office_calendar", t.office.pk, t.year),
        "staff",
        lambda t: floor_calendar(
            f"SELECT id FROM plans_workplan WHERE office_id = {t.office.pk} AND plan_year = {t.year} "
            "AND revision_of_id IS NULL"
        ),
    ),
    Case(
        "Excel export (largest plan)",
        ("plans:plan_excel_export",),
        lambda t: _u("plans:plan_excel_export", t.plan.pk),
        "staff",
        lambda t: floor_plan_workbook(t.plan.pk),
        export=True,
    ),
    Case(
        "feed settings",
        ("plans:feed_settings",),
        lambda t: _u("plans:feed_settings"),
        "staff",
        # The page's year is today's, not the data's.
        lambda t: floor_feed_settings(time.localtime().tm_year),
    ),
    Case(
        "iCal feed, plan",
        ("plans:plan_feed",),
        lambda t: _u("plans:plan_feed", t.ids["feed_token"], t.plan.pk),
        None,
        lambda t: floor_feed(t.ids["feed_token"], str(t.plan.pk)),
    ),
    Case(
        "iCal feed, office",
        ("plans:office_feed",),
        lambda t: _u("plans:office_feed", t.ids["feed_token"], t.office.pk),
        None,
        lambda t: floor_feed(
            t.ids["feed_token"],
            f"SELECT id FROM plans_workplan WHERE office_id = {t.office.pk} AND plan_year BETWEEN "
            f"{t.year - 1} AND {t.year + 1} AND revision_of_id IS NULL",
        ),
    ),
    # Tracking (tracking.views.tracking)
    Case(
        "county portal (busiest county)",
        ("tracking:portal",),
        lambda t: _u("tracking:portal"),
        "county",
        lambda t: floor_portal(t.county.pk),
        FAST_BUDGET_MS,
    ),
    Case(
        "county portal, by month",
        ("tracking:portal",),
        lambda t: _u("tracking:portal", query={"view": "month"}),
        "county",
        lambda t: floor_portal(t.county.pk),
        FAST_BUDGET_MS,
    ),
    Case(
        "assignment, county user",
        ("tracking:assignment_detail",),
        lambda t: _u("tracking:assignment_detail", t.assignment.pk),
        "county",
        lambda t: floor_assignment(t.assignment.pk),
    ),
    Case(
        "plan dashboard (largest plan)",
        ("tracking:plan_dashboard",),
        lambda t: _u("tracking:plan_dashboard", t.plan.pk),
        "staff",
        lambda t: floor_dashboard(str(t.plan.pk)),
    ),
    Case(
        "office dashboard, a year",
        ("tracking:office_dashboard",),
        lambda t: _u("tracking:office_dashboard", t.office.pk, t.year - 1),
        "staff",
        lambda t: floor_dashboard(
            f"SELECT id FROM plans_workplan WHERE office_id = {t.office.pk} AND plan_year = {t.year - 1} "
            "AND status IN ('published', 'archived') AND revision_of_id IS NULL"
        ),
    ),
    Case(
        "province dashboard, a year",
        ("tracking:province_dashboard",),
        lambda t: _u("tracking:province_dashboard", _province_of(t), t.year - 1),
        "admin",
        lambda t: floor_province_dashboard(_province_of(t), t.year - 1),
    ),
    Case(
        "province dashboard, province user",
        ("tracking:province_dashboard",),
        lambda t: _u("tracking:province_dashboard", _province_of(t), t.year - 1),
        "province",
        lambda t: floor_province_dashboard(_province_of(t), t.year - 1),
    ),
    Case(
        "province dashboard Excel",
        ("tracking:province_dashboard",),
        lambda t: _u("tracking:province_dashboard", _province_of(t), t.year - 1, query={"format": "xlsx"}),
        "admin",
        lambda t: floor_province_dashboard(_province_of(t), t.year - 1),
        export=True,
    ),
    Case(
        "dashboard Excel (largest plan)",
        ("tracking:plan_dashboard",),
        lambda t: _u("tracking:plan_dashboard", t.plan.pk, query={"format": "xlsx"}),
        "staff",
        lambda t: floor_dashboard_workbook(t.plan.pk),
        export=True,
    ),
    Case(
        "publish preview (plan in review)",
        ("tracking:publish_preview",),
        lambda t: _u("tracking:publish_preview", t.in_review.pk),
        "in_review_reviewer",
        lambda t: floor_publish_preview(t.in_review.pk),
    ),
    # The inspection work (inspections.views): the register, 挂牌督导 visits, inspections,
    # findings, 整改 and the office's dashboard.
    Case(
        "school register, city staff",
        ("inspections:school_list",),
        lambda t: _u("inspections:school_list"),
        "city_staff",
        lambda t: floor_school_list(),
    ),
    Case(
        "school register, county user",
        ("inspections:school_list",),
        lambda t: _u("inspections:school_list"),
        "county",
        lambda t: floor_school_list(),
    ),
    Case(
        "register coverage, city staff",
        ("inspections:coverage",),
        lambda t: _u("inspections:coverage"),
        "city_staff",
        lambda t: floor_coverage(),
    ),
    Case(
        "zone page (largest of county)",
        ("inspections:zone_detail",),
        lambda t: _u("inspections:zone_detail", t.zone.pk),
        "county",
        lambda t: floor_zone(t.zone.pk),
    ),
    Case(
        "zone visits, a month",
        ("inspections:zone_visits",),
        lambda t: _u("inspections:zone_visits", t.zone.pk, query={"month": t.month}),
        "county",
        lambda t: floor_zone_visits(t.zone.pk, t.month),
    ),
    Case(
        "county visits, a month",
        ("inspections:county_visits",),
        lambda t: _u("inspections:county_visits", query={"county": t.county.pk, "month": t.month}),
        "county",
        lambda t: floor_county_visits(t.county.pk, t.month),
    ),
    Case(
        "我的学校 (a 督学)",
        ("inspections:my_schools",),
        lambda t: _u("inspections:my_schools"),
        "inspector",
        lambda t: floor_my_schools(t.ids["inspector"]),
    ),
    Case(
        "inspection list",
        ("inspections:inspection_list",),
        lambda t: _u("inspections:inspection_list"),
        "staff",
        lambda t: floor_inspection_list(),
    ),
    Case(
        "inspection page (most findings)",
        ("inspections:inspection_detail",),
        lambda t: _u("inspections:inspection_detail", t.inspection.pk),
        "staff",
        lambda t: floor_inspection(t.inspection.pk),
    ),
    Case(
        "inspection findings",
        ("inspections:finding_list",),
        lambda t: _u("inspections:finding_list", t.inspection.pk),
        "staff",
        lambda t: floor_findings(t.inspection.pk),
    ),
    Case(
        "整改 list, office's year",
        ("inspections:rectification_list",),
        lambda t: _u("inspections:rectification_list", query={"office": t.office.pk, "year": t.rectification.year}),
        "staff",
        lambda t: floor_rectification_list(t.office.pk, t.rectification.year),
    ),
    Case(
        "整改 item",
        ("inspections:rectification_detail",),
        lambda t: _u("inspections:rectification_detail", t.rectification.pk),
        "staff",
        lambda t: floor_rectification(t.rectification.pk),
    ),
    Case(
        "inspection dashboard, a year",
        ("inspections:inspection_dashboard",),
        lambda t: _u("inspections:inspection_dashboard", t.office.pk, t.year),
        "staff",
        lambda t: floor_inspection_dashboard(t.office.pk, t.year),
    ),
    Case(
        "inspection dashboard Excel",
        ("inspections:inspection_dashboard_xlsx",),
        lambda t: _u("inspections:inspection_dashboard_xlsx", t.office.pk, t.year),
        "staff",
        lambda t: floor_inspection_dashboard(t.office.pk, t.year),
        export=True,
    ),
    # The evaluation's results (evaluation.views.results): a large city's published ranking,
    # and a big county's sheet as the county and as the office's staff see it.
    Case(
        "evaluation ranking",
        ("evaluation:round_results",),
        lambda t: _u("evaluation:round_results", t.evaluation_round.pk),
        "evaluation_staff",
        lambda t: floor_round_results(t.evaluation_round.pk),
    ),
    Case(
        "evaluation sheet, county user",
        ("evaluation:participant_detail",),
        lambda t: _u("evaluation:participant_detail", t.evaluation_participant.pk),
        "evaluation_county",
        lambda t: floor_participant_sheet(t.evaluation_participant.pk),
    ),
    Case(
        "evaluation sheet, staff",
        ("evaluation:participant_detail",),
        lambda t: _u("evaluation:participant_detail", t.evaluation_participant.pk),
        "evaluation_staff",
        lambda t: floor_participant_sheet(t.evaluation_participant.pk),
    ),
    # The evaluation's other pages at the same scale: the comparison item by item (60 items by
    # the city's counties, against last year's), the round's page with each participant's
    # progress, the rounds list as an administrator reads it (every city's), and the sheet as
    # the inspectors score it and as the county assesses itself.
    Case(
        "evaluation comparison",
        ("evaluation:round_comparison",),
        lambda t: _u("evaluation:round_comparison", t.evaluation_round.pk),
        "evaluation_staff",
        lambda t: floor_round_comparison(t.evaluation_round.pk),
    ),
    Case(
        "evaluation round page",
        ("evaluation:round_detail",),
        lambda t: _u("evaluation:round_detail", t.evaluation_round.pk),
        "evaluation_staff",
        lambda t: floor_round_page(t.evaluation_round.pk),
    ),
    Case(
        "evaluation round list, admin",
        ("evaluation:round_list",),
        lambda t: _u("evaluation:round_list"),
        "admin",
        lambda t: floor_round_list(),
    ),
    Case(
        "evaluation scoring sheet",
        ("evaluation:scoring",),
        lambda t: _u("evaluation:scoring", t.evaluation_participant.pk),
        "evaluation_staff",
        lambda t: floor_score_sheet(t.evaluation_participant.pk, self_assessment=False),
    ),
    Case(
        "evaluation self-assessment, county user",
        ("evaluation:self_assessment",),
        lambda t: _u("evaluation:self_assessment", t.evaluation_participant.pk),
        "evaluation_county",
        lambda t: floor_score_sheet(t.evaluation_participant.pk, self_assessment=True),
    ),
]


# --- Measuring ------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    url: str
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    sql_ms: float | None = None
    floor_ms: float | None = None
    render_ms: float | None = None
    render_bytes: int | None = None
    # What any signed-in page costs its user before its own content, SQL left out (request_floor)
    request_ms: float | None = None
    budget_ms: float | None = None
    bytes: int | None = None
    first_ms: float | None = None  # the first request of the run (templates compiled, caches cold)
    # The later warming requests' median: a connection still planning the page's statements on
    # each run (warm_requests).
    warming_ms: float | None = None
    gc_ms: list = field(default_factory=list)  # per timed request, collecting garbage
    gc_full: int | None = None  # full collections during the timed requests
    p95_without_gc_ms: float | None = None
    sql_p95_ms: float | None = None  # a query plan that flips shows here
    # CPU time of a request, median: this process (the whole of Django's work) and the database
    # server's backend serving it (PostgreSQL on this machine). Unlike the wall times, these hardly
    # move when other work shares the CPUs, so runs on a busy machine can still be compared.
    cpu_ms: float | None = None
    server_cpu_ms: float | None = None
    skipped: str = ""

    @property
    def ratio(self) -> float | None:
        """The page's median against what it cannot avoid: its SQL floor and its render floor."""
        if not self.median_ms or not self.floor_ms:
            return None
        return self.median_ms / (self.floor_ms + (self.render_ms or 0.0))

    @property
    def ratio_all(self) -> float | None:
        """The median against the two floors and the request floor: the page's own work against
        the plainest means of it, once what every page costs is counted."""
        if self.ratio is None or self.request_ms is None:
            return None
        return self.median_ms / (self.floor_ms + (self.render_ms or 0.0) + self.request_ms)

    @property
    def out_of_reach(self) -> bool:
        """Over 3× the SQL and render floors even if the page did nothing but them: its request
        floor alone is more than twice those two floors, so no page served by Django's request
        cycle (middleware, session, the signed-in chrome) can be within ×floor."""
        if self.request_ms is None or not self.floor_ms:
            return False
        floors = self.floor_ms + (self.render_ms or 0.0)
        return (floors + self.request_ms) / floors > FLOOR_RATIO

    @property
    def faults(self) -> list[str]:
        """What is over budget: the median, the ratio to all three floors (×all; ×floor where the
        page has no request floor), a p95 over twice the median."""
        faults = []
        if self.budget_ms and self.median_ms > self.budget_ms:
            faults.append("median")
        judged = self.ratio_all if self.ratio_all is not None else self.ratio
        if (judged or 0) > FLOOR_RATIO:
            faults.append("×all" if self.ratio_all is not None else "×floor")
        if self.p95_ms > P95_TO_MEDIAN * self.median_ms:
            faults.append("p95")
        return faults


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class GcTimer:
    """Time spent collecting garbage, and the full collections, while installed in gc.callbacks."""

    def __init__(self):
        self.seconds, self.full, self._start = 0.0, 0, 0.0

    def __call__(self, phase, info):
        if phase == "start":
            self._start = time.perf_counter()
            return
        self.seconds += time.perf_counter() - self._start
        self.full += info["generation"] == 2


def _backend_pid() -> int | None:
    """The PostgreSQL backend serving this process's connection, when it runs on this machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    return pid if Path(f"/proc/{pid}/schedstat").exists() else None


def _server_cpu(pid: int | None) -> float | None:
    """Seconds a backend has run on a CPU (the scheduler's count, in nanoseconds: exact, unlike
    the 10 ms ticks of /proc/PID/stat)."""
    if pid is None:
        return None
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


class SqlTimer:
    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def explain(queries: list[dict], slower_than_ms: float) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    for query in queries:
        if float(query["time"]) * 1000 < slower_than_ms:
            continue
        print(f"\n  {float(query['time']) * 1000:.1f} ms: {query['sql'][:1000]}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            for (line,) in cursor.fetchall():
                print(f"    {line}")


# PostgreSQL plans a prepared statement's first five runs for their values before it weighs a
# generic plan (plancache.c: choose_custom_plan).
POSTGRES_CUSTOM_PLANS = 5


def warm_requests() -> int:
    """Requests of a page (and runs of its floors) before the timed ones. The first compiles
    templates and fills caches. On PostgreSQL a connection also plans each statement anew on its
    first prepare_threshold runs (psycopg prepares it on the next) and on the five after (custom
    plans): a page's queries settle on their plans from its run prepare_threshold + 6 on, which
    is what a server's connection serves once warm. Timed earlier, the 20 requests held nine of
    these, and the median sat on the edge between the two (a county user's county page: 12 ms
    planning, 6 ms once planned)."""
    from django.db import connection

    threshold = connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold")
    if connection.vendor != "postgresql" or threshold is None:
        return 2
    return threshold + POSTGRES_CUSTOM_PLANS + 1


def measure(
    case: Case,
    client,
    url: str,
    n: int,
    floor_db: Floor | None,
    floor,
    auth,
    profile: bool,
    explain_ms: float | None = None,
) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = Result(case.name, url, budget_ms=case.budget_ms)
    warming = []
    for warm in range(warm_requests()):
        if case.before:
            case.before()
        start = time.perf_counter()
        response = client.get(url)
        page = _body(response)
        if not warm:
            result.first_ms = (time.perf_counter() - start) * 1000
        else:
            warming.append(time.perf_counter() - start)
        if response.status_code != 200:
            result.skipped = f"HTTP {response.status_code}"
            return result
        result.bytes = len(page)
    result.warming_ms = statistics.median(warming) * 1000 if warming else None
    times, sql, cpu, server_cpu, collecting = [], [], [], [], GcTimer()
    gc.callbacks.append(collecting)
    try:
        for _ in range(n):
            if case.before:
                case.before()
            timer = SqlTimer()
            collected = collecting.seconds
            pid = _backend_pid()
            with connection.execute_wrapper(timer):
                server_start = _server_cpu(pid)
                cpu_start = time.process_time()
                start = time.perf_counter()
                response = client.get(url)
                _body(response)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - cpu_start)
                server_end = _server_cpu(pid)
            if server_start is not None and server_end is not None:
                server_cpu.append(server_end - server_start)
            sql.append(timer.seconds)
            result.gc_ms.append(round((collecting.seconds - collected) * 1000, 2))
    finally:
        gc.callbacks.remove(collecting)
    result.gc_full = collecting.full
    if case.before:
        case.before()
    with CaptureQueriesContext(connection) as captured:
        _body(client.get(url))
    # Read now: the next request empties the connection's query log.
    queries = list(captured.captured_queries)
    if explain_ms is not None:
        print(f"\n--- queries of {case.name} ({url})")
        explain(queries, explain_ms)
    if profile:
        import cProfile
        import pstats

        if case.before:
            case.before()
        profiler = cProfile.Profile()
        profiler.enable()
        _body(client.get(url))
        profiler.disable()
        print(f"\n--- profile: {case.name}")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        for query in queries:
            print(f"  [{query['time']}] {query['sql'][:600]}")
    result.median_ms = statistics.median(times) * 1000
    result.p95_ms = _percentile(times, 0.95) * 1000
    result.p95_without_gc_ms = _percentile([t * 1000 - g for t, g in zip(times, result.gc_ms)], 0.95)
    result.queries = len(queries)
    result.sql_ms = statistics.median(sql) * 1000
    result.sql_p95_ms = _percentile(sql, 0.95) * 1000
    result.cpu_ms = statistics.median(cpu) * 1000
    if server_cpu:
        result.server_cpu_ms = statistics.median(server_cpu) * 1000
    if floor is not None and floor_db is not None:
        for _ in range(warm_requests()):
            floor(floor_db, auth)
        floor_times = []
        for _ in range(n):
            start = time.perf_counter()
            floor(floor_db, auth)
            floor_times.append(time.perf_counter() - start)
        result.floor_ms = statistics.median(floor_times) * 1000
        if _textual(response) or response.get("Content-Type", "").startswith(XLSX):
            rowsets = floor_db.read(floor, auth)
            render = RenderFloor.of(page, rowsets) if _textual(response) else WorkbookFloor(page, rowsets)
            result.render_bytes = len(render.render(rowsets))
            render_times = []
            for _ in range(n):
                start = time.perf_counter()
                render.render(rowsets)
                render_times.append(time.perf_counter() - start)
            result.render_ms = statistics.median(render_times) * 1000
    return result


def clients_for(targets: Targets) -> dict:
    from django.test import Client

    clients = {None: Client()}
    for key, user in targets.users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            clients[key] = client
    return clients


REQUEST_FLOOR_PATH = "/__bench__/request-floor/"
# What a request without a session costs (an iCalendar feed's, signed by the secret in its address).
ANONYMOUS_FLOOR_PATH = "/__bench__/anonymous-floor/"


def _request_floor_urls() -> str:
    """A URLconf with the request floor's page beside the project's (the name of its module)."""
    import types

    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.shortcuts import render
    from django.urls import include, path

    name = "bench_request_floor_urls"
    if name not in sys.modules:

        @login_required
        def empty_page(request):
            return render(request, "bench/request_floor.html")

        def empty_response(request):
            return HttpResponse(b"", content_type="text/calendar; charset=utf-8")

        module = types.ModuleType(name)
        module.urlpatterns = [
            path(REQUEST_FLOOR_PATH[1:], empty_page),
            path(ANONYMOUS_FLOOR_PATH[1:], empty_response),
            path("", include(settings.ROOT_URLCONF)),
        ]
        sys.modules[name] = module
    return name


@contextlib.contextmanager
def request_floor_urls():
    """While open, REQUEST_FLOOR_PATH answers a signed-in user with the site's chrome around an
    empty <main> (base.html extended by nothing; its template in memory, compiled once)."""
    from django.template import engines
    from django.test import override_settings

    engine = engines["django"].engine
    if not hasattr(engine, "_bench_templates"):
        from django.template.loaders.cached import Loader

        engine._bench_templates = {"bench/request_floor.html": '{% extends "base.html" %}'}
        locmem = ("django.template.loaders.locmem.Loader", engine._bench_templates)
        engine.template_loaders.insert(0, Loader(engine, [locmem]))
    with override_settings(ROOT_URLCONF=_request_floor_urls()):
        yield


def request_floor(client, n: int, path: str = REQUEST_FLOOR_PATH) -> float:
    """The request floor of `client`'s user, in ms: the median time of a signed-in page with
    nothing of its own (session, user, memberships, middleware, the menu and header around an
    empty <main>), less the time of its queries, which the SQL floors count already (a page's
    sign-in is part of its floor). Neither the SQL floor nor the render floor holds this: a page
    that reads and shows nothing costs it. With ANONYMOUS_FLOOR_PATH, an empty response to a
    visitor with no session: the middleware alone, a feed's floor (its secret is its SQL floor's)."""
    from django.db import connection

    with request_floor_urls():
        for _ in range(warm_requests()):
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"request floor: {response.status_code}")
        spent = []
        for _ in range(n):
            timer = SqlTimer()
            with connection.execute_wrapper(timer):
                start = time.perf_counter()
                _body(client.get(path))
                spent.append(time.perf_counter() - start - timer.seconds)
    return statistics.median(spent) * 1000


def run_cases(
    cases, targets: Targets, n: int, floor_db: Floor | None, profile: bool, explain_ms: float | None = None
) -> list[Result]:
    from django.urls import NoReverseMatch

    clients = clients_for(targets)
    results = []

    def skip(case, why):
        results.append(Result(case.name, "", skipped=why))
        print(_line(results[-1]), flush=True)

    for case in cases:
        if not all(_url_exists(name) for name in case.needs):
            skip(case, f"not in this checkout ({', '.join(case.needs)})")
            continue
        if case.user is not None and case.user not in clients:
            skip(case, f"no {case.user} in the data")
            continue
        try:
            url = case.url(targets)
        except NoReverseMatch as exc:
            # A URL name this checkout knows with other arguments, or a page still to come.
            skip(case, f"URL does not resolve ({exc})")
            continue
        except (AttributeError, TypeError, KeyError) as exc:
            skip(case, f"no target ({exc})")
            continue
        client = clients[case.user]
        auth = Auth(client, targets.users[case.user]) if case.user else None
        floor = case.floor(targets) if case.floor else None
        result = measure(case, client, url, n, floor_db, floor, auth, profile, explain_ms)
        if result.ratio is not None:
            # Measured beside each case, not once a user: a floor taken while the machine was
            # busier (after generating the data, say) made every later ratio of that user look better
            # or worse than the page (1.4 against 2.4 ms for the same user in two runs).
            result.request_ms = request_floor(client, n, REQUEST_FLOOR_PATH if case.user else ANONYMOUS_FLOOR_PATH)
        results.append(result)
        print(_line(result), flush=True)
    return results


def mixed_rounds(cases, targets: Targets, rounds: int) -> dict:
    """Every page in turn, `rounds` times, on one connection: what a worker serving them all
    spends a request, once its connection has seen each page as often as it will. The table
    times a page alone, its statements the only ones the connection runs meanwhile; here they
    compete for the statements the connection keeps prepared (DATABASE_PREPARED_MAX)."""
    from django.db import connection
    from django.urls import NoReverseMatch

    clients = clients_for(targets)
    pages = []
    for case in cases:
        if case.export or not all(_url_exists(name) for name in case.needs) or case.user not in clients:
            continue
        try:
            pages.append((case, clients[case.user], case.url(targets)))
        except (NoReverseMatch, AttributeError, TypeError, KeyError):
            continue
    out = {"pages": len(pages), "rounds": []}
    print(f"\n{len(pages)} pages in turn, {rounds} rounds on one connection; a request's mean:")
    print(f"{'round':>5}{'ms':>8}{'SQL':>8}{'CPU':>8}{'DB CPU':>8}")
    for number in range(1, rounds + 1):
        timer = SqlTimer()
        pid = _backend_pid()
        with connection.execute_wrapper(timer):
            server_start, cpu_start, start = _server_cpu(pid), time.process_time(), time.perf_counter()
            for case, client, url in pages:
                if case.before:
                    case.before()
                _body(client.get(url))
            elapsed, cpu, server_end = time.perf_counter() - start, time.process_time() - cpu_start, _server_cpu(pid)
        server = server_end - server_start if server_start is not None and server_end is not None else None
        row = {
            "ms": elapsed * 1000 / len(pages),
            "sql_ms": timer.seconds * 1000 / len(pages),
            "cpu_ms": cpu * 1000 / len(pages),
            "server_cpu_ms": server * 1000 / len(pages) if server is not None else None,
        }
        out["rounds"].append(row)
        print(f"{number:>5}{row['ms']:>8.2f}{row['sql_ms']:>8.2f}{row['cpu_ms']:>8.2f}{_ms(row['server_cpu_ms']):>8}")
    last = out["rounds"][-max(3, rounds // 4) :]
    out["last"] = {key: statistics.mean(r[key] for r in last) for key in last[0] if last[0][key] is not None}
    print(f"the last {len(last)} rounds: " + ", ".join(f"{key} {value:.2f}" for key, value in out["last"].items()))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            out["prepared"] = cursor.fetchone()[0]
            cursor.execute("SELECT sum(total_bytes) FROM pg_backend_memory_contexts WHERE name LIKE 'CachedPlan%%'")
            out["plan_cache_mb"] = float(cursor.fetchone()[0] or 0) / 1e6
        print(
            f"statements prepared on the connection: {out['prepared']} (DATABASE_PREPARED_MAX "
            f"{connection.connection.prepared_max}), their plans {out['plan_cache_mb']:.1f} MB of the server's memory"
        )
    return out


def _url_exists(name: str) -> bool:
    from django.urls import get_resolver

    resolver = get_resolver()
    namespace, _, short = name.rpartition(":")
    if namespace:
        if namespace not in resolver.namespace_dict:
            return False
        resolver = resolver.namespace_dict[namespace][1]
    return short in resolver.reverse_dict


# --- Excel export throughput -----------------------------------------------------------------------


@contextlib.contextmanager
def _plan_enlarged(plan, copies: int):
    """A draft holding `copies` times `plan`'s tasks (with their counties) and calendar lines,
    inside a transaction rolled back when the block ends."""
    import uuid

    from django.db import transaction

    from plans.models import ScheduleEntry, Task, TaskTarget, WorkPlan

    with transaction.atomic():
        big = WorkPlan.objects.get(pk=plan.pk)
        big.pk, big.doc_number, big.revision_of = None, "", None
        big.status, big.issue_date = WorkPlan.Status.DRAFT, None
        big._state.adding = True  # a new row (WorkPlan.save updates only the fields of a row read)
        big.save()
        tasks = list(Task.objects.filter(plan=plan).order_by("number"))
        targets = {}
        for task_id, county_id in TaskTarget.objects.filter(task__plan=plan).values_list("task_id", "county_id"):
            targets.setdefault(task_id, []).append(county_id)
        entries = list(ScheduleEntry.objects.filter(plan=plan).order_by("position"))
        new_tasks, new_entries, new_targets, copied = [], [], [], {}
        for copy in range(copies):
            for task in tasks:
                clone = Task(
                    plan=big,
                    key=uuid.uuid4(),
                    number=copy * len(tasks) + task.number,
                    label="",
                    title=task.title,
                    text=task.text,
                    lead_unit=task.lead_unit,
                    addresses_all_counties=task.addresses_all_counties,
                )
                new_tasks.append(clone)
                copied[(copy, task.pk)] = clone
        Task.objects.bulk_create(new_tasks, batch_size=1000)
        for (_copy, old), clone in copied.items():
            new_targets += [TaskTarget(task=clone, county_id=c) for c in targets.get(old, [])]
        TaskTarget.objects.bulk_create(new_targets, batch_size=1000)
        for copy in range(copies):
            for entry in entries:
                new_entries.append(
                    ScheduleEntry(
                        plan=big,
                        key=uuid.uuid4(),
                        position=copy * len(entries) + entry.position,
                        task=copied.get((copy, entry.task_id)),
                        period=entry.period,
                        start_month=entry.start_month,
                        end_month=entry.end_month,
                        months=entry.months,
                        granularity=entry.granularity,
                        deadline_day=entry.deadline_day,
                        text=entry.text,
                        lead_unit=entry.lead_unit,
                    )
                )
        ScheduleEntry.objects.bulk_create(new_entries, batch_size=1000)
        try:
            yield big
        finally:
            transaction.set_rollback(True)


def excel_throughput(plan, copies: int = 60) -> dict | None:
    """plan_workbook_write on the largest plan, and on a plan with `copies` times its tasks and
    calendar lines (_plan_enlarged): rows a second, and the peak memory of each (flat: the same
    whatever the rows): Python's (tracemalloc) and the process's (peak RSS after the write;
    scripts/bench_excel.py measures the writer alone, a process a size). Alone:
    `bench_pages.py --database-url … --as-is --only excel`."""
    import resource

    try:
        from plans.outputs.excel import plan_workbook_write
    except ImportError:
        return None
    import tempfile
    import tracemalloc

    from plans.models import ScheduleEntry, Task

    def write(target) -> tuple[int, float, int]:
        rows = Task.objects.filter(plan=target).count() + ScheduleEntry.objects.filter(plan=target).count()
        times = []
        for _ in range(3):
            with tempfile.TemporaryFile() as stream:
                start = time.perf_counter()
                plan_workbook_write(plan=target, stream=stream)
                times.append(time.perf_counter() - start)
        tracemalloc.start()
        with tempfile.TemporaryFile() as stream:
            plan_workbook_write(plan=target, stream=stream)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return rows, min(times), peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    small = write(plan)
    with _plan_enlarged(plan, copies) as big:
        large = write(big)
    result = {
        "largest_plan": {
            "rows": small[0],
            "seconds": round(small[1], 4),
            "rows_per_s": round(small[0] / small[1]),
            "peak_mib": round(small[2] / 2**20, 2),
            "peak_rss_mib": round(small[3] / 2**20, 1),
        },
        f"{copies}x_largest": {
            "rows": large[0],
            "seconds": round(large[1], 4),
            "rows_per_s": round(large[0] / large[1]),
            "peak_mib": round(large[2] / 2**20, 2),
            "peak_rss_mib": round(large[3] / 2**20, 1),
        },
        # What each further row costs, without the workbook's fixed cost.
        "marginal_rows_per_s": round((large[0] - small[0]) / max(large[1] - small[1], 1e-9)),
    }
    print(
        f"\nExcel export (plan_workbook_write, best of 3; memory: tracemalloc peak, process peak RSS), "
        f"≥ {EXPORT_ROWS_PER_SECOND:,} rows/s"
    )
    for name, row in result.items():
        if isinstance(row, dict):
            print(
                f"  {name:<18}{row['rows']:>8,} rows {row['seconds'] * 1000:>8.0f} ms {row['rows_per_s']:>9,} rows/s "
                f"peak {row['peak_mib']:.1f} MiB, RSS {row['peak_rss_mib']:.1f} MiB"
            )
    print(f"  {'marginal':<18}{result['marginal_rows_per_s']:>35,} rows/s")
    return result


def excel_import_time(plan, rows: int = IMPORT_SHEET_ROWS) -> dict | None:
    """A schedule sheet of at least `rows` rows, exported from a draft as large (_plan_enlarged)
    and every line's work text edited, read back: the preview (schedule_workbook_read) and the
    import that writes it (plan_schedule_import), each timed once, all rolled back."""
    try:
        from plans.outputs.excel import plan_workbook_write
        from plans.outputs.excel_import import plan_schedule_import, schedule_workbook_read
    except ImportError:
        return None
    import io

    from django.contrib.auth import get_user_model
    from openpyxl import load_workbook

    from plans.models import ScheduleEntry

    lines = ScheduleEntry.objects.filter(plan=plan).count()
    if not lines:
        return None
    copies = -(-rows // lines)
    editor = get_user_model().objects.filter(is_superuser=True).first()
    with _plan_enlarged(plan, copies) as big:
        exported = io.BytesIO()
        plan_workbook_write(plan=big, stream=exported)
        workbook = load_workbook(io.BytesIO(exported.getvalue()))
        edited = 0
        for sheet in workbook.worksheets:
            header = next((row for row in sheet.iter_rows(max_row=5) if any(c.value == "工作内容" for c in row)), None)
            if header is None:
                continue
            column = next(c.column for c in header if c.value == "工作内容")
            for (cell,) in sheet.iter_rows(min_row=header[0].row + 1, min_col=column, max_col=column):
                if cell.value:
                    cell.value = f"{cell.value}（修订）"
                    edited += 1
        data = io.BytesIO()
        workbook.save(data)
        data = data.getvalue()
        start = time.perf_counter()
        preview = schedule_workbook_read(data=data, plan=big)
        read_s = time.perf_counter() - start
        start = time.perf_counter()
        plan_schedule_import(plan=big, data=data, expected_version=big.version, acting_user=editor)
        import_s = time.perf_counter() - start
    result = {
        "sheet_rows": preview.entry_rows,
        "edited": edited,
        "file_kib": round(len(data) / 1024),
        "row_errors": len(preview.errors),
        "preview_s": round(read_s, 2),
        "import_s": round(import_s, 2),
    }
    print(
        f"\nExcel import of a {result['sheet_rows']:,}-row schedule sheet ({result['file_kib']:,} KiB, "
        f"every line's text edited), under {IMPORT_SECONDS} s: preview {read_s:.2f} s, "
        f"import (preview, checks and writing) {import_s:.2f} s"
    )
    return result


# --- Output -----------------------------------------------------------------------------------------


HEADER = (
    f"{'case':<34}{'median':>8}{'p95':>8}{'queries':>8}{'SQL':>8}{'SQL fl.':>8}{'render':>8}"
    f"{'×floor':>8}{'req fl.':>8}{'×all':>6}{'budget':>8}{'CPU':>7}{'DB CPU':>7}  verdict"
)


def _ms(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def _line(result: Result) -> str:
    if result.skipped:
        return f"{result.name:<34}  skipped: {result.skipped}"
    ratio = "—" if result.ratio is None else f"{result.ratio:.1f}"
    ratio_all = "—" if result.ratio_all is None else f"{result.ratio_all:.1f}"
    faults = result.faults
    verdict = "ok" if not faults else "over: " + ", ".join(faults)
    return (
        f"{result.name:<34}{_ms(result.median_ms):>8}{_ms(result.p95_ms):>8}{result.queries:>8}"
        f"{_ms(result.sql_ms):>8}{_ms(result.floor_ms):>8}{_ms(result.render_ms):>8}{ratio:>8}"
        f"{_ms(result.request_ms):>8}{ratio_all:>6}{result.budget_ms:>8.0f}{_ms(result.cpu_ms):>7}{_ms(result.server_cpu_ms):>7}  {verdict}"
    )


def report(results: list[Result], title: str) -> None:
    print()
    print(title)
    print(
        "times in ms; SQL: time in queries; SQL fl.: the same data by hand-written SQL; render: the page's bytes "
        "from those rows by an f-string (a workbook: by XlsxWriter, a row a call); ×floor: median / (SQL fl. + render); req fl.: a signed-in page with "
        "nothing of its own (a feed: an empty response to a visitor), its SQL left out; ×all: median / (SQL fl. + render + req fl.); budget: ms median, and ≤ "
        f"{FLOOR_RATIO:g}× the three floors (×all), p95 ≤ {P95_TO_MEDIAN:g}× the median; CPU: this process's CPU time a "
        "request (median), DB CPU: the database server's for it"
    )
    print(HEADER)
    for result in results:
        print(_line(result))
    measured = [r for r in results if not r.skipped]
    over = [r for r in measured if r.faults]
    print(f"{len(measured) - len(over)} of {len(measured)} within budget")
    floored = [r for r in measured if r.ratio_all is not None]
    if floored:
        within = [r for r in floored if r.ratio_all <= FLOOR_RATIO]
        print(
            f"within {FLOOR_RATIO:g}× the SQL, render and request floors: {len(within)} of {len(floored)}; over: "
            + (", ".join(f"{r.name} {r.ratio_all:.1f}" for r in floored if r.ratio_all > FLOOR_RATIO) or "none")
        )
        strict = [r for r in floored if r.ratio <= FLOOR_RATIO]
        over = [r for r in floored if r.ratio > FLOOR_RATIO]
        unreachable = [r for r in over if r.out_of_reach]
        print(
            f"within {FLOOR_RATIO:g}× the SQL and render floors alone (×floor): {len(strict)} of {len(floored)}; "
            f"of the {len(over)} over, {len(unreachable)} would be over even doing nothing but their floors (their "
            f"request floor alone is more than {FLOOR_RATIO - 1:g}× their SQL and render floors)"
            + (
                f"; the others: {', '.join(f'{r.name} {r.ratio:.1f}' for r in over if not r.out_of_reach)}"
                if len(over) > len(unreachable)
                else ""
            )
        )
    spread = [r for r in measured if "p95" in r.faults]
    if spread:
        calm = [r for r in spread if r.p95_without_gc_ms <= P95_TO_MEDIAN * r.median_ms]
        print(
            f"p95 over {P95_TO_MEDIAN:g}× the median: {len(spread)} ({', '.join(r.name for r in spread)}); "
            f"{len(calm)} of them within it with the time spent collecting garbage taken out; "
            f"{sum(r.sql_p95_ms > P95_TO_MEDIAN * r.sql_ms for r in spread)} with SQL's own p95 over "
            f"{P95_TO_MEDIAN:g}× its median"
        )
    warming = [r for r in measured if r.warming_ms and r.median_ms]
    if warming and warm_requests() > 2:
        ratios = sorted(r.warming_ms / r.median_ms for r in warming)
        print(
            f"timed after {warm_requests()} requests a page (the connection's statements prepared and planned "
            f"once); the requests before, the first left out: {statistics.median(ratios):.1f}× the median on "
            f"the median page, up to {ratios[-1]:.1f}× ({max(warming, key=lambda r: r.warming_ms / r.median_ms).name})"
        )
    full = sum(r.gc_full or 0 for r in measured)
    print(f"garbage collection: {full} full collections, {sum(sum(r.gc_ms) for r in measured):.0f} ms in all")


def gc_setup(mode: str) -> dict:
    """Garbage collection as the production server sets it up (supervision.wsgi calls
    supervision.collector once the app is loaded), as Python has it, or off."""
    if mode == "production":
        from supervision.collector import collector_settle

        collector_settle()
    elif mode == "default":
        gc.unfreeze()
        gc.set_threshold(700, 10, 10)
    else:
        gc.disable()
    return {"mode": mode, "thresholds": gc.get_threshold(), "frozen": gc.get_freeze_count()}


def machine() -> dict:
    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 2**20, 1)
                break
    except OSError:
        pass
    return info


# --- The seeds' ratios (SQLite) -------------------------------------------------------------------


def seed_ratios(n: int) -> dict:
    """As the team's page_speed hook measures them: the plan list and the largest seed plan's
    page against the login page, with just the five seeds."""
    from django.test import Client

    from demo.showcase import demo_accounts_create
    from plans.models import WorkPlan
    from plans.services import work_plan_import

    for path in sorted(SEEDS_DIR.glob("*.txt")):
        work_plan_import(data=path.read_bytes(), source_name=path.name, publish=True)
    demo_accounts_create(password="bench-pass-2026")
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    staff, county = Client(), Client()
    staff.force_login(users.get(username="staff"))
    county.force_login(users.get(username="county"))
    biggest = max(WorkPlan.objects.all(), key=lambda p: p.tasks.count())

    def median(client, url):
        for _ in range(3):
            client.get(url)
        times = []
        for _ in range(n):
            start = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    from django.urls import reverse

    login = median(Client(), reverse("login"))
    rows = {
        "plan list, staff": (median(staff, reverse("plans:plan_list")), LIST_TO_LOGIN),
        "plan list, county": (median(county, reverse("plans:plan_list")), LIST_TO_LOGIN),
        "plan page (largest seed), staff": (median(staff, biggest.get_absolute_url()), DETAIL_TO_LOGIN),
    }
    print("\nThe five seeds on SQLite, against the login page (the page_speed hook's bars)")
    print(f"  login page {login:.1f} ms")
    out = {"login_ms": round(login, 2)}
    for name, (ms, bar) in rows.items():
        print(f"  {name:<34}{ms:>7.1f} ms  {ms / login:>5.1f}× the login page (bar ≤ {bar:g})")
        out[name] = {"ms": round(ms, 2), "ratio": round(ms / login, 2), "bar": bar}
    return out


# --- Main ---------------------------------------------------------------------------------------------


YEARS_RATIO = 1.2  # issue 21: twice the years, each page within 1.2× of itself


def _cpu(case: dict) -> float | None:
    if case.get("cpu_ms") is None:
        return None
    return case["cpu_ms"] + (case.get("server_cpu_ms") or 0.0)


def compare(before_path: Path, after_path: Path) -> int:
    """Each page's median and CPU time in two runs (say 10 and 20 years of data) and their ratios.
    The verdict goes by the CPU time (this process's and the database server's for the request)
    when both runs have it: it stays put when other work shares the machine, where medians move
    by half or twice from one run to the next."""
    before, after = (json.loads(path.read_text()) for path in (before_path, after_path))
    old = {c["name"]: c for c in before["cases"]}
    print(
        f"{before_path.name} ({before.get('years', '?')} years) → {after_path.name} ({after.get('years', '?')} "
        f"years); budget ≤ {YEARS_RATIO:g}×, by CPU time where both runs have it"
    )
    print(f"{'case':<40}{'median':>8}{'median':>8}{'ratio':>7}{'CPU':>8}{'CPU':>8}{'ratio':>7}{'queries':>10}  verdict")
    over = 0
    for case in after["cases"]:
        was = old.get(case["name"])
        if was is None or not was.get("median_ms"):
            continue
        ratio = case["median_ms"] / was["median_ms"]
        cpu_was, cpu_now = _cpu(was), _cpu(case)
        cpu_ratio = cpu_now / cpu_was if cpu_was and cpu_now is not None else None
        judged = cpu_ratio if cpu_ratio is not None else ratio
        over += judged > YEARS_RATIO
        queries = f"{was['queries']}→{case['queries']}"
        cpu_cells = (
            f"{cpu_was:>8.1f}{cpu_now:>8.1f}{cpu_ratio:>7.2f}" if cpu_ratio is not None else f"{'—':>8}{'—':>8}{'—':>7}"
        )
        print(
            f"{case['name']:<40}{was['median_ms']:>8.1f}{case['median_ms']:>8.1f}{ratio:>7.2f}{cpu_cells}"
            f"{queries:>10}  " + ("ok" if judged <= YEARS_RATIO else "over")
        )
    print(f"{over} pages over {YEARS_RATIO:g}×")
    return 0


def main() -> int:
    args = arguments()
    if args.compare:
        return compare(*args.compare)
    sqlite = args.sqlite
    scale = args.scale or ("city" if sqlite else "national")
    with tempfile.TemporaryDirectory(prefix="bench_pages_") as tmp:
        if sqlite:
            database_url, label = args.database_url or f"sqlite:///{tmp}/bench.sqlite3", "sqlite"
        else:
            database_url, label = args.database_url or POSTGRES_URL, "postgresql"
            postgres_database_ensure(database_url)
        django_setup(database_url)
        from django.db import connection, connections

        out = {
            "database": label,
            "scale": scale,
            "seed": args.seed,
            "years": args.years,
            "as_of": args.as_of,
            "requests": args.requests,
            "client": "django.test.Client (in-process)",
            "machine": machine(),
            "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                out["server"] = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            import sqlite3

            out["server"] = f"SQLite {sqlite3.sqlite_version}"
        if args.as_is:
            print("measuring the database as it is")
        else:
            if sqlite:
                from django.core.management import call_command

                call_command("migrate", verbosity=0)
                out["seeds"] = seed_ratios(args.requests)
            out.update(data_ensure(scale=scale, seed=args.seed, as_of=args.as_of, years=args.years))
        like = json.loads(args.targets_like.read_text()).get("targets") if args.targets_like else None
        targets = targets_find(int(args.as_of[:4]), like)
        out["targets"] = {
            "office": targets.office.name,
            "plan": str(targets.plan),
            "county": targets.county.name,
            "county_city": targets.county.city.name,
            "revised": str(targets.revised),
            "plan_size": _size(targets.plan),
            "revised_size": _size(targets.revised),
            "draft": str(targets.draft),
            "draft_size": _size(targets.draft),
            "in_review_size": _size(targets.in_review),
        }
        out["gc"] = gc_setup(args.gc)
        cases = [c for c in CASES if not args.only or any(o in c.name for o in args.only)]
        floor_db = Floor(connection.settings_dict)
        print(
            f"\n{label}, {scale} scale, seed {args.seed}: {args.requests} requests per case through the "
            f"test client; largest plan #{targets.plan.pk} ({targets.plan}), busiest county "
            f"{targets.county} (#{targets.county.pk})"
        )
        if args.rounds:
            floor_db.close()
            out["mixed"] = mixed_rounds(cases, targets, args.rounds)
            path = args.json or RESULTS / f"{label}-{scale}-mixed.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(out, ensure_ascii=False, indent=1, default=str))
            connections.close_all()
            return 0
        print(HEADER)
        try:
            results = run_cases(cases, targets, args.requests, floor_db, args.profile, args.explain)
        finally:
            floor_db.close()
        out["machine"]["load_average_after"] = os.getloadavg()
        load = "/".join(f"{x:.1f}" for x in out["machine"]["load_average"])
        report(
            results,
            f"{out['server']}, {scale} scale (seed {args.seed}), median of {args.requests}; "
            f"load average before the run {load} on {os.cpu_count()} CPUs",
        )
        out["cases"] = [asdict(r) | {"ratio": r.ratio, "faults": r.faults} for r in results if not r.skipped]
        out["skipped"] = [asdict(r) for r in results if r.skipped]
        if (not args.only or "excel" in args.only) and not args.no_excel:
            out["excel"] = excel_throughput(targets.plan)
            out["excel_import"] = excel_import_time(targets.plan)
        path = args.json or RESULTS / f"{label}-{scale}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(out, ensure_ascii=False, indent=1, default=str))
        print(f"\nwritten to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
