"""The audit log itself: what an entry says, and that only declared actions are written."""

import pytest
from django.db import transaction

from audit.models import ActionLog
from audit.registry import action_type_register, action_types
from audit.services import log_action
from plans import actions

pytestmark = pytest.mark.django_db


def test_an_entry_names_its_record_its_user_its_office_and_its_data(draft, editor, office):
    entry = log_action(draft, actions.PLAN_SUBMITTED, user=editor, office=office, data={"comment": "请审核"})

    entry.refresh_from_db()
    assert entry.target == draft
    assert (entry.action_type, entry.user, entry.office) == ("plans.plan.submitted", editor, office)
    assert entry.comment == "请审核"
    assert entry.display == "已提交审核"


def test_an_action_nobody_declared_is_refused(draft, editor):
    with pytest.raises(ValueError):
        log_action(draft, "plans.plan.teleported", user=editor)

    assert not ActionLog.objects.exists()


def test_a_name_cannot_be_declared_twice_with_another_text():
    with pytest.raises(ValueError):
        action_type_register("plans.plan.published", "something else")


def test_every_declared_action_reads_in_chinese():
    untranslated = [t.name for t in action_types().values() if str(t.label).isascii()]

    assert untranslated == []


def test_an_entry_goes_with_the_transaction_that_wrote_it(draft, editor):
    with pytest.raises(RuntimeError), transaction.atomic():
        log_action(draft, actions.PLAN_SUBMITTED, user=editor)
        raise RuntimeError

    assert not ActionLog.objects.exists()


def test_the_admin_lists_the_log_and_changes_nothing_in_it(client, draft, editor, office):
    from django.urls import reverse

    from tests.factories import UserFactory

    entry = log_action(draft, actions.PLAN_SUBMITTED, user=editor, office=office)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(reverse("admin:audit_actionlog_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_actionlog_change", args=[entry.pk])).status_code == 200
    assert client.post(reverse("admin:audit_actionlog_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert ActionLog.objects.filter(pk=entry.pk).exists()
