"""One table of a plan's transitions, read by the URLs, the rules, the one view and the admin."""

import pytest
import rules
from django.urls import NoReverseMatch, reverse

from plans.admin import WorkPlanAdmin
from plans.models import WorkPlan
from plans.permissions import plan_actions
from plans.services import work_plan_publish, work_plan_submit
from plans.transitions import TRANSITIONS
from tests.factories import staff_user_create

pytestmark = pytest.mark.django_db


def test_every_transition_has_its_url_and_nothing_else_does(draft):
    for name in TRANSITIONS:
        assert reverse("plans:plan_transition", args=[draft.pk, name]) == f"/plans/{draft.pk}/{name}/"
    with pytest.raises(NoReverseMatch):
        reverse("plans:plan_transition", args=[draft.pk, "teleport"])


def test_the_admin_offers_the_transitions_that_need_no_comment():
    names = [action.__name__ for action in WorkPlanAdmin.actions]

    assert names == ["work_plan_submit", "work_plan_publish", "work_plan_archive"]


def test_the_plan_page_offers_what_the_rules_allow(draft, editor, reviewer, office):
    viewer = staff_user_create(office=office, role="viewer")
    for user in (editor, reviewer, viewer):
        actions = plan_actions(user, draft)
        assert actions.submit == rules.test_rule("plans.may_submit_workplan", user, draft)
        assert actions.discard == rules.test_rule("plans.may_discard_workplan", user, draft)
    assert plan_actions(editor, draft).submit and not plan_actions(viewer, draft).submit
    assert not plan_actions(reviewer, draft).review  # a draft is not in review yet

    work_plan_submit(plan=draft, acting_user=editor)
    draft.refresh_from_db()
    assert rules.test_rule("plans.may_publish_workplan", reviewer, draft)
    assert not rules.test_rule("plans.may_publish_workplan", editor, draft)
    assert not rules.test_rule("plans.may_submit_workplan", editor, draft)


def test_each_transition_leads_where_the_table_says(client, draft, editor, reviewer):
    client.force_login(editor)
    client.post(f"/plans/{draft.pk}/submit/", {"version": draft.version})
    draft.refresh_from_db()
    assert draft.status == TRANSITIONS["submit"].target

    client.force_login(reviewer)
    client.post(f"/plans/{draft.pk}/return/", {"version": draft.version, "comment": "再改改"})
    draft.refresh_from_db()
    assert draft.status == TRANSITIONS["return"].target

    plan = work_plan_publish(plan=work_plan_submit(plan=draft, acting_user=editor), acting_user=reviewer)
    client.post(f"/plans/{plan.pk}/archive/", {"version": plan.version})
    plan.refresh_from_db()
    assert plan.status == TRANSITIONS["archive"].target == WorkPlan.Status.ARCHIVED
