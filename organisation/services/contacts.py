"""A county office's contacts: whom reminders (催办) reach."""

from django.db import transaction
from django.utils import timezone

from organisation.models import County, CountyContact
from supervision.history import acting_as


@transaction.atomic
def county_contact_update(*, county: County, name: str, email: str, phone: str, acting_user) -> CountyContact:
    """Write the contact person, e-mail and phone of `county`'s office (one record a county)."""
    contact = CountyContact.objects.select_for_update().filter(county=county).first()
    if contact is None:
        contact = CountyContact(county=county)
    contact.name, contact.email, contact.phone = name.strip(), email.strip(), phone.strip()
    contact.updated_at, contact.updated_by = timezone.now(), acting_user
    contact.full_clean()
    with acting_as(acting_user):
        contact.save()
    return contact
