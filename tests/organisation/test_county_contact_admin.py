"""An administrator keeps a county office's contacts in the admin, as its page does."""

import pytest
from django.urls import reverse

from organisation.models import CountyContact
from tests.factories import CountyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_administrator_adds_and_changes_a_countys_contacts_with_who_and_when(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    county = CountyFactory()

    added = client.post(
        reverse("admin:organisation_countycontact_add"),
        {"county": county.pk, "name": " 王老师 ", "email": "dd@example.org", "phone": "0511-1234567"},
    )
    assert added.status_code == 302
    contact = CountyContact.objects.get(county=county)
    assert (contact.name, contact.email, contact.updated_by) == ("王老师", "dd@example.org", admin)

    changed = client.post(
        reverse("admin:organisation_countycontact_change", args=[contact.pk]),
        {"name": "李老师", "email": "dd@example.org", "phone": ""},
    )
    assert changed.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.county, contact.phone) == ("李老师", county, "")
    assert contact.history.count() == 2

    listed = client.get(reverse("admin:organisation_countycontact_changelist"), {"q": county.name})
    assert listed.status_code == 200 and "李老师" in listed.content.decode()


def test_a_second_contact_record_for_a_county_is_refused_with_a_message(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    county = CountyFactory()
    CountyContact.objects.create(county=county, name="王老师")
    refused = client.post(reverse("admin:organisation_countycontact_add"), {"county": county.pk, "name": "李老师"})
    assert refused.status_code == 200 and "已存在" in refused.content.decode()
    assert CountyContact.objects.get(county=county).name == "王老师"
