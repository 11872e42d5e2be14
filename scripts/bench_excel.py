"""The plan workbook's writer alone: rows a second and peak memory, on synthetic rows of a plan's
shape (a quarter tasks, three quarters calendar lines), without a database.

Run from the repository root:

    .venv/bin/python scripts/bench_excel.py [--rows 10000 100000] [--engine all]

Each engine and size runs in a process of its own, so that its peak RSS (ru_maxrss) is its own:
flat memory is the same peak for ten times the rows. `xlsxwriter` is the app's writer
(plans.outputs.excel.workbook_write: XlsxWriter in constant_memory mode, whole rows through
plans.outputs.cells.safe_row); `openpyxl` is the writer it replaced (openpyxl's write-only mode,
a styled WriteOnlyCell a cell), kept here to compare; `xlsxwriter-cells` is the app's writer
with a call of XlsxWriter's API a cell instead of whole rows. The whole export, database included, is
scripts/bench_pages.py's Excel case (`--only excel`).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def task_rows(count: int):
    for n in range(1, count + 1):
        yield (n, f"推进第{n}项督导工作，完善督导评估机制", "督导科", "京口区、丹徒区、句容市", "3月；5-6月；年底前")


def schedule_rows(count: int):
    for n in range(1, count + 1):
        yield (
            n,
            "三月",
            "3月中旬",
            f"开展第{n}项专项督导检查，认真组织实施，确保按时完成。",
            n % 40 + 1,
            "督导科",
            "京口区、丹徒区",
            "3月20日" if n % 3 == 0 else "",
            str(uuid.UUID(int=n)),
        )


def write_xlsxwriter(stream, tasks: int, lines: int) -> None:
    from plans.outputs.excel import workbook_write

    workbook_write(
        stream=stream,
        title="2026年某市教育督导工作要点",
        stamp="plan:1:1",
        task_rows=task_rows(tasks),
        schedule_rows=schedule_rows(lines),
    )


def write_openpyxl(stream, tasks: int, lines: int) -> None:
    """The replaced writer, as it wrote a cell: a WriteOnlyCell with a named style."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

    from plans.outputs.cells import FORMULA_START, cell_text
    from plans.outputs.excel import SCHEDULE_STYLES, TASK_STYLES

    workbook = Workbook(write_only=True)
    thin = Side(style="thin", color="808080")
    for name, horizontal in (("body", None), ("center", "center")):
        workbook.add_named_style(
            NamedStyle(
                name=name,
                font=Font(name="宋体", size=11),
                border=Border(left=thin, right=thin, top=thin, bottom=thin),
                alignment=Alignment(horizontal=horizontal, vertical="top", wrap_text=True),
            )
        )

    def cell(sheet, value, style):
        result = WriteOnlyCell(sheet)
        result.style = style
        if isinstance(value, str):
            result.value = cell_text(value)
            result.data_type = "s"
            result.quotePrefix = result.value.startswith(FORMULA_START)
        else:
            result.value = value
        return result

    for rows, styles in ((task_rows(tasks), TASK_STYLES), (schedule_rows(lines), SCHEDULE_STYLES)):
        sheet = workbook.create_sheet()
        for values in rows:
            sheet.append([cell(sheet, value, style) for value, style in zip(values, styles, strict=True)])
    workbook.save(stream)


def write_xlsxwriter_cells(stream, tasks: int, lines: int) -> None:
    """The app's workbook through XlsxWriter's own API, a call a cell (safe_cell), to show what
    writing whole rows (safe_row) gains."""
    from unittest import mock

    from plans.outputs import excel
    from plans.outputs.cells import safe_cell

    def by_cell(sheet, row, values, styles):
        for column, value in enumerate(values):
            safe_cell(sheet, row, column, value, styles[column])

    with mock.patch.object(excel, "safe_row", by_cell):
        write_xlsxwriter(stream, tasks, lines)


ENGINES = {"xlsxwriter": write_xlsxwriter, "xlsxwriter-cells": write_xlsxwriter_cells, "openpyxl": write_openpyxl}


def child(engine: str, rows: int) -> dict:
    """One measurement, in this process: the best of three, then the process's peak RSS."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supervision.settings")
    os.environ.setdefault("SECRET_KEY", "bench-excel")  # the settings ask for one; nothing is signed
    import django

    django.setup()
    write = ENGINES[engine]
    tasks = rows // 4
    with tempfile.TemporaryFile() as stream:
        write(stream, 10, 30)  # imports warmed
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times, size = [], 0
    for _ in range(3):
        with tempfile.TemporaryFile() as stream:
            start = time.perf_counter()
            write(stream, tasks, rows - tasks)
            times.append(time.perf_counter() - start)
            size = stream.tell()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "engine": engine,
        "rows": rows,
        "seconds": round(min(times), 3),
        "rows_per_s": round(rows / min(times)),
        "peak_rss_mib": round(peak / 1024, 1),
        "rss_growth_mib": round((peak - before) / 1024, 1),
        "file_kib": round(size / 1024),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000], help="rows a workbook")
    parser.add_argument("--engine", choices=[*ENGINES, "all"], default="all")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "ROWS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]))))
        return 0
    engines = list(ENGINES) if args.engine == "all" else [args.engine]
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Plan workbook writer, synthetic rows, best of 3 (load average {load} on {os.cpu_count()} CPUs)")
    print(f"  {'engine':<18}{'rows':>9}{'ms':>9}{'rows/s':>10}{'peak RSS':>12}{'growth':>10}{'file':>10}")
    for engine in engines:
        for rows in args.rows:
            out = subprocess.run(
                [sys.executable, __file__, "--child", engine, str(rows)],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"  {engine:<18}{r['rows']:>9,}{r['seconds'] * 1000:>9.0f}{r['rows_per_s']:>10,}"
                f"{r['peak_rss_mib']:>8.1f} MiB{r['rss_growth_mib']:>6.1f} MiB{r['file_kib']:>6,} KiB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
