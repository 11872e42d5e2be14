"""DRF ships Chinese of its own for messages Django's forms share ("This field is required."):
the pages keep Django's wording, which the project's catalog pins."""

import gettext
from pathlib import Path

import django
import rest_framework
from django.utils import translation


def _catalog(package) -> dict:
    path = Path(package.__file__).parent / ("conf/locale" if package is django else "locale")
    return gettext.translation("django", localedir=str(path), languages=["zh_Hans"])._catalog


def test_djangos_wording_wins_over_drfs_for_the_messages_both_translate():
    ours, theirs = _catalog(django), _catalog(rest_framework)
    shared = [key for key in theirs if isinstance(key, str) and key and key in ours and ours[key] != theirs[key]]
    assert shared
    with translation.override("zh-hans"):
        assert {key: translation.gettext(key) for key in shared} == {key: ours[key] for key in shared}
