"""How a page values private-company equity: at paper value (as entered) or risk-adjusted (less
the illiquidity discount the person entered for that offer). One switch, kept in the URL
(`?equity=risk`), so a link, a bookmark or the back button shows the same figures again."""

from collections.abc import Collection, Mapping
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


def switch_links(
    path: str, params, current: EquityValue, *, reads: Collection[str] = ()
) -> list[tuple[EquityValue, str, bool]]:
    """(choice, URL, is it the current one) for each choice: the same page with the parameters
    it `reads` and only the switch changed (paper value drops the parameter, so the plain URL
    stays the default)."""
    return [
        (choice,
         url_with(path, params, PARAM, choice.value if choice.risk_adjusted else None, reads=reads),
         choice == current)
        for choice in EquityValue
    ]  # fmt: skip


def kept_params(params, reads: Collection[str], *, leaving_out: str = "") -> list[tuple[str, str]]:
    """The (name, value) pairs of `params` (a QueryDict) that the page `reads`, in order, but for
    `leaving_out`: links and forms carry nothing the page ignores, so a page stays one page
    (and one ETag) whatever else was in the address."""
    return [
        (key, value)
        for key, values in params.lists()
        if key in reads and key != leaving_out
        for value in values
    ]


def url_with(
    path: str, params, name: str, value: str | None, *, reads: Collection[str] = ()
) -> str:
    """`path` with the parameters of `params` the page `reads`, and `name` set to `value` (left
    out when None)."""
    query = kept_params(params, reads, leaving_out=name)
    if value is not None:
        query.append((name, value))
    return f"{path}?{urlencode(query)}" if query else path
