"""Menus with a search box: the <select> is drawn as it always is, so it works with no script;
static/js/app.js ("Searchable select") adds a text box that finds rows by name or code through
benchmarks:search and sets the select's value."""

from django import forms
from django.urls import reverse

# What each menu's search box is called and what it finds. The names avoid the field's own
# label ("Location", "Role", "Industry"), which stays the menu's alone.
SEARCH_BOXES = {
    "places": {
        "label": "Search places",
        "placeholder": "Type a city, state, country or area code",
        "listbox": "Matching places",
    },
    "roles": {
        "label": "Search jobs",
        "placeholder": "Type a job, e.g. TPM",
        "listbox": "Matching jobs",
    },
    "industries": {
        "label": "Search industries",
        "placeholder": "Type an industry or NAICS code",
        "listbox": "Matching industries",
    },
}
# Said by screen readers as results arrive ({count}, {label} are filled in by the script).
SEARCH_MESSAGES = {
    "hint": "Choosing a match sets the menu below.",
    "found": "{count} found: use the up and down arrow keys to choose, then Enter.",
    "none": "Nothing matches; choose from the menu below instead.",
    "chosen": "{label} chosen.",
}


class LocationSelect(forms.Select):
    """Each place says its currency (data-currency), so the offer form can follow it."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        place = getattr(value, "instance", None)
        if place is not None and place.currency:
            option["attrs"]["data-currency"] = place.currency
        return option


class SearchableSelect(forms.Select):
    def __init__(self, *, menu: str, attrs=None, choices=()):
        if menu not in SEARCH_BOXES:
            raise ValueError(f"No search box for the menu {menu!r}")
        self.menu = menu
        super().__init__(attrs, choices)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        box = SEARCH_BOXES[self.menu]
        context["widget"]["attrs"] |= {
            "data-search-url": reverse("benchmarks:search", args=[self.menu]),
            "data-search-label": box["label"],
            "data-search-placeholder": box["placeholder"],
            "data-search-listbox": box["listbox"],
        } | {f"data-search-{key}": text for key, text in SEARCH_MESSAGES.items()}
        return context


class SearchableLocationSelect(SearchableSelect, LocationSelect):
    """A place menu with a search box; each place still says its currency (data-currency)."""

    def __init__(self, *, attrs=None, choices=()):
        super().__init__(menu="places", attrs=attrs, choices=choices)
