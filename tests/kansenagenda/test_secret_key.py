"""Outside DEBUG a missing or weak DJANGO_SECRET_KEY stops the start, with a message that says why.

Settings are read once per process, so the start itself runs in a fresh interpreter
(``manage.py check``), with the environment of the test run and one variable changed.
"""

import base64
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from kansenagenda.env import weak_secret_key_reason

# Fixed, not random: pytest-xdist needs the same test ids in every worker.
STRONG_KEY = "Zq8v3LmN1xR7tY5wK2pH9sD4fG6jB0cV-uE_aI8oQ3rT5yW7nM1kL"


def start(**variables: str | None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_DEBUG": "false"}
    for name, value in variables.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("", "it is not set"),
        ("...", "placeholder"),  # docker-compose.yml's example
        ("ci", "placeholder"),
        ("insecure-local-only-key", "placeholder"),
        ("build-only", "placeholder"),
        ("ChangeMe", "placeholder"),
        ("changeme" * 8, "placeholder phrase"),
        ("django-insecure-" + STRONG_KEY, "starts with 'django-insecure'"),
        (STRONG_KEY[:49], "it has 49 characters, at least 50 are needed"),
        ("ab" * 40, "fewer than 5 different characters"),
    ],
)
def test_it_names_why_a_key_is_weak(key, reason):
    assert reason in weak_secret_key_reason(key)


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (None, "it is not set"),
        ("insecure-local-only-key", "placeholder"),
        (STRONG_KEY[:49], "it has 49 characters, at least 50 are needed"),
    ],
)
def test_a_weak_key_stops_the_start_in_production_mode(key, reason):
    result = start(DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("django.core.exceptions.ImproperlyConfigured: DJANGO_SECRET_KEY must be a strong secret")
    assert reason in message
    assert "secrets.token_urlsafe(50)" in message  # how to make a good one
    if key:
        assert key not in message  # a secret does not belong in a log


def test_a_strong_key_starts():
    result = start(DJANGO_SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_generated_keys_and_the_test_runs_key_are_strong_enough():
    """The README's and the Dockerfile's token_urlsafe(50), CI's 48 random bytes in base64, Makefile's TEST_ENV."""
    assert weak_secret_key_reason(secrets.token_urlsafe(50)) is None
    assert weak_secret_key_reason(base64.b64encode(os.urandom(48)).decode()) is None
    assert weak_secret_key_reason("test-only-secret-key-not-for-production-use-0123456789") is None


def test_in_debug_mode_no_key_is_needed():
    result = start(DJANGO_DEBUG="true", DJANGO_SECRET_KEY=None)
    assert result.returncode == 0, result.stderr
