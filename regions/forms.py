from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import Region

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class RegionSearchForm(forms.Form):
    q = forms.CharField(label=_("Zoek op naam of CBS-code"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Soort regio"), required=False, choices=[("", _("Alle soorten")), *Region.Kind.choices]
    )


class DatasetUploadForm(forms.Form):
    source = forms.ChoiceField(label=_("Bron (uit de mapping)"))
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("CSV-bestand in het formaat van de bron (CBS StatLine-export of gewone CSV), hoogstens 5 MB."),
    )

    def __init__(self, *args, sources: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(s["key"], s["title"]) for s in sources]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 5 MB."))
        return upload
