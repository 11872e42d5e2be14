"""Request-level behaviour: one structured log line per request, and a 503 "try again" while
the database is unreachable."""

import logging
import re
import time

from django.contrib.auth.signals import user_logged_in

from supervision.proxy import client_ip

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
                "ip": client_ip(request),
            },
        )
        return response


class HealthCheckMiddleware:
    """Answers /healthz before anything checks the Host: the container's health check asks
    127.0.0.1, which ALLOWED_HOSTS rightly refuses for pages. The answer is a status, with no
    page, cookie or session, so whatever Host it was asked for does no harm."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from supervision.health import healthz

        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)


def database_unavailable(request, exception):
    """The 503 "try again" while the database is unreachable (a restart, a failover), logged as
    a warning rather than as an error mailed to ADMINS; None for any other exception.
    Connections come back by themselves (CONN_HEALTH_CHECKS) once the database does."""
    from django.db import InterfaceError, OperationalError
    from django.http import HttpResponse
    from django.template.loader import render_to_string

    if not isinstance(exception, (OperationalError, InterfaceError)):
        return None
    logging.getLogger("supervision.database").warning(
        "database unavailable", extra={"path": request.path, "error": str(exception)[:200]}
    )
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "5"
    return response


class DatabaseUnavailableMiddleware:
    """A view that loses the database answers 503 (database_unavailable)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return database_unavailable(request, exception)


def server_error(request):
    """handler500. Django turns an exception into a response at every middleware's boundary, and
    process_exception only sees the view's: a middleware that reads the session (the idle
    timeout, the user, messages) or saves it would answer 500 when the database is away. Every
    exception not otherwise answered ends here, so the 503 covers them all."""
    import sys

    from django.views.defaults import server_error as plain_server_error

    return database_unavailable(request, sys.exc_info()[1]) or plain_server_error(request)


def bad_request(request, exception):
    """handler400. Requests Django refuses before any view (too many files or fields, too much
    form data) say which bound was passed; anything else is the plain "could not be read"."""
    from django.conf import settings
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
    from django.http import HttpResponseBadRequest
    from django.template.defaultfilters import filesizeformat
    from django.template.loader import render_to_string
    from django.utils.translation import gettext as _

    reason = None
    if isinstance(exception, TooManyFilesSent):
        reason = _(
            "More than %(count)d files were sent at once. Go back and choose fewer, or put them in one .zip."
        ) % {"count": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
    elif isinstance(exception, TooManyFieldsSent):
        reason = _("The form sent more than %(count)d fields at once. Go back and send it in parts.") % {
            "count": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    elif isinstance(exception, RequestDataTooBig):
        reason = _("The form sent more than %(limit)s of text at once. Go back and send less.") % {
            "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
    return HttpResponseBadRequest(render_to_string("400.html", {"reason": reason}))


class NullCharacterMiddleware:
    """A NUL character in a query parameter's name or value is refused with 400: no page sends
    one, PostgreSQL cannot compare text that holds one (a server error), and not every parameter
    Django's own views read (the admin's filters and add forms) goes through a form. Posted
    fields do: every form's CharField refuses a NUL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseBadRequest
        from django.template.loader import render_to_string

        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return HttpResponseBadRequest(render_to_string("400.html"))
        return self.get_response(request)


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
