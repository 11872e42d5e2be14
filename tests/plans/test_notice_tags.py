"""The notice's outline and the plan page's contents are written by tags
(plans.templatetags.plan_extras: notice_outline, toc_sections): each writes what the template
loop it replaced wrote, whitespace and all, for the five seed notices and for text that must be
escaped, in both languages."""

import pytest
from django.template import Context, Template
from django.utils import translation

from plans.models import Section, Task
from plans.selectors.plans import work_plan_document
from plans.templatetags.plan_extras import notice_outline, toc_sections

# The loops as _notice.html and _plan_outputs.html wrote them before the tags.
NOTICE_LOOP = Template(
    "{% load plan_extras %}"
    "{% for part in doc.outline %}\n"
    "      {% if part.section %}\n"
    "        {% if part.section.level == 1 %}\n"
    '          <h3 class="section-heading section-heading--1" id="section-{{ part.section.position }}">{{ part.section.label }}{{ part.section.heading }}</h3>\n'
    "        {% else %}\n"
    '          <h4 class="section-heading section-heading--2" id="section-{{ part.section.position }}">{{ part.section.label }}{{ part.section.heading }}</h4>\n'
    "        {% endif %}\n"
    '        {% for paragraph in part.section.text|paragraphs %}<p class="notice-paragraph">{{ paragraph }}</p>{% endfor %}\n'
    "      {% endif %}\n"
    "      {% if part.tasks %}\n"
    '        <ol class="tasks">\n'
    "          {% for task in part.tasks %}{% notice_task task %}{% endfor %}\n"
    "        </ol>\n"
    "      {% endif %}\n"
    "    {% endfor %}"
)
TOC_LOOP = Template(
    "{% load plan_extras %}"
    "{% for part in doc.outline %}\n"
    '        <li{% if part.section.level == 2 %} class="plan-toc__sub"{% endif %}>\n'
    '          {% if part.section %}<a href="#section-{{ part.section.position }}">{{ part.section.label }}{{ part.section.heading }}</a>{% endif %}\n'
    "          {% if part.tasks %}\n"
    '          <ol class="plan-toc__tasks">\n'
    '            {% for task in part.tasks %}<li><a href="#task-{{ task.number }}">{% if task.label %}{{ task.label }}{% else %}{{ task.number }}.{% endif %}{{ task.title }}</a></li>{% endfor %}\n'
    "          </ol>\n"
    "          {% endif %}\n"
    "        </li>\n"
    "        {% endfor %}"
)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_tags_write_the_seed_notices_as_the_loops_did(seeded_plans, language):
    written = 0
    with translation.override(language):
        for plan in seeded_plans.values():
            doc = work_plan_document(plan=plan)
            context = {"doc": doc}
            ours = notice_outline(Context(context), doc.outline)
            assert ours == NOTICE_LOOP.render(Context(context))
            assert toc_sections(doc.outline) == TOC_LOOP.render(Context(context))
            written += ours.count('<li class="task"')
    assert written > 70


def test_the_tags_escape_what_the_loops_escaped():
    odd = "<b>&\"'</b>"
    first = Section(level=1, position=1, label="一、", heading=odd, text=f"{odd}\n\n第二段")
    second = Section(level=2, position=2, label="", heading="", text="")
    task = Task(number=3, label="", title=odd, text=f"{odd}：要求", lead_unit=odd)
    labelled = Task(number=4, label="（四）", title="标题", text="", lead_unit="")
    for each in (task, labelled):
        each.schedule_lines, each.county_list, each.unconfirmed_places = [], [], []
    part = type("Part", (), {})
    outline = []
    for section, tasks in ((first, [task]), (second, []), (None, [labelled]), (second, [task, labelled])):
        outline.append(part())
        outline[-1].section, outline[-1].tasks = section, tasks
    context = {"doc": type("Doc", (), {"outline": outline})()}

    assert notice_outline(Context(context), outline) == NOTICE_LOOP.render(Context(context))
    assert toc_sections(outline) == TOC_LOOP.render(Context(context))
    assert "<b>" not in toc_sections(outline) + notice_outline(Context(context), outline)
