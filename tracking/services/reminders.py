"""催办: e-mail each county what is due soon or overdue.

`send_reminders` (cron) sends at most one automatic reminder a county a day: running it twice
on a day sends nothing more (a unique constraint holds it, also against two runs at once).
Staff may send a county a reminder from the dashboard at any time. A reminder goes to the
county office's contact address (CountyContact) and to the e-mail of each of its members.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.services import log_actions
from organisation.models import County, CountyContact, Membership
from organisation.services.calendar import official_calendar_get
from schedule.urgency import is_overdue
from tracking import actions
from tracking.kinds import live_q, obligations_loaded
from tracking.models import Assignment, Reminder

error_messages = {
    "nothing_due": _(
        "Nothing was sent to %(county)s: none of its work is overdue or due within %(days)d working days."
    ),
    "no_address": _(
        "Nothing was sent to %(county)s: no contact e-mail is registered for its office, and "
        "none of its members has an e-mail address."
    ),
}


def working_days_ahead(day: datetime.date, count: int) -> datetime.date:
    """The date `count` working days after `day`."""
    return official_calendar_get().working_days_after(day, count)


@dataclass
class ReminderDraft:
    county: County
    assignments: list[Assignment] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    subject: str = ""
    body: str = ""


def _recipients(county_ids) -> dict[int, list[str]]:
    """The e-mail addresses of each county's office: its contact address, then its members'."""
    found = defaultdict(list)
    contacts = (
        CountyContact.objects.filter(county_id__in=county_ids).exclude(email="").values_list("county_id", "email")
    )
    for county_id, email in contacts:
        found[county_id].append(email)
    rows = (
        Membership.objects.filter(role=Membership.Role.COUNTY, office__county_id__in=county_ids, user__is_active=True)
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("office__county_id", "user__email")
    )
    for county_id, email in rows:
        if email not in found[county_id]:
            found[county_id].append(email)
    return found


def _compose(draft: ReminderDraft, today: datetime.date) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        overdue = sum(is_overdue(state=a.state, due=a.due_date, today=today) for a in draft.assignments)
        draft.subject = gettext("[Supervision Planner] %(count)d tasks due soon or overdue") % {
            "count": len(draft.assignments)
        }
        lines = [
            gettext("%(county)s: %(count)d tasks are due within a few working days or overdue (%(overdue)d overdue).")
            % {"county": draft.county.name, "count": len(draft.assignments), "overdue": overdue},
            "",
        ]
        for assignment in draft.assignments:
            overdue_now = is_overdue(state=assignment.state, due=assignment.due_date, today=today)
            mark = gettext("overdue") if overdue_now else gettext("due")
            lines.append(f"- {assignment.due_date:%Y-%m-%d} {mark}  {assignment.source_label}：{assignment.label}")
        lines += [
            "",
            gettext("Open your work: %(url)s") % {"url": settings.SITE_URL.rstrip("/") + reverse("tracking:portal")},
        ]
        draft.body = "\n".join(lines)


def reminders_due(
    *,
    today: datetime.date | None = None,
    within_working_days: int = 5,
    counties=None,
    skip_reminded: bool = True,
) -> list[ReminderDraft]:
    """What each county would be reminded of: open obligations of every kind (those of each
    kind it still chases, tracking.kinds) due within N working days of today, or overdue.
    Counties already reminded automatically today are left out."""
    today = today or timezone.localdate()
    cutoff = working_days_ahead(today, within_working_days)
    assignments = obligations_loaded(
        Assignment.objects.filter(live_q(), state__in=Assignment.OPEN, due_date__lte=cutoff), related=("county",)
    ).order_by("county__code", "county__name", "due_date", "pk")
    if counties is not None:
        assignments = assignments.filter(county__in=counties)
    reminded = (
        set(Reminder.objects.filter(sent_on=today, kind=Reminder.Kind.AUTOMATIC).values_list("county_id", flat=True))
        if skip_reminded
        else set()
    )
    drafts: dict[int, ReminderDraft] = {}
    for assignment in assignments:
        if assignment.county_id in reminded:
            continue
        drafts.setdefault(assignment.county_id, ReminderDraft(assignment.county)).assignments.append(assignment)
    emails = _recipients(list(drafts))
    for county_id, draft in drafts.items():
        draft.recipients = emails.get(county_id, [])
        _compose(draft, today)
    return list(drafts.values())


def reminder_send(*, draft: ReminderDraft, kind: str, today: datetime.date, acting_user=None) -> Reminder | None:
    """Record and send one reminder. None when there is nobody to send it to, or when an
    automatic one went to that county today already."""
    if not draft.recipients:
        return None
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                county=draft.county,
                kind=kind,
                sent_on=today,
                sent_by=acting_user,
                recipients=draft.recipients,
                message=draft.subject + "\n\n" + draft.body,
            )
            reminder.assignments.set(draft.assignments)
            offices = {a.office_id for a in draft.assignments}
            log_actions(
                [
                    (
                        reminder,
                        offices.pop() if len(offices) == 1 else None,
                        {"county": draft.county.pk, "kind": kind, "assignments": len(draft.assignments)},
                    )
                ],
                actions.REMINDER_SENT,
                user=acting_user,
            )
            message = EmailMessage(draft.subject, draft.body, settings.DEFAULT_FROM_EMAIL, draft.recipients)
            # Sent once the reminder is on record: a failed transaction sends nothing.
            transaction.on_commit(lambda: message.send(fail_silently=False))
    except IntegrityError:
        return None  # another run reminded this county today
    return reminder


def reminders_send(
    *, today: datetime.date | None = None, within_working_days: int = 5, dry_run: bool = False
) -> list[tuple[ReminderDraft, Reminder | None]]:
    today = today or timezone.localdate()
    drafts = reminders_due(today=today, within_working_days=within_working_days)
    if dry_run:
        return [(draft, None) for draft in drafts]
    return [(draft, reminder_send(draft=draft, kind=Reminder.Kind.AUTOMATIC, today=today)) for draft in drafts]


def reminder_send_to_county(*, county: County, acting_user, within_working_days: int = 5) -> Reminder:
    """Staff remind one county from the dashboard (whatever the automatic ones did today).
    Refused, saying why, when nothing is due or there is no address to send to."""
    today = timezone.localdate()
    drafts = reminders_due(today=today, within_working_days=within_working_days, counties=[county], skip_reminded=False)
    params = {"county": county.name, "days": within_working_days}
    if not drafts:
        raise ValidationError(error_messages["nothing_due"], code="nothing_due", params=params)
    if not drafts[0].recipients:
        raise ValidationError(error_messages["no_address"], code="no_address", params=params)
    return reminder_send(draft=drafts[0], kind=Reminder.Kind.MANUAL, today=today, acting_user=acting_user)
