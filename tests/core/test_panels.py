"""Panels: a lower page shows what higher apps registered, in order, without naming them (core.panels)."""

from core.panels import Panel, Slot


def shown(request, obj, **kwargs):
    return Panel("a.html", {"obj": obj, **kwargs})


def hidden(request, obj, **kwargs):
    return None


def early(request, obj, **kwargs):
    return Panel("early.html", {})


def test_it_shows_the_registered_panels_in_order_and_leaves_out_none():
    slot = Slot("test page")
    slot.register(shown)
    slot.register(hidden)
    slot.register(early, order=10)
    panels = slot.panels(None, "the object", perms={"view"})
    assert [p.template for p in panels] == ["early.html", "a.html"]
    assert panels[1].context == {"obj": "the object", "perms": {"view"}}


def test_registering_twice_shows_a_panel_once():
    # AppConfig.ready() may run more than once (tests, management commands).
    slot = Slot("test page")
    slot.register(shown)
    slot.register(shown)
    assert len(slot.panels(None, 1)) == 1
