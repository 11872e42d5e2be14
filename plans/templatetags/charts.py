"""Bar charts as SVG drawn on the server (no chart library, no script): what a dashboard's table
says, at a glance. The table beside it stays the accessible source of the figures."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from supervision.escaping import escape_text

register = template.Library()

WIDTH, BAR, GAP, LABEL, PAD = 640, 18, 6, 150, 4
# Series beyond this share the last colour class.
SERIES_CLASSES = 5


@register.simple_tag
def bar_chart(rows, legend=(), label="", tones="") -> str:
    """Horizontal bars, one per (label, value) or (label, [values…]) of `rows`, the values of a
    row stacked in the order of `legend` (the series' names); `label` names the chart. `tones`
    gives each series its colour by meaning (space-separated: done, open, overdue, owed, urgent,
    serious, general, minor), else they take the palette's order."""
    rows = [(str(name), list(values) if isinstance(values, list | tuple) else [values]) for name, values in rows]
    largest = max((sum(v or 0 for v in values) for _name, values in rows), default=0)
    if not rows or not largest:
        return format_html('<p class="muted">{}</p>', gettext("Nothing to chart yet."))
    legend = [str(name) for name in legend]
    tones = str(tones).split()
    # Each series' class worked out once a chart, not once a bar (a city's zone chart has
    # hundreds); escape_text writes conditional_escape's text without its lazy wrappers.
    series = max((len(values) for _name, values in rows), default=0)
    classes = [
        escape_text(tones[index]) if index < len(tones) else str(min(index, SERIES_CLASSES - 1))
        for index in range(max(series, len(legend)))
    ]

    legend_height = (BAR + GAP) if legend else 0
    height = legend_height + len(rows) * (BAR + GAP) + PAD
    span = WIDTH - LABEL - 60
    # Built by f-strings, only the text escaped: format_html on every number of every bar took
    # a third of a dashboard's rendering.
    parts = []
    if legend:
        x = LABEL
        for index, name in enumerate(legend):
            parts.append(
                f'<rect x="{x}" y="4" width="10" height="10" class="bar bar--{classes[index]}"/>'
                f'<text x="{x + 14}" y="13" class="chart__label">{conditional_escape(name)}</text>'
            )
            x += 24 + 12 * len(name)
    for position, (name, values) in enumerate(rows):
        y = legend_height + position * (BAR + GAP)
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + BAR - 5}" text-anchor="end" class="chart__label">'
            f"{escape_text(name[:14])}</text>"
        )
        x = float(LABEL)
        for index, value in enumerate(values):
            width = span * (value or 0) / largest
            if width > 0:
                title = f"{name} · {legend[index]}: {value}" if index < len(legend) else f"{name}: {value}"
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR}" class="bar bar--{classes[index]}">'
                    f"<title>{escape_text(title)}</title></rect>"
                )
            x += width
        total = sum(v or 0 for v in values)
        parts.append(f'<text x="{x + 4:.1f}" y="{y + BAR - 5}" class="chart__label">{total}</text>')
    # Every text above is escaped.
    return mark_safe(
        f'<svg class="chart chart--bars" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{conditional_escape(label)}">{"".join(parts)}</svg>'
    )
