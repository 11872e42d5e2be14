"""The copy form of the new-plan page lists each office's plans of its last five plan years, the
latest chosen; an older plan is copied from its own page, by whoever may copy it."""

import pytest
from django.urls import reverse

from plans.models import WorkPlan
from tests.factories import OfficeFactory, UserFactory, WorkPlanFactory, staff_user_create, work_plan_build
from tests.plans.test_editing import editor, office  # noqa: F401
from tests.test_pages import assert_queries_independent_of_size

pytestmark = pytest.mark.django_db


def _plans(office, years) -> dict[int, WorkPlan]:
    return {year: WorkPlanFactory(office=office, plan_year=year, title=f"{year}年工作要点") for year in years}


def _options(response) -> list[int]:
    return [pk for pk, _label in response.context["copy_form"].fields["source"].choices]


def test_the_copy_form_lists_the_last_five_plan_years_of_each_office(client, office, editor):
    # 2022 has no plan, 2023 two: the five years are those with plans.
    plans = _plans(office, [2015, 2016, 2017, 2018, 2019, 2020, 2021, 2023, 2024])
    special = WorkPlanFactory(office=office, plan_year=2023, title="2023年专项督导计划")
    other_office = OfficeFactory(name="洛阳市人民政府教育督导委员会办公室")
    staff_user_create(office=other_office, user=editor)
    theirs = _plans(other_office, [2010, 2011])
    _plans(OfficeFactory(), [2024])  # not theirs
    client.force_login(editor)

    response = client.get(reverse("plans:plan_copy"))

    listed = [plans[2024].pk, special.pk, plans[2023].pk, plans[2021].pk, plans[2020].pk, plans[2019].pk]
    assert _options(response) == [theirs[2011].pk, theirs[2010].pk, *listed]
    assert response.context["copy_form"].initial["source"] == plans[2024].pk
    assert "要复制更早的计划，请打开该计划，点击“复制到新年度”。" in response.content.decode()


def test_an_older_plan_is_copied_from_its_own_page(client, office, editor):
    old = work_plan_build(tasks=2, office=office, plan_year=2012, title="2012年工作要点")
    _plans(office, range(2019, 2025))
    client.force_login(editor)
    link = f"{reverse('plans:plan_copy')}?from={old.pk}"
    assert f'href="{link}"' in client.get(old.get_absolute_url()).content.decode()

    page = client.get(link)
    response = client.post(reverse("plans:plan_copy"), {"source": old.pk, "plan_year": ""})

    assert old.pk in _options(page) and _options(page)[-1] == old.pk
    assert page.context["copy_form"].initial["source"] == old.pk
    copy = WorkPlan.objects.get(office=office, plan_year=2013)
    assert response.status_code == 302 and copy.tasks.count() == 2


def test_a_plan_the_user_may_not_copy_is_neither_offered_nor_copied(client, office, editor):
    latest = _plans(office, [2024])[2024]
    elsewhere = work_plan_build(tasks=1, office=OfficeFactory(), plan_year=2012)
    client.force_login(editor)

    page = client.get(reverse("plans:plan_copy"), {"from": elsewhere.pk})
    response = client.post(reverse("plans:plan_copy"), {"source": elsewhere.pk, "plan_year": ""})

    assert _options(page) == [latest.pk]
    assert page.context["copy_form"].initial["source"] == latest.pk
    assert response.status_code == 400
    assert not WorkPlan.objects.filter(office=elsewhere.office, plan_year=2013).exists()


def test_the_new_plan_page_takes_the_same_queries_however_many_years_of_plans(client, office, editor):
    client.force_login(editor)

    def make_url(years):
        _plans(OfficeFactory(), range(2030 - years, 2030))
        _plans(office, range(2030 - years, 2030))
        return reverse("plans:plan_create")

    # Session, user and memberships; the blank form's offices (read once: its select, the
    # select's `required` check and the first office chosen); the plans to copy.
    assert_queries_independent_of_size(client, make_url, expected=5, sizes=(6, 20))


def test_an_administrator_copies_from_every_office(client, office):
    ours = _plans(office, [2023, 2024])
    theirs = _plans(OfficeFactory(name="洛阳市人民政府教育督导委员会办公室"), [2024])
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get(reverse("plans:plan_copy"))

    assert _options(response) == [theirs[2024].pk, ours[2024].pk, ours[2023].pk]
