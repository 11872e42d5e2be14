"""Writing the audit log: one ActionLog per state change, in the caller's transaction."""

import threading
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from audit.models import ActionLog
from audit.registry import ActionType, action_type_get
from audit.signals import action_logged

_gathering = threading.local()


def _send(logs: list[ActionLog]) -> None:
    gathered = getattr(_gathering, "logs", None)
    if gathered is not None:
        gathered.extend(logs)
    else:
        action_logged.send(sender=ActionLog, logs=logs)


def _announce(logs: list[ActionLog]) -> None:
    # Each announcement waits for its own commit: an event written in a savepoint that is rolled
    # back is never announced.
    if logs:
        transaction.on_commit(lambda: _send(logs))


@contextmanager
def action_logs_announced_together():
    """Events committed inside the block are announced in one action_logged signal when it
    ends (a command importing many notices a transaction: the receivers read what they need
    for all of them at once, not once an event). Events of a transaction still open when the
    block ends are announced at its commit, as usual."""
    if getattr(_gathering, "logs", None) is not None:
        yield  # an outer block announces them
        return
    _gathering.logs = []
    try:
        yield
    finally:
        # Committed before anything went wrong: announced all the same.
        logs, _gathering.logs = _gathering.logs, None
        if logs:
            action_logged.send(sender=ActionLog, logs=logs)


def log_action(
    obj: models.Model,
    action_type: ActionType | str,
    *,
    user,
    office=None,
    data: dict | None = None,
) -> ActionLog:
    """Record that `user` (None: the system) did `action_type` to `obj`.

    Called inside the service's transaction, after its write: a rolled-back change leaves no
    event, and an event never describes a change that did not happen.
    """
    name = str(action_type)
    if action_type_get(name) is None:
        raise ValueError(f"unknown action type {name!r}: register it first")
    log = ActionLog.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        action_type=name,
        user=user if user is not None and user.is_authenticated else None,
        office=office,
        data=data or {},
    )
    _announce([log])
    return log


def log_actions(entries, action_type: ActionType | str, *, user) -> list[ActionLog]:
    """The same action on many records at once (a county acknowledging its assignments):
    `entries` are (record, office id or None, data) triples, written in one statement a batch."""
    name = str(action_type)
    if action_type_get(name) is None:
        raise ValueError(f"unknown action type {name!r}: register it first")
    user = user if user is not None and user.is_authenticated else None
    logs = [
        ActionLog(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=obj.pk,
            action_type=name,
            user=user,
            office_id=office_id,
            data=data or {},
        )
        for obj, office_id, data in entries
    ]
    logs = ActionLog.objects.bulk_create(logs, batch_size=500)
    _announce(logs)
    return logs


def action_logs_move(*, source: models.Model, target: models.Model) -> int:
    """Point the events of `source` at `target` (a draft revision's steps become its plan's
    when the draft is published or discarded)."""
    content_type = ContentType.objects.get_for_model(source, for_concrete_model=False)
    return ActionLog.objects.filter(content_type=content_type, object_id=source.pk).update(object_id=target.pk)
