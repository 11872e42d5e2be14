"""Reminders staff can send (催办): from the plan's and the office's dashboards, to the
county office's contact address, with the day each county was last reminded, a refusal that
says what is missing, and links in the mail built from the site's address."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from organisation.models import CountyContact, Membership
from organisation.services.contacts import county_contact_update
from plans.models import WorkPlan
from plans.services import work_plan_publish, work_plan_submit
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    RegionFactory,
    ScheduleEntryFactory,
    TaskFactory,
    UserFactory,
    WorkPlanFactory,
    county_user_create,
    staff_user_create,
)
from tracking.models import Reminder
from tracking.services.reminders import reminder_send_to_county

pytestmark = pytest.mark.django_db
LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture
def office():
    return OfficeFactory(region=RegionFactory(name="测试市"))


@pytest.fixture
def counties(office):
    return [CountyFactory(city=office.region, name=f"测试{n}区") for n in range(2)]


@pytest.fixture
def editor(office):
    return staff_user_create(office=office)


def publish(editor, *, office, counties, year):
    """A plan whose one task names `counties`, due in March of `year`."""
    plan = WorkPlanFactory(office=office, status=WorkPlan.Status.DRAFT, plan_year=year)
    task = TaskFactory(plan=plan, number=1, counties=counties)
    ScheduleEntryFactory(plan=plan, task=task, position=1, period="3月", month_set=(3,))
    work_plan_submit(plan=plan, acting_user=editor)
    return work_plan_publish(plan=plan, acting_user=staff_user_create(office=office, role=Membership.Role.REVIEWER))


@pytest.fixture
def overdue(editor, office, counties):
    """Last year's plan: its March work is overdue for both counties."""
    return publish(editor, office=office, counties=counties, year=LAST_YEAR)


def _messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


# --- Refusals that say what is missing ------------------------------------------------------


def test_a_reminder_to_a_county_without_an_address_is_refused_with_a_link_to_its_contacts(
    client, overdue, counties, editor
):
    client.force_login(editor)

    response = client.post(reverse("tracking:reminder_send", args=[overdue.pk, counties[0].pk]), follow=True)

    text = _messages(response)
    assert "没有登记联系邮箱" in text
    assert reverse("tracking:county_contacts", args=[counties[0].pk]) in response.content.decode()
    assert not mail.outbox and not Reminder.objects.exists()


def test_a_reminder_with_nothing_due_says_so(editor, office, counties):
    publish(editor, office=office, counties=counties, year=LAST_YEAR + 3)
    county_contact_update(county=counties[0], name="王", email="a@example.org", phone="", acting_user=editor)

    with pytest.raises(ValidationError) as refused:
        reminder_send_to_county(county=counties[0], acting_user=editor)

    assert refused.value.code == "nothing_due"
    assert "没有逾期或" in " ".join(refused.value.messages)


def test_a_reminder_goes_to_the_contact_address_and_the_members(
    overdue, counties, editor, django_capture_on_commit_callbacks
):
    county_user_create(county=counties[0], user=UserFactory(email="member@example.org"))
    county_contact_update(county=counties[0], name="王", email="office@example.org", phone="", acting_user=editor)

    with django_capture_on_commit_callbacks(execute=True):
        reminder = reminder_send_to_county(county=counties[0], acting_user=editor)

    assert mail.outbox[0].to == ["office@example.org", "member@example.org"]
    assert reminder.recipients == ["office@example.org", "member@example.org"]


def test_links_in_a_reminder_use_the_site_address(
    overdue, counties, editor, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://dudao.example.org:8123"
    county_contact_update(county=counties[0], name="", email="office@example.org", phone="", acting_user=editor)

    with django_capture_on_commit_callbacks(execute=True):
        reminder_send_to_county(county=counties[0], acting_user=editor)

    assert "http://dudao.example.org:8123" + reverse("tracking:portal") in mail.outbox[0].body


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_gives_the_site_its_own_host_and_port():
    out = subprocess.run(
        ["make", "-n", "run", "HOST=192.0.2.7", "PORT=8123"],
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout

    assert 'SITE_URL="${SITE_URL:-http://192.0.2.7:8123}"' in out
    assert "8000" not in out


# --- The dashboards ---------------------------------------------------------------------------


def test_the_office_dashboard_offers_reminders_and_sends_them(
    client, overdue, office, counties, editor, django_capture_on_commit_callbacks
):
    county_contact_update(county=counties[0], name="", email="office@example.org", phone="", acting_user=editor)
    dashboard = reverse("tracking:office_dashboard", args=[office.pk, LAST_YEAR])
    remind = reverse("tracking:office_reminder_send", args=[office.pk, LAST_YEAR, counties[0].pk])
    client.force_login(editor)

    page = client.get(dashboard).content.decode()
    assert remind in page and "从未催办" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind)

    assert response.url == dashboard
    assert mail.outbox[0].to == ["office@example.org"]
    today = timezone.localdate().isoformat()
    assert f"上次 {today}" in client.get(dashboard).content.decode()


def test_the_day_a_county_was_last_reminded_comes_from_its_reminders(client, overdue, counties, editor):
    Reminder.objects.create(county=counties[1], kind=Reminder.Kind.AUTOMATIC, sent_on="2020-05-06", message="x")
    Reminder.objects.create(county=counties[1], kind=Reminder.Kind.MANUAL, sent_on="2021-07-08", message="x")
    client.force_login(editor)

    page = client.get(reverse("tracking:plan_dashboard", args=[overdue.pk])).content.decode()

    assert "上次 2021-07-08" in page and "2020-05-06" not in page


def test_a_viewer_sees_no_reminder_buttons_and_cannot_send(client, overdue, office, counties):
    client.force_login(staff_user_create(office=office, role=Membership.Role.VIEWER))

    page = client.get(reverse("tracking:office_dashboard", args=[office.pk, LAST_YEAR])).content.decode()

    assert "催办" not in page
    remind = reverse("tracking:office_reminder_send", args=[office.pk, LAST_YEAR, counties[0].pk])
    assert client.post(remind).status_code == 404


# --- A county office's contacts -------------------------------------------------------------


def _save(client, county, email="new@example.org"):
    return client.post(
        reverse("tracking:county_contacts", args=[county.pk]),
        {"name": "赵老师", "email": email, "phone": "0371-1234 5678"},
    )


def test_a_county_keeps_its_own_contacts(client, counties):
    client.force_login(county_user_create(county=counties[0]))

    response = _save(client, counties[0])

    assert response.status_code == 302
    contact = CountyContact.objects.get(county=counties[0])
    assert (contact.name, contact.email, contact.phone) == ("赵老师", "new@example.org", "0371-1234 5678")
    assert "new@example.org" in client.get(response.url).content.decode()


def test_another_county_may_not_read_or_change_them(client, counties):
    client.force_login(county_user_create(county=counties[1]))

    assert client.get(reverse("tracking:county_contacts", args=[counties[0].pk])).status_code == 404
    assert _save(client, counties[0]).status_code == 404
    assert not CountyContact.objects.exists()


def test_the_office_that_sends_the_county_work_may_change_them(client, overdue, counties, editor):
    client.force_login(editor)

    assert _save(client, counties[0]).status_code == 302
    assert CountyContact.objects.get(county=counties[0]).updated_by == editor


def test_staff_of_an_office_that_sends_it_nothing_only_read_them(client, overdue, counties):
    client.force_login(staff_user_create(office=OfficeFactory()))

    page = client.get(reverse("tracking:county_contacts", args=[counties[0].pk]))

    assert page.status_code == 200 and "<form" not in page.content.decode().split("</header>")[1]
    assert _save(client, counties[0]).status_code == 403


def test_a_bad_address_is_refused_with_a_message(client, counties):
    client.force_login(county_user_create(county=counties[0]))

    response = _save(client, counties[0], email="不是邮箱")

    assert response.status_code == 200
    assert "有效的 Email 地址" in response.content.decode()
    assert not CountyContact.objects.exists()


def test_the_county_page_and_the_portal_lead_to_the_contacts(client, overdue, counties):
    client.force_login(county_user_create(county=counties[0]))
    contacts = reverse("tracking:county_contacts", args=[counties[0].pk])

    assert contacts in client.get(reverse("tracking:portal")).content.decode()
    assert contacts in client.get(reverse("tracking:county_detail", args=[counties[0].pk])).content.decode()
