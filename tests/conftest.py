"""Shared fixtures: one locale per test, reference data loaded once, the seed plans, Chromium."""

import os
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import settings as hypothesis_settings

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse the
# ORM calls that live_server tests make from it (SynchronousOnlyOperation).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SEEDS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling Google, which a closed CI
# network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Fixtures that make pytest-django wrap a test in TransactionTestCase, which flushes every table
# after the test (reference data included).
TRANSACTIONAL_FIXTURES = ("transactional_db", "live_server", "django_db_reset_sequences")


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


# Under CI the property tests try the same examples on every run: a failure there is a regression,
# not the luck of the draw. A developer's `make test` draws new examples each time and keeps the
# failing ones in .hypothesis/ (the sweeps that found the parser's and readers' last bugs).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if _ci():
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True, scope="session")
def _prepared_queries_verified():
    """Every prepared read is also compiled the ORM's way and must give the same SQL."""
    from django.conf import settings

    settings.PREPARED_QUERIES_VERIFY = True


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Tests create many users; the real hasher's million rounds are not what they test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded and imported files go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts without cached fragments (ids repeat across rolled-back tests)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _zh_hans_locale():
    """Every test runs in the product's language unless it switches explicitly."""
    with translation.override("zh-hans"):
        yield


# --- Reference data ---------------------------------------------------------------------------
#
# The division table (~3,200 rows) is loaded once per session, on top of the migrated test
# database; `db` tests roll back their own transaction and leave it in place.  Tests that run
# with transaction=True (live_server, i.e. the browser tests) end with a flush of every table, so
# after each of them the data is loaded again (pytest_runtest_teardown below).  We reload rather
# than use serialized_rollback: Django serializes the database when it creates it, before the
# reference data exists, and deserializing 3,200 rows object by object is slower than the bulk
# load.  pytest-django runs transactional tests last, so this costs one load per browser test.

_reference = {"blocker": None}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, tmp_path_factory):
    """SQLite tests run on a file, not in memory: the concurrency tests need real file locks
    (an in-memory shared-cache database fails at once with "table is locked" instead of
    waiting, as the file database the app runs on does)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


def _reference_data_load() -> None:
    from organisation.reference import reference_data_load

    with _reference["blocker"].unblock():
        reference_data_load()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    _reference["blocker"] = django_db_blocker
    _reference_data_load()
    # The official calendar is read once per process: read before any test counts queries.
    from organisation.services.calendar import official_calendar_get

    with django_db_blocker.unblock():
        official_calendar_get()
    yield
    # From here on the connection may point at the real database again: never load into it.
    _reference["blocker"] = None


def _is_transactional(item: pytest.Item) -> bool:
    from django.test import TestCase, TransactionTestCase
    from pytest_django.fixtures import validate_django_db

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return not issubclass(cls, TestCase)
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    fixtures = getattr(item, "fixturenames", ())
    return any(name in fixtures for name in TRANSACTIONAL_FIXTURES)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # Runs after every fixture finalizer, so after pytest-django's flush, whatever the order in
    # which the test's fixtures were set up.
    result = yield
    if nextitem is not None and _reference["blocker"] is not None and _is_transactional(item):
        from django.db import connections

        from organisation.models import County

        with _reference["blocker"].unblock():
            if not County.objects.exists():
                _reference_data_load()
            # Django keeps connections per context, and Playwright's greenlets switch contexts: a
            # connection left open here is one the final DROP DATABASE would find still in use.
            connections.close_all()
    return result


# --- Seed plans -------------------------------------------------------------------------------


@pytest.fixture
def seeded_plans(db) -> dict:
    """The five seed documents imported and published, keyed by file prefix ("000".."004")."""
    from plans.services import work_plan_import

    plans = {}
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        result = work_plan_import(data=path.read_bytes(), source_name=path.name, publish=True)
        plans[path.name.split("_", 1)[0]] = result.plan
    assert len(plans) == 5, f"expected five seed documents in {SEEDS_DIR}, found {len(plans)}"
    return plans


# --- Browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's chromium, never a browser downloaded by `playwright install`.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url():
    # Tests go to live_server.url. This also replaces pytest-playwright 0.10's fallback fixture,
    # an instance method that pytest 9 warns about (PytestRemovedIn10Warning).
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Headless Chromium asks for en-US; LocaleMiddleware would then serve English pages.
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def pytest_collection_modifyitems(config, items):
    # A test that drives a page is a browser test even if its author forgot the marker.
    for item in items:
        if "page" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)


# --- CI: the browser tests must run -----------------------------------------------------------
#
# A skipped browser test looks green in a summary.  Under CI a skipped browser test fails the
# session, and so does a full run (no paths given) that ran no browser test at all.

_browser_outcomes = {"ran": 0, "skipped": []}


def pytest_runtest_logreport(report):
    if "browser" not in report.keywords:
        return
    if report.skipped:
        _browser_outcomes["skipped"].append(report.nodeid)
    elif report.when == "call":
        _browser_outcomes["ran"] += 1


def _browser_problem(config: pytest.Config) -> str | None:
    if not _ci() or config.option.collectonly:
        return None
    if _browser_outcomes["skipped"]:
        return "browser tests were skipped under CI: " + ", ".join(_browser_outcomes["skipped"])
    full_run = config.args_source == pytest.Config.ArgsSource.TESTPATHS
    if full_run and not config.option.markexpr and not config.option.keyword:
        if _browser_outcomes["ran"] == 0:
            return "no browser test ran under CI (tests/browser/ must hold at least one)"
    return None


def pytest_sessionfinish(session, exitstatus):
    problem = _browser_problem(session.config)
    if problem and exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    problem = _browser_problem(terminalreporter.config)
    if problem:
        terminalreporter.write_sep("=", "CI: " + problem, red=True, bold=True)
