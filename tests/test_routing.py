"""The areas' URL patterns grouped by first segment (supervision.routing) resolve and reverse
exactly as the modules wrote them, and a path is tried against far fewer patterns."""

import re
import sys
import types
import uuid

import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, include, path, resolve, reverse
from django.urls.converters import get_converters
from django.urls.resolvers import RoutePattern

from supervision import urls as site_urls
from supervision.routing import grouped

SAMPLES = {"int": "7", "slug": "x-y", "str": "abc", "path": "a/b", "uuid": str(uuid.UUID(int=5))}


def _sample(match) -> str:
    kind = match[1] or "str"
    # A converter of a few words (plans.urls): the last of them.
    return SAMPLES.get(kind) or get_converters()[kind].regex.split("|")[-1]


def _routes(patterns, prefix="", namespaces=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern.pattern, RoutePattern):
            yield prefix + str(pattern.pattern), ":".join((*namespaces, pattern.name)) if pattern.name else None


def _answers(urlconf) -> dict:
    """Per route of `urlconf`: a path it describes, what resolving that path gives (view,
    arguments, name, namespaces, route) and what reversing it writes back."""
    answers = {}
    for route, name in _routes(get_resolver(urlconf).url_patterns):
        sample = "/" + re.sub(r"<(?:(\w+):)?\w+>", _sample, route)
        match = resolve(sample, urlconf)
        view = f"{match.func.__module__}.{getattr(match.func, '__qualname__', type(match.func).__name__)}"
        back = reverse(name, kwargs=match.kwargs, urlconf=urlconf) if name else None
        answers[(route, name)] = (sample, view, match.kwargs, match.url_name, match.namespaces, match.route, back)
    return answers


@pytest.fixture
def flat_urlconf():
    """The site's URLconf with every area included as its module wrote it."""
    module = types.ModuleType("tests_flat_urls")
    module.urlpatterns = []
    for pattern in site_urls.urlpatterns:
        if isinstance(pattern, URLResolver) and pattern.namespace and not str(pattern.pattern):
            pattern = path("", include(f"{pattern.namespace}.urls"))
        module.urlpatterns.append(pattern)
    sys.modules[module.__name__] = module
    yield module.__name__
    del sys.modules[module.__name__]


def test_every_route_resolves_and_reverses_as_the_area_modules_wrote_it(flat_urlconf):
    flat = _answers(flat_urlconf)
    site = _answers(site_urls.__name__)
    assert len(site) > 200
    assert site.keys() == flat.keys()
    assert [key for key in flat if site[key] != flat[key]] == []
    # Every route's path reaches that route's own name (none hidden behind an earlier one).
    assert all(answer[3] == name.rpartition(":")[2] for (_, name), answer in site.items() if name)


def _tried(urlconf) -> int:
    with pytest.raises(Resolver404) as refused:
        resolve("/nowhere/at/all/", urlconf)
    return len(refused.value.args[0]["tried"])


def test_a_path_is_tried_against_the_groups_not_every_pattern(flat_urlconf):
    flat, site = _tried(flat_urlconf), _tried(site_urls.__name__)
    # 157 patterns against 42 (the admin's and the API's are tried as they were).
    assert flat > 150 and site < 50


def _view(request):
    raise AssertionError


def test_patterns_are_grouped_by_their_first_segment_in_their_order():
    patterns = [
        path("schools/", _view, name="a"),
        path("visits/<int:pk>/", _view, name="b"),
        path("schools/<int:pk>/", _view, name="c"),
        path("my/", _view, name="d"),
    ]
    result = grouped(patterns)
    assert [str(p.pattern) for p in result] == ["schools/", "visits/<int:pk>/", "my/"]
    assert [(str(p.pattern), p.name) for p in result[0].url_patterns] == [("", "a"), ("<int:pk>/", "c")]
    assert result[1] is patterns[1] and result[2] is patterns[3]


@pytest.mark.parametrize("odd", ["<int:pk>/", "", "plain"])
def test_a_module_with_a_pattern_of_no_literal_first_segment_is_left_as_it_is(odd):
    patterns = [path("schools/", _view), path("schools/new/", _view), path(odd, _view)]
    assert grouped(patterns) == patterns
    assert all(isinstance(p, URLPattern) for p in grouped(patterns))
