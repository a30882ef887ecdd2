"""Finding a place, a role or an industry by typing part of its name or its code.

Each menu's rows are read once per market-data version (one query) and kept in the shared cache
with the other market rows (benchmarks/market_cache.py), so a search as someone types costs the
version's query and a little Python. Matches are ranked: the name or code typed exactly, then a state's
places, then names that start with the text, names with words that start with each word typed,
and names that merely contain it; within each, metro areas before cities abroad, states,
countries and nonmetropolitan areas (the smaller place is usually the one meant), then by name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from benchmarks.market_cache import MARKET_ROWS
from benchmarks.models import Industry, Location, Role

MOST_MATCHES = 20
# Longer than any name a person would type: such a text matches nothing and reads no row.
LONGEST_SEARCH = 100

# The names people type for the countries places abroad belong to (Location.country holds the
# ISO code). A country not listed here is still found by its code or its places' names.
COUNTRY_NAMES = {
    "US": ("United States", "United States of America", "USA", "America"),
    "GB": ("United Kingdom", "UK", "Great Britain", "Britain", "England"),
    "DE": ("Germany", "Deutschland"),
    "IE": ("Ireland",),
    "FR": ("France",),
    "NL": ("Netherlands", "Holland"),
    "CH": ("Switzerland",),
    "CA": ("Canada",),
    "IN": ("India",),
    "AU": ("Australia",),
    "SG": ("Singapore",),
    "JP": ("Japan",),
}

# Metro areas first, then cities abroad, states, countries, nonmetropolitan areas.
_KIND_ORDER = {
    Location.Kind.METRO: 0,
    Location.Kind.CITY: 1,
    Location.Kind.STATE: 2,
    Location.Kind.NATION: 3,
    Location.Kind.NONMETRO: 4,
}
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Choice:
    """One row of a menu as a search shows it, with what it can be found by (normalised)."""

    pk: int
    label: str
    detail: str
    names: tuple[str, ...]  # full names, matched by prefix or anywhere
    codes: tuple[str, ...]  # codes matched exactly or by prefix (BLS area, state, NAICS …)
    regional_codes: tuple[str, ...] = ()  # a code the row lies within (a metro's state)
    kind_order: int = 0
    # The names' words, split once when the row is made: the row is what the shared cache keeps
    # per market-data version, so a keystroke's search never splits them again.
    words: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        words = tuple(word for name in self.names for word in _WORD.findall(name))
        object.__setattr__(self, "words", words)


def normalised(text: str) -> str:
    """Lower case, accents and full stops dropped, spaces collapsed: "U.S." and "us" match."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().replace(".", "").split())


def search_text(text: str) -> str:
    """The text to search for, or "" when it can match nothing: empty, too long, or holding a
    control character (which no name has and some databases refuse)."""
    if len(text) > LONGEST_SEARCH or any(unicodedata.category(c)[0] == "C" for c in text):
        return ""
    return normalised(text)


def rank(choice: Choice, text: str) -> int | None:
    """How well `choice` matches the normalised `text` (0 best), or None when it does not."""
    if text in choice.names or text in choice.codes:
        return 0
    if text in choice.regional_codes:
        return 1
    if any(name.startswith(text) for name in choice.names) or any(
        code.startswith(text) for code in choice.codes
    ):
        return 2
    typed = _WORD.findall(text)
    words = choice.words
    if typed and all(any(word.startswith(t) for word in words) for t in typed):
        return 3
    if any(text in name for name in choice.names):
        return 4
    return None


def best_matches(choices: Iterable[Choice], text: str, limit: int = MOST_MATCHES) -> list[Choice]:
    ranked = [(r, c) for c in choices if (r := rank(c, text)) is not None]
    ranked.sort(key=lambda pair: (pair[0], pair[1].kind_order, pair[1].label.casefold()))
    return [choice for _, choice in ranked[:limit]]


def _places() -> list[Choice]:
    choices = []
    rows = Location.objects.values_list(
        "pk", "name", "kind", "country", "bls_area_code", "state_code"
    )
    for pk, name, kind, country, area_code, state_code in rows:
        names = [name]
        codes = [area_code]
        regional = []
        # A country's and a city abroad's names include the country's; the U.S. has no cities
        # here, and its states and metros are not found by "United States".
        if kind in (Location.Kind.NATION, Location.Kind.CITY):
            names += COUNTRY_NAMES.get(country, ())
            codes.append(country)
        if kind == Location.Kind.STATE:
            codes.append(state_code)
        elif state_code:
            regional.append(state_code)
        detail = Location.Kind(kind).label
        if kind == Location.Kind.CITY:
            detail = f"City, {COUNTRY_NAMES.get(country, (country,))[0]}"
        choices.append(
            Choice(
                pk=pk,
                label=name,
                detail=detail,
                names=tuple(normalised(n) for n in names),
                codes=tuple(normalised(c) for c in codes if c),
                regional_codes=tuple(normalised(c) for c in regional),
                kind_order=_KIND_ORDER.get(kind, len(_KIND_ORDER)),
            )
        )
    return choices


def _initials(name: str) -> str:
    """ "Technical Product Manager" -> "tpm": how roles are often written."""
    return "".join(word[0] for word in _WORD.findall(normalised(name)))


def _roles() -> list[Choice]:
    rows = Role.objects.values_list("pk", "name", "occupation__title", "occupation__soc_code")
    return [
        Choice(
            pk=pk,
            label=name,
            detail=f"{title} ({soc_code})",
            names=(normalised(name),),
            codes=tuple(c for c in (_initials(name), normalised(soc_code)) if len(c) > 1),
        )
        for pk, name, title, soc_code in rows
    ]


def _industries() -> list[Choice]:
    rows = Industry.objects.values_list("pk", "name", "naics_code")
    return [
        Choice(
            pk=pk,
            label=name,
            detail=f"NAICS {naics_code}" if naics_code else "",
            names=(normalised(name),),
            codes=(normalised(naics_code),) if naics_code else (),
        )
        for pk, name, naics_code in rows
    ]


# The menus a search can look in, by the name its address uses.
MENUS: dict[str, Callable[[], list[Choice]]] = {
    "places": _places,
    "roles": _roles,
    "industries": _industries,
}


def matching(menu: str, text: str, *, limit: int = MOST_MATCHES) -> list[Choice]:
    """The best matches for `text` in `menu` (a key of MENUS). Reads nothing for a text that
    can match nothing; otherwise the market-data version, and the menu's rows once per version."""
    wanted = search_text(text)
    if not wanted:
        return []
    (choices,) = MARKET_ROWS.get_or_compute([("search", menu)], lambda keys: [MENUS[menu]()])
    return best_matches(choices, wanted, limit)
