"""The evaluation work of generated data (generate_demo, after the inspection work): each city
office's 评估考核 of its counties for the last two years. Per office and year one indicator sheet
(60 scored items under six 一级 headings, this year's copied from last year's) and one round
scoring every county of the city: self-assessed, initial and some reviewed scores with their
reasons, totals, grades and ranks by evaluation.scoring's own rules, published with its first
results revision once the year's publication day has passed (last year's round linked as the
previous one), a few objections, and each county's 自评 owed as a tracking.Assignment of kind
"evaluation" about its Participant.

Its own random.Random, seeded from the run's seed, so that adding it left the rest of the data
as it was. Rows go through the run's BulkWriter; the removal finds them by their id ranges."""

import datetime
import random
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext

from evaluation.models import (
    EvaluationRound,
    Indicator,
    IndicatorSheet,
    Objection,
    Participant,
    ResultRevision,
    Score,
)
from evaluation.scoring import CENT, Thresholds, grade_of, points, ranks, total_of
from organisation.models import Membership
from organisation.services.calendar import official_calendar_get
from tracking.models import Assignment, ProgressReport
from tracking.services.assignments import working_day_on_or_before

State, Review, Progress = Assignment.State, ProgressReport.Review, ProgressReport.Progress
Method, Source = Indicator.Method, Indicator.Source

# The sheet: six 一级 headings (their points), each of two 二级 headings of five scored items.
SHEET = (
    (
        "党的建设与组织领导",
        "15",
        (
            (
                "党对教育工作的全面领导",
                (
                    "党委政府定期专题研究教育工作",
                    "教育工作纳入经济社会发展规划和政府年度考核",
                    "落实学校党组织领导的校长负责制",
                    "党委教育工作领导小组运行机制健全",
                    "县级领导干部联系学校制度落实",
                ),
            ),
            (
                "教育督导体制机制",
                (
                    "教育督导机构设置和人员配备到位",
                    "督导工作经费列入财政预算",
                    "督导工作要点任务按期完成",
                    "督导结果作为考核奖惩的重要依据",
                    "履行教育职责自评和问题整改",
                ),
            ),
        ),
    ),
    (
        "教育经费保障",
        "20",
        (
            (
                "经费投入",
                (
                    "落实“两个只增不减”要求",
                    "教育费附加和地方教育附加足额征收、全额用于教育",
                    "义务教育生均公用经费按标准拨付",
                    "学前教育生均财政拨款制度建立",
                    "普通高中生均公用经费按标准拨付",
                ),
            ),
            (
                "经费管理",
                (
                    "学生资助政策全面落实",
                    "教育经费预算编制和执行规范",
                    "学校财务管理和内部审计制度健全",
                    "化解学校债务工作推进有力",
                    "教育经费统计公告按时发布",
                ),
            ),
        ),
    ),
    (
        "教师队伍建设",
        "20",
        (
            (
                "教师待遇和编制",
                (
                    "义务教育教师平均工资不低于当地公务员平均工资",
                    "中小学教职工编制按标准核定并动态调整",
                    "乡村教师生活补助落实到位",
                    "教师绩效工资按时足额发放",
                    "按规定补充中小学教师",
                ),
            ),
            (
                "教师发展和师德",
                (
                    "教师培训经费按公用经费5%安排",
                    "县管校聘管理改革推进",
                    "城乡教师交流轮岗比例达到要求",
                    "师德师风建设长效机制健全",
                    "校长职级制和任期交流落实",
                ),
            ),
        ),
    ),
    (
        "学前与义务教育发展",
        "20",
        (
            (
                "学前教育",
                (
                    "学前三年毛入园率达到目标",
                    "普惠性幼儿园覆盖率达到目标",
                    "城镇小区配套幼儿园治理到位",
                    "幼儿园保教质量评估开展",
                    "无证幼儿园治理到位",
                ),
            ),
            (
                "义务教育",
                (
                    "义务教育巩固率达到目标",
                    "控辍保学工作机制健全",
                    "消除56人以上大班额",
                    "进城务工人员随迁子女入学保障",
                    "责任督学挂牌督导覆盖所有中小学校",
                ),
            ),
        ),
    ),
    (
        "高中阶段与特殊教育",
        "10",
        (
            (
                "高中阶段教育",
                (
                    "高中阶段毛入学率达到目标",
                    "普通高中办学条件改善",
                    "普职招生比例大体相当",
                    "中等职业学校产教融合推进",
                    "普通高中多样化有特色发展",
                ),
            ),
            (
                "特殊教育和终身学习",
                (
                    "残疾儿童少年义务教育入学率达到目标",
                    "特殊教育学校生均公用经费落实",
                    "随班就读资源教室建设",
                    "社区教育和老年教育开展",
                    "农村成人文化技术培训开展",
                ),
            ),
        ),
    ),
    (
        "教育治理与安全稳定",
        "15",
        (
            (
                "依法治教",
                (
                    "规范校外培训机构管理",
                    "落实“双减”作业和课后服务要求",
                    "规范民办义务教育发展",
                    "中小学招生入学规范有序",
                    "学校章程建设和依法办学",
                ),
            ),
            (
                "安全稳定",
                (
                    "未发生重大安全责任事故",
                    "校园安全风险防控体系健全",
                    "学校食品安全和饮水卫生达标",
                    "防溺水和交通安全教育落实",
                    "群众对教育满意度测评",
                ),
            ),
        ),
    ),
)
# The items the app's own figures fill, and the veto item (一票否决), by title.
SOURCES = {
    "督导工作要点任务按期完成": Source.PLAN_COMPLETION,
    "责任督学挂牌督导覆盖所有中小学校": Source.VISIT_COVERAGE,
}
VETO = "未发生重大安全责任事故"
FIGURES = {
    Source.PLAN_COMPLETION: "工作要点任务按期完成率{rate}%（应完成{due}项，按期完成{done}项）",
    Source.VISIT_COVERAGE: "挂牌督导覆盖率{rate}%（应覆盖{due}所学校，已督导{done}所）",
}
SCALE_LEVELS = [["A", "1"], ["B", "0.8"], ["C", "0.6"], ["D", "0.4"]]
# How each item is scored, in turn.
METHODS = (Method.POINTS, Method.YES_NO, Method.SCALE, Method.DEDUCTION)
RULES = {
    Method.POINTS: "按评分标准逐项赋分，最高{points}分。",
    Method.YES_NO: "达到要求得{points}分，未达到不得分。",
    Method.SCALE: "按A、B、C、D四个等级分别得满分的100%、80%、60%、40%。",
    Method.DEDUCTION: "发现一处问题扣0.25分，扣完{points}分为止。",
}
EVIDENCE = (
    "相关文件、会议纪要",
    "工作台账、统计报表",
    "财政预决算报表、拨款凭证",
    "实地查看记录、问卷调查结果",
)
FULL_REASONS = (
    "查阅相关文件和台账，工作落实到位，符合评分标准。",
    "佐证材料齐全，经实地核查，达到评分标准。",
    "经查阅资料和座谈了解，该项工作完成较好。",
)
SHORT_REASONS = (
    "佐证材料不完整，部分工作未形成闭环，扣{d}分。",
    "实地核查发现工作落实不到位，扣{d}分。",
    "相关指标未达到年度目标要求，扣{d}分。",
    "工作台账不规范，部分记录缺失，扣{d}分。",
)
REVIEW_REASONS = (
    "复核时补充查阅了县级财政拨款凭证，调整评分。",
    "经复核组集体研究，按评分标准调整评分。",
    "复核发现初评扣分依据不足，予以调整。",
)
SELF_NOTES = (
    "已落实，相关材料见附件。",
    "已按要求完成，佐证材料已上传。",
    "基本完成，部分工作正在推进。",
)
OBJECTIONS = (
    "我县该项工作已按要求完成，初评扣分依据不足，请予复核。",
    "该项扣分所依据的数据为上年度数据，请按本年度统计数据重新评分。",
)
OBJECTION_ANSWERS = (
    "经复核，该项扣分依据充分，维持原评分。",
    "经核对统计数据，评分所用数据无误，维持原评分。",
)
PUBLISH_DAY = {0: (12, 10), 1: (11, 20)}  # last year's round, this year's: (month, day)


def score_raised(*, method: str, score: Decimal, full: Decimal, steps: int, step: Decimal, levels=()) -> Decimal:
    """`score` raised by `steps` as the item's method allows: a yes-or-no item to its points, a
    scale item by levels, other items by `step` up to their points (a county's own view of
    itself, a reviewer's correction)."""
    if not steps:
        return score
    if method == Method.YES_NO:
        return full
    if method == Method.SCALE and levels:
        scores = sorted({points(full * Decimal(share)) for _name, share in levels})
        higher = [value for value in scores if value > score]
        return higher[min(steps, len(higher)) - 1] if higher else score
    return min(full, score + step * steps)


def sheet_items() -> list[dict]:
    """The sheet's indicators in depth-first order: code, title, level, parent's index, points,
    method, rule, scale, veto and source."""
    rows = []
    cn = "一二三四五六七八九十"
    number = 0
    for first, (title, heading_points, seconds) in enumerate(SHEET):
        heading = len(rows)
        rows.append({"code": f"{cn[first]}、", "title": title, "level": 1, "parent": None, "points": heading_points})
        for second, (subtitle, items) in enumerate(seconds):
            sub = len(rows)
            share = points(Decimal(heading_points) / len(seconds))
            rows.append(
                {"code": f"（{cn[second]}）", "title": subtitle, "level": 2, "parent": heading, "points": share}
            )
            for item_title in items:
                number += 1
                method = METHODS[number % len(METHODS)]
                if item_title == VETO or item_title in SOURCES:
                    method = Method.YES_NO if item_title == VETO else Method.POINTS
                item_points = points(share / len(items))
                rows.append(
                    {
                        "code": str(number),
                        "title": item_title,
                        "level": 3,
                        "parent": sub,
                        "points": item_points,
                        "method": method,
                        "rule": RULES[method].format(points=item_points),
                        "evidence": EVIDENCE[number % len(EVIDENCE)],
                        "scale": SCALE_LEVELS if method == Method.SCALE else [],
                        "veto": item_title == VETO,
                        "source": SOURCES.get(item_title, Source.NONE),
                    }
                )
    return rows


class EvaluationWorkGenerator:
    """Writes each city office's evaluation rounds through the run's BulkWriter."""

    def __init__(self, run):
        self.run = run
        self.writer = run.writer
        self.rng = random.Random(f"{run.seed}-evaluation")
        self.as_of = run.as_of
        self.years = (self.as_of.year - 1, self.as_of.year)
        self.calendar = official_calendar_get()
        self.participant_type = ContentType.objects.get_for_model(Participant).pk
        self.items = sheet_items()
        self.label = gettext("Evaluation self-assessment: %(title)s")
        self.first_revision = gettext("Results published.")

    def add(self, model, **values):
        return self.writer.add(model, **values)

    def at(self, day, *, late=False):
        return min(self.run.at(day, late=late), self.run.as_of_end)

    def city(self, city, office_id: int, counties: list, county_users: dict, staff: dict) -> None:
        editors, reviewers = staff[Membership.Role.EDITOR], staff[Membership.Role.REVIEWER]
        # A county's standing holds from one year to the next, give or take.
        quality = {county.pk: min(0.97, max(0.6, self.rng.gauss(0.86, 0.06))) for county in counties}
        if not counties:
            return
        people = {"county": county_users, "editors": editors, "reviewers": reviewers}
        previous = previous_sheet = None
        for index, year in enumerate(self.years):
            calendar = self.round_calendar(year, index)
            if calendar["scoring_until"] >= self.as_of:
                break  # this year's scoring is not over yet: no round of it (nor its sheet)
            sheet, leaves = self.sheet(city, office_id, year, previous_sheet, editors)
            previous = self.round(city, office_id, year, calendar, sheet, leaves, previous, counties, people, quality)
            previous_sheet = sheet
            for county in counties:
                quality[county.pk] = min(0.97, max(0.6, quality[county.pk] + self.rng.gauss(0.01, 0.03)))

    def round_calendar(self, year: int, index: int) -> dict:
        rng = self.rng
        scoring_from = datetime.date(year, 10, rng.randint(8, 15))
        month, day = PUBLISH_DAY[index]
        publish_on = working_day_on_or_before(datetime.date(year, month, day), calendar=self.calendar).date
        return {
            "self_assessment_due": working_day_on_or_before(datetime.date(year, 9, 30), calendar=self.calendar).date,
            "scoring_from": scoring_from,
            "scoring_until": scoring_from + datetime.timedelta(days=rng.randint(10, 20)),
            "review_due": publish_on - datetime.timedelta(days=7),
            "publish_on": publish_on,
        }

    def sheet(self, city, office_id, year, copied_from, editors) -> tuple[int, list[dict]]:
        created = self.at(datetime.date(year, 3, self.rng.randint(1, 28)))
        sheet = self.add(
            IndicatorSheet,
            office_id=office_id,
            title=f"{year}年度县（市、区）教育工作督导评估考核指标体系",
            year=year,
            note="",
            copied_from_id=copied_from,
            created_at=created,
            created_by_id=self.rng.choice(editors),
        )
        ids, leaves = [], []
        for position, item in enumerate(self.items, start=1):
            values = {
                "sheet_id": sheet,
                "parent_id": ids[item["parent"]] if item["parent"] is not None else None,
                "level": item["level"],
                "position": position,
                "code": item["code"],
                "title": item["title"],
                "points": points(item["points"]),
            }
            if item["level"] == 3:
                for key in ("method", "rule", "evidence", "scale", "veto", "source"):
                    values[key] = item[key]
            pk = self.add(Indicator, **values)
            ids.append(pk)
            if item["level"] == 3:
                leaves.append(item | {"id": pk})
        self.run.note("evaluation sheet", city.code, year, len(leaves))
        return sheet, leaves

    def round(self, city, office_id, year, calendar, sheet, leaves, previous, counties, people, quality) -> int:
        rng = self.rng
        county_users, editors, reviewers = people["county"], people["editors"], people["reviewers"]
        self_due, publish_on = calendar["self_assessment_due"], calendar["publish_on"]
        scoring_from, scoring_until = calendar["scoring_from"], calendar["scoring_until"]
        published = publish_on <= self.as_of
        thresholds = Thresholds(excellent=Decimal("90"), good=Decimal("80"), passing=Decimal("60"))
        objection_days = 5
        objection_until = self.calendar.working_days_after(publish_on, objection_days) if published else None
        creator, reviewer = rng.choice(editors), rng.choice(reviewers)
        created = self.at(datetime.date(year, 4, rng.randint(1, 28)))
        published_at = self.at(publish_on, late=True) if published else None
        title = f"{year}年度{city.name}县（市、区）教育工作督导评估考核"
        round_id = self.add(
            EvaluationRound,
            office_id=office_id,
            sheet_id=sheet,
            title=title,
            year=year,
            target=EvaluationRound.Target.COUNTY,
            status=EvaluationRound.Status.PUBLISHED if published else EvaluationRound.Status.REVIEW,
            **calendar,
            objection_days=objection_days,
            published_at=published_at,
            objection_until=objection_until,
            excellent_min=thresholds.excellent,
            good_min=thresholds.good,
            pass_min=thresholds.passing,
            revision=1 if published else 0,
            previous_id=previous,
            created_at=created,
            created_by_id=creator,
        )
        # Every county's scores first, in memory: its participant row carries their totals.
        sheets = {
            county.pk: self.scores(leaves, quality[county.pk], scoring_from, scoring_until) for county in counties
        }
        for county in counties:
            self.run.note("evaluation", city.code, year, county.code or county.name, len(sheets[county.pk]))
        self_assessed = {}
        for county in counties:
            r = rng.random()
            self_assessed[county.pk] = (
                State.ACCEPTED if r < 0.95 else State.REPORTED if r < 0.98 else State.ACKNOWLEDGED
            )
            if self_assessed[county.pk] == State.ACKNOWLEDGED:
                for row in sheets[county.pk]:  # the county never sent its self-assessment
                    row["self_score"], row["self_note"] = None, ""
        finals = {
            pk: total_of(row["review_score"] if row["review_score"] is not None else row["score"] for row in rows)
            for pk, rows in sheets.items()
        }
        vetoed = {pk for pk, rows in sheets.items() if any(row["veto_failed"] for row in rows)}
        ranked = ranks(finals, vetoed=vetoed)
        participants, results = {}, {}
        owed = {"office_id": office_id, "year": year, "title": title, "due": self_due, "sent": created}
        for county in counties:
            pk = county.pk
            grade = grade_of(finals[pk], vetoed=pk in vetoed, thresholds=thresholds)
            participant = self.add(
                Participant,
                round_id=round_id,
                county_id=pk,
                zone_id=None,
                school_id=None,
                self_total=total_of(row["self_score"] for row in sheets[pk]),
                total=finals[pk],
                grade=grade,
                rank=ranked[pk],
                vetoed=pk in vetoed,
            )
            participants[pk] = participant
            results[str(participant)] = {"total": str(finals[pk]), "grade": grade, "rank": ranked[pk]}
            scorer = rng.choice(editors)
            for row in sheets[pk]:
                self.add(
                    Score,
                    participant_id=participant,
                    scored_by_id=scorer,
                    reviewed_by_id=reviewer if row["review_score"] is not None else None,
                    **row,
                )
            self.obligation(participant, county, county_users.get(pk), self_assessed[pk], owed, editors)
        if published:
            self.add(
                ResultRevision,
                round_id=round_id,
                number=1,
                reason=self.first_revision,
                results=results,
                created_at=published_at,
                created_by_id=reviewer,
            )
            self.objections(leaves, counties, participants, county_users, publish_on, objection_until, reviewer)
        self.run.note("evaluation round", city.code, year, published, sorted(map(str, finals.values())))
        return round_id

    def scores(self, leaves, quality, scoring_from, scoring_until) -> list[dict]:
        """A county's Score values on the sheet's items (without participant and people)."""
        rng = self.rng
        rows = []
        for item in leaves:
            full = item["points"]
            method = item["method"]
            share = min(1.0, max(0.0, rng.gauss(quality, 0.1)))
            if item["veto"]:
                share = 0.0 if rng.random() < 0.01 else 1.0
            if method == Method.YES_NO:
                score = full if share >= 0.7 else Decimal("0")
            elif method == Method.SCALE:
                level = min(SCALE_LEVELS, key=lambda lv: abs(float(lv[1]) - share))
                score = points(full * Decimal(level[1]))
            elif method == Method.DEDUCTION:
                deductions = round((1 - share) * 8)
                score = max(Decimal("0"), full - Decimal("0.25") * deductions)
            else:
                score = points(full * Decimal(round(share * 20)) / 20)
            figure = ""
            if item["source"]:
                due = rng.randint(12, 40)
                done = min(due, round(due * max(share, 0.5)))
                figure = FIGURES[item["source"]].format(
                    rate=(Decimal(done) * 100 / due).quantize(Decimal("0.1")), done=done, due=due
                )
                score = points(full * done / due)
            raised = {"method": method, "full": full, "levels": item["scale"]}
            self_score = score_raised(score=score, steps=rng.choice((0, 0, 0, 1, 2)), step=Decimal("0.5"), **raised)
            short = full - score
            reason = rng.choice(FULL_REASONS) if not short else rng.choice(SHORT_REASONS).format(d=short)
            review_score = None
            review_reason = ""
            if short and method in (Method.POINTS, Method.DEDUCTION) and not item["source"] and rng.random() < 0.08:
                review_score = score_raised(score=score, steps=rng.randint(1, 4), step=Decimal("0.25"), **raised)
                review_reason = rng.choice(REVIEW_REASONS)
            day = scoring_from + datetime.timedelta(days=rng.randint(0, (scoring_until - scoring_from).days))
            rows.append(
                {
                    "indicator_id": item["id"],
                    "self_score": self_score,
                    "self_note": rng.choice(SELF_NOTES) if rng.random() < 0.3 else "",
                    "score": score.quantize(CENT),
                    "reason": reason,
                    "scored_at": self.at(day, late=True),
                    "review_score": review_score,
                    "review_reason": review_reason,
                    "reviewed_at": self.at(day + datetime.timedelta(days=10)) if review_score is not None else None,
                    "veto_failed": bool(item["veto"] and not score),
                    "figure": figure,
                }
            )
        return rows

    def obligation(self, participant, county, user, state, owed, editors) -> None:
        """The county's 自评 about its participant, as obligations_issue_many would send it,
        in `state`: accepted with its report, reported awaiting review, or never sent."""
        rng = self.rng
        due = working_day_on_or_before(owed["due"], calendar=self.calendar)
        sent = owed["sent"]
        values = {
            "kind": Assignment.Kind.EVALUATION,
            "office_id": owed["office_id"],
            "year": owed["year"],
            "plan_id": None,
            "subject_type_id": self.participant_type,
            "subject_id": participant,
            "task_id": None,
            "entry_id": None,
            "county_id": county.pk,
            "occurrence": "",
            "occurrence_number": 0,
            "occurrence_count": 0,
            "label": self.label % {"title": owed["title"]},
            "state": state,
            "due_date": due.date,
            "due_date_rule": due.date,
            "due_date_reason": "",
            "due_date_approximate": due.approximate,
            "created_at": sent,
            "acknowledged_at": sent + datetime.timedelta(days=rng.randint(1, 5)),
            "acknowledged_by_id": user,
            "progress": "",
            "closed_at": None,
            "closed_note": "",
        }
        if state == State.ACKNOWLEDGED:
            self.add(Assignment, **values)
            return
        reported = self.at(due.date - datetime.timedelta(days=rng.randint(0, 10)), late=True)
        reviewed = self.at(due.date + datetime.timedelta(days=rng.randint(1, 5))) if state == State.ACCEPTED else None
        values.update(progress=Progress.DONE, closed_at=reviewed)
        obligation = self.add(Assignment, **values)
        self.add(
            ProgressReport,
            assignment_id=obligation,
            office_id=values["office_id"],
            progress=Progress.DONE,
            text="已对照评估指标逐项完成自评，自评报告及佐证材料已上传。",
            author_id=user,
            created_at=reported,
            submission_key=self.run.uuid(),
            review=Review.ACCEPTED if reviewed else Review.PENDING,
            reviewed_by_id=rng.choice(editors) if reviewed else None,
            reviewed_at=reviewed,
            review_comment="",
        )

    def objections(self, leaves, counties, participants, county_users, publish_on, until, reviewer) -> None:
        """A county or two object within the window; answered once it closed."""
        rng = self.rng
        for _n in range(rng.choices((0, 1, 2), (50, 35, 15))[0]):
            county = rng.choice(counties)
            raised_day = min(publish_on + datetime.timedelta(days=rng.randint(1, 3)), until, self.as_of)
            answered = self.at(until + datetime.timedelta(days=rng.randint(1, 5))) if until < self.as_of else None
            self.add(
                Objection,
                participant_id=participants[county.pk],
                indicator_id=rng.choice(leaves)["id"],
                text=rng.choice(OBJECTIONS),
                raised_at=self.at(raised_day, late=True),
                raised_by_id=county_users.get(county.pk),
                outcome=Objection.Outcome.REJECTED if answered else "",
                answer=rng.choice(OBJECTION_ANSWERS) if answered else "",
                answered_at=answered,
                answered_by_id=reviewer if answered else None,
            )


# Tables this part writes, for the loader's deferred indexes and the removal by id ranges, in
# the order of deletion (what points at a row goes before it).
MODELS = [Objection, ResultRevision, Score, Participant, EvaluationRound, Indicator, IndicatorSheet]
