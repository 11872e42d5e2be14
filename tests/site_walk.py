"""The demo site of `make run` and every kind of page on it, for the checks that read every page
(leaked template markup, valid HTML, axe in the browser).

`demo_site_build` makes what `setup_demo` makes (the seed plans published, the demo accounts, the
copied draft, 金水区's reports) plus what a newcomer reaches a few clicks later: an open revision
and a report with an evidence file. `page_paths` names a path for every URL pattern that answers
with a page; `NOT_PAGES` lists the patterns that answer with something else, and a test keeps the
two together covering every pattern the resolver knows.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from demo.evaluation_showcase import demo_evaluation_create
from demo.showcase import (
    HENAN_OFFICE,
    ZHENGZHOU_OFFICE,
    demo_accounts_create,
    demo_draft_create,
    demo_inspection_create,
    demo_rectification_create,
    demo_reports_create,
)
from organisation.models import County, Office
from plans.models import WorkPlan
from tests.conftest import SEEDS_DIR
from tests.factories import PASSWORD
from tracking.models import Assignment, EvidenceFile, ProgressReport

# The demo logins, anonymous first.
ROLES = ("anonymous", "staff", "reviewer", "viewer", "county", "province", "admin", "inspector")

# URL names that answer with a file, a redirect, JSON or only to POST: no page to read.
NOT_PAGES = {
    "healthz",
    "logout",
    "set_language",
    "plans:plan_transition",
    "plans:plan_source_download",
    "plans:import_confirm",
    "plans:suggest",
    "plans:period_check",
    "tracking:report_create",
    "tracking:assignment_due_date",
    "tracking:assignment_acknowledge",
    "tracking:report_review",
    "tracking:evidence_download",
    "tracking:reminder_send",
    "tracking:office_reminder_send",
    "favicon",
    "plans:plan_excel_export",
    "plans:plan_excel_import_confirm",
    "plans:plan_feed",
    "plans:office_feed",
    "plans:plan_edit_counties",
    "inspections:school_import_confirm",
    "inspections:school_template",
    "inspections:document_docx",
    "inspections:inspection_dashboard_xlsx",
    "inspections:inspection_status",
    "inspections:finding_file",
    "inspections:findings_rectify",
    "inspections:follow_up_add",
    "inspections:rectification_escalate",
    "inspections:rectification_remind",
    "inspections:rectification_confirm",
}


def demo_site_build() -> dict:
    """The demo data with every demo account's password set to the factories' one."""
    from plans.services import work_plan_import, work_plan_revise
    from tracking.services.reports import report_submit

    for path in sorted(SEEDS_DIR.glob("*.txt")):
        work_plan_import(data=path.read_bytes(), source_name=path.name, publish=True)
    demo_accounts_create(password=PASSWORD)
    draft, _ = demo_draft_create()
    demo_reports_create()

    from django.contrib.auth import get_user_model

    users = {user.username: user for user in get_user_model().objects.all()}
    office = Office.objects.get(name=ZHENGZHOU_OFFICE)
    plan = WorkPlan.objects.get(office=office, status=WorkPlan.Status.PUBLISHED, revision_of=None)
    county = County.objects.get(name="金水区", city__code="410100")
    assignment = (
        Assignment.objects.filter(plan=plan, county=county, state__in=Assignment.OPEN)
        .exclude(reports__isnull=False)
        .order_by("due_date", "pk")
        .first()
    )
    report_submit(
        assignment=assignment,
        acting_user=users["county"],
        progress="in_progress",
        text="已召开推进会。",
        files=[SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 x")],
    )
    revision = work_plan_revise(plan=plan, acting_user=users["staff"])
    register = _register_build(county, users)
    documents = _documents_build(office, county, plan.plan_year, users["staff"])
    inspection = demo_inspection_create()
    rectification = demo_rectification_create()
    evaluation = demo_evaluation_create()
    return {
        "plan": plan,
        "draft": draft,
        "revision": revision,
        "office": office,
        "county": county,
        "province_office": Office.objects.get(name=HENAN_OFFICE),
        "assignment": assignment,
        "report": ProgressReport.objects.filter(assignment=assignment).get(),
        "evidence": EvidenceFile.objects.filter(report__assignment=assignment).get(),
        "users": users,
        "inspection": inspection,
        **register,
        **documents,
        **{f"rect_{key}": value for key, value in rectification.items()},
        **{f"eval_{key}": value for key, value in (evaluation or {}).items()},
    }


def _register_build(county, users) -> dict:
    """A school, an inspector (the demo 督学's account) and a zone of the county, for the
    register's pages; the county's visit rhythm and a visit, for the visits' pages."""
    from demo.showcase import demo_visits_create
    from inspections.models import Inspector, School, Visit
    from inspections.services.register import school_close, zone_create, zone_schools_set

    school = School.objects.create(county=county, name="金水区第一小学", kind=School.Kind.PRIMARY, is_central=True)
    closed = School.objects.create(county=county, name="金水区旧校", kind=School.Kind.PRIMARY)
    school_close(school=closed, merged_into=school, acting_user=None)
    inspector = Inspector.objects.create(
        county=county, name="王督学", kind=Inspector.Kind.FULL_TIME, user=users["inspector"]
    )
    zone = zone_create(county=county, name="第一责任区", inspector=inspector, acting_user=None)
    zone_schools_set(zone=zone, schools=[school], acting_user=None)
    demo_visits_create(county=county, inspector=inspector, schools=[school], acting_user=None)
    return {"school": school, "inspector": inspector, "zone": zone, "visit": Visit.objects.get(school=school)}


def _documents_build(office, county, year: int, staff) -> dict:
    """An inspection of the county with a finding and its issued 督导意见书, for the document pages
    and the inspection dashboard."""
    import datetime

    from inspections.documents import document_issue
    from inspections.models import DocumentSeries, Finding, Inspection

    DocumentSeries.objects.create(office=office, prefix="郑教督")
    inspection = Inspection.objects.create(
        office=office,
        year=year,
        kind=Inspection.Kind.SPECIAL,
        title="义务教育课后服务专项督导",
        status=Inspection.Status.ON_SITE,
        starts_on=datetime.date(year, 4, 7),
        ends_on=datetime.date(year, 4, 9),
    )
    inspection.counties.set([county])
    Finding.objects.create(inspection=inspection, county=county, text="课后服务收费未公示。")
    document = document_issue(
        inspection=inspection, kind="opinion", county=county, acting_user=staff, today=datetime.date(year, 4, 20)
    )
    return {"documented_inspection": inspection, "document": document}


def page_paths(site: dict) -> dict[str, list[str]]:
    """URL name → paths that show each kind of page (a view's variants included)."""
    plan, draft, revision = site["plan"], site["draft"], site["revision"]
    office, county = site["office"], site["county"]
    year = plan.plan_year
    region = site["province_office"].region_id
    visit_year = site["visit"].visited_on.year
    return {
        "home": ["/"],
        "login": ["/accounts/login/"],
        "plans:plan_list": ["/plans/", "/plans/?q=督导", f"/plans/?plan_year={year}&status=published"],
        "plans:plan_detail": [f"/plans/{plan.pk}/", f"/plans/{draft.pk}/", f"/plans/{revision.pk}/"],
        "plans:plan_create": ["/plans/new/"],
        "plans:plan_copy": [f"/plans/new/copy/?from={plan.pk}"],
        "plans:plan_edit": [f"/plans/{draft.pk}/edit/"],
        "plans:plan_source": [f"/plans/{plan.pk}/source/"],
        "plans:plan_history": [f"/plans/{plan.pk}/history/", f"/plans/{draft.pk}/history/"],
        "plans:revisions": [f"/plans/{plan.pk}/revisions/"],
        "plans:revision_compare": [f"/plans/{plan.pk}/revisions/compare/"],
        "plans:revision_detail": [f"/plans/{plan.pk}/revisions/{plan.revision}/"],
        "tracking:county_list": ["/counties/", "/counties/?page=2"],
        "tracking:county_detail": [f"/counties/{county.pk}/"],
        "tracking:county_contacts": [f"/counties/{county.pk}/contacts/"],
        "plans:import_upload": ["/import/"],
        "plans:user_audit": [f"/audit/users/{site['users']['staff'].pk}/"],
        "tracking:portal": ["/my/", "/my/?view=month", "/my/?view=plan", "/my/?show=overdue"],
        "tracking:inbox": ["/inbox/"],
        "tracking:assignment_detail": [f"/assignments/{site['assignment'].pk}/"],
        "tracking:plan_dashboard": [f"/plans/{plan.pk}/dashboard/"],
        "tracking:publish_preview": [f"/plans/{revision.pk}/publish/preview/"],
        "tracking:office_dashboard": [f"/offices/{office.pk}/dashboard/{year}/"],
        "tracking:progress_home": ["/progress/"],
        "tracking:province_dashboard": [f"/provinces/{region}/dashboard/{year}/"],
        # Every seed: the notices differ in shape (projects first, subsections without a section).
        "plans:plan_print": [
            f"/plans/{pk}/print/"
            for pk in WorkPlan.objects.filter(status=WorkPlan.Status.PUBLISHED)
            .order_by("pk")
            .values_list("pk", flat=True)
        ],
        "plans:plan_calendar": [f"/plans/{plan.pk}/calendar/"],
        "plans:plan_excel_import": [f"/plans/{draft.pk}/excel/import/"],
        "plans:calendar_home": ["/calendar/"],
        "plans:office_calendar": [f"/offices/{office.pk}/calendar/{year}/"],
        "plans:feed_settings": ["/feeds/"],
        "inspections:school_list": ["/register/schools/", "/register/schools/?kind=primary&status=open&q=金水"],
        "inspections:school_create": ["/register/schools/new/"],
        "inspections:school_import": ["/register/schools/import/"],
        "inspections:school_detail": [f"/register/schools/{site['school'].pk}/"],
        "inspections:school_edit": [f"/register/schools/{site['school'].pk}/edit/"],
        "inspections:school_close": [f"/register/schools/{site['school'].pk}/close/"],
        "inspections:inspector_list": ["/register/inspectors/"],
        "inspections:inspector_create": ["/register/inspectors/new/"],
        "inspections:inspector_edit": [f"/register/inspectors/{site['inspector'].pk}/edit/"],
        "inspections:zone_list": ["/register/zones/"],
        "inspections:zone_create": ["/register/zones/new/"],
        "inspections:zone_detail": [f"/register/zones/{site['zone'].pk}/"],
        "inspections:zone_edit": [f"/register/zones/{site['zone'].pk}/edit/"],
        "inspections:zone_schools": [f"/register/zones/{site['zone'].pk}/schools/"],
        "inspections:coverage": ["/register/coverage/", f"/register/coverage/?county={county.pk}"],
        "inspections:inspection_documents": [f"/inspections/{site['documented_inspection'].pk}/documents/"],
        "inspections:document_detail": [f"/documents/{site['document'].pk}/"],
        "inspections:inspection_dashboard": [f"/inspections/dashboard/{office.pk}/{year}/"],
        "inspections:inspection_list": [
            "/inspections/",
            f"/inspections/?status=self_assessment&kind=special&year={year}",
            f"/inspections/?county={county.pk}",
        ],
        "inspections:inspection_create": ["/inspections/new/"],
        "inspections:inspection_detail": [f"/inspections/{site['inspection'].pk}/"],
        "inspections:inspection_edit": [f"/inspections/{site['inspection'].pk}/edit/"],
        "inspections:inspection_checklist": [f"/inspections/{site['inspection'].pk}/checklist/"],
        "inspections:self_assessment": [f"/inspections/{site['inspection'].pk}/self-assessment/{county.pk}/"],
        "inspections:checklist_template_list": ["/inspections/templates/"],
        "inspections:checklist_template_edit": [
            f"/inspections/templates/{office.pk}/routine/",
            f"/inspections/templates/{office.pk}/follow_up/",
        ],
        "inspections:finding_list": [f"/inspections/{site['rect_inspection'].pk}/findings/"],
        "inspections:finding_create": [f"/inspections/{site['rect_inspection'].pk}/findings/new/"],
        "inspections:visit_finding_create": [f"/inspections/visits/{site['rect_visit'].pk}/findings/new/"],
        "inspections:finding_detail": [
            f"/findings/{site['rect_finding'].pk}/",
            f"/findings/{site['rect_open_finding'].pk}/",
            f"/findings/{site['rect_visit_finding'].pk}/",
        ],
        "inspections:rectification_create": [f"/findings/{site['rect_open_finding'].pk}/rectify/"],
        "inspections:rectification_list": [
            "/rectification/",
            f"/rectification/?year={year}&state=overdue&escalation=any",
        ],
        "inspections:rectification_detail": [f"/rectification/{site['rect_rectification'].pk}/"],
        "inspections:follow_up_items": [f"/inspections/{site['rect_follow_up'].pk}/follow-up/"],
        "inspections:visit_rhythm": ["/register/rhythm/", f"/register/rhythm/?county={county.pk}&year={visit_year}"],
        "inspections:county_visits": [
            "/register/visits/",
            f"/register/visits/?county={county.pk}&month={visit_year}-03",
        ],
        "inspections:zone_visits": [
            f"/register/zones/{site['zone'].pk}/visits/",
            f"/register/zones/{site['zone'].pk}/visits/?month={visit_year}-01",
        ],
        "inspections:visit_create": [f"/visits/new/?school={site['school'].pk}"],
        "inspections:visit_detail": [f"/visits/{site['visit'].pk}/"],
        "inspections:my_schools": ["/my/schools/"],
        # Not found and forbidden are pages too.
        "404": ["/plans/999999/"],
    }


def url_names() -> set[str]:
    """Every named URL pattern outside the admin."""

    def walk(entries, namespace=""):
        for entry in entries:
            if isinstance(entry, URLResolver):
                if entry.app_name == "admin":
                    continue
                yield from walk(entry.url_patterns, f"{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                yield namespace + entry.name

    return set(walk(get_resolver().url_patterns))
