"""The division table and functional zones from fixtures/, for any version of the models."""

import csv
from pathlib import Path

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
BATCH_SIZE = 500
# Zones named like counties that are no division: those curated from notices, and the national
# development zones and new areas (经济技术开发区, 高新技术产业开发区, 国家级新区).
ZONE_FILES = ("functional_zones.csv", "development_zones.csv")


def zone_rows(fixtures_dir: Path = FIXTURES_DIR) -> list[dict[str, str]]:
    """The rows (city_code, name, aliases) of every zone file, in order."""
    rows = []
    for name in ZONE_FILES:
        with open(fixtures_dir / name, encoding="utf-8") as fh:
            rows.extend(csv.DictReader(fh))
    return rows


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

    # In bulk: the zone files list a few hundred zones, loaded at every start of a test run.
    rows = zone_rows(fixtures_dir)
    named = County.objects.filter(name__in={row["name"] for row in rows})
    zones = {(z.city_id, z.name): z for z in named}
    new_zones = {}
    for row in rows:
        key = (regions[row["city_code"]].pk, row["name"])
        if key not in zones and key not in new_zones:
            new_zones[key] = County(city=regions[row["city_code"]], name=row["name"], kind="zone")
    County.objects.bulk_create(new_zones.values(), batch_size=BATCH_SIZE)
    if new_zones:
        zones = {(z.city_id, z.name): z for z in named.all()}
    aliases = set(CountyAlias.objects.values_list("county_id", "name"))
    new_aliases = {}
    for row in rows:
        zone = zones[(regions[row["city_code"]].pk, row["name"])]
        for alias in filter(None, row["aliases"].split("|")):
            if (zone.pk, alias) not in aliases:
                new_aliases.setdefault((zone.pk, alias), CountyAlias(county=zone, name=alias))
    CountyAlias.objects.bulk_create(new_aliases.values(), batch_size=BATCH_SIZE)
    zones_added = len(new_zones)
    return {
        "regions": len(new_regions),
        "counties": len(counties),
        "zones": zones_added,
    }
