"""Turning an issued notice into a plan, all or nothing."""

import hashlib
import uuid
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.models import ActionLog
from audit.services import log_action
from organisation.models import County, CountyAlias, Office, OfficeAlias, Region
from plans import actions
from plans.models import PlanSource, WorkPlan
from plans.parsing import Gazetteer, ParsedDocument, ParseError, Place, RegionRef, parse_text
from plans.parsing.readers import ReadText, pdf_needs_ocr, read_file
from plans.parsing.state import source_format_of
from plans.services.content import CONTENT_MODELS, PlanRows, plan_content_write
from plans.services.drafts import draft_write
from plans.snapshots import PLAN_FIELDS
from plans.warnings import stored_warning
from supervision.history import acting_as

error_messages = {
    "no_office": _("The issuing office could not be found in the document; choose the office explicitly."),
    "unknown_region": _("The region of “%(office)s” is not in the division table; choose the office explicitly."),
    "unknown_office": _(
        "“%(office)s” is not an office known here; an administrator can add it, or choose your "
        "office if it issued the notice under this name."
    ),
    "no_year": _("The plan year could not be determined from the title or the date; enter it."),
    "exists": _("Plan “%(plan)s” already exists for this office and document; replace it to update the draft."),
    "not_draft": _(
        "Plan “%(plan)s” is %(status)s; only a draft is updated by an import (revise a published plan instead)."
    ),
}


@dataclass
class ImportResult:
    plan: WorkPlan | None
    document: ParsedDocument
    created: bool = False
    replaced: bool = False
    # The same text was imported before (or by someone else at the same moment): nothing
    # changed, and `plan` is that plan.
    duplicate: bool = False

    @property
    def warnings(self) -> list[str]:
        return [w.render(gettext) for w in self.document.warnings]


def gazetteer_build() -> Gazetteer:
    """The division table from the database, keyed by County primary key."""
    regions = [
        RegionRef(code, name, level, parent_code or "")
        for code, name, level, parent_code in Region.objects.values_list("code", "name", "level", "parent__code")
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


# The gazetteer is built once per process and kept (its county matchers, built as notices need
# them, with it) until the division table or its aliases change: gazetteer_invalidate, called
# after the commit of any save or delete of a Region, County or CountyAlias (plans.signals) and
# of a place confirmed in the import preview, bumps a version in the cache. A fingerprint of the
# three tables (their sizes and largest ids) also catches rows added or removed without signals
# (bulk loads), by another process whose cache this process does not share, or inside a
# transaction that is then rolled back.
_GAZETTEER_VERSION = "plans:gazetteer:version"
_gazetteer: dict = {"key": None, "value": None}


def _gazetteer_fingerprint() -> tuple:
    parts = ", ".join(
        f'(SELECT COUNT(*) FROM "{t}"), (SELECT MAX(id) FROM "{t}")'
        for t in (Region._meta.db_table, County._meta.db_table, CountyAlias._meta.db_table)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        return tuple(cursor.fetchone())


def gazetteer_get() -> Gazetteer:
    """The gazetteer (gazetteer_build), built once and kept while the divisions stay as they are."""
    version = cache.get(_GAZETTEER_VERSION)
    if version is None:
        cache.add(_GAZETTEER_VERSION, uuid.uuid4().hex, timeout=None)
        version = cache.get(_GAZETTEER_VERSION)
    key = (version, _gazetteer_fingerprint())
    kept = _gazetteer.copy()
    if kept["key"] == key and kept["value"] is not None:
        return kept["value"]
    # The key is read before the build: a change during the build makes the next call build again.
    value = gazetteer_build()
    _gazetteer.update(key=key, value=value)
    return value


def gazetteer_invalidate() -> None:
    """The division table changed: every process builds its gazetteer again on next use."""
    cache.set(_GAZETTEER_VERSION, uuid.uuid4().hex, timeout=None)
    _gazetteer.update(key=None, value=None)


def _scope_code(office: Office) -> str:
    if office.county_id:
        return str(office.county_id)
    return office.region.code if office.region_id else ""


def work_plan_read(*, data: bytes, source_name: str) -> ReadText:
    """A file's text by its suffix (a scan by OCR: seconds a page); ValidationError when unreadable."""
    try:
        return read_file(data, PurePath(source_name or "document.txt").suffix)
    except ParseError as exc:
        raise ValidationError(exc.render(gettext), code=exc.code) from None


def work_plan_needs_ocr(*, data: bytes, source_name: str) -> bool:
    """Whether reading the file means recognising scanned pages (a job, not a request)."""
    return PurePath(source_name).suffix.lower() == ".pdf" and pdf_needs_ocr(data)


def work_plan_parse(
    *,
    data: bytes | None = None,
    text: str | None = None,
    source_name: str = "",
    office: Office | None = None,
    read: ReadText | None = None,
) -> tuple[ParsedDocument, str]:
    """Parse a file's bytes (by its suffix), a pasted text, or a file's text read before (`read`:
    a scan recognised by a job); ValidationError when unreadable."""
    # A Word file is read without the cleanups meant for text extracted from a PDF.
    suffix = PurePath(source_name or "document.txt").suffix if text is None else ".txt"
    ocr_lines: tuple[int, ...] = ()
    try:
        if text is None:
            read = read or read_file(data or b"", suffix)
            text, ocr_lines = read.text, read.ocr_lines
        document = parse_text(
            text,
            gazetteer_get(),
            scope_code=_scope_code(office) if office else "",
            source_format=source_format_of(suffix),
        )
    except ParseError as exc:
        raise ValidationError(exc.render(gettext), code=exc.code) from None
    if ocr_lines:
        lines = text.split("\n")
        document.ocr_lines = [lines[i] for i in ocr_lines if i < len(lines) and lines[i].strip()]
    return document, text


def text_checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- Offices -----------------------------------------------------------------------------------


def office_resolve(name: str) -> Office | None:
    """The office known by `name`, under its own name or an alias."""
    if not name:
        return None
    return Office.objects.select_related("region", "county").filter(Q(name=name) | Q(aliases__name=name)).first()


@dataclass
class NewOffice:
    """An office an import would create: the document names it and nothing here knows it."""

    name: str
    level: str
    region: Region | None = None
    county_id: int | None = None

    def create(self) -> Office:
        office, _created = Office.objects.get_or_create(
            name=self.name,
            defaults={"level": self.level, "region": self.region, "county_id": self.county_id},
        )
        return office


def office_proposal(document: ParsedDocument) -> Office | NewOffice:
    """The office that issued `document`: a known one, or the one an import would create.

    ValidationError when the document names none, or names one whose region is unknown.
    """
    if not document.issuing_office:
        raise ValidationError(error_messages["no_office"], code="no_office")
    known = office_resolve(document.issuing_office)
    if known is not None:
        return known
    scope = document.scope
    if scope is None:
        raise ValidationError(
            error_messages["unknown_region"],
            code="unknown_region",
            params={"office": document.issuing_office},
        )
    if scope.place is not None:
        return NewOffice(document.issuing_office, Office.Level.COUNTY, county_id=int(scope.place.key))
    region = Region.objects.get(code=scope.region_code)
    level = Office.Level.CITY if region.level == Region.Level.CITY else Office.Level.PROVINCE
    return NewOffice(document.issuing_office, level, region=region)


def existing_plan(*, office: Office, document: ParsedDocument, plan_year: int) -> WorkPlan | None:
    """A plan of `office` that `document` would replace: the same 文号, or else the same title
    in the same year. Draft revisions are not plans of their own."""
    plans = WorkPlan.objects.filter(office=office, revision_of=None)
    if document.doc_number:
        return plans.filter(doc_number=document.doc_number).first()
    return plans.filter(plan_year=plan_year, title=document.title).first()


# --- Content -----------------------------------------------------------------------------------


# Fields of bounded length: a longer value is cut with a warning, never silently.
_LIMITS = {"doc_number": 64, "section_label": 16, "label": 32, "period": 64, "source_name": 255}


class _Fitter:
    def __init__(self):
        self.warnings: list[dict] = []

    def __call__(self, value: str, limit_name: str, where: str) -> str:
        limit = _LIMITS[limit_name]
        if len(value) <= limit:
            return value
        self.warnings.append(stored_warning("too_long", where=where, limit=limit, excerpt=value[:40]))
        return value[:limit]


def content_from_document(document: ParsedDocument, *, fit: _Fitter) -> dict:
    """The parsed notice in the shape of plans.snapshots, with fresh keys."""
    section_keys = [str(uuid.uuid4()) for _ in document.sections]
    task_keys = {task.number: str(uuid.uuid4()) for task in document.tasks}
    lead_units = {task.lead_unit for task in document.tasks if task.lead_unit}
    # A lead unit the office table knows by name becomes a link; others stay text.
    lead_offices = dict(Office.objects.filter(name__in=lead_units).values_list("name", "pk")) if lead_units else {}

    def counties(places) -> list[list]:
        return [[int(place.key), place.name] for place in places]

    unconfirmed_tasks: dict[int, list[str]] = {}
    unconfirmed_entries: dict[int, list[str]] = {}
    for place in getattr(document, "unconfirmed_places", []):
        for number in place.tasks:
            unconfirmed_tasks.setdefault(number, []).append(place.name)
        for index in place.entries:
            unconfirmed_entries.setdefault(index, []).append(place.name)

    return {
        "sections": [
            {
                "key": key,
                "position": position,
                "level": parsed.level,
                "label": fit(parsed.label, "section_label", parsed.heading),
                "heading": parsed.heading,
                "text": parsed.text,
                "parent": section_keys[parsed.parent] if parsed.parent is not None else None,
            }
            for position, (key, parsed) in enumerate(zip(section_keys, document.sections), start=1)
        ],
        "tasks": [
            {
                "key": task_keys[parsed.number],
                "number": parsed.number,
                "label": fit(parsed.label, "label", parsed.title),
                "title": parsed.title,
                "text": parsed.text,
                "section": section_keys[parsed.section] if parsed.section is not None else None,
                "lead_unit": parsed.lead_unit,
                "lead_office": lead_offices.get(parsed.lead_unit),
                "addresses_all_counties": parsed.addresses_all_counties,
                "unconfirmed_places": unconfirmed_tasks.get(parsed.number, []),
                "counties": counties(parsed.places),
            }
            for parsed in document.tasks
        ],
        "projects": [
            {
                "key": str(uuid.uuid4()),
                "number": parsed.number,
                "label": fit(parsed.label, "label", parsed.name),
                "heading": parsed.heading,
                "name": parsed.name,
                "goal": parsed.goal,
                "annual_target": parsed.annual_target,
                "text": parsed.text,
            }
            for parsed in document.projects
        ],
        "entries": [
            {
                "key": str(uuid.uuid4()),
                "position": position,
                "task": task_keys.get(parsed.task),
                "period": fit(parsed.period, "period", parsed.text),
                "months": list(parsed.months),
                "granularity": parsed.granularity,
                "deadline_day": parsed.deadline_day,
                "text": parsed.text,
                "lead_unit": parsed.lead_unit,
                "unconfirmed_places": unconfirmed_entries.get(position - 1, []),
                "counties": counties(parsed.places),
            }
            for position, parsed in enumerate(document.schedule, start=1)
        ],
    }


def _fill_header(plan: WorkPlan, document: ParsedDocument, *, plan_year: int, fit: _Fitter) -> None:
    plan.title = document.title
    plan.notice_title = document.notice_title
    plan.doc_number = fit(document.doc_number, "doc_number", gettext("document number"))
    plan.issue_date = document.issue_date
    plan.plan_year = plan_year
    plan.recipients = document.recipients
    plan.cc = document.cc
    plan.notice_text = document.notice_text
    plan.preamble = document.preamble
    plan.notes = document.notes
    plan.imprint = document.imprint
    plan.projects_first = document.projects_first


# --- The import --------------------------------------------------------------------------------

# The tables an import fills: analyzed when a command has imported notices in bulk
# (plans.services.bulk.tables_analyze).
IMPORT_MODELS = [WorkPlan, WorkPlan.history.model, PlanSource, ActionLog, *CONTENT_MODELS]


def work_plan_import(
    *,
    data: bytes | None = None,
    text: str | None = None,
    source_name: str = "",
    office: Office | None = None,
    plan_year: int | None = None,
    acting_user=None,
    replace: bool = False,
    publish: bool = False,
    dry_run: bool = False,
    create_office: bool = True,
    alias_office_name: bool = False,
    keep_file: bool = True,
    expected_version: int | None = None,
    read: ReadText | None = None,
    office_checked: bool = False,
    parsed: tuple[ParsedDocument, str] | None = None,
) -> ImportResult:
    """Import one notice as a draft plan (and publish it through the lifecycle if asked).

    The same text twice makes one plan (also when two imports race); a plan that is not a
    draft is never overwritten; nothing is written when anything fails or on a dry run.
    `office` is the issuing office when the caller chose it; otherwise the document's office,
    created when unknown if `create_office`. `alias_office_name` records the name the
    document gives its office as another name of the chosen `office`. `office_checked`
    refuses a notice that is not the chosen office's (the preview's check, for an import
    nobody previews).
    """
    # `read`: the file's text read before (a scan a job recognised), so it is not read twice;
    # `parsed`: what work_plan_parse gave for these bytes and `office` (a command that parses in
    # one process and writes in others).
    if parsed is None:
        parsed = work_plan_parse(data=data, text=text, source_name=source_name, office=office, read=read)
    document, text = parsed
    if office_checked and office is not None:
        # Without a preview to show it, what the preview would refuse is refused here.
        named = office_resolve(document.issuing_office) if document.issuing_office else None
        problems = chosen_office_problems(document=document, office=office, named=named)
        if problems:
            raise ValidationError(problems, code="other_office")
    year = plan_year or document.plan_year
    if year is None:
        raise ValidationError(error_messages["no_year"], code="no_year")
    checksum = text_checksum(text)
    written_files: list = []
    try:
        with transaction.atomic(), acting_as(acting_user):
            result = _import(
                document=document,
                text=text,
                data=data,
                source_name=source_name,
                office=office,
                plan_year=year,
                acting_user=acting_user,
                replace=replace,
                publish=publish,
                dry_run=dry_run,
                create_office=create_office,
                alias_office_name=alias_office_name,
                keep_file=keep_file,
                checksum=checksum,
                written_files=written_files,
                expected_version=expected_version,
            )
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        for stored in written_files:
            stored.storage.delete(stored.name)
        raise
    return result


def _import(
    *,
    document,
    text,
    data,
    source_name,
    office,
    plan_year,
    acting_user,
    replace,
    publish,
    dry_run,
    create_office,
    alias_office_name,
    keep_file,
    checksum,
    written_files,
    expected_version=None,
) -> ImportResult:
    same = PlanSource.objects.select_related("plan").filter(sha256=checksum).first()
    if same is not None:
        return ImportResult(plan=same.plan, document=document, duplicate=True)
    if office is None:
        try:
            proposal = office_proposal(document)
        except ValidationError:
            if dry_run:
                # A check still reports what was read; the warnings say the office is unknown.
                return ImportResult(plan=None, document=document)
            raise
        if isinstance(proposal, NewOffice):
            if not create_office:
                raise ValidationError(
                    error_messages["unknown_office"],
                    code="unknown_office",
                    params={"office": proposal.name},
                )
            proposal = proposal.create()
        office = proposal
    elif alias_office_name and document.issuing_office and document.issuing_office != office.name:
        if office_resolve(document.issuing_office) is None:
            OfficeAlias.objects.get_or_create(name=document.issuing_office, defaults={"office": office})

    existing = existing_plan(office=office, document=document, plan_year=plan_year)
    if existing is not None and PlanSource.objects.filter(plan=existing, sha256=checksum).exists():
        # Imported by someone else since the check above (their transaction just committed).
        return ImportResult(plan=existing, document=document, duplicate=True)
    if existing is not None:
        if existing.status != WorkPlan.Status.DRAFT:
            raise ValidationError(
                error_messages["not_draft"],
                code="not_draft",
                params={"plan": existing, "status": existing.get_status_display()},
            )
        if not replace:
            raise ValidationError(error_messages["exists"], code="exists", params={"plan": existing})
    fit = _Fitter()
    try:
        with transaction.atomic():
            plan, rows = _write(
                existing=existing,
                office=office,
                document=document,
                text=text,
                data=data,
                source_name=source_name,
                plan_year=plan_year,
                acting_user=acting_user,
                fit=fit,
                checksum=checksum,
                keep_file=keep_file and not dry_run,
                written_files=written_files,
                expected_version=expected_version,
            )
    except IntegrityError:
        # Someone imported the same document at the same moment (or took its 文号).
        same = PlanSource.objects.select_related("plan").filter(sha256=checksum).first()
        if same is not None:
            return ImportResult(plan=same.plan, document=document, duplicate=True)
        taken = existing_plan(office=office, document=document, plan_year=plan_year)
        raise ValidationError(
            error_messages["exists"], code="exists", params={"plan": taken or document.title}
        ) from None
    if publish:
        from plans.services.lifecycle import work_plan_publish, work_plan_publish_imported, work_plan_submit

        if rows is not None:
            # A new plan: published from the rows just written, not read back.
            plan = work_plan_publish_imported(plan=plan, rows=rows, acting_user=acting_user)
        else:
            plan = work_plan_submit(plan=plan, acting_user=acting_user)
            plan = work_plan_publish(plan=plan, acting_user=acting_user)
    if dry_run:
        return ImportResult(plan=None, document=document, created=existing is None)
    return ImportResult(
        plan=plan,
        document=document,
        created=existing is None,
        replaced=existing is not None,
    )


def _write(
    *,
    existing,
    office,
    document,
    text,
    data,
    source_name,
    plan_year,
    acting_user,
    fit,
    checksum,
    keep_file,
    written_files,
    expected_version=None,
) -> tuple[WorkPlan, PlanRows | None]:
    """The notice onto a new plan or an existing draft; with a new plan, the rows written
    (plan_content_write's), else None."""
    name = fit(source_name, "source_name", gettext("file name")) if source_name else ""
    if existing is None:
        plan = WorkPlan(office=office, created_by=acting_user)
        counts, rows = _write_notice(
            plan,
            document=document,
            text=text,
            data=data,
            name=name,
            plan_year=plan_year,
            acting_user=acting_user,
            fit=fit,
            checksum=checksum,
            keep_file=keep_file,
            written_files=written_files,
        )
        log_action(plan, actions.PLAN_IMPORTED, user=acting_user, office=office, data={"source": "notice", **counts})
        return plan, rows
    # A re-import into a draft is one guarded write (plans.services.drafts) like any other.
    with draft_write(
        plan=existing,
        expected_version=expected_version,
        acting_user=acting_user,
        action=actions.PLAN_REIMPORTED,
        data={"source": "notice"},
        not_draft=lambda locked: ValidationError(
            error_messages["not_draft"],
            code="not_draft",
            params={"plan": locked, "status": locked.get_status_display()},
        ),
    ) as write:
        counts, _rows = _write_notice(
            write.plan,
            document=document,
            text=text,
            data=data,
            name=name,
            plan_year=plan_year,
            acting_user=acting_user,
            fit=fit,
            checksum=checksum,
            keep_file=keep_file,
            written_files=written_files,
        )
        write.data.update(counts)
        write.fields += PLAN_FIELDS
        write.index_fresh = True
    return write.plan, None


_LIFECYCLE_FIELDS = ["status", "version", "revision", "submitted_at", "published_at", "archived_at"]


def _write_notice(
    plan, *, document, text, data, name, plan_year, acting_user, fit, checksum, keep_file, written_files
) -> tuple[dict, PlanRows | None]:
    """The notice's header, parts and source onto `plan` (a new one is saved here; an existing
    draft's header is saved with its version by the guarded write). Returns what was written,
    and a new plan's rows."""
    _fill_header(plan, document, plan_year=plan_year, fit=fit)
    content = content_from_document(document, fit=fit)
    # The header is checked; the lifecycle's fields, which an import leaves as they are, are not
    # (each check constraint on them would be a query).
    plan.full_clean(exclude=["created_by", "office", "revision_of", *_LIFECYCLE_FIELDS])
    fresh = plan.pk is None
    if fresh:
        plan.save()
    rows = plan_content_write(plan=plan, content=content, match_by="number", acting_user=acting_user, fresh=fresh)
    warnings = [stored_warning(w.code, **w.params) for w in document.warnings] + fit.warnings
    source = (None if fresh else PlanSource.objects.filter(plan=plan).first()) or PlanSource(plan=plan)
    old_file = source.file.name if source.file else ""
    source.name, source.text, source.sha256, source.warnings = name, text, checksum, warnings
    source.created_by = acting_user
    if keep_file:
        source.file.save(
            name or "document.txt", ContentFile(data if data is not None else text.encode("utf-8")), save=False
        )
        written_files.append(source.file)
    source.save()
    if keep_file and old_file:
        storage = source.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    counts = {kind: len(content[kind]) for kind in ("sections", "tasks", "projects", "entries")}
    return {"file": name, **counts}, rows


# --- The preview before an import --------------------------------------------------------------


@dataclass
class ImportCheck:
    """What confirming an import would do, and what stops it (`problems`)."""

    document: ParsedDocument
    checksum: str
    office: Office | None = None
    new_office: NewOffice | None = None
    # How the office was found: "chosen", "name", "alias" or "new".
    office_found_by: str = ""
    # The document's name for its office, when it is not a name the chosen office is known by.
    unknown_office_name: str = ""
    duplicate: WorkPlan | None = None
    existing: WorkPlan | None = None
    needs_year: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def can_confirm(self) -> bool:
        return not self.problems and self.duplicate is None


def chosen_office_problems(*, document: ParsedDocument, office: Office, named: Office | None) -> list[str]:
    """Why `document` is not a notice of `office`, the office the user chose (none: it may be).
    `named`: the office known by the name the notice gives (office_resolve)."""
    if named is not None and named.pk != office.pk:
        return [
            gettext("The notice was issued by “%(named)s”, not by “%(chosen)s”; choose that office.")
            % {"named": named.name, "chosen": office.name}
        ]
    if named is None and document.issuing_office:
        scope = document.scope
        region_code = office.region.code if office.region_id else None
        if scope is not None and region_code and scope.region_code not in (region_code, "") and scope.place is None:
            return [
                gettext("The notice names “%(named)s”, which is not in the region of “%(chosen)s”.")
                % {"named": document.issuing_office, "chosen": office.name}
            ]
    return []


def work_plan_import_check(
    *, document: ParsedDocument, text: str, office: Office | None, may_create_office: bool
) -> ImportCheck:
    """Read-only: what importing `document` for `office` (None: the office it names) would do."""
    check = ImportCheck(document=document, checksum=text_checksum(text))
    same = PlanSource.objects.select_related("plan").filter(sha256=check.checksum).first()
    if same is not None:
        check.duplicate = same.plan
    check.needs_year = document.plan_year is None
    named = office_resolve(document.issuing_office) if document.issuing_office else None
    if office is not None:
        check.office, check.office_found_by = office, "chosen"
        check.problems.extend(chosen_office_problems(document=document, office=office, named=named))
        if named is None and document.issuing_office:
            check.unknown_office_name = document.issuing_office
    else:
        try:
            proposal = office_proposal(document)
        except ValidationError as exc:
            check.problems.extend(exc.messages)
            proposal = None
        if isinstance(proposal, NewOffice):
            if may_create_office:
                check.new_office, check.office_found_by = proposal, "new"
            else:
                check.problems.append(gettext(error_messages["unknown_office"]) % {"office": proposal.name})
        elif proposal is not None:
            check.office = proposal
            check.office_found_by = "name" if proposal.name == document.issuing_office else "alias"
    if check.office is not None and document.plan_year is not None:
        existing = existing_plan(office=check.office, document=document, plan_year=document.plan_year)
        if existing is not None and existing.pk != getattr(check.duplicate, "pk", None):
            check.existing = existing
            if existing.status != WorkPlan.Status.DRAFT:
                check.problems.append(
                    gettext(error_messages["not_draft"]) % {"plan": existing, "status": existing.get_status_display()}
                )
    return check


# --- Places staff confirm in the preview --------------------------------------------------------


@transaction.atomic
def place_resolve(*, name: str, region_code: str, choice) -> County:
    """Settle a name the parser kept unconfirmed (XX高新区): "new" adds it to the zone table as
    a zone of its city; a County records the name as that county's alias. Either way the next
    parse of any notice matches the name."""
    if choice == "new":
        city = Region.objects.get(code=region_code, level=Region.Level.CITY)
        zone, _created = County.objects.get_or_create(
            city=city, name=name, defaults={"kind": County.Kind.FUNCTIONAL_ZONE}
        )
        transaction.on_commit(gazetteer_invalidate)
        return zone
    if choice.name != name:
        CountyAlias.objects.get_or_create(county=choice, name=name)
    # The signals of the rows written above do so too; said here, where it matters most.
    transaction.on_commit(gazetteer_invalidate)
    return choice
