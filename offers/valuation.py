"""How a page values private-company equity: at paper value (as entered) or risk-adjusted (less
the illiquidity discount the person entered for that offer). One switch, kept in the URL
(`?equity=risk`), so a link, a bookmark or the back button shows the same figures again."""

from collections.abc import Mapping
from enum import StrEnum
from urllib.parse import urlencode

PARAM = "equity"


class EquityValue(StrEnum):
    PAPER = "paper"
    RISK_ADJUSTED = "risk"

    @property
    def label(self) -> str:
        return "Paper value" if self is EquityValue.PAPER else "Risk-adjusted"

    @property
    def risk_adjusted(self) -> bool:
        return self is EquityValue.RISK_ADJUSTED


def equity_value_from(params: Mapping) -> EquityValue:
    """The switch as the URL sets it; anything but `risk` reads as paper value (the default)."""
    return EquityValue.RISK_ADJUSTED if params.get(PARAM) == "risk" else EquityValue.PAPER


def switch_links(path: str, params, current: EquityValue) -> list[tuple[EquityValue, str, bool]]:
    """(choice, URL, is it the current one) for each choice: the same page and query with only
    the switch changed (paper value drops the parameter, so the plain URL stays the default)."""
    kept = [(key, value) for key, values in params.lists() if key != PARAM for value in values]
    links = []
    for choice in EquityValue:
        query = kept + ([(PARAM, choice.value)] if choice.risk_adjusted else [])
        links.append((choice, f"{path}?{urlencode(query)}" if query else path, choice == current))
    return links
