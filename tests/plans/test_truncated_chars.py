"""The rows' `truncated_chars` cuts a text exactly as Django's `truncatechars` (Truncator.chars)
does, in either language: combining marks not counted, the ellipsis counted, NFC first."""

from django.utils import translation
from django.utils.text import Truncator
from hypothesis import example, given
from hypothesis import strategies as st

from plans.templatetags.plan_extras import ellipsis_text, truncated_chars

# CJK and ASCII with combining marks (the acute, the dakuten; "e" and the acute NFC composes).
TEXT = st.text(alphabet=st.sampled_from(["督", "导", "a", "e", " ", "\u0301", "\u3099", "…", "<"]), max_size=30)


@given(text=TEXT, length=st.integers(min_value=-1, max_value=25), language=st.sampled_from(["zh-hans", "en"]))
@example(text="关于开展督导评估工作的通知", length=5, language="zh-hans")
@example(text="é" * 3 + "\u0301" * 4 + "督导督导", length=4, language="en")
def test_it_cuts_as_django_cuts(text, length, language):
    with translation.override(language):
        expected = Truncator(text).chars(length)
        assert truncated_chars(text, length) == expected
        assert truncated_chars(text, length, ellipsis_text()) == expected


def test_a_short_text_stays_whole_and_a_long_one_ends_in_the_ellipsis():
    with translation.override("zh-hans"):
        assert truncated_chars("督导评估", 4) == "督导评估"
        assert truncated_chars("督导评估工作", 4) == "督..."  # Django's Chinese ellipsis is three dots
