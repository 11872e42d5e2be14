"""Rows of the county's portal, of the county list and of the dashboards' short lists, written in Python.

A tag rather than an include a row: the busiest county's portal lists hundreds of
assignments, and as includes they were most of the page's time, each with its URL reversed and
its translations looked up anew."""

import rules
from django import template
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from plans.templatetags.plan_extras import (
    ellipsis_text,
    escape_text,
    paragraphs,
    render_kept,
    truncated_chars,
    url_parts,
    user_label,
)
from supervision.choices import labels_of
from tracking.models import Assignment, ProgressReport

register = template.Library()

# A stand-in id: the assignment page's URL is reversed once and each row's id put in its place.


@register.simple_tag(takes_context=True)
def assignment_items(context, assignments, *, show_plan=False) -> str:
    """The portal's assignments as <li> rows: due date and urgency, label (linked), occurrence,
    with `show_plan` the source, the state, and for a new one the form that acknowledges it."""
    # Worked out once a render: the portal by month calls this once a month listed.
    kept = render_kept(context).setdefault("assignment_items", {})
    if not kept:
        kept["url"] = url_parts("tracking:assignment_detail")
        kept["badges"] = {
            "overdue": f'<span class="badge badge--overdue">{escape_text(gettext("overdue"))}</span>',
            "soon": f'<span class="badge badge--soon">{escape_text(gettext("due soon"))}</span>',
            "done": f'<span class="badge badge--published">{escape_text(gettext("done"))}</span>',
        }
        kept["states"] = {value: escape_text(label) for value, label in labels_of(Assignment, "state").items()}
        kept["occurrence"] = gettext("time %(number)s of %(total)s")
        kept["kinds"] = {}
        kept["acknowledge"] = None
    before, after = kept["url"]
    badges, states, kind_labels, occurrence = kept["badges"], kept["states"], kept["kinds"], kept["occurrence"]
    acknowledge = kept["acknowledge"]
    out = []
    for assignment in assignments:
        due = assignment.due_date.isoformat()
        parts = [
            f'<li class="assignment assignment--{escape_text(assignment.urgency)}">\n'
            f'  <span class="assignment__due"><time datetime="{due}">{due}</time>\n'
            f"    {badges.get(assignment.urgency, '')}\n"
            "  </span>\n"
            f'  <a class="assignment__label" href="{before}{assignment.pk}{after}">{escape_text(assignment.label)}</a>\n'
            "  "
        ]
        if assignment.occurrence_count:
            text = occurrence % {
                "number": assignment.occurrence_number,
                "total": assignment.occurrence_count,
            }
            parts.append(f'<span class="assignment__occurrence">{escape_text(text)}</span>')
        if show_plan:
            kind = assignment.obligation_kind
            if kind.key not in kind_labels:
                kind_labels[kind.key] = f"{escape_text(kind.label)} · " if kind.badge else ""
            parts.append(
                f'\n  <span class="assignment__plan muted">{kind_labels[kind.key]}{escape_text(assignment.source_label)}</span>'
            )
        parts.append(f'\n  <span class="assignment__state">{states[assignment.state]}</span>\n  ')
        if assignment.state == "assigned":
            if acknowledge is None:
                acknowledge = kept["acknowledge"] = _acknowledge_form(context)
            parts += (acknowledge[0], str(assignment.pk), acknowledge[1])
        parts.append("\n</li>\n")
        out.append("".join(parts))
    return mark_safe("".join(out))


def _acknowledge_form(context) -> tuple[str, str]:
    """The form of one assignment's 签收: what comes before the assignment's id, and after."""
    token = context.get("csrf_token")
    csrf = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape_text(token)}">'
        if token and token != "NOTPROVIDED"
        else ""
    )
    request = context["request"]
    return (
        f'\n    <form method="post" action="{escape_text(reverse("tracking:assignment_acknowledge"))}"'
        ' class="inline-form">\n'
        f'      {csrf}<input type="hidden" name="assignment" value="',
        f'"><input type="hidden" name="next" value="{escape_text(request.get_full_path())}">\n'
        f'      <button type="submit" class="button button--small">{escape_text(gettext("Acknowledge"))}</button>\n'
        "    </form>\n  ",
    )


@register.simple_tag
def county_rows(counties, year) -> str:
    """The county list's rows of one city (tracking/county_list.html), with the counts of
    tracking.selectors.counties.county_pages: the markup the template's loop wrote, whose
    lookups, filters and URLs were a fifth of the page's CPU."""
    before, after = url_parts("tracking:county_detail")
    rows = []
    for county in counties:
        link = escape_text(f"{before}{county.pk}{after}")
        open_count = f" ({county.open_count})" if county.open_count else ""
        rows.append(
            "\n        <tr>\n"
            f'          <td><a href="{link}?year={year}">{escape_text(county.name)}</a></td>\n'
            f"          <td>{escape_text(county.get_kind_display())}</td>\n"
            f'          <td class="num">{county.plan_count}</td>\n'
            f'          <td class="num">{county.task_count}</td>\n'
            f'          <td class="num">{county.entry_count}</td>\n'
            f'          <td class="num">{county.assignment_count}{open_count}</td>\n'
            "        </tr>\n        "
        )
    return mark_safe("".join(rows))


@register.simple_tag
def dashboard_list_items(assignments) -> str:
    """A dashboard's short lists (overdue, not acknowledged, awaiting review) as <li> rows: due
    day, county, label (linked, cut at 40 characters). A tag rather than the include's loop,
    whose URL, filters and lookups were half of a plan dashboard's rendering."""
    before, after = url_parts("tracking:assignment_detail")
    ellipsis = ellipsis_text()
    return mark_safe(
        "".join(
            f'<li><span class="nowrap">{a.due_date.month:02d}-{a.due_date.day:02d}</span> '
            f'{escape_text(a.county.name)} · <a href="{escape_text(f"{before}{a.pk}{after}")}">'
            f"{escape_text(truncated_chars(a.label, 40, ellipsis))}</a></li>"
            for a in assignments
        )
    )


@register.simple_tag(takes_context=True)
def report_articles(context, reports, *, may_review=False) -> str:
    """An assignment's reports as <article>s, newest first: progress, time, author and review;
    the text's paragraphs, the evidence files, the reviewer's comment; for a report awaiting
    review, to `may_review` staff, the review form (tracking/_report_review.html, rendered for
    those only) or, to its author, that someone else reviews it. An assignment with many reports
    rendered them as template nodes in most of its page's time."""
    if not reports:
        return mark_safe(f'<p class="muted">{escape_text(gettext("No report yet."))}</p>')
    before, after = url_parts("tracking:evidence_download")
    progress = {value: escape_text(label) for value, label in ProgressReport.Progress.choices}
    review = {value: escape_text(label) for value, label in ProgressReport.Review.choices}
    user = context.get("user")
    review_form = None
    out = []
    for report in reports:
        created = timezone.localtime(report.created_at).strftime("%Y-%m-%d %H:%M")
        parts = [
            f'<article class="report report--{escape_text(report.review)}">\n'
            f'  <p class="report__head"><strong>{progress.get(report.progress, escape_text(report.progress))}</strong>'
            f" · {created} · {escape_text(user_label(report.author))}"
            f' · <span class="badge badge--{escape_text(report.review)}">{review.get(report.review, "")}</span></p>\n'
        ]
        parts += [f"  <p>{escape_text(paragraph)}</p>\n" for paragraph in paragraphs(report.text)]
        files = report.evidence.all()
        if files:
            items = "".join(
                f'<li><a href="{before}{file.pk}{after}">{escape_text(file.name)}</a>'
                f' <span class="muted">{escape_text(filesizeformat(file.size))}</span></li>'
                for file in files
            )
            parts.append(f'  <ul class="evidence">{items}</ul>\n')
        if report.review_comment:
            label = gettext("Comment by %(who)s:") % {"who": escape_text(user_label(report.reviewed_by))}
            parts.append(
                f'  <p class="report__review"><span class="label">{label}</span> {escape_text(report.review_comment)}</p>\n'
            )
        if may_review and report.review == ProgressReport.Review.PENDING:
            if rules.test_rule("review_report", user, report):
                if review_form is None:
                    review_form = context.template.engine.get_template("tracking/_report_review.html")
                with context.push(report=report):
                    parts.append(review_form.render(context))
            else:
                text = gettext("You sent this report: someone else of the issuing office reviews it.")
                parts.append(f'  <p class="muted">{escape_text(text)}</p>\n')
        parts.append("</article>\n")
        out.append("".join(parts))
    return mark_safe("".join(out))
