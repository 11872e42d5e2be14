"""Tracking follows what the areas below it report: a published plan, a changed calendar."""

from django.dispatch import receiver

from organisation.signals import official_calendar_changed
from plans.signals import plan_published
from tracking.services.assignments import assignments_sync, due_dates_follow_calendar


@receiver(plan_published)
def plan_published_sync(sender, *, plan, acting_user, revision, rows=None, fresh=False, **kwargs):
    assignments_sync(plan=plan, acting_user=acting_user, revision=revision, rows=rows, fresh=fresh)


@receiver(official_calendar_changed)
def calendar_changed_due_dates(sender, *, year, calendar, acting_user, result, **kwargs):
    due_dates_follow_calendar(year=year, calendar=calendar, acting_user=acting_user, result=result)
