from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.staticfiles import finders
from django.http import FileResponse
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from plans.views import plans as plan_views
from supervision.forms import AdminLoginForm, LoginForm
from supervision.health import healthz
from supervision.routing import by_first_segment


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the pages link: answered with the static icon
    itself (a redirect would send signed-out visitors somewhere other than the login page)."""
    return FileResponse(open(finders.find("favicon.svg"), "rb"), content_type="image/svg+xml")


admin.site.login_form = AdminLoginForm
handler400 = "supervision.middleware.bad_request"
handler500 = "supervision.middleware.server_error"

urlpatterns = [
    path("", plan_views.home, name="home"),
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include(by_first_segment("jobs.urls"))),
    path("", include(by_first_segment("plans.urls"))),
    path("", include(by_first_segment("tracking.urls"))),
    path("", include(by_first_segment("inspections.urls"))),
    path("", include(by_first_segment("evaluation.urls"))),
    path("", include(by_first_segment("bulletins.urls"))),
    path("", include(by_first_segment("notifications.urls"))),
    path("", include("api.urls")),
]
