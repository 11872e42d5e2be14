"""The division table and functional zones from fixtures/, for any version of the models."""

import csv
from pathlib import Path

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
BATCH_SIZE = 500


def divisions_load(*, region_model, county_model, alias_model, fixtures_dir: Path = FIXTURES_DIR) -> dict[str, int]:
    """Load (or refresh) regions, counties and functional zones; safe to run again.

    Takes the model classes so that a data migration can pass its historical ones.
    """
    Region, County, CountyAlias = region_model, county_model, alias_model
    with open(fixtures_dir / "divisions.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))

    regions = {r.code: r for r in Region.objects.all()}
    new_regions = []
    for row in rows:
        if row["level"] in ("province", "city") and row["code"] not in regions:
            region = Region(code=row["code"], name=row["name"], level=row["level"])
            regions[row["code"]] = region
            new_regions.append(region)
    Region.objects.bulk_create(new_regions, batch_size=BATCH_SIZE)
    regions = {r.code: r for r in Region.objects.all()}
    orphans = []
    for row in rows:
        if row["level"] == "city":
            region = regions[row["code"]]
            parent = regions[row["parent_code"]]
            if region.parent_id != parent.pk:
                region.parent = parent
                orphans.append(region)
    Region.objects.bulk_update(orphans, ["parent"], batch_size=BATCH_SIZE)

    known = set(County.objects.exclude(code="").values_list("code", flat=True))
    counties = [
        County(
            code=row["code"],
            name=row["name"],
            kind=row["kind"],
            city=regions[row["parent_code"]],
        )
        for row in rows
        if row["level"] == "county" and row["code"] not in known
    ]
    County.objects.bulk_create(counties, batch_size=BATCH_SIZE)

    zones_added = 0
    with open(fixtures_dir / "functional_zones.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            zone, created = County.objects.get_or_create(
                city=regions[row["city_code"]],
                name=row["name"],
                defaults={"kind": "zone"},
            )
            zones_added += created
            for alias in filter(None, row["aliases"].split("|")):
                CountyAlias.objects.get_or_create(county=zone, name=alias)
    return {
        "regions": len(new_regions),
        "counties": len(counties),
        "zones": zones_added,
    }
