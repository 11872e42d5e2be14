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
