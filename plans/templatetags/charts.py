"""Bar charts as SVG drawn on the server (no chart library, no script): what a dashboard's table
says, at a glance. The table beside it stays the accessible source of the figures."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

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

    def tone(index: int) -> str:
        return tones[index] if index < len(tones) else str(min(index, SERIES_CLASSES - 1))

    legend_height = (BAR + GAP) if legend else 0
    height = legend_height + len(rows) * (BAR + GAP) + PAD
    span = WIDTH - LABEL - 60
    parts = []
    if legend:
        x = LABEL
        for index, name in enumerate(legend):
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="10" height="10" class="bar bar--{}"/>'
                    '<text x="{}" y="{}" class="chart__label">{}</text>',
                    x,
                    4,
                    tone(index),
                    x + 14,
                    13,
                    name,
                )
            )
            x += 24 + 12 * len(name)
    for position, (name, values) in enumerate(rows):
        y = legend_height + position * (BAR + GAP)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="chart__label">{}</text>',
                LABEL - 6,
                y + BAR - 5,
                name[:14],
            )
        )
        x = float(LABEL)
        for index, value in enumerate(values):
            width = span * (value or 0) / largest
            if width > 0:
                title = f"{name} · {legend[index]}: {value}" if index < len(legend) else f"{name}: {value}"
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" class="bar bar--{}"><title>{}</title></rect>',
                        f"{x:.1f}",
                        y,
                        f"{width:.1f}",
                        BAR,
                        tone(index),
                        title,
                    )
                )
            x += width
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="chart__label">{}</text>',
                f"{x + 4:.1f}",
                y + BAR - 5,
                sum(v or 0 for v in values),
            )
        )
    return format_html(
        '<svg class="chart chart--bars" viewBox="0 0 {} {}" role="img" aria-label="{}">{}</svg>',
        WIDTH,
        height,
        label,
        format_html_join("", "{}", ((part,) for part in parts)),
    )
