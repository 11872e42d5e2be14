"""A user makes an API token in the browser, copies it from the one page that shows it, and
revokes it; the page passes axe with the secret shown."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from api.models import ApiToken
from api.tokens import secret_hash
from tests.browser.helpers import sign_in
from tests.browser.test_accessibility import _violations
from tests.factories import UserFactory, staff_user_create


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_token_is_made_shown_once_and_revoked(live_server, page):
    user = staff_user_create(user=UserFactory(username="token-maker"))
    sign_in(page, live_server, "token-maker")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="API 令牌").click()
    page.fill("input[name=name]", "省平台对接")
    page.select_option("select[name=scope]", "read_write")
    page.get_by_role("button", name="生成", exact=True).click()

    secret = page.input_value("#token-secret")
    token = ApiToken.objects.get(user=user)
    assert secret_hash(secret) == token.key_hash and token.scope == ApiToken.Scope.READ_WRITE
    found = _violations(page, Axe())
    assert found == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in found]

    page.goto(f"{live_server.url}/accounts/tokens/")
    assert secret not in page.content()
    page.get_by_role("button", name="吊销“省平台对接”").click()
    page.wait_for_selector("text=已吊销")
    token.refresh_from_db()
    assert token.revoked_at is not None
