"""Reference data: the division table, functional zones and demo accounts."""
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from plans.divisions import divisions_load
from plans.models import County, CountyAlias, Membership, Office, Region

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


@transaction.atomic
def reference_data_load(*, fixtures_dir: Path = FIXTURES_DIR) -> dict[str, int]:
    """Load (or refresh) regions, counties and functional zones; safe to run again."""
    return divisions_load(
        region_model=Region, county_model=County, alias_model=CountyAlias, fixtures_dir=fixtures_dir
    )


DEMO_PASSWORD = "demo-pass-2026"
ZHENGZHOU_OFFICE = "郑州市人民政府教育督导委员会办公室"
DEMO_ACCOUNTS = (
    # username, role, office name, county of the office (for county users)
    ("staff", Membership.Role.EDITOR, ZHENGZHOU_OFFICE, None),
    ("reviewer", Membership.Role.REVIEWER, ZHENGZHOU_OFFICE, None),
    ("viewer", Membership.Role.VIEWER, ZHENGZHOU_OFFICE, None),
    ("county", Membership.Role.COUNTY, "金水区人民政府教育督导室", "金水区"),
)


@transaction.atomic
def demo_accounts_create(*, password: str = DEMO_PASSWORD) -> list[tuple[str, str, str]]:
    """An admin and one user per role of the 郑州 office (and 金水区's county office);
    returns (username, password, role)."""
    User = get_user_model()
    created = []
    admin, _ = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True}
    )
    admin.set_password(password)
    admin.save(update_fields=["password"])
    created.append(("admin", password, "admin"))

    zhengzhou = Region.objects.get(code="410100")
    city_office, _ = Office.objects.get_or_create(
        name=ZHENGZHOU_OFFICE, defaults={"level": Office.Level.CITY, "region": zhengzhou}
    )
    for username, role, office_name, county_name in DEMO_ACCOUNTS:
        if county_name:
            county = County.objects.get(city=zhengzhou, name=county_name)
            office, _ = Office.objects.get_or_create(
                name=office_name,
                defaults={"level": Office.Level.COUNTY, "county": county, "parent": city_office},
            )
        else:
            office = city_office
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.save(update_fields=["password"])
        Membership.objects.filter(user=user).exclude(office=office).delete()
        Membership.objects.update_or_create(user=user, office=office, defaults={"role": role})
        created.append((username, password, role))
    return created
