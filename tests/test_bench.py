"""The benchmark's pure parts (scripts/bench_pages.py): the render floor and the verdict; and
the garbage collection the server processes are set up with; the CPU time it reads."""

import gc
import importlib.util
import json

import pytest
from django.conf import settings

spec = importlib.util.spec_from_file_location("bench_pages", settings.BASE_DIR / "scripts" / "bench_pages.py")
bench_pages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_pages)

PAGE = (
    '<!DOCTYPE html><html><head><title>计划</title></head><body><nav>菜单</nav><main class="site-main">'
    + '<table class="table">'
    + "".join(f'<tr><td><a href="/plans/{n}/">第{n}个计划</a></td><td class="num">{n * 3}</td></tr>' for n in range(40))
    + "</table></main><footer>页脚</footer></body></html>"
)
ROWS = [[(n, f"第{n}个计划", n * 3) for n in range(40)], [(2026, 40)]]


def test_the_render_floor_writes_the_pages_chrome_and_every_value_at_the_pages_length():
    floor = bench_pages.RenderFloor.of(PAGE.encode(), ROWS)
    written = floor.render(ROWS).decode()

    assert written.startswith(PAGE[: PAGE.index("<main")])
    assert written.endswith("</main><footer>页脚</footer></body></html>")
    assert all(f"<td>第{n}个计划</td>" in written for n in range(40))
    assert abs(len(written) - len(PAGE)) <= len(ROWS[0])


def test_the_render_floor_escapes_values_and_writes_no_more_rows_than_the_page_has_room_for():
    rows = [[("<b>&</b>",)] * 5_000]
    floor = bench_pages.RenderFloor.of(PAGE.encode(), rows)
    written = floor.render(rows).decode()

    assert "<td>&lt;b&gt;&amp;&lt;/b&gt;</td>" in written and "<b>&" not in written
    assert len(written) < 2 * len(PAGE)


def test_a_page_is_over_budget_by_its_median_its_floors_or_its_p95():
    result = bench_pages.Result("plan list", "/plans/", median_ms=20.0, p95_ms=30.0, floor_ms=6.0, render_ms=1.0)
    result.budget_ms = 50.0
    assert result.ratio == 20.0 / 7.0 and result.faults == []

    result.p95_ms = 45.0
    assert result.faults == ["p95"]
    result.median_ms, result.p95_ms = 60.0, 61.0
    assert result.faults == ["median", "×floor"]


def test_a_page_with_a_request_floor_is_judged_against_all_three_floors():
    result = bench_pages.Result("plan page", "/plans/1/", median_ms=12.0, p95_ms=13.0, floor_ms=1.0, render_ms=0.5)
    result.budget_ms = 50.0
    assert result.ratio_all is None  # no request floor measured: judged by the SQL and render floors
    assert result.faults == ["×floor"]

    result.request_ms = 2.5
    assert result.ratio == 12.0 / 1.5 and result.ratio_all == 12.0 / 4.0
    assert result.faults == []
    result.median_ms = 12.5
    assert result.faults == ["×all"]


def test_a_page_whose_request_floor_alone_is_over_twice_its_floors_cannot_be_within_floor():
    light = bench_pages.Result("plan page", "/plans/1/", median_ms=5.0, p95_ms=6.0, floor_ms=0.4, render_ms=0.1)
    light.request_ms = 1.1
    heavy = bench_pages.Result("plan list", "/plans/", median_ms=20.0, p95_ms=21.0, floor_ms=5.0, render_ms=0.5)
    heavy.request_ms = 1.1

    # 0.4 + 0.1 + 1.1 is 3.2× 0.5: a page doing nothing but its floors would be over.
    assert light.out_of_reach and not heavy.out_of_reach


@pytest.mark.django_db
def test_the_request_floor_is_a_signed_in_page_with_nothing_of_its_own(client):
    from django.urls import get_resolver, reverse

    from tests.factories import staff_user_create

    client.force_login(staff_user_create())

    spent = bench_pages.request_floor(client, 3)

    assert 0 < spent < 1000
    # The page exists only while it is measured: the project's addresses are as they were.
    assert get_resolver().urlconf_name == settings.ROOT_URLCONF
    assert client.get(bench_pages.REQUEST_FLOOR_PATH).status_code == 404
    page = client.get(reverse("jobs:job_list")).content.decode()
    with bench_pages.request_floor_urls():
        empty = client.get(bench_pages.REQUEST_FLOOR_PATH).content.decode()
    # The site's chrome, and nothing in <main>.
    assert empty.split("<main", 1)[0].split("<nav", 1)[1][:200] == page.split("<main", 1)[0].split("<nav", 1)[1][:200]


@pytest.mark.django_db
def test_the_anonymous_floor_is_an_empty_response_to_a_visitor_without_a_session(client):
    # A feed's: its user is found by the secret in its address, which its SQL floor reads.
    spent = bench_pages.request_floor(client, 3, bench_pages.ANONYMOUS_FLOOR_PATH)

    assert 0 < spent < 1000
    with bench_pages.request_floor_urls():
        response = client.get(bench_pages.ANONYMOUS_FLOOR_PATH)
    assert response.status_code == 200 and response.content == b""
    assert "sessionid" not in response.cookies


def test_the_server_collects_once_then_leaves_what_the_app_loaded_out_of_collections():
    from supervision.collector import THRESHOLDS, collector_settle

    before = gc.get_threshold()
    try:
        collector_settle()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == THRESHOLDS
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def _run(tmp_path, name, cases, years):
    path = tmp_path / name
    path.write_text(json.dumps({"years": years, "cases": cases}))
    return path


def test_years_are_compared_by_cpu_time_where_both_runs_have_it(tmp_path, capsys):
    # The medians doubled (a busy machine); the CPU time did not: within 1.2×.
    ten = [{"name": "plan list", "median_ms": 20.0, "queries": 5, "cpu_ms": 10.0, "server_cpu_ms": 5.0}]
    twenty = [{"name": "plan list", "median_ms": 40.0, "queries": 5, "cpu_ms": 11.0, "server_cpu_ms": 6.0}]
    bench_pages.compare(_run(tmp_path, "a.json", ten, 10), _run(tmp_path, "b.json", twenty, 20))
    out = capsys.readouterr().out
    assert "plan list" in out and " 1.13" in out and out.rstrip().endswith("0 pages over 1.2×")

    # The database's share grew: over, whatever the medians say.
    twenty[0] |= {"median_ms": 20.0, "server_cpu_ms": 12.0}
    bench_pages.compare(_run(tmp_path, "a.json", ten, 10), _run(tmp_path, "b.json", twenty, 20))
    assert capsys.readouterr().out.rstrip().endswith("1 pages over 1.2×")

    # Results from before the CPU columns: the medians decide.
    old = [{k: v for k, v in ten[0].items() if "cpu" not in k}]
    bench_pages.compare(_run(tmp_path, "a.json", old, 10), _run(tmp_path, "b.json", twenty, 20))
    assert capsys.readouterr().out.rstrip().endswith("0 pages over 1.2×")


@pytest.mark.django_db
def test_the_database_servers_cpu_for_a_query_is_read_from_its_backend(django_db_setup):
    from django.db import connection

    pid = bench_pages._backend_pid()
    if connection.vendor != "postgresql":
        assert pid is None
        return
    if pid is None:
        pytest.skip("the PostgreSQL server does not run on this machine")
    before = bench_pages._server_cpu(pid)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM generate_series(1, 3000000)")
        assert cursor.fetchone() == (3_000_000,)
    spent = bench_pages._server_cpu(pid) - before
    # Counting three million rows takes the server tens of milliseconds of CPU, not nothing.
    assert 0.005 < spent < 30


@pytest.mark.django_db
def test_the_excel_figure_writes_a_plan_enlarged_and_leaves_nothing_behind():
    from plans.models import Task, WorkPlan
    from tests.factories import CountyFactory, TaskFactory, WorkPlanFactory

    plan = WorkPlanFactory()
    TaskFactory(plan=plan, counties=[CountyFactory()])
    TaskFactory(plan=plan)
    with bench_pages._plan_enlarged(plan, 3) as big:
        assert big.pk != plan.pk and big.status == WorkPlan.Status.DRAFT
        assert Task.objects.filter(plan=big).count() == 6
    assert list(WorkPlan.objects.values_list("pk", flat=True)) == [plan.pk]
    assert Task.objects.count() == 2


@pytest.mark.django_db
def test_asked_like_an_earlier_run_the_plan_of_that_size_is_chosen_not_the_largest():
    from django.db.models import Count

    from plans.models import WorkPlan
    from tests.factories import TaskFactory, WorkPlanFactory

    plans = {}
    for size in (2, 4, 7):
        plans[size] = WorkPlanFactory()
        TaskFactory.create_batch(size, plan=plans[size])
    sized = WorkPlan.objects.annotate(size=Count("tasks", distinct=True) + Count("schedule_entries", distinct=True))

    assert bench_pages._of_size(sized, None, "plan_size").first() == plans[7]
    assert bench_pages._of_size(sized, {"plan_size": 5}, "plan_size").first() == plans[4]
    assert bench_pages._of_size(sized, {"revised_size": 5}, "plan_size").first() == plans[7]
    assert bench_pages._size(plans[4]) == 4 and bench_pages._size(None) is None


@pytest.mark.django_db
def test_the_notice_tags_write_with_another_engines_context_as_the_template_benchmark_calls_them():
    # scripts/bench_templates.py renders the notice's loop in Jinja2, whose context is a mapping
    # without Django's render context.
    from plans.templatetags.plan_extras import county_chips
    from tests.factories import CountyFactory

    county = CountyFactory(name="测试<区>")
    html = county_chips({"viewer_counties": None}, [county])

    assert "测试&lt;区&gt;" in html and f"/counties/{county.pk}/" in html
