"""Settings come from the environment; a production start without a secret key is refused."""

import gettext
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
MO_FILE = BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
PO_FILE = MO_FILE.with_suffix(".po")

# Prints the settings this test module looks at, after a full django.setup().
PRINT_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "HOST": db.get("HOST", ""),
    "PORT": str(db.get("PORT", "")),
    "USER": db.get("USER", ""),
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "CACHE_LOCATION": settings.CACHES["default"].get("LOCATION", ""),
}))
"""
ENV_VARIABLES = ("SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS", "CACHE_URL")


def _dotenv_sets(name: str) -> bool:
    dotenv = BASE_DIR / ".env"
    if not dotenv.exists():
        return False
    return any(line.strip().startswith(f"{name}=") for line in dotenv.read_text().splitlines())


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter whose environment holds only what the test gives."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in ENV_VARIABLES and not key.startswith(("DJANGO_", "PYTEST_"))
    }
    clean["DJANGO_SETTINGS_MODULE"] = "supervision.settings"
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_from(**env: str) -> dict:
    proc = run_django(PRINT_SETTINGS, **env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_start_without_secret_key_is_refused_when_debug_is_off():
    if _dotenv_sets("SECRET_KEY"):
        pytest.skip("a local .env sets SECRET_KEY, so it cannot be absent here")
    # DEBUG off explicitly: `make run` leaves a .env with DEBUG=1 in a development checkout.
    proc = run_django("import django; django.setup()", DEBUG="0")
    assert proc.returncode != 0
    assert "ImproperlyConfigured" in proc.stderr
    assert "SECRET_KEY" in proc.stderr


def test_empty_secret_key_is_refused_when_debug_is_off():
    proc = run_django("import django; django.setup()", SECRET_KEY="", DEBUG="0")
    assert proc.returncode != 0
    assert "ImproperlyConfigured" in proc.stderr


def test_debug_gives_a_development_key():
    if _dotenv_sets("SECRET_KEY"):
        pytest.skip("a local .env sets SECRET_KEY, so the development default is not used")
    values = settings_from(DEBUG="1")
    assert values["DEBUG"] is True
    assert values["SECRET_KEY"]


def test_secret_key_from_the_environment_is_used():
    values = settings_from(SECRET_KEY="from-the-environment", DEBUG="0")
    assert values["DEBUG"] is False
    assert values["SECRET_KEY"] == "from-the-environment"


def test_database_defaults_to_sqlite_in_the_project():
    if _dotenv_sets("DATABASE_URL"):
        pytest.skip("a local .env sets DATABASE_URL")
    values = settings_from(DEBUG="1")
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(values["NAME"]).parent == BASE_DIR


def test_database_url_is_honoured_for_sqlite(tmp_path):
    path = tmp_path / "other.sqlite3"
    values = settings_from(DEBUG="1", DATABASE_URL=f"sqlite:///{path}")
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["NAME"] == str(path)


def test_database_url_is_honoured_for_postgresql():
    values = settings_from(DEBUG="1", DATABASE_URL="postgres://planner:secret@db.example:6543/plans_db")
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert (values["NAME"], values["HOST"], values["PORT"], values["USER"]) == (
        "plans_db",
        "db.example",
        "6543",
        "planner",
    )


def test_the_cache_is_in_memory_unless_cache_url_names_a_shared_one():
    assert settings_from(DEBUG="1")["CACHE"] == "django.core.cache.backends.locmem.LocMemCache"
    shared = settings_from(DEBUG="1", CACHE_URL="redis://127.0.0.1:6379/1")
    # Django's Redis cache, forgiving a Redis restart (supervision.cache).
    assert shared["CACHE"] == "supervision.cache.ForgivingRedisCache"
    assert shared["CACHE_LOCATION"] == "redis://127.0.0.1:6379/1"


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert "en" in dict(settings.LANGUAGES)
    assert settings.USE_I18N is True
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def _po_translations(path: Path) -> dict[str, str]:
    """msgid → msgstr of the translated, non-fuzzy, singular entries of a .po file."""
    entries, entry, field, fuzzy = {}, {}, None, False

    def flush():
        if entry.get("msgid") and entry.get("msgstr") and not fuzzy:
            key = entry["msgid"]
            if "msgctxt" in entry:
                key = f"{entry['msgctxt']}\x04{key}"
            entries[key] = entry["msgstr"]

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            entry, field, fuzzy = {}, None, False
        elif line.startswith("#,"):
            fuzzy = fuzzy or "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"') and field:
            entry[field] += json.loads(line)
        else:
            keyword, _, value = line.partition(" ")
            # Plural entries (msgid_plural, msgstr[n]) are left out.
            field = keyword if keyword in ("msgctxt", "msgid", "msgstr") else None
            if field:
                entry[field] = json.loads(value)
            else:
                entry["plural"] = True
                entry.pop("msgstr", None)
    flush()
    return entries


@pytest.mark.skipif(not MO_FILE.exists(), reason=f"{MO_FILE.relative_to(BASE_DIR)} is not committed yet")
def test_compiled_zh_hans_messages_match_the_po_file():
    with MO_FILE.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    assert len(catalog) > 1, "the compiled catalog is empty"
    expected = _po_translations(PO_FILE)
    stale = sorted(msgid for msgid, msgstr in expected.items() if catalog.get(msgid) != msgstr)
    assert not stale, f"django.mo is older than django.po; run `make messages`: {stale[:10]}"
