from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

import ruleengine

from . import services
from .models import Reply, RolePlay, RolePlaySession, RolePlayTurn, RulePack, Scenario, Verdict


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "position"]
    search_fields = ["slug"]


@admin.register(RulePack)
class RulePackAdmin(admin.ModelAdmin):
    """Versions are written by load_content and never edited; a draft can be published."""

    list_display = ["version", "status", "rule_count", "created_at", "published_at"]
    list_filter = ["status"]
    readonly_fields = ["version", "status", "sources", "rule_count", "created_at", "published_at"]
    actions = ["publish"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Publish the selected version"))
    def publish(self, request: HttpRequest, queryset: QuerySet[RulePack]) -> None:
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one version."), messages.ERROR)
            return
        try:
            pack = services.publish_pack(pack=queryset.get(), actor=request.user)
        except ruleengine.PackError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request, _("Version %(version)s is published.") % {"version": pack.version}
        )


class VerdictInline(admin.StackedInline):
    model = Verdict
    can_delete = False
    readonly_fields = ["passed", "score", "pack", "graded_at", "outcomes"]
    extra = 0


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "scenario", "language", "status", "attempts", "submitted_at"]
    list_filter = ["status", "language", "scenario"]
    search_fields = ["user__email", "text", "source"]
    list_select_related = ["user", "scenario"]
    readonly_fields = [
        "user",
        "scenario",
        "language",
        "text",
        "source",
        "submitted_at",
        "response_seconds",
        "status",
        "attempts",
        "last_error",
        "claimed_at",
    ]
    inlines = [VerdictInline]
    actions = ["grade_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Send failed replies back for grading"))
    def grade_again(self, request: HttpRequest, queryset: QuerySet[Reply]) -> None:
        count = services.retry_failed_replies(replies=queryset)
        self.message_user(request, _("%(count)s replies sent back for grading.") % {"count": count})


@admin.register(RolePlay)
class RolePlayAdmin(admin.ModelAdmin):
    """Scripts come from content/roleplays (load_content); here they are only looked at."""

    list_display = ["slug", "title", "language", "turns_in_complete_call", "pass_mark", "is_active"]
    list_filter = ["language", "is_active"]
    search_fields = ["slug", "title"]
    readonly_fields = [field.name for field in RolePlay._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class RolePlayTurnInline(admin.TabularInline):
    model = RolePlayTurn
    fields = [
        "index",
        "node",
        "scenario",
        "shown_at",
        "status",
        "response_seconds",
        "late",
        "points",
    ]
    readonly_fields = fields
    can_delete = False
    extra = 0


@admin.register(RolePlaySession)
class RolePlaySessionAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "roleplay", "mode", "status", "score", "passed", "started_at"]
    list_filter = ["status", "mode", "passed", "roleplay"]
    search_fields = ["user__email", "roleplay__slug"]
    list_select_related = ["user", "roleplay"]
    readonly_fields = [field.name for field in RolePlaySession._meta.fields]
    inlines = [RolePlayTurnInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
