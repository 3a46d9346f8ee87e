"""Read settings from the environment and fail loudly on a bad value.

A typo such as ``DJANGO_DEBUG=ture`` must stop the process at start-up, not
silently fall back to a default: these helpers raise ``ImproperlyConfigured``
naming the variable and the value.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_MISSING = object()


def env_str(name: str, default: str | object = _MISSING) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is _MISSING:
            raise ImproperlyConfigured(f"Environment variable {name} must be set.")
        return default  # type: ignore[return-value]
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true or false).")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Values that appear in this repository, its documentation or common examples: a key anybody can
# read signs anybody's sessions, password-reset links and invitation tokens.
KNOWN_PLACEHOLDER_KEYS = frozenset(
    {
        "...",
        "build-only",
        "changeme",
        "change-me",
        "ci",
        "insecure-local-only-key",
        "secret",
        "secret-key",
        "secretkey",
        "your-secret-key",
        "your-secret-key-here",
    }
)
# Phrases no generated key contains, however long the rest of it is.
PLACEHOLDER_PHRASES = ("changeme", "change-me", "change_me", "insecure")
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT_CHARACTERS = 5


def weak_secret_key_reason(key: str) -> str | None:
    """Why ``key`` may not sign anything in production, or None for a strong key.

    The length and variety limits are Django's own (the security.W009 deployment check), here
    made a hard stop instead of a warning nobody reads.
    """
    if not key:
        return "it is not set"
    if key.strip().lower() in KNOWN_PLACEHOLDER_KEYS:
        return "it is a placeholder value from an example"
    if key.startswith("django-insecure"):
        return "it starts with 'django-insecure' (a key made by startproject for development)"
    if any(phrase in key.lower() for phrase in PLACEHOLDER_PHRASES):
        return "it contains a placeholder phrase"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters, at least {SECRET_KEY_MIN_LENGTH} are needed"
    if len(set(key)) < SECRET_KEY_MIN_DISTINCT_CHARACTERS:
        return f"it has fewer than {SECRET_KEY_MIN_DISTINCT_CHARACTERS} different characters"
    return None


def env_secret_key(name: str) -> str:
    """The production secret key from ``name``; a missing or weak key stops the process.

    The message never repeats the key: start-up errors end up in logs.
    """
    key = os.environ.get(name, "")
    reason = weak_secret_key_reason(key)
    if reason is not None:
        raise ImproperlyConfigured(
            f"{name} must be a strong secret when DEBUG is off: {reason}. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    return key
