import json

from django.contrib import admin
from django.db.models import BooleanField, ExpressionWrapper
from django.utils.translation import gettext_lazy as _

from activity import selectors
from activity.models import Event
from activity.notifications import describe

# Instead of an event's text and data when they may name a draft the viewer may not see.
HIDDEN = _("(verborgen: over een concept van een coalitie waarvan u geen lid bent)")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The audit trail, read-only. A superuser is not a coalition member: the text and data of an
    event that may name a coalition's draft are hidden unless they are one (``selectors.readable_events``,
    the rule of the notifications too); who did what when stays visible."""

    list_display = ["created_at", "verb", "actor", "coalition_id", "text"]
    list_filter = ["verb"]
    list_select_related = ["actor"]
    fields = ["created_at", "actor", "verb", "target_type", "target_id", "coalition_id", "text", "details"]
    readonly_fields = fields

    def get_queryset(self, request):
        readable = ExpressionWrapper(selectors.readable_events(request.user), output_field=BooleanField())
        return super().get_queryset(request).annotate(readable=readable)

    @admin.display(description=_("tekst"))
    def text(self, event: Event) -> str:
        return describe(event) if event.readable else str(HIDDEN)

    @admin.display(description=_("gegevens"))
    def details(self, event: Event) -> str:
        return json.dumps(event.data, ensure_ascii=False, indent=2) if event.readable else str(HIDDEN)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the audit trail is append-only
