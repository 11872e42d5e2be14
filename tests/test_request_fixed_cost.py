"""What every request pays for before its page: the session, the signed-in user and the menu.
Each is read more cheaply than Django's defaults would (README, Performance: Throughput), with
the same answers: these tests hold the answers."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisation.auth import AuthenticationBackend
from organisation.models import Membership
from supervision.sessions import SessionStore
from tests.factories import CountyFactory, OfficeFactory, UserFactory, county_user_create, staff_user_create

pytestmark = pytest.mark.django_db


def nav(page: str) -> str:
    found = re.search(r'<nav class="site-nav".*?</nav>', page, re.S)
    return found.group(0) if found else ""


# --- The session ------------------------------------------------------------------------------


def test_a_session_reads_back_what_was_saved():
    session = SessionStore()
    session["answer"] = {"县": "测试区", "n": 42}
    session.save()

    assert SessionStore(session.session_key).load() == {"answer": {"县": "测试区", "n": 42}}


def test_an_expired_or_unknown_session_reads_empty_and_its_key_is_forgotten():
    session = SessionStore()
    session["answer"] = 42
    session.save()
    Session.objects.filter(pk=session.session_key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    for key in (session.session_key, "no-such-session-key-at-all", ""):
        store = SessionStore(key)
        assert store.load() == {}
        assert store.session_key is None


def test_a_session_signed_out_does_not_sign_in_again(client):
    user = staff_user_create()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    assert client.get(reverse("plans:plan_list")).status_code == 200

    client.post(reverse("logout"))
    client.cookies["sessionid"] = cookie  # the old cookie, kept by whoever copied it

    assert client.get(reverse("plans:plan_list")).status_code == 302


# --- The signed-in user -----------------------------------------------------------------------


def test_the_backend_reads_the_user_by_id_and_refuses_an_inactive_one():
    user = UserFactory(username="测试用户")
    backend = AuthenticationBackend()

    found = backend.get_user(user.pk)
    assert (found.pk, found.username, found.is_active) == (user.pk, "测试用户", True)
    assert found == get_user_model().objects.get(pk=user.pk)
    assert backend.get_user(str(user.pk)).pk == user.pk
    assert backend.get_user(user.pk + 1000) is None
    assert backend.get_user("x") is None

    user.is_active = False
    user.save()
    assert backend.get_user(user.pk) is None


def test_the_user_read_holds_every_field_as_the_orm_reads_it():
    user = UserFactory(username="测试用户", first_name="晓", is_staff=True)
    get_user_model().objects.filter(pk=user.pk).update(last_login=timezone.now())

    found = AuthenticationBackend().get_user(user.pk)
    expected = get_user_model().objects.get(pk=user.pk)

    # Values and their types: SQLite hands booleans and datetimes over as numbers and text.
    for field in get_user_model()._meta.concrete_fields:
        value, wanted = getattr(found, field.attname), getattr(expected, field.attname)
        assert (value, type(value)) == (wanted, type(wanted)), field.name
    assert timezone.is_aware(found.last_login)
    assert (found._state.adding, found._state.db) == (False, expected._state.db)
    found.first_name = "晓明"
    found.save(update_fields=["first_name"])
    assert get_user_model().objects.get(pk=user.pk).first_name == "晓明"


def test_a_user_deactivated_is_signed_out_at_their_next_request(client):
    user = staff_user_create()
    client.force_login(user)
    assert client.get(reverse("plans:plan_list")).status_code == 200

    get_user_model().objects.filter(pk=user.pk).update(is_active=False)

    assert client.get(reverse("plans:plan_list")).status_code == 302


# --- The menu ---------------------------------------------------------------------------------


def test_a_county_user_s_menu_marks_their_work_as_the_page_shown(client):
    client.force_login(county_user_create(county=CountyFactory()))

    menu = nav(client.get(reverse("tracking:portal")).content.decode())

    assert '<a href="/my/" aria-current="page">我的工作</a>' in menu
    assert '<a href="/plans/">工作要点</a>' in menu
    assert "待办" not in menu and "/admin/" not in menu


def test_staff_see_what_waits_for_them_and_an_administrator_the_admin(client):
    office = OfficeFactory()
    client.force_login(staff_user_create(office=office, role=Membership.Role.REVIEWER))

    menu = nav(client.get(reverse("plans:plan_list")).content.decode())

    assert '<a href="/plans/" aria-current="page">工作要点</a>' in menu
    assert '<a href="/inbox/">待办</a>' in menu  # nothing waits: no count
    assert "/my/" not in menu and "/admin/" not in menu

    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    menu = nav(client.get(reverse("plans:plan_list")).content.decode())
    assert '<a href="/admin/">后台管理</a>' in menu


def test_the_menu_speaks_the_reader_s_language(client):
    client.force_login(staff_user_create())
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    menu = nav(client.get(reverse("plans:plan_list")).content.decode())

    assert 'aria-label="Main"' in menu and '<a href="/plans/" aria-current="page">Plans</a>' in menu


def test_a_visitor_has_no_menu(client):
    assert nav(client.get(reverse("login")).content.decode()) == ""


def test_the_menu_asks_no_query_of_its_own(client):
    """Its 待办 count comes with the memberships every page reads (organisation.access)."""
    client.force_login(staff_user_create(role=Membership.Role.REVIEWER))
    client.get(reverse("jobs:job_list"))

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("jobs:job_list"))

    assert sum("organisation_membership" in query["sql"] for query in queries) == 1


def test_the_user_s_tools_name_them_link_their_pages_and_sign_out_with_the_page_s_token(client):
    user = staff_user_create()
    user.first_name, user.last_name = "<小", "明>"
    user.save()
    client.force_login(user)

    page = client.get(reverse("jobs:job_list")).content.decode()
    tools = re.search(r'<div class="site-tools">.*?</div>', page, re.S).group(0)

    assert '<span class="site-user">' in tools and "&lt;" in tools and "<小" not in tools
    assert '<a class="site-tools__link" href="/jobs/">我的任务</a>' in tools
    assert '<form class="inline-form" action="/accounts/logout/" method="post">' in tools
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', tools)
    assert len(tokens) == 2 and tokens[0] == tokens[1]
    assert '<option value="zh-hans" selected>简体中文</option>' in tools
    client.logout()
    assert "site-user" not in client.get(reverse("login")).content.decode()
