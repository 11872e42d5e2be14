"""What follows a write wherever it is made: the admin, a service, a shell."""

from django.db import transaction
from django.db.models import ProtectedError
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext

from organisation.models import County, CountyAlias, Region
from organisation.signals import divisions_loaded
from plans.models import WorkPlan
from plans.services.imports import gazetteer_invalidate


@receiver(post_save, sender=Region)
@receiver(post_delete, sender=Region)
@receiver(post_save, sender=County)
@receiver(post_delete, sender=County)
@receiver(post_save, sender=CountyAlias)
@receiver(post_delete, sender=CountyAlias)
@receiver(divisions_loaded)
def division_changed(sender, **kwargs):
    # After the commit: a process that built its gazetteer from the table before the commit
    # would otherwise keep the old one, and a rolled-back change would stay in this process's.
    transaction.on_commit(gazetteer_invalidate)


@receiver(pre_delete, sender=WorkPlan)
def issued_plans_stay(sender, instance, **kwargs):
    # An issued notice is a public record: archive it, never delete it (from the admin, a
    # service, or a shell's queryset alike; only a database-level flush bypasses this).
    if instance.status in WorkPlan.ISSUED:
        raise ProtectedError(gettext("A published or archived plan is never deleted: archive it instead."), [instance])
