from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=300,
        help_text=_("Printed under the QR code on the certificate, or the end of its link."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        # People paste the whole link: keep its last path segment.
        code = code.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        if not code or len(code) > 64:
            raise forms.ValidationError(_("This is not a verification code."))
        return code


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit log and shown to HR; never shown on the public page."),
    )
