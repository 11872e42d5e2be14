"""A message that went out is recorded as sent even when the database restarts just then: its
record is written again once the database is back, so the stale claim never sends it twice.
(scripts/load_fault.py --servers 2 shows it against a real PostgreSQL restart.)"""

import pytest
from django.db import OperationalError

from notifications.services.delivery import write_through_database_loss


def test_the_record_is_written_again_once_the_database_is_back():
    tries = []

    def write():
        tries.append(1)
        if len(tries) < 3:
            raise OperationalError("the database system is shutting down")

    write_through_database_loss(write, waits=(0, 0, 0))

    assert len(tries) == 3


def test_a_database_away_longer_than_the_waits_is_an_error():
    def write():
        raise OperationalError("connection refused")

    with pytest.raises(OperationalError):
        write_through_database_loss(write, waits=(0, 0))


@pytest.mark.django_db
def test_inside_a_transaction_nothing_is_retried():
    tries = []

    def write():
        tries.append(1)
        raise OperationalError("connection refused")

    with pytest.raises(OperationalError):
        write_through_database_loss(write, waits=(0, 0))
    assert len(tries) == 1
