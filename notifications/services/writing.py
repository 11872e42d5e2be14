"""Messages written for what happened: each event of a county turned into one message per
recipient and channel, rendered from its template, held back through quiet hours, folded into a
digest when the daily run would tell one person many things. Nothing is written twice: the
event key, channel and recipient are unique (a second run, or two at once, add nothing)."""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from notifications.events import DAILY, DEFAULTS, Event, template_fill
from notifications.models import Message, MessageTemplate
from notifications.quiet import quiet_until
from notifications.recipients import Recipient, recipients_by_county


@dataclass
class Notice:
    """One event of one county: what every recipient of it is told."""

    event: str
    key: str  # the occurrence: "report_returned:report:12", "due_soon:assignment:3:2026-05-29"
    county_id: int
    county_name: str
    office_id: int | None
    path: str  # the page it links to
    values: dict[str, str] = field(default_factory=dict)


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def templates_get() -> dict[str, tuple[str, str]]:
    """event → (subject, body): an administrator's text where there is one, else the default."""
    texts = {event.value: (str(default.subject), str(default.body)) for event, default in DEFAULTS.items()}
    texts.update({t.event: (t.subject, t.body) for t in MessageTemplate.objects.all()})
    return texts


def _render(texts, event: str, values: dict[str, str]) -> tuple[str, str]:
    subject, body = texts[event]
    return template_fill(subject, values)[:300], template_fill(body, values)


def _message(notice: Notice, recipient: Recipient, subject: str, body: str, now) -> Message:
    return Message(
        event=notice.event,
        event_key=notice.key,
        channel=recipient.channel,
        recipient=recipient.key,
        user_id=recipient.user_id,
        robot_office_id=recipient.robot_office_id,
        address=recipient.address,
        office_id=notice.office_id,
        county_id=notice.county_id,
        subject=subject,
        body=body,
        url=site_url(notice.path),
        created_at=now,
        next_attempt_at=_first_attempt(recipient, now),
    )


def _first_attempt(recipient: Recipient, now):
    if recipient.quiet is None:
        return now
    return quiet_until(now, *recipient.quiet) or now


def _existing(keys) -> set[tuple[str, str, str]]:
    keys = sorted(set(keys))
    found = set()
    for start in range(0, len(keys), 500):
        found |= set(
            Message.objects.filter(event_key__in=keys[start : start + 500]).values_list(
                "event_key", "channel", "recipient"
            )
        )
    return found


def notices_write(notices: list[Notice], *, now: datetime.datetime | None = None, digest: bool = False) -> int:
    """Write the messages of `notices`; with `digest`, one person's (or group's) daily events
    beyond settings.NOTIFICATIONS_DIGEST_OVER become one digest. Returns the messages written."""
    if not notices:
        return 0
    now = now or timezone.now()
    recipients = recipients_by_county({notice.county_id for notice in notices})
    existing = _existing(notice.key for notice in notices)
    groups: dict[tuple[str, str], list[tuple[Notice, Recipient, Message]]] = defaultdict(list)
    with translation.override(settings.LANGUAGE_CODE):
        texts = templates_get()
        for notice in notices:
            values = {**notice.values, "county": notice.county_name, "url": site_url(notice.path)}
            subject, body = _render(texts, notice.event, values)
            for recipient in recipients.get(notice.county_id, {}).get(notice.event, []):
                if (notice.key, recipient.channel, recipient.key) in existing:
                    continue
                message = _message(notice, recipient, subject, body, now)
                groups[recipient.channel, recipient.key].append((notice, recipient, message))
        single, written = [], 0
        for items in groups.values():
            daily = [item for item in items if item[0].event in DAILY]
            if digest and len(daily) > settings.NOTIFICATIONS_DIGEST_OVER:
                written += _digest_write(daily, texts, now)
                items = [item for item in items if item[0].event not in DAILY]
            single += [message for _notice, _recipient, message in items]
    # Another run may have written some since they were read: those are left out.
    Message.objects.bulk_create(single, batch_size=500, ignore_conflicts=True)
    return written + len(single)


def _digest_write(items, texts, now) -> int:
    notice, recipient, _message_ = items[0]
    parts = [message for _notice, _recipient, message in items]
    values = {
        "county": notice.county_name,
        "count": str(len(parts)),
        "what": "\n".join(f"- {part.subject}" for part in parts),
        "url": site_url(reverse("tracking:portal")),
    }
    subject, body = _render(texts, Event.DIGEST, values)
    fingerprint = hashlib.sha1("\n".join(sorted(part.event_key for part in parts)).encode()).hexdigest()[:16]
    day = timezone.localdate(now, timezone.get_default_timezone())
    head = Notice(Event.DIGEST, f"digest:{day}:{fingerprint}", notice.county_id, notice.county_name, None, "")
    try:
        with transaction.atomic():
            digest = _message(head, recipient, subject, body, now)
            digest.url = values["url"]
            digest.office_id = notice.office_id if len({n.office_id for n, _r, _m in items}) == 1 else None
            digest.save()
            for part in parts:
                part.digest, part.status, part.next_attempt_at = digest, Message.Status.DIGESTED, None
            Message.objects.bulk_create(parts, batch_size=500)
    except IntegrityError:
        return 0  # another run wrote these at the same time
    return len(parts) + 1
