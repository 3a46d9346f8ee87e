"""The locks hold what requirements*.txt ask for, every package with its hashes, and nothing installs around them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)")


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    """``{name: version}`` of the ``name==version`` lines of a requirements file or lock."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            found[normalised(match[1])] = match[2]
    return found


def entries(path: Path) -> list[str]:
    """The lock's entries: each pin with its continuation lines (the hashes)."""
    text = path.read_text(encoding="utf-8")
    return [block for block in re.split(r"\n(?=[A-Za-z0-9])", text) if PIN.match(block)]


@pytest.mark.parametrize(
    ("wanted", "lock"),
    [
        ("requirements.txt", "requirements.lock"),
        ("requirements.txt", "requirements-dev.lock"),
        ("requirements-dev.txt", "requirements-dev.lock"),
    ],
)
def test_the_lock_holds_every_pin_of_the_requirements(wanted, lock):
    locked = pins(ROOT / lock)
    for name, version in pins(ROOT / wanted).items():
        assert locked.get(name) == version, f"{wanted} asks for {name}=={version}, {lock} has {locked.get(name)}"


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_has_its_hashes(lock):
    blocks = entries(ROOT / lock)
    assert len(blocks) > 20
    missing = [block.split()[0] for block in blocks if "--hash=sha256:" not in block]
    assert missing == []


def test_the_runtime_and_dev_locks_agree():
    runtime, dev = pins(ROOT / "requirements.lock"), pins(ROOT / "requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime


@pytest.mark.parametrize("path", ["Makefile", "Dockerfile"])
def test_installs_come_from_the_locks(path):
    installs = [line for line in (ROOT / path).read_text().splitlines() if "pip install" in line and " -r " in line]
    assert installs
    for line in installs:
        assert "--require-hashes" in line and ".lock" in line, line
