from django.contrib import admin

from accounts.admin import UserAdmin
from accounts.models import User
from coalitions.models import Affiliation, Coalition, CoalitionMembership, CoalitionOrganisation, Organisation


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organisation"]


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
    # Read-only here: roles change through coalitions.services so that the
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


# A person's ties to organisations are edited on the person: the user admin
# of accounts, extended here with this app's inline.
admin.site.unregister(User)


@admin.register(User)
class UserWithAffiliationsAdmin(UserAdmin):
    inlines = [AffiliationInline]
