"""What follows a write wherever it is made: the admin, a service, a shell."""
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from plans.models import County, CountyAlias, Region
from plans.services.imports import gazetteer_invalidate


@receiver(post_save, sender=Region)
@receiver(post_delete, sender=Region)
@receiver(post_save, sender=County)
@receiver(post_delete, sender=County)
@receiver(post_save, sender=CountyAlias)
@receiver(post_delete, sender=CountyAlias)
def division_changed(sender, **kwargs):
    # After the commit: a process that built its gazetteer from the table before the commit
    # would otherwise keep the old one, and a rolled-back change would stay in this process's.
    transaction.on_commit(gazetteer_invalidate)
