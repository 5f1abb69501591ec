from django.urls import path

from . import views
from .views import imports, questions, roleplays, rules, scenarios, versions

app_name = "studio"

DRAFT = "rules/drafts/<int:pk>/"

urlpatterns = [
    path("", views.index, name="index"),
    # rule editor
    path("rules/", rules.rule_home, name="rules"),
    path("rules/drafts/new/", rules.start_draft, name="draft-start"),
    path(DRAFT, rules.draft_detail, name="draft"),
    path(f"{DRAFT}files/<path:filename>", rules.edit_file, name="draft-file"),
    path(f"{DRAFT}add-file/", rules.add_file, name="draft-add-file"),
    path(f"{DRAFT}delete-file/", rules.delete_file, name="draft-delete-file"),
    path(f"{DRAFT}discard/", rules.discard_draft, name="draft-discard"),
    path(f"{DRAFT}try/", rules.try_reply, name="draft-try"),
    path(f"{DRAFT}calibrate/", versions.calibrate, name="draft-calibrate"),
    path(f"{DRAFT}regrade-preview/", versions.draft_preview, name="draft-preview"),
    path(f"{DRAFT}publish/", versions.publish, name="draft-publish"),
    path("rules/calibrate/", versions.calibrate, name="calibrate"),
    path("rules/calibrations/<int:pk>/", versions.calibration_report, name="calibration"),
    path("rules/regrade/", versions.regrade, name="regrade"),
    path("rules/regrades/<int:pk>/", versions.regrade_detail, name="regrade-detail"),
    # scenario editor
    path("scenarios/", scenarios.scenario_list, name="scenarios"),
    path("scenarios/new/", scenarios.scenario_new, name="scenario-new"),
    path("scenarios/<slug:slug>/", scenarios.scenario_edit, name="scenario"),
    path("scenarios/<slug:slug>/lessons/", scenarios.scenario_lessons, name="scenario-lessons"),
    # role-play editor
    path("roleplays/", roleplays.roleplay_list, name="roleplays"),
    path("roleplays/new/", roleplays.roleplay_new, name="roleplay-new"),
    path("roleplays/<slug:slug>/", roleplays.roleplay_edit, name="roleplay"),
    path("roleplays/<slug:slug>/graph/", roleplays.roleplay_graph, name="roleplay-graph"),
    path("roleplays/<slug:slug>/trial/", roleplays.roleplay_trial, name="roleplay-trial"),
    # question editor
    path("questions/", questions.question_list, name="questions"),
    path("questions/new/", questions.question_new, name="question-new"),
    path(
        "questions/preview/<slug:question_type>/",
        questions.question_preview,
        name="question-preview",
    ),
    path("questions/<str:key>/", questions.question_edit, name="question"),
    path("questions/<str:key>/retire/", questions.question_retire, name="question-retire"),
    # document import and lessons
    path("imports/", imports.import_home, name="imports"),
    path("imports/uploads/<int:pk>/", imports.import_preview, name="import-preview"),
    path("modules/<int:pk>/", imports.module_detail, name="module"),
    path("modules/<int:pk>/publish/", imports.module_publish, name="module-publish"),
    path("modules/<int:pk>/draft-rules/", imports.module_draft_rules, name="module-draft-rules"),
    path("lessons/<int:pk>/", imports.lesson_edit, name="lesson"),
    path("lessons/preview/", imports.lesson_preview, name="lesson-preview"),
]
