"""The market explorer's choices: role, level, place, industry, company size and pay component."""

from collections import defaultdict

from django import forms
from django.forms.models import ModelChoiceIterator

from benchmarks.lookup import BandQuery
from benchmarks.models import Band, CompanySize, Industry, Level, Location, Role

# Order and names of the place groups in the location menu: countries and cities abroad first,
# then the U.S. states, metro areas and the rest.
LOCATION_GROUPS = {
    Location.Kind.NATION: "Countries",
    Location.Kind.CITY: "Cities",
    Location.Kind.STATE: "States and territories",
    Location.Kind.METRO: "Metropolitan areas",
    Location.Kind.NONMETRO: "Nonmetropolitan areas",
}


class LocationsByKind(ModelChoiceIterator):
    """Several hundred places are findable in one native select when grouped: keyboard type-ahead
    and phone pickers both work with <optgroup>, and no script is needed."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups = defaultdict(list)
        for location in self.queryset:
            groups[location.kind].append(self.choice(location))
        for kind, title in LOCATION_GROUPS.items():
            if groups[kind]:
                yield (title, groups[kind])


class LocationChoiceField(forms.ModelChoiceField):
    iterator = LocationsByKind


class ExplorerForm(forms.Form):
    # Role and place are optional here so a half-made choice shows a prompt, not an error.
    role = forms.ModelChoiceField(Role.objects.all(), required=False, empty_label="Choose a role")
    level = forms.ModelChoiceField(Level.objects.all(), required=False, empty_label="All levels")
    location = LocationChoiceField(
        Location.objects.order_by("name"), required=False, empty_label="Choose a place"
    )
    industry = forms.ModelChoiceField(
        Industry.objects.all(), required=False, empty_label="All industries"
    )
    company_size = forms.ModelChoiceField(
        CompanySize.objects.all(), required=False, empty_label="Any size"
    )
    component = forms.ChoiceField(
        label="Pay", choices=Band.Component.choices, required=False, initial=Band.Component.BASE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def band_query(self) -> BandQuery | None:
        """The lookup the choices ask for, once role and place are both chosen."""
        data = self.cleaned_data
        if not (data.get("role") and data.get("location")):
            return None
        return BandQuery(
            role=data["role"],
            level=data.get("level"),
            location=data["location"],
            industry=data.get("industry"),
            company_size=data.get("company_size"),
            component=data.get("component") or Band.Component.BASE,
        )
