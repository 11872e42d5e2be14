"""The shared cache (CACHE_URL=redis://…) kept a cache, never a dependency: while Redis restarts
or is away, a read is a miss and a write is dropped, so pages render from the database (slower)
instead of answering 500. What the app keeps there can always be rebuilt: rendered notices, the
versions of the official calendar and the division table (a missing version makes a process
build its copy again), the API's throttle counts (none kept: no throttling for that while).

Django's RedisCache with short socket timeouts (settings): a Redis that does not answer costs a
request half a second at most, not the whole worker timeout. The first failure after a success
is logged as a warning, once per outage, not once per call."""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("supervision.cache")

# BusyLoadingError (Redis reading its dump after a restart) is a ConnectionError too.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


class ForgivingRedisCache(RedisCache):
    _unavailable = False

    def _failed(self, operation: str, error: Exception) -> None:
        if not self._unavailable:
            logger.warning("cache unavailable", extra={"operation": operation, "error": str(error)[:200]})
        self._unavailable = True

    def _call(self, operation: str, fallback, *args, **kwargs):
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except UNAVAILABLE as error:
            self._failed(operation, error)
            return fallback
        self._unavailable = False
        return result

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # The keys not stored, as Django's set_many says of its failures.
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)
