from django.contrib import admin

from activity.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "verb", "actor", "coalition_id"]
    list_filter = ["verb"]
    readonly_fields = ["created_at", "actor", "verb", "target_type", "target_id", "coalition_id", "data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the audit trail is append-only
