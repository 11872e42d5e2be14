"""Each event tells the right people: the county office's members by e-mail (as they chose),
its contact address, its office's group robots; nothing is told twice."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from bulletins.services import bulletin_create, bulletin_issue, bulletin_submit
from notifications.crypto import encrypt
from notifications.events import CHOSEN, Event
from notifications.models import Message, OfficeChannel, Subscription
from notifications.services.events import notifications_collect
from tests.factories import CountyFactory, county_user_create
from tests.notifications.data import first_assignment, world_build
from tracking.models import Assignment
from tracking.services.reports import report_review, report_submit

pytestmark = pytest.mark.django_db


def _recipients(event):
    return sorted((m.channel, m.recipient, m.address) for m in Message.objects.filter(event=event))


def test_a_returned_report_tells_the_county_members_and_contact_in_chinese(
    django_capture_on_commit_callbacks, settings
):
    world = world_build()
    assignment = first_assignment(world)
    report = report_submit(assignment=assignment, acting_user=world.member, progress="done", text="已完成")
    with django_capture_on_commit_callbacks(execute=True):
        report_review(report=report, acting_user=world.staff, accept=False, comment="请补充佐证材料")

    assert _recipients(Event.REPORT_RETURNED) == [
        ("email", f"contact:{world.county.pk}", "contact@county.example"),
        ("email", f"user:{world.member.pk}", "member@county.example"),
    ]
    message = Message.objects.get(event=Event.REPORT_RETURNED, recipient=f"user:{world.member.pk}")
    assert message.subject == f"[督导工作台] 报告被退回：{assignment.label}"
    assert "请补充佐证材料" in message.body
    assert message.url == f"{settings.SITE_URL}/assignments/{assignment.pk}/"
    assert message.url in message.body
    assert message.office == world.office and message.county == world.county
    assert message.status == Message.Status.PENDING and message.next_attempt_at is not None


def test_an_accepted_report_is_told_once_to_each(django_capture_on_commit_callbacks):
    world = world_build()
    report = report_submit(assignment=first_assignment(world), acting_user=world.member, progress="done", text="完成")
    with django_capture_on_commit_callbacks(execute=True):
        report_review(report=report, acting_user=world.staff, accept=True)

    assert Message.objects.filter(event=Event.REPORT_ACCEPTED).count() == 2
    assert not Message.objects.filter(event=Event.REPORT_RETURNED).exists()


def test_a_person_who_switched_an_event_off_is_not_told(django_capture_on_commit_callbacks):
    world = world_build()
    Subscription.objects.create(user=world.member, event=Event.REPORT_ACCEPTED, channel="email", enabled=False)
    report = report_submit(assignment=first_assignment(world), acting_user=world.member, progress="done", text="完成")
    with django_capture_on_commit_callbacks(execute=True):
        report_review(report=report, acting_user=world.staff, accept=True)

    assert _recipients(Event.REPORT_ACCEPTED) == [("email", f"contact:{world.county.pk}", "contact@county.example")]


def test_a_rolled_back_review_tells_nobody():
    world = world_build()
    report = report_submit(assignment=first_assignment(world), acting_user=world.member, progress="done", text="完成")
    # The test's transaction never commits: the review's events are never announced.
    report_review(report=report, acting_user=world.staff, accept=True)

    assert not Message.objects.exists()


def test_a_review_whose_notices_were_lost_after_its_commit_is_told_by_the_daily_run_once():
    world = world_build()
    report = report_submit(assignment=first_assignment(world), acting_user=world.member, progress="done", text="完成")
    # Done, and its notices never written: as when the database goes away between the two.
    report_review(report=report, acting_user=world.staff, accept=False, comment="请补充")
    assert not Message.objects.exists()

    notifications_collect(today=timezone.localdate())
    told = sorted(Message.objects.filter(event=Event.REPORT_RETURNED).values_list("recipient", flat=True))
    notifications_collect(today=timezone.localdate())

    assert told == [f"contact:{world.county.pk}", f"user:{world.member.pk}"]
    assert Message.objects.filter(event=Event.REPORT_RETURNED).count() == 2


def test_publishing_a_plan_tells_the_counties_it_gives_work_and_the_office_robot(django_capture_on_commit_callbacks):
    from plans.models import WorkPlan
    from plans.services import work_plan_publish, work_plan_submit

    world = world_build(publish=False)
    OfficeChannel.objects.create(
        office=world.county_office,
        channel="wecom",
        webhook_encrypted=encrypt("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"),
        events=[Event.PLAN_PUBLISHED],
    )
    other = county_user_create(county=CountyFactory(city=world.office.region))
    work_plan_submit(plan=world.plan, acting_user=world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        plan = work_plan_publish(plan=WorkPlan.objects.get(pk=world.plan.pk), acting_user=world.reviewer)

    assert _recipients(Event.PLAN_PUBLISHED) == [
        ("email", f"contact:{world.county.pk}", "contact@county.example"),
        ("email", f"user:{world.member.pk}", "member@county.example"),
        ("wecom", f"office:{world.county_office.pk}", ""),
    ]
    assert not Message.objects.filter(user=other).exists()
    message = Message.objects.filter(event=Event.PLAN_PUBLISHED).first()
    assert message.event_key == f"plan_published:plan:{plan.pk}:{plan.revision}"
    assert plan.title in message.subject


def test_an_issued_bulletin_tells_the_counties_it_names(django_capture_on_commit_callbacks):
    from inspections.models import DocumentSeries

    world = world_build()
    DocumentSeries.objects.create(office=world.office, prefix="测教督")
    year = world.plan.plan_year
    draft = bulletin_create(
        office=world.office,
        kind="bulletin",
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 6, 30),
        counties=[world.county],
        acting_user=world.staff,
        today=datetime.date(year, 7, 1),
    )
    draft.named_counties.set([world.county])
    submitted = bulletin_submit(bulletin=draft, acting_user=world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        issued = bulletin_issue(bulletin=submitted, acting_user=world.reviewer, today=datetime.date(year, 7, 2))

    messages = Message.objects.filter(event=Event.BULLETIN_ISSUED)
    assert messages.count() == 2
    assert all(issued.doc_number in m.body and m.url.endswith(f"/bulletins/{issued.pk}/") for m in messages)


def _due(world, *days):
    """Give the plan's assignments these due dates (days from today), in order."""
    today = timezone.localdate()
    assignments = list(Assignment.objects.filter(plan=world.plan).order_by("pk"))
    for assignment, offset in zip(assignments, days, strict=False):
        assignment.due_date = today + datetime.timedelta(days=offset)
        assignment.created_at = timezone.now() - datetime.timedelta(days=30)
        assignment.save(update_fields=["due_date", "created_at"])
    return assignments


def test_the_daily_run_tells_of_work_due_soon_and_overdue_once(settings):
    settings.NOTIFICATIONS_DIGEST_OVER = 10
    world = world_build(tasks=3)
    overdue, soon, later = _due(world, -2, 1, 60)
    today = timezone.localdate()

    first = notifications_collect(today=today)
    again = notifications_collect(today=today)

    keys = set(Message.objects.filter(recipient=f"user:{world.member.pk}").values_list("event_key", flat=True))
    assert keys == {
        f"overdue:assignment:{overdue.pk}:{overdue.due_date}",
        f"due_soon:assignment:{soon.pk}:{soon.due_date}",
    }
    assert first == 4 and again == 0


def test_new_work_is_told_by_the_daily_run():
    world = world_build(tasks=1)
    assignment = first_assignment(world)
    assignment.due_date = timezone.localdate() + datetime.timedelta(days=90)
    assignment.save(update_fields=["due_date"])

    notifications_collect(today=timezone.localdate())

    message = Message.objects.get(recipient=f"user:{world.member.pk}")
    assert message.event == Event.OBLIGATION_NEW
    assert message.subject == f"[督导工作台] {world.county.name}有新的工作任务"


def test_many_daily_notices_become_one_digest(settings):
    settings.NOTIFICATIONS_DIGEST_OVER = 2
    world = world_build(tasks=3)
    _due(world, -3, -2, -1)

    notifications_collect(today=timezone.localdate())
    notifications_collect(today=timezone.localdate())

    mine = Message.objects.filter(recipient=f"user:{world.member.pk}")
    digest = mine.get(event=Event.DIGEST)
    assert digest.status == Message.Status.PENDING
    assert sorted(mine.exclude(pk=digest.pk).values_list("status", flat=True)) == ["digested"] * 3
    assert digest.parts.count() == 3
    assert "3" in digest.subject
    assert all(part.subject in digest.body for part in digest.parts.all())


def test_the_same_event_person_and_channel_cannot_be_written_twice():
    world = world_build(tasks=1)
    notifications_collect(today=timezone.localdate())
    message = Message.objects.filter(recipient=f"user:{world.member.pk}").first()

    with pytest.raises(IntegrityError):
        Message.objects.create(
            event=message.event,
            event_key=message.event_key,
            channel=message.channel,
            recipient=message.recipient,
            subject="again",
            body="again",
            next_attempt_at=timezone.now(),
        )


def test_every_event_a_person_chooses_has_a_chinese_default_text():
    from django.utils import translation

    from notifications.events import DEFAULTS

    with translation.override("zh-hans"):
        for event in [*CHOSEN, Event.DIGEST]:
            default = DEFAULTS[event]
            assert "Supervision Planner" not in str(default.subject)
            assert "{url}" in str(default.body)


def test_an_administrators_template_replaces_the_default_and_reaches_nothing_else(django_capture_on_commit_callbacks):
    from notifications.models import MessageTemplate

    MessageTemplate.objects.create(
        event=Event.REPORT_ACCEPTED, subject="【通过】{county}：{what}", body="{office} 已通过。{__class__} {url}"
    )
    world = world_build()
    report = report_submit(assignment=first_assignment(world), acting_user=world.member, progress="done", text="完成")
    with django_capture_on_commit_callbacks(execute=True):
        report_review(report=report, acting_user=world.staff, accept=True)

    message = Message.objects.filter(event=Event.REPORT_ACCEPTED).first()
    assert message.subject == f"【通过】{world.county.name}：{first_assignment(world).label}"
    assert message.body.startswith(f"{world.office.name} 已通过。{{__class__}} http")


def test_with_sms_switched_on_a_person_who_chose_it_gets_an_sms(settings, django_capture_on_commit_callbacks):
    from notifications.models import Preference

    settings.NOTIFICATIONS_SMS = {**settings.NOTIFICATIONS_SMS, "provider": "aliyun"}
    world = world_build()
    Preference.objects.create(user=world.member, phone="13800138000")
    Subscription.objects.create(user=world.member, event=Event.REPORT_RETURNED, channel="sms", enabled=True)
    report = report_submit(assignment=first_assignment(world), acting_user=world.member, progress="done", text="完成")
    with django_capture_on_commit_callbacks(execute=True):
        report_review(report=report, acting_user=world.staff, accept=False, comment="补充")

    assert ("sms", f"user:{world.member.pk}", "13800138000") in _recipients(Event.REPORT_RETURNED)


def test_the_command_writes_the_days_notices_and_sends_them(settings):
    from io import StringIO

    from django.core import mail
    from django.core.management import call_command

    settings.NOTIFICATIONS_DIGEST_OVER = 10
    world = world_build(tasks=2)
    _due(world, -1, 2)
    out = StringIO()

    call_command("send_notifications", "--collect", stdout=out)
    call_command("send_notifications", "--collect", stdout=out)

    assert out.getvalue().splitlines() == [
        "已生成 4 条通知。",
        "已发送 4 条，失败 0 条。",
        "已生成 0 条通知。",
        "已发送 0 条，失败 0 条。",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["contact@county.example"] * 2 + ["member@county.example"] * 2


def test_the_recipients_of_many_counties_are_read_in_six_queries(django_assert_num_queries):
    from notifications.recipients import recipients_by_county

    worlds = [world_build(tasks=1) for _ in range(3)]
    for world in worlds:
        OfficeChannel.objects.create(
            office=world.county_office, channel="dingtalk", webhook_encrypted=encrypt("x"), events=[Event.OVERDUE]
        )
    # members, their choices, their preferences, the contacts, the county offices, their robots
    with django_assert_num_queries(6):
        found = recipients_by_county([world.county.pk for world in worlds])

    for world in worlds:
        overdue = found[world.county.pk][Event.OVERDUE]
        assert sorted(r.key for r in overdue) == sorted(
            [f"user:{world.member.pk}", f"contact:{world.county.pk}", f"office:{world.county_office.pk}"]
        )


def test_a_published_revision_is_told_again_under_its_number(django_capture_on_commit_callbacks):
    from plans.services import work_plan_publish, work_plan_revise, work_plan_submit

    world = world_build()
    draft = work_plan_revise(plan=world.plan, acting_user=world.staff)
    work_plan_submit(plan=draft, acting_user=world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        plan = work_plan_publish(plan=draft, acting_user=world.reviewer, note="调整时间")

    assert plan.revision == 2
    keys = set(Message.objects.filter(event=Event.PLAN_PUBLISHED).values_list("event_key", flat=True))
    assert keys == {f"plan_published:plan:{plan.pk}:2"}
