"""A plan's transitions, declared once: the URLs (plans.urls), the rules (plans.permissions),
the plan page's one transition view (plans.views.plans) and the admin's actions read this table.

What a plan's state allows is enforced again by the service itself (plans.services.lifecycle),
which says why a step is refused; the table is what the pages offer.
"""

from dataclasses import dataclass

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from plans.models import WorkPlan

Status = WorkPlan.Status


@dataclass(frozen=True)
class Transition:
    # The word in the URL (/plans/<pk>/<name>/) and the flag of plans.permissions.PlanActions.
    name: str
    sources: tuple[str, ...]
    # The state it leads to; None: the plan is deleted (a revision's plan is shown instead).
    target: str | None
    # Who may take it, by role on the plan (a permission of plans.permissions)…
    permission: str
    # …and the rule that adds the plan's state to it (registered by plans.permissions).
    rule: str
    # The service, as a dotted path (the services import this module's neighbours).
    service_path: str
    label: str
    done: str
    # "comment": the step needs one (a return says what should change); "note": it may have one.
    asks: str = ""
    # Refused when the page was opened at an older version of the plan.
    checks_version: bool = False
    # Not for a draft revision (it is published onto its plan, never revised or archived itself).
    original_only: bool = False
    # Not while a revision of the plan is in progress.
    no_open_revision: bool = False
    # Offered as an action on the admin's list of plans (steps that need no comment).
    admin_label: str | None = None

    @property
    def service(self):
        return import_string(self.service_path)

    def allows(self, plan: WorkPlan, *, has_open_revision: bool = False) -> bool:
        """Whether the plan's state (and its revisions) allow the step, whoever asks."""
        if plan.status not in self.sources:
            return False
        if self.original_only and plan.revision_of_id is not None:
            return False
        return not (self.no_open_revision and has_open_revision)

    def service_kwargs(self, *, version: int | None, comment: str) -> dict:
        """What the service takes besides the plan and the user, from the transition form."""
        kwargs = {}
        if self.checks_version:
            kwargs["expected_version"] = version
        if self.asks:
            kwargs[self.asks] = comment
        return kwargs


_LIFECYCLE = "plans.services.lifecycle."

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            name="submit",
            sources=(Status.DRAFT,),
            target=Status.IN_REVIEW,
            permission="plans.submit_workplan",
            rule="plans.may_submit_workplan",
            service_path=_LIFECYCLE + "work_plan_submit",
            label=_("Submit for review"),
            done=_("Submitted for review."),
            checks_version=True,
            admin_label=_("Submit for review"),
        ),
        Transition(
            name="return",
            sources=(Status.IN_REVIEW,),
            target=Status.DRAFT,
            permission="plans.review_workplan",
            rule="plans.may_return_workplan",
            service_path=_LIFECYCLE + "work_plan_return",
            label=_("Return with comment"),
            done=_("Returned to the editors."),
            asks="comment",
            checks_version=True,
        ),
        Transition(
            name="publish",
            sources=(Status.IN_REVIEW,),
            target=Status.PUBLISHED,
            permission="plans.review_workplan",
            rule="plans.may_publish_workplan",
            service_path=_LIFECYCLE + "work_plan_publish",
            label=_("Approve and publish…"),
            done=_("Published."),
            asks="note",
            checks_version=True,
            admin_label=_("Approve and publish"),
        ),
        Transition(
            name="revise",
            sources=(Status.PUBLISHED,),
            target=Status.DRAFT,
            permission="plans.revise_workplan",
            rule="plans.may_revise_workplan",
            service_path=_LIFECYCLE + "work_plan_revise",
            label=_("Start a revision"),
            done=_("A draft revision was started."),
            original_only=True,
            no_open_revision=True,
        ),
        Transition(
            name="archive",
            sources=(Status.PUBLISHED,),
            target=Status.ARCHIVED,
            permission="plans.archive_workplan",
            rule="plans.may_archive_workplan",
            service_path=_LIFECYCLE + "work_plan_archive",
            label=_("Archive"),
            done=_("Archived."),
            original_only=True,
            no_open_revision=True,
            admin_label=_("Archive"),
        ),
        Transition(
            name="discard",
            sources=(Status.DRAFT,),
            target=None,
            permission="plans.discard_workplan",
            rule="plans.may_discard_workplan",
            service_path=_LIFECYCLE + "work_plan_discard",
            label=_("Delete this draft"),
            done=_("Discarded."),
        ),
    )
}
