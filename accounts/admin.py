from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Cohort, Department, EnrolmentBatch, Invitation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "department", "cohort", "is_active", "is_staff"]
    list_filter = ["department", "cohort", "groups", "is_active"]
    search_fields = ["email", "name", "employee_number"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            "Profile",
            {
                "fields": (
                    "name",
                    "employee_number",
                    "department",
                    "cohort",
                    "hire_date",
                    "preferred_language",
                )
            },
        ),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are sent from enrolment and the learner page."""

    list_display = ["user", "invited_by", "sent_at", "times_sent", "expires_at", "accepted_at"]
    search_fields = ["user__email", "user__name"]
    raw_id_fields = ["user", "invited_by"]
    readonly_fields = ["sent_at", "times_sent", "expires_at", "accepted_at", "send_requested_at"]


@admin.register(EnrolmentBatch)
class EnrolmentBatchAdmin(admin.ModelAdmin):
    list_display = ["filename", "uploaded_by", "uploaded_at", "confirmed_at"]
    readonly_fields = ["sha256", "summary", "confirmed_at", "confirmed_by"]
    exclude = ["content"]
