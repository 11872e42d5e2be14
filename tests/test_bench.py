"""The benchmark's pure parts (scripts/bench_pages.py): the render floor and the verdict; and
the garbage collection the server processes are set up with."""

import gc
import importlib.util

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
