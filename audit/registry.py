"""The action types an ActionLog may carry, each with the text people read for it.

An app registers its own types where it defines them (``plans.actions``); this module knows no
app's verbs, so the audit app stays below every app that logs.
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class ActionType:
    # Dotted: app.object.verb ("plans.plan.published", "tracking.report.accepted").
    name: str
    label: str | Promise

    def __str__(self) -> str:
        return self.name


_registry: dict[str, ActionType] = {}


def action_type_register(name: str, label) -> ActionType:
    """Declare an action type; registering one name twice with another label is a mistake."""
    known = _registry.get(name)
    if known is not None and known.label != label:
        raise ValueError(f"action type {name!r} is already registered")
    _registry[name] = known or ActionType(name, label)
    return _registry[name]


def action_type_get(name: str) -> ActionType | None:
    return _registry.get(name)


def action_types() -> dict[str, ActionType]:
    return dict(_registry)
