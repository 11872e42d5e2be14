"""Scores as the results pages write them: two decimals from the Decimal itself (never a float),
as the Excel's '0.00' shows them; a dash for no score."""

from decimal import Decimal

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.formats import get_format, localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from plans.templatetags.plan_extras import url_parts
from supervision.escaping import escape_lines, escape_text
from tracking.models import Assignment

register = template.Library()


@register.filter
def score(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):.2f}"


@register.filter
def signed(value) -> str:
    """A difference with its sign: +1.50, −2.00 (0.00 unsigned)."""
    if value is None:
        return "—"
    value = Decimal(value)
    if value == 0:
        return "0.00"
    return f"{value:+.2f}".replace("-", "−")


@register.simple_tag
def comparison_cells(row):
    """A comparison row's cells, one <td> each, written at once: a 15 × 60 table would otherwise
    cost 900 loops of tags and filters. Only formatted numbers go in, so nothing needs escaping."""
    cells = []
    for cell in row.cells:
        change = f' <span class="muted">({signed(cell.change)})</span>' if cell.change is not None else ""
        cells.append(f'<td class="num">{score(cell.score)}{change}</td>')
    return mark_safe("".join(cells))  # noqa: S308 - numbers only


@register.simple_tag
def sheet_rows(sheet, show_scores):
    """A participant's sheet as table rows, a heading or an item each, written at once: 80 rows
    of a dozen tags and filters each were most of the page's rendering (and format_html a row,
    half of it). Every text from the database goes through escape(); the county reads the
    inspectors' scores and reasons only when `show_scores`."""
    columns = 7 if show_scores else 3
    veto = f' <span class="badge badge--muted">{escape(gettext("veto"))}</span>'
    labels = [escape(gettext(label)) for label in ("Self-assessment:", "Initial:", "Review:", "Figure used:")]
    rows = []
    for row in sheet.rows:
        item, given = row.indicator, row.score
        if row.is_heading:
            rows.append(f'<tr><th scope="rowgroup" colspan="{columns}">{escape(item)}</th></tr>')
            continue
        head = [escape(item), veto if item.veto else ""]
        if given is not None:
            texts = [given.self_note]
            if show_scores:
                texts += [given.reason, given.review_reason, given.figure]
            head += [f'<p class="muted">{label} {escape(text)}</p>' for label, text in zip(labels, texts) if text]
            if show_scores and given.inspection_id is not None:
                url = reverse("inspections:inspection_detail", args=[given.inspection_id])
                head.append(f'<p class="muted"><a href="{url}">{escape(given.inspection.title)}</a></p>')
        cells = [score(item.points), score(given.self_score if given else None)]
        if show_scores:
            cells += [
                score(given.score if given else None),
                score(given.review_score if given else None),
                f"<strong>{score(given.final if given else None)}</strong>",
                signed(row.difference),
            ]
        numbers = "".join(f'<td class="num">{cell}</td>' for cell in cells)
        rows.append(f'<tr><th scope="row">{"".join(head)}</th>{numbers}</tr>')
    return mark_safe("\n".join(rows))  # noqa: S308 - texts escaped above, the rest numbers


@register.simple_tag
def ranking_rows(ranking, openable):
    """The ranking's rows, a participant each, written at once (as the sheet's): its name links
    to its sheet where the reader may open it (`openable`: participant ids)."""
    veto = f' <span class="badge badge--overdue">{escape(gettext("Veto item failed (一票否决)"))}</span>'
    rows = []
    for row in ranking.rows:
        p = row.participant
        name = escape(p)
        if p.pk in openable:
            name = f'<a href="{reverse("evaluation:participant_detail", args=[p.pk])}">{name}</a>'
        grade = escape(p.get_grade_display() or "—") + (veto if p.vetoed else "")
        cells = [
            f'<td class="num">{"—" if p.rank is None else p.rank}</td>',
            f"<td>{name}</td>",
            f'<td class="num">{score(p.self_total)}</td>',
            f'<td class="num">{score(p.total)}</td>',
            f'<td class="num">{signed(row.difference)}</td>',
            f"<td>{grade}</td>",
        ]
        if ranking.has_last_year:
            last = row.last
            cells.append(f'<td class="num">{score(last.total if last else None)}</td>')
            cells.append(f'<td class="num">{"—" if last is None or last.rank is None else last.rank}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("\n".join(rows))  # noqa: S308 - names escaped above, the rest numbers


def _or_dash(value) -> str:
    return "—" if value is None else escape_text(localize(value))


@register.simple_tag
def participant_rows(page, *, keeps=False) -> str:
    """The round page's participants, a <tr> each: who (with the county of a zone or a school),
    the self-assessment's obligation and items given, totals, items scored (and reviewed), grade,
    rank and the links to their sheets. Written at once: 64 rows of four URLs, translations and
    filters were most of the page's CPU."""
    assignment, self_assessment = url_parts("tracking:assignment_detail"), url_parts("evaluation:self_assessment")
    scoring, review = url_parts("evaluation:scoring"), url_parts("evaluation:review")
    labels = {
        "self": escape_text(pgettext("evaluation stage", "Self-assessment")),
        "scoring": escape_text(gettext("Initial scoring")),
        "review": escape_text(pgettext("evaluation stage", "Review")),
        "veto": escape_text(gettext("veto")),
    }
    states = {value: escape_text(label) for value, label in Assignment.State.choices}
    items = escape_text(localize(page.items))
    rows = []
    for row in page.rows:
        participant, pk = row.participant, row.participant.pk
        where = (
            f' <span class="muted">{escape_text(participant.county.name)}</span>'
            if participant.zone_id or participant.school_id
            else ""
        )
        owed = (
            f'<a href="{assignment[0]}{row.obligation.pk}{assignment[1]}">{states[row.obligation.state]}</a> · '
            if row.obligation
            else ""
        )
        reviewed = ""
        if row.reviewed:
            text = gettext("%(count)s reviewed") % {"count": localize(row.reviewed)}
            reviewed = f' <span class="muted">({escape_text(text)})</span>'
        grade = "—"
        if participant.grade:
            veto = f' <span class="badge badge--overdue">{labels["veto"]}</span>' if participant.vetoed else ""
            grade = f"{escape_text(participant.get_grade_display())}{veto}"
        links = f'<a href="{self_assessment[0]}{pk}{self_assessment[1]}">{labels["self"]}</a>'
        if keeps:
            links += (
                f' · <a href="{scoring[0]}{pk}{scoring[1]}">{labels["scoring"]}</a>'
                f' · <a href="{review[0]}{pk}{review[1]}">{labels["review"]}</a>'
            )
        rows.append(
            "\n        <tr>\n"
            f'          <th scope="row">{escape_text(str(participant))}{where}</th>\n'
            f'          <td class="text-links">{owed}{escape_text(localize(row.self_given))} / {items}</td>\n'
            f'          <td class="num">{_or_dash(participant.self_total)}</td>\n'
            f'          <td class="num">{escape_text(localize(row.scored))} / {items}{reviewed}</td>\n'
            f'          <td class="num">{_or_dash(participant.total)}</td>\n'
            f"          <td>{grade}</td>\n"
            f'          <td class="num">{_or_dash(participant.rank)}</td>\n'
            f'          <td class="text-links">{links}</td>\n'
            "        </tr>"
        )
    return mark_safe("".join(rows))


def local_numbers():
    """localize() for many numbers, the format read once: with numbers not grouped
    (USE_THOUSAND_SEPARATOR off), a Decimal is its digits with the language's decimal separator
    and an int its digits, which is what number_format writes for them after looking up the
    language and three formats on each call (a sixth of a score sheet's time)."""
    if settings.USE_THOUSAND_SEPARATOR:
        return localize
    separator = get_format("DECIMAL_SEPARATOR")

    def write(value) -> str:
        if type(value) is int:
            return str(value)
        if type(value) is Decimal:
            _sign, digits, exponent = value.as_tuple()
            # number_format writes the very long and the infinite its own way.
            if type(exponent) is int and abs(exponent) + len(digits) <= 200:
                return f"{value:f}".replace(".", separator)
        return localize(value)

    return write


def _field_cell(field, *, value: bool) -> str:
    """The opening of a scoring form's cell: the field's hidden label and its widget; a score's
    (`value`) cell also marks and shows its errors."""
    label = f'<label class="visually-hidden" for="{escape_text(field.id_for_label)}">{escape_text(field.label)}</label>'
    if not value:
        return f"<td>{label}{field}"
    errors = field.errors
    if not errors:
        return f'<td class="field">{label}{field}'
    return f'<td class="field field--error">{label}{field}<div class="field-errors" role="alert">{errors}</div>'


@register.simple_tag
def score_sheet_rows(lines, mode: str, may_edit: bool) -> str:
    """The rows of a participant's 自评, 初评 or 复核 sheet (`mode`: self, score, review): a
    heading or an item each, its rule, the scores of the stages before, and this stage's score
    and text, as fields when `may_edit`. Written at once: sixty items of a dozen tags, filters
    and translations each were four fifths of the page's time."""
    columns = 6 if mode == "review" else 4 if mode == "self" else 5
    words = {
        "veto": escape_text(gettext("veto item")),
        "figures": escape_text(gettext("Filled from the app's figures")),
        "self_title": escape_text(gettext("Initial score less the self-assessed one")),
        "self_label": escape_text(gettext("initial − self")),
        "review_title": escape_text(gettext("Reviewed score less the initial one")),
        "review_label": escape_text(gettext("final − initial")),
    }
    points_text, evidence_text = gettext("%(points)s points"), gettext("Evidence required: %(evidence)s")
    visited_text = gettext("Inspection visited: %(title)s")

    local = local_numbers()

    def number(value) -> str:
        return "—" if value is None else escape_text(local(value))

    def visited(score) -> str:
        if not score.inspection:
            return ""
        return f'<p class="muted">{visited_text % {"title": escape_text(score.inspection.title)}}</p>'

    rows = []
    for line in lines:
        item, score = line.indicator, line.score
        name = f"{escape_text(item.code)} {escape_text(item.title)}"
        if not line.scored:
            rows.append(
                f'<tr class="checklist-table__section"><th scope="rowgroup" colspan="{columns}">{name} '
                f'<span class="muted">{escape_text(local(item.points))}</span></th></tr>'
            )
            continue
        if not score:
            continue
        about = points_text % {"points": escape_text(local(item.points))}
        about += f" · {escape_text(item.get_method_display())}"
        if item.veto:
            about += f" · {words['veto']}"
        if item.source:
            about += f" · {escape_text(item.get_source_display())}"
        rule = f'<p class="muted">{escape_lines(item.rule)}</p>' if mode != "self" and item.rule else ""
        cells = [f'<td>{name} <span class="muted">{about}</span>{rule}</td>']
        if mode == "self":
            evidence = (
                f'<p class="muted">{evidence_text % {"evidence": escape_lines(item.evidence)}}</p>'
                if item.evidence
                else ""
            )
            cells.append(f"<td>{escape_lines(item.rule)}{evidence}</td>")
            if may_edit:
                cells.append(_field_cell(line.value_field, value=True) + "</td>")
                cells.append(_field_cell(line.text_field, value=False) + "</td>")
            else:
                cells.append(f'<td class="num">{number(score.self_score)}</td>')
                cells.append(f"<td>{escape_lines(score.self_note)}</td>")
        else:
            note = f'<p class="muted">{escape_lines(score.self_note)}</p>' if score.self_note else ""
            cells.append(f'<td><span class="num">{number(score.self_score)}</span>{note}</td>')
            if mode == "review":
                reason = f'<p class="muted">{escape_lines(score.reason)}</p>' if score.reason else ""
                cells.append(f'<td><span class="num">{number(score.score)}</span>{reason}{visited(score)}</td>')
            if may_edit:
                cells.append(_field_cell(line.value_field, value=True) + "</td>")
                text = _field_cell(line.text_field, value=False)
                if line.inspection_field:
                    field = line.inspection_field
                    text += f'<label for="{escape_text(field.id_for_label)}">{escape_text(field.label)}</label>{field}'
                if score.figure and mode == "score":
                    text += f'<p class="muted">{words["figures"]}</p>'
                cells.append(text + "</td>")
            elif mode == "review":
                cells.append(f'<td class="num">{number(score.review_score)}</td>')
                cells.append(f"<td>{escape_lines(score.review_reason)}</td>")
            else:
                cells.append(f'<td class="num">{number(score.score)}</td>')
                cells.append(f"<td>{escape_lines(score.reason)}{visited(score)}</td>")
            differences = []
            if line.self_difference is not None:
                large = " score-diff--large" if line.self_large else ""
                differences.append(
                    f'<span class="score-diff{large}" title="{words["self_title"]}">'
                    f"{words['self_label']} {escape_text(local(line.self_difference))}</span>"
                )
            if line.review_difference is not None:
                large = " score-diff--large" if line.review_large else ""
                differences.append(
                    f'<span class="score-diff{large}" title="{words["review_title"]}">'
                    f"{words['review_label']} {escape_text(local(line.review_difference))}</span>"
                )
            cells.append(f'<td class="num">{"<br>".join(differences)}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("\n".join(rows))  # noqa: S308 - texts escaped above, fields rendered by their widgets
