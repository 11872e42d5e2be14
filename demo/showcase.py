"""What setup_demo adds to the seeds: the demo accounts, a draft to try the edit page on,
reports for the demo county and a contact address for it."""

from django.contrib.auth import get_user_model
from django.db import transaction

from inspections.models import Inspection, Inspector, School
from inspections.services.checklists import self_assessment_save
from inspections.services.inspections import MemberData, inspection_move, inspection_save
from inspections.services.register import inspector_save, school_save, zone_create, zone_schools_set
from inspections.visits import DEFAULT_MONTHS, visit_record, visit_rhythm_set
from organisation.models import County, CountyContact, Membership, Office, Region
from organisation.services.contacts import county_contact_update
from plans.models import WorkPlan
from plans.services.editing import work_plan_copy
from supervision.localtime import site_today
from tracking.models import Assignment, ProgressReport
from tracking.services.reports import assignments_acknowledge, report_review, report_submit

DEMO_PASSWORD = "demo-pass-2026"
ZHENGZHOU_OFFICE = "郑州市人民政府教育督导委员会办公室"
# Over the two 郑州 offices that issued seeds: its staff follow them on the province's dashboard.
HENAN_OFFICE = "河南省人民政府教育督导委员会办公室"
DEMO_INSPECTOR = "inspector"
DEMO_ACCOUNTS = (
    # username, role, office name, county of the office (for county users)
    ("staff", Membership.Role.EDITOR, ZHENGZHOU_OFFICE, None),
    ("reviewer", Membership.Role.REVIEWER, ZHENGZHOU_OFFICE, None),
    ("viewer", Membership.Role.VIEWER, ZHENGZHOU_OFFICE, None),
    ("county", Membership.Role.COUNTY, "金水区人民政府教育督导室", "金水区"),
    ("province", Membership.Role.VIEWER, HENAN_OFFICE, None),
)


@transaction.atomic
def demo_accounts_create(*, password: str = DEMO_PASSWORD) -> list[tuple[str, str, str]]:
    """An admin, one user per role of the 郑州 office, 金水区's county office and a viewer of the
    河南 provincial office; returns (username, password, role)."""
    User = get_user_model()
    created = []
    admin, _ = User.objects.get_or_create(username="admin", defaults={"is_staff": True, "is_superuser": True})
    admin.set_password(password)
    admin.save(update_fields=["password"])
    created.append(("admin", password, "admin"))

    zhengzhou = Region.objects.get(code="410100")
    city_office, _ = Office.objects.get_or_create(
        name=ZHENGZHOU_OFFICE, defaults={"level": Office.Level.CITY, "region": zhengzhou}
    )
    province_office, _ = Office.objects.get_or_create(
        name=HENAN_OFFICE, defaults={"level": Office.Level.PROVINCE, "region": zhengzhou.parent}
    )
    for username, role, office_name, county_name in DEMO_ACCOUNTS:
        if county_name:
            county = County.objects.get(city=zhengzhou, name=county_name)
            office, _ = Office.objects.get_or_create(
                name=office_name,
                defaults={"level": Office.Level.COUNTY, "county": county, "parent": city_office},
            )
        else:
            office = province_office if office_name == HENAN_OFFICE else city_office
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.save(update_fields=["password"])
        Membership.objects.filter(user=user).exclude(office=office).delete()
        Membership.objects.update_or_create(user=user, office=office, defaults={"role": role})
        created.append((username, password, role))
    # 金水区's 督学 signs in with no role in any office: their schools and visits only
    # (demo_register_create links the account to the 督学).
    inspector, _ = User.objects.get_or_create(username=DEMO_INSPECTOR)
    inspector.set_password(password)
    inspector.save(update_fields=["password"])
    Membership.objects.filter(user=inspector).delete()
    created.append((DEMO_INSPECTOR, password, "inspector"))
    return created


DEMO_CONTACT = {"name": "李老师", "email": "jinshui-dudao@example.org", "phone": "0371-6000 0000"}


def demo_contact_create():
    """金水区's office gets a contact address, so that a reminder sent on a fresh `make run`
    goes out (to the console). Returns the contact, or None when it was there already (what
    someone wrote on its page stays)."""

    county = County.objects.filter(city__code="410100", name="金水区").first()
    if county is None or CountyContact.objects.filter(county=county).exists():
        return None
    admin = get_user_model().objects.filter(username="admin").first()
    return county_contact_update(county=county, acting_user=admin, **DEMO_CONTACT)


@transaction.atomic
def demo_reports_create() -> int:
    """Some reports for the demo county (金水区) on the 郑州 office's plan, so that its portal
    and the office's dashboard show work done, returned and awaiting review. Run again, it
    adds nothing. Returns how many reports it wrote."""

    User = get_user_model()
    county_user = User.objects.filter(username="county").first()
    reviewer = User.objects.filter(username="reviewer").first()
    mine = list(
        Assignment.objects.filter(
            county__name="金水区",
            county__city__code="410100",
            plan__office__name=ZHENGZHOU_OFFICE,
            state__in=Assignment.OPEN,
        ).order_by("due_date", "pk")
    )
    if county_user is None or reviewer is None or len(mine) < 4:
        return 0
    if ProgressReport.objects.filter(assignment__in=mine).exists():
        return 0
    assignments_acknowledge(assignments=mine[:4], acting_user=county_user)
    done = report_submit(
        assignment=mine[0], acting_user=county_user, progress="done", text="已按要求上报申报书等相关材料。"
    )
    report_review(report=done, acting_user=reviewer, accept=True)
    returned = report_submit(
        assignment=mine[1], acting_user=county_user, progress="done", text="已完成市级复核材料准备。"
    )
    report_review(
        report=returned, acting_user=reviewer, accept=False, comment="请补充实地督查记录和整改清单后重新报送。"
    )
    report_submit(
        assignment=mine[2],
        acting_user=county_user,
        progress="in_progress",
        text="已制定工作方案，正在组织各校开展自查。",
    )
    return 3


def demo_draft_create():
    """The 郑州 plan copied into the next year as a draft, so that a newcomer can try the edit
    page at once; (plan, created), or (None, False) without the 郑州 plan. Safe to run again."""

    source = (
        WorkPlan.objects.filter(office__name=ZHENGZHOU_OFFICE, revision_of=None)
        .exclude(status=WorkPlan.Status.DRAFT)
        .order_by("plan_year", "pk")
        .first()
    )
    if source is None:
        return None, False
    existing = WorkPlan.objects.filter(office=source.office, plan_year=source.plan_year + 1, revision_of=None).first()
    if existing is not None:
        return existing, False
    editor = get_user_model().objects.filter(username="staff").first()
    return work_plan_copy(source=source, acting_user=editor), True


# 金水区's register, so that the 名册 pages show a county as it is half way through assigning its
# 责任督学: one zone holds some schools, the rest (a 初中 among them) are not yet covered.
DEMO_SCHOOLS = (
    # name, kind, central, in the zone
    ("金水区第一实验小学", "primary", True, True),
    ("金水区文化路小学", "primary", False, True),
    ("金水区第二中学", "junior", False, True),
    ("金水区实验幼儿园", "kindergarten", False, True),
    ("金水区第八中学", "junior", False, False),
    ("金水区丰庆路小学", "primary", False, False),
    ("金水区育才学校", "nine_year", False, False),
)


@transaction.atomic
def demo_register_create() -> int:
    """金水区's schools, a 督学 and a 督学责任区 holding some of them. Returns how many schools
    were created (none when the county already has any: what someone entered stays)."""
    county = County.objects.filter(city__code="410100", name="金水区").first()
    if county is None or School.objects.filter(county=county).exists():
        return 0
    admin = get_user_model().objects.filter(username="admin").first()
    schools = [
        school_save(
            school=School(county=county, name=name, kind=kind, is_central=central, address="郑州市金水区"),
            acting_user=admin,
        )
        for name, kind, central, _zoned in DEMO_SCHOOLS
    ]
    inspector = inspector_save(
        inspector=Inspector(
            county=county,
            name="王督学",
            kind=Inspector.Kind.PART_TIME,
            unit="金水区教育局",
            phone="0371-6000 0001",
            user=get_user_model().objects.filter(username=DEMO_INSPECTOR, inspector=None).first(),
        ),
        acting_user=admin,
    )
    zone = zone_create(county=county, name="第一责任区", inspector=inspector, acting_user=admin)
    zoned = [school for school, row in zip(schools, DEMO_SCHOOLS, strict=True) if row[3]]
    zone_schools_set(zone=zone, schools=zoned, acting_user=admin)
    demo_visits_create(county=county, inspector=inspector, schools=zoned, acting_user=admin)
    return len(schools)


DEMO_INSPECTION_TITLE = "中小学校责任督学挂牌督导制度落实情况专项督导"


@transaction.atomic
def demo_inspection_create():
    """A 专项督导 of the 郑州 office in 金水区 carrying out a task of its latest published plan,
    with the county's 自查自评 asked and a few items already answered, so that the inspection,
    the county's obligation and the plan's task each show the others. Returns the inspection,
    or None when it is there already (or the plan, the county or the accounts are missing)."""
    import datetime

    from django.utils import timezone

    plan = (
        WorkPlan.objects.filter(office__name=ZHENGZHOU_OFFICE, status=WorkPlan.Status.PUBLISHED, revision_of=None)
        .order_by("-plan_year", "-pk")
        .first()
    )
    county = County.objects.filter(city__code="410100", name="金水区").first()
    User = get_user_model()
    staff, county_user = User.objects.filter(username="staff").first(), User.objects.filter(username="county").first()
    if plan is None or county is None or staff is None or county_user is None:
        return None
    if Inspection.objects.filter(office=plan.office, title=DEMO_INSPECTION_TITLE).exists():
        return None
    today = timezone.localdate()
    if plan.plan_year == today.year:
        starts = min(today + datetime.timedelta(days=14), datetime.date(today.year, 12, 28))
    else:
        starts = datetime.date(plan.plan_year, 5, 12)
    inspection = inspection_save(
        inspection=Inspection(
            office=plan.office,
            kind=Inspection.Kind.SPECIAL,
            title=DEMO_INSPECTION_TITLE,
            description="检查督学责任区划分、责任督学配备和挂牌督导工作开展情况。",
            starts_on=starts,
            ends_on=starts + datetime.timedelta(days=2),
            self_assessment_due=starts - datetime.timedelta(days=7),
        ),
        tasks=list(plan.tasks.order_by("number")[:1]),
        counties=[county],
        schools=list(School.objects.filter(county=county, status=School.Status.OPEN).order_by("name")[:2]),
        team=[
            MemberData(role="leader", name="张组长", unit="郑州市人民政府教育督导委员会办公室"),
            MemberData(role="member", name="王督学", unit="金水区教育局"),
        ],
        acting_user=staff,
    )
    inspection = inspection_move(inspection=inspection, to=Inspection.Status.SELF_ASSESSMENT, acting_user=staff)
    items = list(inspection.checklist.order_by("position")[:3])
    self_assessment_save(
        inspection=inspection,
        county=county,
        answers={
            items[0].pk: ("met", "学校章程、制度汇编齐全，校务会议记录完整。"),
            items[1].pk: ("partly", "校务公开栏已设立，教代会记录尚待补齐。"),
            items[2].pk: ("met", "严格按学区划片招生，无违规择校。"),
        },
        acting_user=county_user,
    )
    return inspection


DEMO_INSPECTION = "学校食堂食品安全专项督导（演示）"


@transaction.atomic
def demo_rectification_create() -> dict | None:
    """An inspection of 郑州's office in 金水区 with findings (one with a photo), a 整改 item
    issued for one of them that needs a follow-up check, 金水区's report on it awaiting review,
    a follow-up check that goes back to it, and a 挂牌督导 visit with a finding of its own.
    Returns what it made, or None when the inspection is there already (or its office, county or
    schools are missing)."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from inspections.findings import finding_record
    from inspections.models import Inspection, Visit
    from inspections.rectification import follow_up_create, rectification_issue, rectification_obligation

    User = get_user_model()
    office = Office.objects.filter(name=ZHENGZHOU_OFFICE).first()
    county = County.objects.filter(city__code="410100", name="金水区").first()
    staff, county_user = User.objects.filter(username="staff").first(), User.objects.filter(username="county").first()
    school = School.objects.filter(county=county, status=School.Status.OPEN).order_by("pk").first() if county else None
    if (
        None in (office, county, staff, county_user, school)
        or Inspection.objects.filter(title=DEMO_INSPECTION).exists()
    ):
        return None
    today = timezone.localdate()
    inspection = Inspection.objects.create(
        office=office,
        year=today.year,
        kind=Inspection.Kind.SPECIAL,
        title=DEMO_INSPECTION,
        status=Inspection.Status.RECTIFICATION,
        starts_on=today - datetime.timedelta(days=14),
        ends_on=today - datetime.timedelta(days=12),
        created_by=staff,
    )
    inspection.counties.set([county])
    inspection.schools.set([school])
    photo = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
    issued = finding_record(
        acting_user=staff,
        inspection=inspection,
        county=county,
        school=school,
        text="食堂未落实校领导陪餐制度，陪餐记录缺失。",
        severity="serious",
        files=[SimpleUploadedFile("食堂现场.jpg", photo)],
    )
    open_finding = finding_record(
        acting_user=staff, inspection=inspection, county=county, text="食品留样柜温度记录不全。", severity="general"
    )
    item = rectification_issue(
        finding=issued,
        requirement="建立校领导陪餐制度和陪餐记录台账。",
        done_when="报送陪餐制度文件和近一个月的陪餐记录。",
        due_date=today + datetime.timedelta(days=20),
        needs_follow_up=True,
        acting_user=staff,
    )
    report_submit(
        assignment=rectification_obligation(item),
        acting_user=county_user,
        progress=ProgressReport.Progress.DONE,
        text="已建立陪餐制度，附制度文件。",
        files=[SimpleUploadedFile("陪餐制度.pdf", b"%PDF-1.4 demo")],
    )
    follow_up = follow_up_create(
        office=office,
        title="食堂食品安全整改情况督查（演示）",
        starts_on=today + datetime.timedelta(days=25),
        ends_on=today + datetime.timedelta(days=25),
        rectifications=[item],
        acting_user=staff,
    )
    inspector = Inspector.objects.filter(county=county).order_by("pk").first()
    visit = visit_finding = None
    if inspector is not None:
        # The 督学's visit of the register's demo (demo_visits_create) when there is one.
        visit = Visit.objects.filter(inspector=inspector).order_by("pk").first() or Visit.objects.create(
            school=school,
            inspector=inspector,
            visited_on=min(today, site_today()) - datetime.timedelta(days=3),
            record="查看了食堂和饮水设施。",
        )
        visit_finding = finding_record(acting_user=staff, visit=visit, text="饮水机滤芯超期未换。", severity="minor")
    return {
        "inspection": inspection,
        "finding": issued,
        "open_finding": open_finding,
        "rectification": item,
        "follow_up": follow_up,
        "visit": visit,
        "visit_finding": visit_finding,
    }


def demo_visits_create(*, county, inspector, schools, acting_user, today=None) -> None:
    """The county's 挂牌督导 rhythm for the year (each month of term, the usual local rule) and
    the 督学's visit to the first of their schools today: the month's view has one of each."""
    today = today or site_today()
    if not Office.objects.filter(county=county).exists() or not schools:
        return
    visit_rhythm_set(
        county=county, year=today.year, period="每月", months=DEFAULT_MONTHS, acting_user=acting_user, today=today
    )
    visit_record(
        school=schools[0],
        inspector=inspector,
        visited_on=today,
        topics=["management", "safety", "hygiene"],
        record="查看校门口上下学交通秩序和食堂留样记录，随堂听课一节。",
        opinion="食堂留样记录填写不全，请一周内补齐并指定专人负责。",
        acting_user=inspector.user or acting_user,
        today=today,
    )
