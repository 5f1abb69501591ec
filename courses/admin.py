from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    CandidateRule,
    Course,
    Enrollment,
    Lesson,
    LessonProgress,
    ModelPhrase,
    Module,
    ReviewStatus,
)
from .services import review_candidate_rule


class ModuleInline(admin.TabularInline):
    model = Module
    fields = ["position", "slug", "title", "is_published", "origin"]
    readonly_fields = ["origin"]
    extra = 0
    show_change_link = True


class LessonInline(admin.TabularInline):
    model = Lesson
    fields = ["position", "slug", "title", "is_published", "version"]
    readonly_fields = ["version"]
    extra = 0
    show_change_link = True


class ModelPhraseInline(admin.TabularInline):
    model = ModelPhrase
    fields = ["text", "source_section", "status"]
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "language", "is_published", "origin"]
    list_filter = ["language", "is_published", "origin"]
    search_fields = ["title", "slug"]
    inlines = [ModuleInline]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "slug", "is_published", "origin", "source_document"]
    list_filter = ["is_published", "origin", "course"]
    search_fields = ["title", "slug", "source_document"]
    readonly_fields = ["source_sha256", "imported_at", "imported_by", "import_report"]
    inlines = [LessonInline]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "module", "slug", "is_published", "version"]
    list_filter = ["is_published", "module__course"]
    search_fields = ["title", "slug", "body_markdown"]
    readonly_fields = ["version", "content_hash", "source_path"]
    filter_horizontal = ["scenarios"]
    inlines = [ModelPhraseInline]


def _review(request: HttpRequest, queryset: QuerySet, status: str) -> None:
    for rule in queryset:
        review_candidate_rule(rule=rule, status=status, reviewer=request.user)


@admin.register(CandidateRule)
class CandidateRuleAdmin(admin.ModelAdmin):
    list_display = ["phrase", "kind", "status", "module", "source_section"]
    list_filter = ["status", "kind", "module__course"]
    search_fields = ["phrase", "evidence", "source_document"]
    readonly_fields = ["reviewed_by", "reviewed_at"]
    actions = ["accept", "reject"]

    @admin.action(description=_("Accept the selected candidate rules"))
    def accept(self, request: HttpRequest, queryset: QuerySet) -> None:
        _review(request, queryset, ReviewStatus.ACCEPTED)

    @admin.action(description=_("Reject the selected candidate rules"))
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        _review(request, queryset, ReviewStatus.REJECTED)


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "enrolled_at", "last_visited_at"]
    list_filter = ["course"]
    raw_id_fields = ["user", "last_lesson"]


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ["user", "lesson", "completed_at", "completed_version"]
    raw_id_fields = ["user", "lesson"]
