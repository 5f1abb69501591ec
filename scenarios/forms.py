from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Reply
from .services import MAX_REPLY_CHARS


class ReplyForm(forms.Form):
    """What the learner would say. Length and emptiness are checked by ``submit_reply``; the
    textarea has no maxlength, so an over-long paste is kept whole for the learner to trim."""

    language = forms.ChoiceField(label=_("Language of your reply"))
    text = forms.CharField(
        label=_("Your reply"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Formatted here, per request, so it follows the learner's interface language.
        self.fields["text"].help_text = _(
            "Write what you would say to the caller, at most %(limit)s characters."
        ) % {"limit": MAX_REPLY_CHARS}
        names = dict(Reply.Language.choices)
        self.fields["language"].choices = [(code, names[code]) for code in languages]
        if len(languages) == 1:
            self.fields["language"].widget = forms.HiddenInput()
