from __future__ import annotations

from django.contrib import admin

from cases.models import AuditEvent
from sources.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail can be read here; cases themselves change only through the inbox and queue."""

    list_display = ["created_at", "case", "actor", "actor_label", "action", "from_status", "to_status"]
    list_filter = ["action"]
    search_fields = ["case__tracking_code", "actor__username"]
