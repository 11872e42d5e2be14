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
    # The preview of a scan a job read: only with the token its job hands its starter
    # (tests/plans/test_import_formats.py).
    "plans:import_preview",
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
    "evaluation:sheet_template",
    "evaluation:sheet_import_confirm",
    "evaluation:round_transition",
    "evaluation:round_fill_figures",
    "evaluation:round_results_xlsx",
    "evaluation:round_publish",
    "bulletins:bulletin_submit",
    "bulletins:bulletin_issue",
    "bulletins:bulletin_docx",
    "bulletins:bulletin_docx_job",
    "notifications:message_retry",
    "jobs:job_file",
    "tracking:plan_dashboard_export",
    "tracking:office_dashboard_export",
    "tracking:province_dashboard_export",
    "api:token_revoke",
    # The API answers JSON; its documentation pages are Swagger UI's and ReDoc's, drawn by their
    # own scripts (tests/api/test_docs.py and the Content-Security-Policy test load them).
    "api:schema",
    "api:docs",
    "api:redoc",
    "api:api-root",
    "api:obligation-reports",
} | {
    f"api:{basename}-{kind}"
    for basename in ("plan", "task", "calendar-line", "county", "obligation", "report", "inspection", "rectification")
    for kind in ("list", "detail")
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
    evaluation_rounds = _evaluation_rounds_build(office, county, plan.plan_year, users)
    evaluation = _evaluation_results_build(office, county, users)
    bulletins = _bulletins_build(office, county, plan.plan_year, users)
    showcase_evaluation = demo_evaluation_create()
    notifications = _notifications_build(office, county, users)
    jobs = _jobs_build(office, users, plan)
    site = {
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
        **bulletins,
        **notifications,
        **jobs,
        **{f"rect_{key}": value for key, value in rectification.items()},
        **evaluation_rounds,
        **evaluation,
        **{f"showcase_eval_{key}": value for key, value in (showcase_evaluation or {}).items()},
    }
    site.update(demo_sheet_site(site))
    return site


def _evaluation_results_build(office, county, users) -> dict:
    """Last year's round and this year's, published, of the county and two neighbours, with an
    objection of the county's; and a round still in review, for the provisional ranking."""
    from evaluation.models import Participant
    from evaluation.services.results import objection_raise, round_publish
    from tests.evaluation.results_data import items_of, round_build

    counties = [county, *County.objects.filter(city_id=county.city_id).exclude(pk=county.pk).order_by("code")[:2]]
    last = round_build(office=office, counties=counties, year=2025, items=4)
    published = round_build(office=office, counties=counties, year=2026, items=4, previous=last)
    round_publish(round_=published, acting_user=users["reviewer"])
    own = Participant.objects.get(round=published, county=county)
    objection = objection_raise(
        participant=own,
        indicator=items_of(published)[0],
        text="该项佐证材料已提交，请复核。",
        acting_user=users["county"],
    )
    provisional = round_build(office=office, counties=counties, year=2026, items=4, title="督学责任区工作考核")
    return {
        "eval_published": published,
        "eval_provisional": provisional,
        "eval_own": own,
        "eval_other": Participant.objects.get(round=published, county=counties[1]),
        "eval_objection": objection,
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


def demo_sheet_site(site) -> dict:
    """An indicator sheet of the office, read from the import template, for the sheet pages."""
    from evaluation.services.sheets import sheet_import
    from evaluation.sheet_import import sheet_read, template_workbook

    sheet = sheet_import(
        office=site["office"],
        title="县级人民政府履行教育职责评价指标体系",
        year=site["plan"].plan_year,
        rows=sheet_read(template_workbook()).rows,
        source_name="指标体系.xlsx",
        acting_user=site["users"]["staff"],
    )
    return {"sheet": sheet}


def _evaluation_rounds_build(office, county, year: int, users) -> dict:
    """An indicator sheet (built directly) and two rounds of the county and its neighbour: one
    asking for the self-assessment, one at its scoring stage with self-assessed and scored items."""
    import datetime
    from decimal import Decimal

    from evaluation.models import EvaluationRound, Indicator, IndicatorSheet, Participant
    from evaluation.services.rounds import (
        ScoreData,
        round_save,
        round_transition,
        scores_save,
        self_assessment_save,
    )

    sheet = IndicatorSheet.objects.create(office=office, title="县级教育督导工作评估指标", year=year)
    head = Indicator.objects.create(sheet=sheet, level=1, position=1, code="一", title="督导机构", points=Decimal(30))
    rows = [
        ("1.1", "督导机构健全", Decimal(10), Indicator.Method.POINTS, [], ""),
        ("1.2", "责任督学挂牌督导全覆盖", Decimal(10), Indicator.Method.YES_NO, [], ""),
        ("1.3", "督导报告质量", Decimal(10), Indicator.Method.SCALE, [["A", "1"], ["B", "0.8"]], ""),
        ("1.4", "工作要点完成情况", Decimal(20), Indicator.Method.POINTS, [], Indicator.Source.PLAN_COMPLETION),
    ]
    items = [
        Indicator.objects.create(
            sheet=sheet,
            parent=head,
            level=2,
            position=number,
            code=code,
            title=title,
            points=points,
            method=method,
            scale=scale,
            source=source,
            rule="按标准赋分。",
            evidence="相关文件",
        )
        for number, (code, title, points, method, scale, source) in enumerate(rows, start=2)
    ]
    neighbour = County.objects.filter(city_id=county.city_id).exclude(pk=county.pk).order_by("code").first()
    rounds = {}
    for key, title in (("self", "县级教育督导工作自评"), ("scoring", "县级教育督导工作评估")):
        round_ = round_save(
            round_=EvaluationRound(
                office=office,
                sheet=sheet,
                title=f"{year}年{title}",
                year=year,
                self_assessment_due=datetime.date(year, 11, 30),
            ),
            counties=[county, neighbour],
            acting_user=users["staff"],
        )
        rounds[key] = round_transition(
            round_=round_, to=EvaluationRound.Status.SELF_ASSESSMENT, acting_user=users["staff"]
        )
    scoring = rounds["scoring"]
    participant = Participant.objects.get(round=scoring, county=county)
    self_assessment_save(
        participant=participant,
        entries={item.pk: ScoreData(item.points, "已落实") for item in items},
        acting_user=users["county"],
    )
    round_transition(round_=scoring, to=EvaluationRound.Status.SCORING, acting_user=users["staff"])
    scores_save(
        participant=participant,
        entries={
            items[0].pk: ScoreData(Decimal("8.00"), "机构人员不足"),
            items[1].pk: ScoreData(Decimal(10), "已覆盖"),
        },
        acting_user=users["staff"],
    )
    return {
        "eval_round": scoring,
        "eval_self_round": rounds["self"],
        "eval_participant": participant,
        "eval_self_participant": Participant.objects.get(round=rounds["self"], county=county),
    }


def _bulletins_build(office, county, year: int, users) -> dict:
    """A draft 通报 of the county's first half-year and one issued (after the documents, in the
    office's 文号 sequence), for the bulletins' pages."""
    import datetime

    from bulletins.services import bulletin_create, bulletin_issue, bulletin_submit

    def draft():
        return bulletin_create(
            office=office,
            kind="bulletin",
            start=datetime.date(year, 1, 1),
            end=datetime.date(year, 6, 30),
            counties=[county],
            acting_user=users["staff"],
            today=datetime.date(year, 7, 1),
        )

    issued = bulletin_submit(bulletin=draft(), acting_user=users["staff"])
    issued = bulletin_issue(bulletin=issued, acting_user=users["reviewer"], today=datetime.date(year, 7, 2))
    return {"bulletin_draft": draft(), "bulletin_issued": issued}


def _notifications_build(office, county, users) -> dict:
    """金水区's office with a 企业微信 robot, and a notice to it that failed, for the notification
    pages (the delivery log with its retry button, the robots' page)."""
    from django.utils import timezone

    from notifications.crypto import encrypt
    from notifications.models import DeliveryAttempt, Message, OfficeChannel

    county_office = Office.objects.get(county=county)
    OfficeChannel.objects.create(
        office=county_office,
        channel="wecom",
        webhook_encrypted=encrypt("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=walk-secret-key"),
        events=["report_returned"],
        updated_by=users["county"],
    )
    message = Message.objects.create(
        event="report_returned",
        event_key="report_returned:report:walk",
        channel="wecom",
        recipient=f"office:{county_office.pk}",
        robot_office=county_office,
        office=office,
        county=county,
        subject="[督导工作台] 报告被退回",
        body="请补充佐证材料。",
        status=Message.Status.FAILED,
        attempts=1,
        answer='HTTP 200 {"errcode": 93000, "errmsg": "invalid webhook url"}',
    )
    DeliveryAttempt.objects.create(message=message, at=timezone.now(), ok=False, answer=message.answer)
    return {"county_office": county_office, "failed_message": message}


def _jobs_build(office, users, plan) -> dict:
    """The staff user's background jobs: one done with its file, one running, one failed; a
    batch import done (a file imported, one already imported, one refused) and one running."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from jobs.models import Job

    now = timezone.now()

    def job(key, state, **fields):
        return Job.objects.create(
            **{
                "kind": "tracking.dashboard_export",
                "user": users["staff"],
                "office": office,
                "title": f"{office.name}进展表（Excel）",
                "params": {"office": office.pk, "year": 2026},
                "key": key,
                "state": state,
                **fields,
            }
        )

    done = job("walk-done", Job.State.SUCCEEDED, started_at=now, finished_at=now, result_name="进展表.xlsx")
    done.result_file.save("walk.xlsx", ContentFile(b"PK"))
    running = job("walk-running", Job.State.RUNNING, started_at=now, done=1, total=2, message="正在生成工作簿")
    failed = job("walk-failed", Job.State.FAILED, started_at=now, finished_at=now, message="您已无权查看此进展表。")
    from plans.models import ImportBatchFile

    files = [{"name": name, "pending": "", "sha256": ""} for name in ("a.docx", "b.txt", "c.pdf")]
    batch_done = job(
        "walk-batch-done",
        Job.State.SUCCEEDED,
        started_at=now,
        finished_at=now,
        done=3,
        total=3,
        kind="plans.import_batch",
        params={"office": office.pk, "publish": True, "files": files},
    )
    Outcome = ImportBatchFile.Outcome
    ImportBatchFile.objects.bulk_create(
        [
            ImportBatchFile(
                job=batch_done,
                position=0,
                name="a.docx",
                outcome=Outcome.IMPORTED,
                plan=plan,
                doc_number=plan.doc_number,
                tasks=10,
                entries=21,
                warnings=1,
            ),
            ImportBatchFile(job=batch_done, position=1, name="b.txt", outcome=Outcome.DUPLICATE, plan=plan),
            ImportBatchFile(job=batch_done, position=2, name="c.pdf", outcome=Outcome.REFUSED, reason="文件为空。"),
        ]
    )
    batch_running = job(
        "walk-batch-running",
        Job.State.RUNNING,
        started_at=now,
        done=1,
        total=3,
        message=plan.doc_number,
        kind="plans.import_batch",
        params={"office": office.pk, "publish": False, "files": files},
    )
    ImportBatchFile.objects.create(job=batch_running, position=0, name="a.docx", outcome=Outcome.REFUSED, reason="x")
    return {
        "job_done": done,
        "job_running": running,
        "job_failed": failed,
        "batch_done": batch_done,
        "batch_running": batch_running,
    }


def page_paths(site: dict) -> dict[str, list[str]]:
    """URL name → paths that show each kind of page (a view's variants included)."""
    plan, draft, revision = site["plan"], site["draft"], site["revision"]
    office, county = site["office"], site["county"]
    year = plan.plan_year
    region = site["province_office"].region_id
    visit_year = site["visit"].visited_on.year
    return {
        "home": ["/"],
        "notifications:preferences": ["/notifications/settings/"],
        "notifications:office_channels": [
            f"/notifications/offices/{office.pk}/channels/",
            f"/notifications/offices/{site['county_office'].pk}/channels/",
        ],
        "notifications:delivery_log": ["/notifications/log/", "/notifications/log/?status=failed"],
        "jobs:job_list": ["/jobs/"],
        # The running job's page without its reloading (a Refresh header), which would cut the
        # browser's checks short; tests/jobs and tests/browser/test_jobs.py read it reloading.
        "jobs:job_detail": [
            f"/jobs/{site['job_done'].pk}/",
            f"/jobs/{site['job_running'].pk}/?refresh=off",
            f"/jobs/{site['job_failed'].pk}/",
        ],
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
        "plans:import_batch": ["/import/batch/"],
        # The running one without its reloading, as the jobs' pages above.
        "plans:import_batch_result": [
            f"/import/batch/{site['batch_done'].pk}/",
            f"/import/batch/{site['batch_running'].pk}/?refresh=off",
        ],
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
        "evaluation:sheet_list": ["/evaluation/sheets/", f"/evaluation/sheets/?office={office.pk}&year={year}"],
        "evaluation:sheet_detail": [f"/evaluation/sheets/{site['sheet'].pk}/"],
        "evaluation:sheet_create": ["/evaluation/sheets/new/"],
        "evaluation:sheet_import": ["/evaluation/sheets/import/"],
        "evaluation:sheet_edit": [f"/evaluation/sheets/{site['sheet'].pk}/edit/"],
        "evaluation:sheet_copy": [f"/evaluation/sheets/{site['sheet'].pk}/copy/"],
        "evaluation:round_list": ["/evaluation/"],
        "evaluation:round_create": ["/evaluation/new/", f"/evaluation/new/?office={office.pk}"],
        "evaluation:round_detail": [
            f"/evaluation/{site['eval_round'].pk}/",
            f"/evaluation/{site['eval_self_round'].pk}/",
        ],
        "evaluation:round_edit": [f"/evaluation/{site['eval_round'].pk}/edit/"],
        "evaluation:self_assessment": [
            f"/evaluation/participants/{site['eval_participant'].pk}/self/",
            f"/evaluation/participants/{site['eval_self_participant'].pk}/self/",
        ],
        "evaluation:scoring": [f"/evaluation/participants/{site['eval_participant'].pk}/score/"],
        "evaluation:review": [f"/evaluation/participants/{site['eval_participant'].pk}/review/"],
        "evaluation:round_results": [
            f"/evaluation/{site['eval_published'].pk}/results/",
            f"/evaluation/{site['eval_provisional'].pk}/results/",
        ],
        "evaluation:round_comparison": [f"/evaluation/{site['eval_published'].pk}/comparison/"],
        "evaluation:round_correct": [f"/evaluation/{site['eval_published'].pk}/correct/"],
        "evaluation:participant_detail": [
            f"/evaluation/participants/{site['eval_own'].pk}/",
            f"/evaluation/participants/{site['eval_other'].pk}/",
        ],
        "evaluation:objection_create": [f"/evaluation/participants/{site['eval_own'].pk}/object/"],
        "evaluation:objection_answer": [f"/evaluation/objections/{site['eval_objection'].pk}/answer/"],
        "bulletins:bulletin_list": ["/bulletins/", f"/bulletins/?year={site['bulletin_issued'].year}"],
        "bulletins:bulletin_create": ["/bulletins/new/"],
        "bulletins:bulletin_detail": [
            f"/bulletins/{site['bulletin_draft'].pk}/",
            f"/bulletins/{site['bulletin_issued'].pk}/",
        ],
        "bulletins:bulletin_edit": [f"/bulletins/{site['bulletin_draft'].pk}/edit/"],
        "bulletins:paragraph_templates": [f"/bulletins/paragraphs/{office.pk}/"],
        "api:token_list": ["/accounts/tokens/"],
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
