"""The events people are told of, and the default text of each (an administrator may replace
it: MessageTemplate). Templates name values in braces ({county}, {what}, {due}, {url}); only
these names are filled in, so an edited template can reach nothing else."""

import re
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    OBLIGATION_NEW = "obligation_new", _("New work assigned")
    DUE_SOON = "due_soon", _("Work due soon")
    OVERDUE = "overdue", _("Work overdue")
    REPORT_RETURNED = "report_returned", _("Report returned")
    REPORT_ACCEPTED = "report_accepted", _("Report accepted")
    PLAN_PUBLISHED = "plan_published", _("Plan published or revised")
    BULLETIN_ISSUED = "bulletin_issued", _("Bulletin naming the county")
    # Not chosen by anyone: many of one day's messages to one person folded into one.
    DIGEST = "digest", _("Daily digest")


# The events a person chooses among (the digest follows from the others).
CHOSEN = [event for event in Event if event != Event.DIGEST]
# The daily run's events, folded into a digest when one person would get many of them.
DAILY = {Event.OBLIGATION_NEW, Event.DUE_SOON, Event.OVERDUE}


@dataclass(frozen=True)
class Default:
    subject: str | Promise
    body: str | Promise


DEFAULTS = {
    Event.OBLIGATION_NEW: Default(
        _("[Supervision Planner] New work for {county}"),
        _("{county}: new work from {office}: {what}. Due {due}.\nOpen it: {url}"),
    ),
    Event.DUE_SOON: Default(
        _("[Supervision Planner] Due {due}: {what}"),
        _("{county}: {what} ({office}) is due {due}.\nOpen it: {url}"),
    ),
    Event.OVERDUE: Default(
        _("[Supervision Planner] Overdue: {what}"),
        _("{county}: {what} ({office}) was due {due} and is overdue.\nOpen it: {url}"),
    ),
    Event.REPORT_RETURNED: Default(
        _("[Supervision Planner] Report returned: {what}"),
        _("{office} returned the report of {county} on {what}: {comment}\nOpen it: {url}"),
    ),
    Event.REPORT_ACCEPTED: Default(
        _("[Supervision Planner] Report accepted: {what}"),
        _("{office} accepted the report of {county} on {what}.\nOpen it: {url}"),
    ),
    Event.PLAN_PUBLISHED: Default(
        _("[Supervision Planner] {office} published {what}"),
        _("{office} published {what}; it gives {county} work.\nOpen it: {url}"),
    ),
    Event.BULLETIN_ISSUED: Default(
        _("[Supervision Planner] {office} issued a bulletin naming {county}"),
        _("{office} issued {what}, which names {county}.\nOpen it: {url}"),
    ),
    Event.DIGEST: Default(
        _("[Supervision Planner] {count} notices for {county} today"),
        _("{county}: {count} notices today.\n{what}\nOpen your work: {url}"),
    ),
}

# The names a template may use.
PLACEHOLDERS = ("county", "office", "what", "due", "comment", "count", "url")
_NAME = re.compile(r"\{(\w+)\}")


def template_fill(text: str, values: dict[str, str]) -> str:
    """`text` with each known {name} replaced by its value; anything else left as written."""
    return _NAME.sub(lambda m: str(values[m[1]]) if m[1] in PLACEHOLDERS and m[1] in values else m[0], text)
