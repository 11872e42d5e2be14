"""The one way a draft's content changes: lock the plan, check its state and version, write,
bump the version once, keep the plan → county index, and log one event.

The edit page, the Excel import, a notice re-imported into a draft and the admin's editors all
write through `draft_write`; the lifecycle's transitions lock, check and bump with the same
helpers.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.registry import ActionType
from audit.services import log_action
from plans.models import WorkPlan
from plans.services.content import plan_content_write, plan_county_index_refresh, stale_error
from supervision.history import acting_as

error_messages = {
    "not_draft": _("Only a draft can be edited; this plan is %(status)s. Start a revision to change a published plan."),
}


def plan_locked(plan: WorkPlan) -> WorkPlan:
    """The plan's row, locked for the rest of the transaction, with its current values."""
    return WorkPlan.objects.select_for_update().select_related("office").get(pk=plan.pk)


def plan_version_check(plan: WorkPlan, expected_version: int | None, *, acting_user) -> None:
    """Refuse a write based on an older version than the plan's (None: the caller saw none,
    as a command or a test does)."""
    if expected_version is not None and plan.version != expected_version:
        raise stale_error(plan, yours=expected_version, acting_user=acting_user)


def plan_bump(plan: WorkPlan, fields=(), *, acting_user) -> None:
    """Save `fields` of the plan with its version moved on: every write to a plan or its parts
    moves it once, so that a page opened before it is refused."""
    plan.version += 1
    with acting_as(acting_user):
        plan.save(update_fields=[*dict.fromkeys(fields), "version", "updated_at"])


@dataclass
class DraftWrite:
    """What the block writing a draft tells `draft_write`."""

    plan: WorkPlan
    acting_user: object
    data: dict = field(default_factory=dict)
    # Header fields the block set on `plan`, saved with the version.
    fields: list[str] = field(default_factory=list)
    changed: bool = True
    index_fresh: bool = False

    def content_write(self, *, content: dict, match_by: str = "key") -> None:
        """The plan's parts as `content` says (plans.services.content), which keeps the index."""
        with acting_as(self.acting_user):
            plan_content_write(plan=self.plan, content=content, match_by=match_by, acting_user=self.acting_user)
        self.index_fresh = True

    def unchanged(self) -> None:
        """Nothing was written after all: no new version, no event."""
        self.changed = False


@contextmanager
def draft_write(
    *,
    plan: WorkPlan,
    expected_version: int | None,
    acting_user,
    action: ActionType,
    data: dict | None = None,
    not_draft=None,
) -> Iterator[DraftWrite]:
    """Run the block as one guarded write to the draft `plan`, all of it or nothing.

    The block gets a `DraftWrite` whose `plan` is the locked, current row. Refused before the
    block runs: a plan that is not a draft (`not_draft(plan)` makes the caller's own error,
    else the edit page's), a version other than `expected_version`."""
    with transaction.atomic():
        locked = plan_locked(plan)
        plan_version_check(locked, expected_version, acting_user=acting_user)
        if locked.status not in WorkPlan.EDITABLE:
            if not_draft is not None:
                raise not_draft(locked)
            raise ValidationError(
                error_messages["not_draft"], code="not_draft", params={"status": locked.get_status_display()}
            )
        write = DraftWrite(plan=locked, acting_user=acting_user, data=dict(data or {}))
        with acting_as(acting_user):
            yield write
        if not write.changed:
            return
        if not write.index_fresh:
            plan_county_index_refresh(plan=locked)
        plan_bump(locked, write.fields, acting_user=acting_user)
        log_action(
            locked,
            action,
            user=acting_user,
            office=locked.office,
            data={**write.data, "version": locked.version, **_revision(locked)},
        )


def _revision(plan: WorkPlan) -> dict:
    return {"revision": plan.revision} if plan.revision_of_id is not None else {}
