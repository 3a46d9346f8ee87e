from django.contrib import admin

from invitations.models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "status", "invited_by", "created_at", "expires_at"]
    list_filter = ["kind", "status"]
    search_fields = ["email", "name"]
    # The nonce is half of a working link: never shown.
    exclude = ["nonce"]
    readonly_fields = ["email", "kind", "payload", "coalition_id", "invited_by", "accepted_by", "sent_at", "closed_at"]
