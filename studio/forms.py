"""Forms of the studio editors. Validation of the content itself lives with its owner:
rule files in ruleengine, questions in quizzes.content, documents in courses.importer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

import ruleengine
from courses.models import Course, Lesson
from quizzes.models import Language as QuizLanguage
from quizzes.models import QuestionType
from scenarios.models import RolePlay, Scenario
from scenarios.scripts import MAX_HINT_CHARS, MAX_SECONDS, MIN_SECONDS

from .roleplays import NODE_ID_RE, kept_rows

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
REPLY_LANGUAGES = [("zh", "中文"), ("ko", "한국어"), ("en", "English")]
MONOSPACE = {"class": "code", "spellcheck": "false", "autocapitalize": "off", "autocomplete": "off"}


class UploadField(forms.FileField):
    """A file of at most 5 MB, read whole (documents and spreadsheets are small)."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB. Split it or remove what is not needed."),
                code="too_big",
            )
        return upload


# --- rules ----------------------------------------------------------------------------------------


class StartDraftForm(forms.Form):
    title = forms.CharField(
        label=_("What will this draft change?"),
        required=False,
        max_length=120,
        help_text=_("For example: accept more ways to apologise. Shown in the list of drafts."),
    )


class RuleFileForm(forms.Form):
    text = forms.CharField(
        label=_("File contents"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={**MONOSPACE, "rows": 28, "wrap": "off"}),
    )


class NewRuleFileForm(forms.Form):
    filename = forms.CharField(
        label=_("New file"),
        max_length=120,
        help_text=_("For example zh/new-policy.yaml"),
        widget=forms.TextInput(attrs={**MONOSPACE}),
    )


class TryReplyForm(forms.Form):
    """Its fields carry the prefix "try", so they never clash with the file editor's."""

    prefix = "try"
    scenario = forms.ChoiceField(label=_("Scenario"))
    language = forms.ChoiceField(label=_("Language of the reply"), choices=REPLY_LANGUAGES)
    text = forms.CharField(
        label=_("Reply"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = gradable_scenario_choices()


def gradable_scenario_choices() -> list[tuple[str, str]]:
    """The scenarios the rule engine knows, in catalogue order, named in the UI language."""
    known = set(ruleengine.SCENARIO_SLUGS)
    listed = [scenario for scenario in Scenario.objects.all() if scenario.slug in known]
    choices = [(scenario.slug, f"{scenario.title} ({scenario.slug})") for scenario in listed]
    missing = sorted(known - {scenario.slug for scenario in listed})
    return choices + [(slug, slug) for slug in missing]


class CalibrationForm(forms.Form):
    file = UploadField(
        label=_("Labelled replies (CSV, XLSX or JSONL)"),
        help_text=_(
            "Columns: scenario, language, text, acceptable (yes/no, 1/0, true/false, 是/否). "
            "At most 5 MB and 5,000 rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.xlsx,.jsonl,.json"}),
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("I have read the re-grade preview"), required=True)


class RegradeForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Grade past replies again and tell the learners whose result changes"),
        required=True,
    )


# --- scenarios ------------------------------------------------------------------------------

LANGUAGE_LABELS = {"zh": _("Chinese"), "ko": _("Korean"), "en": _("English")}


class ScenarioForm(forms.Form):
    """Titles and the caller's words per language; the slug only for a new scenario."""

    slug = forms.CharField(
        label=_("Slug"),
        max_length=60,
        help_text=_(
            "Lowercase words joined by hyphens, e.g. refund-request. It never changes: rules, "
            "questions and replies refer to it."
        ),
        validators=[
            RegexValidator(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                _("Use lowercase letters and digits, words joined by single hyphens."),
            )
        ],
    )
    sources = forms.CharField(
        label=_("Sources"),
        required=False,
        help_text=_("One per line, e.g. 002 四.4"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for lang, label in LANGUAGE_LABELS.items():
            self.fields[f"title_{lang}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": label},
                required=lang == "zh",
                max_length=200,
            )
            self.fields[f"customer_{lang}"] = forms.CharField(
                label=_("What the caller says (%(language)s)") % {"language": label},
                required=False,
                help_text=_("Or a stage direction in brackets, e.g. (The phone rings)"),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        if not creating:
            del self.fields["slug"]
        self.order_fields(["slug", *[f"title_{lang}" for lang in LANGUAGE_LABELS]])

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if Scenario.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("A scenario with this slug exists already."))
        return slug

    def texts(self, prefix: str) -> dict[str, str]:
        return {lang: self.cleaned_data.get(f"{prefix}_{lang}", "") for lang in LANGUAGE_LABELS}

    def source_lines(self) -> list[str]:
        return str(self.cleaned_data.get("sources", "")).splitlines()

    @staticmethod
    def initial_for(scenario: Scenario) -> dict[str, str]:
        initial = {"sources": "\n".join(scenario.sources)}
        for lang in LANGUAGE_LABELS:
            initial[f"title_{lang}"] = scenario.titles.get(lang, "")
            initial[f"customer_{lang}"] = scenario.customer_lines.get(lang, "")
        return initial


class LessonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, lesson: Lesson) -> str:  # type: ignore[override]
        return f"{lesson.module.course.title} › {lesson.module.title} › {lesson.title}"


class ScenarioLessonsForm(forms.Form):
    remove = forms.ModelMultipleChoiceField(
        label=_("Unlink"),
        queryset=Lesson.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    add = LessonChoiceField(
        label=_("Link another lesson"), queryset=Lesson.objects.none(), required=False
    )

    def __init__(self, *args: Any, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lessons = Lesson.objects.select_related("module__course").in_course_order()
        linked = lessons.filter(scenarios=scenario)
        self.fields["remove"].queryset = linked
        self.fields["add"].queryset = lessons.exclude(scenarios=scenario).order_by(
            "module__course__position", "module__course__title", "module__position", "position"
        )


# --- questions ----------------------------------------------------------------------------------


class NewQuestionForm(forms.Form):
    scenario = forms.ModelChoiceField(
        label=_("Scenario"), queryset=Scenario.objects.all(), to_field_name="slug"
    )
    language = forms.ChoiceField(label=_("Language"), choices=QuizLanguage.choices)
    type = forms.ChoiceField(label=_("Type"), choices=QuestionType.choices)


class QuestionFilterForm(forms.Form):
    scenario = forms.ModelChoiceField(
        label=_("Scenario"),
        queryset=Scenario.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All scenarios"),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("All languages")), *QuizLanguage.choices],
        required=False,
    )


class QuestionMetaForm(forms.Form):
    prompt = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    lesson_ref = forms.CharField(
        label=_("Lesson to read again"),
        required=False,
        max_length=200,
        help_text=_("course/module/lesson, e.g. phone-etiquette-zh/complaints/02-abusive-callers"),
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=200,
        help_text=_("Used for every item without its own source, e.g. 002 四.4"),
    )


class _ItemForm(forms.Form):
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    explanation = forms.CharField(
        label=_("Explanation (shown after the attempt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    rule = forms.CharField(label=_("Rule id"), required=False, max_length=100)
    source = forms.CharField(label=_("Source"), required=False, max_length=200)


class OptionItemForm(_ItemForm):
    correct = forms.BooleanField(label=_("Correct"), required=False)
    field_order = ["text", "correct", "explanation", "rule", "source"]


class StepItemForm(_ItemForm):
    pass


class LineItemForm(_ItemForm):
    speaker = forms.ChoiceField(
        label=_("Speaker"), choices=[("customer", _("Customer")), ("agent", _("Agent"))]
    )
    violation = forms.BooleanField(label=_("Breaks a rule"), required=False)
    field_order = ["speaker", "text", "violation", "explanation", "rule", "source"]


ITEM_FORMS: dict[str, type[forms.Form]] = {
    QuestionType.BEST_REPLY: OptionItemForm,
    QuestionType.ACCEPTABLE_REPLIES: OptionItemForm,
    QuestionType.ORDER_STEPS: StepItemForm,
    QuestionType.SPOT_VIOLATION: LineItemForm,
}


def item_formset(question_type: str, *, extra: int = 2) -> type[forms.BaseFormSet]:
    """Rows of options, steps or transcript lines; ORDER numbers let a trainer reorder them
    without scripts, and empty rows are ignored."""
    return forms.formset_factory(
        ITEM_FORMS[question_type], extra=extra, can_order=True, max_num=12, validate_max=True
    )


# --- document import ------------------------------------------------------------------------------


class DocumentUploadForm(forms.Form):
    file = UploadField(
        label=_("Policy document"),
        help_text=_(".txt, .md, .html or .docx, in Chinese or Korean, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.markdown,.html,.htm,.docx"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("auto", _("Detect")), ("zh", _("Chinese")), ("ko", _("Korean"))],
        initial="auto",
    )


class AcceptImportForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("Add the module to"),
        queryset=Course.objects.none(),
        required=False,
        empty_label=_("The course for imported drafts (unpublished)"),
    )

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(language=language)


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body_markdown = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={**MONOSPACE, "rows": 22}),
    )


class CandidateRulesForm(forms.Form):
    """Turn accepted candidate rules into draft rules the trainer then finishes in the editor."""

    scenario = forms.ChoiceField(label=_("Scenario the rules grade"))
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=[("critical", _("critical")), ("major", _("major")), ("minor", _("minor"))],
        initial="major",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = gradable_scenario_choices()


def posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one, so that it is validated), else None."""
    return request.POST if request.method == "POST" else None


def posted_with_files(request: HttpRequest) -> tuple[Any, Any]:
    if request.method != "POST":
        return None, None
    return request.POST, request.FILES


# --- role-plays -----------------------------------------------------------------------------------

ROLEPLAY_LANGUAGES = [("zh", _("Chinese")), ("ko", _("Korean"))]
NODE_KINDS = [("turn", _("Turn")), ("ending", _("Ending"))]


class NodeSelect(forms.Select):
    """A select of the script's node ids that never drops a value it does not list (a node
    deleted or renamed meanwhile): that value stays, marked, for the validator to report."""

    def __init__(self, *args: Any, missing_label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.missing_label = missing_label

    def optgroups(self, name: str, value: list[Any], attrs: Any = None) -> Any:
        listed = {str(choice) for choice, _label in self.choices}
        extra = [v for v in value if v and str(v) not in listed]
        if extra:
            self.choices = [*self.choices, *[(v, f"⚠ {v} {self.missing_label}") for v in extra]]
        return super().optgroups(name, value, attrs)


def node_field(label: Any, *, empty: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        widget=NodeSelect(choices=[("", empty)], missing_label=_("(not a node)")),
    )


class RolePlayMetaForm(forms.Form):
    """What the call is about. ``base_hash`` is the version the trainer started from."""

    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    summary = forms.CharField(
        label=_("The situation, as the learner reads it first"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(label=_("Language of the call"), choices=ROLEPLAY_LANGUAGES)
    pass_mark = forms.IntegerField(
        label=_("Pass mark (%)"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "max": 100, "inputmode": "numeric"}),
    )
    course = forms.ChoiceField(
        label=_("Course for “what to practise next”"),
        required=False,
        help_text=_("The report links the lessons of this course for the scenarios missed."),
    )
    start = node_field(_("First node"), empty=_("— choose —"))
    is_active = forms.BooleanField(
        label=_("Learners can play it"),
        required=False,
        help_text=_("Unticked, it is a draft: only the studio sees it."),
    )
    base_hash = forms.CharField(widget=forms.HiddenInput, required=False)
    overwrite = forms.BooleanField(
        label=_("Replace the version saved meanwhile with mine"), required=False
    )

    def __init__(self, *args: Any, node_ids: list[str], course: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"].widget.choices = [("", _("— choose —")), *[(n, n) for n in node_ids]]
        courses = [(c.slug, f"{c.title} ({c.slug})") for c in Course.objects.order_by("position")]
        if course and course not in {slug for slug, _label in courses}:
            courses.append((course, course))
        self.fields["course"].choices = [("", _("None")), *courses]


class NodeForm(forms.Form):
    """One node of the script: a customer line with the learner's turn, or an ending."""

    node_id = forms.CharField(
        label=_("Node id"),
        required=False,
        max_length=80,
        help_text=_("Lowercase letters, digits and hyphens, e.g. curse-angrier."),
        widget=forms.TextInput(attrs={**MONOSPACE}),
    )
    original_id = forms.CharField(widget=forms.HiddenInput, required=False)
    # Not required: the empty row "Add a node" appends has no data yet, and means a turn.
    kind = forms.ChoiceField(label=_("Kind"), choices=NODE_KINDS, initial="turn", required=False)
    customer = forms.CharField(
        label=_("What the caller says"),
        required=False,
        help_text=_("Or a stage direction in brackets, e.g. （电话铃响了）"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    scenario = forms.ChoiceField(label=_("Scenario (its rules grade the reply)"), required=False)
    seconds = forms.IntegerField(
        label=_("Seconds to reply"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    hint = forms.CharField(label=_("Tip for the learner"), required=False, strip=True)
    on_pass = node_field(_("Reply passes →"), empty=_("— choose —"))
    on_fail = node_field(_("Reply fails →"), empty=_("— choose —"))
    on_critical = node_field(_("Critical rule broken →"), empty=_("Same as when it fails"))
    on_timeout = node_field(_("No reply in time →"), empty=_("— choose —"))
    ending = forms.CharField(
        label=_("How the call ends"),
        required=False,
        help_text=_("Shown in the learner's report as the outcome of the call."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, node_ids: list[str], scenarios: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seconds"].widget.attrs.update(min=MIN_SECONDS, max=MAX_SECONDS)
        self.fields["seconds"].help_text = _("%(min)s to %(max)s") % {
            "min": MIN_SECONDS,
            "max": MAX_SECONDS,
        }
        self.fields["hint"].widget.attrs["maxlength"] = MAX_HINT_CHARS
        self.fields["scenario"].choices = [("", _("— choose —")), *scenarios]
        targets = [(n, n) for n in node_ids]
        for name in ("on_pass", "on_fail", "on_timeout"):
            self.fields[name].widget.choices = [("", _("— choose —")), *targets]
        self.fields["on_critical"].widget.choices = [("", _("Same as when it fails")), *targets]

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] or "turn"

    def clean_node_id(self) -> str:
        value = self.cleaned_data["node_id"].strip()
        if value and not NODE_ID_RE.match(value):
            raise forms.ValidationError(
                _("Use lowercase letters and digits, joined by single hyphens."), code="node_id"
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if kept_rows([data]) and not data.get("node_id") and "node_id" not in self.errors:
            self.add_error("node_id", _("Give the node an id."))
        return data


class BaseNodeFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        seen: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            name = data.get("node_id")
            if not name or not kept_rows([{**data, "DELETE": self._should_delete_form(form)}]):
                continue
            if name in seen:
                form.add_error("node_id", _("Another node has this id already."))
            seen.add(name)


NodeFormSet = forms.formset_factory(
    NodeForm, formset=BaseNodeFormSet, extra=1, can_delete=True, max_num=40, validate_max=True
)


class NewRolePlayForm(forms.Form):
    slug = forms.CharField(
        label=_("Slug"),
        max_length=80,
        help_text=_("Lowercase words joined by hyphens, e.g. refund-angry-zh. It never changes."),
        validators=[
            RegexValidator(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                _("Use lowercase letters and digits, words joined by single hyphens."),
            )
        ],
        widget=forms.TextInput(attrs={**MONOSPACE}),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Language of the call"), choices=ROLEPLAY_LANGUAGES)
    summary = forms.CharField(
        label=_("The situation, as the learner reads it first"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug == "new" or RolePlay.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("A role-play with this slug exists already."))
        return slug


class TrialForm(forms.Form):
    mode = forms.ChoiceField(choices=[("practice", _("practice")), ("assessment", _("assessment"))])
