"""What the plans area tells the areas above it, which it does not import."""

from django.dispatch import Signal

# A plan (or its revision) was published, inside the publishing transaction: plan, acting_user,
# revision, and rows (plans.services.content.PlanRows: its parts and targets as published, read
# once for every receiver). The areas that follow published work (tracking) update what the
# counties owe.
plan_published = Signal()
