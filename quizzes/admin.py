from django.contrib import admin

from .models import Attempt, Question, Quiz, Response


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "language", "draw", "pass_mark", "max_attempts", "published"]
    list_filter = ["language", "published", "review"]
    search_fields = ["slug", "title"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["key", "version", "type", "language", "scenario", "active"]
    list_filter = ["type", "language", "active", "scenario"]
    search_fields = ["key", "prompt"]
    # Content is the source of truth: edit the YAML and run load_content.
    readonly_fields = ["key", "version", "content_hash", "source_file"]


class ResponseInline(admin.TabularInline):
    model = Response
    extra = 0
    readonly_fields = ["question", "answer", "saved_at", "final", "points"]
    can_delete = False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["quiz", "user", "number", "status", "score", "passed", "started_at"]
    list_filter = ["status", "passed", "quiz"]
    search_fields = ["user__email", "quiz__slug"]
    readonly_fields = ["layout"]
    inlines = [ResponseInline]
