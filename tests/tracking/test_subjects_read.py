"""The subjects of a list of obligations (the portal's, an assignment's page) are read one query
per type of subject, as Django's prefetch of the generic relation reads them: the same objects,
None for plan work and for a subject whose row is gone."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import prefetch_related_objects

from organisation.models import County, Office
from tests.factories import CountyFactory, OfficeFactory
from tracking.kinds import obligations_prefetched
from tracking.models import Assignment

pytestmark = pytest.mark.django_db


def test_subjects_are_read_once_a_type_as_djangos_prefetch_reads_them(django_assert_num_queries):
    county, office, gone = CountyFactory(), OfficeFactory(), CountyFactory()
    gone_id = gone.pk
    gone.delete()
    county_type, office_type = ContentType.objects.get_for_model(County), ContentType.objects.get_for_model(Office)

    def obligations():
        return [
            Assignment(subject_type=county_type, subject_id=county.pk),
            Assignment(subject_type=office_type, subject_id=office.pk),
            Assignment(),  # plan work: no subject
            Assignment(subject_type=county_type, subject_id=gone_id),
            Assignment(subject_type=county_type, subject_id=county.pk),
        ]

    ours, djangos = obligations(), obligations()
    with django_assert_num_queries(2):
        obligations_prefetched(ours)
    prefetch_related_objects(djangos, "subject")

    with django_assert_num_queries(0):
        assert [a.subject for a in ours] == [a.subject for a in djangos] == [county, office, None, None, county]
