from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from kansenagenda.models import (
    Affiliation,
    Coalition,
    CoalitionMembership,
    CoalitionOrganisation,
    Event,
    Organisation,
    User,
)


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = [*BaseUserAdmin.fieldsets, ("Kansenagenda", {"fields": ["full_name"]})]
    list_display = ["username", "full_name", "email", "is_staff"]
    inlines = [AffiliationInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["region"]


class CoalitionOrganisationInline(admin.TabularInline):
    model = CoalitionOrganisation
    extra = 0
    autocomplete_fields = ["organisation"]


class CoalitionMembershipInline(admin.TabularInline):
    # Read-only here: roles change through kansenagenda.services so that the
    # object permissions and the event log stay in step.
    model = CoalitionMembership
    extra = 0
    can_delete = False
    readonly_fields = ["user", "organisation", "role", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Coalition)
class CoalitionAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["region"]
    inlines = [CoalitionOrganisationInline, CoalitionMembershipInline]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "verb", "actor", "coalition"]
    list_filter = ["verb"]
    readonly_fields = ["created_at", "actor", "verb", "target_type", "target_id", "coalition", "data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the audit trail is append-only
