"""A calendar's rows are written by a tag (plans.templatetags.plan_extras.calendar_rows): it writes
what the template loop it replaced wrote, whitespace and all, for the five seed plans' calendars
by month and by quarter, with a current period and without, on the calendar pages and in the
notice, in both languages."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from plans.selectors.calendars import plan_calendar
from plans.templatetags.plan_extras import calendar_rows

pytestmark = pytest.mark.django_db

# The loop as _schedule_calendar.html wrote it before the tag.
ROWS_LOOP = Template(
    "{% load i18n plan_extras %}"
    "{% for row in calendar.rows %}\n"
    '      <tr id="{% if not notice %}period{% elif calendar.by_quarter %}calendar-quarter{% else %}calendar-month{% endif %}-{{ row.key }}" class="{% if not row.items %}is-empty{% endif %}{% if row.is_current %} is-current{% endif %}"{% if row.is_current %} aria-current="date"{% endif %}>\n'
    '        <th scope="row">\n'
    "          {{ row.label }}\n"
    '          {% if row.is_current %}<span class="badge badge--current">{% if calendar.by_quarter %}{% translate "This quarter" %}{% else %}{% translate "This month" %}{% endif %}</span>{% endif %}\n'
    '          {% if row.deadlines and not notice %}<span class="schedule-calendar__due">{% blocktranslate count counter=row.deadlines %}{{ counter }} deadline{% plural %}{{ counter }} deadlines{% endblocktranslate %}</span>{% endif %}\n'
    "        </th>\n"
    "        <td>\n"
    '          {% if not row.items %}<span class="muted">—</span>\n'
    "          {% elif notice %}\n"
    '          <ul class="calendar-entries">\n'
    "            {% calendar_entries row.entries %}\n"
    "          </ul>\n"
    "          {% else %}\n"
    '          <ul class="schedule-items">\n'
    "            {% schedule_items row.due_first %}\n"
    "          </ul>\n"
    "          {% endif %}\n"
    "        </td>\n"
    "      </tr>\n"
    "      {% endfor %}"
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_tag_writes_the_seed_calendars_as_the_loop_did(seeded_plans, language):
    written = 0
    with translation.override(language):
        for plan in seeded_plans.values():
            for today in (datetime.date(plan.plan_year, 3, 15), datetime.date(plan.plan_year + 1, 1, 1)):
                for by_quarter in (None, True):
                    calendar = plan_calendar(plan=plan, today=today)
                    if by_quarter:
                        from plans.selectors.calendars import schedule_calendar

                        calendar = schedule_calendar(
                            entries=[e for row in calendar.rows for e in row.entries] + list(calendar.standing),
                            year=plan.plan_year,
                            by_quarter=True,
                            today=today,
                        )
                    for notice in (False, True):
                        context = {"calendar": calendar, "notice": notice}
                        ours = calendar_rows(Context(context), calendar, notice)
                        assert ours == ROWS_LOOP.render(Context(context))
                        written += ours.count("<tr")
    assert written > 200
