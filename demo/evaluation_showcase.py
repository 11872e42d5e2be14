"""What setup_demo adds for 评估考核: the 郑州 office's 县级人民政府履行教育职责评价 of its counties,
last year's round published with its scores and an objection answered, this year's in review
with the counties' self-assessments (their 自评 obligations, most accepted), the inspectors'
scores and some reviewed ones."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from audit.services import log_action
from demo.evaluation_work import score_raised
from evaluation import actions
from evaluation.figures import DEFINITIONS, FIGURES, Figure, figure_score
from evaluation.models import (
    EvaluationRound,
    Indicator,
    IndicatorSheet,
    Objection,
    Participant,
    ResultRevision,
    Score,
)
from evaluation.scoring import points
from evaluation.services.totals import participants_recompute
from organisation.models import County, Office
from organisation.services.calendar import official_calendar_get
from tracking.models import Assignment, ProgressReport
from tracking.services.assignments import Owed, obligations_issue_many
from tracking.services.reports import assignments_acknowledge, report_review, report_submit

ZHENGZHOU_OFFICE = "郑州市人民政府教育督导委员会办公室"
SHEET_TITLE = "县级人民政府履行教育职责评价指标体系"
ROUND_TITLE = "县级人民政府履行教育职责评价"
DEMO_COUNTY = "金水区"
Method, Source = Indicator.Method, Indicator.Source
SCALE = [["A", "1"], ["B", "0.8"], ["C", "0.6"], ["D", "0.3"]]

# 一级 → 二级 → scored items: (title, points, method, evidence, what falls short when it does),
# and for a few: the veto item (一票否决) and the items the app's own figures fill.
SHEET = (
    (
        "教育优先发展保障",
        (
            (
                "组织领导",
                (
                    (
                        "党委政府定期专题研究教育工作，教育工作纳入政府年度考核",
                        "4",
                        Method.POINTS,
                        "会议纪要、考核文件",
                        "全年仅召开1次专题会议研究教育工作",
                    ),
                    (
                        "教育督导机构设置、人员配备和工作经费保障到位",
                        "3",
                        Method.YES_NO,
                        "机构编制文件、财政预算",
                        "督导室专职人员未配齐",
                    ),
                    ("督导工作要点任务按期完成", "3", Method.POINTS, "", "", {"source": Source.PLAN_COMPLETION}),
                ),
            ),
            (
                "经费投入",
                (
                    (
                        "落实“两个只增不减”要求（一票否决）",
                        "5",
                        Method.YES_NO,
                        "财政决算报表",
                        "一般公共预算教育支出较上年下降",
                        {"veto": True},
                    ),
                    (
                        "教育费附加和地方教育附加足额征收、全额用于教育",
                        "4",
                        Method.DEDUCTION,
                        "征收和拨付凭证",
                        "地方教育附加拨付不及时",
                    ),
                    ("学生资助政策全面落实", "3", Method.POINTS, "资助台账、发放凭证", "部分资助资金未按时发放到位"),
                ),
            ),
            (
                "教师队伍",
                (
                    (
                        "义务教育教师平均工资收入水平不低于当地公务员",
                        "4",
                        Method.YES_NO,
                        "工资核算表",
                        "年终绩效奖励未与公务员同步发放",
                    ),
                    (
                        "中小学教职工编制按标准核定并动态调整",
                        "2",
                        Method.POINTS,
                        "编制核定文件",
                        "编制核定未按学生数变化调整",
                    ),
                    (
                        "教师培训经费按不低于公用经费5%安排",
                        "2",
                        Method.YES_NO,
                        "预算文件、培训台账",
                        "培训经费占比不足5%",
                    ),
                ),
            ),
        ),
    ),
    (
        "各级各类教育发展",
        (
            (
                "学前教育",
                (
                    ("普惠性幼儿园覆盖率达到省定目标", "4", Method.SCALE, "统计报表", "普惠性幼儿园覆盖率未达目标"),
                    ("城镇小区配套幼儿园治理到位", "4", Method.POINTS, "治理台账、移交协议", "2所小区配套园未按期移交"),
                ),
            ),
            (
                "义务教育",
                (
                    ("九年义务教育巩固率达到目标", "4", Method.SCALE, "学籍统计数据", "巩固率低于全市平均水平"),
                    (
                        "控辍保学工作机制健全、责任落实",
                        "3",
                        Method.DEDUCTION,
                        "控辍保学台账",
                        "个别乡镇劝返复学台账不完整",
                    ),
                    ("消除56人以上大班额", "4", Method.POINTS, "班额统计表、实地抽查", "抽查发现仍有大班额"),
                    (
                        "进城务工人员随迁子女入学保障",
                        "4",
                        Method.POINTS,
                        "入学政策文件、统计数据",
                        "随迁子女入学材料要求过多",
                    ),
                ),
            ),
            (
                "高中阶段教育",
                (
                    ("高中阶段毛入学率达到目标", "4", Method.SCALE, "统计报表", "高中阶段毛入学率未达目标"),
                    ("普通高中办学条件持续改善", "4", Method.POINTS, "项目清单、实地查看", "新建高中项目进度滞后"),
                    (
                        "职业教育产教融合、校企合作推进",
                        "4",
                        Method.POINTS,
                        "合作协议、实训基地台账",
                        "校企合作协议落实不够",
                    ),
                ),
            ),
        ),
    ),
    (
        "教育治理与督导",
        (
            (
                "依法治教",
                (
                    (
                        "规范民办教育和校外培训机构管理",
                        "4",
                        Method.DEDUCTION,
                        "检查记录、处理文书",
                        "发现无证校外培训机构未及时查处",
                    ),
                    (
                        "落实“双减”要求，作业和课后服务管理规范",
                        "4",
                        Method.DEDUCTION,
                        "抽查记录、问卷结果",
                        "部分学校作业公示制度执行不到位",
                    ),
                ),
            ),
            (
                "督导问责",
                (
                    ("督导发现问题按期整改到位", "4", Method.POINTS, "", "", {"source": Source.RECTIFICATION_ON_TIME}),
                    (
                        "责任督学挂牌督导覆盖所有中小学校",
                        "4",
                        Method.POINTS,
                        "责任区划分文件、督导记录",
                        "部分幼儿园未纳入责任区",
                    ),
                    (
                        "督导结果公开和问责机制落实",
                        "4",
                        Method.POINTS,
                        "通报文件、问责记录",
                        "督导结果未按规定向社会公开",
                    ),
                ),
            ),
        ),
    ),
    (
        "安全稳定与社会满意度",
        (
            (
                "安全稳定",
                (
                    (
                        "校园安全风险防控体系健全，未发生重大安全事故",
                        "8",
                        Method.DEDUCTION,
                        "安全检查台账、应急预案",
                        "部分学校安全隐患排查台账不全",
                    ),
                ),
            ),
            (
                "社会满意度",
                (("人民群众对教育满意度测评", "7", Method.SCALE, "第三方测评报告", "满意度测评结果低于全市平均水平"),),
            ),
        ),
    ),
)
RULES = {
    Method.POINTS: "对照评分标准，按完成情况赋分，最高{points}分。",
    Method.YES_NO: "达到要求得{points}分，未达到不得分。",
    Method.SCALE: "按A、B、C、D四个等级分别得满分的100%、80%、60%、30%。",
    Method.DEDUCTION: "每发现一处问题扣0.5分，扣完{points}分为止。",
}
FULL = ("查阅相关文件和台账，工作落实到位，达到评分标准。", "经实地核查和座谈了解，该项工作完成较好。")
SELF_NOTES = ("已全面落实，佐证材料见附件。", "已按要求完成，相关文件和台账已上传。", "基本完成，部分工作仍在推进。")


def sheet_create(*, office, year: int, copied_from=None, acting_user) -> IndicatorSheet:
    """The office's sheet of the year, with its 25 scored items under four 一级 headings."""
    sheet = IndicatorSheet.objects.create(
        office=office,
        title=SHEET_TITLE,
        year=year,
        note="依据《县级人民政府履行教育职责评价办法》，结合本市实际制定。",
        copied_from=copied_from,
        created_by=acting_user,
    )
    cn = "一二三四五六七八九十"
    position, number, second_number = 0, 0, 0
    for first, (first_title, seconds) in enumerate(SHEET):
        position += 1
        first_points = sum((Decimal(item[1]) for _t, items in seconds for item in items), Decimal("0"))
        heading = Indicator.objects.create(
            sheet=sheet, level=1, position=position, code=f"{cn[first]}、", title=first_title, points=first_points
        )
        for second_title, items in seconds:
            position += 1
            sub = Indicator.objects.create(
                sheet=sheet,
                parent=heading,
                level=2,
                position=position,
                code=f"（{cn[second_number]}）",
                title=second_title,
                points=sum((Decimal(item[1]) for item in items), Decimal("0")),
            )
            second_number += 1
            leaves = []
            for title, item_points, method, evidence, _short, *extra in items:
                position += 1
                number += 1
                options = extra[0] if extra else {}
                source = options.get("source", Source.NONE)
                leaves.append(
                    Indicator(
                        sheet=sheet,
                        parent=sub,
                        level=3,
                        position=position,
                        code=str(number),
                        title=title,
                        points=points(item_points),
                        method=method,
                        rule=str(DEFINITIONS[source]) if source else RULES[method].format(points=item_points),
                        evidence=evidence or "系统自动取数",
                        scale=SCALE if method == Method.SCALE else [],
                        veto=options.get("veto", False),
                        source=source,
                    )
                )
            Indicator.objects.bulk_create(leaves)
    action = actions.SHEET_COPIED if copied_from else actions.SHEET_IMPORTED
    log_action(sheet, action, user=acting_user, office=office, data={"items": number})
    return sheet


def _shortfalls() -> dict[str, str]:
    return {item[0]: item[4] for _f, seconds in SHEET for _s, items in seconds for item in items}


def figures_get(*, office, year: int, counties, until: datetime.date) -> dict[str, dict[int, Figure]]:
    """Per source and county, the figure the app holds (evaluation.figures), counted to `until`."""
    return {
        source: FIGURES[source](office=office, year=year, counties=counties, today=until)
        for source in (Source.PLAN_COMPLETION, Source.RECTIFICATION_ON_TIME)
    }


def scores_draw(
    *, participant, leaves, figures, until, rng, people, when, reviewed: bool, self_assessed: bool
) -> list[Score]:
    """A county's scores on the sheet: its self-assessment, the inspectors' with reasons and,
    where `reviewed`, the reviewer's on a few items."""
    quality = rng.uniform(0.78, 0.96)
    shortfalls = _shortfalls()
    rows = []
    for item in leaves:
        full = item.points
        share = min(1.0, max(0.0, rng.gauss(quality, 0.12)))
        figure = ""
        found = figures[item.source].get(participant.county_id) if item.source else None
        if found is not None and found.value is not None:
            score, figure = figure_score(found, points=full), found.text
            reason = found.text
        else:
            if item.method == Method.YES_NO:
                score = full if share >= 0.6 or item.veto else Decimal("0")
            elif item.method == Method.SCALE:
                level = min(SCALE, key=lambda lv: abs(float(lv[1]) - share))
                score = points(full * Decimal(level[1]))
            elif item.method == Method.DEDUCTION:
                score = max(Decimal("0"), full - Decimal("0.5") * round((1 - share) * 4))
            else:
                score = points(full * Decimal(round(share * 10)) / 10)
            short = full - score
            if short:
                reason = f"{shortfalls[item.title]}，扣{short.normalize():f}分。"
            else:
                reason = rng.choice(FULL)
        raised = {"method": item.method, "full": full, "levels": item.scale, "step": Decimal("0.5")}
        self_score = score_raised(score=score, steps=rng.choice((0, 0, 1, 2)), **raised) if self_assessed else None
        review_score, review_reason = None, ""
        if reviewed and not item.source and not item.veto and score < full and rng.random() < 0.3:
            review_score = score_raised(score=score, steps=1, **raised)
            review_reason = "复核时县里补充了佐证材料，经核实予以调整。"
        rows.append(
            Score(
                participant=participant,
                indicator=item,
                self_score=self_score,
                self_note=rng.choice(SELF_NOTES) if self_assessed and rng.random() < 0.5 else "",
                score=score,
                reason=reason,
                scored_by=people["staff"],
                scored_at=when,
                review_score=review_score,
                review_reason=review_reason,
                reviewed_by=people["reviewer"] if review_score is not None else None,
                reviewed_at=when + datetime.timedelta(days=7) if review_score is not None else None,
                figure=figure,
            )
        )
    return rows


def _round_create(*, office, sheet, year: int, calendar: dict, previous, acting_user) -> EvaluationRound:
    round_ = EvaluationRound.objects.create(
        office=office,
        sheet=sheet,
        title=f"{year}年度{ROUND_TITLE}",
        year=year,
        status=EvaluationRound.Status.DRAFT,
        previous=previous,
        created_by=acting_user,
        **calendar,
    )
    log_action(round_, actions.ROUND_CREATED, user=acting_user, office=office, data={"year": year})
    return round_


def _participants_add(round_, counties) -> list[Participant]:
    return Participant.objects.bulk_create([Participant(round=round_, county=county) for county in counties])


@transaction.atomic
def demo_evaluation_create() -> dict | None:
    """The 郑州 office's 县级人民政府履行教育职责评价 of its counties (see the module's docstring).
    Returns the rounds and 金水区's participants, or None when last year's round is there already
    (or the office, its counties or the demo accounts are missing)."""
    User = get_user_model()
    office = Office.objects.filter(name=ZHENGZHOU_OFFICE).first()
    people = {name: User.objects.filter(username=name).first() for name in ("staff", "reviewer", "county")}
    counties = list(County.objects.filter(city__code="410100").order_by("code", "name"))
    if office is None or None in people.values() or not any(c.name == DEMO_COUNTY for c in counties):
        return None
    today = timezone.localdate()
    last_year, year = today.year - 1, today.year
    if EvaluationRound.objects.filter(office=office, title=f"{last_year}年度{ROUND_TITLE}").exists():
        return None
    calendar = official_calendar_get()
    staff, reviewer = people["staff"], people["reviewer"]

    # Last year's: scored, reviewed, published in December, its objection window closed.
    old_sheet = sheet_create(office=office, year=last_year, acting_user=staff)
    published = calendar.working_day_on_or_before(datetime.date(last_year, 12, 18))[0]
    old = _round_create(
        office=office,
        sheet=old_sheet,
        year=last_year,
        calendar={
            "self_assessment_due": datetime.date(last_year, 10, 31),
            "scoring_from": datetime.date(last_year, 11, 10),
            "scoring_until": datetime.date(last_year, 11, 28),
            "review_due": datetime.date(last_year, 12, 10),
            "publish_on": published,
        },
        previous=None,
        acting_user=staff,
    )
    old_leaves = list(Indicator.objects.filter(sheet=old_sheet, children__isnull=True).order_by("position"))
    until = datetime.date(last_year, 12, 31)
    figures = figures_get(office=office, year=last_year, counties=counties, until=until)
    scored_at = timezone.make_aware(datetime.datetime(last_year, 11, 20, 10))
    old_participants = _participants_add(old, counties)
    scores = []
    for participant in old_participants:
        rng = random.Random(f"evaluation-{last_year}-{participant.county.code or participant.county.name}")
        scores += scores_draw(
            participant=participant,
            leaves=old_leaves,
            figures=figures,
            until=until,
            rng=rng,
            people=people,
            when=scored_at,
            reviewed=True,
            self_assessed=True,
        )
    Score.objects.bulk_create(scores, batch_size=500)
    participants_recompute(round_=old)
    published_at = timezone.make_aware(datetime.datetime.combine(published, datetime.time(16, 30)))
    old.status = EvaluationRound.Status.PUBLISHED
    old.published_at, old.revision = published_at, 1
    old.objection_until = calendar.working_days_after(published, old.objection_days)
    old.save(update_fields=["status", "published_at", "revision", "objection_until"])
    results = {
        str(p.pk): {"total": str(p.total), "grade": p.grade, "rank": p.rank}
        for p in Participant.objects.filter(round=old).order_by("pk")
    }
    ResultRevision.objects.create(
        round=old,
        number=1,
        reason=gettext("Results published."),
        results=results,
        created_at=published_at,
        created_by=reviewer,
    )
    log_action(old, actions.RESULTS_PUBLISHED, user=reviewer, office=office, data={"revision": 1})
    mine = next(p for p in old_participants if p.county.name == DEMO_COUNTY)
    item = next(leaf for leaf in old_leaves if leaf.title.startswith("消除56人以上大班额"))
    objection = Objection.objects.create(
        participant=mine,
        indicator=item,
        text="我区大班额已于当年秋季学期全部消除，初评抽查所用数据为春季学期数据，请予复核。",
        raised_at=published_at + datetime.timedelta(days=2),
        raised_by=people["county"],
        outcome=Objection.Outcome.REJECTED,
        answer="经复核，评估以当年统计快报数据为准，秋季学期仍有2个班超过56人，维持原评分。",
        answered_at=published_at + datetime.timedelta(days=9),
        answered_by=reviewer,
    )
    log_action(objection, actions.OBJECTION_RAISED, user=people["county"], office=office)
    log_action(objection, actions.OBJECTION_ANSWERED, user=reviewer, office=office, data={"outcome": "rejected"})

    # This year's: the sheet copied from last year's, self-assessed (the 自评 obligations),
    # scored on site and partly reviewed; publication still to come.
    sheet = sheet_create(office=office, year=year, copied_from=old_sheet, acting_user=staff)
    self_due = calendar.working_day_on_or_before(today - datetime.timedelta(days=40))[0]
    current = _round_create(
        office=office,
        sheet=sheet,
        year=year,
        calendar={
            "self_assessment_due": self_due,
            "scoring_from": today - datetime.timedelta(days=30),
            "scoring_until": today - datetime.timedelta(days=12),
            "review_due": today + datetime.timedelta(days=10),
            "publish_on": today + datetime.timedelta(days=20),
        },
        previous=old,
        acting_user=staff,
    )
    participants = _participants_add(current, counties)
    obligations = obligations_issue_many(
        kind=Assignment.Kind.EVALUATION,
        owed=[
            Owed(p, (p.county,), gettext("Evaluation self-assessment: %(title)s") % {"title": current.title})
            for p in participants
        ],
        office=office,
        year=year,
        acting_user=staff,
        due_date=self_due,
    )
    # Two counties are late: one has sent its self-assessment for review, one has not finished.
    late = {participants[-1].pk: "reported", participants[-2].pk: "unfinished"}
    leaves = list(Indicator.objects.filter(sheet=sheet, children__isnull=True).order_by("position"))
    until = today - datetime.timedelta(days=12)
    figures = figures_get(office=office, year=year, counties=counties, until=until)
    scored_at = timezone.make_aware(datetime.datetime.combine(until, datetime.time(10)))
    scores = []
    for participant in participants:
        rng = random.Random(f"evaluation-{year}-{participant.county.code or participant.county.name}")
        drawn = scores_draw(
            participant=participant,
            leaves=leaves,
            figures=figures,
            until=until,
            rng=rng,
            people=people,
            when=scored_at,
            reviewed=participant.county.name == DEMO_COUNTY or rng.random() < 0.4,
            self_assessed=True,
        )
        if late.get(participant.pk) == "unfinished":
            for score in drawn[-6:]:
                score.self_score, score.self_note = None, ""
        scores += drawn
    Score.objects.bulk_create(scores, batch_size=500)
    participants_recompute(round_=current)
    _self_assessments_report(obligations, participants, late, people)
    current.status = EvaluationRound.Status.REVIEW
    current.save(update_fields=["status"])
    log_action(current, actions.ROUND_MOVED, user=staff, office=office, data={"to": current.status})
    return {
        "round": current,
        "previous": old,
        "participant": next(p for p in participants if p.county.name == DEMO_COUNTY),
        "previous_participant": mine,
        "objection": objection,
        "sheet": sheet,
    }


def _self_assessments_report(obligations, participants, late, people) -> None:
    """The counties' 自评 reported with their self-assessment report and accepted, but for the
    late ones: one awaits review, one is acknowledged and not yet sent."""
    by_subject = {assignment.subject_id: assignment for assignment in obligations}
    county_user = people["county"]
    for participant in participants:
        assignment = by_subject[participant.pk]
        author = county_user if participant.county.name == DEMO_COUNTY else None
        if late.get(participant.pk) == "unfinished":
            assignments_acknowledge(assignments=[assignment], acting_user=author)
            continue
        report = report_submit(
            assignment=assignment,
            acting_user=author,
            progress=ProgressReport.Progress.DONE,
            text="已对照评价指标逐项完成自评，自评报告及佐证材料已上传。",
            files=[SimpleUploadedFile(f"{participant.county.name}自评报告.pdf", b"%PDF-1.4 demo")],
        )
        if late.get(participant.pk) != "reported":
            report_review(report=report, acting_user=people["reviewer"], accept=True)
