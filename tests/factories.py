"""factory_boy factories for the plans domain.

Division codes start with 9, which no real province uses, so factory rows never collide with
the reference data a session database may already hold.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from organisation.models import County, Membership, Office, Region
from plans.models import Project, ScheduleEntry, Section, Task, WorkPlan, months_to_mask
from plans.services import plan_county_index_refresh

PASSWORD = "factory-pass-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"90{n:04d}")
    name = factory.Sequence(lambda n: f"测试市{n}")
    level = Region.Level.CITY


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County

    code = factory.Sequence(lambda n: f"91{n:04d}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    kind = County.Kind.DISTRICT
    city = factory.SubFactory(RegionFactory)


def serial(n: int) -> str:
    """`n` as four capital letters (0 → AAAA), in the order of `n`: a name that every plan's
    notice title repeats must hold no digits, or the 2017th office made in a run matches a
    search for the year 2017."""
    letters = ""
    for _ in range(4):
        n, digit = divmod(n, 26)
        letters = chr(ord("A") + digit) + letters
    return letters


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"测试市人民政府教育督导室{serial(n)}")
    level = Office.Level.CITY
    region = factory.SubFactory(RegionFactory)


class CountyOfficeFactory(OfficeFactory):
    name = factory.Sequence(lambda n: f"测试区人民政府教育督导室{serial(n)}")
    level = Office.Level.COUNTY
    region = None
    county = factory.SubFactory(CountyFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    office = factory.SubFactory(OfficeFactory)
    role = Membership.Role.EDITOR


def staff_user_create(*, role=Membership.Role.EDITOR, **kwargs):
    """A member of a city office's staff (an editor unless `role` says otherwise): reads the
    office's plans in every state and every office's issued plans."""
    return MembershipFactory(role=role, **kwargs).user


def county_user_create(*, county, **kwargs):
    """A user of `county`'s own supervision office."""
    office = CountyOfficeFactory(county=county)
    return MembershipFactory(role=Membership.Role.COUNTY, office=office, **kwargs).user


class WorkPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkPlan

    office = factory.SubFactory(OfficeFactory)
    plan_year = 2020
    title = factory.Sequence(lambda n: f"2020年测试市教育督导工作要点（{n}）")
    notice_title = factory.LazyAttribute(lambda o: f"{o.office.name}关于印发{o.title}的通知")
    doc_number = factory.Sequence(lambda n: f"测教督〔2020〕{n}号")
    issue_date = datetime.date(2020, 3, 3)
    recipients = factory.LazyFunction(lambda: ["各市、区教育局", "市属各学校（单位）"])
    cc = factory.LazyFunction(lambda: ["省教育督导委员会办公室"])
    notice_text = "现将工作要点印发给你们，请结合工作实际，认真贯彻落实。"
    preamble = "以习近平新时代中国特色社会主义思想为指导。"
    imprint = "测试市教育局办公室 2020年3月3日印发"
    status = WorkPlan.Status.PUBLISHED
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.status in WorkPlan.ISSUED else None)
    archived_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == WorkPlan.Status.ARCHIVED else None)
    revision = factory.LazyAttribute(lambda o: 1 if o.status in WorkPlan.ISSUED else 0)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    plan = factory.SubFactory(WorkPlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    level = 1
    label = "一、"
    heading = factory.Sequence(lambda n: f"主要工作{n}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task
        skip_postgeneration_save = True

    plan = factory.SubFactory(WorkPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    label = factory.LazyAttribute(lambda o: f"{o.number}.")
    title = factory.Sequence(lambda n: f"推进督导工作第{n}项")
    text = factory.LazyAttribute(lambda o: f"{o.title}。按照要求认真做好相关工作。")

    @factory.post_generation
    def counties(self, create, extracted, **kwargs):
        if create and extracted:
            self.counties.set(extracted)
            plan_county_index_refresh(plan=self.plan)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    plan = factory.SubFactory(WorkPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    label = "第一项工程"
    name = factory.Sequence(lambda n: f"学校建设工程{n}")
    goal = "三年新建学校若干所。"
    annual_target = "本年度开工建设学校若干所。"


class ScheduleEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduleEntry
        skip_postgeneration_save = True

    class Params:
        # The months the entry falls in; start, end and the bitmask follow from it.
        month_set = (3,)

    plan = factory.SubFactory(WorkPlanFactory)
    task = None
    position = factory.Sequence(lambda n: n + 1)
    period = factory.LazyAttribute(lambda o: "、".join(f"{m}月" for m in o.month_set))
    start_month = factory.LazyAttribute(lambda o: min(o.month_set))
    end_month = factory.LazyAttribute(lambda o: max(o.month_set))
    months = factory.LazyAttribute(lambda o: months_to_mask(o.month_set))
    granularity = ScheduleEntry.Granularity.MONTH
    text = factory.Sequence(lambda n: f"开展专项督导检查{n}")

    @factory.post_generation
    def counties(self, create, extracted, **kwargs):
        if create and extracted:
            self.counties.set(extracted)
            plan_county_index_refresh(plan=self.plan)


def work_plan_build(*, tasks: int, counties=(), **plan_fields) -> WorkPlan:
    """A plan of `tasks` numbered tasks under one section, each with one calendar line;
    every task and line names all of `counties`."""
    plan = WorkPlanFactory(**plan_fields)
    section = SectionFactory(plan=plan, position=1, label="一、", heading="主要工作")
    for number in range(1, tasks + 1):
        task = TaskFactory(plan=plan, section=section, number=number, counties=counties)
        ScheduleEntryFactory(
            plan=plan,
            task=task,
            position=number,
            month_set=((number - 1) % 12 + 1,),
            counties=counties,
        )
    return plan
