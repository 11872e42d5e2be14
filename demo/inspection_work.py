"""The inspection work of generated data (generate_demo, after the plans): each county's school
register (about 60 primary and secondary schools and 90 kindergartens a county: some 480,000
nationally), its 督学 and their 责任区, the visit rhythm the county set and two years of
挂牌督导 visits against it, and each city office's inspections of the last two years with their
checklists, counties' 自查自评, findings and 整改 items up to the as-of date.

Its own random.Random, seeded from the run's seed, so that adding it left the plans' data as it
was. Obligations are the tracking.Assignment rows the services would write (the schedule
package's recurrence and due-date rules, the kinds of inspections.kinds), states drawn as
a year's work goes."""

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext

from inspections.checklists import default_checklist
from inspections.models import (
    VISIT_TOPICS,
    ChecklistAnswer,
    ChecklistItem,
    Finding,
    Inspection,
    InspectionMember,
    Inspector,
    InspectorZone,
    Rectification,
    School,
    Visit,
    VisitRhythm,
    ZoneAssignment,
)
from organisation.services.calendar import official_calendar_get
from schedule.obligations import obligation_label
from schedule.recurrence import occurrences, recurrence_of
from tracking.models import Assignment, ProgressReport
from tracking.services.assignments import due_date_for, working_day_on_or_before

State, Review, Progress = Assignment.State, ProgressReport.Review, ProgressReport.Progress
Kind = School.Kind

# Primary and secondary schools of a county, by kind (the national proportions, roughly).
SCHOOL_KINDS = (
    (Kind.PRIMARY, 58),
    (Kind.JUNIOR, 20),
    (Kind.NINE_YEAR, 9),
    (Kind.SENIOR, 5),
    (Kind.COMPLETE, 3),
    (Kind.TWELVE_YEAR, 1),
    (Kind.SPECIAL, 2),
    (Kind.VOCATIONAL, 2),
)
SCHOOL_SUFFIX = {
    Kind.PRIMARY: "小学",
    Kind.JUNIOR: "初级中学",
    Kind.NINE_YEAR: "九年一贯制学校",
    Kind.SENIOR: "高级中学",
    Kind.COMPLETE: "中学",
    Kind.TWELVE_YEAR: "实验学校",
    Kind.SPECIAL: "特殊教育学校",
    Kind.VOCATIONAL: "职业中等专业学校",
    Kind.KINDERGARTEN: "幼儿园",
}
TOWNS = "城关东关西关南关北关新华和平建设解放人民红星胜利光明前进团结东风长青河西河东桥头柳林杨庄李集王庄张店马营石桥"
PLACES = [TOWNS[i : i + 2] for i in range(0, len(TOWNS), 2)]
# The county's rhythm: 每月 in the term months mostly, else each quarter or term.
RHYTHMS = (("每月", 60), ("每季度", 28), ("每学期", 12))
TERM_MONTHS = [3, 4, 5, 6, 9, 10, 11, 12]
SCHOOLS_PER_INSPECTOR = 14
# 《中小学校责任督学挂牌督导办法》第四条's eight matters, as the generated checklists and visits name them.
TOPIC_NAMES = (
    "校务管理和制度执行",
    "招生、收费、择校",
    "课程开设和课堂教学",
    "学生学习、体育锻炼和课业负担",
    "教师师德和专业发展",
    "校园及周边安全、学生交通安全",
    "食堂、食品、饮水及宿舍卫生",
    "校风、教风、学风建设",
)
VISIT_RECORDS = (
    "随堂听课{n}节，查阅{what}相关台账，与校长、教师座谈，了解学校{topic}情况。",
    "实地查看校园及周边环境，检查{what}落实情况，重点关注{topic}。",
    "查阅学校{what}制度及执行记录，走访学生和家长，了解{topic}情况。",
)
VISIT_WHATS = ("课程计划", "作业管理", "食堂管理", "安全巡查", "教师考勤", "招生入学", "课后服务", "校舍安全")
VISIT_OPINIONS = (
    "学校各项工作总体规范，建议进一步完善{what}台账。",
    "请学校针对{what}方面存在的问题及时整改，并于下次督导时反馈。",
    "建议学校加强{what}，形成长效机制。",
)
FINDINGS = (
    "{what}台账不完整，部分记录缺失。",
    "{what}制度落实不到位，存在薄弱环节。",
    "{what}经费使用不规范，未按规定公示。",
    "{what}存在安全隐患，未及时排查整改。",
    "{what}未按要求开齐开足，课时安排不合理。",
)
REQUIREMENTS = (
    "完善相关制度，补齐台账资料，明确责任人。",
    "立即组织排查，限期消除隐患，报送整改报告。",
    "按规定整改到位，形成长效机制，报送佐证材料。",
)
KIND_TITLES = {
    Inspection.Kind.SPECIAL: ("{year}年春季开学工作专项督导", "{year}年校园安全专项督导", "{year}年“双减”工作专项督导"),
    Inspection.Kind.COMPREHENSIVE: ("{year}年县级人民政府履行教育职责综合督导",),
    Inspection.Kind.EVALUATION: ("{year}年义务教育优质均衡发展督导评估",),
    Inspection.Kind.RANDOM: ("{year}年秋季学期校园安全暗访",),
    Inspection.Kind.FOLLOW_UP: ("{year}年督导整改情况“回头看”",),
}


class InspectionWorkGenerator:
    """Writes the register and the inspection work through the run's BulkWriter."""

    def __init__(self, run):
        self.run = run
        self.writer = run.writer
        self.rng = random.Random(f"{run.seed}-inspections")
        self.as_of = run.as_of
        self.years = (self.as_of.year - 1, self.as_of.year)
        self.calendar = official_calendar_get()
        self.school_type = ContentType.objects.get_for_model(School).pk
        self.inspection_type = ContentType.objects.get_for_model(Inspection).pk
        self.rectification_type = ContentType.objects.get_for_model(Rectification).pk
        self._due = {}
        # The checklists the services copy into a new inspection (inspections.checklists).
        self.checklists = {
            kind: [(i.section, i.title, i.guidance, i.evidence) for i in default_checklist(kind).items]
            for kind in Inspection.Kind.values
        }
        self.visit_label = gettext("School visit: %(school)s")
        self.self_assessment_label = gettext("Self-assessment: %(title)s")
        self.visited_note = gettext("Visited on %(day)s by %(inspector)s.")

    def add(self, model, **values):
        return self.writer.add(model, **values)

    def at(self, day, *, late=False):
        return self.run.at(day, late=late)

    def day_in(self, year: int, month: int) -> datetime.date:
        day = datetime.date(year, month, self.rng.randint(1, 28))
        return min(working_day_on_or_before(day, calendar=self.calendar).date, self.as_of)

    # --- the register ---------------------------------------------------------------------------

    def county(self, county, office_id: int, user_id: int | None) -> None:
        """A county's schools, 督学, zones and two years of visits."""
        rng = self.rng
        schools = self.schools(county)
        covered = [
            s for s in schools if s["status"] == "open" and (s["kind"] != Kind.KINDERGARTEN or rng.random() < 0.6)
        ]
        # A few schools of a county wait for a zone: the coverage pages have something to show.
        covered = [s for s in covered if rng.random() >= 0.02]
        zones = []
        for number in range(1, max(1, -(-len(covered) // SCHOOLS_PER_INSPECTOR)) + 1):
            name = self.run.name()
            inspector = self.add(
                Inspector,
                county_id=county.pk,
                name=name,
                kind=Inspector.Kind.FULL_TIME if rng.random() < 0.3 else Inspector.Kind.PART_TIME,
                unit=f"{county.name}{rng.choice(('教育局', '教师发展中心', '第一中学', '实验小学'))}",
                phone=f"1{rng.randint(3000000000, 9999999999)}",
                user_id=None,
                is_active=True,
            )
            zone = self.add(InspectorZone, county_id=county.pk, name=f"第{number}责任区", inspector_id=inspector)
            zones.append((zone, inspector, name))
        started = datetime.date(self.years[0] - 1, 9, 1)
        rng.shuffle(covered)
        for index, school in enumerate(covered):
            zone, inspector, name = zones[index % len(zones)]
            school["zone"], school["inspector"], school["inspector_name"] = zone, inspector, name
            self.add(
                ZoneAssignment,
                school_id=school["id"],
                zone_id=zone,
                inspector_id=inspector,
                started_on=started,
                ended_on=None,
            )
        for year in self.years:
            period = rng.choices([p for p, _w in RHYTHMS], [w for _p, w in RHYTHMS])[0]
            self.add(
                VisitRhythm,
                county_id=county.pk,
                year=year,
                period=period,
                months=TERM_MONTHS,
                set_by_id=user_id,
                set_at=self.at(datetime.date(year, 2, 20)),
            )
            for school in covered:
                self.visits(school, county, office_id, user_id, year, period)

    def schools(self, county) -> list[dict]:
        rng = self.rng
        rows, names = [], set()
        kinds = [k for k, _w in SCHOOL_KINDS]
        weights = [w for _k, w in SCHOOL_KINDS]
        short = county.name[:-1] if len(county.name) > 2 else county.name
        (least, most), (least_kg, most_kg) = self.run.scale.schools
        plan = [rng.choices(kinds, weights)[0] for _ in range(rng.randint(least, most))]
        plan += [Kind.KINDERGARTEN] * rng.randint(least_kg, most_kg)
        for number, kind in enumerate(plan, start=1):
            place = rng.choice(PLACES)
            central = kind == Kind.PRIMARY and rng.random() < 0.15
            name = f"{short}{place}{'中心' if central else ''}{SCHOOL_SUFFIX[kind]}"
            if name in names:
                name = f"{short}第{number}{SCHOOL_SUFFIX[kind]}"
            names.add(name)
            closed = rng.random() < 0.01
            row = {
                "county_id": county.pk,
                "name": name,
                "kind": kind,
                "ownership": "private" if rng.random() < (0.35 if kind == Kind.KINDERGARTEN else 0.08) else "public",
                "is_central": central,
                "address": f"{county.name}{place}镇{rng.randint(1, 199)}号",
                "status": "closed" if closed else "open",
                "status_date": datetime.date(self.years[0], rng.randint(1, 12), rng.randint(1, 28)) if closed else None,
                "merged_into_id": None,
            }
            row["id"] = self.add(School, **row)
            self.run.note("school", county.code or county.name, name, kind, row["status"])
            rows.append(row)
        return rows

    def occurrences_due(self, period: str, year: int):
        key = (period, year)
        if key not in self._due:
            recurrence = recurrence_of(period)
            found = []
            for occurrence in occurrences(recurrence, year=year, months=tuple(TERM_MONTHS)):
                due = due_date_for(plan_year=year, entry=None, occurrence=occurrence, calendar=self.calendar)
                found.append((occurrence, due))
            self._due[key] = found
        return self._due[key]

    def visits(self, school, county, office_id, user_id, year, period) -> None:
        """The school's visit obligations of the year and the visits that fulfilled them."""
        rng = self.rng
        sent = self.at(datetime.date(year, 2, 20))
        label = self.visit_label % {"school": school["name"]}
        for occurrence, due in self.occurrences_due(period, year):
            values = {
                "kind": Assignment.Kind.VISIT,
                "office_id": office_id,
                "year": year,
                "plan_id": None,
                "subject_type_id": self.school_type,
                "subject_id": school["id"],
                "task_id": None,
                "entry_id": None,
                "county_id": county.pk,
                "occurrence": occurrence.key,
                "occurrence_number": occurrence.number,
                "occurrence_count": occurrence.count,
                "label": obligation_label(task=label, period=None, text=None, occurrence=occurrence.label),
                "state": State.ASSIGNED,
                "due_date": due.date,
                "due_date_rule": due.date,
                "due_date_reason": "",
                "due_date_approximate": due.approximate,
                "created_at": sent,
                "acknowledged_at": None,
                "acknowledged_by_id": None,
                "progress": "",
                "closed_at": None,
                "closed_note": "",
            }
            first_month = due.date.month if occurrence.key.startswith("M") else max(1, due.date.month - 2)
            start_day = datetime.date(year, first_month, 1)
            if start_day > self.as_of:
                self.add(Assignment, **values)
                continue
            visited = due.date < self.as_of and rng.random() < 0.88 or due.date >= self.as_of and rng.random() < 0.4
            if not visited:
                self.add(Assignment, **values)
                continue
            day = self.day_in(year, rng.randint(first_month, due.date.month))
            day = max(min(day, due.date, self.as_of), start_day)
            when = self.at(day, late=True)
            values.update(
                state=State.ACCEPTED,
                acknowledged_at=when,
                acknowledged_by_id=user_id,
                closed_at=when,
                # As tracking's obligation_fulfil closes it for a recorded visit.
                closed_note=self.visited_note % {"day": day.isoformat(), "inspector": school["inspector_name"]},
            )
            obligation = self.add(Assignment, **values)
            self.run.note("visit", school["name"], day)
            what, topic = rng.choice(VISIT_WHATS), rng.choice(TOPIC_NAMES)
            self.add(
                Visit,
                school_id=school["id"],
                inspector_id=school["inspector"],
                zone_id=school["zone"],
                visited_on=day,
                topics=sorted(rng.sample([key for key, _label in VISIT_TOPICS], rng.randint(2, 5))),
                record=rng.choice(VISIT_RECORDS).format(n=rng.randint(1, 4), what=what, topic=topic),
                opinion=rng.choice(VISIT_OPINIONS).format(what=what),
                obligation_id=obligation,
                created_by_id=user_id,
                created_at=when,
                submission_key=self.run.uuid(),
            )

    # --- inspections ----------------------------------------------------------------------------

    def city(self, city, office_id: int, counties: list, county_users: dict, staff: dict, tasks: dict) -> None:
        """The city office's inspections of the last two years, what they found and the 整改."""
        rng = self.rng
        editors = staff["editor"]
        for year in self.years:
            kinds = [
                Inspection.Kind.SPECIAL,
                Inspection.Kind.SPECIAL,
                Inspection.Kind.COMPREHENSIVE,
                Inspection.Kind.EVALUATION,
                Inspection.Kind.RANDOM,
            ]
            month = 3
            pending = []
            for kind in kinds:
                start = datetime.date(year, month, rng.randint(5, 20))
                month += 2
                if start > self.as_of:
                    break
                chosen = rng.sample(counties, min(len(counties), rng.randint(2, 5)))
                pending += self.inspection(
                    city, office_id, year, kind, start, chosen, county_users, editors, tasks.get(year, [])
                )
            # The 回头看 in the autumn checks the items of the year that needed it; until then
            # they wait, reported or not.
            start = datetime.date(year, 11, 10)
            if start <= self.as_of and pending:
                chosen = sorted({item["county"].pk: item["county"] for item in pending}.values(), key=lambda c: c.pk)
                self.inspection(
                    city, office_id, year, Inspection.Kind.FOLLOW_UP, start, chosen, county_users, editors, [], pending
                )
            else:
                for item in pending:
                    self.rectification_obligation(item, county_users)

    def inspection(self, city, office_id, year, kind, start, counties, county_users, editors, tasks, follow=()):
        rng = self.rng
        ends = start + datetime.timedelta(days=rng.randint(2, 10))
        asks_self = kind in (Inspection.Kind.COMPREHENSIVE, Inspection.Kind.EVALUATION, Inspection.Kind.SPECIAL)
        self_due = working_day_on_or_before(start - datetime.timedelta(days=7), calendar=self.calendar).date
        if ends + datetime.timedelta(days=60) < self.as_of:
            status = Inspection.Status.CLOSED
        elif ends < self.as_of:
            status = Inspection.Status.RECTIFICATION
        elif start <= self.as_of:
            status = Inspection.Status.ON_SITE
        else:
            status = Inspection.Status.SELF_ASSESSMENT if asks_self else Inspection.Status.PREPARING
        creator = rng.choice(editors)
        created = self.at(start - datetime.timedelta(days=rng.randint(20, 40)))
        title = rng.choice(KIND_TITLES[kind]).format(year=year)
        pk = self.add(
            Inspection,
            office_id=office_id,
            year=year,
            kind=kind,
            title=title,
            description="",
            status=status,
            starts_on=start,
            ends_on=ends,
            self_assessment_due=self_due if asks_self else None,
            created_by_id=creator,
            created_at=created,
            closed_at=self.at(ends + datetime.timedelta(days=60)) if status == Inspection.Status.CLOSED else None,
        )
        self.run.note("inspection", city.code, kind, start, status)
        for task in rng.sample(tasks, min(len(tasks), rng.randint(1, 2))):
            self.add(Inspection.tasks.through, inspection_id=pk, task_id=task)
        for county in counties:
            self.add(Inspection.counties.through, inspection_id=pk, county_id=county.pk)
        for index in range(rng.randint(4, 7)):
            role = "leader" if index == 0 else "deputy" if index == 1 else "member"
            self.add(
                InspectionMember,
                inspection_id=pk,
                role=role,
                name=self.run.name(),
                unit=f"{city.name}{rng.choice(('教育局', '人民政府教育督导室', '教育局基础教育科', '教育局财务科'))}",
                inspector_id=None,
                user_id=None,
            )
        items = []
        for position, (section, title, guidance, evidence) in enumerate(self.checklists[kind], start=1):
            items.append(
                self.add(
                    ChecklistItem,
                    inspection_id=pk,
                    position=position,
                    section=section,
                    title=title,
                    guidance=guidance,
                    evidence=evidence,
                )
            )
        for item in follow:
            if rng.random() < 0.8:
                item["confirmed_by"] = pk
            self.rectification_obligation(item, county_users)
            self.add(Inspection.follows_up.through, inspection_id=pk, rectification_id=item["id"])
        issued = []
        for county in counties:
            user = county_users.get(county.pk)
            if asks_self:
                label = self.self_assessment_label % {"title": title}
                self.self_assessment(pk, label, year, office_id, county, user, items, self_due, created, editors)
            if start > self.as_of or kind == Inspection.Kind.FOLLOW_UP:
                continue
            for _n in range(rng.randint(1, 5)):
                issued.append(self.finding(pk, title, office_id, year, county, items, ends, creator))
        # Items that need a follow-up check wait for the autumn's 回头看.
        waiting = [item for item in issued if item and item["needs_follow_up"]]
        for item in issued:
            if item and not item["needs_follow_up"]:
                self.rectification_obligation(item, county_users)
        return waiting

    def self_assessment(self, pk, label, year, office_id, county, user, items, due_day, sent, editors) -> None:
        rng = self.rng
        due = working_day_on_or_before(due_day, calendar=self.calendar)
        values = {
            "kind": Assignment.Kind.SELF_ASSESSMENT,
            "office_id": office_id,
            "year": year,
            "plan_id": None,
            "subject_type_id": self.inspection_type,
            "subject_id": pk,
            "task_id": None,
            "entry_id": None,
            "county_id": county.pk,
            "occurrence": "",
            "occurrence_number": 0,
            "occurrence_count": 0,
            "label": label,
            "state": State.ASSIGNED,
            "due_date": due.date,
            "due_date_rule": due.date,
            "due_date_reason": "",
            "due_date_approximate": due.approximate,
            "created_at": sent,
            "acknowledged_at": None,
            "acknowledged_by_id": None,
            "progress": "",
            "closed_at": None,
            "closed_note": "",
        }
        answered = due.date < self.as_of and rng.random() < 0.93
        if not answered:
            self.add(Assignment, **values)
            return
        reported = self.at(due.date - datetime.timedelta(days=rng.randint(0, 5)), late=True)
        reviewed = reported + datetime.timedelta(days=rng.randint(1, 3))
        values.update(
            state=State.ACCEPTED,
            acknowledged_at=reported - datetime.timedelta(days=3),
            acknowledged_by_id=user,
            progress=Progress.DONE,
            closed_at=reviewed,
        )
        obligation = self.add(Assignment, **values)
        self.add(
            ProgressReport,
            assignment_id=obligation,
            office_id=values["office_id"],
            progress=Progress.DONE,
            text="已对照督导检查清单逐项完成自查自评，自评报告及佐证材料已上传。",
            author_id=user,
            created_at=reported,
            submission_key=self.run.uuid(),
            review=Review.ACCEPTED,
            reviewed_by_id=rng.choice(editors),
            reviewed_at=reviewed,
            review_comment="",
        )
        ratings = ("met", "met", "met", "partly", "not_met")
        for item in items:
            self.add(
                ChecklistAnswer,
                item_id=item,
                county_id=county.pk,
                rating=rng.choice(ratings),
                text="已落实，相关材料见附件。",
                updated_at=reported,
                updated_by_id=user,
            )

    def finding(self, pk, title, office_id, year, county, items, ends, creator) -> dict | None:
        rng = self.rng
        severity = rng.choices(("minor", "general", "serious", "urgent"), (25, 55, 17, 3))[0]
        found_at = self.at(ends)
        finding = self.add(
            Finding,
            inspection_id=pk,
            visit_id=None,
            county_id=county.pk,
            school_id=None,
            item_id=rng.choice(items),
            text=rng.choice(FINDINGS).format(what=rng.choice(VISIT_WHATS)),
            severity=severity,
            created_by_id=creator,
            created_at=found_at,
            submission_key=self.run.uuid(),
        )
        if severity == "minor" and rng.random() < 0.5:
            return None
        issued_day = min(ends + datetime.timedelta(days=rng.randint(3, 15)), self.as_of)
        item = {
            "finding": finding,
            "office_id": office_id,
            "county": county,
            "year": year,
            "requirement": rng.choice(REQUIREMENTS),
            # As the service labels the county's obligation: where it was found, and on what.
            "label": f"{county.name} · {title}",
            "needs_follow_up": severity in ("serious", "urgent") or rng.random() < 0.1,
            "issued": self.at(issued_day),
            "deadline": issued_day + datetime.timedelta(days=rng.choice((30, 45, 60))),
            "creator": creator,
            "confirmed_by": None,
        }
        return item

    def rectification_obligation(self, item: dict, county_users: dict) -> None:
        """The 整改 item and the county's obligation, in the state its deadline and follow-up say."""
        rng = self.rng
        county = item["county"]
        user = county_users.get(county.pk)
        due = working_day_on_or_before(item["deadline"], calendar=self.calendar)
        confirmed_by = item["confirmed_by"]
        closable = not item["needs_follow_up"] or confirmed_by is not None
        r = rng.random()
        if due.date < self.as_of:
            state = State.ACCEPTED if closable and r < 0.7 else State.REPORTED if r < 0.8 else State.ACKNOWLEDGED
        else:
            state = State.ACCEPTED if closable and r < 0.2 else State.REPORTED if r < 0.4 else State.ACKNOWLEDGED
        escalation = ""
        if state != State.ACCEPTED and due.date < self.as_of - datetime.timedelta(days=30) and rng.random() < 0.3:
            escalation = rng.choice(("talk", "bulletin"))
        confirmed_at = None
        if confirmed_by is not None:
            confirmed_at = self.at(datetime.date(item["year"], 11, rng.randint(11, 20)))
            confirmed_at = min(confirmed_at, self.run.as_of_end)
        pk = self.add(
            Rectification,
            finding_id=item["finding"],
            office_id=item["office_id"],
            county_id=county.pk,
            year=item["year"],
            requirement=item["requirement"],
            done_when="问题整改到位并报送佐证材料，经核查确认。",
            needs_follow_up=item["needs_follow_up"],
            confirmed_by_id=confirmed_by,
            confirmed_at=confirmed_at,
            escalation=escalation,
            escalated_at=self.run.as_of_end - datetime.timedelta(days=rng.randint(1, 20)) if escalation else None,
            escalation_note="逾期未完成整改。" if escalation else "",
            created_by_id=item["creator"],
            created_at=item["issued"],
        )
        item["id"] = pk
        self.run.note("rectification", county.code or county.name, state, due.date, escalation)
        values = {
            "kind": Assignment.Kind.RECTIFICATION,
            "office_id": item["office_id"],
            "year": item["year"],
            "plan_id": None,
            "subject_type_id": self.rectification_type,
            "subject_id": pk,
            "task_id": None,
            "entry_id": None,
            "county_id": county.pk,
            "occurrence": "",
            "occurrence_number": 0,
            "occurrence_count": 0,
            "label": item["label"],
            "state": state,
            "due_date": due.date,
            "due_date_rule": due.date,
            "due_date_reason": "",
            "due_date_approximate": due.approximate,
            "created_at": item["issued"],
            "acknowledged_at": item["issued"] + datetime.timedelta(days=1),
            "acknowledged_by_id": user,
            "progress": "",
            "closed_at": None,
            "closed_note": "",
        }
        values["acknowledged_at"] = min(values["acknowledged_at"], self.run.as_of_end)
        if values["acknowledged_at"] + datetime.timedelta(hours=2) > self.run.as_of_end:
            state = values["state"] = State.ACKNOWLEDGED  # issued a day ago: nothing reported yet
        if state == State.ACKNOWLEDGED:
            self.add(Assignment, **values)
            return
        reported = min(self.at(due.date - datetime.timedelta(days=rng.randint(0, 20)), late=True), self.run.as_of_end)
        reported = max(reported, values["acknowledged_at"] + datetime.timedelta(hours=2))
        reviewed = None
        if state == State.ACCEPTED:
            reviewed = min(reported + datetime.timedelta(days=rng.randint(1, 10)), self.run.as_of_end)
            if confirmed_at:
                reviewed = max(reviewed, confirmed_at)
            values["closed_at"] = reviewed
        values["progress"] = Progress.DONE
        obligation = self.add(Assignment, **values)
        self.add(
            ProgressReport,
            assignment_id=obligation,
            office_id=values["office_id"],
            progress=Progress.DONE,
            text="已按整改要求完成整改，整改报告及照片等佐证材料已上传。",
            author_id=user,
            created_at=reported,
            submission_key=self.run.uuid(),
            review=Review.ACCEPTED if reviewed else Review.PENDING,
            reviewed_by_id=item["creator"] if reviewed else None,
            reviewed_at=reviewed,
            review_comment="",
        )


# Tables this part writes, for the loader's deferred indexes and the removal.
MODELS = [
    School,
    Inspector,
    InspectorZone,
    ZoneAssignment,
    VisitRhythm,
    Visit,
    Inspection,
    Inspection.tasks.through,
    Inspection.counties.through,
    Inspection.follows_up.through,
    InspectionMember,
    ChecklistItem,
    ChecklistAnswer,
    Finding,
    Rectification,
]
