"""A Redis cache that is down answers as a miss instead of failing the request."""

import pytest

from newsroom.cache import ForgivingRedisCache

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def down_cache():
    return ForgivingRedisCache(CLOSED_PORT, {})


def test_reads_while_redis_is_down_are_misses(down_cache):
    assert down_cache.get("key") is None
    assert down_cache.get("key", "fallback") == "fallback"
    assert down_cache.get_many(["a", "b"]) == {}
    assert down_cache.has_key("key") is False


def test_writes_while_redis_is_down_do_not_raise(down_cache):
    assert down_cache.set("key", 1) is None
    assert down_cache.add("key", 1) is False
    assert down_cache.delete("key") is False
    down_cache.delete_many(["a", "b"])
    down_cache.set_many({"a": 1})


def test_the_plain_redis_cache_would_fail(down_cache):
    from django.core.cache.backends.redis import RedisCache
    from redis.exceptions import ConnectionError

    with pytest.raises(ConnectionError):
        RedisCache(CLOSED_PORT, {}).get("key")


def test_a_working_redis_cache_still_caches():
    cache = ForgivingRedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "forgiving-test"})
    cache.set("key", {"n": 1}, 30)
    assert cache.get("key") == {"n": 1}
    cache.delete("key")
    assert cache.get("key") is None


def test_the_settings_pick_the_forgiving_cache_for_redis(monkeypatch):
    import importlib

    from newsroom.settings import base

    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/1")
    try:
        assert importlib.reload(base).CACHES["default"]["BACKEND"] == (
            "newsroom.cache.ForgivingRedisCache"
        )
    finally:
        monkeypatch.delenv("CACHE_URL")
        importlib.reload(base)
