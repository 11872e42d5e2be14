"""Request-level behaviour: one structured log line per request, and a 503 "try again" while
the database is unreachable."""
import logging
import re
import time

from django.contrib.auth.signals import user_logged_in

logger = logging.getLogger("supervision.requests")
# A calendar feed's address carries its owner's secret: it is not written to the logs.
_SECRET_IN_PATH = re.compile(r"^/feeds/[^/]+/")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        # Only a user the request already loaded: reading it here could query a database that
        # is just then unreachable (and turn a 503 into a 500).
        user = getattr(request, "_cached_user", None)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": _SECRET_IN_PATH.sub("/feeds/…/", request.path),
                "status": response.status_code,
                "ms": round((time.perf_counter() - start) * 1000, 1),
                "user": user.pk if user is not None and user.is_authenticated else None,
                "ip": request.META.get("REMOTE_ADDR"),
            },
        )
        return response


class DatabaseUnavailableMiddleware:
    """While the database is unreachable (a restart, a failover), answer 503 with a page that
    says to try again shortly, instead of a 500 — and log it as such. Connections come back by
    themselves (CONN_HEALTH_CHECKS) once the database does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError
        from django.template.loader import render_to_string

        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logging.getLogger("supervision.database").warning(
            "database unavailable", extra={"path": request.path, "error": str(exception)[:200]}
        )
        from django.http import HttpResponse

        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        return response


class IdleSessionTimeoutMiddleware:
    """Sign out a session that has been idle longer than SESSION_IDLE_SECONDS.

    The last activity is written to the session at most once a minute, not on every request
    (a database write per request would cost every page)."""

    KEY = "_last_activity"
    WRITE_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.contrib import messages
        from django.contrib.auth import logout
        from django.utils.translation import gettext as _

        user = getattr(request, "user", None)
        if user is not None and getattr(request, "session", None) is not None and request.session.get("_auth_user_id"):
            now = int(time.time())
            last = request.session.get(self.KEY)
            if last is not None and now - last > settings.SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(request, _("You were signed out after a long time without activity."))
            elif last is None or now - last >= self.WRITE_EVERY:
                request.session[self.KEY] = now
        return self.get_response(request)


def _activity_on_login(sender, request, user, **kwargs):
    # Counted from the login, so the first pages after it write nothing to the session.
    if getattr(request, "session", None) is not None:
        request.session[IdleSessionTimeoutMiddleware.KEY] = int(time.time())


user_logged_in.connect(_activity_on_login, dispatch_uid="supervision.idle_session_on_login")
