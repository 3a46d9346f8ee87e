"""The house rules that ``lint-imports`` (the layers contract in pyproject.toml) does not check.

* No module uses a private name (``_x``) of another module: neither
  ``from app.module import _x`` nor ``module._x``. What two modules share is
  public, with a name that says so.
* No test module imports another test module: what tests share lives in
  ``tests/helpers.py``, the ``factories.py`` modules and the ``conftest.py``
  fixtures.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = (
    "core",
    "accounts",
    "activity",
    "invitations",
    "regions",
    "coalitions",
    "goals",
    "agendas",
    "reviews",
    "funding",
    "signals",
    "regiotoets",
    "kansenagenda",
)


def python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts)


def ours(module: str | None) -> bool:
    return bool(module) and module.split(".")[0] in (*APPS, "tests")


def private(name: str) -> bool:
    # _meta is Django's public API of a model class.
    return name.startswith("_") and not name.startswith("__") and name != "_meta"


def private_uses(source: str) -> list[str]:
    """Every use of another module's private name in ``source``: 'line: what'."""
    tree = ast.parse(source)
    module_aliases: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and ours(node.module):
            for alias in node.names:
                if private(alias.name):
                    found.append(f"{node.lineno}: from {node.module} import {alias.name}")
                else:
                    module_aliases.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if ours(alias.name):
                    module_aliases.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in module_aliases
            and private(node.attr)
        ):
            found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_the_check_finds_private_names():
    # The check itself can fail: both ways of reaching a private name are found.
    source = "from funding.services import _euro\nfrom funding import services\nservices._allocation(1)\n"
    assert private_uses(source) == ["1: from funding.services import _euro", "3: services._allocation"]
    assert private_uses("from funding.services import euro\nimport os\nos._exit\n") == []


@pytest.mark.parametrize("path", python_files(*APPS, "tests", "bench"), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_uses_a_private_name_of_another(path):
    assert private_uses(path.read_text()) == []


def test_modules_importing_test_modules():
    offenders = []
    for path in python_files("tests"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.ImportFrom)
                and (node.module or "").startswith("tests.")
                and node.module.split(".")[-1].startswith("test_")
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: from {node.module}")
    assert offenders == []


# URL namespaces that are not named after their app.
NAMESPACE_APPS = {"two_factor": "accounts", "notifications": "activity"}


def layers() -> dict[str, int]:
    """Each app's layer, from the layers contract in pyproject.toml (0 = the bottom)."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        contract = tomllib.load(f)["tool"]["importlinter"]["contracts"][0]
    order = list(reversed(contract["layers"]))
    return {app.strip(): level for level, line in enumerate(order) for app in line.split("|")}


def upward_links(app: str, template: str, level: dict[str, int]) -> list[str]:
    """The URL names in one of ``app``'s templates that belong to an app above it."""
    found = []
    for namespace in re.findall(r"\{%\s*url\s+['\"]([a-z_]+):", template):
        owner = NAMESPACE_APPS.get(namespace, namespace)
        if owner in level and level[owner] > level[app]:
            found.append(f"{namespace}:")
    return found


def test_the_template_check_finds_upward_links():
    level = layers()
    assert upward_links("agendas", "{% url 'funding:decision' 1 %} {% url 'regions:detail' 'x' %}", level) == [
        "funding:"
    ]


@pytest.mark.parametrize("app", [a for a in APPS if a != "kansenagenda"])
def test_templates_link_only_to_pages_of_their_own_layer_or_below(app):
    # The project (kansenagenda) composes the navigation in base.html; an app's
    # own templates do not name the pages of the apps above it.
    level = layers()
    offenders = [
        f"{path.relative_to(ROOT)}: {link}"
        for path in sorted((ROOT / app / "templates").rglob("*.html"))
        for link in upward_links(app, path.read_text(), level)
    ]
    assert offenders == []
