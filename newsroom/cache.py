"""A Redis cache that a Redis outage cannot turn into errors: readers and editors get a cache
miss (the page is rendered, the write goes through) until Redis answers again."""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError)


def _forgiving(name, fallback):
    method = getattr(RedisCache, name)

    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except OUTAGE as error:
            logger.warning("Cache unavailable (%s): %s answered as a miss", error, name)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    call.__name__ = name
    call.__doc__ = method.__doc__
    return call


def _default(key, default=None, *args, **kwargs):
    return default


class ForgivingRedisCache(RedisCache):
    """Django's RedisCache, answering as if empty while Redis is unreachable."""

    get = _forgiving("get", _default)
    get_many = _forgiving("get_many", {})
    set = _forgiving("set", None)
    set_many = _forgiving("set_many", [])
    add = _forgiving("add", False)
    touch = _forgiving("touch", False)
    delete = _forgiving("delete", False)
    delete_many = _forgiving("delete_many", None)
    has_key = _forgiving("has_key", False)
