from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

from .enrolment import MAX_BYTES

UPLOAD_SUFFIXES = (".csv", ".txt", ".xlsx")


class EnrolmentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("People file"),
        help_text=_(
            "CSV or XLSX, up to 5 MB: one row per person, the first row names the columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
    cohort = forms.CharField(
        label=_("Cohort"),
        max_length=120,
        required=False,
        help_text=_("Everyone in the file joins this cohort, unless their row names another."),
    )
    create_departments = forms.BooleanField(
        label=_("Create unknown departments"),
        required=False,
        help_text=_("Otherwise a department that does not exist yet is an error on its row."),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB. Split it into smaller files.")
            )
        return upload
