"""The printed notice's tasks and annex are written by tags (plans.templatetags.plan_outputs):
each writes what the template loop it replaced wrote, whitespace and all, for the five seed
notices and for text that must be escaped, in both languages."""

import pytest
from django.template import Context, Template
from django.utils import translation

from plans.models import ScheduleEntry, Task
from plans.selectors.calendars import schedule_rows
from plans.selectors.plans import work_plan_document
from plans.templatetags.plan_outputs import print_annex, print_tasks

# The loops as print.html wrote them before the tags.
TASKS_LOOP = Template(
    "{% load i18n plan_extras %}{% for task in part.tasks %}\n"
    '      <div class="task" id="task-{{ task.number }}">\n'
    "        {% with body=task|task_text %}\n"
    '        <p class="body-text"><span class="task__title">{% if task.label %}{{ task.label }}{% else %}'
    "{{ task.number }}.{% endif %}{{ task.title }}{{ body.title_end }}</span>{{ body.lead_rest }}</p>\n"
    '        {% for paragraph in body.paragraphs %}<p class="body-text">{{ paragraph }}</p>{% endfor %}\n'
    "        {% endwith %}\n"
    '        {% if task.lead_unit %}<p class="body-text task__unit">（{% translate "Lead unit:" %}'
    "{{ task.lead_unit }}）</p>{% endif %}\n"
    '        {% if task.schedule_lines %}<p class="body-text task__schedule">{% translate "Work calendar:" %}'
    "{% for entry in task.schedule_lines %}{{ entry.period }}，{{ entry.text }}{% if not forloop.last %}；"
    "{% else %}。{% endif %}{% endfor %}</p>{% endif %}\n"
    "      </div>\n"
    "      {% endfor %}"
)
ANNEX_LOOP = Template(
    "{% load i18n plan_outputs %}{% for group, entry in annex %}\n"
    '        <tr{% if group %} class="annex-table__first"{% endif %}>\n'
    '          <td class="annex-table__when">{{ group }}</td>\n'
    "          <td>{{ entry.period }}</td>\n"
    "          <td>{{ entry.text }}{% with due=entry|entry_due:year %}{% if due %}（{% blocktranslate with "
    "day=due|month_day %}due {{ day }}{% endblocktranslate %}）{% endif %}{% endwith %}</td>\n"
    "          <td>{{ entry.lead_unit }}</td>\n"
    "        </tr>\n"
    "        {% endfor %}"
)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_tags_print_the_seed_notices_as_the_loops_did(seeded_plans, language):
    with translation.override(language):
        for plan in seeded_plans.values():
            doc = work_plan_document(plan=plan)
            for part in doc.outline:
                assert print_tasks(part.tasks) == TASKS_LOOP.render(Context({"part": part}))
            rows = schedule_rows(doc.calendar)
            assert rows or not doc.calendar
            assert print_annex(rows, plan.plan_year) == ANNEX_LOOP.render(
                Context({"annex": rows, "year": plan.plan_year})
            )


def test_the_tags_escape_what_the_loops_escaped():
    odd = "<b>&\"'</b>"
    task = Task(number=3, label="", title=odd, text=f"{odd}：要求\n\n第二段 {odd}", lead_unit=odd)
    task.schedule_lines = [ScheduleEntry(period=odd, text=odd), ScheduleEntry(period="3月", text="报送")]
    labelled = Task(number=4, label="（四）", title="标题", text="", lead_unit="")
    labelled.schedule_lines = []
    part = type("Part", (), {"tasks": [task, labelled]})()

    assert print_tasks(part.tasks) == TASKS_LOOP.render(Context({"part": part}))
    assert "<b>" not in print_tasks(part.tasks)

    due = ScheduleEntry(period=odd, text=odd, lead_unit=odd, start_month=3, end_month=3, months=0b100, deadline_day=20)
    rows = [(odd, due), ("", ScheduleEntry(text="x"))]
    assert "（" in print_annex(rows, 2026)  # the first line's due date
    assert print_annex(rows, 2026) == ANNEX_LOOP.render(Context({"annex": rows, "year": 2026}))
    assert print_annex(rows, "not a year") == ANNEX_LOOP.render(Context({"annex": rows, "year": "not a year"}))
