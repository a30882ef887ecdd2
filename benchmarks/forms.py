"""The market explorer's choices: role, level, place, industry, company size and pay component."""

from collections import defaultdict

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from benchmarks.lookup import BandQuery
from benchmarks.market_cache import MARKET_ROWS
from benchmarks.models import Band, CompanySize, Contribution, Industry, Level, Location, Role
from benchmarks.widgets import SearchableLocationSelect, SearchableSelect

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


# The largest id a database key holds: anything larger is no choice at all.
_LARGEST_ID = 2**63 - 1


class MarketChoiceField(forms.ModelChoiceField):
    """A menu of market data. Once its form has named its menus (``use_market_rows``), the chosen
    row comes from the shared cache of market rows (benchmarks/market_cache.py) instead of a
    query; the row is the same, since any change to market data changes the cache's version."""

    menu: tuple = ()  # says which form and field, as menus may offer different rows

    def to_python(self, value):
        if not self.menu or value in self.empty_values:
            return super().to_python(value)
        text = str(value).strip()
        row = None
        if text.isascii() and text.isdigit() and 0 < int(text) <= _LARGEST_ID:
            key = (self.menu, int(text))
            (row,) = MARKET_ROWS.get_or_compute([key], self._rows)
        if row is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return row

    def _rows(self, keys: list) -> list:
        found = self.queryset.in_bulk([pk for _, pk in keys])
        return [found.get(pk) for _, pk in keys]


def use_market_rows(form: forms.BaseForm) -> None:
    """Have a form's market menus read chosen rows from the shared cache, each under its own
    name (the form's and the field's)."""
    for name, field in form.fields.items():
        if isinstance(field, MarketChoiceField):
            field.menu = (type(form).__name__, name)


class LocationChoiceField(MarketChoiceField):
    iterator = LocationsByKind
    widget = SearchableLocationSelect


def components_with_bands() -> list[tuple[str, str]]:
    """The pay components (in their usual order) that at least one band effective today
    describes; base salary when there is no band at all, so the menu is never empty."""
    today = timezone.localdate()
    (found,) = MARKET_ROWS.get_or_compute(
        [("band components", today)],
        lambda keys: [
            set(
                Band.objects.effective_on(today)
                .order_by()
                .values_list("component", flat=True)
                .distinct()
            )
        ],
    )
    return [c for c in Band.Component.choices if c[0] in found] or [
        (Band.Component.BASE, Band.Component.BASE.label)
    ]


class ExplorerForm(forms.Form):
    # Role and place are optional here so a half-made choice shows a prompt, not an error.
    role = MarketChoiceField(
        Role.objects.all(),
        required=False,
        empty_label="Choose a role",
        widget=SearchableSelect(menu="roles"),
    )
    level = MarketChoiceField(Level.objects.all(), required=False, empty_label="All levels")
    location = LocationChoiceField(
        Location.objects.order_by("name"), required=False, empty_label="Choose a place"
    )
    industry = MarketChoiceField(
        Industry.objects.all(),
        required=False,
        empty_label="All industries",
        widget=SearchableSelect(menu="industries"),
    )
    company_size = MarketChoiceField(
        CompanySize.objects.all(), required=False, empty_label="Any size"
    )
    component = forms.ChoiceField(
        label="Pay", choices=Band.Component.choices, required=False, initial=Band.Component.BASE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
        use_market_rows(self)
        # A pay component no band describes could only ever answer "no band": not offered.
        self.fields["component"].choices = components_with_bands()

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


# --------------------------------------------------------------------------- the admin's forms


class ExclusionForm(forms.ModelForm):
    """Why an admin leaves contributions out of every community band. The reason's bounds live
    on the model field; here it is required, since a contribution is never left out unexplained."""

    class Meta:
        model = Contribution
        fields = ("excluded_reason",)
        labels = {"excluded_reason": "Reason"}
        widgets = {"excluded_reason": forms.Textarea(attrs={"rows": 3, "cols": 60})}
        help_texts = {
            "excluded_reason": "Say why the figures are implausible (up to 300 characters). "
            "Other admins see it beside each contribution left out."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["excluded_reason"]
        field.required = True
        field.error_messages["required"] = "Say why these contributions are left out."
