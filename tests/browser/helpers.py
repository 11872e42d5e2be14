"""Steps every browser test takes."""

from tests.factories import PASSWORD


def sign_in(page, live_server, username: str) -> None:
    """Sign in through the login form and wait until the site has let the user in."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
