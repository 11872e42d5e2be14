"""Reading the audit log: a record's history as its page shows it."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from audit.models import ActionLog
from supervision.prepared import Prepared


def _events(*, content_type_id: int, object_id: int, oldest_first: bool) -> QuerySet[ActionLog]:
    events = ActionLog.objects.filter(content_type_id=content_type_id, object_id=object_id).select_related("user")
    return events.order_by("datetime", "pk") if oldest_first else events.order_by("-datetime", "-pk")


# Compiled once a process: the pages of an inspection, a school, a zone and a 整改 item read it.
_events_read = Prepared(_events)


def events_of(obj: Model, *, oldest_first: bool = False) -> list[ActionLog]:
    """The audit events of `obj`, newest first (or oldest first), each with its user."""
    return _events_read(
        content_type_id=ContentType.objects.get_for_model(obj).pk, object_id=obj.pk, oldest_first=oldest_first
    )
