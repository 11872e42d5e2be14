"""An office's inspection dashboard as an Excel workbook: a sheet per table of the page, with the
same figures, written through tracking.outputs' workbook (XlsxWriter, every cell through
plans.outputs.cells)."""

import tempfile

from django.utils.dates import MONTHS_3
from django.utils.translation import gettext

from tracking.outputs import Workbook


def _months() -> list[str]:
    return [str(MONTHS_3[month]) for month in range(1, 13)]


def inspection_dashboard_workbook(*, dashboard) -> tempfile.SpooledTemporaryFile:
    """The workbook of `dashboard` (inspections.dashboards.OfficeDashboard)."""
    book = Workbook()
    total = gettext("Total")

    sheet = book.sheet(gettext("Inspections by month"), [gettext("Kind"), *_months(), total], [22] + [7] * 12 + [8])
    for row in dashboard.inspections:
        sheet.append([row.label, *row.months, row.total])
    sheet.append([total, *dashboard.inspection_months, dashboard.inspections_total], bold=(0,))

    sheet = book.sheet(
        gettext("Findings by severity"),
        [gettext("Kind"), *dashboard.severity_labels, total],
        [22] + [10] * len(dashboard.severity_labels) + [8],
    )
    for row in dashboard.findings:
        sheet.append([row.label, *row.severities, row.total])
    sheet.append([total, *dashboard.finding_severities, dashboard.findings_total], bold=(0,))

    sheet = book.sheet(
        gettext("Rectification by county"),
        [
            gettext("County"),
            gettext("Issued"),
            gettext("Open"),
            gettext("Closed out"),
            gettext("Overdue"),
            gettext("Closed on time"),
            gettext("Average days to close"),
        ],
        [18, 8, 8, 8, 8, 12, 14],
    )
    for row in [*dashboard.rectification, dashboard.rectification_total]:
        sheet.append(
            [row.name, row.issued, row.open, row.closed, row.overdue, row.on_time, row.average_days],
            bold=(0,) if row is dashboard.rectification_total else (),
        )

    coverage_headers = [
        gettext("Visits due so far"),
        gettext("Visits made"),
        gettext("Coverage %"),
        gettext("Schools held"),
        gettext("Schools not visited this year"),
    ]

    def coverage(row):
        return [row.due, row.fulfilled, row.coverage, row.schools, row.never_visited]

    sheet = book.sheet(
        gettext("Visits by zone"),
        [gettext("County"), gettext("Zone"), gettext("Responsible inspector"), *coverage_headers],
        [14, 18, 12, 10, 10, 10, 10, 14],
    )
    for row in dashboard.zones:
        sheet.append([row.county, row.name, row.inspector, *coverage(row)])
    sheet.append(["", total, "", *coverage(dashboard.coverage_total)], bold=(1,))

    sheet = book.sheet(
        gettext("Visits by inspector"),
        [gettext("County"), gettext("Inspector"), gettext("Zones"), *coverage_headers],
        [14, 12, 8, 10, 10, 10, 10, 14],
    )
    for row in dashboard.inspectors:
        sheet.append([row.county, row.name, row.zones, *coverage(row)])
    return book.close()
