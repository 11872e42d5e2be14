"""The rows of generated demo data (demo.data): offices and people, plans and their
parts, revisions, assignments, reports and reminders, all drawn from one random.Random.

Nothing here reads the time or a row's id to decide anything: the same seed and as-of date give
the same content (the digest says so), whatever ids the database hands out.
"""

import calendar
import datetime
import hashlib
import random
import time
import uuid
import zoneinfo
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import ActionLog
from demo import words
from demo.models import DemoDataset
from demo.showcase import DEMO_PASSWORD
from inspections.models import Inspection, Rectification, School, Visit
from organisation.models import County, Membership, Office, Region
from plans import actions
from plans.models import (
    EntryTarget,
    PlanCounty,
    PlanRevision,
    Project,
    ScheduleEntry,
    Section,
    Task,
    TaskTarget,
    WorkPlan,
    months_to_mask,
)
from plans.services.bulk import BulkWriter
from plans.services.content import plan_county_ids
from plans.snapshots import snapshot_build
from plans.textsearch import plan_search_grams, search_grams
from schedule.periods import parse_period
from tracking.models import Assignment, ProgressReport, Reminder
from tracking.services.assignments import assignments_planned_from

Status = WorkPlan.Status
State = Assignment.State
Review = ProgressReport.Review
Progress = ProgressReport.Progress

STAFF = ((Membership.Role.EDITOR, 8), (Membership.Role.REVIEWER, 2), (Membership.Role.VIEWER, 10))
# A provincial office follows its cities' work on the province's dashboard: a few staff, mostly viewers.
PROVINCE_STAFF = ((Membership.Role.EDITOR, 1), (Membership.Role.VIEWER, 4))
CITIES_PER_FLUSH = 8
USERNAME_PREFIX = "demo-"
NO_DIVISIONS = "no_divisions"


def seed_issuers() -> set[str]:
    """The offices the seed notices issue under (the table of fixtures/seeds/README.md): their
    names are left to them, so that the seeds import beside generated data as make bench does."""
    try:
        lines = (Path(settings.BASE_DIR) / "fixtures" / "seeds" / "README.md").read_text(encoding="utf-8")
    except OSError:
        return set()
    cells = (line.split("|") for line in lines.splitlines())
    return {row[2].strip() for row in cells if len(row) > 3 and row[1].strip().endswith(".txt")}


# --- Periods ----------------------------------------------------------------------------------

_CN = {
    1: "一",
    2: "二",
    3: "三",
    4: "四",
    5: "五",
    6: "六",
    7: "七",
    8: "八",
    9: "九",
    10: "十",
    11: "十一",
    12: "十二",
}


def _span(rng, longest=3) -> tuple[int, int]:
    first = rng.randint(1, 11)
    return first, min(12, first + rng.randint(1, longest))


def _day(rng, month: int) -> int:
    last = calendar.monthrange(2001, month)[1]
    return rng.choice([d for d in (10, 15, 20, 25, 28, 30, 31) if d <= last])


def _pair(rng) -> str:
    first = rng.randint(1, 11)
    return f"{_CN[first]}、{_CN[first + 1]}月份"


def _two_months(rng) -> str:
    first = rng.randint(1, 11)
    return f"{first}月、{rng.randint(first + 1, 12)}月"


def _ten_days_across(rng) -> str:
    first = rng.randint(1, 11)
    return f"{first}月下旬-{first + 1}月上旬"


def _months_to_ten_days(rng) -> str:
    first = rng.randint(1, 11)
    return f"{first}月—{rng.randint(first + 1, 12)}月上旬"


def _day_deadline(rng) -> str:
    month = rng.randint(1, 12)
    return f"{month}月{_day(rng, month)}日前"


def _quarters(rng) -> str:
    first = rng.randint(1, 3)
    return f"{_CN[first]}至{_CN[rng.randint(first + 1, 4)]}季度"


# Every form of period the parser reads (schedule.periods), with how often notices use it.
PERIOD_FORMS = (
    (10, lambda r: f"{r.randint(1, 12)}月"),
    (3, lambda r: f"{_CN[r.randint(1, 12)]}月份"),
    (6, lambda r: "{}-{}月".format(*_span(r))),
    (2, lambda r: "{}—{}月份".format(*_span(r))),
    (1, lambda r: "{}～{}月".format(*_span(r))),
    (2, lambda r: "{}月-{}月".format(*_span(r))),
    (2, _pair),
    (3, _two_months),
    (4, lambda r: f"{r.randint(1, 12)}月{r.choice('上中下')}旬"),
    (1, lambda r: f"{r.randint(1, 12)}月中下旬"),
    (1, _ten_days_across),
    (1, _months_to_ten_days),
    (3, _day_deadline),
    (3, lambda r: f"{r.randint(1, 12)}月底前"),
    (3, lambda r: f"{_CN[r.randint(1, 4)]}季度"),
    (1, lambda r: f"第{_CN[r.randint(1, 4)]}季度"),
    (1, lambda r: f"{_CN[r.randint(1, 4)]}季度末"),
    (1, _quarters),
    (2, lambda r: "上半年"),
    (1, lambda r: "下半年"),
    (1, lambda r: "上半年和下半年"),
    (3, lambda r: "全年"),
    (1, lambda r: "年内"),
    (3, lambda r: "年底前"),
    (1, lambda r: "年初"),
    (1, lambda r: "寒假"),
    (1, lambda r: "暑期"),
    (1, lambda r: "每月"),
    (1, lambda r: "每季度"),
)
_PERIOD_WEIGHTS = [weight for weight, _form in PERIOD_FORMS]
_PERIOD_MAKERS = [form for _weight, form in PERIOD_FORMS]


@lru_cache(maxsize=4096)
def period_read(text: str) -> tuple[tuple[int, ...], str, int | None]:
    """(months, granularity, deadline day) of a written period, as an import reads it."""
    period = parse_period(text)
    if period is None:
        raise ValueError(f"the parser does not read the generated period {text!r}")
    return period.months, period.granularity, period.deadline_day


def _period(rng) -> str:
    return rng.choices(_PERIOD_MAKERS, _PERIOD_WEIGHTS)[0](rng)


# --- Generation -------------------------------------------------------------------------------


class DemoGenerator:
    """Writes one deployment's worth of rows through a BulkWriter (see demo.data)."""

    def __init__(self, *, scale, seed: int, as_of: datetime.date, writer: BulkWriter, progress):
        self.scale, self.seed, self.as_of = scale, seed, as_of
        self.rng = random.Random(seed)
        self.writer = writer
        self.progress = progress
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.as_of_end = datetime.datetime.combine(as_of, datetime.time(18, 0), tzinfo=self.tz)
        self.digest = hashlib.sha256()
        self.password = make_password(DEMO_PASSWORD)
        self.logins: list[tuple[str, str]] = []
        self.History = {
            m: m.history.model
            for m in (
                WorkPlan,
                Section,
                Task,
                Project,
                ScheduleEntry,
                TaskTarget,
                EntryTarget,
                Membership,
            )
        }

    # helpers

    def at(self, day: datetime.date, *, late: bool = False) -> datetime.datetime:
        hour = self.rng.randint(14, 18) if late else self.rng.randint(8, 12)
        return datetime.datetime.combine(day, datetime.time(hour, self.rng.randint(0, 59)), tzinfo=self.tz)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def note(self, *parts) -> None:
        self.digest.update("|".join(map(str, parts)).encode("utf-8"))
        self.digest.update(b"\n")

    def add(self, model, **values):
        return self.writer.add(model, **values)

    def add_with_history(self, model, when, by, **values):
        pk = self.writer.add(model, **dict(values))
        self.history(model, values | {"id": pk}, when, by)
        return pk

    def history(self, model, values: dict, when, by, kind: str = "+") -> None:
        Historical = self.History[model]
        names = {f.attname for f in Historical._meta.concrete_fields}
        row = {k: v for k, v in values.items() if k in names}
        self.writer.add(
            Historical,
            **row,
            history_date=when,
            history_type=kind,
            history_user_id=by,
            history_change_reason=None,
        )

    def name(self, rng=None) -> str:
        rng = rng or self.rng
        given = "".join(rng.choice(words.GIVEN_CHARACTERS) for _ in range(rng.choice((1, 2, 2))))
        return rng.choice(words.SURNAMES) + given

    # divisions and people

    def load_divisions(self) -> None:
        regions = {r.pk: r for r in Region.objects.all()}
        cities = sorted((r for r in regions.values() if r.level == Region.Level.CITY), key=lambda r: r.code)
        if self.scale.city_codes is not None:
            cities = [r for r in cities if r.code in self.scale.city_codes]
        if not cities:
            raise ValidationError(NO_DIVISIONS, code=NO_DIVISIONS)
        self.cities = cities
        counties = defaultdict(list)
        for county in County.objects.filter(city__in=cities).order_by("code", "name"):
            counties[county.city_id].append(county)
        self.counties = counties
        self.taken_names = set(Office.objects.values_list("name", flat=True)) | seed_issuers()

    def _office_name(self, forms, **parts) -> str:
        for form in forms:
            name = form.format(**parts)
            if name not in self.taken_names:
                self.taken_names.add(name)
                return name
        name = f"{forms[0].format(**parts)}（{len(self.taken_names)}）"
        self.taken_names.add(name)
        return name

    def user(self, username: str, joined: datetime.datetime, rng=None) -> int:
        pk = self.add(
            get_user_model(),
            username=username,
            password=self.password,
            first_name=self.name(rng),
            last_name="",
            email=f"{username}@demo.invalid",
            is_staff=False,
            is_superuser=False,
            is_active=True,
            date_joined=joined,
            last_login=None,
        )
        self.add(DemoDataset.users.through, demodataset_id=self.dataset_id, user_id=pk)
        self.note("user", username)
        return pk

    def member(self, user_id: int, office_id: int, role: str, joined) -> None:
        values = {"user_id": user_id, "office_id": office_id, "role": role, "created_at": joined}
        self.add_with_history(Membership, joined, None, **values)

    def offices_and_people(self) -> None:
        """An office per city and county, their staff and county users."""
        rng = self.rng
        start = datetime.date(self.as_of.year - self.scale.years, 1, 4)
        self.city_office, self.office_names, self.region, self.staff = {}, {}, {}, {}
        self.county_office, self.county_user, self.county_username = {}, {}, {}
        for city in self.cities:
            name = self._office_name(words.CITY_OFFICE_FORMS, city=city.name)
            office_id = self.add(
                Office, name=name, level=Office.Level.CITY, region_id=city.pk, parent_id=None, county_id=None
            )
            self.add(DemoDataset.offices.through, demodataset_id=self.dataset_id, office_id=office_id)
            self.city_office[city.pk] = office_id
            self.office_names[city.pk] = name
            self.region[city.pk] = {c.pk for c in self.counties[city.pk]}
            self.note("office", name)
            staff = defaultdict(list)
            for role, how_many in STAFF:
                for n in range(1, how_many + 1):
                    joined = self.at(start + datetime.timedelta(days=rng.randint(0, 300)))
                    username = f"{USERNAME_PREFIX}{city.code}-{role}-{n}"
                    user_id = self.user(username, joined)
                    self.member(user_id, office_id, role, joined)
                    staff[role].append(user_id)
            self.staff[city.pk] = staff
            zone_number = 0
            for county in self.counties[city.pk]:
                name = self._office_name(words.COUNTY_OFFICE_FORMS, city=city.name, county=county.name)
                county_office = self.add(
                    Office,
                    name=name,
                    level=Office.Level.COUNTY,
                    county_id=county.pk,
                    parent_id=office_id,
                    region_id=None,
                )
                self.add(DemoDataset.offices.through, demodataset_id=self.dataset_id, office_id=county_office)
                self.county_office[county.pk] = county_office
                if county.code:
                    username = f"{USERNAME_PREFIX}{county.code}-county"
                else:
                    zone_number += 1
                    username = f"{USERNAME_PREFIX}{city.code}z{zone_number}-county"
                joined = self.at(start + datetime.timedelta(days=rng.randint(0, 300)))
                user_id = self.user(username, joined)
                self.member(user_id, county_office, Membership.Role.COUNTY, joined)
                self.county_user[county.pk] = user_id
                self.county_username[county.pk] = username
        first = self.cities[0]
        self.logins = [
            (f"{USERNAME_PREFIX}{first.code}-editor-1", Membership.Role.EDITOR),
            (f"{USERNAME_PREFIX}{first.code}-reviewer-1", Membership.Role.REVIEWER),
        ]
        county = next((c for c in self.counties[first.pk] if c.code), None)
        if county is not None:
            self.logins.append((self.county_username[county.pk], Membership.Role.COUNTY))

    def province_offices(self) -> None:
        """An office per province the cities are in, with its staff, as a province's users see
        its dashboard. Its own random stream and written after the cities', so that everything
        else is what it was without it."""
        rng = random.Random(f"{self.seed}-provinces")
        start = datetime.date(self.as_of.year - self.scale.years, 1, 4)
        provinces = Region.objects.filter(pk__in={city.parent_id for city in self.cities}).order_by("code")
        self.province_office = {}
        for province in provinces:
            name = self._office_name(words.PROVINCE_OFFICE_FORMS, province=province.name)
            office_id = self.add(
                Office, name=name, level=Office.Level.PROVINCE, region_id=province.pk, parent_id=None, county_id=None
            )
            self.add(DemoDataset.offices.through, demodataset_id=self.dataset_id, office_id=office_id)
            self.province_office[province.pk] = office_id
            self.note("office", name)
            for role, how_many in PROVINCE_STAFF:
                for n in range(1, how_many + 1):
                    joined = self.at(start + datetime.timedelta(days=rng.randint(0, 300)))
                    user_id = self.user(f"{USERNAME_PREFIX}{province.code}-{role}-{n}", joined, rng)
                    self.member(user_id, office_id, role, joined)

    # plans

    def plan_status(self, year: int, city_index: int) -> str:
        r = self.rng.random()
        if year <= self.as_of.year - 2:
            return Status.ARCHIVED if r < 0.9 else Status.PUBLISHED
        if year == self.as_of.year - 1:
            return Status.PUBLISHED if r < 0.8 else Status.ARCHIVED
        # This year's: the first city's a draft and the second's in review, so that even five
        # cities have one of each to edit and publish.
        if city_index < 2:
            return (Status.DRAFT, Status.IN_REVIEW)[city_index]
        return Status.PUBLISHED if r < 0.85 else Status.IN_REVIEW if r < 0.9 else Status.DRAFT

    def city_plans(self, city: Region, city_index: int) -> None:
        for year in range(self.as_of.year - self.scale.years + 1, self.as_of.year + 1):
            self.plan(city, year, city_index)

    def plan(self, city: Region, year: int, city_index: int) -> None:
        rng = self.rng
        office_id = self.city_office[city.pk]
        staff = self.staff[city.pk]
        editor, reviewer = rng.choice(staff[Membership.Role.EDITOR]), rng.choice(staff[Membership.Role.REVIEWER])
        counties = self.counties[city.pk]
        office_name = self.office_names[city.pk]
        status = self.plan_status(year, city_index)
        issued = status in WorkPlan.ISSUED
        revisions = 0
        if issued:
            revisions = rng.choices((1, 2, 3), (90, 8, 2))[0]
        issue_day = datetime.date(year, rng.randint(1, 3), rng.randint(1, 28))
        if year == self.as_of.year and not issued:
            issue_day = None
        created_day = (issue_day or self.as_of - datetime.timedelta(days=rng.randint(1, 40))) - datetime.timedelta(
            days=rng.randint(3, 20)
        )
        created = self.at(created_day)
        title = rng.choice(words.TITLE_FORMS).format(year=year, city=city.name, office=office_name)
        doc_number = ""
        if rng.random() < 0.9:
            doc_number = rng.choice(words.DOC_NUMBER_FORMS).format(abbr=city.name[0], year=year, n=rng.randint(1, 9))
        notice = rng.random() < 0.85
        plan = {
            "office_id": office_id,
            "title": title,
            "notice_title": f"{office_name}关于印发{title}的通知" if notice else "",
            "doc_number": doc_number,
            "issue_date": issue_day,
            "plan_year": year,
            "recipients": list(rng.choice(words.RECIPIENTS)),
            "cc": list(rng.choice(words.CC)) if notice else [],
            "notice_text": rng.choice(words.NOTICE_TEXTS).format(title=title) if notice else "",
            "preamble": rng.choice(words.PREAMBLES).format(year=year),
            "notes": rng.choice(words.NOTES),
            "imprint": f"{city.name}教育局办公室 {issue_day.year}年{issue_day.month}月{issue_day.day}日印发"
            if notice and issue_day
            else "",
            "projects_first": False,
            "status": status,
            "revision": revisions,
            "revision_of_id": None,
            "created_by_id": editor,
            "created_at": created,
            "updated_at": created,
            "submitted_at": None,
            "published_at": None,
            "archived_at": None,
        }
        content = self.content(city, year, counties)
        if content["projects"] and rng.random() < 0.5:
            plan["projects_first"] = True
        # Lifecycle dates, each after the one before.
        steps = [("created", created, editor)]
        if status != Status.DRAFT:
            submitted = created + datetime.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 6))
            plan["submitted_at"] = submitted
            steps.append(("submitted", submitted, editor))
        if issued:
            published = self.at(issue_day, late=True)
            published = max(published, plan["submitted_at"] + datetime.timedelta(hours=2))
            plan["published_at"] = published
            steps.append(("published", published, reviewer))
        revision_dates = []
        if revisions > 1:
            last = plan["published_at"]
            for number in range(2, revisions + 1):
                day = min(last.date() + datetime.timedelta(days=rng.randint(20, 120)), self.as_of)
                started = self.at(day)
                published = started + datetime.timedelta(days=rng.randint(1, 7))
                revision_dates.append((number, started, published))
                last = published
            plan["published_at"] = last
        if status == Status.ARCHIVED:
            archived = self.at(datetime.date(year + 1, rng.randint(1, 3), rng.randint(1, 28)))
            archived = min(max(archived, plan["published_at"] + datetime.timedelta(days=1)), self.at(self.as_of))
            plan["archived_at"] = archived
        plan["version"] = (
            1 + (status != Status.DRAFT) + issued + 3 * max(0, revisions - 1) + (status == Status.ARCHIVED)
        )
        plan["updated_at"] = max(
            d for d in (created, plan["submitted_at"], plan["published_at"], plan["archived_at"]) if d
        )
        for task in content["tasks"]:
            task["search_grams"] = search_grams(task["title"], task["text"])
        plan_id = self.add(
            WorkPlan, **plan, search_grams=plan_search_grams((task["title"], task["text"]) for task in content["tasks"])
        )
        self.note("plan", city.code, year, status, title, doc_number, revisions)
        self.plan_history(plan_id, plan, editor, reviewer, steps, revision_dates)
        self.write_content(plan_id, city, content, editor, created)
        if issued:
            self.published_tasks[city.pk, year] = [t["id"] for t in content["tasks"]]
            first_published = next(when for action, when, _actor in steps if action == "published")
            self.revisions(plan_id, plan, content, revisions, revision_dates, reviewer, first_published)
            self.assignments(plan_id, plan, content, city, first_published)

    def plan_history(self, plan_id, plan, editor, reviewer, steps, revision_dates) -> None:
        values = dict(plan, id=plan_id)
        statuses = {"created": Status.DRAFT, "submitted": Status.IN_REVIEW, "published": Status.PUBLISHED}
        for index, (action, when, actor) in enumerate(steps):
            state = dict(values, status=statuses[action], version=index + 1)
            self.history(WorkPlan, state, when, actor, "+" if action == "created" else "~")
            event = {
                "created": actions.PLAN_CREATED,
                "submitted": actions.PLAN_SUBMITTED,
                "published": actions.PLAN_PUBLISHED,
            }[action]
            self.plan_event(plan_id, plan, event, actor, when, revision=1 if action == "published" else None)
        for number, started, published in revision_dates:
            self.plan_event(plan_id, plan, actions.PLAN_REVISION_STARTED, editor, started, revision=number)
            submitted = started + datetime.timedelta(hours=3)
            self.plan_event(plan_id, plan, actions.PLAN_SUBMITTED, editor, submitted, revision=number)
            self.plan_event(plan_id, plan, actions.PLAN_PUBLISHED, reviewer, published, revision=number)
            self.history(WorkPlan, dict(values, revision=number, published_at=published), published, reviewer, "~")
        if plan["archived_at"]:
            self.history(WorkPlan, values, plan["archived_at"], reviewer, "~")
            self.plan_event(plan_id, plan, actions.PLAN_ARCHIVED, reviewer, plan["archived_at"])

    def plan_event(self, plan_id, plan, action, actor, when, *, revision=None) -> None:
        """A lifecycle step in the audit log, as plans.services.lifecycle logs it."""
        self.add(
            ActionLog,
            content_type_id=ContentType.objects.get_for_model(WorkPlan).pk,
            object_id=plan_id,
            action_type=action.name,
            user_id=actor,
            office_id=plan["office_id"],
            datetime=when,
            data={} if revision is None else {"revision": revision},
        )

    def content(self, city, year, counties) -> dict:
        """A plan's sections, tasks, projects and calendar, as plain dicts (no ids yet)."""
        rng = self.rng
        label_form = rng.choice(("{n}.", "{n}、", "{n}．"))
        headings = rng.sample(words.SECTION_HEADINGS, rng.randint(3, 7))
        with_subsections = rng.random() < 0.35
        sections = []
        for i, heading in enumerate(headings, start=1):
            text = rng.choice(words.SENTENCES) if rng.random() < 0.2 else ""
            sections.append(
                {
                    "level": 1,
                    "label": f"{_CN[min(i, 12)]}、",
                    "heading": heading,
                    "text": text,
                    "parent": None,
                    "key": self.uuid(),
                }
            )
            if with_subsections and i > 1:
                parent = len(sections) - 1
                for j, sub in enumerate(rng.sample(words.SUBSECTION_HEADINGS, rng.randint(2, 4)), start=1):
                    sections.append(
                        {
                            "level": 2,
                            "label": f"（{_CN[j]}）",
                            "heading": sub,
                            "text": "",
                            "parent": parent,
                            "key": self.uuid(),
                        }
                    )
        leaves = [i for i, s in enumerate(sections) if not any(t["parent"] == i for t in sections)]
        # Tasks under leaf sections in order; the first section often holds prose only.
        task_count = max(8, min(40, int(rng.gauss(20, 6))))
        homes = sorted(rng.choice(leaves[1:] if len(leaves) > 1 else leaves) for _ in range(task_count))
        tasks = []
        for number, home in enumerate(homes, start=1):
            title = rng.choice(words.TASK_VERBS) + rng.choice(words.TASK_OBJECTS)
            sentences = rng.sample(words.SENTENCES, rng.randint(2, 4))
            named, all_counties = [], False
            r = rng.random()
            if counties and r < 0.3:
                named = rng.sample(counties, min(len(counties), rng.randint(1, 4)))
                sentences.insert(0, f"对{'、'.join(c.name for c in named)}开展督导评估。")
            elif counties and r < 0.65:
                all_counties = True
                sentences.insert(0, f"{rng.choice(words.ALL_COUNTIES_PHRASES)}要认真组织实施，按时报送工作进展。")
            text = title + "。" + "".join(sentences)
            if rng.random() < 0.3:
                text += "\n" + rng.choice(words.SENTENCES)
            unconfirmed = []
            if rng.random() < 0.01:
                unconfirmed = [rng.choice(words.ZONE_FORMS).format(place=city.name[:2])]
            tasks.append(
                {
                    "number": number,
                    "label": label_form.format(n=number),
                    "title": title,
                    "text": text,
                    "section": home,
                    "lead_unit": rng.choice(words.LEAD_UNITS) if rng.random() < 0.3 else "",
                    "addresses_all_counties": all_counties,
                    "unconfirmed_places": unconfirmed,
                    "counties": sorted(named, key=lambda c: (c.code, c.name)),
                    "key": self.uuid(),
                }
            )
        projects = []
        if rng.random() < 0.1:
            for number, name in enumerate(rng.sample(words.PROJECT_NAMES, rng.randint(3, 12)), start=1):
                label = f"第{_CN[number]}项工程"
                projects.append(
                    {
                        "number": number,
                        "label": label,
                        "heading": f"{label}——“{name}”",
                        "name": name,
                        "goal": f"三年内全面完成{name}各项建设任务。",
                        "annual_target": f"{year}年完成年度建设任务。",
                        "text": f"实施{name}。" + rng.choice(words.SENTENCES),
                        "key": self.uuid(),
                    }
                )
        entries = self.calendar(tasks, counties)
        return {"sections": sections, "tasks": tasks, "projects": projects, "entries": entries}

    def calendar(self, tasks, counties) -> list[dict]:
        rng = self.rng
        style = rng.choices(("task", "monthly", "quarterly", "none"), (45, 25, 15, 15))[0]
        entries = []

        def entry(period, text, task, county_pool):
            named = []
            if county_pool and rng.random() < (0.1 if task is not None else 0.2):
                named = rng.sample(county_pool, min(len(county_pool), rng.randint(1, 3)))
                text = f"{text}（{'、'.join(c.name for c in named)}）"
            months, granularity, day = period_read(period)
            entries.append(
                {
                    "period": period,
                    "text": text,
                    "task": task,
                    "months": months,
                    "granularity": granularity,
                    "deadline_day": day,
                    "lead_unit": rng.choice(words.LEAD_UNITS) if rng.random() < 0.15 else "",
                    "counties": sorted(named, key=lambda c: (c.code, c.name)),
                    "key": self.uuid(),
                }
            )

        def action(task=None):
            what = rng.choice(words.ENTRY_ACTIONS)
            return what if task is None else f"{what}（{task['title'][-8:]}）"

        if style == "task":
            for task in tasks:
                for _ in range(rng.choices(range(7), (6, 12, 18, 20, 18, 14, 12))[0]):
                    pool = counties if (task["counties"] or task["addresses_all_counties"]) else []
                    entry(_period(rng), action(), task, pool)
        elif style == "monthly":
            month = 1
            while month <= 12:
                if month in (7, 1) and rng.random() < 0.3 and month < 12:
                    period, month = f"{_CN[month]}、{_CN[month + 1]}月份", month + 2
                else:
                    period, month = f"{_CN[month]}月份", month + 1
                for _ in range(rng.randint(3, 8)):
                    task = rng.choice(tasks) if rng.random() < 0.35 else None
                    entry(period, action(task), task, counties)
        elif style == "quarterly":
            for quarter in range(1, 5):
                for _ in range(rng.randint(6, 10)):
                    task = rng.choice(tasks) if rng.random() < 0.3 else None
                    entry(f"{_CN[quarter]}季度", action(task), task, counties)
        return entries

    def write_content(self, plan_id, city, content, editor, when) -> None:
        section_ids = []
        for position, section in enumerate(content["sections"], start=1):
            parent = section_ids[section["parent"]] if section["parent"] is not None else None
            values = {
                "plan_id": plan_id,
                "key": section["key"],
                "parent_id": parent,
                "position": position,
                "level": section["level"],
                "label": section["label"],
                "heading": section["heading"],
                "text": section["text"],
            }
            section["id"] = self.add_with_history(Section, when, editor, **values)
            section["row"] = values | {"id": section["id"]}
            section_ids.append(section["id"])
        for task in content["tasks"]:
            values = {
                "plan_id": plan_id,
                "key": task["key"],
                "section_id": section_ids[task["section"]],
                "number": task["number"],
                "label": task["label"],
                "title": task["title"],
                "text": task["text"],
                "lead_unit": task["lead_unit"],
                "lead_office_id": None,
                "addresses_all_counties": task["addresses_all_counties"],
                "unconfirmed_places": task["unconfirmed_places"],
                "search_grams": task["search_grams"],
            }
            task["id"] = self.add_with_history(Task, when, editor, **values)
            task["row"] = values | {"id": task["id"]}
            for county in task["counties"]:
                self.add_with_history(TaskTarget, when, editor, task_id=task["id"], county_id=county.pk)
            self.note(
                "task", task["number"], task["title"], task["text"], *[c.code or c.name for c in task["counties"]]
            )
        for project in content["projects"]:
            values = {
                k: project[k] for k in ("key", "number", "label", "heading", "name", "goal", "annual_target", "text")
            }
            project["id"] = self.add_with_history(Project, when, editor, plan_id=plan_id, **values)
            project["row"] = values | {"id": project["id"], "plan_id": plan_id}
        for position, entry in enumerate(content["entries"], start=1):
            months = entry["months"]
            values = {
                "plan_id": plan_id,
                "key": entry["key"],
                "task_id": entry["task"]["id"] if entry["task"] else None,
                "position": position,
                "period": entry["period"],
                "start_month": months[0],
                "end_month": months[-1],
                "months": months_to_mask(months),
                "granularity": entry["granularity"],
                "deadline_day": entry["deadline_day"],
                "text": entry["text"],
                "lead_unit": entry["lead_unit"],
                "unconfirmed_places": [],
            }
            entry["id"] = self.add_with_history(ScheduleEntry, when, editor, **values)
            entry["row"] = values | {"id": entry["id"]}
            for county in entry["counties"]:
                self.add_with_history(EntryTarget, when, editor, entry_id=entry["id"], county_id=county.pk)
            self.note("entry", entry["period"], entry["text"], *[c.code or c.name for c in entry["counties"]])
        # The plan → county index, by the rule plan_county_index_refresh follows.
        named = {c.pk for t in content["tasks"] for c in t["counties"]}
        named |= {c.pk for e in content["entries"] for c in e["counties"]}
        wanted = plan_county_ids(
            named=named,
            addresses_all_counties=any(t["addresses_all_counties"] for t in content["tasks"]),
            region=lambda: self.region[city.pk],
        )
        for county_id in sorted(wanted):
            self.add(PlanCounty, plan_id=plan_id, county_id=county_id)

    def revisions(self, plan_id, plan, content, revisions, revision_dates, reviewer, first_published) -> None:
        """A PlanRevision per publication; earlier ones lack the tasks a revision added."""
        published = {1: first_published} | {number: when for number, _started, when in revision_dates}
        header = SimpleNamespace(**plan)
        for number in range(1, revisions + 1):
            dropped = revisions - number  # the last tasks came with later revisions
            tasks = content["tasks"][: len(content["tasks"]) - dropped]
            kept = {t["id"] for t in tasks}
            entries = [e for e in content["entries"] if e["task"] is None or e["task"]["id"] in kept]
            snapshot = snapshot_build(
                plan=header,
                sections=[SimpleNamespace(pk=s["id"], **s["row"]) for s in content["sections"]],
                tasks=[SimpleNamespace(pk=t["id"], **t["row"]) for t in tasks],
                projects=[SimpleNamespace(pk=p["id"], **p["row"]) for p in content["projects"]],
                entries=[SimpleNamespace(pk=e["id"], **e["row"]) for e in entries],
                task_counties={t["id"]: [(c.pk, c.name) for c in t["counties"]] for t in tasks},
                entry_counties={e["id"]: [(c.pk, c.name) for c in e["counties"]] for e in entries},
            )
            note = "" if number == 1 else f"增加第{len(tasks)}项任务。"
            self.add(
                PlanRevision,
                plan_id=plan_id,
                number=number,
                doc_number=plan["doc_number"],
                note=note,
                published_at=published[number],
                published_by_id=reviewer,
                snapshot=snapshot,
            )

    # assignments and reports

    def assignments(self, plan_id, plan, content, city, first_published) -> None:
        """What publishing sends (tracking.services.assignments: the domain's own rules, on the
        generated rows), with the states and reports of a year's work up to the as-of date."""
        rng = self.rng
        by_pk = {c.pk: c for c in self.counties[city.pk]}
        planned = assignments_planned_from(
            tasks=[SimpleNamespace(pk=t["id"], **t["row"]) for t in content["tasks"]],
            entries=[SimpleNamespace(pk=e["id"], **e["row"]) for e in content["entries"]],
            task_counties={t["id"]: {c.pk for c in t["counties"]} for t in content["tasks"]},
            entry_counties={e["id"]: {c.pk for c in e["counties"]} for e in content["entries"]},
            region=lambda: self.region[city.pk],
            plan_year=plan["plan_year"],
        )
        # Each line's assignments county by county, a county's occurrences in turn: the order
        # the states are drawn in, so that a seed keeps giving the data it gave.
        lines = {}
        for item in planned:
            lines.setdefault((item.task and item.task.pk, item.entry and item.entry.pk), len(lines))
        planned.sort(key=lambda item: (lines[item.task and item.task.pk, item.entry and item.entry.pk], item.county_id))
        staff = self.staff[city.pk]
        reviewers = staff[Membership.Role.REVIEWER] + staff[Membership.Role.EDITOR][:2]
        for item in planned:
            county_id, occurrence, due, label = item.county_id, item.occurrence, item.due, item.label
            values = {
                "office_id": plan["office_id"],
                "year": plan["plan_year"],
                "plan_id": plan_id,
                "task_id": item.task.pk if item.task else None,
                "entry_id": item.entry.pk if item.entry else None,
                "county_id": county_id,
                "label": label,
                "occurrence": occurrence.key if occurrence else "",
                "occurrence_number": occurrence.number if occurrence else 0,
                "occurrence_count": occurrence.count if occurrence else 0,
                "due_date": due.date,
                "due_date_rule": due.date,
                "due_date_reason": "",
                "due_date_approximate": due.approximate,
                "created_at": first_published,
                "acknowledged_at": None,
                "acknowledged_by_id": None,
                "progress": "",
                "closed_at": None,
                "closed_note": "",
                "state": State.ASSIGNED,
            }
            if rng.random() < 0.01:
                moved = due.date + datetime.timedelta(days=rng.randint(7, 30))
                if moved.year == due.date.year:
                    values["due_date"] = moved
                    values["due_date_reason"] = "因迎检工作安排调整，延期办理。"
            self.assignment_progress(values, plan, county_id, reviewers)
            self.note(
                "assignment", by_pk[county_id].code or by_pk[county_id].name, label, values["state"], values["due_date"]
            )

    def assignment_progress(self, values, plan, county_id, reviewers) -> None:
        rng = self.rng
        as_of_dt = self.as_of_end
        sent = values["created_at"]
        due = values["due_date"]
        r = rng.random()
        if plan["status"] == Status.ARCHIVED:
            # Tracking began two years back: the older plans' work was mostly closed unreported
            # when they were archived.
            state = State.ACCEPTED if r < 0.25 else State.RETURNED if r < 0.26 else State.WITHDRAWN
        elif due < self.as_of:
            state = (
                State.ACCEPTED
                if r < 0.55
                else State.REPORTED
                if r < 0.67
                else State.RETURNED
                if r < 0.72
                else State.ACKNOWLEDGED
                if r < 0.85
                else State.ASSIGNED
            )
        else:
            state = (
                State.ASSIGNED
                if r < 0.35
                else State.ACKNOWLEDGED
                if r < 0.80
                else State.REPORTED
                if r < 0.92
                else State.ACCEPTED
            )
        county_user = self.county_user.get(county_id)
        values["state"] = state
        if state == State.WITHDRAWN:
            values["closed_at"] = plan["archived_at"]
            values["closed_note"] = words.CLOSED_ON_ARCHIVE
        if state in (State.ASSIGNED, State.WITHDRAWN):
            pk = self.add(Assignment, **values)
            self._open(pk, values, county_id)
            return
        acknowledged = min(sent + datetime.timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 8)), as_of_dt)
        values["acknowledged_at"], values["acknowledged_by_id"] = acknowledged, county_user
        if state == State.ACKNOWLEDGED:
            pk = self.add(Assignment, **values)
            self._open(pk, values, county_id)
            return
        # Reported: when the work was done, near its due date and never after the as-of date.
        due_dt = self.at(due, late=True)
        latest = min(max(due_dt, acknowledged + datetime.timedelta(days=1)), as_of_dt)
        span = max(1, int((latest - acknowledged).total_seconds() // 3600))
        reports = []
        if rng.random() < 0.12 or state == State.RETURNED:
            reports.append(Review.RETURNED)
        if state != State.RETURNED:
            reports.append({State.ACCEPTED: Review.ACCEPTED, State.REPORTED: Review.PENDING}[state])
        moments = sorted(acknowledged + datetime.timedelta(hours=rng.randint(1, span)) for _ in reports)
        rows = []
        for review, at in zip(reports, moments):
            progress = Progress.DONE if review == Review.ACCEPTED or rng.random() < 0.6 else Progress.IN_PROGRESS
            reviewed_at = None
            if review != Review.PENDING:
                reviewed_at = max(at, min(at + datetime.timedelta(days=rng.randint(1, 7)), as_of_dt))
            rows.append(
                {
                    "progress": progress,
                    "text": rng.choice(words.REPORT_TEXTS).format(what=rng.choice(words.ENTRY_ACTIONS)),
                    "author_id": county_user,
                    "created_at": at,
                    "submission_key": self.uuid(),
                    "review": review,
                    "reviewed_by_id": rng.choice(reviewers) if reviewed_at else None,
                    "reviewed_at": reviewed_at,
                    "review_comment": rng.choice(words.REVIEW_COMMENTS) if review == Review.RETURNED else "",
                }
            )
        values["progress"] = rows[-1]["progress"]
        if state == State.ACCEPTED:
            values["closed_at"] = rows[-1]["reviewed_at"]
        pk = self.add(Assignment, **values)
        for row in rows:
            self.add(ProgressReport, assignment_id=pk, office_id=values["office_id"], **row)
            self.note("report", row["review"], row["text"])
        if state in Assignment.OPEN:
            self._open(pk, values, county_id)

    def _open(self, pk, values, county_id) -> None:
        if values["state"] in Assignment.OPEN and values["due_date"] < self.as_of:
            self.overdue[county_id].append(pk)

    def reminders(self, city) -> None:
        """Automatic reminders (催办) of the last working days to counties with overdue work."""
        rng = self.rng
        days = []
        day = self.as_of
        while len(days) < 5:
            day -= datetime.timedelta(days=1)
            if day.weekday() < 5:
                days.append(day)
        for county in self.counties[city.pk]:
            overdue = self.overdue.pop(county.pk, [])
            if not overdue:
                continue
            for sent_on in days:
                reminder = self.add(
                    Reminder,
                    county_id=county.pk,
                    kind=Reminder.Kind.AUTOMATIC,
                    sent_on=sent_on,
                    sent_at=datetime.datetime.combine(sent_on, datetime.time(7, 30), tzinfo=self.tz),
                    sent_by_id=None,
                    recipients=[f"{self.county_username[county.pk]}@demo.invalid"],
                    message=words.REMINDER_TEXT,
                )
                for assignment in sorted(rng.sample(overdue, min(len(overdue), 20))):
                    self.add(Reminder.assignments.through, reminder_id=reminder, assignment_id=assignment)

    # the run

    def run(self) -> None:
        self.load_divisions()
        self.dataset_id = self.add(
            DemoDataset,
            scale=self.scale.name,
            seed=self.seed,
            years=self.scale.years,
            as_of=self.as_of,
            created_at=timezone.now(),
            counts={},
        )
        self.offices_and_people()
        self.province_offices()
        self.writer.flush()
        self.progress(
            f"offices and people: {self.writer.counts[Office._meta.label]:,} offices, "
            f"{self.writer.counts[get_user_model()._meta.label]:,} users"
        )
        self.overdue = defaultdict(list)
        self.published_tasks = {}
        started = time.monotonic()
        for index, city in enumerate(self.cities, start=1):
            self.city_plans(city, index - 1)
            self.reminders(city)
            if index % CITIES_PER_FLUSH == 0 or index == len(self.cities):
                self.writer.flush()
                counts = self.writer.counts
                self.progress(
                    f"cities {index}/{len(self.cities)}: {counts[WorkPlan._meta.label]:,} plans, "
                    f"{counts[Task._meta.label]:,} tasks, {counts[ScheduleEntry._meta.label]:,} calendar lines, "
                    f"{counts[Assignment._meta.label]:,} assignments, "
                    f"{counts[ProgressReport._meta.label]:,} reports ({time.monotonic() - started:.0f} s)"
                )
        self.inspection_work()
        self.evaluation_work()

    def inspection_work(self) -> None:
        """Each county's school register and visits, each city's inspections (demo.inspection_work)."""
        from demo.inspection_work import InspectionWorkGenerator

        work = InspectionWorkGenerator(self)
        started = time.monotonic()
        for index, city in enumerate(self.cities, start=1):
            for county in self.counties[city.pk]:
                work.county(county, self.county_office[county.pk], self.county_user.get(county.pk))
            tasks = {year: self.published_tasks.get((city.pk, year), []) for year in work.years}
            work.city(
                city, self.city_office[city.pk], self.counties[city.pk], self.county_user, self.staff[city.pk], tasks
            )
            if index % CITIES_PER_FLUSH == 0 or index == len(self.cities):
                self.writer.flush()
                counts = self.writer.counts
                self.progress(
                    f"inspection work, cities {index}/{len(self.cities)}: {counts[School._meta.label]:,} schools, "
                    f"{counts[Visit._meta.label]:,} visits, {counts[Inspection._meta.label]:,} inspections, "
                    f"{counts[Rectification._meta.label]:,} rectification items ({time.monotonic() - started:.0f} s)"
                )

    def evaluation_work(self) -> None:
        """Each city office's evaluation of its counties, two years of it (demo.evaluation_work)."""
        from demo.evaluation_work import MODELS, EvaluationWorkGenerator

        work = EvaluationWorkGenerator(self)
        started = time.monotonic()
        before = sum(self.writer.counts.values())
        for index, city in enumerate(self.cities, start=1):
            work.city(city, self.city_office[city.pk], self.counties[city.pk], self.county_user, self.staff[city.pk])
            if index % CITIES_PER_FLUSH == 0 or index == len(self.cities):
                self.writer.flush()
        counts = self.writer.counts
        labels = [model._meta.label for model in MODELS]
        self.progress(
            f"evaluation work: {counts['evaluation.EvaluationRound']:,} rounds, "
            f"{counts['evaluation.Participant']:,} participants, {counts['evaluation.Score']:,} scores; "
            f"{sum(counts[label] for label in labels):,} evaluation rows, "
            f"{sum(counts.values()) - before:,} rows with the 自评 obligations and reports "
            f"({time.monotonic() - started:.1f} s)"
        )
