"""Places on a lower app's page where a higher app shows a section.

A page may not name the apps above it (the layers contract in
``pyproject.toml``). It declares a :class:`Slot` in its app's ``panels.py``
and renders whatever was registered there; the higher app registers a
provider in its ``AppConfig.ready()``. A provider gets the request and the
page's object and returns a :class:`Panel` (a template and its context) or
None to show nothing.

In the template::

    {% for p in panels %}{% include p.template with panel=p.context %}{% endfor %}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]


@dataclass
class Slot:
    name: str
    _providers: list[tuple[int, str, Callable[..., Panel | None]]] = field(default_factory=list)

    def register(self, provider: Callable[..., Panel | None], *, order: int = 100) -> None:
        """Add a provider (once per function, so a second ``ready()`` changes nothing)."""
        key = f"{provider.__module__}.{provider.__qualname__}"
        self._providers = [p for p in self._providers if p[1] != key] + [(order, key, provider)]
        self._providers.sort(key=lambda p: p[0])

    def panels(self, request, obj, **kwargs: Any) -> list[Panel]:
        """The sections to show for ``obj``, in order; providers that return None are left out."""
        shown = []
        for _order, _key, provider in self._providers:
            panel = provider(request, obj, **kwargs)
            if panel is not None:
                shown.append(panel)
        return shown
