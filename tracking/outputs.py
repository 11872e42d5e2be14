"""A dashboard as an Excel workbook: the county × month matrix, and every report with the names
of its evidence files; or a province's year, a row per office. Written with XlsxWriter's
constant_memory mode, so memory stays flat however many rows; every cell through
plans.outputs.cells (text stays text, control characters dropped, times in the site's zone)."""

import tempfile

import xlsxwriter
from django.utils.translation import gettext

from plans.outputs.cells import WORKBOOK_OPTIONS, cell_style, safe_row
from supervision.choices import labels_of
from tracking.models import Assignment, EvidenceFile, ProgressReport


class Workbook:
    """A dashboard workbook in a temporary file (in memory while it is small)."""

    def __init__(self):
        self.output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
        self.workbook = xlsxwriter.Workbook(self.output, WORKBOOK_OPTIONS)
        self.plain = cell_style(self.workbook)
        self.header = cell_style(self.workbook, {"bold": True})
        self.wrap = cell_style(self.workbook, {"text_wrap": True, "valign": "top"})
        self.styles = {}  # a row's styles by its width and options (Sheet.append), made once

    def sheet(self, title, headers, widths) -> "Sheet":
        ws = self.workbook.add_worksheet(title)
        ws.freeze_panes(1, 0)
        for index, width in enumerate(widths):
            # In pixels, so that the file records the width as given (see plans.outputs.excel).
            ws.set_column_pixels(index, index, width * 7)
        sheet = Sheet(ws, self)
        sheet.append(headers, header=True)
        return sheet

    def close(self) -> tempfile.SpooledTemporaryFile:
        self.workbook.close()
        self.output.seek(0)
        return self.output


class Sheet:
    def __init__(self, ws, book: Workbook):
        self.ws, self.book, self.row = ws, book, 0

    def append(self, values, *, header=False, bold=(), wrap=()) -> None:
        """A row; `bold`, `wrap`: the columns (zero-based) in bold, or whose text wraps."""
        key = (len(values), header, bold, wrap)
        styles = self.book.styles.get(key)
        if styles is None:
            book = self.book
            styles = book.styles[key] = [
                book.header if header or column in bold else book.wrap if column in wrap else book.plain
                for column in range(len(values))
            ]
        safe_row(self.ws, self.row, values, styles)
        self.row += 1


def dashboard_workbook(*, dashboard) -> tempfile.SpooledTemporaryFile:
    """The workbook of `dashboard` (tracking.selectors.tracking.Dashboard), in a temporary file."""
    book = Workbook()
    columns = [label for _key, label in dashboard.columns]
    matrix = book.sheet(
        gettext("Progress by county"),
        [gettext("County"), *columns, gettext("Done"), gettext("Total"), gettext("Completion %")],
        [18] + [10] * len(columns) + [8, 8, 10],
    )
    for row in dashboard.rows:
        matrix.append(
            [row.county.name]
            + [f"{c.done}/{c.total}" if c.total else "" for c in row.cells]
            + [row.total.done, row.total.total, row.completion]
        )
    reports = book.sheet(
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
    # The labels as kept for the language: a lazy label made text is a translation lookup a cell.
    progress = labels_of(ProgressReport, "progress")
    review = labels_of(ProgressReport, "review")
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
                county,
                plan,
                label,
                due,  # as ISO text
                at,  # in the site's time zone, to the minute, as the page shows it
                progress.get(done, done),
                text,
                review.get(decision, decision),
                comment,
                "、".join(evidence.get(pk, [])),
            ],
            wrap=(1, 2, 6, 8),
        )
    return book.close()


def province_dashboard_workbook(*, dashboard) -> tempfile.SpooledTemporaryFile:
    """The workbook of a province's year (tracking.selectors.tracking.ProvinceDashboard): a row per
    office, and the province's total."""
    book = Workbook()
    sheet = book.sheet(
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
        sheet.append([row.office.name, str(row.office.region or ""), *figures(row)])
    sheet.append([gettext("Total"), dashboard.region.name, *figures(dashboard.total)], bold=(0,))
    if dashboard.extra_headers:
        # The columns other areas add (tracking.province_columns), on a sheet of their own.
        more = book.sheet(
            gettext("More by office"),
            [gettext("Office"), gettext("Region"), *dashboard.extra_headers],
            [30, 14] + [12] * len(dashboard.extra_headers),
        )
        for row in dashboard.rows:
            more.append([row.office.name, str(row.office.region or ""), *row.extra])
        more.append([gettext("Total"), dashboard.region.name, *dashboard.total.extra], bold=(0,))
    return book.close()
