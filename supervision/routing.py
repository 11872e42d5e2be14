"""An area's URL patterns grouped under their first path segment, for resolving.

Django finds a request's view by trying the patterns one after the other. The areas are all
included at the site's root, so a path of the fourth area was tried against a hundred patterns
of the areas before it (40–170 µs of every request on a 2-vCPU server). `by_first_segment`
puts an area's "register/…" patterns in one group under "register/", its "inspections/…" in
another, and so on: a path is tried against the areas' few dozen prefixes and then against its
own group. The URLs, their names, the views they reach and what reverse() writes stay as they
were (tests/test_routing.py).

Patterns with different literal first segments never match the same path, so which group
comes first cannot change which pattern a path reaches, and within a group the order is the
module's. A module with any other pattern (one starting with a converter, a regex, a nested
include) is left as it is."""

import re
from importlib import import_module

from django.urls import include, path
from django.urls.resolvers import RoutePattern, URLPattern

_FIRST_SEGMENT = re.compile(r"([^<>/]+/)(.*)", re.DOTALL)


def _split(pattern) -> tuple[str, str] | None:
    if not isinstance(pattern, URLPattern) or not isinstance(pattern.pattern, RoutePattern):
        return None
    found = _FIRST_SEGMENT.fullmatch(pattern.pattern._route)
    return (found[1], found[2]) if found else None


def grouped(patterns: list) -> list:
    """`patterns` with those sharing a first segment in one include under it, each group where
    its first pattern was; unchanged if any pattern has no literal first segment."""
    splits = [_split(pattern) for pattern in patterns]
    if not patterns or None in splits:
        return list(patterns)
    members: dict[str, list] = {}
    for pattern, (segment, rest) in zip(patterns, splits, strict=True):
        members.setdefault(segment, []).append((pattern, rest))
    result = []
    for segment, group in members.items():
        if len(group) == 1:
            result.append(group[0][0])
            continue
        inner = [path(rest, p.callback, kwargs=p.default_args, name=p.name) for p, rest in group]
        result.append(path(segment, include(inner)))
    return result


def by_first_segment(module_name: str):
    """What include() takes for the URL module `module_name`, its patterns grouped."""
    module = import_module(module_name)
    return grouped(module.urlpatterns), module.app_name
