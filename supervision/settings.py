"""Settings for 督导工作台, read from the environment (django-environ)."""

import datetime
import warnings
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")

# A development key is only acceptable while DEBUG is on; production must bring its own.
_DEV_SECRET_KEY = "django-insecure-dev-only-key-supervision-planner"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The areas, each depending only on those above it (README, Layout).
    "organisation",
    "audit",
    "jobs",
    "plans",
    "tracking",
    "inspections",
    "evaluation",
    "bulletins",
    "notifications",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy: scripts and styles from our own files only (no inline code).
    "csp.middleware.CSPMiddleware",
    # Static files from STATIC_ROOT without a separate web server (gzip/brotli, cache headers).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # One structured log line per request.
    "supervision.middleware.RequestLogMiddleware",
    # /healthz answers whatever the Host: before CommonMiddleware checks it against ALLOWED_HOSTS.
    "supervision.middleware.HealthCheckMiddleware",
    # A database restart answers 503 "try again" rather than 500: a view's error here, a
    # middleware's in handler500 (supervision.middleware.server_error). Everything below that
    # reads the database (sessions, the user, messages, the idle timeout, axes) sits inside it.
    "supervision.middleware.DatabaseUnavailableMiddleware",
    # A NUL in a query parameter is refused (400) before anything queries with it.
    "supervision.middleware.NullCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Attributes history records of writes made in a request to the signed-in user.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Signs out a session left idle (SESSION_IDLE_SECONDS).
    "supervision.middleware.IdleSessionTimeoutMiddleware",
    # Login throttling (django-axes); last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses a login while the username is locked out at that address (django-axes).
    "axes.backends.AxesStandaloneBackend",
    # Object permissions (plans.permissions); active superusers pass every check (User.has_perm).
    "rules.permissions.ObjectPermissionBackend",
    "organisation.auth.AuthenticationBackend",
]

ROOT_URLCONF = "supervision.urls"

TEMPLATES = [
    {
        # Django's, with a page's data freed once it is written (supervision.templates).
        "BACKEND": "supervision.templates.DjangoTemplates",
        "NAME": "django",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Django's template renderer, with the common widgets written in Python (supervision.widgets).
FORM_RENDERER = "supervision.widgets.WidgetRenderer"

WSGI_APPLICATION = "supervision.wsgi.application"
ASGI_APPLICATION = "supervision.asgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets the dev server read while an import writes.
    options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    # A write transaction takes the lock when it begins, so two writers wait in turn (up to the
    # timeout) instead of one failing half-way with "database is locked".
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault("timeout", 20)
else:
    # Ten minutes: a connection plans each statement on its first ten runs (below), so one
    # closed every minute left a quiet site's requests planning most of their queries.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=600))
    # A pooled connection is checked before use: after a database restart the first request
    # gets a fresh connection instead of an error.
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
    # PostgreSQL compiles a query whose estimated cost passes jit_above_cost: on the dashboards'
    # counts over national data (a few thousand rows each) compiling took longer than running
    # (40 of 57 ms). The pages' queries are short; none gains from it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    # Parameters bound by the server, and a statement run a few times on a connection prepared:
    # PostgreSQL then plans a page's fixed-shape queries once a connection, not on every request
    # (its CPU under the load script halved). A transaction-mode pooler without prepared-statement
    # support (PgBouncer < 1.21, or max_prepared_statements unset) needs
    # DATABASE_PREPARED_STATEMENTS=0.
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
        DATABASES["default"]["OPTIONS"].setdefault(
            "prepare_threshold", env.int("DATABASE_PREPARE_THRESHOLD", default=5)
        )
# Statements a connection keeps prepared (supervision.connections; psycopg's own is 100, fewer
# than the pages run). About 80 KB of the server's memory each once planned.
DATABASE_PREPARED_MAX = env.int("DATABASE_PREPARED_MAX", default=500)

# Hot reads compiled once a process (supervision.prepared): with this on, each call is also
# compiled the ORM's way and must match (on under DEBUG and in the tests).
PREPARED_QUERIES_VERIFY = env.bool("PREPARED_QUERIES_VERIFY", default=DEBUG)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Uploaded notices are read in memory; a work-points document is tens of kilobytes.
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_UPLOAD_BYTES + 1024 * 1024
# A batch import (an office's archive, as files or one .zip): at most this many notices, and this
# many bytes uploaded (and unpacked from a .zip) together. Its job's time limit follows the count.
IMPORT_BATCH_MAX_FILES = env.int("IMPORT_BATCH_MAX_FILES", default=50)
IMPORT_BATCH_MAX_BYTES = env.int("IMPORT_BATCH_MAX_BYTES", default=50 * 1024 * 1024)
# Twice the batch's bound: a few files too many get the form's own message (what was chosen
# stays chosen); past this Django refuses the request before any view (handler400 says why).
DATA_UPLOAD_MAX_NUMBER_FILES = max(100, 2 * IMPORT_BATCH_MAX_FILES)
# The edit page posts a whole plan: a few fields per task and calendar line (a plan of 150 tasks
# with 300 calendar lines sends some 2,000); Django's default of 1,000 would refuse it.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# The cache keeps rendered notices and the version of the division table the importer's gazetteer
# was built from. In memory by default (one process); with several workers CACHE_URL such as
# redis://127.0.0.1:6379/1 shares it, so that a county renamed in one worker reaches the others.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis restart makes misses, not 500s (supervision.cache); a Redis that hangs costs a
    # request half a second, not the worker's timeout. The URL's own options win.
    CACHES["default"]["BACKEND"] = "supervision.cache.ForgivingRedisCache"
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": 0.5,
        "socket_timeout": 0.5,
        **CACHES["default"].get("OPTIONS", {}),
    }

# Background jobs (jobs/, supervision/celery.py): Celery with Redis as the broker in production
# (CELERY_BROKER_URL=redis://127.0.0.1:6379/2, `make worker`). Unset, every task runs in the
# process that starts it, when its transaction commits: `make run` and the tests need no server.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
# A task is acknowledged when it ends, so a worker that dies mid-job leaves it to another; the
# tasks are written to be run twice (jobs.tasks.job_run claims its job first).
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A job's state is its Job row: no result backend.
CELERY_TASK_IGNORE_RESULT = True
# Past the longest hard time limit (jobs.registry), so Redis does not hand a running job to a
# second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that queues a job while the broker is away waits about a second, then the job says
# it could not be queued (jobs.services.job_enqueue), rather than holding the request.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TIMEZONE = TIME_ZONE
# With a worker and `celery beat` (make worker), the daily runs the README gives to cron run
# here instead: the same commands, at the same site times.
CELERY_BEAT_SCHEDULE = {
    "notifications-collect": {
        "task": "notifications.send_notifications",
        "schedule": crontab(hour=8, minute=0),
        "kwargs": {"collect": True},
    },
    "notifications-deliver": {"task": "notifications.send_notifications", "schedule": crontab(minute="*/5")},
}

# The REST API (api/): personal tokens (Authorization: Bearer …) or the session, which the
# browsable docs use; the permission rules are the pages'. Requests are throttled per token
# (per user on the session) in the project's cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_THROTTLE_RATE", default="600/minute")},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "督导工作台 API",
    "DESCRIPTION": "Plans, calendar lines, counties, obligations and their reports, inspections and 整改 items.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Like every page of the app, the docs are for signed-in users.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Mail (reminders): EMAIL_URL such as smtp+tls://user:password@mail.example.org:587; by
# default mail is printed to the console.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="督导工作台 <noreply@localhost>")
# The address mails link to.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Notifications (README, Notifications). The group robots' webhooks and secrets are encrypted
# with NOTIFICATIONS_KEY (a Fernet key) when set, else with a key derived from SECRET_KEY.
NOTIFICATIONS_KEY = env("NOTIFICATIONS_KEY", default="")
# A robot's webhook must start with its service's address (the tests point these elsewhere).
NOTIFICATIONS_WECOM_URL = env("NOTIFICATIONS_WECOM_URL", default="https://qyapi.weixin.qq.com/cgi-bin/webhook/send")
NOTIFICATIONS_DINGTALK_URL = env("NOTIFICATIONS_DINGTALK_URL", default="https://oapi.dingtalk.com/robot/send")
NOTIFICATIONS_HTTP_TIMEOUT = env.float("NOTIFICATIONS_HTTP_TIMEOUT", default=10.0)
# Back-off: the first retry after this many seconds, doubled each time, up to the last attempt.
NOTIFICATIONS_RETRY_BASE = env.int("NOTIFICATIONS_RETRY_BASE", default=300)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=6)
# More of one day's new, due and overdue work than this for one person: one digest instead.
NOTIFICATIONS_DIGEST_OVER = env.int("NOTIFICATIONS_DIGEST_OVER", default=3)
# SMS is off unless a provider is named (aliyun: Alibaba Cloud SMS).
NOTIFICATIONS_SMS = {
    "provider": env("NOTIFICATIONS_SMS_PROVIDER", default=""),
    "access_key_id": env("NOTIFICATIONS_SMS_ACCESS_KEY_ID", default=""),
    "access_key_secret": env("NOTIFICATIONS_SMS_ACCESS_KEY_SECRET", default=""),
    "sign_name": env("NOTIFICATIONS_SMS_SIGN_NAME", default=""),
    "template_code": env("NOTIFICATIONS_SMS_TEMPLATE_CODE", default=""),
    "endpoint": env("NOTIFICATIONS_SMS_ENDPOINT", default="https://dysmsapi.aliyuncs.com/"),
}

# Evidence a county attaches to a report: per file, and per report.
EVIDENCE_MAX_FILE_BYTES = env.int("EVIDENCE_MAX_FILE_BYTES", default=20 * 1024 * 1024)
EVIDENCE_MAX_REPORT_BYTES = env.int("EVIDENCE_MAX_REPORT_BYTES", default=50 * 1024 * 1024)

# --- Production ------------------------------------------------------------------------------
# Behind a reverse proxy that terminates TLS (see README, "Running in production").

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names for long cache lifetimes; needs `collectstatic` (make serve does).
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATIC_MANIFEST", default=False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Until `collectstatic` has filled STATIC_ROOT (a development checkout, the tests), WhiteNoise
# serves the files where the finders find them.
WHITENOISE_USE_FINDERS = not env.bool("STATIC_MANIFEST", default=False)
warnings.filterwarnings("ignore", message="No directory at: ")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
# How many reverse proxies in front of the app append the address they received a request from
# to X-Forwarded-For (supervision.proxy): login throttling and the request log count by the
# client's address found there. 0 (no proxy): the header is the client's own and is ignored.
# PROXY_COUNT is the older name of the same setting.
TRUSTED_PROXY_COUNT = env.int(
    "TRUSTED_PROXY_COUNT", default=env.int("PROXY_COUNT", default=1 if BEHIND_TLS_PROXY else 0)
)
if BEHIND_TLS_PROXY:
    # The proxy says the original request was https (and strips the header from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Data URLs: the admin's icons; SVG charts are inline markup, not images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read with one SQL statement instead of the ORM's (every request
# reads its session: supervision.sessions).
SESSION_ENGINE = "supervision.sessions"
# A session ends after SESSION_IDLE_SECONDS without a request, and after SESSION_COOKIE_AGE in
# any case.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=2 * 3600)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)

# Login throttling: five wrong passwords for one username from one address lock that pair for
# fifteen minutes (others at the same address, e.g. a bureau behind one NAT, can still sign in).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Attempts are counted by the client's address behind the proxies, as the request log shows it.
AXES_CLIENT_IP_CALLABLE = "supervision.proxy.client_ip"

# Error mail: ADMINS="Name <a@example.org>,Other <b@example.org>".
ADMINS = [
    (address.split("<")[0].strip() or address, address.split("<")[-1].rstrip(">").strip())
    for address in env.list("ADMINS", default=[])
]
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Logs: one JSON object a line on stdout, for the request log and every error.
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": True,  # ISO 8601, UTC
            "json_ensure_ascii": False,
        },
    },
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        # A 503 while the database is away is logged once, as a warning (supervision.database).
        "skip_database_unavailable": {"()": "supervision.log_filters.SkipServiceUnavailable"},
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Errors (5xx) are logged once, with their traceback, and mailed to ADMINS.
        "django.request": {
            "handlers": ["stdout", "mail_admins"],
            "level": "ERROR",
            "propagate": False,
            "filters": ["skip_database_unavailable"],
        },
        # Our own line per request replaces runserver's.
        "django.server": {"handlers": [], "propagate": False},
        "supervision.requests": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        # Lockouts are warnings; every failed attempt is not worth a line.
        "axes": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
    },
}
