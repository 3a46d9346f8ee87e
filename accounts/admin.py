from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = [*BaseUserAdmin.fieldsets, ("Kansenagenda", {"fields": ["full_name"]})]
    list_display = ["username", "full_name", "email", "is_staff"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API keys (accounts/api_tokens.py): whose, since and until when; never a key (not stored) nor its digest.

    Read-only: a key is made by its owner, who alone sees it, once. An
    administrator may delete one (revoke it), e.g. when it leaked.
    """

    list_display = ["token_key", "user", "created", "expiry"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "user__full_name"]
    fields = ["token_key", "user", "created", "expiry"]
    readonly_fields = fields
    ordering = ["-created"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
