"""Writes to bulletins: draft one from the data, edit its text, submit it for review, issue it
with the next 文号 of the office's one sequence, and keep the office's paragraph templates. Each
checks the state under a lock on the row and logs one audit event."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import log_action
from bulletins import actions
from bulletins.drafting import body_counties, bulletin_draft
from bulletins.models import Bulletin, BulletinParagraphTemplate
from bulletins.paragraphs import DEFAULTS, unknown_placeholders
from inspections.documents import document_number_take
from supervision.localtime import site_today

error_messages = {
    "period": _("The period ends on or after the day it starts."),
    "no_counties": _("Choose at least one county."),
    "round_office": _("Choose a published round of the same office."),
    "issued": _("The bulletin has been issued: it no longer changes."),
    "not_draft": _("Only a draft is submitted for review; it is %(status)s."),
    "not_review": _("Only a bulletin in review is issued; it is %(status)s."),
    "empty_title": _("The title may not be empty."),
    "empty_paragraph": _("A paragraph may not be empty: remove it instead."),
    "no_paragraphs": _("A bulletin keeps at least one paragraph."),
    "placeholder": _("“%(names)s” is not a figure this paragraph knows."),
}


def _error(code: str, **params) -> ValidationError:
    return ValidationError(error_messages[code], code=code, params=params)


def _user(acting_user):
    return acting_user if acting_user is not None and acting_user.is_authenticated else None


@transaction.atomic
def bulletin_create(
    *,
    office,
    kind: str,
    start: datetime.date,
    end: datetime.date,
    counties,
    round_=None,
    acting_user,
    today: datetime.date | None = None,
) -> Bulletin:
    """A new draft for `counties` over start..end, its paragraphs drafted from the data."""
    today = today or site_today()
    counties = list(counties)
    if end < start:
        raise _error("period")
    if not counties:
        raise _error("no_counties")
    if round_ is not None and (round_.office_id != office.pk or not round_.is_published):
        raise _error("round_office")
    draft = bulletin_draft(
        office=office, kind=kind, start=start, end=end, county_ids=[c.pk for c in counties], round_=round_, today=today
    )
    bulletin = Bulletin.objects.create(
        office=office,
        kind=kind,
        title=draft.title,
        year=end.year,
        period_start=start,
        period_end=end,
        round=round_,
        body=draft.body,
        created_by=_user(acting_user),
    )
    bulletin.counties.set(counties)
    bulletin.named_counties.set(draft.named)
    log_action(
        bulletin,
        actions.BULLETIN_DRAFTED,
        user=acting_user,
        office=office,
        data={"kind": kind, "start": start.isoformat(), "end": end.isoformat(), "counties": [c.pk for c in counties]},
    )
    return bulletin


def _locked(bulletin: Bulletin) -> Bulletin:
    return Bulletin.objects.select_for_update().get(pk=bulletin.pk)


@transaction.atomic
def bulletin_edit(*, bulletin: Bulletin, title: str, sections: list[list[dict]], acting_user) -> Bulletin:
    """Set the title and the paragraphs: `sections` has, per section of the body, the paragraphs
    to keep in order, each {"index": its index in the section (None for a new one), "text": …}.
    A kept paragraph keeps its figures and the counties it names; a new one has none."""
    locked = _locked(bulletin)
    if locked.is_issued:
        raise _error("issued")
    title = title.strip()
    if not title:
        raise _error("empty_title")
    old = locked.body.get("sections", [])
    new_sections = []
    for number, section in enumerate(old):
        paragraphs = []
        for entry in sections[number] if number < len(sections) else []:
            text = entry["text"].strip()
            if not text:
                raise _error("empty_paragraph")
            index = entry.get("index")
            if index is not None and 0 <= index < len(section["paragraphs"]):
                paragraph = dict(section["paragraphs"][index], text=text)
            else:
                paragraph = {"key": "added", "text": text, "figures": [], "counties": []}
            paragraphs.append(paragraph)
        new_sections.append({**section, "paragraphs": paragraphs})
    if not any(section["paragraphs"] for section in new_sections):
        raise _error("no_paragraphs")
    locked.title = title
    locked.body = {**locked.body, "sections": new_sections}
    locked.save(update_fields=["title", "body"])
    named = body_counties(locked.body)
    locked.named_counties.set(named)
    log_action(locked, actions.BULLETIN_EDITED, user=acting_user, office=locked.office, data={"named": named})
    return locked


@transaction.atomic
def bulletin_submit(*, bulletin: Bulletin, acting_user) -> Bulletin:
    locked = _locked(bulletin)
    if locked.status != Bulletin.Status.DRAFT:
        raise _error("not_draft", status=locked.get_status_display())
    locked.status = Bulletin.Status.REVIEW
    locked.save(update_fields=["status"])
    log_action(locked, actions.BULLETIN_SUBMITTED, user=acting_user, office=locked.office)
    return locked


@transaction.atomic
def bulletin_issue(*, bulletin: Bulletin, acting_user, today: datetime.date | None = None) -> Bulletin:
    """Issue a bulletin in review with the next 文号 of its office's sequence of the year (the one
    the inspection documents take theirs from)."""
    today = today or site_today()
    locked = _locked(bulletin)
    if locked.status != Bulletin.Status.REVIEW:
        raise _error("not_review", status=locked.get_status_display())
    # The year of the 文号 is the year of issue, as the inspection documents'.
    number, doc_number = document_number_take(office=locked.office, year=today.year)
    locked.status = Bulletin.Status.ISSUED
    locked.year = today.year
    locked.number, locked.doc_number = number, doc_number
    locked.issued_at = timezone.now()
    locked.issued_by = _user(acting_user)
    locked.save(update_fields=["status", "year", "number", "doc_number", "issued_at", "issued_by"])
    log_action(locked, actions.BULLETIN_ISSUED, user=acting_user, office=locked.office, data={"doc_number": doc_number})
    return locked


@transaction.atomic
def paragraph_templates_save(*, office, texts: dict[str, str], acting_user) -> list[str]:
    """The office's own paragraph texts: a text equal to the default (or empty) goes back to the
    default. Returns the keys changed."""
    errors = {}
    for key, text in texts.items():
        unknown = unknown_placeholders(key, text)
        if unknown:
            errors[key] = _error("placeholder", names="、".join("{" + name + "}" for name in unknown))
    if errors:
        raise ValidationError(errors)
    own = {row.key: row for row in BulletinParagraphTemplate.objects.select_for_update().filter(office=office)}
    changed = []
    for key, text in texts.items():
        text = text.strip()
        row = own.get(key)
        if not text or text == DEFAULTS[key][2]:
            if row is not None:
                row.delete()
                changed.append(key)
        elif row is None:
            BulletinParagraphTemplate.objects.create(office=office, key=key, text=text)
            changed.append(key)
        elif row.text != text:
            row.text, row.updated_at = text, timezone.now()
            row.save(update_fields=["text", "updated_at"])
            changed.append(key)
    if changed:
        log_action(office, actions.PARAGRAPHS_EDITED, user=acting_user, office=office, data={"keys": changed})
    return changed
