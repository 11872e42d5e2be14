"""Writes: turning an issued notice into a plan, all or nothing."""
import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plans.models import (
    County,
    CountyAlias,
    Office,
    Project,
    Region,
    ScheduleEntry,
    Section,
    Task,
    WorkPlan,
    months_to_mask,
)
from plans.parsing import Gazetteer, ParsedDocument, ParseError, Place, RegionRef, parse_text
from plans.parsing.readers import read_document

error_messages = {
    "no_office": _(
        "The issuing office could not be found in the document; choose the office explicitly."
    ),
    "unknown_region": _(
        "The region of “%(office)s” is not in the division table; choose the office explicitly."
    ),
    "no_year": _("The plan year could not be determined from the title or the date."),
    "exists": _(
        "Plan “%(plan)s” already exists for this office and document; use replace to update "
        "the draft."
    ),
    "published": _("Plan “%(plan)s” is %(status)s and is never overwritten by an import."),
}


@dataclass
class ImportResult:
    plan: WorkPlan | None
    document: ParsedDocument
    created: bool = False
    replaced: bool = False

    @property
    def warnings(self) -> list[str]:
        return [w.render(gettext) for w in self.document.warnings]


def gazetteer_build() -> Gazetteer:
    """The division table from the database, keyed by County primary key."""
    regions = [
        RegionRef(code, name, level, parent_code or "")
        for code, name, level, parent_code in Region.objects.values_list(
            "code", "name", "level", "parent__code"
        )
    ]
    aliases: dict[int, list[str]] = {}
    for county_id, name in CountyAlias.objects.values_list("county_id", "name"):
        aliases.setdefault(county_id, []).append(name)
    places = [
        Place(
            key=str(pk),
            name=name,
            city_code=city_code,
            aliases=tuple(aliases.get(pk, ())),
            is_zone=kind == County.Kind.FUNCTIONAL_ZONE,
        )
        for pk, name, city_code, kind in County.objects.values_list("pk", "name", "city__code", "kind")
    ]
    return Gazetteer(regions, places)


def _scope_code(office: Office) -> str:
    if office.county_id:
        return str(office.county_id)
    return office.region.code if office.region_id else ""


def work_plan_parse(
    *, data: bytes | None = None, text: str | None = None, source_name: str = "", office: Office | None = None
) -> tuple[ParsedDocument, str]:
    """Parse a file's bytes (by its suffix) or a pasted text; ValidationError when unreadable."""
    try:
        if text is None:
            text = read_document(data or b"", PurePath(source_name or "document.txt").suffix)
        document = parse_text(
            text, gazetteer_build(), scope_code=_scope_code(office) if office else ""
        )
    except ParseError as exc:
        raise ValidationError(exc.render(gettext), code=exc.code) from None
    return document, text


def _office_for(document: ParsedDocument, office: Office | None) -> Office:
    if office is not None:
        return office
    if not document.issuing_office:
        raise ValidationError(error_messages["no_office"], code="no_office")
    existing = Office.objects.filter(name=document.issuing_office).first()
    if existing:
        return existing
    scope = document.scope
    if scope is None:
        raise ValidationError(
            error_messages["unknown_region"],
            code="unknown_region",
            params={"office": document.issuing_office},
        )
    if scope.place is not None:
        return Office.objects.create(
            name=document.issuing_office,
            level=Office.Level.COUNTY,
            county_id=int(scope.place.key),
        )
    region = Region.objects.get(code=scope.region_code)
    level = Office.Level.CITY if region.level == Region.Level.CITY else Office.Level.PROVINCE
    return Office.objects.create(name=document.issuing_office, level=level, region=region)


def _existing_plan(*, office: Office, document: ParsedDocument) -> WorkPlan | None:
    plans = WorkPlan.objects.filter(office=office)
    if document.doc_number:
        return plans.filter(doc_number=document.doc_number).first()
    return plans.filter(plan_year=document.plan_year, title=document.title[:255]).first()


def work_plan_import(
    *,
    data: bytes | None = None,
    text: str | None = None,
    source_name: str = "",
    office: Office | None = None,
    acting_user=None,
    replace: bool = False,
    publish: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Import one notice. The same document twice makes one plan; a published plan is never
    overwritten; nothing is written when anything fails or on a dry run."""
    document, text = work_plan_parse(data=data, text=text, source_name=source_name, office=office)
    if document.plan_year is None:
        raise ValidationError(error_messages["no_year"], code="no_year")
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()

    with transaction.atomic():
        same = WorkPlan.objects.filter(source_sha256=checksum).first()
        if same is not None:
            return ImportResult(plan=same, document=document)
        try:
            office = _office_for(document, office)
        except ValidationError:
            if dry_run:
                # A check still reports what was read; the warnings say the office is unknown.
                return ImportResult(plan=None, document=document)
            raise
        existing = _existing_plan(office=office, document=document)
        if existing is not None:
            if existing.status != WorkPlan.Status.DRAFT:
                raise ValidationError(
                    error_messages["published"],
                    code="published",
                    params={"plan": existing, "status": existing.get_status_display()},
                )
            if not replace:
                raise ValidationError(
                    error_messages["exists"], code="exists", params={"plan": existing}
                )
        plan = existing or WorkPlan(office=office, created_by=acting_user)
        _fill_plan(plan, document, text=text, source_name=source_name, checksum=checksum)
        if publish:
            plan.status = WorkPlan.Status.PUBLISHED
            plan.published_at = timezone.now()
        plan.full_clean(exclude=["created_by"])
        plan.save()
        if existing is not None:
            # Children are rewritten whole: a replaced draft reads exactly like the new text.
            plan.sections.all().delete()
            plan.tasks.all().delete()
            plan.projects.all().delete()
            plan.schedule_entries.all().delete()
        _write_children(plan, document)
        if dry_run:
            transaction.set_rollback(True)
            return ImportResult(plan=None, document=document, created=existing is None)
    return ImportResult(
        plan=plan, document=document, created=existing is None, replaced=existing is not None
    )


def _fill_plan(plan: WorkPlan, document: ParsedDocument, *, text: str, source_name: str, checksum: str):
    plan.title = document.title[:255]
    plan.notice_title = document.notice_title[:255]
    plan.doc_number = document.doc_number[:64]
    plan.issue_date = document.issue_date
    plan.plan_year = document.plan_year
    plan.recipients = document.recipients
    plan.cc = document.cc
    plan.notice_text = document.notice_text
    plan.preamble = document.preamble
    plan.notes = document.notes
    plan.imprint = document.imprint[:255]
    plan.source_name = source_name[:255]
    plan.source_text = text
    plan.source_sha256 = checksum
    plan.import_warnings = [{"code": w.code, "params": w.params} for w in document.warnings]


def _write_children(plan: WorkPlan, document: ParsedDocument) -> None:
    sections = []
    for position, parsed in enumerate(document.sections, start=1):
        section = Section(
            plan=plan,
            position=position,
            level=parsed.level,
            label=parsed.label[:16],
            heading=parsed.heading[:255],
            text=parsed.text,
        )
        sections.append(section)
    Section.objects.bulk_create([s for s, p in zip(sections, document.sections) if p.parent is None])
    for section, parsed in zip(sections, document.sections):
        if parsed.parent is not None:
            section.parent = sections[parsed.parent]
    Section.objects.bulk_create([s for s, p in zip(sections, document.sections) if p.parent is not None])

    lead_units = {parsed.lead_unit for parsed in document.tasks if parsed.lead_unit}
    # A lead unit the office table knows by name becomes a link; others stay text.
    lead_offices = dict(Office.objects.filter(name__in=lead_units).values_list("name", "pk")) if lead_units else {}
    tasks = Task.objects.bulk_create(
        [
            Task(
                plan=plan,
                section=sections[parsed.section] if parsed.section is not None else None,
                number=parsed.number,
                label=parsed.label[:32],
                title=parsed.title[:255],
                text=parsed.text,
                lead_unit=parsed.lead_unit[:255],
                lead_office_id=lead_offices.get(parsed.lead_unit),
            )
            for parsed in document.tasks
        ]
    )
    Task.counties.through.objects.bulk_create(
        [
            Task.counties.through(task_id=task.pk, county_id=int(place.key))
            for task, parsed in zip(tasks, document.tasks)
            for place in parsed.places
        ]
    )
    Project.objects.bulk_create(
        [
            Project(
                plan=plan,
                number=parsed.number,
                label=parsed.label[:32],
                name=parsed.name[:255],
                goal=parsed.goal,
                annual_target=parsed.annual_target,
                text=parsed.text,
            )
            for parsed in document.projects
        ]
    )
    task_by_number = {task.number: task for task in tasks}
    entries = ScheduleEntry.objects.bulk_create(
        [
            ScheduleEntry(
                plan=plan,
                task=task_by_number.get(parsed.task),
                position=position,
                period=parsed.period[:64],
                start_month=parsed.start_month,
                end_month=parsed.end_month,
                months=months_to_mask(parsed.months),
                granularity=parsed.granularity,
                text=parsed.text,
            )
            for position, parsed in enumerate(document.schedule, start=1)
        ]
    )
    ScheduleEntry.counties.through.objects.bulk_create(
        [
            ScheduleEntry.counties.through(scheduleentry_id=entry.pk, county_id=int(place.key))
            for entry, parsed in zip(entries, document.schedule)
            for place in parsed.places
        ]
    )
