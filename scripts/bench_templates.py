"""Django's template engine against Jinja2 on the heaviest pages' templates, same context.

Run from the repository root, on data the page benchmark made (scripts/bench_pages.py):

    .venv/bin/python scripts/bench_templates.py [--database-url postgres://…/supervision_bench] [-n 50]

For each page it requests the page once through the test client and keeps the context its view
passed to the template; then it renders the part of the page that makes it heavy (the include
that loops over the page's rows; the base chrome around it costs the same whichever engine) from
that context, N times each:

- with Django's engine as the settings configure it (DEBUG off: the cached loader),
- with Django's engine without the cached loader (each {% include %} read and parsed again),
- with a Jinja2 translation of the same markup (kept below), calling the same Python helpers for
  what the app's template tags and filters do (county chips, dates, URLs, translations).

It checks that the Jinja2 output equals Django's with whitespace taken out, and prints the
median CPU time of each (process time: a busy machine's wait for a CPU left out) and the ratio. Template time only: no SQL is run while rendering (the
context's querysets are read once, before timing).
"""

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_pages import POSTGRES_URL, clients_for, django_setup, targets_find  # noqa: E402

# --- The Jinja2 translations ---------------------------------------------------------------------

SCHEDULE_ITEM = """\
<li class="schedule-item{% if item.due %} schedule-item--due{% endif %}">
  {% if item.due %}<span class="deadline deadline--strong">{{ gettext("due %(day)s", day=item.due|month_day) }}</span>{% endif %}
  <span class="period">{{ entry.period }}</span>
  {% if item.continued %}<span class="muted schedule-item__continued">{{ gettext("(continued)") }}</span>{% endif %}
  {{ entry.text }}
  {% if entry.lead_unit %}<span class="muted">（{{ entry.lead_unit }}）</span>{% endif %}
  {% if show_plan %}<a class="schedule-item__plan" href="{{ url('plans:plan_calendar', entry.plan_id) }}">{{ entry.plan.title }}</a>{% if entry.plan.status != "published" and entry.plan.status != "archived" %} <span class="badge badge--{{ entry.plan.status }}">{{ entry.plan.get_status_display() }}</span>{% endif %}{% endif %}
  {% if entry.task %}<a class="task-ref" href="{{ url('plans:plan_detail', entry.plan_id) }}#task-{{ entry.task.number }}">{{ gettext("Task %(number)s", number=entry.task.number) }}</a>{% endif %}
  {{ county_chips(entry.county_list, entry.unconfirmed_places) }}
</li>
"""

# The calendar pages' branch of plans/_schedule_calendar.html (the notice's calendar is written
# by a template tag already).
SCHEDULE_CALENDAR = """\
{% if calendar.is_empty %}
  <p class="empty">{{ gettext("No calendar lines.") }}</p>
{% else %}
{% if not calendar.today %}<p class="muted calendar-note">{{ gettext("This calendar is for %(year)s, not the current year: no month is marked as the current one.", year=calendar.year) }}</p>{% endif %}
<nav class="month-jump" aria-label="{{ gettext('Jump to a month') }}">
  {% if calendar.standing %}<a href="#standing">{{ gettext("Standing work") }}</a>{% endif %}
  {% for row in calendar.rows %}<a href="#period-{{ row.key }}"{% if row.is_current %} class="is-current" aria-current="date"{% endif %}{% if not row.items %} data-empty{% endif %}>{{ row.label }}</a>{% endfor %}
</nav>
{% if calendar.standing %}
<section class="calendar-standing" id="standing" aria-labelledby="standing-heading">
  <h2 class="calendar-standing__title" id="standing-heading">{{ gettext("Standing work") }}</h2>
  <p class="muted calendar-note">{{ gettext("Work of the whole year, every month or a half year: listed once here, not in every month.") }}</p>
  <ul class="schedule-items">
    {% for entry in calendar.standing %}{% with item=None %}{% include "schedule_item" %}{% endwith %}{% endfor %}
  </ul>
</section>
{% endif %}
<div class="table-wrap">
  <table class="table schedule-calendar">
    <caption class="visually-hidden">{% if calendar.by_quarter %}{{ gettext("Calendar lines by quarter") }}{% else %}{{ gettext("Calendar lines by month") }}{% endif %}</caption>
    <thead>
      <tr>
        <th scope="col" class="schedule-calendar__when">{% if calendar.by_quarter %}{{ gettext("Quarter") }}{% else %}{{ gettext("Month") }}{% endif %}</th>
        <th scope="col">{{ gettext("Work") }}</th>
      </tr>
    </thead>
    <tbody>
      {% for row in calendar.rows %}
      <tr id="period-{{ row.key }}" class="{% if not row.items %}is-empty{% endif %}{% if row.is_current %} is-current{% endif %}"{% if row.is_current %} aria-current="date"{% endif %}>
        <th scope="row">
          {{ row.label }}
          {% if row.is_current %}<span class="badge badge--current">{% if calendar.by_quarter %}{{ gettext("This quarter") }}{% else %}{{ gettext("This month") }}{% endif %}</span>{% endif %}
          {% if row.deadlines %}<span class="schedule-calendar__due">{{ ngettext("%(counter)s deadline", "%(counter)s deadlines", row.deadlines, counter=row.deadlines) }}</span>{% endif %}
        </th>
        <td>
          {% if not row.items %}<span class="muted">—</span>
          {% else %}
          <ul class="schedule-items">
            {% for item in row.due_first %}{% with entry=item.entry %}{% include "schedule_item" %}{% endwith %}{% endfor %}
          </ul>
          {% endif %}
        </td>
      </tr>
      {% endfor %}
    </tbody>
  </table>
</div>
{% endif %}
"""

HISTORY_LINES = """\
{% if lines %}
<ol class="history">
  {% for line in lines %}
  <li class="history__line history__line--{% if line.kind == 'event' %}event{% else %}write{% endif %}">
    <p class="history__head">
      <time datetime="{{ line.at|datetime_attr }}">{{ line.at|date("Y-m-d H:i:s") }}</time>
      <span class="history__who">{{ line.user|user_label or gettext("system") }}</span>
      {% if line.kind == "event" %}
        {% if line.changed_places is not none %}
          <strong>{{ ngettext("Revision %(number)s published, %(places)s change", "Revision %(number)s published, %(places)s changes", line.changed_places, places=line.changed_places, number=line.event.revision) }}</strong>
          <a href="{{ url('plans:revision_compare', line.plan_id) }}?a={{ line.event.revision - 1 }}&amp;b={{ line.event.revision }}"><span aria-hidden="true">→ </span>{{ gettext("See the differences") }}</a>
        {% else %}
        <strong>{{ line.subject }}</strong>{% if line.event.revision %} <span class="muted">{{ gettext("(revision %(number)s)", number=line.event.revision) }}</span>{% endif %}
        {% endif %}
      {% else %}
        <span class="history__what">{{ line.subject }}</span> <span class="badge badge--muted">{{ line.kind_label }}</span>
      {% endif %}
      {% if show_plan and line.plan_id %}<a href="{{ url('plans:plan_detail', line.plan_id) }}">{{ gettext("plan #%(id)s", id=line.plan_id) }}</a>{% endif %}
    </p>
    {% if line.event.comment %}<p class="history__comment">{{ line.event.comment|linebreaksbr }}</p>{% endif %}
    {% if line.changes %}
    <table class="table history__changes">
      <tbody>
        {% for change in line.changes %}
        <tr><th scope="row">{{ change.label }}</th><td class="diff-old">{{ change.old }}</td><td class="diff-new">{{ change.new }}</td></tr>
        {% endfor %}
      </tbody>
    </table>
    {% endif %}
  </li>
  {% endfor %}
</ol>
{% else %}
  <p class="empty">{{ gettext("Nothing has been recorded yet.") }}</p>
{% endif %}
"""

JINJA_TEMPLATES = {
    "schedule_item": SCHEDULE_ITEM,
    "schedule_calendar": SCHEDULE_CALENDAR,
    "history_lines": HISTORY_LINES,
}


def jinja_environment():
    import jinja2
    from django.template.defaultfilters import date, linebreaksbr
    from django.urls import reverse
    from django.utils.timezone import template_localtime
    from django.utils.translation import gettext, ngettext

    from plans.templatetags.plan_extras import county_chips, datetime_attr, user_label
    from plans.templatetags.plan_outputs import month_day

    env = jinja2.Environment(
        loader=jinja2.DictLoader(JINJA_TEMPLATES),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals["url"] = lambda name, *args: reverse(name, args=args)
    # The tag reads viewer_counties from the context it is given; Jinja2's context has .get too.
    env.globals["county_chips"] = jinja2.pass_context(county_chips)
    env.filters.update(
        month_day=month_day,
        datetime_attr=datetime_attr,
        user_label=user_label,
        # As Django's date filter gets it: in the current time zone.
        date=lambda value, arg: date(template_localtime(value), arg),
        linebreaksbr=lambda value: linebreaksbr(value, autoescape=True),
    )
    return env


# --- The pages -------------------------------------------------------------------------------------

# name, URL name, who asks, the page's template, Django's fragment (rendered in the page's
# context), the Jinja2 template, extra context the include gives.
PAGES = [
    (
        "plan calendar",
        lambda t: ("plans:plan_calendar", t.plan.pk),
        "staff",
        "plans/calendar_plan.html",
        '{% include "plans/_schedule_calendar.html" %}',
        "schedule_calendar",
        {},
    ),
    (
        "office calendar, a year",
        lambda t: ("plans:office_calendar", t.office.pk, t.year),
        "staff",
        "plans/calendar_office.html",
        '{% include "plans/_schedule_calendar.html" with show_plan=True %}',
        "schedule_calendar",
        {"show_plan": True},
    ),
    (
        "plan history",
        lambda t: ("plans:plan_history", t.plan.pk),
        "staff",
        "plans/plan_history.html",
        # Written by a tag since issue 22's second pass (plans.templatetags.plan_extras.history_lines).
        "{% load plan_extras %}{% history_lines page_obj.object_list %}",
        "history_lines",
        {"lines": "page_obj.object_list"},
    ),
]


def page_context(client, url: str, template_name: str) -> dict:
    """The context the view passed to the page's template (and the request), captured as the
    page is rendered once."""
    from django.template.backends.django import Template

    captured = {}
    render = Template.render

    def capture(self, context=None, request=None):
        if self.origin.template_name == template_name and not captured:
            captured.update(context or {}, request=request)
        return render(self, context, request)

    Template.render = capture
    try:
        response = client.get(url)
    finally:
        Template.render = render
    assert response.status_code == 200, (url, response.status_code)
    return captured


def engines():
    """Django's engine as configured, and the same without the cached loader."""
    from django.template import Engine, engines

    configured = engines["django"].engine
    options = {
        "dirs": configured.dirs,
        "app_dirs": False,
        "context_processors": configured.context_processors,
        "debug": False,
        "libraries": configured.libraries,
        "builtins": [b for b in configured.builtins if b not in Engine.default_builtins],
        "string_if_invalid": configured.string_if_invalid,
        "autoescape": configured.autoescape,
    }
    plain = ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"]
    return {
        "Django, cached loader": Engine(loaders=[("django.template.loaders.cached.Loader", plain)], **options),
        "Django, no cached loader": Engine(loaders=plain, **options),
    }


def _median_ms(render, n: int) -> float:
    for _ in range(3):
        render()
    # CPU time of this process: rendering waits for nothing, and on a machine shared with other
    # work the wall clock would mostly measure the wait for a CPU.
    times = []
    for _ in range(n):
        start = time.process_time()
        render()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=POSTGRES_URL)
    parser.add_argument("--as-of", default="2026-11-30")
    parser.add_argument("-n", "--requests", type=int, default=50, help="renders per engine (default 50)")
    args = parser.parse_args()
    django_setup(args.database_url)
    from django.template import Context
    from django.template.loader import get_template
    from django.urls import reverse
    from django.utils import translation

    translation.activate("zh-hans")
    targets = targets_find(int(args.as_of[:4]))
    clients = clients_for(targets)
    env = jinja_environment()
    django_engines = engines()
    print(
        f"template time only, median CPU ms of {args.requests} renders: the whole page's template (Django, as "
        "configured), then its heavy include by each engine, same context"
    )
    print(
        f"{'page':<26}{'bytes':>9}{'whole page':>12}"
        + "".join(f"{name:>26}" for name in django_engines)
        + f"{'Jinja2':>10}{'ratio':>8}"
    )
    for name, url_of, who, template_name, fragment, jinja_name, extra in PAGES:
        url_name, *url_args = url_of(targets)
        context = page_context(clients[who], reverse(url_name, args=url_args), template_name)
        # Read what the context holds lazily once, as the page's first render did.
        if "page_obj" in context:
            context["page_obj"].object_list = list(context["page_obj"].object_list)
        jinja_context = dict(context)
        for key, value in extra.items():
            jinja_context[key] = context["page_obj"].object_list if value == "page_obj.object_list" else value
        timings, outputs = {}, {}
        whole = get_template(template_name)
        request = context.pop("request")
        page_ms = _median_ms(lambda whole=whole, c=context, r=request: whole.render(c, r), args.requests)
        for engine_name, engine in django_engines.items():
            template = engine.from_string("{% load i18n %}" + fragment)
            outputs[engine_name] = template.render(Context(context, autoescape=True))
            timings[engine_name] = _median_ms(
                lambda template=template, context=context: template.render(Context(context, autoescape=True)),
                args.requests,
            )
        jinja = env.get_template(jinja_name)
        outputs["Jinja2"] = jinja.render(jinja_context)
        timings["Jinja2"] = _median_ms(lambda jinja=jinja, c=jinja_context: jinja.render(c), args.requests)
        django_out = outputs["Django, cached loader"]
        same = _bare(outputs["Jinja2"]) == _bare(django_out)
        if not same:
            a, b = _bare(django_out), _bare(outputs["Jinja2"])
            at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            print(
                f"  {name}: Jinja2's output differs at {at}: Django …{a[at - 60 : at + 60]}… Jinja2 …{b[at - 60 : at + 60]}…"
            )
        ratio = timings["Django, cached loader"] / timings["Jinja2"]
        print(
            f"{name:<26}{len(django_out.encode()):>9}{page_ms:>12.2f}"
            + "".join(f"{timings[e]:>26.2f}" for e in django_engines)
            + f"{timings['Jinja2']:>10.2f}{ratio:>7.1f}×"
            + ("" if same else "  (outputs differ)")
        )
    translation.deactivate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
