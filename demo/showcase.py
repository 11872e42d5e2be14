"""What setup_demo adds to the seeds: the demo accounts, a draft to try the edit page on,
reports for the demo county and a contact address for it."""

from django.contrib.auth import get_user_model
from django.db import transaction

from inspections.models import Inspector, School
from inspections.services import inspector_save, school_save, zone_create, zone_schools_set
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
