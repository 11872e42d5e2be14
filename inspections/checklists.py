"""The checklist an office starts from when it has no template of its own for a kind of
inspection: data, copied into the office's template or the inspection's checklist, where the
office changes it.

The sections of a school checklist are the eight 督导事项 of 《中小学校责任督学挂牌督导办法》
(2013) 第四条, the subjects 《教育督导条例》第十一条 names for schools; a follow-up (整改情况督查)
checks that the rectification asked for was done."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from inspections.models import VISIT_TOPICS, InspectionKind


@dataclass(frozen=True)
class DefaultItem:
    section: str
    title: str
    guidance: str
    evidence: str


@dataclass(frozen=True)
class DefaultChecklist:
    name: str
    items: tuple[DefaultItem, ...]


# The eight matters, named as a 挂牌督导 visit record names them.
_TOPICS = dict(VISIT_TOPICS)

# (section, [(item, what to look at, evidence to ask for), …]) in the order of 第四条.
_EIGHT_MATTERS = (
    (
        _TOPICS["management"],
        (
            (
                _("The school's statutes, rules and work plans are in place and followed."),
                _("Read the statutes, the rule book and the minutes of meetings; ask staff how a rule is applied."),
                _("Statutes, rule book, minutes of the school's meetings."),
            ),
            (
                _("School affairs are made public and the school is run democratically."),
                _("Look at the notice boards and the records of the staff congress."),
                _("Records of the staff congress, what was made public."),
            ),
        ),
    ),
    (
        _TOPICS["admissions"],
        (
            (
                _("Pupils are admitted by zone and without exams; no school choice against the rules."),
                _("Compare the admission plan and the list of new pupils with the school's zone."),
                _("Admission plan, list of new pupils, student records."),
            ),
            (
                _("Fees are charged only as approved and made public; nothing else is charged."),
                _("Read the fee notices and the accounts; ask parents."),
                _("Fee approvals and notices, receipts."),
            ),
        ),
    ),
    (
        _TOPICS["teaching"],
        (
            (
                _("Every course of the national curriculum is taught in full."),
                _("Compare the timetables with the curriculum plan; visit lessons unannounced."),
                _("Timetables, teaching plans, lesson visit records."),
            ),
            (
                _("Teaching is well managed and its quality followed."),
                _("Look at lesson preparation, homework marking and the school's checks of teaching."),
                _("Lesson plans, marked homework, records of teaching checks."),
            ),
        ),
    ),
    (
        _TOPICS["workload"],
        (
            (
                _("Homework and exams stay within the limits set."),
                _("Talk with pupils and parents; read the homework records."),
                _("Homework rules and records, exam schedule."),
            ),
            (
                _("Pupils have an hour of physical activity at school every day."),
                _("Watch the break-time exercises and PE lessons; read the daily timetable."),
                _("Daily timetable, records of PE lessons and physical health tests."),
            ),
        ),
    ),
    (
        _TOPICS["teachers"],
        (
            (
                _("Teachers' ethics are taught and assessed; no teacher gives paid private tutoring."),
                _("Read the ethics assessments; talk with pupils and parents."),
                _("Ethics assessments, signed commitments, complaint records."),
            ),
            (
                _("Teachers train and develop as planned."),
                _("Look at the training plan and the training hours recorded."),
                _("Training plan, record of training hours."),
            ),
        ),
    ),
    (
        _TOPICS["safety"],
        (
            (
                _("Safety rules, duty, drills and hazard checks are in place."),
                _("Walk the buildings and grounds; read the duty and drill records."),
                _("Safety rules, duty rota, drill records, hazard check log."),
            ),
            (
                _("Pupils' journeys to and from school and the school's surroundings are safe."),
                _("Look at the gate at arrival and departure, the school buses and the street."),
                _("School bus records, traffic safety lessons."),
            ),
        ),
    ),
    (
        _TOPICS["hygiene"],
        (
            (
                _("The canteen and its food are safe: licence, purchase records and samples kept."),
                _("Visit the canteen; read the purchase and sample records."),
                _("Food licence, purchase records, sample log, staff health certificates."),
            ),
            (
                _("Drinking water and dormitories are clean and safe."),
                _("Look at the water supply and the dormitories; read the hygiene checks."),
                _("Water test reports, dormitory rules and checks."),
            ),
        ),
    ),
    (
        _TOPICS["ethos"],
        (
            (
                _("Moral education and the school's culture are well built."),
                _("Attend the school's activities; talk with pupils and teachers."),
                _("Moral education plan, records of activities."),
            ),
            (
                _("Pupils, teachers and parents are satisfied with the school."),
                _("Use a questionnaire or group talks."),
                _("Questionnaires and their results."),
            ),
        ),
    ),
)

_FOLLOW_UP = (
    (
        _("Rectification"),
        (
            (
                _("The rectification asked for has been done and holds."),
                _("Check each rectification item's measures against what is found; revisit what was put right."),
                _("Rectification report, ledger and the evidence of each measure."),
            ),
        ),
    ),
)


def _items(sections) -> tuple[DefaultItem, ...]:
    return tuple(
        DefaultItem(section=str(section), title=str(title), guidance=str(guidance), evidence=str(evidence))
        for section, rows in sections
        for title, guidance, evidence in rows
    )


def default_checklist(kind: str) -> DefaultChecklist:
    """The checklist offered for `kind` when the office has no template of its own, in the
    active language."""
    if kind == InspectionKind.FOLLOW_UP:
        return DefaultChecklist(name=str(_("Rectification follow-up checklist")), items=_items(_FOLLOW_UP))
    return DefaultChecklist(
        name=str(_("Checklist of the eight inspection matters (挂牌督导办法 第四条)")), items=_items(_EIGHT_MATTERS)
    )
