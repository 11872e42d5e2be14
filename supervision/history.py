"""Who a write is recorded against in the history tables (django-simple-history).

Within a request the history middleware names the signed-in user; services name their
`acting_user` explicitly, so that a command, a test or the admin is attributed the same way.
"""

from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords


@contextmanager
def acting_as(user):
    """Record history written inside the block against `user` (None: the system)."""
    context = HistoricalRecords.context
    saved = getattr(context, "request", None)
    if user is not None:
        context.request = SimpleNamespace(user=user)
    elif hasattr(context, "request"):
        del context.request
    try:
        yield
    finally:
        if saved is not None:
            context.request = saved
        elif hasattr(context, "request"):
            del context.request
