"""Import warnings, stored as {"code", "params"} and rendered in the reader's language.

One renderer for the preview (fresh from the parser) and for a stored import: the parser's
codes (plans.parsing.messages) and the importer's own below.
"""
from django.utils.translation import gettext, gettext_noop

from plans.parsing.messages import WARNINGS, ParseWarning

IMPORT_WARNINGS = {
    "too_long": gettext_noop(
        "%(where)s: a value longer than %(limit)d characters was shortened (“%(excerpt)s…”)."
    ),
}


def stored_warning(code: str, **params) -> dict:
    return {"code": code, "params": params}


def warning_render(warning) -> str:
    """A warning (a ParseWarning, a stored dict, or an old plain string) as a sentence."""
    if isinstance(warning, ParseWarning):
        code, params = warning.code, warning.params
    elif isinstance(warning, dict):
        code, params = warning.get("code"), warning.get("params") or {}
    else:
        return str(warning)
    try:
        if code in WARNINGS:
            return ParseWarning(code, params).render(gettext)
        if code in IMPORT_WARNINGS:
            return gettext(IMPORT_WARNINGS[code]) % params
    except (KeyError, TypeError, ValueError):
        pass
    return str(params or code)
