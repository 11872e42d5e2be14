"""The migration that keeps feed secrets as hashes: addresses subscribed before it keep working."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from plans.outputs.feeds import feed_token_get
from tests.factories import staff_user_create

BEFORE, AFTER = ("plans", "0002_search_indexes"), ("plans", "0003_feedtoken_token_hash")


@pytest.mark.django_db(transaction=True)
def test_existing_feed_secrets_are_hashed_and_keep_opening_their_feeds():
    user = staff_user_create()
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old_apps = executor.loader.project_state([BEFORE]).apps
    old_apps.get_model("plans", "FeedToken").objects.create(user_id=user.pk, token="a-secret-subscribed-last-year")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([AFTER])
    try:
        token = feed_token_get(token="a-secret-subscribed-last-year")
        assert token is not None and token.user == user
        assert token.token_hash == hashlib.sha256(b"a-secret-subscribed-last-year").hexdigest()
    finally:
        # The tests after this one expect every migration applied, not only up to AFTER.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
