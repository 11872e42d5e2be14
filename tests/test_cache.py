"""The shared cache forgives a Redis that is away: reads miss, writes are dropped, nothing raises
(a page answers from the database instead of 500 while Redis restarts)."""

import socket
import uuid

import pytest

from supervision.cache import ForgivingRedisCache


def _closed_port() -> int:
    # A port that was free a moment ago: nothing listens there.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cache(location: str) -> ForgivingRedisCache:
    return ForgivingRedisCache(
        location,
        {"KEY_PREFIX": f"test-{uuid.uuid4().hex}", "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    )


def test_a_redis_that_is_away_makes_misses_and_dropped_writes(caplog):
    cache = _cache(f"redis://127.0.0.1:{_closed_port()}/0")
    with caplog.at_level("WARNING", logger="supervision.cache"):
        assert cache.get("key", "default") == "default"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("key") is False
        assert cache.add("key", 1) is False
        assert cache.set("key", 1) is None
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.touch("key") is False
        assert cache.delete("key") is False
        assert cache.delete_many(["a"]) is None
    # One warning for the outage, not one per call.
    assert [record.getMessage() for record in caplog.records] == ["cache unavailable"]


def test_a_redis_that_answers_is_a_cache():
    cache = _cache("redis://127.0.0.1:6379/15")
    try:
        cache.set("probe", 1)
        if cache.get("probe") is None:
            pytest.skip("no Redis on 127.0.0.1:6379")
        assert cache.add("key", "first") is True
        assert cache.add("key", "second") is False
        assert cache.get("key") == "first"
        assert cache.get_many(["key", "missing"]) == {"key": "first"}
    finally:
        cache.delete_many(["probe", "key"])
