"""Write generated 工作要点 notices as .txt files, for timing `import_workpoints`.

    DEBUG=1 .venv/bin/python scripts/write_notices.py OUT_DIR [--count 300] [--seed 1]

Each notice is one city's plan of one year as the demo generator makes its content
(demo.generator.DemoGenerator.content: sections, tasks naming counties, a calendar), written in
the genre's form: letterhead, 文号, title, recipients, signature and date, the plan, and its
calendar as an annex. Cities are the division table's (national), in code order, years from
2021 on. Then, for example, on PostgreSQL:

    DATABASE_URL=postgres://… .venv/bin/python manage.py import_workpoints --publish OUT_DIR/*.txt
"""

import argparse
import datetime
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supervision.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from demo import words
    from demo.generator import DemoGenerator
    from organisation.models import County, Region

    cities = list(Region.objects.filter(level=Region.Level.CITY).order_by("code"))
    if not cities:
        sys.exit("no cities: load the reference data first (manage.py migrate; reference_data_load)")
    generator = DemoGenerator(scale=None, seed=args.seed, as_of=datetime.date(2025, 12, 31), writer=None, progress=None)
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    written = 0
    for year in range(2021, 2100):
        for city in cities:
            if written == args.count:
                print(f"{written} notices in {args.out}")
                return
            counties = list(County.objects.filter(city=city).order_by("code", "name"))
            content = generator.content(city, year, counties)
            office = words.CITY_OFFICE_FORMS[0].format(city=city.name)
            text = notice(office, city.name, year, content, rng)
            (args.out / f"{year}_{city.code}.txt").write_text(text, encoding="utf-8")
            written += 1


def notice(office: str, city: str, year: int, content: dict, rng: random.Random) -> str:
    title = f"{year}年{city}教育督导工作要点"
    lines = [
        office,
        f"{city[0]}教督〔{year}〕{rng.randint(1, 9)}号",
        f"关于印发《{title}》的通知",
        "各县（市、区）教育局：",
        f"现将《{title}》印发给你们，请认真贯彻落实。",
        office,
        f"{year}年{rng.randint(1, 3)}月{rng.randint(1, 28)}日",
        title,
    ]
    for index, section in enumerate(content["sections"]):
        lines.append(section["label"] + section["heading"])
        if section["text"]:
            lines.append(section["text"])
        for task in content["tasks"]:
            if task["section"] == index:
                lines.append(task["label"] + task["text"])
    entries = content["entries"]
    if entries:
        lines += ["附件", f"{year}年重点工作安排"]
        period, items = None, []
        for entry in entries + [None]:
            if entry is None or entry["period"] != period:
                if items:
                    lines.append(f"{period}：" + "；".join(items) + "。")
                items = []
            if entry is not None:
                period = entry["period"]
                items.append(entry["text"])
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
