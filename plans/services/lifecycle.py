"""A plan's lifecycle: draft → in review → published → archived, and revisions.

Each transition checks its preconditions first and raises a ValidationError with a message for
the user, locks the plan row, writes, and logs one audit event (audit.ActionLog) in the same
transaction. Views,
the admin and the importer all come through here; no status field is written anywhere else.

Who may call which transition is plans.permissions' business (the views check it); these
functions enforce what the plan's state allows.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import action_logs_move, log_action
from plans import actions
from plans.models import PlanRevision, Task, WorkPlan
from plans.services.content import (
    PlanRows,
    plan_content_write,
    plan_rows,
    plan_snapshot,
)
from plans.services.drafts import plan_bump, plan_locked, plan_version_check
from plans.signals import plan_published
from plans.snapshots import header_apply
from supervision.history import acting_as

Status = WorkPlan.Status

error_messages = {
    "not_draft": _("Only a draft can be submitted for review; this plan is %(status)s."),
    "no_tasks": _("A plan without tasks cannot be submitted or published."),
    "not_in_review": _("Only a plan in review can be %(action)s; this plan is %(status)s."),
    "comment_required": _("Say what should change: a plan is returned with a comment."),
    "not_published": _("Only a published plan can be %(action)s; this plan is %(status)s."),
    "revision_open": _("A revision of this plan is already in progress; continue it or discard it first."),
    "is_revision": _("This is a draft revision; it is published onto its plan, not revised."),
    "not_discardable": _(
        "Only a draft can be deleted (this plan is %(status)s); a plan in review is returned to its editors first."
    ),
    "doc_number_taken": _("Another plan of this office already has the document number %(doc_number)s."),
}


_locked = plan_locked


def _check_version(plan: WorkPlan, expected_version: int | None, acting_user) -> None:
    plan_version_check(plan, expected_version, acting_user=acting_user)


def _event(plan: WorkPlan, action, acting_user, *, comment: str = "", revision=None) -> None:
    if revision is None and plan.revision_of_id is not None:
        revision = plan.revision
    data = {}
    if comment:
        data["comment"] = comment
    if revision is not None:
        data["revision"] = revision
    log_action(plan, action, user=acting_user, office=plan.office, data=data)


def _save(plan: WorkPlan, fields: list[str], acting_user) -> None:
    plan_bump(plan, fields, acting_user=acting_user)


def _state_error(code: str, plan: WorkPlan, action=None) -> ValidationError:
    return ValidationError(
        error_messages[code],
        code=code,
        params={"status": plan.get_status_display(), "action": action},
    )


@transaction.atomic
def work_plan_submit(*, plan: WorkPlan, acting_user, expected_version: int | None = None) -> WorkPlan:
    """A draft goes to its office's reviewer."""
    plan = _locked(plan)
    _check_version(plan, expected_version, acting_user)
    if plan.status != Status.DRAFT:
        raise _state_error("not_draft", plan)
    if not Task.objects.filter(plan=plan).exists():
        raise ValidationError(error_messages["no_tasks"], code="no_tasks")
    _submitted(plan, acting_user)
    return plan


def _submitted(plan: WorkPlan, acting_user) -> None:
    plan.status = Status.IN_REVIEW
    plan.submitted_at = timezone.now()
    _save(plan, ["status", "submitted_at"], acting_user)
    _event(plan, actions.PLAN_SUBMITTED, acting_user)


@transaction.atomic
def work_plan_return(*, plan: WorkPlan, acting_user, comment: str, expected_version: int | None = None) -> WorkPlan:
    """The reviewer sends a plan back to its editors, saying what should change."""
    plan = _locked(plan)
    _check_version(plan, expected_version, acting_user)
    if plan.status != Status.IN_REVIEW:
        raise _state_error("not_in_review", plan, _("returned"))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(error_messages["comment_required"], code="comment_required")
    plan.status = Status.DRAFT
    _save(plan, ["status"], acting_user)
    _event(plan, actions.PLAN_RETURNED, acting_user, comment=comment)
    return plan


@transaction.atomic
def work_plan_publish(*, plan: WorkPlan, acting_user, note: str = "", expected_version: int | None = None) -> WorkPlan:
    """The reviewer publishes a plan in review and its content becomes a numbered revision.

    A draft revision is written onto the plan it revises (rows matched by key, so every task
    keeps its id) and then removed; the published plan is what is returned.
    """
    plan = _locked(plan)
    _check_version(plan, expected_version, acting_user)
    if plan.status != Status.IN_REVIEW:
        raise _state_error("not_in_review", plan, _("published"))
    # The published plan's parts are read once: for this check, for what the counties are sent
    # (plan_published) and for the revision's snapshot.
    rows = plan_rows(plan)
    if not rows.tasks:
        raise ValidationError(error_messages["no_tasks"], code="no_tasks")
    return _published(plan, rows=rows, acting_user=acting_user, note=note)


def work_plan_publish_imported(*, plan: WorkPlan, rows: PlanRows, acting_user) -> WorkPlan:
    """A notice imported in the caller's transaction goes through review and is published at
    once: the same steps, events and history rows as work_plan_submit then work_plan_publish.

    `rows` are its parts as the import wrote them (plan_content_write with fresh=True). The
    plan was created in this transaction, so no one else can see it: it is not locked, and
    its parts and assignments (none yet) are not read back. A failure rolls back the caller's
    transaction, import and all.
    """
    if plan.pk is None or plan.revision_of_id is not None or plan.status != Status.DRAFT:
        raise ValueError("work_plan_publish_imported takes a new plan's first draft")
    if not rows.tasks:
        raise ValidationError(error_messages["no_tasks"], code="no_tasks")
    with transaction.atomic(savepoint=False):
        _submitted(plan, acting_user)
        return _published(plan, rows=rows, acting_user=acting_user, note="", fresh=True)


def _published(plan: WorkPlan, *, rows: PlanRows, acting_user, note: str, fresh: bool = False) -> WorkPlan:
    """Publishing `plan` (locked and in review, or new: `fresh`) whose parts are `rows`."""
    now = timezone.now()
    if plan.revision_of_id is None:
        target = plan
        target.status = Status.PUBLISHED
        target.published_at = now
        target.revision = 1
        _save(target, ["status", "published_at", "revision"], acting_user)
    else:
        target = _locked(plan.revision_of)
        draft_content = plan_snapshot(plan, rows=rows)
        _check_doc_number(target, draft_content["plan"]["doc_number"])
        with acting_as(acting_user):
            plan_content_write(plan=target, content=draft_content, match_by="key", acting_user=acting_user)
        header_apply(target, {k: v for k, v in draft_content["plan"].items() if k != "plan_year"})
        target.revision = plan.revision
        target.published_at = now
        _save(
            target,
            ["revision", "published_at", *[f for f in draft_content["plan"] if f != "plan_year"]],
            acting_user,
        )
        # The revision's own steps (submitted, returned) belong to the plan's story.
        action_logs_move(source=plan, target=target)
        with acting_as(acting_user):
            plan.delete()
        rows = plan_rows(target)
    # What the counties now have to do follows what was published (tracking.signals), in this
    # transaction: a plan is never published without its assignments.
    plan_published.send(
        sender=WorkPlan, plan=target, acting_user=acting_user, revision=target.revision, rows=rows, fresh=fresh
    )
    PlanRevision.objects.create(
        plan=target,
        number=target.revision,
        doc_number=target.doc_number,
        note=(note or "").strip(),
        published_at=now,
        published_by=acting_user,
        snapshot=plan_snapshot(target, rows=rows),
    )
    _event(target, actions.PLAN_PUBLISHED, acting_user, comment=(note or "").strip(), revision=target.revision)
    return target


def _check_doc_number(plan: WorkPlan, doc_number: str) -> None:
    if doc_number and (
        WorkPlan.objects.filter(office_id=plan.office_id, doc_number=doc_number, revision_of=None)
        .exclude(pk=plan.pk)
        .exists()
    ):
        raise ValidationError(
            error_messages["doc_number_taken"],
            code="doc_number_taken",
            params={"doc_number": doc_number},
        )


@transaction.atomic
def work_plan_revise(*, plan: WorkPlan, acting_user) -> WorkPlan:
    """Start a revision of a published plan: a draft copy its editors change and submit.

    The published plan stays what every reader sees until the revision is published.
    """
    plan = _locked(plan)
    if plan.revision_of_id is not None:
        raise ValidationError(error_messages["is_revision"], code="is_revision")
    if plan.status != Status.PUBLISHED:
        raise _state_error("not_published", plan, _("revised"))
    if WorkPlan.objects.filter(revision_of=plan).exists():
        raise ValidationError(error_messages["revision_open"], code="revision_open")
    content = plan_snapshot(plan)
    draft = WorkPlan(
        office=plan.office,
        plan_year=plan.plan_year,
        status=Status.DRAFT,
        revision=plan.revision + 1,
        revision_of=plan,
        created_by=acting_user,
    )
    header_apply(draft, content["plan"])
    try:
        with transaction.atomic(), acting_as(acting_user):
            draft.save()
    except IntegrityError:
        # Two people pressed "revise" at once; the plan row lock makes this rare.
        raise ValidationError(error_messages["revision_open"], code="revision_open") from None
    with acting_as(acting_user):
        plan_content_write(plan=draft, content=content, match_by="key", acting_user=acting_user)
    _event(plan, actions.PLAN_REVISION_STARTED, acting_user, revision=draft.revision)
    return draft


@transaction.atomic
def work_plan_archive(*, plan: WorkPlan, acting_user) -> WorkPlan:
    """A published plan whose year is over: still readable, no longer revised."""
    plan = _locked(plan)
    if plan.status != Status.PUBLISHED:
        raise _state_error("not_published", plan, _("archived"))
    if WorkPlan.objects.filter(revision_of=plan).exists():
        raise ValidationError(error_messages["revision_open"], code="revision_open")
    plan.status = Status.ARCHIVED
    plan.archived_at = timezone.now()
    _save(plan, ["status", "archived_at"], acting_user)
    _event(plan, actions.PLAN_ARCHIVED, acting_user)
    return plan


@transaction.atomic
def work_plan_discard(*, plan: WorkPlan, acting_user) -> WorkPlan | None:
    """Delete a draft (a new plan's or a revision's). Returns the plan a
    discarded revision belonged to, None otherwise."""
    plan = _locked(plan)
    # Only a draft: a plan in review is the reviewer's to return or publish, and a published
    # plan never goes back.
    if plan.status != Status.DRAFT:
        raise _state_error("not_discardable", plan)
    original = plan.revision_of
    plan_id = plan.pk
    if original is not None:
        action_logs_move(source=plan, target=original)
    with acting_as(acting_user):
        plan.delete()
    if original is not None:
        _event(original, actions.PLAN_REVISION_DISCARDED, acting_user, revision=plan.revision)
    else:
        # The plan is gone; its events stay, with this one last.
        plan.pk = plan_id
        _event(plan, actions.PLAN_DISCARDED, acting_user)
    return original
