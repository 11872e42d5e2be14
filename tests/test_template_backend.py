"""The template backend (supervision.templates): Django's, with what a page was given freed as
soon as the page is written rather than when the garbage collector next runs."""

import gc
import weakref

import pytest
from django.template import engines
from django.urls import NoReverseMatch


class Row:
    def __str__(self):
        return "第1行"


@pytest.fixture
def no_collector():
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def test_a_pages_data_is_freed_once_it_is_written(rf, no_collector):
    row = Row()
    freed = weakref.ref(row)

    html = engines["django"].from_string("<p>{{ row }}</p>").render({"row": row}, rf.get("/plans/"))
    del row

    assert html == "<p>第1行</p>"
    # With Django's own backend a page's context (a request's) and its data wait in a
    # reference cycle for the collector.
    assert freed() is None


def test_the_data_is_freed_when_rendering_fails_too(rf, no_collector):
    row = Row()
    freed = weakref.ref(row)
    template = engines["django"].from_string("{{ row }}{% url 'no-such-page' %}")

    with pytest.raises(NoReverseMatch):
        template.render({"row": row}, rf.get("/plans/"))
    del row

    assert freed() is None


def test_a_page_is_rendered_as_django_renders_it(rf):
    request = rf.get("/plans/")
    html = (
        engines["django"]
        .from_string("{{ request.path }} {{ LANGUAGE_CODE }} {{ value|default:'无' }}")
        .render({"value": ""}, request)
    )

    assert html == "/plans/ zh-hans 无"
