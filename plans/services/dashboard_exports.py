"""A dashboard as an Excel workbook: the county × month matrix, and every report with the names
of its evidence files; or a province's year, a row per office. Written with openpyxl's write-only mode, so memory stays flat however
many rows; every cell through plans.services.cells (text stays text, control characters dropped)."""

import tempfile

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from plans.services.cells import safe_cell
from supervision.localtime import local_minute_text
from tracking.models import Assignment, EvidenceFile, ProgressReport

_HEADER_FONT = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _cell(sheet, value, *, header=False, wrap=False):
    return safe_cell(sheet, value, font=_HEADER_FONT if header else None, alignment=_WRAP if wrap else None)


def _sheet(workbook, title, headers, widths):
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([_cell(sheet, h, header=True) for h in headers])
    return sheet


def dashboard_workbook(*, dashboard) -> tempfile.SpooledTemporaryFile:
    """The workbook of `dashboard` (tracking.selectors.tracking.Dashboard), in a temporary file."""
    workbook = Workbook(write_only=True)
    columns = [label for _key, label in dashboard.columns]
    matrix = _sheet(
        workbook,
        gettext("Progress by county"),
        [gettext("County"), *columns, gettext("Done"), gettext("Total"), gettext("Completion %")],
        [18] + [10] * len(columns) + [8, 8, 10],
    )
    for row in dashboard.rows:
        matrix.append(
            [_cell(matrix, row.county.name)]
            + [_cell(matrix, f"{c.done}/{c.total}" if c.total else "") for c in row.cells]
            + [row.total.done, row.total.total, row.completion]
        )
    reports = _sheet(
        workbook,
        gettext("Reports"),
        [
            gettext("County"),
            gettext("Plan"),
            gettext("Assignment"),
            gettext("Due date"),
            gettext("Reported at"),
            gettext("Progress"),
            gettext("Account"),
            gettext("Review"),
            gettext("Review comment"),
            gettext("Evidence files"),
        ],
        [14, 28, 40, 12, 17, 10, 50, 10, 30, 30],
    )
    assignment_ids = Assignment.objects.filter(plan__in=dashboard.plans).values("pk")
    evidence = {}
    for report_id, name in (
        EvidenceFile.objects.filter(report__assignment__in=assignment_ids)
        .order_by("pk")
        .values_list("report_id", "name")
        .iterator(chunk_size=2000)
    ):
        evidence.setdefault(report_id, []).append(name)
    progress = dict(ProgressReport.Progress.choices)
    review = dict(ProgressReport.Review.choices)
    rows = (
        ProgressReport.objects.filter(assignment__in=assignment_ids)
        .order_by("assignment__county__code", "assignment__due_date", "created_at", "pk")
        .values_list(
            "pk",
            "assignment__county__name",
            "assignment__plan__title",
            "assignment__label",
            "assignment__due_date",
            "created_at",
            "progress",
            "text",
            "review",
            "review_comment",
        )
        .iterator(chunk_size=2000)
    )
    for pk, county, plan, label, due, at, done, text, decision, comment in rows:
        reports.append(
            [
                _cell(reports, county),
                _cell(reports, plan, wrap=True),
                _cell(reports, label, wrap=True),
                due.isoformat(),
                local_minute_text(at),
                str(progress.get(done, done)),
                _cell(reports, text, wrap=True),
                str(review.get(decision, decision)),
                _cell(reports, comment, wrap=True),
                _cell(reports, "、".join(evidence.get(pk, []))),
            ]
        )
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(output)
    output.seek(0)
    return output


def province_dashboard_workbook(*, dashboard) -> tempfile.SpooledTemporaryFile:
    """The workbook of a province's year (tracking.selectors.tracking.ProvinceDashboard): a row per
    office, and the province's total."""
    workbook = Workbook(write_only=True)
    sheet = _sheet(
        workbook,
        gettext("Progress by office"),
        [
            gettext("Office"),
            gettext("Region"),
            gettext("Plans issued"),
            gettext("Counties"),
            gettext("Assignments sent"),
            gettext("Acknowledged"),
            gettext("Awaiting review"),
            gettext("Done"),
            gettext("Overdue"),
            gettext("Not acknowledged in time"),
            gettext("Completion %"),
        ],
        [30, 14, 10, 10, 10, 10, 10, 10, 10, 14, 10],
    )

    def figures(row):
        return [
            row.plans,
            row.counties,
            row.total,
            row.acknowledged,
            row.reported,
            row.done,
            row.overdue,
            row.unacknowledged,
            row.completion,
        ]

    for row in dashboard.rows:
        sheet.append([_cell(sheet, row.office.name), _cell(sheet, str(row.office.region or "")), *figures(row)])
    sheet.append(
        [_cell(sheet, gettext("Total"), header=True), _cell(sheet, dashboard.region.name), *figures(dashboard.total)]
    )
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(output)
    output.seek(0)
    return output
