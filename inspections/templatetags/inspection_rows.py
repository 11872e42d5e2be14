"""Rows of the inspection work's long tables (the dashboard's, the 整改 list's, the school
register's), written in Python.

A tag rather than the template's loops: a city's zones and inspectors are hundreds of rows of
eight figures, and their lookups, filters and localisation were half of the page's CPU. The
markup is the loops' own, byte for byte."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from inspections.models import School
from plans.templatetags.plan_extras import ellipsis_text, truncated_chars, url_parts, user_label
from supervision.choices import display_of
from supervision.escaping import escape_text
from supervision.localtime import local_minute_text

register = template.Library()
# An id no row has: the detail URL reversed once, each row's id put in its place.

_ROW = "\n        <tr>"
_END = "</tr>\n        "


def _count(n: int) -> str:
    """A count as the template wrote it with `default:""`: nothing for none."""
    return f'<td class="num">{n or ""}</td>'


@register.simple_tag
def matrix_rows(rows, field: str) -> str:
    """The rows of a table by kind (inspections by month, findings by severity): the kind's
    label, its counts in `field` (empty when none) and their total."""
    return mark_safe(
        "".join(
            f'{_ROW}<th scope="row">{escape_text(row.label)}</th>'
            f"{''.join(_count(n) for n in getattr(row, field))}"
            f'<td class="num"><strong>{row.total}</strong></td>{_END}'
            for row in rows
        )
    )


def _coverage_cells(row) -> str:
    coverage = f"{row.coverage}%" if row.due else "—"
    return f'<td class="num">{row.due}</td><td class="num">{row.fulfilled}</td><td class="num">{coverage}</td>'


@register.simple_tag
def zone_rows(zones) -> str:
    """The visits by zone: zone, county, inspector, visits due and made, coverage, schools held
    and not visited this year (marked when any)."""
    rows = []
    for row in zones:
        never = " cell cell--open" if row.never_visited else ""
        rows.append(
            f"{_ROW}\n"
            f'          <th scope="row">{escape_text(row.name)}</th><td>{escape_text(row.county)}</td>'
            f"<td>{escape_text(row.inspector or '—')}</td>\n"
            f"          {_coverage_cells(row)}\n"
            f'          <td class="num">{row.schools}</td><td class="num{never}">{row.never_visited}</td>\n'
            f"        {_END}"
        )
    return mark_safe("".join(rows))


@register.simple_tag
def inspector_rows(inspectors) -> str:
    """The visits by inspector: inspector, county, zones, visits due and made, coverage,
    schools not visited this year."""
    return mark_safe(
        "".join(
            f"{_ROW}\n"
            f'          <th scope="row">{escape_text(row.name)}</th><td>{escape_text(row.county)}</td>'
            f'<td class="num">{row.zones}</td>\n'
            f"          {_coverage_cells(row)}\n"
            f'          <td class="num">{row.never_visited}</td>\n'
            f"        {_END}"
            for row in inspectors
        )
    )


# --- 整改 items --------------------------------------------------------------------------------


def _badge(kind: str, label) -> str:
    return f'<span class="badge badge--{escape_text(kind)}">{escape_text(label)}</span>'


def rectification_state_html(item) -> str:
    """An item's state as badges: closed, overdue by so many days, or its obligation's state;
    its escalation (约谈, 通报); confirmed on site, or that it needs a follow-up check."""
    obligation = item.obligation
    if item.is_closed:
        state = _badge("accepted", gettext("Closed (销号)"))
    elif item.is_overdue:
        days = item.days_overdue
        state = _badge("overdue", ngettext("overdue %(days)s day", "overdue %(days)s days", days) % {"days": days})
    elif obligation:
        state = _badge(obligation.state, obligation.get_state_display())
    else:
        state = ""
    if item.escalation:
        state += " " + _badge("escalation", item.get_escalation_display())
    if item.confirmed_by_id:
        state += " " + _badge("accepted", gettext("confirmed on site"))
    elif item.needs_follow_up:
        state += " " + _badge("muted", gettext("needs a follow-up check"))
    return state


@register.simple_tag
def rectification_state(item) -> str:
    return mark_safe(rectification_state_html(item))


@register.simple_tag
def rectification_rows(items, *, choosing=False) -> str:
    """The 整改 list's rows: (a box to choose an open item for a follow-up check), county and
    school, what is required with its source (an inspection, or a school visit and its day), the
    deadline and the state. Written here: fifty rows of filters, a URL and an include each were
    most of the list's CPU."""
    before, after = url_parts("inspections:rectification_detail")
    choose, visit = escape_text(gettext("Choose")), escape_text(gettext("School visit"))
    ellipsis = ellipsis_text()
    rows = []
    for item in items:
        finding, county = item.finding, escape_text(item.county.name)
        parts = [_OVERDUE_ROW if item.is_overdue else _ITEM_ROW]
        if choosing:
            box = ""
            if not item.is_closed:
                label = f"{choose} {county} {escape_text(truncated_chars(item.requirement, 20, ellipsis))}"
                box = f'<input type="checkbox" name="items" value="{item.pk}" aria-label="{label}">'
            parts.append(f"<td>{box}</td>")
        school = f'<br><span class="muted">{escape_text(finding.school.name)}</span>' if finding.school else ""
        if finding.inspection:
            source = escape_text(truncated_chars(finding.inspection.title, 30, ellipsis))
        else:
            source = f"{visit} {_day(finding.visit.visited_on if finding.visit else None)}"
        due = _day(item.obligation.due_date if item.obligation else None)
        parts.append(
            f"\n        <td>{county}{school}</td>\n"
            f'        <td><a href="{before}{item.pk}{after}">{escape_text(truncated_chars(item.requirement, 60, ellipsis))}</a>'
            f'<br><span class="muted">{source}</span></td>\n'
            f'        <td><time datetime="{due}">{due}</time></td>\n'
            f"        <td>{rectification_state_html(item)}</td>\n"
            "      </tr>\n      "
        )
        rows.append("".join(parts))
    return mark_safe("".join(rows))


_ITEM_ROW = "\n      <tr>\n        "
_OVERDUE_ROW = '\n      <tr class="row--overdue">\n        '


def _day(day) -> str:
    return day.strftime("%Y-%m-%d") if day else ""


@register.simple_tag
def school_rows(schools) -> str:
    """The school register's rows: the school (marked 中心校), its county, kind, ownership and
    status, and its present zone and 责任督学 (`open_assignments`, schools_shown's). Written here:
    the template's loop, six lookups and three choice labels a row, was over half of the page's
    CPU."""
    school_url = url_parts("inspections:school_detail")
    zone_url = url_parts("inspections:zone_detail")
    central = f' <span class="badge">{escape_text(gettext("central"))}</span>'
    nobody = f'<span class="badge badge--muted">{escape_text(gettext("none"))}</span>'
    kind, ownership, status = (display_of(School, name) for name in ("kind", "ownership", "status"))
    rows = []
    for school in schools:
        assignment = school.open_assignments[0] if school.open_assignments else None
        if assignment is not None:
            zone = f'<a href="{zone_url[0]}{assignment.zone_id}{zone_url[1]}">{escape_text(assignment.zone.name)}</a>'
        else:
            zone = "—"
        if assignment is not None and assignment.inspector is not None:
            inspector = escape_text(assignment.inspector.name)
        else:
            inspector = nobody if school.is_open else "—"
        rows.append(
            "\n      <tr>\n"
            f'        <td><a href="{school_url[0]}{school.pk}{school_url[1]}">{escape_text(school.name)}</a>'
            f"{central if school.is_central else ''}</td>\n"
            f"        <td>{escape_text(school.county.name)}</td>\n"
            f"        <td>{escape_text(kind(school))}</td>\n"
            f"        <td>{escape_text(ownership(school))}</td>\n"
            f"        <td>{escape_text(status(school))}</td>\n"
            "        \n"
            f"        <td>{zone}</td>\n"
            f"        <td>{inspector}</td>\n"
            "        \n"
            "      </tr>\n      "
        )
    return mark_safe("".join(rows))


@register.simple_tag
def finding_items(findings, *, unissued, may_issue=False, chosen=None) -> str:
    """An inspection's findings of one county (finding_list.html): a box to choose one whose 整改
    is not issued yet, severity, school or county, checklist item, text (linked), files, who
    recorded it when, and its 整改 item with state and deadline. `chosen`: the findings ticked in
    a form sent back. Written here: a dozen findings of includes, filters and URLs were most of
    the page's CPU."""
    before, after = url_parts("inspections:finding_detail")
    item_before, item_after = url_parts("inspections:rectification_detail")
    choose = escape_text(gettext("Choose"))
    not_issued = escape_text(gettext("整改 not issued"))
    item_word, due_word = escape_text(gettext("整改 item")), escape_text(gettext("due"))
    chosen = {str(value) for value in chosen or ()}
    ellipsis = ellipsis_text()
    out = []
    for finding in findings:
        parts = ['\n    <li class="finding-list__item">\n      ']
        if may_issue and finding.pk in unissued:
            checked = " checked" if str(finding.pk) in chosen else ""
            parts.append(
                '\n        <label class="finding-list__choose"><input type="checkbox" name="findings" '
                f'value="{finding.pk}"{checked}> <span class="visually-hidden">{choose}</span></label>\n      '
            )
        place = finding.school.name if finding.school else finding.county.name
        item = (
            f'<span class="muted">· {escape_text(truncated_chars(finding.item.title, 40, ellipsis))}</span>'
            if finding.item
            else ""
        )
        files = finding.files.all()
        count = (
            escape_text(ngettext("%(counter)s file", "%(counter)s files", len(files)) % {"counter": len(files)}) + " · "
            if files
            else ""
        )
        parts.append(
            '\n      <div>\n        <p class="finding-list__head">'
            f'<span class="badge badge--severity-{escape_text(finding.severity)}">'
            f"{escape_text(finding.get_severity_display())}</span>\n"
            f"\n          {escape_text(place)}\n          {item}</p>\n"
            f'        <p><a href="{before}{finding.pk}{after}">{escape_text(truncated_chars(finding.text, 120, ellipsis))}</a></p>\n'
            '        <p class="muted">\n'
            f"          {count}\n"
            f"          {local_minute_text(finding.created_at)} {escape_text(user_label(finding.created_by))}\n"
            "        </p>\n        "
        )
        if finding.pk in unissued:
            parts.append(f'\n          <p><span class="badge badge--muted">{not_issued}</span></p>\n        ')
        else:
            rectification = finding.rectification
            obligation = rectification.obligation
            due = f" · {due_word} {obligation.due_date.isoformat()}" if obligation else ""
            parts.append(
                f'\n          <p><a href="{item_before}{rectification.pk}{item_after}">{item_word}</a> '
                f"{rectification_state_html(rectification)}\n{due}</p>\n        "
            )
        parts.append("\n      </div>\n    </li>\n    ")
        out.append("".join(parts))
    return mark_safe("".join(out))


@register.simple_tag
def inspection_rows(inspections) -> str:
    """The inspection list's rows: title (linked), kind, organising office, days on site, the
    counties and the stage. Written here: the loop's lookups, date filters and the counties'
    managers a row were a fifth of the list's CPU."""
    before, after = url_parts("inspections:inspection_detail")
    rows = []
    for inspection in inspections:
        starts, ends = _day(inspection.starts_on), _day(inspection.ends_on)
        days = f'<time datetime="{starts}">{starts}</time>'
        if inspection.ends_on != inspection.starts_on:
            days += f' – <time datetime="{ends}">{ends}</time>'
        counties = "、".join(escape_text(county.name) for county in inspection.counties.all()) or "—"
        rows.append(
            "\n      <tr>\n"
            f'        <td><a href="{before}{inspection.pk}{after}">{escape_text(inspection.title)}</a></td>\n'
            f"        <td>{escape_text(inspection.get_kind_display())}</td>\n"
            f"        <td>{escape_text(inspection.office.name)}</td>\n"
            f"        <td>{days}</td>\n"
            f"        <td>{counties}</td>\n"
            f'        <td><span class="badge badge--{escape_text(inspection.status)}">'
            f"{escape_text(inspection.get_status_display())}</span></td>\n"
            "      </tr>\n      "
        )
    return mark_safe("".join(rows))


@register.simple_tag
def checklist_rows(checklist, columns: int) -> str:
    """An inspection's checklist (inspections.selectors.inspection_page) as its page's rows: a
    row for each section as it starts (across `columns`), then each item with what it asks and
    the answers of the counties shown (`answers_in_order`), their ratings' labels."""
    out = []
    section = previous = object()
    for item in checklist:
        section = item.section
        head = ""
        if section != previous and section:
            head = (
                f'<tr class="checklist-table__section"><th scope="rowgroup" colspan="{columns}">'
                f"{escape_text(section)}</th></tr>"
            )
        previous = section
        answers = []
        for answer in item.answers_in_order:
            if answer is None:
                answers.append('<td><span class="muted">—</span></td>')
                continue
            title = f' title="{escape_text(answer.text)}"' if answer.text else ""
            answers.append(
                f'<td><span class="badge rating--{escape_text(answer.rating)}"{title}>'
                f"{escape_text(answer.get_rating_display())}</span></td>"
            )
        out.append(
            f"\n        {head}\n        <tr>\n"
            f"          <td>{item.position}. {escape_text(item.title)}</td>\n"
            f"          <td>{linebreaksbr(item.guidance, autoescape=True)}</td>\n"
            f"          <td>{linebreaksbr(item.evidence, autoescape=True)}</td>\n"
            f"          {''.join(answers)}\n        </tr>\n        "
        )
    return mark_safe("".join(out))


@register.simple_tag
def office_options(offices, office) -> str:
    """The 整改 list's offices as <option>s, `office` selected: an administrator's list holds
    every office of the country (3,500 at national scale, 60 ms as the template's loop)."""
    chosen = office.pk
    return mark_safe(
        "".join(
            f'<option value="{choice.pk}"{" selected" if choice.pk == chosen else ""}>{escape_text(choice.name)}</option>'
            for choice in offices
        )
    )


@register.simple_tag
def visit_status(row, show_inspector=False) -> str:
    """A school's month of 挂牌督导 (visit_selectors' rows): its visits (linked, with the 督学
    when `show_inspector`), or overdue, due or not due, with the due day. A tag rather than an
    include a row: a zone's month lists some twenty schools. Ends with a newline, as the
    include's file did."""
    if row.status == "visited":
        before, after = url_parts("inspections:visit_detail")
        links = []
        for visit in row.visits:
            day = visit.visited_on
            by = f" · {escape_text(visit.inspector.name)}" if show_inspector else ""
            links.append(
                f'<a href="{before}{visit.pk}{after}"><time datetime="{_day(day)}">{_month_day(day)}</time>{by}</a>'
            )
        return mark_safe(
            f'<span class="badge badge--accepted">{escape_text(gettext("Visited"))}</span> ' + "、".join(links) + "\n"
        )
    if row.status in ("overdue", "due"):
        due = _month_day(row.obligation.due_date)
        if row.status == "overdue":
            badge, word, text = "overdue", gettext("Overdue"), gettext("was due by %(due)s")
        else:
            badge, word, text = "soon", gettext("Not yet visited"), gettext("due by %(due)s")
        return mark_safe(f'<span class="badge badge--{badge}">{escape_text(word)}</span> {text % {"due": due}}\n')
    markup = f'<span class="badge badge--muted">{escape_text(gettext("Not yet visited"))}</span>'
    if not row.obligation:
        markup += f' <span class="muted">{escape_text(gettext("no visit due this month"))}</span>'
    return mark_safe(markup + "\n")


def _month_day(day) -> str:
    """As the date filter writes "n月j日"."""
    return f"{day.month}月{day.day}日" if day else ""
