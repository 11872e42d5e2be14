"""Fixtures for the parser's tests: the division table as the parser sees it, without Django."""

import csv
from pathlib import Path

import pytest

from plans.parsing import Gazetteer, Place, RegionRef

FIXTURES_DIR = Path(__file__).resolve().parents[3] / "fixtures"
SEEDS_DIR = FIXTURES_DIR / "seeds"


def gazetteer_from_csv(fixtures_dir: Path = FIXTURES_DIR) -> Gazetteer:
    """Regions and places straight from the CSV files the reference data is loaded from.

    Places are keyed by division code (functional zones, which have none, by city and name), so
    a test can tell which place was found without a database.
    """
    regions, places = [], []
    with open(fixtures_dir / "divisions.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["level"] in ("province", "city"):
                regions.append(RegionRef(row["code"], row["name"], row["level"], row["parent_code"]))
            else:
                places.append(
                    Place(
                        key=row["code"],
                        name=row["name"],
                        city_code=row["parent_code"],
                        aliases=(),
                        is_zone=row["kind"] == "zone",
                    )
                )
    for zones in ("functional_zones.csv", "development_zones.csv"):
        with open(fixtures_dir / zones, encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        for row in rows:
            places.append(
                Place(
                    key=f"{row['city_code']}:{row['name']}",
                    name=row["name"],
                    city_code=row["city_code"],
                    aliases=tuple(filter(None, row["aliases"].split("|"))),
                    is_zone=True,
                )
            )
    return Gazetteer(regions, places)


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return gazetteer_from_csv()
