from django.contrib import admin

from .models import Assignment, Certificate, ExpiryReminder, LearnerReminder, Track


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = [
        "slug",
        "title",
        "language",
        "validity_months",
        "due_days",
        "is_active",
        "position",
    ]
    list_filter = ["language", "is_active"]
    search_fields = ["slug"]
    readonly_fields = ["content_hash", "source_file"]


class LearnerReminderInline(admin.TabularInline):
    model = LearnerReminder
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "sent_at"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "track", "assigned_at", "due_date"]
    list_filter = ["track"]
    search_fields = ["user__email", "user__name"]
    raw_id_fields = ["user", "assigned_by"]
    inlines = [LearnerReminderInline]


class ExpiryReminderInline(admin.TabularInline):
    model = ExpiryReminder
    extra = 0
    can_delete = False
    readonly_fields = ["days_before", "sent_at"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read-only: certificates are issued by evaluation and revoked from the HR page."""

    list_display = ["serial", "learner_name", "track", "cycle", "issued_at", "expires_at", "status"]
    list_filter = ["track"]
    search_fields = ["serial", "learner_name", "user__email"]
    inlines = [ExpiryReminderInline]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
