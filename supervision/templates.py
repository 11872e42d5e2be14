"""Django's template backend, with what a page was given freed once the page is written.

A template's Context and the ContextDict holding the page's data refer to each other
(`Context.dicts`, `ContextDict.context`): a reference cycle, which reference counting cannot
free. So everything a view hands its template (a calendar's lines with their tasks, some 1,700
objects on the largest plan's calendar) outlived the request until the garbage collector
traced it, and those passes were most of the heaviest pages' 95th percentile (on that calendar
a collection of 2–6 ms every sixth request). Emptying the context after rendering breaks the
cycle: the page's objects go when the view is done with them, and the collector rarely runs.
"""

from django.template import TemplateDoesNotExist
from django.template.backends import django as backend


class Template(backend.Template):
    def render(self, context=None, request=None):
        context = backend.make_context(context, request, autoescape=self.backend.engine.autoescape)
        try:
            return self.template.render(context)
        except TemplateDoesNotExist as exc:
            backend.reraise(exc, self.backend)
        finally:
            context.dicts.clear()


class DjangoTemplates(backend.DjangoTemplates):
    """settings.TEMPLATES' backend: Django's, its templates rendered by `Template` above."""

    def from_string(self, template_code):
        return Template(self.engine.from_string(template_code), self)

    def get_template(self, template_name):
        try:
            return Template(self.engine.get_template(template_name), self)
        except TemplateDoesNotExist as exc:
            backend.reraise(exc, self)
