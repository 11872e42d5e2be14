"""The official calendar's years from the chinese-calendar package, for any version of the models
(the migration that creates the tables and the reference data both load it)."""

import chinese_calendar

# The package's English names, in the notice's words.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def package_years() -> dict[int, list[tuple]]:
    """Each year the package knows: its (date, kind, name) days, by the notice that gave them."""
    days = [(d, "off", n) for d, n in chinese_calendar.holidays.items()]
    days += [(d, "working", n) for d, n in chinese_calendar.workdays.items()]
    years = range(min(d.year for d, _k, _n in days), max(d.year for d, _k, _n in days) + 1)
    by_year = {year: [] for year in years}
    for date, kind, name in days:
        # 元旦 days at the end of December come in the next year's notice.
        year = date.year + 1 if date.month == 12 and name == "New Year's Day" else date.year
        by_year.setdefault(year, []).append((date, kind, HOLIDAY_NAMES.get(name, name)))
    return {year: sorted(rows) for year, rows in by_year.items() if year in years}


def package_years_load(*, year_model, day_model) -> list[int]:
    """Add the package's years the table lacks; a year already there (a notice an administrator
    loaded, or an earlier load) is left as it is. Returns the years added."""
    known = set(year_model.objects.values_list("year", flat=True))
    taken = set(day_model.objects.values_list("date", flat=True))
    added = []
    for year, rows in package_years().items():
        if year in known:
            continue
        row = year_model.objects.create(year=year, source="package")
        day_model.objects.bulk_create(
            [day_model(calendar_year=row, date=d, kind=k, name=n) for d, k, n in rows if d not in taken],
            batch_size=500,
        )
        added.append(year)
    return added
