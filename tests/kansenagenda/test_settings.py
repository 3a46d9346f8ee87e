import pytest
from django.core.exceptions import ImproperlyConfigured

from kansenagenda.env import env_bool, env_int, env_list, env_str


def test_it_reads_booleans(monkeypatch):
    monkeypatch.setenv("X_FLAG", "true")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False


def test_it_fails_loudly_on_a_bad_boolean(monkeypatch):
    monkeypatch.setenv("X_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_it_fails_loudly_on_a_bad_number(monkeypatch):
    monkeypatch.setenv("X_NUM", "12a")
    with pytest.raises(ImproperlyConfigured, match="X_NUM"):
        env_int("X_NUM", 1)


def test_it_requires_a_value_without_default(monkeypatch):
    monkeypatch.delenv("X_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_SECRET"):
        env_str("X_SECRET")


def test_it_splits_lists(monkeypatch):
    monkeypatch.setenv("X_LIST", "a.nl, b.nl ,")
    assert env_list("X_LIST", []) == ["a.nl", "b.nl"]


def test_a_cache_url_gives_a_shared_redis_cache():
    """Read in a fresh interpreter: settings are evaluated once per process."""
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_DEBUG": "true", "DJANGO_CACHE_URL": "redis://127.0.0.1:6379/13"}
    code = "import json; from kansenagenda import settings; print(json.dumps(settings.CACHES))"
    output = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    caches = json.loads(output)
    assert caches["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/13",
    }
