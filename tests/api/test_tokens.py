"""Personal API tokens: made on the user's page (the secret shown once, only its hash kept),
with an expiry and a scope; revoked; refused once expired, revoked or unknown; throttled."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from api import actions
from api.models import ApiToken
from api.tokens import api_token_create, api_token_revoke, secret_hash
from audit.models import ActionLog
from tests.api.helpers import ApiClient, token_make
from tests.factories import CountyFactory, UserFactory, staff_user_create, work_plan_build

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_as_the_hash_of_its_secret():
    user = staff_user_create()
    made = api_token_create(
        user=user, name="统计脚本", scope=ApiToken.Scope.READ, expires_at=timezone.now() + datetime.timedelta(days=30)
    )
    token = ApiToken.objects.get(pk=made.token.pk)
    assert made.secret.startswith("sv_") and len(made.secret) == 46
    assert token.key_hash == secret_hash(made.secret)
    assert made.secret not in {token.key_hash, token.prefix, token.name}
    assert made.secret.startswith(token.prefix)
    assert ActionLog.objects.filter(action_type=actions.TOKEN_CREATED.name, object_id=token.pk, user=user).exists()


def test_a_token_expires_in_the_future_and_within_a_year():
    user = staff_user_create()
    for days in (-1, 400):
        with pytest.raises(ValidationError):
            api_token_create(
                user=user, name="x", scope="read", expires_at=timezone.now() + datetime.timedelta(days=days)
            )
    assert not ApiToken.objects.exists()


def test_the_token_page_shows_the_secret_once_and_keeps_its_hash(client):
    user = staff_user_create()
    client.force_login(user)
    url = reverse("api:token_list")
    assert "生成令牌" in client.get(url).content.decode()

    html = client.post(url, {"name": "数据对接", "scope": "read_write", "lifetime": 90}).content.decode()
    token = ApiToken.objects.get(user=user)
    secret = next(word for word in html.replace('"', " ").split() if word.startswith("sv_") and len(word) == 46)
    assert secret_hash(secret) == token.key_hash and token.scope == ApiToken.Scope.READ_WRITE
    assert "只显示这一次" in html
    assert (token.expires_at - timezone.now()).days in (89, 90)
    # The next visit lists it by its first characters, never the secret.
    again = client.get(url).content.decode()
    assert "数据对接" in again and token.prefix in again and secret not in again


def test_the_token_page_refuses_a_token_without_a_name(client):
    client.force_login(staff_user_create())
    response = client.post(reverse("api:token_list"), {"name": "", "scope": "read", "lifetime": 90})
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_a_revoked_token_opens_nothing_any_more(client):
    user = staff_user_create()
    secret = token_make(user)
    api = ApiClient(secret)
    assert api.get("/api/plans/").status_code == 200

    client.force_login(user)
    token = ApiToken.objects.get(user=user)
    client.post(reverse("api:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get("/api/plans/").status_code == 401
    assert ActionLog.objects.filter(action_type=actions.TOKEN_REVOKED.name, object_id=token.pk).count() == 1
    assert "已吊销" in client.get(reverse("api:token_list")).content.decode()
    with pytest.raises(ValidationError):
        api_token_revoke(token=token, acting_user=user)


def test_nobody_revokes_another_users_token(client):
    token = ApiToken.objects.get(
        pk=api_token_create(
            user=staff_user_create(), name="x", scope="read", expires_at=timezone.now() + datetime.timedelta(days=1)
        ).token.pk
    )
    client.force_login(staff_user_create())
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_expired_an_unknown_or_an_inactive_users_token_is_refused():
    user = staff_user_create()
    expired = token_make(user)
    ApiToken.objects.filter(user=user).update(
        created_at=timezone.now() - datetime.timedelta(days=2),
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    assert ApiClient(expired).get("/api/plans/").status_code == 401
    assert ApiClient("sv_" + "x" * 43).get("/api/plans/").status_code == 401
    assert ApiClient("Token abc").get("/api/plans/").status_code == 401

    inactive = UserFactory(is_active=False)
    assert ApiClient(token_make(inactive)).get("/api/plans/").status_code == 401
    # Without a token or a session: nothing.
    assert ApiClient().get("/api/plans/").status_code in (401, 403)


def test_a_read_token_is_refused_on_writes():
    county = CountyFactory()
    user = staff_user_create()
    work_plan_build(tasks=1, counties=[county])
    response = ApiClient(token_make(user)).post("/api/obligations/1/reports/", {"progress": "done", "text": "x"})
    assert response.status_code == 403
    assert "只读" in response.json()["detail"]


def test_a_tokens_last_use_is_kept():
    user = staff_user_create()
    secret = token_make(user)
    assert ApiToken.objects.get(user=user).last_used_at is None
    ApiClient(secret).get("/api/plans/")
    assert ApiToken.objects.get(user=user).last_used_at is not None


def test_requests_beyond_a_tokens_rate_answer_429(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/minute"}}
    user = staff_user_create()
    first, second = ApiClient(token_make(user)), ApiClient(token_make(user))

    assert [first.get("/api/plans/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "Retry-After" in first.get("/api/plans/").headers
    # Per token: the user's other token has its own count.
    assert second.get("/api/plans/").status_code == 200


def test_an_administrator_revokes_a_token_in_the_admin(client):
    owner = staff_user_create()
    secret = token_make(owner)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    token = ApiToken.objects.get(user=owner)
    assert secret not in client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()

    client.post("/admin/api/apitoken/", {"action": "revoke_tokens", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ActionLog.objects.get(action_type=actions.TOKEN_REVOKED.name, object_id=token.pk).user == admin
    assert ApiClient(secret).get("/api/plans/").status_code == 401
