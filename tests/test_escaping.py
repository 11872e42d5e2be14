"""The row tags' escaping (supervision.escaping) writes what Django's escaping writes."""

import datetime

from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from supervision.escaping import escape_lines, escape_text


@given(st.text(alphabet=st.sampled_from("ab督导 &<>\"'=;#\n")) | st.text())
def test_any_text_is_escaped_as_django_escapes_it(text):
    assert escape_text(text) == conditional_escape(text)


def test_safe_text_lazy_text_and_other_values():
    assert escape_text(mark_safe("<b>已签收</b>")) == "<b>已签收</b>"
    assert escape_text(gettext_lazy("Tasks & <lines>")) == "Tasks &amp; &lt;lines&gt;"
    assert escape_text(12) == "12"
    assert escape_text(datetime.date(2026, 3, 2)) == "2026-03-02"
    assert escape_text("id_tasks-0-title") == "id_tasks-0-title"


@given(st.text(alphabet=st.sampled_from(["督", "a", " ", "&", "<", ">", '"', "'", "\n", "\r"])) | st.text())
def test_any_text_breaks_into_lines_as_linebreaksbr_writes_it(text):
    assert escape_lines(text) == linebreaksbr(text, autoescape=True)
