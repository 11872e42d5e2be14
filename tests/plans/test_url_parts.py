"""`url_parts`: a row's URL from the text around its id, reversed once a process for each
script prefix."""

from django.urls import clear_script_prefix, reverse, set_script_prefix

from plans.templatetags.plan_extras import url_parts


def test_the_parts_around_an_id_make_the_reversed_url():
    for name in ("plans:plan_detail", "inspections:rectification_detail", "inspections:school_detail"):
        before, after = url_parts(name)
        assert f"{before}42{after}" == reverse(name, args=[42])
        assert url_parts(name) == (before, after)


def test_under_another_script_prefix_the_parts_follow_it():
    plain = url_parts("plans:plan_detail")
    set_script_prefix("/supervision/")
    try:
        before, after = url_parts("plans:plan_detail")
        assert f"{before}7{after}" == reverse("plans:plan_detail", args=[7])
        assert before.startswith("/supervision/")
    finally:
        clear_script_prefix()
    assert url_parts("plans:plan_detail") == plain


def test_with_leading_arguments_the_id_is_the_last_of_them():
    # 987654321, the stand-in for the id, also inside a leading argument's digits.
    before, after = url_parts("tracking:office_reminder_send", 987654321, 2026)
    assert f"{before}5{after}" == reverse("tracking:office_reminder_send", args=[987654321, 2026, 5])
    before, after = url_parts("tracking:reminder_send", 12)
    assert f"{before}5{after}" == reverse("tracking:reminder_send", args=[12, 5])
