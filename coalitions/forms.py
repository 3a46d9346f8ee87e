"""Forms of the coalition pages: starting a coalition, and managing its organisations and members.

Choices come from lists the view already loaded (organisations, regions), so
a form adds no queries of its own and the page's query count stays constant.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from coalitions.models import CoalitionRole, Organisation
from coalitions.services import DESCRIPTION_MAX, NewOrganisation, NewRegion
from core.forms import RADIO, SELECT, TEXTAREA, TEXTBOX
from invitations.forms import InviteeFields
from regions.models import Region

EXISTING, NEW = "existing", "new"
# The order of the kinds in a region list: the usual areas of a coalition first.
REGION_KIND_ORDER = (Region.Kind.CUSTOM, Region.Kind.COROP, Region.Kind.PROVINCE, Region.Kind.MUNICIPALITY)


def grouped_regions(regions: Iterable[Region], kinds=REGION_KIND_ORDER) -> list:
    """Choices grouped by kind of region (an <optgroup> each), in ``kinds``' order."""
    by_kind: dict[str, list] = {kind: [] for kind in kinds}
    for region in regions:
        if region.kind in by_kind:
            by_kind[region.kind].append((str(region.pk), region.name))
    return [(Region.Kind(kind).label, sorted(rows, key=lambda row: row[1])) for kind, rows in by_kind.items() if rows]


def municipalities_by_province(regions: Iterable[Region]) -> list:
    """The municipalities, grouped by province, as choices of CBS codes."""
    regions = list(regions)
    provinces = {r.pk: r.name for r in regions if r.kind == Region.Kind.PROVINCE}
    groups: dict[str, list] = {}
    for region in regions:
        if region.kind == Region.Kind.MUNICIPALITY:
            province = provinces.get(region.province_id, str(_("Overig")))
            groups.setdefault(province, []).append((region.code, region.name))
    return [(name, sorted(rows, key=lambda row: row[1])) for name, rows in sorted(groups.items())]


class OrganisationFields(forms.Form):
    """An organisation from the register, or a new one (name, kind, region): the view passes both lists."""

    organisation_choice = forms.ChoiceField(
        label=_("Organisatie"),
        choices=[(EXISTING, _("Een bestaande organisatie")), (NEW, _("Een nieuwe organisatie"))],
        initial=EXISTING,
        widget=forms.RadioSelect(attrs=RADIO),
    )
    organisation = forms.ChoiceField(
        label=_("Bestaande organisatie"), required=False, widget=forms.Select(attrs=SELECT)
    )
    organisation_name = forms.CharField(
        label=_("Naam van de nieuwe organisatie"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=TEXTBOX),
    )
    organisation_kind = forms.ChoiceField(
        label=_("Soort organisatie"),
        required=False,
        choices=[("", "—"), *Organisation.Kind.choices],
        widget=forms.Select(attrs=SELECT),
    )
    organisation_region = forms.ChoiceField(
        label=_("Gemeente of provincie van de organisatie"),
        required=False,
        help_text=_("Voor een gemeente of provincie: het gebied dat zij bestuurt."),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, organisations: Iterable[Organisation], regions: Iterable[Region], **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.regions = {str(r.pk): r for r in regions}
        self.fields["organisation"].choices = [("", "—")] + [(pk, o.name) for pk, o in self.organisations.items()]
        self.fields["organisation_region"].choices = [("", "—")] + grouped_regions(
            self.regions.values(), kinds=(Region.Kind.PROVINCE, Region.Kind.MUNICIPALITY)
        )

    def clean(self):
        data = super().clean()
        if data.get("organisation_choice") == NEW:
            if not data.get("organisation_name", "").strip():
                self.add_error("organisation_name", _("Vul de naam van de organisatie in."))
            if not data.get("organisation_kind"):
                self.add_error("organisation_kind", _("Kies wat voor organisatie het is."))
        elif data.get("organisation_choice") == EXISTING and not data.get("organisation"):
            self.add_error("organisation", _("Kies een organisatie."))
        return data

    def chosen_organisation(self) -> Organisation | NewOrganisation:
        data = self.cleaned_data
        if data["organisation_choice"] == NEW:
            return NewOrganisation(
                name=data["organisation_name"],
                kind=data["organisation_kind"],
                region=self.regions.get(data.get("organisation_region") or ""),
            )
        return self.organisations[data["organisation"]]


class CoalitionStartForm(OrganisationFields):
    name = forms.CharField(
        label=_("Naam van de coalitie"),
        max_length=200,
        help_text=_("Bijvoorbeeld: Kansenagenda Oost-Groningen."),
        widget=forms.TextInput(attrs=TEXTBOX),
    )
    region_choice = forms.ChoiceField(
        label=_("Regio"),
        choices=[
            (EXISTING, _("Een bestaande regio (COROP-gebied, provincie, gemeente of eigen regio)")),
            (NEW, _("Een eigen regio, samengesteld uit gemeenten")),
        ],
        initial=EXISTING,
        widget=forms.RadioSelect(attrs=RADIO),
    )
    region = forms.ChoiceField(label=_("Bestaande regio"), required=False, widget=forms.Select(attrs=SELECT))
    region_name = forms.CharField(
        label=_("Naam van de eigen regio"),
        required=False,
        max_length=200,
        help_text=_("Leeg: de naam van de coalitie."),
        widget=forms.TextInput(attrs=TEXTBOX),
    )
    municipalities = forms.MultipleChoiceField(
        label=_("Gemeenten van de eigen regio"),
        required=False,
        widget=forms.CheckboxSelectMultiple(),
    )
    description = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={**TEXTAREA, "rows": 4}),
    )

    field_order = [
        "name",
        "region_choice",
        "region",
        "region_name",
        "municipalities",
        "organisation_choice",
        "organisation",
        "organisation_name",
        "organisation_kind",
        "organisation_region",
        "description",
    ]

    def __init__(self, *args, organisations, regions, **kwargs):
        regions = list(regions)
        super().__init__(*args, organisations=organisations, regions=regions, **kwargs)
        self.fields["region"].choices = [("", "—")] + grouped_regions(regions)
        self.fields["municipalities"].choices = municipalities_by_province(regions)

    def clean(self):
        data = super().clean()
        if data.get("region_choice") == NEW:
            if not data.get("municipalities"):
                self.add_error("municipalities", _("Kies de gemeenten van de regio."))
        elif data.get("region_choice") == EXISTING and not data.get("region"):
            self.add_error("region", _("Kies een regio."))
        return data

    def chosen_region(self) -> Region | NewRegion:
        data = self.cleaned_data
        if data["region_choice"] == NEW:
            return NewRegion(name=data["region_name"], municipality_codes=tuple(data["municipalities"]))
        return self.regions[data["region"]]


class PartnerForm(OrganisationFields):
    """A coordinator adds an organisation to the coalition."""


class CoalitionInviteForm(InviteeFields):
    """A coordinator invites a person to the coalition, on behalf of a member organisation."""

    organisation = forms.ChoiceField(label=_("Namens organisatie"), widget=forms.Select(attrs=SELECT))
    role = forms.ChoiceField(
        label=_("Rol"),
        choices=CoalitionRole.choices,
        initial=CoalitionRole.VIEWER,
        help_text=_("Coördinatoren beheren de leden; redacteuren bewerken de agenda; lezers lezen mee en reageren."),
        widget=forms.Select(attrs=SELECT),
    )

    field_order = ["name", "email", "organisation", "role", "message"]

    def __init__(self, *args, member_organisations: Iterable[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "—")] + [(str(o.pk), o.name) for o in member_organisations]


class MemberChangeForm(forms.Form):
    """A coordinator changes a member's role or organisation (one row of the members table)."""

    membership = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Rol"), choices=CoalitionRole.choices)
    organisation = forms.IntegerField(label=_("Namens organisatie"))


class MembershipForm(forms.Form):
    """Remove a member, or leave."""

    membership = forms.IntegerField(widget=forms.HiddenInput)
