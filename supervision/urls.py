from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from plans.views import plans as plan_views
from supervision.forms import AdminLoginForm, LoginForm
from supervision.health import healthz

admin.site.login_form = AdminLoginForm
handler500 = "supervision.middleware.server_error"

urlpatterns = [
    path("", plan_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("plans.urls")),
]
