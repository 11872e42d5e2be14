"""Filters for the logging configuration (settings.LOGGING)."""

import logging


class SkipServiceUnavailable(logging.Filter):
    """Drops Django's record of a 503 answer: while the database is away each one is logged as a
    warning by supervision.middleware (and /healthz says so to whoever asks), not as an error
    with a traceback mailed to ADMINS for every request of a restart."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 503
